//! `orgs` (R1): kind, nature and status are `domain::org` enums, stored as their text id and refused
//! when a stored id names none.

use domain::org::{Nature, OrgKind, OrgStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orgs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub nature: Option<Nature>,
    pub credit_code: Option<String>,
    pub credit_code_warning: bool,
    pub region_code: String,
    pub city_code: Option<String>,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub status: OrgStatus,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
