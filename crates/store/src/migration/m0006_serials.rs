//! Serial counters (institution codes now; certificate and admission numbers later), one row per key,
//! taken with an UPDATE inside the caller's transaction.

use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_serials"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("serial_counters")
                .col(string("key").primary_key())
                .col(big_integer("value"))
                .to_owned(),
        )
        .await
    }
}
