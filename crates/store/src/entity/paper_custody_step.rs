use sea_orm::entity::prelude::*;

/// One step of a release's custody ledger (m0018, E2); only ever added.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "paper_custody_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub release_id: i64,
    pub step: domain::question_bank::CustodyStep,
    pub responsible: String,
    pub copies: i32,
    pub recipient: String,
    /// JSON array of the two witnesses' names (opened), `[]` otherwise.
    pub witnesses: String,
    pub used: i32,
    pub recorded_by: String,
    pub recorded_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
