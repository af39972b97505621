//! `qbank_blueprints` (m0016, P2/E2): a project's paper blueprint.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "qbank_blueprints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    /// The `BlueprintInput` JSON (`Blueprint::to_input`).
    pub blueprint: String,
    pub saved_by: String,
    pub saved_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
