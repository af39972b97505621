//! E7: an electronic material in the archive carries its uploaded file (REQUIREMENTS E7: "electronic
//! (stored file)").
//!
//! - `exam_archives.file_key`: the object key of the stored file (`object_store`, `store::files`), NULL
//!   for paper and for electronic rows kept before this migration (they name their file in `file_ref`).
//! - `exam_archives.file_type`, `file_size`, `file_digest`: the type sniffed from the file's first
//!   bytes, its size in bytes and its tagged digest (`sm3:…` or `sha256:…`, as attachments carry).
//!   Name, type, size and digest stay after a disposal deletes the object, so what was destroyed
//!   remains provable.
//!
//! Also seeds the first version of `archive.electronic_file_max_kb`.

use domain::policy::keys;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0028_archive_files"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite: one ALTER per statement.
        for column in ["file_key", "file_type", "file_digest"] {
            m.alter_table(Table::alter().table("exam_archives").add_column(string_null(column)).to_owned()).await?;
        }
        m.alter_table(Table::alter().table("exam_archives").add_column(big_integer_null("file_size")).to_owned())
            .await?;
        super::seed_policy_defaults(
            m.get_connection(),
            &[keys::ARCHIVE_FILE_MAX_KB],
            "电子归档文件大小上限的初始规则（E7）",
        )
        .await?;
        Ok(())
    }
}
