//! P7: the file of a training material or exam guide, uploaded by the province from the project's
//! record page (multipart, the CSRF token its first part); the record page lists it and the public
//! catalog page links it (`areas::catalog::pages::material_file`).

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::Path;
use crate::view::{back_with_error, done};
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use store::StoreError;

pub async fn upload_material_file(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, material)): Path<(i64, i64)>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let back = format!("/projects/{id}#materials");
    let (_, name, bytes) = match multipart {
        Ok(m) => crate::areas::filings::materials::read_upload(m).await.map_err(PageError)?,
        Err(_) => (String::new(), String::new(), Vec::new()),
    };
    match state.store.attach_material_file(&staff.principal, id, material, &name, &bytes, &staff.ctx).await {
        Ok(_) => Ok(done(back, "project_material_file_uploaded").into_response()),
        Err(StoreError::Invalid(e)) => Ok(back_with_error(
            back,
            format!("未能上传：{}", e.0.first().map(|f| f.detail.clone()).unwrap_or_default()),
        )),
        Err(StoreError::Conflict(e)) => Ok(back_with_error(back, format!("未能上传：{}", e.detail))),
        Err(e) => Err(e.into()),
    }
}
