//! Issue 8 item 2: a session records whether its second factor was completed, so a request whose user
//! holds an `*_admin` role is refused unless it was, whatever else the session says. Existing sessions
//! do not know: they count as not completed (an administrator signs in again).

use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_second_factor_done"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table("sessions").add_column(boolean("second_factor_done").default(false)).to_owned(),
        )
        .await
    }
}
