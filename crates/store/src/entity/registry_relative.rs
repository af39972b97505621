use sea_orm::entity::prelude::*;

/// A declared relative of a registered person, by the blind index of their ID number (m0019).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registry_relatives")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub relative_idx: String,
    pub relative_masked: String,
    pub relative_name: String,
    pub relation: domain::registry::Kinship,
    pub self_declared: bool,
    pub declared_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
