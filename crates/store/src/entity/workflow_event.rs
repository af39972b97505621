use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workflow_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subject_kind: domain::workflow::SubjectKind,
    pub subject_id: String,
    pub from_state: String,
    pub to_state: String,
    pub actor: String,
    pub at: TimeDateTimeWithTimeZone,
    pub comment: String,
    pub title: String,
    pub assignee_role: Option<domain::org::Role>,
    pub assignee_org_id: Option<i64>,
    pub assignee_city: Option<String>,
    pub assignee_user_id: Option<i64>,
    pub due_date: Option<TimeDate>,
    pub done_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
