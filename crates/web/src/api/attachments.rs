//! Filing materials over the API (S2): upload (multipart `kind` + `file`), list, download, remove.

use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError};
use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use store::attachments::AttachmentView;

/// Read the `kind` and `file` parts of an upload: (kind, file name, bytes).
pub async fn read_upload(mut multipart: Multipart) -> Result<(String, String, Vec<u8>), AppError> {
    let (mut kind, mut name, mut bytes) = (String::new(), String::new(), Vec::new());
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("kind") => kind = field.text().await.map_err(|_| AppError::BadRequest("上传内容不完整".into()))?,
                Some("file") => {
                    name = field.file_name().unwrap_or("附件").to_string();
                    bytes = field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?.to_vec();
                }
                _ => {}
            },
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::PayloadTooLarge),
            Err(_) => return Err(AppError::BadRequest("上传内容不完整，请重新选择文件上传".into())),
        }
    }
    Ok((kind, name, bytes))
}

/// Attach a material (multipart: `kind` = qualification_proof | venue_equipment_list | assessor_roster |
/// management_rules, `file` = PDF/JPG/PNG/Word/Excel, at most 20 MB).
#[utoipa::path(post, path = "/api/v1/filings/{id}/attachments", tag = "filings", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "kind, file"),
    responses((status = 201, body = super::orgs::Created), (status = 422, body = super::ErrorEnvelope), (status = 409, body = super::ErrorEnvelope)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<super::orgs::Created>), ApiError> {
    let Ok(multipart) = multipart else {
        // Not an upload: the store still answers 404/403 first for callers who may not attach here.
        state.store.add_filing_attachment(&caller.principal, id, "", "", &[], &caller.ctx).await?;
        return Err(ApiError(AppError::UnsupportedMediaType));
    };
    let (kind, name, bytes) = read_upload(multipart).await?;
    let att = state.store.add_filing_attachment(&caller.principal, id, &kind, &name, &bytes, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(super::orgs::Created { id: att })))
}

/// The materials of a filing.
#[utoipa::path(get, path = "/api/v1/filings/{id}/attachments", tag = "filings", params(("id" = i64, Path)), responses((status = 200, body = Vec<AttachmentView>), (status = 404, body = super::ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AttachmentView>>, ApiError> {
    Ok(Json(state.store.list_filing_attachments(&caller.principal, id).await?))
}

/// Download one material.
#[utoipa::path(get, path = "/api/v1/filings/{id}/attachments/{att}", tag = "filings", params(("id" = i64, Path), ("att" = i64, Path)), responses((status = 200, description = "the file"), (status = 404, body = super::ErrorEnvelope)))]
pub async fn download(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (meta, bytes) = state.store.read_filing_attachment(&caller.principal, id, att).await?;
    Ok(file_response(&meta, bytes))
}

/// Remove a material while the application can still be edited (draft or returned).
#[utoipa::path(delete, path = "/api/v1/filings/{id}/attachments/{att}", tag = "filings", params(("id" = i64, Path), ("att" = i64, Path)), responses((status = 204), (status = 409, body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)))]
pub async fn remove(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    state.store.remove_filing_attachment(&caller.principal, id, att, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A download answer: the sniffed type, and the original name (RFC 5987 for Chinese names).
pub fn file_response(meta: &AttachmentView, bytes: Vec<u8>) -> Response {
    let encoded: String = meta
        .filename
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'.' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    (
        [
            (header::CONTENT_TYPE, meta.content_type.clone()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"attachment\"; filename*=UTF-8''{encoded}")),
        ],
        bytes,
    )
        .into_response()
}
