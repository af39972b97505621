use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "filings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub applicant_org_id: i64,
    pub institution_name: String,
    pub application: String,
    pub state: domain::stations::FilingState,
    pub receiver: domain::stations::Receiver,
    pub receiving_region: String,
    pub applicant_city: String,
    pub plan: Option<String>,
    pub evaluation_date: Option<TimeDate>,
    pub draw_id: Option<i64>,
    pub group_conclusion: Option<domain::stations::Conclusion>,
    pub institution_code: Option<String>,
    /// The reference number given at the first submission (`备2026-0001`, issue 9 item 16).
    pub reference: Option<String>,
    pub code_serial: Option<i32>,
    pub province_opinion: String,
    pub commitment_by: String,
    pub commitment_at: Option<TimeDateTimeWithTimeZone>,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub created_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
