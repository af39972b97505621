//! C1: blank certificate stock and issued certificates (issue 13, part 1).
//!
//! - `certificate_batches`: one row per print batch a city center records — its city (GB/T 2260), the
//!   print-serial range (letter prefix, first number, digit count, count; the first and last serial as
//!   text), the day received, who recorded it and when.
//! - `certificate_blanks`: one row per blank of a batch (serial unique per city), its `BlankStatus`
//!   (unused, used, voided), when it was used and for which certificate, and — once voided — the
//!   reason, who and when. A blank row is never deleted.
//! - `certificates`: one row per issued certificate — its number (unique), the city, year and serial it
//!   was numbered with (unique together: the gap-free sequence), the session, roster candidate and
//!   catalog project, the holder's name and ID number (encrypted, blind index, masked copy), the blank
//!   it was printed on, its `CertificateStatus`, and the columns its later life fills (`reported_at`,
//!   `reissues`, `revoked_at`, `revoke_reason`). One certificate per person (ID-number blind index) per
//!   project: a unique index.
//!
//! Also seeds `number.certificate_number_template` where a database predates its definition.

use super::{fk, index, ts, ts_null};
use domain::policy::keys;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0029_certificates"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("certificate_batches")
                .col(big_pk_auto("id"))
                .col(string("city"))
                .col(string("prefix"))
                .col(big_integer("first_no"))
                .col(integer("digits"))
                .col(integer("count"))
                .col(string("first_serial"))
                .col(string("last_serial"))
                .col(date("received_on"))
                .col(string("recorded_by"))
                .col(ts("recorded_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("certificate_batches", &["city"], false)).await?;
        m.create_table(
            Table::create()
                .table("certificate_blanks")
                .col(big_pk_auto("id"))
                .col(big_integer("batch_id"))
                .col(string("city"))
                .col(string("serial"))
                .col(string("status"))
                .col(ts_null("used_at"))
                .col(big_integer_null("certificate_id"))
                .col(text("void_reason"))
                .col(string_null("voided_by"))
                .col(ts_null("voided_at"))
                .foreign_key(&mut fk("certificate_blanks", "batch_id", "certificate_batches"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("certificate_blanks", &["city", "serial"], true)).await?;
        m.create_index(index("certificate_blanks", &["city", "status", "serial"], false)).await?;
        m.create_index(index("certificate_blanks", &["batch_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("certificates")
                .col(big_pk_auto("id"))
                .col(string("number"))
                .col(string("city"))
                .col(integer("year"))
                .col(big_integer("serial"))
                .col(big_integer("session_id"))
                .col(big_integer("candidate_id"))
                .col(big_integer("project_id"))
                .col(string("holder_name"))
                .col(string("id_number_enc"))
                .col(string("id_number_idx"))
                .col(string("id_number_masked"))
                .col(big_integer_null("blank_id"))
                .col(string("status"))
                .col(integer("reissues"))
                .col(ts_null("reported_at"))
                .col(ts_null("revoked_at"))
                .col(text("revoke_reason"))
                .col(string("issued_by"))
                .col(ts("issued_at"))
                .foreign_key(&mut fk("certificates", "session_id", "exam_sessions"))
                .foreign_key(&mut fk("certificates", "candidate_id", "exam_candidates"))
                .foreign_key(&mut fk("certificates", "project_id", "projects"))
                .foreign_key(&mut fk("certificates", "blank_id", "certificate_blanks"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("certificates", &["number"], true)).await?;
        m.create_index(index("certificates", &["city", "year", "serial"], true)).await?;
        m.create_index(index("certificates", &["project_id", "id_number_idx"], true)).await?;
        m.create_index(index("certificates", &["session_id"], false)).await?;
        super::seed_policy_defaults(
            m.get_connection(),
            &[keys::CERTIFICATE_NUMBER_TEMPLATE],
            "证书编号规则的初始版本（C1）",
        )
        .await?;
        Ok(())
    }
}
