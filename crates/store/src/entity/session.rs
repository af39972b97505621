//! `sessions`: web sessions and API tokens (`SessionKind`), only the token's tagged hash stored.

use domain::org::SessionKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub token_hash: String,
    pub kind: SessionKind,
    pub user_id: i64,
    pub csrf_token: String,
    pub second_factor_pending: bool,
    /// The second factor was completed for this session (m0008); `*_admin` roles need it at every request.
    pub second_factor_done: bool,
    pub name: String,
    pub ip: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub last_seen_at: TimeDateTimeWithTimeZone,
    pub expires_at: TimeDateTimeWithTimeZone,
    pub revoked_at: Option<TimeDateTimeWithTimeZone>,
    /// The one-time message for the next page of a web session (m0010; `store::auth::Flash::stored`).
    pub flash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
