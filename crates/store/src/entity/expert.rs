use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub id_number_enc: String,
    pub id_number_idx: String,
    pub id_number_masked: String,
    pub employer_org_id: Option<i64>,
    pub employer_name: String,
    pub title: String,
    pub city_code: String,
    pub phone: String,
    pub status: domain::experts::ExpertStatus,
    pub user_id: Option<i64>,
    pub note: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
