//! E2 (issue 12): a paper release names the exam session it is for.
//!
//! - `paper_releases.session_id`: the exam session (`exam_sessions.id`) the papers are requested for;
//!   NULL for a release requested before exam sessions existed, which names its exam in words only.
//!   SQLite cannot add a foreign key to an existing table, so the store checks the session when the
//!   release is requested (a session is never deleted).

use super::index;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0025_release_sessions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("paper_releases").add_column(big_integer_null("session_id")).to_owned())
            .await?;
        m.create_index(index("paper_releases", &["session_id"], false)).await?;
        Ok(())
    }
}
