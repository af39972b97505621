use sea_orm::entity::prelude::*;

/// The assessor report (考评情况报告) of an exam session, filed by the panel's head (m0023, E5).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_assessor_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    /// The head's registry person.
    pub filed_by_person_id: i64,
    /// The head's account (username).
    pub filed_by: String,
    pub summary: String,
    pub filed_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
