//! Issue 11 (P1, P3, P4, P7, P8, F2): assessment projects.
//!
//! - `projects`: one row per project, developed (P3) or adopted (P1). `devunit_org_id` is the
//!   development unit (NULL for an adopted project: the province records it); `receiver` and
//!   `receiving_region` are the route of a developed project (S2's rule: the city center of the unit's
//!   city, or the province; NULL region for the province); `specification` is the
//!   `domain::projects::SpecificationInput` JSON as saved (half-filled while draft or returned);
//!   `provenance` the adoption's `Provenance` JSON; `code` the project code given on establishment or
//!   approval (unique); `draw_id` the P4 review group's draw; `group_conclusion` the group's majority;
//!   `decision_reason` the reason of the last return, rejection or stop.
//! - `project_fields`: the specification's professional fields as rows (searched exactly, matched to
//!   experts' specialties for the P4 draw), as m0007's lists.
//! - `project_opinions`: one review opinion per member (P4), unique per project and expert.
//! - `project_materials`: training materials and exam guides (P7), with their file when attached.
//! - `project_files`: the files kept with a project (`domain::projects::ProjectFileKind`: the feasibility
//!   report, an adoption's evidence, a material's file), stored through `Store::files` as attachments
//!   are. A table of their own rather than `attachments`, whose `kind` is the station filing's material
//!   kind: the filing's rows and reads stay as they are.
//!
//! A database made before gets the first version of `project.pilot_reminder_days`,
//! `qbank.parallel_overlap_max_percent` (E2, the question bank of the same issue) and
//! `number.project_code_template` (a new one has them from m0001, which seeds every policy entry; the
//! seeding skips a key that has a version, so running it twice changes nothing), and the `projects`
//! generation row (the staff lists' cache generation, issue 10).

use super::{fk, index, ts, ts_null};
use domain::audit::Generation;
use domain::policy::keys;
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_projects"
    }
}

/// The policy keys this migration introduces.
const NEW_KEYS: &[&str] = &[keys::PILOT_REMINDER_DAYS, keys::PROJECT_CODE_TEMPLATE, keys::PARALLEL_OVERLAP_MAX_PERCENT];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("projects")
                .col(big_pk_auto("id"))
                .col(string("origin"))
                .col(string("state"))
                .col(string("name"))
                .col(big_integer_null("devunit_org_id"))
                .col(string("receiver"))
                .col(string_null("receiving_region"))
                .col(string_null("code"))
                .col(text("specification"))
                .col(text_null("provenance"))
                .col(text_null("evidence"))
                .col(date_null("publication_date"))
                .col(big_integer_null("draw_id"))
                .col(string_null("group_conclusion"))
                .col(text_null("decision_reason"))
                .col(ts_null("submitted_at"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("projects", "devunit_org_id", "orgs"))
                .foreign_key(&mut fk("projects", "draw_id", "draws"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("projects", &["code"], true)).await?;
        m.create_index(index("projects", &["state"], false)).await?;
        m.create_index(index("projects", &["devunit_org_id"], false)).await?;
        m.create_index(index("projects", &["receiving_region", "state"], false)).await?;

        m.create_table(
            Table::create()
                .table("project_fields")
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(integer("position"))
                .col(string("name"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_project_fields_project_id")
                        .from("project_fields", "project_id")
                        .to("projects", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_fields", &["project_id", "name"], true)).await?;
        m.create_index(index("project_fields", &["name"], false)).await?;

        m.create_table(
            Table::create()
                .table("project_opinions")
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("expert_id"))
                .col(string("conclusion"))
                .col(text("comments"))
                .col(string("recorded_by"))
                .col(ts("recorded_at"))
                .foreign_key(&mut fk("project_opinions", "project_id", "projects"))
                .foreign_key(&mut fk("project_opinions", "expert_id", "experts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_opinions", &["project_id", "expert_id"], true)).await?;

        m.create_table(
            Table::create()
                .table("project_files")
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(string("kind"))
                .col(string("filename"))
                .col(string("content_type"))
                .col(big_integer("size"))
                .col(string("digest"))
                .col(string("storage_key"))
                .col(string("uploaded_by"))
                .col(ts("uploaded_at"))
                .foreign_key(&mut fk("project_files", "project_id", "projects"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_files", &["project_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("project_materials")
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(string("kind"))
                .col(string("title"))
                .col(string("publisher"))
                .col(integer("year"))
                .col(big_integer_null("file_id"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("project_materials", "project_id", "projects"))
                .foreign_key(&mut fk("project_materials", "file_id", "project_files"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("project_materials", &["project_id"], false)).await?;

        let note = "考核项目试点期满提醒天数、考核项目代码规则的初始值（议题 11）";
        super::seed_policy_defaults(m.get_connection(), NEW_KEYS, note).await?;

        // The staff lists' generation (issue 10), where a start has not made it yet.
        let stmt = Query::insert()
            .into_table("generations")
            .columns(["name", "value", "changed_at"])
            .values_panic([Generation::Projects.id().into(), 1i64.into(), crate::now().into()])
            .on_conflict(OnConflict::column("name").do_nothing().to_owned())
            .to_owned();
        m.get_connection().execute(&stmt).await?;
        Ok(())
    }
}
