//! `qbank_item_versions` (m0016, P6): one version of an item, metadata in clear, content encrypted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "qbank_item_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub item_id: i64,
    pub version: i32,
    pub kind: domain::question_bank::ItemKind,
    pub task: i32,
    pub difficulty: domain::question_bank::Difficulty,
    pub points: i32,
    /// `ItemContent::canonical_json`, encrypted (AAD `qbank_item`).
    pub content_enc: String,
    pub status: domain::question_bank::ItemStatus,
    pub return_reason: Option<String>,
    pub author: String,
    pub reviewer: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub reviewed_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
