use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draws")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub purpose: String,
    pub subject_kind: Option<domain::workflow::SubjectKind>,
    pub subject_id: Option<String>,
    pub applicant_org_id: i64,
    pub title: String,
    pub status: domain::draws::DrawStatus,
    pub seal_open: bool,
    pub record: String,
    pub seed_enc: String,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
