use sea_orm::entity::prelude::*;

/// Failed sign-ins of one user name from every address in the current hour (m0009): past the
/// policy's ceiling the security administrator is alerted once per window.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_account_failures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub username: String,
    pub window_start: TimeDateTimeWithTimeZone,
    pub failed_count: i32,
    pub alerted_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
