//! Issue 10: the filing lists count their rows by state (the province reads every filing but drafts):
//! without an index on `state` each count read every row of `filings`, application text and all; with
//! it the count reads the index alone.

use sea_orm::DbErr;
use sea_orm_migration::prelude::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_filing_state_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(super::index("filings", &["state"], false)).await
    }
}
