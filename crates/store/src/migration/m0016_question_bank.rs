//! Issue 11 (P2, P6, E2): the confidential question bank and its papers.
//!
//! - `qbank_items`: one row per item of a project: the organisation that wrote it, its newest version
//!   (`current_version`) and the version in the provincial bank (`bank_version`, NULL until one is
//!   approved; an approved version stays there until its successor is approved).
//! - `qbank_item_versions`: every version of every item (unique per item and version): the metadata in
//!   clear (kind, work task, difficulty, points, status) so lists and assembly need no decryption, and
//!   the content (`domain::question_bank::ItemContent::canonical_json`) encrypted with the deployment's
//!   cipher (`content_enc`, AAD `qbank_item`), as experts' ID numbers are; the return reason, author,
//!   reviewer and times.
//! - `qbank_blueprints`: one blueprint per project (the `Blueprint::to_input` JSON), who saved it when.
//! - `qbank_papers`: assembled papers: label A/B, the paper A a parallel paper B goes with, the
//!   `PaperRecord` JSON (format `kaohe-paper-v1`), the seed encrypted (AAD `paper_seed`) and whether it
//!   is revealed.

use super::{fk, index, ts, ts_null};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_question_bank"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("qbank_items")
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("author_org_id"))
                .col(integer("current_version"))
                .col(integer_null("bank_version"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("qbank_items", "project_id", "projects"))
                .foreign_key(&mut fk("qbank_items", "author_org_id", "orgs"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("qbank_items", &["project_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("qbank_item_versions")
                .col(big_pk_auto("id"))
                .col(big_integer("item_id"))
                .col(integer("version"))
                .col(string("kind"))
                .col(integer("task"))
                .col(string("difficulty"))
                .col(integer("points"))
                .col(text("content_enc"))
                .col(string("status"))
                .col(text_null("return_reason"))
                .col(string("author"))
                .col(string_null("reviewer"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .col(ts_null("reviewed_at"))
                .foreign_key(&mut fk("qbank_item_versions", "item_id", "qbank_items"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("qbank_item_versions", &["item_id", "version"], true)).await?;
        m.create_index(index("qbank_item_versions", &["status"], false)).await?;

        m.create_table(
            Table::create()
                .table("qbank_blueprints")
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(text("blueprint"))
                .col(string("saved_by"))
                .col(ts("saved_at"))
                .foreign_key(&mut fk("qbank_blueprints", "project_id", "projects"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("qbank_blueprints", &["project_id"], true)).await?;

        m.create_table(
            Table::create()
                .table("qbank_papers")
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(string("label"))
                .col(big_integer_null("parallel_of"))
                .col(text("record"))
                .col(text("seed_enc"))
                .col(boolean("revealed"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("qbank_papers", "project_id", "projects"))
                .foreign_key(&mut fk("qbank_papers", "parallel_of", "qbank_papers"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("qbank_papers", &["project_id"], false)).await?;
        Ok(())
    }
}
