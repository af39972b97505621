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
    #[error("internal error: {0}")]
    Internal(String),
}

/// A stored JSON document that does not read back (or a value that cannot be written): a defect,
/// never the caller's input.
impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Internal(format!("stored JSON: {e}"))
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
