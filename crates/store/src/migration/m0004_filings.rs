//! S1–S5: station filing applications, their evaluation findings, and the institution codes.

use super::{fk, index, ts, ts_null};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_filings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("filings")
                .col(big_pk_auto("id"))
                .col(big_integer("applicant_org_id"))
                .col(string("institution_name"))
                .col(text("application"))
                .col(string("state"))
                .col(string("receiver"))
                .col(string("receiving_region"))
                .col(string("applicant_city"))
                .col(string("projects").default(""))
                .col(text_null("plan"))
                .col(date_null("evaluation_date"))
                .col(big_integer_null("draw_id"))
                .col(string("group_conclusion").default(""))
                .col(string_null("institution_code"))
                .col(integer_null("code_serial"))
                .col(text("province_opinion").default(""))
                .col(string("commitment_by").default(""))
                .col(ts_null("commitment_at"))
                .col(ts_null("submitted_at"))
                .col(ts_null("decided_at"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("filings", "applicant_org_id", "orgs"))
                .foreign_key(&mut fk("filings", "draw_id", "draws"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("filings", &["institution_code"], true)).await?;
        m.create_index(index("filings", &["receiving_region", "state"], false)).await?;
        m.create_index(index("filings", &["applicant_org_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("filing_findings")
                .col(big_pk_auto("id"))
                .col(big_integer("filing_id"))
                .col(big_integer("expert_id"))
                .col(text("findings"))
                .col(string("conclusion"))
                .col(string("recorded_by"))
                .col(ts("recorded_at"))
                .foreign_key(&mut fk("filing_findings", "filing_id", "filings"))
                .foreign_key(&mut fk("filing_findings", "expert_id", "experts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("filing_findings", &["filing_id", "expert_id"], true)).await?;
        Ok(())
    }
}
