//! `users` (R2): scope kind and status are `domain::org` enums, stored as their text id.

use domain::org::{ScopeKind, UserStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub org_id: i64,
    pub scope_kind: ScopeKind,
    pub scope_city: Option<String>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub status: UserStatus,
    pub totp_secret_enc: Option<String>,
    pub totp_enabled: bool,
    pub totp_last_step: Option<i64>,
    pub phone: String,
    pub id_number_enc: Option<String>,
    pub id_number_idx: Option<String>,
    pub id_number_masked: Option<String>,
    /// m0021: the ID number's blind index of a self-registered candidate account (UNIQUE).
    pub candidate_idx: Option<String>,
    pub last_login_at: Option<TimeDateTimeWithTimeZone>,
    pub password_changed_at: TimeDateTimeWithTimeZone,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
