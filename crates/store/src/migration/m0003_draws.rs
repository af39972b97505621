//! P4, S4, E4: provable random draws. The record (docs/DRAWS.md) is kept as JSON; the seed is sealed
//! (encrypted) until revealed; `draw_members` indexes who was drawn, for the experts' own view.

use super::{fk, index, ts, ts_null};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_draws"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("draws")
                .col(big_pk_auto("id"))
                .col(string("purpose"))
                .col(string("subject_kind").default(""))
                .col(string("subject_id").default(""))
                .col(big_integer("applicant_org_id"))
                .col(string("title"))
                .col(string("status"))
                .col(boolean("seal_open").default(false))
                .col(text("record"))
                .col(text("seed_enc"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("draws", "applicant_org_id", "orgs"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("draws", &["subject_kind", "subject_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("draw_members")
                .col(big_pk_auto("id"))
                .col(big_integer("draw_id"))
                .col(big_integer("expert_id"))
                .col(integer("position"))
                .col(string("status"))
                .col(string("decline_reason").default(""))
                .col(ts_null("declined_at"))
                .foreign_key(&mut fk("draw_members", "draw_id", "draws"))
                .foreign_key(&mut fk("draw_members", "expert_id", "experts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("draw_members", &["draw_id", "expert_id"], true)).await?;
        m.create_index(index("draw_members", &["expert_id"], false)).await?;
        Ok(())
    }
}
