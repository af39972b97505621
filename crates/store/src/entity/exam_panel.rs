use sea_orm::entity::prelude::*;

/// The panel of an exam session as a whole (m0022, E4).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_panels")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    /// The provable draw the appointed proposal came from (none for a manual pick).
    pub draw_id: Option<i64>,
    /// City codes drawn from, comma-separated; empty: any.
    pub cities: String,
    pub appointed_by: String,
    pub appointed_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
