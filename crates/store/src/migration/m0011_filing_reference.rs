//! Issue 9 item 16: a station filing carries a formal reference number (`备2026-0001`), given at its
//! first submission from the policy template `number.filing_reference_template` with the year's
//! gap-free serial (`serial_counters`, key `filing_reference:<year>`). Filings submitted before keep
//! no number. A database made before the template existed gets its first version here (a new one gets
//! it from m0001, which seeds every policy entry).

use super::index;
use domain::policy::keys;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_filing_reference"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("filings").add_column(string_null("reference")).to_owned()).await?;
        m.create_index(index("filings", &["reference"], true)).await?;
        let note = "备案申请编号的初始规则（议题 9 第 16 项）";
        super::seed_policy_defaults(m.get_connection(), &[keys::FILING_REFERENCE_TEMPLATE], note).await?;
        Ok(())
    }
}
