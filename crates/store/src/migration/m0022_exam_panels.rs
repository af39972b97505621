//! E4: the exam panel (考评组) of a session.
//!
//! - `exam_panel_members`: one row per person on a session's panel with their `PanelRole` (`head`,
//!   `assessor`, `supervisor`), who appointed them and when; a person sits once per session.
//! - `exam_panels`: the panel as a whole, one per session: when and by whom it was appointed, and the
//!   provable draw (`draws` row) its proposal came from, if any, with the cities drawn from.

use super::{fk, index, ts};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0022_exam_panels"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("exam_panels")
                .col(big_pk_auto("id"))
                .col(big_integer("session_id"))
                .col(big_integer_null("draw_id"))
                .col(text("cities"))
                .col(string("appointed_by"))
                .col(ts("appointed_at"))
                .foreign_key(&mut fk("exam_panels", "session_id", "exam_sessions"))
                .foreign_key(&mut fk("exam_panels", "draw_id", "draws"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_panels", &["session_id"], true)).await?;
        m.create_table(
            Table::create()
                .table("exam_panel_members")
                .col(big_pk_auto("id"))
                .col(big_integer("session_id"))
                .col(big_integer("person_id"))
                .col(string("role"))
                .col(string("appointed_by"))
                .col(ts("appointed_at"))
                .foreign_key(&mut fk("exam_panel_members", "session_id", "exam_sessions"))
                .foreign_key(&mut fk("exam_panel_members", "person_id", "registry_people"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_panel_members", &["session_id", "person_id"], true)).await?;
        m.create_index(index("exam_panel_members", &["person_id"], false)).await?;
        Ok(())
    }
}
