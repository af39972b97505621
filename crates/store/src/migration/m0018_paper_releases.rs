//! E2: papers released to an exam and their custody ledger.
//!
//! - `paper_releases`: a center's request to use papers of a catalog project for an exam (the exam in
//!   words until exam sessions exist, its date, the copies asked for), the paper the province allocated
//!   and the copies it approved, the ledger's last step (`state`, a `CustodyStep` id).
//! - `paper_custody_steps`: every step as recorded — who was responsible, how many copies, to whom
//!   (handed over), the two witnesses (opened), the copies used (returned or destroyed), who recorded it
//!   and when. Rows are only ever added.

use super::{fk, index, ts};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0018_paper_releases"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("paper_releases")
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("org_id"))
                .col(string_null("city"))
                .col(string("exam"))
                .col(date("exam_date"))
                .col(integer("copies_requested"))
                .col(big_integer_null("paper_id"))
                .col(integer_null("copies_approved"))
                .col(string("state"))
                .col(string("requested_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("paper_releases", "project_id", "projects"))
                .foreign_key(&mut fk("paper_releases", "org_id", "orgs"))
                .foreign_key(&mut fk("paper_releases", "paper_id", "qbank_papers"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("paper_releases", &["state"], false)).await?;
        m.create_index(index("paper_releases", &["city"], false)).await?;

        m.create_table(
            Table::create()
                .table("paper_custody_steps")
                .col(big_pk_auto("id"))
                .col(big_integer("release_id"))
                .col(string("step"))
                .col(string("responsible"))
                .col(integer("copies"))
                .col(string("recipient"))
                .col(text("witnesses"))
                .col(integer("used"))
                .col(string("recorded_by"))
                .col(ts("recorded_at"))
                .foreign_key(&mut fk("paper_custody_steps", "release_id", "paper_releases"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("paper_custody_steps", &["release_id"], false)).await?;
        Ok(())
    }
}
