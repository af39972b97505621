//! Issue 8 item 5: failed sign-ins are counted per user name *and client address*, so whoever knows a
//! user name can lock that account only for the address they try from; a per-account count across
//! all addresses (`login_account_failures`) alerts the security administrator past the policy's
//! ceiling. The old per-name table is replaced (locks in force at the upgrade are forgotten: they
//! last 15 minutes by default). The new policy keys get their first version on existing databases.

use super::{ts, ts_null};
use domain::policy;
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_login_throttle_per_client"
    }
}

/// The policy keys this migration introduces (databases made before it lack them).
const NEW_KEYS: &[&str] = &[
    policy::keys::ACCOUNT_FAILURE_CEILING,
    policy::keys::RATE_SIGN_IN_PER_MINUTE,
    policy::keys::RATE_SIGN_IN_BURST,
    policy::keys::RATE_TOKEN_PER_MINUTE,
    policy::keys::RATE_TOKEN_BURST,
    policy::keys::RATE_PUBLIC_PER_MINUTE,
    policy::keys::RATE_PUBLIC_BURST,
    policy::keys::RATE_API_PER_MINUTE,
    policy::keys::RATE_API_BURST,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("login_throttle").to_owned()).await?;
        m.create_table(
            Table::create()
                .table("login_throttle")
                .col(string("username"))
                .col(string("client"))
                .col(integer("failed_count").default(0))
                .col(ts_null("locked_until"))
                .col(ts("updated_at"))
                .primary_key(Index::create().col("username").col("client"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("login_account_failures")
                .col(string("username").primary_key())
                .col(ts("window_start"))
                .col(integer("failed_count").default(0))
                .col(ts_null("alerted_at"))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let now = crate::now();
        for key in NEW_KEYS {
            let def = policy::def(key).ok_or_else(|| DbErr::Custom(format!("policy key {key} has no definition")))?;
            let stmt = Query::select()
                .expr(Expr::col("id"))
                .from("policy_versions")
                .and_where(Expr::col("key").eq(*key))
                .to_owned();
            if db.query_one(&stmt).await?.is_some() {
                continue;
            }
            let stmt = Query::insert()
                .into_table("policy_versions")
                .columns(["key", "value", "effective_from", "note", "created_by", "created_at"])
                .values_panic([
                    def.key.into(),
                    def.default.into(),
                    policy::PROCEDURE_EFFECTIVE_FROM.into(),
                    "等保三级：登录失败按账号与客户端地址计数、请求频率限制的初始值".into(),
                    "system".into(),
                    now.into(),
                ])
                .to_owned();
            db.execute(&stmt).await?;
        }
        Ok(())
    }
}
