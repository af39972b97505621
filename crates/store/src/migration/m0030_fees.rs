//! F1: the fees of exam candidates and the city centers' ledgers (收支两条线).
//!
//! - `exam_fees`: one row per exam candidate whose fee was recorded (a candidate without a row is due):
//!   the city center whose ledger holds it (`city`, the station's city), the status (`FeeStatus`), the
//!   amount received in fen (the standard of `fee.assessment_fee` on the exam's first day, whose
//!   version is `policy_version_id`; 0 for a waiver), the payment's date, receipt number (票据号, once
//!   per city) and who recorded it, the waiver's or refund's date, reason and who recorded it.
//! - `fee_remittances`: a city center's remittance to the treasury (上缴财政): date, amount in fen,
//!   voucher number (once per city), note, who recorded it.
//! - `fee_ledgers`: one row per city center whose ledger has moved, claimed by every step that changes
//!   the ledger, so a remittance is checked against a balance no other step is changing.
//!
//! Also seeds `fee.assessment_fee` where a database predates its definition.

use super::{fk, index, ts, ts_null};
use domain::policy::keys;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0030_fees"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("exam_fees")
                .col(big_pk_auto("id"))
                .col(big_integer("candidate_id"))
                .col(big_integer("session_id"))
                .col(string("city"))
                .col(string("status"))
                .col(big_integer("amount_fen"))
                .col(big_integer_null("policy_version_id"))
                .col(date_null("paid_on"))
                .col(string_null("receipt_number"))
                .col(string_null("paid_by"))
                .col(ts_null("paid_at"))
                .col(date_null("waived_on"))
                .col(date_null("refunded_on"))
                .col(text("reason"))
                .col(string_null("decided_by"))
                .col(ts_null("decided_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("exam_fees", "candidate_id", "exam_candidates"))
                .foreign_key(&mut fk("exam_fees", "session_id", "exam_sessions"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_fees", &["candidate_id"], true)).await?;
        m.create_index(index("exam_fees", &["city", "receipt_number"], true)).await?;
        m.create_index(index("exam_fees", &["session_id"], false)).await?;
        m.create_index(index("exam_fees", &["city", "paid_on"], false)).await?;
        m.create_index(index("exam_fees", &["city", "refunded_on"], false)).await?;
        m.create_table(
            Table::create()
                .table("fee_remittances")
                .col(big_pk_auto("id"))
                .col(string("city"))
                .col(date("remitted_on"))
                .col(big_integer("amount_fen"))
                .col(string("voucher_number"))
                .col(text("note"))
                .col(string("recorded_by"))
                .col(ts("recorded_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("fee_remittances", &["city", "voucher_number"], true)).await?;
        m.create_index(index("fee_remittances", &["city", "remitted_on"], false)).await?;
        m.create_table(
            Table::create().table("fee_ledgers").col(string("city").primary_key()).col(ts("updated_at")).to_owned(),
        )
        .await?;
        super::seed_policy_defaults(m.get_connection(), &[keys::ASSESSMENT_FEE], "考核收费标准的初始规则（F1）")
            .await?;
        Ok(())
    }
}
