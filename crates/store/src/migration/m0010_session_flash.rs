//! Issue 9 item 4: a one-time message of a web session (`sessions.flash`), set by the step that
//! succeeded or the upload that was refused and cleared by the next staff page that shows it. Never
//! taken from the address bar.

use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_session_flash"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("sessions").add_column(text_null("flash")).to_owned()).await
    }
}
