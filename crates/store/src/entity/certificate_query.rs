use sea_orm::entity::prelude::*;

/// One public certificate query (m0034, C2): when, how it ended, through which channel — nothing that
/// names the certificate, the holder or the client.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_queries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: TimeDateTimeWithTimeZone,
    pub outcome: domain::certificates::QueryOutcome,
    pub channel: domain::certificates::QueryChannel,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
