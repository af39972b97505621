use sea_orm::entity::prelude::*;

/// An overlay printing (套打) template of the province (m0033, C1).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_layouts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub width_tenth_mm: i32,
    pub height_tenth_mm: i32,
    /// The placements as typed (`Vec<domain::certificates::PlacementInput>` as JSON).
    pub placements: String,
    /// The layout every overlay print uses.
    pub is_default: bool,
    pub updated_by: String,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
