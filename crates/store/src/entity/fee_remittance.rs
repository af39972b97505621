use sea_orm::entity::prelude::*;

/// A city center's remittance of fees to the treasury (m0030, F1: 收支两条线).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fee_remittances")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub city: String,
    pub remitted_on: TimeDate,
    pub amount_fen: i64,
    /// 缴款凭证号, once per city.
    pub voucher_number: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
