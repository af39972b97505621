//! One schema, one migration set, on SQLite and PostgreSQL: one file per migration
//! (`m0001_foundation.rs` …), each recorded in `seaql_migrations` under the name its `MigrationName`
//! returns — a literal, never derived from the file name, so an existing database sees its applied
//! migrations whatever the files are called. A new migration is a new file and one line in
//! [`Migrator::migrations`]; an applied one is never edited.
//!
//! SQLite limits (one ALTER per statement, foreign keys only at table creation) shape how later
//! migrations are written: add columns one statement at a time, never alter constraints. On
//! PostgreSQL the whole run holds an advisory lock so several instances starting together wait for
//! each other instead of racing (docs/DESIGN-NOTES.md, "Pitfalls of this stack").

mod m0001_foundation;
mod m0002_experts;
mod m0003_draws;
mod m0004_filings;
mod m0005_attachments;
mod m0006_serials;
mod m0007_typed_lists;
mod m0008_second_factor_done;
mod m0009_login_throttle_per_client;
mod m0010_session_flash;
mod m0011_filing_reference;
mod m0012_expert_group_bounds;
mod m0013_generations;
mod m0014_filing_state_index;
mod m0015_projects;
mod m0016_question_bank;
mod m0017_filing_project_codes;
mod m0018_paper_releases;
mod m0019_registry;
mod m0020_exam_sessions;
mod m0021_candidate_portal;
mod m0022_exam_panels;
mod m0023_exam_grading;
mod m0024_admission_tickets;
mod m0025_release_sessions;
mod m0026_exam_archives;
mod m0027_panel_region_training;
mod m0028_archive_files;
mod m0029_certificates;
mod m0030_fees;
mod m0031_certificate_life;
mod m0032_subsidies;
mod m0033_certificate_layouts;
mod m0034_certificate_queries;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Any number that is ours: the advisory lock key of the migration run.
const MIGRATION_LOCK_KEY: i64 = 0x6b616f6865; // "kaohe"

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_experts::Migration),
            Box::new(m0003_draws::Migration),
            Box::new(m0004_filings::Migration),
            Box::new(m0005_attachments::Migration),
            Box::new(m0006_serials::Migration),
            Box::new(m0007_typed_lists::Migration),
            Box::new(m0008_second_factor_done::Migration),
            Box::new(m0009_login_throttle_per_client::Migration),
            Box::new(m0010_session_flash::Migration),
            Box::new(m0011_filing_reference::Migration),
            Box::new(m0012_expert_group_bounds::Migration),
            Box::new(m0013_generations::Migration),
            Box::new(m0014_filing_state_index::Migration),
            Box::new(m0015_projects::Migration),
            Box::new(m0016_question_bank::Migration),
            Box::new(m0017_filing_project_codes::Migration),
            Box::new(m0018_paper_releases::Migration),
            Box::new(m0019_registry::Migration),
            Box::new(m0020_exam_sessions::Migration),
            Box::new(m0021_candidate_portal::Migration),
            Box::new(m0022_exam_panels::Migration),
            Box::new(m0023_exam_grading::Migration),
            Box::new(m0024_admission_tickets::Migration),
            Box::new(m0025_release_sessions::Migration),
            Box::new(m0026_exam_archives::Migration),
            Box::new(m0027_panel_region_training::Migration),
            Box::new(m0028_archive_files::Migration),
            Box::new(m0029_certificates::Migration),
            Box::new(m0030_fees::Migration),
            Box::new(m0031_certificate_life::Migration),
            Box::new(m0032_subsidies::Migration),
            Box::new(m0033_certificate_layouts::Migration),
            Box::new(m0034_certificate_queries::Migration),
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
            ensure_generations(&txn).await?;
            txn.commit().await
        }
        _ => {
            // SQLite: take the write lock first (waiting up to the busy timeout), so a second process
            // migrating the same file waits and then finds the schema up to date.
            db.execute_unprepared("CREATE TABLE IF NOT EXISTS kaohe_migration_lock (id INTEGER PRIMARY KEY)").await?;
            let txn = db.begin().await?;
            txn.execute_unprepared("DELETE FROM kaohe_migration_lock").await?;
            Migrator::up(&txn, None).await?;
            ensure_generations(&txn).await?;
            txn.commit().await
        }
    }
}

/// Gives every `domain::audit::Generation` its row in `generations` (m0013 made the table and the
/// rows of its time): a generation added later starts at 1 on the next start, without a migration of
/// its own.
async fn ensure_generations<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let now = crate::now();
    for g in domain::audit::Generation::ALL {
        let stmt = Query::insert()
            .into_table("generations")
            .columns(["name", "value", "changed_at"])
            .values_panic([g.id().into(), 1i64.into(), now.into()])
            .on_conflict(OnConflict::column("name").do_nothing().to_owned())
            .to_owned();
        db.execute(&stmt).await?;
    }
    Ok(())
}

/// Gives each of `keys` its first policy version (the definition's default, effective from the
/// procedure's date, noted `note`) where the key has none yet: a database made before the key existed.
/// A new database already has it from m0001, which seeds every policy entry. (m0009, applied before
/// this helper existed, keeps its own copy of the loop: an applied migration is never edited.)
async fn seed_policy_defaults<C: ConnectionTrait>(db: &C, keys: &[&str], note: &str) -> Result<(), DbErr> {
    let now = crate::now();
    for key in keys {
        let def =
            domain::policy::def(key).ok_or_else(|| DbErr::Custom(format!("policy key {key} has no definition")))?;
        let stmt = Query::select()
            .expr(Expr::col("id"))
            .from("policy_versions")
            .and_where(Expr::col("key").eq(*key))
            .to_owned();
        if db.query_one(&stmt).await?.is_some() {
            continue;
        }
        let stmt = Query::insert()
            .into_table("policy_versions")
            .columns(["key", "value", "effective_from", "note", "created_by", "created_at"])
            .values_panic([
                def.key.into(),
                def.default.into(),
                domain::policy::PROCEDURE_EFFECTIVE_FROM.into(),
                note.into(),
                "system".into(),
                now.into(),
            ])
            .to_owned();
        db.execute(&stmt).await?;
    }
    Ok(())
}

/// A timestamp column (`timestamptz`; text on SQLite).
fn ts(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone(name)
}

fn ts_null(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone_null(name)
}

/// A foreign key `fk_<table>_<col>` to `to_table.id` (SQLite: only at table creation).
fn fk(from_table: &'static str, col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(format!("fk_{from_table}_{col}")).from(from_table, col).to(to_table, "id").to_owned()
}

/// An index `ix_<table>_<cols…>`.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The names recorded in `seaql_migrations` by every database migrated so far: renaming one would
    /// make an existing database run it again.
    #[test]
    fn migration_names_are_the_recorded_ones_in_order() {
        let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
        assert_eq!(
            names,
            [
                "m0001_foundation",
                "m0002_experts",
                "m0003_draws",
                "m0004_filings",
                "m0005_attachments",
                "m0006_serials",
                "m0007_typed_lists",
                "m0008_second_factor_done",
                "m0009_login_throttle_per_client",
                "m0010_session_flash",
                "m0011_filing_reference",
                "m0012_expert_group_bounds",
                "m0013_generations",
                "m0014_filing_state_index",
                "m0015_projects",
                "m0016_question_bank",
                "m0017_filing_project_codes",
                "m0018_paper_releases",
                "m0019_registry",
                "m0020_exam_sessions",
                "m0021_candidate_portal",
                "m0022_exam_panels",
                "m0023_exam_grading",
                "m0024_admission_tickets",
                "m0025_release_sessions",
                "m0026_exam_archives",
                "m0027_panel_region_training",
                "m0028_archive_files",
                "m0029_certificates",
                "m0030_fees",
                "m0031_certificate_life",
                "m0032_subsidies",
                "m0033_certificate_layouts",
                "m0034_certificate_queries"
            ]
        );
    }
}
