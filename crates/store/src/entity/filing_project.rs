use sea_orm::entity::prelude::*;

/// One entry of a list that belongs to a record, in its order (m0007).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "filing_projects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub filing_id: i64,
    pub position: i32,
    pub name: String,
    /// The catalog's project code the station chose (m0017, F2); NULL for rows typed as free text
    /// before the catalog existed.
    pub code: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
