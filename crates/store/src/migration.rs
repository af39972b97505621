//! One schema, one migration set, on SQLite and PostgreSQL. SQLite limits (one ALTER per statement,
//! foreign keys only at table creation) shape how later migrations are written: add columns one
//! statement at a time, never alter constraints. On PostgreSQL the whole run holds an advisory lock so
//! several instances starting together wait for each other instead of racing (DESIGN.md pitfalls).

use domain::calendar::Calendar;
use domain::policy;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Any number that is ours: the advisory lock key of the migration run.
const MIGRATION_LOCK_KEY: i64 = 0x6b616f6865; // "kaohe"

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Foundation),
            Box::new(M0002Experts),
            Box::new(M0003Draws),
            Box::new(M0004Filings),
            Box::new(M0005Attachments),
            Box::new(M0006Serials),
            Box::new(crate::m0007_typed_lists::M0007TypedLists),
        ]
    }
}

/// Bring the schema up to date. Safe to call from several instances at once.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")).await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
        _ => {
            // SQLite: take the write lock first (waiting up to the busy timeout), so a second process
            // migrating the same file waits and then finds the schema up to date.
            db.execute_unprepared("CREATE TABLE IF NOT EXISTS kaohe_migration_lock (id INTEGER PRIMARY KEY)").await?;
            let txn = db.begin().await?;
            txn.execute_unprepared("DELETE FROM kaohe_migration_lock").await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
    }
}

struct M0001Foundation;

impl MigrationName for M0001Foundation {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

fn ts(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone(name)
}
fn ts_null(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone_null(name)
}

fn fk(from_table: &'static str, col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(format!("fk_{from_table}_{col}")).from(from_table, col).to(to_table, "id").to_owned()
}

fn index(table: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!("ix_{table}_{}", cols.join("_"))).table(table);
    for c in cols {
        i.col(*c);
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Foundation {
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

/// The province center and the 14 city centers (FACTS.md, GB/T 2260), the first version of every policy
/// entry (V1), and the statutory calendar 2021–2026.
async fn seed<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let now = crate::now();
    let mut orgs = vec![("湖南省职业技能鉴定中心".to_string(), "province_center", domain::ids::PROVINCE.0, None)];
    for (code, name) in domain::ids::HUNAN_CITIES {
        orgs.push((format!("{name}职业技能鉴定中心"), "city_center", code, Some(code)));
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
                "active".into(),
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
                "湘人社规〔2021〕14号 及 FACTS.md 初始值".into(),
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
            .values_panic([year.into(), json.into(), "builtin".into(), "system".into(), now.into()])
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

/// P5: the expert committee (registry, past employers, declared conflicts).
struct M0002Experts;

impl MigrationName for M0002Experts {
    fn name(&self) -> &str {
        "m0002_experts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0002Experts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("experts")
                .col(big_pk_auto("id"))
                .col(string("name"))
                .col(text("id_number_enc"))
                .col(string("id_number_idx"))
                .col(string("id_number_masked"))
                .col(big_integer_null("employer_org_id"))
                .col(string("employer_name"))
                .col(string("title"))
                .col(string("specialties"))
                .col(string("city_code"))
                .col(string("phone"))
                .col(string("status").default("active"))
                .col(big_integer_null("user_id"))
                .col(string("note").default(""))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("experts", "employer_org_id", "orgs"))
                .foreign_key(&mut fk("experts", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("experts", &["id_number_idx"], true)).await?;
        m.create_index(index("experts", &["city_code"], false)).await?;
        m.create_table(
            Table::create()
                .table("expert_employments")
                .col(big_pk_auto("id"))
                .col(big_integer("expert_id"))
                .col(big_integer("org_id"))
                .col(date("until"))
                .foreign_key(&mut fk("expert_employments", "expert_id", "experts"))
                .foreign_key(&mut fk("expert_employments", "org_id", "orgs"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("expert_conflicts")
                .col(big_pk_auto("id"))
                .col(big_integer("expert_id"))
                .col(big_integer("org_id"))
                .col(string("reason").default(""))
                .col(ts("declared_at"))
                .foreign_key(&mut fk("expert_conflicts", "expert_id", "experts"))
                .foreign_key(&mut fk("expert_conflicts", "org_id", "orgs"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("expert_conflicts", &["expert_id", "org_id"], true)).await?;
        Ok(())
    }
}

/// P4, S4, E4: provable random draws. The record (docs/DRAWS.md) is kept as JSON; the seed is sealed
/// (encrypted) until revealed; `draw_members` indexes who was drawn, for the experts' own view.
struct M0003Draws;

impl MigrationName for M0003Draws {
    fn name(&self) -> &str {
        "m0003_draws"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0003Draws {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("draws")
                .col(big_pk_auto("id"))
                .col(string("purpose"))
                .col(string("subject_kind").default(""))
                .col(string("subject_id").default(""))
                .col(big_integer("applicant_org_id"))
                .col(string("title"))
                .col(string("status"))
                .col(boolean("seal_open").default(false))
                .col(text("record"))
                .col(text("seed_enc"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("draws", "applicant_org_id", "orgs"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("draws", &["subject_kind", "subject_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("draw_members")
                .col(big_pk_auto("id"))
                .col(big_integer("draw_id"))
                .col(big_integer("expert_id"))
                .col(integer("position"))
                .col(string("status"))
                .col(string("decline_reason").default(""))
                .col(ts_null("declined_at"))
                .foreign_key(&mut fk("draw_members", "draw_id", "draws"))
                .foreign_key(&mut fk("draw_members", "expert_id", "experts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("draw_members", &["draw_id", "expert_id"], true)).await?;
        m.create_index(index("draw_members", &["expert_id"], false)).await?;
        Ok(())
    }
}

/// S1–S5: station filing applications, their evaluation findings, and the institution codes.
struct M0004Filings;

impl MigrationName for M0004Filings {
    fn name(&self) -> &str {
        "m0004_filings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0004Filings {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("filings")
                .col(big_pk_auto("id"))
                .col(big_integer("applicant_org_id"))
                .col(string("institution_name"))
                .col(text("application"))
                .col(string("state"))
                .col(string("receiver"))
                .col(string("receiving_region"))
                .col(string("applicant_city"))
                .col(string("projects").default(""))
                .col(text_null("plan"))
                .col(date_null("evaluation_date"))
                .col(big_integer_null("draw_id"))
                .col(string("group_conclusion").default(""))
                .col(string_null("institution_code"))
                .col(integer_null("code_serial"))
                .col(text("province_opinion").default(""))
                .col(string("commitment_by").default(""))
                .col(ts_null("commitment_at"))
                .col(ts_null("submitted_at"))
                .col(ts_null("decided_at"))
                .col(string("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("filings", "applicant_org_id", "orgs"))
                .foreign_key(&mut fk("filings", "draw_id", "draws"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("filings", &["institution_code"], true)).await?;
        m.create_index(index("filings", &["receiving_region", "state"], false)).await?;
        m.create_index(index("filings", &["applicant_org_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("filing_findings")
                .col(big_pk_auto("id"))
                .col(big_integer("filing_id"))
                .col(big_integer("expert_id"))
                .col(text("findings"))
                .col(string("conclusion"))
                .col(string("recorded_by"))
                .col(ts("recorded_at"))
                .foreign_key(&mut fk("filing_findings", "filing_id", "filings"))
                .foreign_key(&mut fk("filing_findings", "expert_id", "experts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("filing_findings", &["filing_id", "expert_id"], true)).await?;
        Ok(())
    }
}

/// Attachments of records (S2: the four kinds of filing materials), kept in the object store.
struct M0005Attachments;

impl MigrationName for M0005Attachments {
    fn name(&self) -> &str {
        "m0005_attachments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0005Attachments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("attachments")
                .col(big_pk_auto("id"))
                .col(string("subject_kind"))
                .col(string("subject_id"))
                .col(string("kind"))
                .col(string("filename"))
                .col(string("content_type"))
                .col(big_integer("size"))
                .col(string("digest"))
                .col(string("storage_key"))
                .col(string("uploaded_by"))
                .col(ts("uploaded_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("attachments", &["subject_kind", "subject_id"], false)).await?;
        Ok(())
    }
}

/// Serial counters (institution codes now; certificate and admission numbers later), one row per key,
/// taken with an UPDATE inside the caller's transaction.
struct M0006Serials;

impl MigrationName for M0006Serials {
    fn name(&self) -> &str {
        "m0006_serials"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0006Serials {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("serial_counters")
                .col(string("key").primary_key())
                .col(big_integer("value"))
                .to_owned(),
        )
        .await
    }
}
