//! E8–E10: the registries of assessors, supervisors and trainers.
//!
//! - `registry_employers`: every employer named in the registries once, by its normalised name
//!   (`domain::text::normalise_name`), with its organisation when it is one in kaohe; the panel's
//!   employer ids are this table's (`domain::registry`).
//! - `registry_people`: a registered person of a kind — ID number encrypted with a blind index (one
//!   person per kind and ID number), card number (one per kind) and validity, city, current employer,
//!   status with the reason of its last change, and the linked own account (one account, one person).
//! - `registry_projects`: the catalog projects an assessor is qualified for (codes, in order).
//! - `registry_employments`: former employers with the last day employed there.
//! - `registry_relatives`: declared relatives — the blind index of their ID number (never the number),
//!   its masked form, name and relation; once per person and relative.
//!
//! - `training_courses`: the province's courses (kind, title, dates, place, the catalog projects of an
//!   assessor course as codes joined by 、).
//! - `training_enrolments`: a course's trainees with the registry's facts (ID number sealed as above,
//!   once per course), attendance, result, and the person and card a pass issued.
//!
//! Also seeds the first version of the new policy keys (card templates, card validity).

use super::{fk, index, ts};
use domain::policy::keys;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_registry"
    }
}

const NEW_KEYS: &[&str] = &[
    keys::ASSESSOR_CARD_TEMPLATE,
    keys::SUPERVISOR_CARD_TEMPLATE,
    keys::TRAINER_CERTIFICATE_TEMPLATE,
    keys::CARD_VALIDITY_YEARS,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("registry_employers")
                .col(big_pk_auto("id"))
                .col(string("name"))
                .col(big_integer_null("org_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("registry_employers", "org_id", "orgs"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("registry_employers", &["name"], true)).await?;
        m.create_index(index("registry_employers", &["org_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("registry_people")
                .col(big_pk_auto("id"))
                .col(string("kind"))
                .col(string("name"))
                .col(text("id_number_enc"))
                .col(string("id_number_idx"))
                .col(string("id_number_masked"))
                .col(string("phone"))
                .col(string("city_code"))
                .col(big_integer_null("employer_id"))
                .col(string("card_number"))
                .col(date("card_valid_until"))
                .col(string("status"))
                .col(string("status_reason").default(""))
                .col(big_integer_null("user_id"))
                .col(string("note").default(""))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("registry_people", "employer_id", "registry_employers"))
                .foreign_key(&mut fk("registry_people", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("registry_people", &["kind", "id_number_idx"], true)).await?;
        m.create_index(index("registry_people", &["kind", "card_number"], true)).await?;
        m.create_index(index("registry_people", &["user_id"], true)).await?;
        m.create_index(index("registry_people", &["city_code"], false)).await?;

        m.create_table(
            Table::create()
                .table("registry_projects")
                .col(big_pk_auto("id"))
                .col(big_integer("person_id"))
                .col(integer("position"))
                .col(string("name"))
                .foreign_key(&mut fk("registry_projects", "person_id", "registry_people"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("registry_projects", &["person_id", "position"], true)).await?;
        m.create_index(index("registry_projects", &["name"], false)).await?;

        m.create_table(
            Table::create()
                .table("registry_employments")
                .col(big_pk_auto("id"))
                .col(big_integer("person_id"))
                .col(big_integer("employer_id"))
                .col(date("until"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("registry_employments", "person_id", "registry_people"))
                .foreign_key(&mut fk("registry_employments", "employer_id", "registry_employers"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("registry_employments", &["person_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("registry_relatives")
                .col(big_pk_auto("id"))
                .col(big_integer("person_id"))
                .col(string("relative_idx"))
                .col(string("relative_masked"))
                .col(string("relative_name"))
                .col(string("relation"))
                .col(boolean("self_declared"))
                .col(ts("declared_at"))
                .foreign_key(&mut fk("registry_relatives", "person_id", "registry_people"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("registry_relatives", &["person_id", "relative_idx"], true)).await?;

        m.create_table(
            Table::create()
                .table("training_courses")
                .col(big_pk_auto("id"))
                .col(string("kind"))
                .col(string("title"))
                .col(date("start_date"))
                .col(date("end_date"))
                .col(string("location"))
                .col(string("projects"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("training_enrolments")
                .col(big_pk_auto("id"))
                .col(big_integer("course_id"))
                .col(string("name"))
                .col(text("id_number_enc"))
                .col(string("id_number_idx"))
                .col(string("id_number_masked"))
                .col(string("phone"))
                .col(string("city_code"))
                .col(string("employer_name"))
                .col(big_integer_null("employer_org_id"))
                .col(boolean("attended"))
                .col(string("result"))
                .col(big_integer_null("person_id"))
                .col(string_null("card_number"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("training_enrolments", "course_id", "training_courses"))
                .foreign_key(&mut fk("training_enrolments", "employer_org_id", "orgs"))
                .foreign_key(&mut fk("training_enrolments", "person_id", "registry_people"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("training_enrolments", &["course_id", "id_number_idx"], true)).await?;

        super::seed_policy_defaults(
            m.get_connection(),
            NEW_KEYS,
            "考评员证、督导员资格证、培训师证书编号规则与有效期的初始值（待确认）",
        )
        .await?;
        Ok(())
    }
}
