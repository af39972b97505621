use sea_orm::entity::prelude::*;

/// The supervision report (督导报告) of an exam session, filed by its supervisor (m0023, E5).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_supervision_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    pub filed_by_person_id: i64,
    pub filed_by: String,
    pub summary: String,
    /// `domain::exams::Incident` rows as JSON.
    pub incidents: String,
    pub filed_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
