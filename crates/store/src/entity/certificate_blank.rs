use sea_orm::entity::prelude::*;

/// One blank certificate of a batch (m0029, C1): unused, used or voided with a reason. Never deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_blanks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub batch_id: i64,
    pub city: String,
    /// The print serial (印刷流水号), unique per city.
    pub serial: String,
    pub status: domain::certificates::BlankStatus,
    pub used_at: Option<TimeDateTimeWithTimeZone>,
    /// The certificate printed on it, once used.
    pub certificate_id: Option<i64>,
    /// Why it was voided; empty until then.
    pub void_reason: String,
    pub voided_by: Option<String>,
    pub voided_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
