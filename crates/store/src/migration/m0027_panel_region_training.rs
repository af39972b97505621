//! E4 (issue 12): the panel's region and the candidates' trainers.
//!
//! - `exam_candidate_trainers`: the registry people who taught a candidate's training class (培训师, or
//!   an assessor teaching under their card), one row per candidate and person, written with the
//!   candidate (form, roster import) and deleted with them. E4 recuses an assessor who is the same
//!   person (by the ID number's blind index) as one of them; F3 subsidy claims read the same record.
//!
//! Also seeds `exam.panel_region` (organizer: a city-organized session's assessors from the organizer's
//! city) where a database predates its definition.

use super::{fk, index};
use domain::policy::keys;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0027_panel_region_training"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("exam_candidate_trainers")
                .col(big_pk_auto("id"))
                .col(big_integer("candidate_id"))
                .col(big_integer("person_id"))
                .foreign_key(&mut fk("exam_candidate_trainers", "candidate_id", "exam_candidates"))
                .foreign_key(&mut fk("exam_candidate_trainers", "person_id", "registry_people"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("exam_candidate_trainers", &["candidate_id", "person_id"], true)).await?;
        m.create_index(index("exam_candidate_trainers", &["person_id"], false)).await?;
        super::seed_policy_defaults(m.get_connection(), &[keys::PANEL_REGION], "考评员选派地区范围的初始规则（E4）")
            .await?;
        Ok(())
    }
}
