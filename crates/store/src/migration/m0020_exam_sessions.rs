//! E1, E3: exam sessions and their candidates.
//!
//! - `exam_sessions`: a station's session of a catalog project — the organizer decided by E1
//!   (`organizer_city` NULL: the province center; otherwise the city center's code), the first and last
//!   day, venue, expected candidates, `computer_based`, the plan text, the state (a `SessionState` id),
//!   when it was submitted and decided, and the reasons of the last return or the cancellation. The
//!   station's city is kept beside it for the city center's scope.
//! - `exam_candidates`: one candidate of a session — name, ID number encrypted with its blind index
//!   (unique per session) and a masked copy, phone, employer, subsidy category, training, how the
//!   candidate came (`source`) and where the candidate stands (`state`, for self-service later).

use super::{fk, index, ts, ts_null};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0020_exam_sessions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("exam_sessions")
                .col(big_pk_auto("id"))
                .col(big_integer("station_org_id"))
                .col(string_null("station_city"))
                .col(big_integer("project_id"))
                .col(string_null("organizer_city"))
                .col(date("first_day"))
                .col(date("last_day"))
                .col(string("venue"))
                .col(integer("expected_candidates"))
                .col(boolean("computer_based"))
                .col(text("plan"))
                .col(string("state"))
                .col(text("decision_reason"))
                .col(ts_null("submitted_at"))
                .col(ts_null("decided_at"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("exam_sessions", "station_org_id", "orgs"))
                .foreign_key(&mut fk("exam_sessions", "project_id", "projects"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_sessions", &["state"], false)).await?;
        m.create_index(index("exam_sessions", &["station_org_id"], false)).await?;
        m.create_index(index("exam_sessions", &["station_city"], false)).await?;

        m.create_table(
            Table::create()
                .table("exam_candidates")
                .col(big_pk_auto("id"))
                .col(big_integer("session_id"))
                .col(string("name"))
                .col(string("id_number_enc"))
                .col(string("id_number_idx"))
                .col(string("id_number_masked"))
                .col(string("phone"))
                .col(string("employer"))
                .col(string("subsidy_category"))
                .col(string("training"))
                .col(string("source"))
                .col(string("state"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("exam_candidates", "session_id", "exam_sessions"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_candidates", &["session_id", "id_number_idx"], true)).await?;
        Ok(())
    }
}
