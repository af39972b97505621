use sea_orm::entity::prelude::*;

/// One version of a session's score register (m0023, E6).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_registers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    /// From 1; a correction of a confirmed register adds one.
    pub version: i32,
    pub status: domain::exams::RegisterStatus,
    /// The organizer's reason of the last return.
    pub return_reason: String,
    /// For a version made by a correction: its reason.
    pub correction_reason: String,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    pub submitted_by: Option<String>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub decided_by: Option<String>,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
