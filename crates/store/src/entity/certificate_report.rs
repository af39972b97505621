use sea_orm::entity::prelude::*;

/// A batch of certificates a city center reported to the province (m0031, C1).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The reporting city center's GB/T 2260 city code.
    pub city: String,
    pub count: i32,
    pub note: String,
    pub reported_by: String,
    pub reported_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
