use sea_orm::entity::prelude::*;

/// A candidate's application to an exam session (m0021, issue 12).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    /// The candidate's account.
    pub user_id: i64,
    pub status: domain::exams::ApplicationStatus,
    /// The station's reason of a decline (the candidate sees it).
    pub reason: String,
    /// The roster row (`exam_candidates`) the confirmation made.
    pub candidate_id: Option<i64>,
    pub decided_by: Option<String>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
