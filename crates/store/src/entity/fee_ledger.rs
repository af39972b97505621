use sea_orm::entity::prelude::*;

/// A city center's ledger (m0030, F1): the row every step that moves the ledger claims first.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fee_ledgers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub city: String,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
