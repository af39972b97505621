use sea_orm::entity::prelude::*;

/// An exam session (m0020, E1, E3).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub station_org_id: i64,
    /// The station's city (the city center's scope); `None` for a station without one.
    pub station_city: Option<String>,
    pub project_id: i64,
    /// E1: `None` — the province center organizes; otherwise the city center of this code.
    pub organizer_city: Option<String>,
    pub first_day: TimeDate,
    pub last_day: TimeDate,
    pub venue: String,
    pub expected_candidates: i32,
    pub computer_based: bool,
    pub plan: String,
    pub state: domain::exams::SessionState,
    /// The reasons of the last return, or the cancellation's reason.
    pub decision_reason: String,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// m0021: the station takes applications through candidate self-service (开放网上报名).
    pub applications_open: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
