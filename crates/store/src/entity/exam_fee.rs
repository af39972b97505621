use sea_orm::entity::prelude::*;

/// The fee of one exam candidate (m0030, F1); a candidate without a row is due.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exam_fees")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub candidate_id: i64,
    pub session_id: i64,
    /// The city center whose ledger holds the fee (the station's city, GB/T 2260).
    pub city: String,
    pub status: domain::certificates::FeeStatus,
    /// What was received, in fen (0 for a waiver).
    pub amount_fen: i64,
    /// The version of `fee.assessment_fee` the amount was checked against.
    pub policy_version_id: Option<i64>,
    pub paid_on: Option<TimeDate>,
    /// 票据号, once per city.
    pub receipt_number: Option<String>,
    pub paid_by: Option<String>,
    pub paid_at: Option<TimeDateTimeWithTimeZone>,
    pub waived_on: Option<TimeDate>,
    pub refunded_on: Option<TimeDate>,
    /// Why the fee was waived or refunded; empty otherwise.
    pub reason: String,
    /// Who waived or refunded it, and when.
    pub decided_by: Option<String>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
