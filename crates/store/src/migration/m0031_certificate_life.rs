//! C1, C2: a certificate's life after issuing (issue 13, part 2).
//!
//! - `certificates.verify_token`: the unguessable token of its public verification page (the QR code
//!   on the printed and the electronic certificate leads to `/verify/{token}`); 32 random bytes as hex,
//!   unique. Certificates issued before this migration get theirs here.
//! - `certificates.report_id`: the report batch that sent it to the province (C1: "及时将证书数据上报省鉴
//!   定中心"); with `reported_at` set it answers the public query (C2).
//! - `certificates.revoked_by`: who revoked it (beside `revoked_at` and `revoke_reason` of m0029).
//! - `certificate_reports`: one row per batch a city center reports: its city, how many certificates,
//!   a note, who and when.
//! - `certificate_reissues`: one row per reissue (补发/换发: same number, a new blank): the certificate,
//!   the blank it was on and the blank it is now on, the reason, who and when. The old blank is voided
//!   with the reason in the same step.

use super::{fk, index, ts};
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0031_certificate_life"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("certificate_reports")
                .col(big_pk_auto("id"))
                .col(string("city"))
                .col(integer("count"))
                .col(text("note"))
                .col(string("reported_by"))
                .col(ts("reported_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("certificate_reports", &["city"], false)).await?;
        m.alter_table(Table::alter().table("certificates").add_column(string("verify_token").default("")).to_owned())
            .await?;
        m.alter_table(Table::alter().table("certificates").add_column(big_integer_null("report_id")).to_owned())
            .await?;
        m.alter_table(Table::alter().table("certificates").add_column(string_null("revoked_by")).to_owned()).await?;
        let db = m.get_connection();
        let ids = db.query_all(&Query::select().column("id").from("certificates").to_owned()).await?;
        for row in ids {
            let id: i64 = row.try_get("", "id")?;
            let update = Query::update()
                .table("certificates")
                .value("verify_token", crate::certificates::new_verify_token())
                .and_where(Expr::col("id").eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
        m.create_index(index("certificates", &["verify_token"], true)).await?;
        m.create_index(index("certificates", &["city", "reported_at"], false)).await?;
        m.create_table(
            Table::create()
                .table("certificate_reissues")
                .col(big_pk_auto("id"))
                .col(big_integer("certificate_id"))
                .col(big_integer_null("old_blank_id"))
                .col(big_integer("new_blank_id"))
                .col(text("reason"))
                .col(string("reissued_by"))
                .col(ts("reissued_at"))
                .foreign_key(&mut fk("certificate_reissues", "certificate_id", "certificates"))
                .foreign_key(&mut fk("certificate_reissues", "new_blank_id", "certificate_blanks"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("certificate_reissues", &["certificate_id"], false)).await?;
        Ok(())
    }
}
