use sea_orm::entity::prelude::*;

/// A training material or exam guide of a project (m0015, P7).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_materials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub kind: domain::projects::MaterialKind,
    pub title: String,
    pub publisher: String,
    pub year: i32,
    /// Its file in `project_files`, when attached.
    pub file_id: Option<i64>,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
