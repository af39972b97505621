use sea_orm::entity::prelude::*;

/// A file kept with a project (m0015, P3/P1/P7): stored through `Store::files` as attachments are.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_files")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub kind: domain::projects::ProjectFileKind,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub digest: String,
    pub storage_key: String,
    pub uploaded_by: String,
    pub uploaded_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
