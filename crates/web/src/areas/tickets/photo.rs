//! The photo on an admission ticket (issue 12): the candidate uploads their own on 我的考试 once their
//! application is confirmed, the session's station one per roster row; JPG or PNG within the policy's
//! size. Pages, images and the API.

use crate::AppState;
use crate::api::ErrorEnvelope;
use crate::areas::filings::api::FileBytes;
use crate::areas::filings::materials::read_upload;
use crate::auth::{ApiCaller, Staff};
use crate::error::{ApiError, AppError, PageError};
use crate::extract::Path;
use crate::view::{back_with_error, done};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::authz::Action;
use store::StoreError;
use store::tickets::Photo;
use utoipa::ToSchema;

/// A photo upload (`multipart/form-data`).
#[derive(ToSchema)]
#[schema(as = CandidatePhotoUpload)]
pub struct PhotoUploadDto {
    /// JPG or PNG, at most the policy's `exam.candidate_photo_max_kb`.
    pub file: FileBytes,
}

async fn file_of(multipart: Result<Multipart, MultipartRejection>) -> Result<(String, Vec<u8>), AppError> {
    match multipart {
        Ok(m) => read_upload(m).await.map(|(_, name, bytes)| (name, bytes)),
        // Not an upload: the store answers 404/403 first, then asks for a photo.
        Err(_) => Ok((String::new(), Vec::new())),
    }
}

fn image(p: Photo) -> Response {
    ([(header::CONTENT_TYPE, p.content_type), (header::CACHE_CONTROL, "private, no-store")], p.bytes).into_response()
}

/// The candidate uploads the photo of their own ticket.
pub async fn upload_mine(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ApplyExams) {
        return Err(AppError::Forbidden.into());
    }
    let (name, bytes) = file_of(multipart).await?;
    match state.store.upload_my_photo(&staff.principal, id, &name, &bytes, &staff.ctx).await {
        Ok(()) => Ok(done("/my/exams#mine", "photo_uploaded").into_response()),
        Err(StoreError::Invalid(e)) => Ok(back_with_error("/my/exams#mine", refusal(&e))),
        Err(StoreError::Conflict(e)) => Ok(back_with_error("/my/exams#mine", format!("未能上传照片：{}", e.detail))),
        Err(e) => Err(e.into()),
    }
}

fn refusal(e: &domain::FieldErrors) -> String {
    format!("未能上传照片：{}", e.0.first().map(|f| f.detail.clone()).unwrap_or_default())
}

/// The photo of the candidate's own ticket.
pub async fn show_mine(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(image(state.store.my_photo(&staff.principal, id).await?))
}

/// The session's station uploads a roster candidate's photo.
pub async fn upload_for_candidate(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, cid)): Path<(i64, i64)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let (name, bytes) = file_of(multipart).await?;
    let back = format!("/sessions/{id}#candidates");
    match state.store.upload_candidate_photo(&staff.principal, id, cid, &name, &bytes, &staff.ctx).await {
        Ok(()) => Ok(done(back, "photo_uploaded").into_response()),
        Err(StoreError::Invalid(e)) => Ok(back_with_error(back, refusal(&e))),
        Err(e) => Err(e.into()),
    }
}

/// A roster candidate's photo, for whoever sees the session.
pub async fn show_for_candidate(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, cid)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    Ok(image(state.store.candidate_photo(&staff.principal, id, cid).await?))
}

/// Issue 12: upload the photo of one's own admission ticket (the application confirmed).
#[utoipa::path(post, path = "/api/v1/my/tickets/{id}/photo", tag = "tickets", params(("id" = i64, Path, description = "报名编号")),
    request_body(content = PhotoUploadDto, content_type = "multipart/form-data"),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "字段错误：未选择照片（PHOTO_MISSING）、不是 JPG 或 PNG（PHOTO_TYPE）、超过大小上限（PHOTO_TOO_LARGE）", body = ErrorEnvelope),
        (status = 409, description = "冲突：报名尚未确认（TICKET_NOT_READY）", body = ErrorEnvelope)))]
pub async fn api_upload_mine(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ApplyExams)?;
    let (name, bytes) = file_of(multipart).await?;
    state.store.upload_my_photo(&caller.principal, id, &name, &bytes, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Issue 12: the session's station uploads the photo of a candidate on its roster.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/candidates/{cid}/photo", tag = "tickets", params(("id" = i64, Path), ("cid" = i64, Path, description = "考生编号")),
    request_body(content = PhotoUploadDto, content_type = "multipart/form-data"),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "字段错误：未选择照片（PHOTO_MISSING）、不是 JPG 或 PNG（PHOTO_TYPE）、超过大小上限（PHOTO_TOO_LARGE）", body = ErrorEnvelope)))]
pub async fn api_upload_for_candidate(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, cid)): Path<(i64, i64)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::PlanSessions)?;
    let (name, bytes) = file_of(multipart).await?;
    state.store.upload_candidate_photo(&caller.principal, id, cid, &name, &bytes, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
