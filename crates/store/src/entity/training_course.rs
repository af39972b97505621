use sea_orm::entity::prelude::*;

/// A training course of the province (m0019).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: domain::registry::PersonKind,
    pub title: String,
    pub start_date: TimeDate,
    pub end_date: TimeDate,
    pub location: String,
    /// Catalog codes joined by 、 (assessor courses).
    pub projects: String,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
