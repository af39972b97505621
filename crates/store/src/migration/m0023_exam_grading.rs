//! E5, E6: the scores of a session and its score register (成绩登分册), and the reports' tables.
//!
//! - `exam_registers`: one row per version of a session's register (version from 1; a correction of a
//!   confirmed register adds a version, the old one kept) — its `RegisterStatus`, when it was submitted
//!   and decided and by whom, the reason of the last return and, for a version made by a correction,
//!   its reason.
//! - `exam_scores`: a candidate's scores in one register version — theory and practical in tenths of
//!   a point (NULL: not scored), the total and the pass computed by `domain::exams::score` from the
//!   project's specification, the absent flag (缺考), who entered it and when.
//! - `exam_assessor_reports`, `exam_report_signatures`, `exam_supervision_reports`: the head's assessor
//!   report (考评情况报告) with each assessor's signature (person, account, time; one per person), and the
//!   supervisor's report (督导报告) with its incidents (JSON rows: time, description, action taken).

use super::{fk, index, ts, ts_null};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0023_exam_grading"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("exam_registers")
                .col(big_pk_auto("id"))
                .col(big_integer("session_id"))
                .col(integer("version"))
                .col(string("status"))
                .col(text("return_reason"))
                .col(text("correction_reason"))
                .col(ts_null("submitted_at"))
                .col(string_null("submitted_by"))
                .col(ts_null("decided_at"))
                .col(string_null("decided_by"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("exam_registers", "session_id", "exam_sessions"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_registers", &["session_id", "version"], true)).await?;

        m.create_table(
            Table::create()
                .table("exam_scores")
                .col(big_pk_auto("id"))
                .col(big_integer("register_id"))
                .col(big_integer("session_id"))
                .col(big_integer("candidate_id"))
                .col(integer_null("theory"))
                .col(integer_null("practical"))
                .col(integer("total"))
                .col(boolean("passed"))
                .col(boolean("absent"))
                .col(string("entered_by"))
                .col(ts("entered_at"))
                .foreign_key(&mut fk("exam_scores", "register_id", "exam_registers"))
                .foreign_key(&mut fk("exam_scores", "session_id", "exam_sessions"))
                .foreign_key(&mut fk("exam_scores", "candidate_id", "exam_candidates"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_scores", &["register_id", "candidate_id"], true)).await?;
        m.create_index(index("exam_scores", &["candidate_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("exam_assessor_reports")
                .col(big_pk_auto("id"))
                .col(big_integer("session_id"))
                .col(big_integer("filed_by_person_id"))
                .col(string("filed_by"))
                .col(text("summary"))
                .col(ts("filed_at"))
                .foreign_key(&mut fk("exam_assessor_reports", "session_id", "exam_sessions"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_assessor_reports", &["session_id"], true)).await?;
        m.create_table(
            Table::create()
                .table("exam_report_signatures")
                .col(big_pk_auto("id"))
                .col(big_integer("report_id"))
                .col(big_integer("person_id"))
                .col(big_integer("user_id"))
                .col(ts("signed_at"))
                .foreign_key(&mut fk("exam_report_signatures", "report_id", "exam_assessor_reports"))
                .foreign_key(&mut fk("exam_report_signatures", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_report_signatures", &["report_id", "person_id"], true)).await?;
        m.create_table(
            Table::create()
                .table("exam_supervision_reports")
                .col(big_pk_auto("id"))
                .col(big_integer("session_id"))
                .col(big_integer("filed_by_person_id"))
                .col(string("filed_by"))
                .col(text("summary"))
                .col(text("incidents"))
                .col(ts("filed_at"))
                .foreign_key(&mut fk("exam_supervision_reports", "session_id", "exam_sessions"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_supervision_reports", &["session_id"], true)).await?;
        Ok(())
    }
}
