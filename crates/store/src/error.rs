//! Errors of the store, mapped by the web layer onto 404, 403, 409, 422, 423 and 500.

use domain::{FieldError, FieldErrors};
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Absent, or outside the caller's data scope (both read as 404).
    #[error("not found")]
    NotFound,
    /// In scope, but the caller's roles do not allow the action.
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// A rule of the procedure refuses the change (409), with a stable code and a Chinese text.
    #[error("conflict: {0}")]
    Conflict(FieldError),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// A stored record (or a policy value) that does not read back: a defect or tampering, never the
    /// caller's input. Names the record (`filing 7 application`, `policy filing.lead_days v3`) and keeps
    /// the cause.
    #[error("stored {record} does not read back: {source}")]
    Corrupt {
        record: String,
        #[source]
        source: BoxError,
    },
    /// A service beside the database failed (the attachment store, the cipher, the password hasher).
    #[error("{what} failed: {source}")]
    Service {
        what: &'static str,
        #[source]
        source: BoxError,
    },
}

/// A stored JSON document that does not read back (or a value that cannot be written): a defect,
/// never the caller's input. Prefer `StoreError::corrupt` naming the record.
impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::corrupt("JSON", e)
    }
}

pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

impl StoreError {
    /// A stored record that does not decode, naming it.
    pub fn corrupt(record: impl Into<String>, source: impl Into<BoxError>) -> Self {
        StoreError::Corrupt { record: record.into(), source: source.into() }
    }

    /// A service beside the database that failed.
    pub fn service(what: &'static str, source: impl Into<BoxError>) -> Self {
        StoreError::Service { what, source: source.into() }
    }

    /// For `map_err` on a read of `record` (`user 7`, `roles of user 7`): a stored value that does not
    /// convert — an enum id that names no value, a malformed column — becomes `Corrupt` naming the
    /// record; every other database error stays `Db`.
    pub fn reading(record: impl Into<String>) -> impl FnOnce(DbErr) -> StoreError {
        move |e| match e {
            DbErr::TryIntoErr { .. } | DbErr::Type(_) | DbErr::Json(_) => StoreError::corrupt(record, e),
            e => StoreError::Db(e),
        }
    }
}

impl From<FieldErrors> for StoreError {
    fn from(e: FieldErrors) -> Self {
        StoreError::Invalid(e)
    }
}

impl From<FieldError> for StoreError {
    fn from(e: FieldError) -> Self {
        StoreError::Invalid(e.into())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Require an action of the principal: 403 when the roles do not allow it.
pub fn require(p: &domain::org::Principal, action: domain::authz::Action) -> StoreResult<()> {
    if p.can(action) { Ok(()) } else { Err(StoreError::Forbidden) }
}
