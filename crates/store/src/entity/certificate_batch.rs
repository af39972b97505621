use sea_orm::entity::prelude::*;

/// A print batch of blank certificates a city center recorded (m0029, C1).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The city center's GB/T 2260 city code.
    pub city: String,
    /// The print serials' letter prefix (may be empty), first number and digit count.
    pub prefix: String,
    pub first_no: i64,
    pub digits: i32,
    pub count: i32,
    pub first_serial: String,
    pub last_serial: String,
    pub received_on: TimeDate,
    pub recorded_by: String,
    pub recorded_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
