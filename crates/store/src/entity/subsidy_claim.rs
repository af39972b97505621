use sea_orm::entity::prelude::*;

/// One certificate subsidy claim (m0032, F3); the holder's ID number encrypted, with its blind index.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subsidy_claims")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub batch_id: i64,
    pub city: String,
    pub certificate_id: i64,
    pub certificate_number: String,
    pub candidate_id: i64,
    pub session_id: i64,
    pub project_id: i64,
    pub holder_name: String,
    pub id_number_enc: String,
    pub id_number_idx: String,
    pub id_number_masked: String,
    /// The subsidy category recorded on the roster (补贴人员类别).
    pub category: String,
    /// `subsidy.certificate_subsidy` in force on the certificate's issue date, in fen, and its version.
    pub amount_fen: i64,
    pub policy_version_id: i64,
    pub status: domain::certificates::ClaimStatus,
    /// `claim_key(person, project)` while the claim stands, NULL once rejected (unique).
    pub active_key: Option<String>,
    /// A rejection's reason; empty otherwise.
    pub reason: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
