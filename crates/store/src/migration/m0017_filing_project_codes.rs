//! F2 (issue 11): a station filing's projects are chosen from the catalog of assessment projects, so
//! each row of `filing_projects` carries the catalog's project code beside its name. Rows saved before
//! (free text, from when the catalog was empty) keep their name and no code (NULL); the catalog's
//! project page finds stations by code, and by exact name for those older rows.

use super::index;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub(super) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_filing_project_codes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("filing_projects").add_column(string_null("code")).to_owned()).await?;
        m.create_index(index("filing_projects", &["code"], false)).await?;
        Ok(())
    }
}
