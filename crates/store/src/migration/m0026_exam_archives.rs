//! E7: the materials of an exam session kept in the archive (归档).
//!
//! - `exam_archives`: one row per archived material of a session — what it is (`title`), how it is kept
//!   (`ArchiveMedium`: paper in a storage place `location`, electronic as a stored file named by
//!   `file_ref`), the date it keeps until (`keep_until`, counted by `domain::exams::keep_until` from the
//!   first confirmation of the session's score register), who archived it and when, and — once disposed
//!   of on or after that date — who disposed of it, when and how (`disposal_note`). A row is never
//!   deleted: a disposal is recorded on it.
//!
//! Also seeds `archive.paper_retention_years` and `archive.electronic_retention_years` where a database
//! predates their definition.

use super::{fk, index, ts, ts_null};
use domain::policy::keys;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0026_exam_archives"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("exam_archives")
                .col(big_pk_auto("id"))
                .col(big_integer("session_id"))
                .col(string("title"))
                .col(string("medium"))
                .col(string("location"))
                .col(string("file_ref"))
                .col(date("keep_until"))
                .col(string("archived_by"))
                .col(ts("archived_at"))
                .col(ts_null("disposed_at"))
                .col(string_null("disposed_by"))
                .col(text("disposal_note"))
                .foreign_key(&mut fk("exam_archives", "session_id", "exam_sessions"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_archives", &["session_id"], false)).await?;
        m.create_index(index("exam_archives", &["keep_until"], false)).await?;
        super::seed_policy_defaults(
            m.get_connection(),
            &[keys::PAPER_RETENTION_YEARS, keys::ELECTRONIC_RETENTION_YEARS],
            "考核材料保存期限的初始规则（E7）",
        )
        .await?;
        Ok(())
    }
}
