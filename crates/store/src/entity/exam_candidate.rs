use sea_orm::entity::prelude::*;

/// A candidate of an exam session (m0020); the ID number encrypted, with its blind index.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_candidates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    pub name: String,
    pub id_number_enc: String,
    pub id_number_idx: String,
    pub id_number_masked: String,
    pub phone: String,
    pub employer: String,
    pub subsidy_category: String,
    pub training: String,
    pub source: domain::exams::CandidateSource,
    pub state: domain::exams::CandidateState,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    /// m0024: the admission ticket's number, given when the plan is approved.
    pub ticket_number: Option<String>,
    /// m0024: the ticket's verification token (QR code → `/tickets/{token}`).
    pub ticket_token: Option<String>,
    /// m0024: the object key of the candidate's photo.
    pub photo_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
