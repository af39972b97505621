use sea_orm::entity::prelude::*;

/// One review-group member's opinion on a project (m0015, P4).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_opinions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub expert_id: i64,
    pub conclusion: domain::projects::ReviewConclusion,
    pub comments: String,
    pub recorded_by: String,
    pub recorded_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
