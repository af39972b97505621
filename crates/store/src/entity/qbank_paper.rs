//! `qbank_papers` (m0016, E2): an assembled paper, its record and its sealed seed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "qbank_papers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    /// `A` or `B`.
    pub label: String,
    /// Paper B: the paper A it is parallel to.
    pub parallel_of: Option<i64>,
    /// The `PaperRecord` JSON; its `seed` is filled once revealed.
    pub record: String,
    /// The seed, encrypted (AAD `paper_seed`).
    pub seed_enc: String,
    pub revealed: bool,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
