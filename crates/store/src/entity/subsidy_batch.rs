use sea_orm::entity::prelude::*;

/// A batch of certificate subsidy claims of one city center and period (m0032, F3).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subsidy_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The city center (GB/T 2260 city code) whose certificates it claims for.
    pub city: String,
    /// The period of the certificates' issue dates as typed (`2026-Q4`), and its first and last day.
    pub period: String,
    pub first_day: TimeDate,
    pub last_day: TimeDate,
    pub status: domain::certificates::BatchStatus,
    pub claim_count: i32,
    /// The sum of its claims not rejected, in fen.
    pub amount_fen: i64,
    pub built_by: String,
    pub built_at: TimeDateTimeWithTimeZone,
    pub approved_by: Option<String>,
    pub approved_at: Option<TimeDateTimeWithTimeZone>,
    pub paid_on: Option<TimeDate>,
    /// 拨付凭证号.
    pub voucher_number: Option<String>,
    pub paid_by: Option<String>,
    pub paid_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
