use sea_orm::entity::prelude::*;

/// A candidate's scores in one register version (m0023, E5).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_scores")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub register_id: i64,
    pub session_id: i64,
    pub candidate_id: i64,
    /// Tenths of a point; `None`: not scored.
    pub theory: Option<i32>,
    pub practical: Option<i32>,
    /// Tenths, weighted by the method's shares.
    pub total: i32,
    pub passed: bool,
    /// 缺考.
    pub absent: bool,
    pub entered_by: String,
    pub entered_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
