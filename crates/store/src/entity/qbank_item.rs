//! `qbank_items` (m0016, P2/P6): an item of a project's question bank, its newest version and the
//! version in the provincial bank.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "qbank_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    /// The organisation whose question bank officer wrote it.
    pub author_org_id: i64,
    /// The newest version (the one being written or reviewed).
    pub current_version: i32,
    /// The approved version in the provincial bank, if any.
    pub bank_version: Option<i32>,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
