//! Issue 7, typed from the database: lists that were `|`-joined text become rows, searched exactly (a
//! filing's projects, S2/S5; an expert's specialties, P5/P4); "none" becomes NULL instead of an empty
//! string where the column holds an enum (a filing's group conclusion, a draw's subject); a draw serving
//! a station filing names its subject `filing` like every other record about the filing; to-dos no
//! longer store the page they lead to (the web layer knows it from the subject); a filing whose
//! evaluation has started is in the new state `evaluating` (S4).

use sea_orm::{ConnectionTrait, DbErr, Statement};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_typed_lists"
    }
}

/// A list table `(id, <owner>, position, name)` with `(owner, name)` unique and `name` indexed.
async fn list_table(
    m: &SchemaManager<'_>,
    table: &'static str,
    owner: &'static str,
    to: &'static str,
) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(table)
            .col(big_pk_auto("id"))
            .col(big_integer(owner))
            .col(integer("position"))
            .col(string("name"))
            .foreign_key(
                ForeignKey::create()
                    .name(format!("fk_{table}_{owner}"))
                    .from(table, owner)
                    .to(to, "id")
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .to_owned(),
    )
    .await?;
    let mut unique = Index::create();
    unique.name(format!("ix_{table}_{owner}_name")).table(table).col(owner).col("name").unique();
    m.create_index(unique).await?;
    let mut by_name = Index::create();
    by_name.name(format!("ix_{table}_name")).table(table).col("name");
    m.create_index(by_name).await
}

/// Move `|`-joined `column` of `from` into `table` rows, then drop the column.
async fn split_into_rows(
    m: &SchemaManager<'_>,
    from: &'static str,
    column: &'static str,
    table: &'static str,
    owner: &'static str,
) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let rows = db.query_all_raw(Statement::from_string(backend, format!("SELECT id, {column} FROM {from}"))).await?;
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        let joined: String = row.try_get("", column)?;
        let mut seen = Vec::new();
        for name in joined.split('|').map(str::trim).filter(|s| !s.is_empty()) {
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let insert = Query::insert()
                .into_table(table)
                .columns([owner, "position", "name"])
                .values_panic([id.into(), (seen.len() as i32).into(), name.into()])
                .to_owned();
            db.execute(&insert).await?;
        }
    }
    m.alter_table(Table::alter().table(from).drop_column(column).to_owned()).await
}

/// Make a NOT NULL text column nullable (SQLite cannot alter a column: rename, add, copy, drop), with
/// `''` becoming NULL.
async fn nullable(m: &SchemaManager<'_>, table: &'static str, column: &'static str) -> Result<(), DbErr> {
    let old = format!("{column}_m0007");
    m.alter_table(Table::alter().table(table).rename_column(column, Alias::new(&old)).to_owned()).await?;
    m.alter_table(Table::alter().table(table).add_column(string_null(column)).to_owned()).await?;
    let copy = format!("UPDATE {table} SET {column} = {old} WHERE {old} <> ''");
    m.get_connection().execute_unprepared(&copy).await?;
    m.alter_table(Table::alter().table(table).drop_column(Alias::new(&old)).to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        list_table(m, "filing_projects", "filing_id", "filings").await?;
        split_into_rows(m, "filings", "projects", "filing_projects", "filing_id").await?;
        list_table(m, "expert_specialties", "expert_id", "experts").await?;
        split_into_rows(m, "experts", "specialties", "expert_specialties", "expert_id").await?;

        nullable(m, "filings", "group_conclusion").await?;

        m.drop_index(Index::drop().name("ix_draws_subject_kind_subject_id").table("draws").to_owned()).await?;
        nullable(m, "draws", "subject_kind").await?;
        nullable(m, "draws", "subject_id").await?;
        m.get_connection()
            .execute_unprepared("UPDATE draws SET subject_kind = 'filing' WHERE subject_kind = 'station_filing'")
            .await?;
        let mut subject = Index::create();
        subject.name("ix_draws_subject_kind_subject_id").table("draws").col("subject_kind").col("subject_id");
        m.create_index(subject).await?;

        // S4: a filing whose evaluation has started (its group's seal is open) is `evaluating` now.
        m.get_connection()
            .execute_unprepared(
                "UPDATE filings SET state = 'evaluating' WHERE state = 'group_drawn' \
                 AND draw_id IN (SELECT id FROM draws WHERE seal_open = TRUE)",
            )
            .await?;

        m.alter_table(Table::alter().table("workflow_events").drop_column("link").to_owned()).await
    }
}
