//! Issue 12 (part 1): candidate self-service.
//!
//! - `users.candidate_idx`: the blind index of the ID number of a self-registered `candidate` account,
//!   UNIQUE — one candidate account per ID number, decided by the database under a race (NULL for every
//!   other account).
//! - `exam_sessions.applications_open`: the station has opened the session to applications (开放网上报名).
//! - `exam_applications`: a candidate's application to a session (one row per person and session, reopened
//!   when they apply again after a withdrawal or a decline): its `ApplicationStatus`, the decline's
//!   reason, the roster row made by the confirmation, who decided and when.

use super::{fk, index, ts, ts_null};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0021_candidate_portal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("users").add_column(string_null("candidate_idx")).to_owned()).await?;
        m.create_index(index("users", &["candidate_idx"], true)).await?;
        m.alter_table(
            Table::alter().table("exam_sessions").add_column(boolean("applications_open").default(false)).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("exam_applications")
                .col(big_pk_auto("id"))
                .col(big_integer("session_id"))
                .col(big_integer("user_id"))
                .col(string("status"))
                .col(text("reason"))
                .col(big_integer_null("candidate_id"))
                .col(string_null("decided_by"))
                .col(ts_null("decided_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("exam_applications", "session_id", "exam_sessions"))
                .foreign_key(&mut fk("exam_applications", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_applications", &["session_id", "user_id"], true)).await?;
        m.create_index(index("exam_applications", &["user_id"], false)).await?;
        Ok(())
    }
}
