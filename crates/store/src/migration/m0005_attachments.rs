//! Attachments of records (S2: the four kinds of filing materials), kept in the object store.

use super::{index, ts};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_attachments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("attachments")
                .col(big_pk_auto("id"))
                .col(string("subject_kind"))
                .col(string("subject_id"))
                .col(string("kind"))
                .col(string("filename"))
                .col(string("content_type"))
                .col(big_integer("size"))
                .col(string("digest"))
                .col(string("storage_key"))
                .col(string("uploaded_by"))
                .col(ts("uploaded_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("attachments", &["subject_kind", "subject_id"], false)).await?;
        Ok(())
    }
}
