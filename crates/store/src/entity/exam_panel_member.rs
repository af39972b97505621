use sea_orm::entity::prelude::*;

/// A person on an exam session's panel (m0022, E4).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_panel_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    /// The registry person (`registry_people`).
    pub person_id: i64,
    pub role: domain::exams::PanelRole,
    pub appointed_by: String,
    pub appointed_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
