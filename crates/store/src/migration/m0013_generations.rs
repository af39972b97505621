//! Issue 10: the generation numbers of what instances cache (`generations`: one row per
//! `domain::audit::Generation`), bumped by the audit writer in the transaction of the change, read by
//! the caller's one query and by the public pages — so a cache never outlives the change that makes it
//! stale, on any instance.

use domain::audit::Generation;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_generations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("generations")
                .col(string("name").primary_key())
                .col(big_integer("value"))
                .col(super::ts("changed_at"))
                .to_owned(),
        )
        .await?;
        let now = crate::now();
        for g in Generation::ALL {
            let stmt = Query::insert()
                .into_table("generations")
                .columns(["name", "value", "changed_at"])
                .values_panic([g.id().into(), 1i64.into(), now.into()])
                .to_owned();
            m.get_connection().execute(&stmt).await?;
        }
        Ok(())
    }
}
