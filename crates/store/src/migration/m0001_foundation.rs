//! The foundation (R1, R2, V1, S3): organisations, users and roles, sign-in throttle, sessions, the
//! audit log and its head, policy versions, the calendar, workflow events — and their seeds.

use super::{fk, index, ts, ts_null};
use domain::calendar::Calendar;
use domain::org::{OrgKind, OrgStatus};
use domain::policy;
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("orgs")
                .col(big_pk_auto("id"))
                .col(string("name"))
                .col(string("kind"))
                .col(string_null("nature"))
                .col(string_null("credit_code"))
                .col(boolean("credit_code_warning").default(false))
                .col(string("region_code"))
                .col(string_null("city_code"))
                .col(string("address").default(""))
                .col(string("contact_name").default(""))
                .col(string("contact_phone").default(""))
                .col(string("status").default("active"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("orgs", &["name"], true)).await?;
        m.create_index(index("orgs", &["credit_code"], true)).await?;
        m.create_index(index("orgs", &["city_code"], false)).await?;

        m.create_table(
            Table::create()
                .table("users")
                .col(big_pk_auto("id"))
                .col(string("username"))
                .col(string("display_name"))
                .col(big_integer("org_id"))
                .col(string("scope_kind"))
                .col(string_null("scope_city"))
                .col(string("password_hash"))
                .col(boolean("must_change_password").default(true))
                .col(string("status").default("active"))
                .col(text_null("totp_secret_enc"))
                .col(boolean("totp_enabled").default(false))
                .col(big_integer_null("totp_last_step"))
                .col(string("phone").default(""))
                .col(text_null("id_number_enc"))
                .col(string_null("id_number_idx"))
                .col(string_null("id_number_masked"))
                .col(ts_null("last_login_at"))
                .col(ts("password_changed_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("users", "org_id", "orgs"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("users", &["username"], true)).await?;
        m.create_index(index("users", &["org_id"], false)).await?;
        m.create_index(index("users", &["id_number_idx"], false)).await?;

        m.create_table(
            Table::create()
                .table("user_roles")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string("role"))
                .foreign_key(&mut fk("user_roles", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("user_roles", &["user_id", "role"], true)).await?;

        // Failed sign-ins are counted per username, existing or not, so an unknown user gets the same
        // answers (including the lockout) as a real one.
        m.create_table(
            Table::create()
                .table("login_throttle")
                .col(string("username").primary_key())
                .col(integer("failed_count").default(0))
                .col(ts_null("locked_until"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("sessions")
                .col(big_pk_auto("id"))
                .col(string("token_hash"))
                .col(string("kind"))
                .col(big_integer("user_id"))
                .col(string("csrf_token").default(""))
                .col(boolean("second_factor_pending").default(false))
                .col(string("name").default(""))
                .col(string("ip").default(""))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .col(ts("expires_at"))
                .col(ts_null("revoked_at"))
                .foreign_key(&mut fk("sessions", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", &["token_hash"], true)).await?;
        m.create_index(index("sessions", &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("audit_log")
                .col(big_integer("seq").primary_key())
                .col(string("at"))
                .col(string("actor"))
                .col(string("action"))
                .col(string("target_kind"))
                .col(string("target_id"))
                .col(text("detail"))
                .col(string("ip"))
                .col(string("hash_alg"))
                .col(string("prev_hash"))
                .col(string("hash"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_log", &["action"], false)).await?;
        m.create_index(index("audit_log", &["actor"], false)).await?;
        m.create_table(
            Table::create()
                .table("audit_head")
                .col(integer("id").primary_key())
                .col(big_integer("seq"))
                .col(string("hash"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("policy_versions")
                .col(big_pk_auto("id"))
                .col(string("key"))
                .col(string("value"))
                .col(date("effective_from"))
                .col(string("note").default(""))
                .col(string("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("policy_versions", &["key", "effective_from"], true)).await?;

        m.create_table(
            Table::create()
                .table("calendar_years")
                .col(integer("year").primary_key())
                .col(text("arrangement"))
                .col(string("source"))
                .col(string("updated_by"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("workflow_events")
                .col(big_pk_auto("id"))
                .col(string("subject_kind"))
                .col(string("subject_id"))
                .col(string("from_state").default(""))
                .col(string("to_state").default(""))
                .col(string("actor"))
                .col(ts("at"))
                .col(text("comment").default(""))
                .col(string("title").default(""))
                .col(string("link").default(""))
                .col(string_null("assignee_role"))
                .col(big_integer_null("assignee_org_id"))
                .col(string_null("assignee_city"))
                .col(big_integer_null("assignee_user_id"))
                .col(date_null("due_date"))
                .col(ts_null("done_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("workflow_events", &["subject_kind", "subject_id"], false)).await?;
        m.create_index(index("workflow_events", &["done_at", "due_date"], false)).await?;

        seed(m.get_connection()).await
    }
}

/// The province center and the 14 city centers (docs/FACTS.md, GB/T 2260), the first version of every policy
/// entry (V1), and the statutory calendar 2021–2026.
async fn seed<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let now = crate::now();
    let mut orgs = vec![("湖南省职业技能鉴定中心".to_string(), OrgKind::ProvinceCenter, domain::ids::PROVINCE.0, None)];
    for (code, name) in domain::ids::HUNAN_CITIES {
        orgs.push((format!("{name}职业技能鉴定中心"), OrgKind::CityCenter, code, Some(code)));
    }
    for (name, kind, region, city) in orgs {
        let stmt = Query::insert()
            .into_table("orgs")
            .columns(["name", "kind", "region_code", "city_code", "status", "created_at", "updated_at"])
            .values_panic([
                name.into(),
                kind.into(),
                region.into(),
                city.map(|c| c.to_string()).into(),
                OrgStatus::Active.into(),
                now.into(),
                now.into(),
            ])
            .to_owned();
        db.execute(&stmt).await?;
    }
    for d in policy::DEFS {
        let stmt = Query::insert()
            .into_table("policy_versions")
            .columns(["key", "value", "effective_from", "note", "created_by", "created_at"])
            .values_panic([
                d.key.into(),
                d.default.into(),
                policy::PROCEDURE_EFFECTIVE_FROM.into(),
                "湘人社规〔2021〕14号 及公开资料初始值（见 docs/FACTS.md）".into(),
                "system".into(),
                now.into(),
            ])
            .to_owned();
        db.execute(&stmt).await?;
    }
    let cal = Calendar::embedded();
    for year in cal.years() {
        let Some(arr) = cal.year(year) else { continue };
        let json = serde_json::to_string(arr).map_err(|e| DbErr::Custom(e.to_string()))?;
        let stmt = Query::insert()
            .into_table("calendar_years")
            .columns(["year", "arrangement", "source", "updated_by", "updated_at"])
            .values_panic([
                year.into(),
                json.into(),
                domain::calendar::CalendarSource::Builtin.id().into(),
                "system".into(),
                now.into(),
            ])
            .to_owned();
        db.execute(&stmt).await?;
    }
    let stmt = Query::insert()
        .into_table("audit_head")
        .columns(["id", "seq", "hash"])
        .values_panic([1.into(), 0i64.into(), domain::audit::GENESIS_HASH.into()])
        .to_owned();
    db.execute(&stmt).await?;
    Ok(())
}
