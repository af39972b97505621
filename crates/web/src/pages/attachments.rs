//! Filing materials on the pages (S2): the applicant uploads (multipart form; the CSRF token travels
//! in the action URL) and removes while the application is editable; anyone who may see the filing,
//! and the members of its opened evaluation group, download.

use crate::AppState;
use crate::api::attachments::{file_response, read_upload};
use crate::auth::Staff;
use crate::error::PageError;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use store::StoreError;

pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let (kind, name, bytes) = match multipart {
        Ok(m) => read_upload(m).await.map_err(PageError)?,
        // Not an upload: the store answers 404/403 for those who may not attach, a field error otherwise.
        Err(_) => (String::new(), String::new(), Vec::new()),
    };
    let result =
        state.store.add_filing_attachment(&staff.principal, id, &kind, &name, &bytes, &staff.ctx).await.map(|_| ());
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/filings/{id}?done=uploaded")).into_response()),
        Err(StoreError::Invalid(e)) => {
            Ok(back_with_error(id, e.0.first().map(|f| f.detail.clone()).unwrap_or_default(), ""))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let (meta, bytes) = state.store.read_filing_attachment(&staff.principal, id, att).await?;
    Ok(file_response(&meta, bytes))
}

/// The applicant removes a material while the application is editable (the page asks first).
pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    match state.store.remove_filing_attachment(&staff.principal, id, att, &staff.ctx).await {
        Ok(()) => Ok(Redirect::to(&format!("/filings/{id}?done=attachment_removed#materials")).into_response()),
        Err(StoreError::Conflict(e)) => Ok(back_with_error(id, e.detail, "#materials")),
        Err(e) => Err(e.into()),
    }
}

/// Back to the filing page with the reason a material could not be added or removed.
fn back_with_error(id: i64, reason: String, anchor: &str) -> Response {
    let q = crate::view::filter_query(&[("upload_error", Some(reason))]);
    Redirect::to(&format!("/filings/{id}?{q}{anchor}")).into_response()
}
