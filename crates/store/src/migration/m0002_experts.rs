//! P5: the expert committee (registry, past employers, declared conflicts).

use super::{fk, index, ts};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_experts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("experts")
                .col(big_pk_auto("id"))
                .col(string("name"))
                .col(text("id_number_enc"))
                .col(string("id_number_idx"))
                .col(string("id_number_masked"))
                .col(big_integer_null("employer_org_id"))
                .col(string("employer_name"))
                .col(string("title"))
                .col(string("specialties"))
                .col(string("city_code"))
                .col(string("phone"))
                .col(string("status").default("active"))
                .col(big_integer_null("user_id"))
                .col(string("note").default(""))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("experts", "employer_org_id", "orgs"))
                .foreign_key(&mut fk("experts", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("experts", &["id_number_idx"], true)).await?;
        m.create_index(index("experts", &["city_code"], false)).await?;
        m.create_table(
            Table::create()
                .table("expert_employments")
                .col(big_pk_auto("id"))
                .col(big_integer("expert_id"))
                .col(big_integer("org_id"))
                .col(date("until"))
                .foreign_key(&mut fk("expert_employments", "expert_id", "experts"))
                .foreign_key(&mut fk("expert_employments", "org_id", "orgs"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("expert_conflicts")
                .col(big_pk_auto("id"))
                .col(big_integer("expert_id"))
                .col(big_integer("org_id"))
                .col(string("reason").default(""))
                .col(ts("declared_at"))
                .foreign_key(&mut fk("expert_conflicts", "expert_id", "experts"))
                .foreign_key(&mut fk("expert_conflicts", "org_id", "orgs"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("expert_conflicts", &["expert_id", "org_id"], true)).await?;
        Ok(())
    }
}
