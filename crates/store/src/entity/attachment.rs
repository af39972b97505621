use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subject_kind: domain::workflow::SubjectKind,
    pub subject_id: String,
    pub kind: domain::stations::MaterialKind,
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
