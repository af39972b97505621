use sea_orm::entity::prelude::*;

/// A request to use papers for an exam and where its custody ledger stands (m0018, E2).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "paper_releases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    /// The requesting center.
    pub org_id: i64,
    /// The requesting center's city (`None`: the province center).
    pub city: Option<String>,
    /// The exam, in words.
    pub exam: String,
    pub exam_date: TimeDate,
    pub copies_requested: i32,
    /// The paper the province allocated (at approval).
    pub paper_id: Option<i64>,
    pub copies_approved: Option<i32>,
    /// The last step recorded.
    pub state: domain::question_bank::CustodyStep,
    pub requested_by: String,
    /// The exam session the papers are for (m0025; `None` for a release that names its exam in words only).
    pub session_id: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
