use sea_orm::entity::prelude::*;

/// A reissue of a certificate on a new blank, same number (m0031, C1).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_reissues")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub certificate_id: i64,
    /// The blank it was printed on before (voided with the reason in the same step).
    pub old_blank_id: Option<i64>,
    pub new_blank_id: i64,
    pub reason: String,
    pub reissued_by: String,
    pub reissued_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
