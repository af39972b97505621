//! Issue 12 (part 2): admission tickets (准考证, E3).
//!
//! - `exam_candidates.ticket_number`: the ticket number, given to every candidate on the roster when the
//!   organizer approves the plan (policy template `number.admission_ticket_template`, gap-free serial
//!   `ticket:<city2>:<year>`), UNIQUE.
//! - `exam_candidates.ticket_token`: the ticket's verification token (128 random bits, base64url),
//!   UNIQUE; the QR code on the ticket leads to `/tickets/{token}`.
//! - `exam_candidates.photo_key`: the object key of the candidate's photo (JPG or PNG), if any.
//!
//! Also seeds the first versions of `number.admission_ticket_template` and `exam.candidate_photo_max_kb`.

use super::index;
use domain::policy::keys;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0024_admission_tickets"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["ticket_number", "ticket_token", "photo_key"] {
            m.alter_table(Table::alter().table("exam_candidates").add_column(string_null(column)).to_owned()).await?;
        }
        m.create_index(index("exam_candidates", &["ticket_number"], true)).await?;
        m.create_index(index("exam_candidates", &["ticket_token"], true)).await?;
        let note = "准考证号的初始规则（议题 12）";
        super::seed_policy_defaults(
            m.get_connection(),
            &[keys::ADMISSION_TICKET_TEMPLATE, keys::CANDIDATE_PHOTO_MAX_KB],
            note,
        )
        .await?;
        Ok(())
    }
}
