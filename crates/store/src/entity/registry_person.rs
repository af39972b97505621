use sea_orm::entity::prelude::*;

/// A registered assessor, supervisor or trainer (m0019).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registry_people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: domain::registry::PersonKind,
    pub name: String,
    pub id_number_enc: String,
    pub id_number_idx: String,
    pub id_number_masked: String,
    pub phone: String,
    pub city_code: String,
    pub employer_id: Option<i64>,
    pub card_number: String,
    pub card_valid_until: TimeDate,
    pub status: domain::registry::PersonStatus,
    pub status_reason: String,
    pub user_id: Option<i64>,
    pub note: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
