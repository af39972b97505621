use sea_orm::entity::prelude::*;

/// An issued certificate (m0029, C1); the holder's ID number encrypted, with its blind index.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The certificate number (policy template), unique.
    pub number: String,
    /// The city center's GB/T 2260 city code, the year of issue and the serial of that city and year.
    pub city: String,
    pub year: i32,
    pub serial: i64,
    pub session_id: i64,
    pub candidate_id: i64,
    pub project_id: i64,
    pub holder_name: String,
    pub id_number_enc: String,
    pub id_number_idx: String,
    pub id_number_masked: String,
    /// The blank it was printed on.
    pub blank_id: Option<i64>,
    pub status: domain::certificates::CertificateStatus,
    pub reissues: i32,
    pub reported_at: Option<TimeDateTimeWithTimeZone>,
    pub revoked_at: Option<TimeDateTimeWithTimeZone>,
    pub revoke_reason: String,
    pub issued_by: String,
    pub issued_at: TimeDateTimeWithTimeZone,
    /// The unguessable token of its public verification page (m0031, C2).
    pub verify_token: String,
    /// The report batch that sent it to the province (m0031, C1).
    pub report_id: Option<i64>,
    pub revoked_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
