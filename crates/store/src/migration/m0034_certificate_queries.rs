//! C2: the public certificate query's log and its own rate limit.
//!
//! - `certificate_queries`: one row per query of the public certificate query (page or API): when, how
//!   it ended (`found`, `not_found`, `invalid`, `limited`) and through which channel (`page`, `api`).
//!   Nothing else: no certificate number, no name, no client address, no token — the log counts use,
//!   it cannot tell who asked about whom.
//! - The policy keys `security.rate_certificate_query_per_minute` and `…_burst` get their first version
//!   on databases made before them.

use super::{index, ts};
use domain::policy;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0034_certificate_queries"
    }
}

const NEW_KEYS: &[&str] =
    &[policy::keys::RATE_CERTIFICATE_QUERY_PER_MINUTE, policy::keys::RATE_CERTIFICATE_QUERY_BURST];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("certificate_queries")
                .col(big_pk_auto("id"))
                .col(ts("at"))
                .col(string("outcome"))
                .col(string("channel"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("certificate_queries", &["at"], false)).await?;
        super::seed_policy_defaults(m.get_connection(), NEW_KEYS, "C2：证书查询请求频率限制的初始值").await?;
        Ok(())
    }
}
