//! `projects` (m0015, P1–P8): state, origin, route and conclusion are `domain::projects` enums.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub origin: domain::projects::ProjectOrigin,
    pub state: domain::projects::ProjectState,
    pub name: String,
    /// The development unit (P3); `None` for an adopted project (P1).
    pub devunit_org_id: Option<i64>,
    pub receiver: domain::projects::Receiver,
    /// The receiving city center's region when routed to a city; `None` for the province.
    pub receiving_region: Option<String>,
    /// The project code (P4), given on establishment or on an approved adoption.
    pub code: Option<String>,
    /// The `SpecificationInput` JSON as saved.
    pub specification: String,
    /// The adoption's `Provenance` JSON (P1).
    pub provenance: Option<String>,
    /// The adoption's evidence note (P1).
    pub evidence: Option<String>,
    pub publication_date: Option<TimeDate>,
    pub draw_id: Option<i64>,
    pub group_conclusion: Option<domain::projects::ReviewConclusion>,
    /// The reason of the last return, rejection or stop.
    pub decision_reason: Option<String>,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
