//! F3: the certificate subsidy (取证补贴), claimed by a city center in batches.
//!
//! - `subsidy_batches`: one row per batch a city center builds: its city, the period of the
//!   certificates' issue dates (`period` as typed, e.g. `2026-Q4`, and its first and last day), the
//!   status (`BatchStatus`), how many claims and the amount in fen of those not rejected, who built it
//!   and when, who approved it and when, the payment's date and voucher number, who recorded it and when.
//! - `subsidy_claims`: one row per claim: the batch, the city, the certificate (its number), the roster
//!   candidate, the session, the project, the holder's name and ID number copied from the certificate
//!   (ciphertext, blind index, masked), the subsidy category, the amount in fen of
//!   `subsidy.certificate_subsidy` in force on the certificate's issue date and that version's id, the
//!   status (`ClaimStatus`), a rejection's reason, who decided and when. `active_key` is the claim key
//!   (`domain::certificates::claim_key`: the person's blind index and the project) while the claim
//!   stands and NULL once it is rejected: its unique index makes one person and project claimed once
//!   on both databases, whatever builds at the same time, while a rejected claim does not block a later
//!   one (as `ineligibility`'s `already_claimed` says).
//! - `subsidy_cities`: one row per city center that has built a batch, claimed by every build of the
//!   city, so two builds of one city follow each other.
//!
//! Also seeds `subsidy.eligible_categories` where a database predates its definition.

use super::{fk, index, ts, ts_null};
use domain::policy::keys;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0032_subsidies"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("subsidy_batches")
                .col(big_pk_auto("id"))
                .col(string("city"))
                .col(string("period"))
                .col(date("first_day"))
                .col(date("last_day"))
                .col(string("status"))
                .col(integer("claim_count"))
                .col(big_integer("amount_fen"))
                .col(string("built_by"))
                .col(ts("built_at"))
                .col(string_null("approved_by"))
                .col(ts_null("approved_at"))
                .col(date_null("paid_on"))
                .col(string_null("voucher_number"))
                .col(string_null("paid_by"))
                .col(ts_null("paid_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("subsidy_batches", &["city", "built_at"], false)).await?;
        m.create_table(
            Table::create()
                .table("subsidy_claims")
                .col(big_pk_auto("id"))
                .col(big_integer("batch_id"))
                .col(string("city"))
                .col(big_integer("certificate_id"))
                .col(string("certificate_number"))
                .col(big_integer("candidate_id"))
                .col(big_integer("session_id"))
                .col(big_integer("project_id"))
                .col(string("holder_name"))
                .col(string("id_number_enc"))
                .col(string("id_number_idx"))
                .col(string("id_number_masked"))
                .col(string("category"))
                .col(big_integer("amount_fen"))
                .col(big_integer("policy_version_id"))
                .col(string("status"))
                .col(string_null("active_key"))
                .col(text("reason"))
                .col(string_null("decided_by"))
                .col(ts_null("decided_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("subsidy_claims", "batch_id", "subsidy_batches"))
                .foreign_key(&mut fk("subsidy_claims", "certificate_id", "certificates"))
                .foreign_key(&mut fk("subsidy_claims", "candidate_id", "exam_candidates"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("subsidy_claims", &["active_key"], true)).await?;
        m.create_index(index("subsidy_claims", &["batch_id"], false)).await?;
        m.create_index(index("subsidy_claims", &["certificate_id"], false)).await?;
        m.create_index(index("subsidy_claims", &["id_number_idx", "project_id"], false)).await?;
        m.create_table(
            Table::create().table("subsidy_cities").col(string("city").primary_key()).col(ts("updated_at")).to_owned(),
        )
        .await?;
        super::seed_policy_defaults(
            m.get_connection(),
            &[keys::SUBSIDY_CATEGORIES],
            "享受取证补贴的人员类别的初始规则（F3）",
        )
        .await?;
        Ok(())
    }
}
