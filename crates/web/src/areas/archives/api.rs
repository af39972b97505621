//! The archive over the API (E7): a session's archived materials and archiving one (JSON for paper,
//! `multipart/form-data` with the file for either medium), the download of an electronic material's
//! file, the disposal of a due material, and the materials due for disposal in the caller's scope. Bodies are this module's
//! `…Dto`s, converted from and into the store's types.

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageParams, PageView};
use crate::areas::filings::api::FileBytes;
use crate::areas::filings::materials::named_file_response;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::authz::Action;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::archives::{ArchiveInput, ArchiveUpload, ArchiveView, DisposeInput, DueArchive, DueFilter, SessionArchives};
use utoipa::{IntoParams, ToSchema};

/// A material to archive.
#[derive(Deserialize, ToSchema)]
#[schema(as = ArchiveMaterialInput)]
pub struct ArchiveInputDto {
    /// What the material is.
    #[serde(default)]
    #[schema(example = "考生花名册")]
    pub title: String,
    /// `paper` (纸质) or `electronic` (电子).
    #[serde(default)]
    #[schema(example = "paper")]
    pub medium: String,
    /// Where a paper material is kept (required for paper).
    #[serde(default)]
    #[schema(example = "考核站档案室 2 号柜")]
    pub location: String,
}

/// A material to archive with its file (`multipart/form-data`; the file is required for `electronic`).
#[derive(ToSchema)]
#[schema(as = ArchiveMaterialUpload)]
pub struct ArchiveUploadDto {
    /// What the material is.
    pub title: String,
    /// `paper` (纸质) or `electronic` (电子).
    pub medium: String,
    /// Where a paper material is kept (required for paper).
    pub location: Option<String>,
    /// The electronic material's file: PDF, JPG/PNG, .docx/.xlsx or ZIP by its content, at most the
    /// policy's `archive.electronic_file_max_kb`.
    pub file: Option<FileBytes>,
}

/// The disposal of a due material.
#[derive(Deserialize, ToSchema)]
#[schema(as = DisposeMaterialInput)]
pub struct DisposeInputDto {
    /// How and why it is disposed of (required).
    #[serde(default)]
    #[schema(example = "经站长批准，碎纸机销毁，监销人张三")]
    pub note: String,
}

/// One archived material.
#[derive(Serialize, ToSchema)]
#[schema(as = ArchivedMaterial)]
pub struct ArchiveDto {
    pub id: i64,
    pub session_id: i64,
    pub title: String,
    /// `paper` or `electronic`.
    pub medium: String,
    pub medium_label: String,
    pub location: String,
    /// The electronic material's file name (a typed reference on materials archived before uploads).
    pub file_ref: String,
    /// The uploaded file's type (by its content), size in bytes and tagged digest (`sm3:…`).
    pub file_type: Option<String>,
    pub file_size: Option<i64>,
    pub file_digest: Option<String>,
    /// `GET /api/v1/archives/{id}/file` serves the file (uploaded and not disposed of).
    pub has_file: bool,
    /// YYYY-MM-DD: the first day it may be disposed of.
    #[schema(example = "2029-06-30")]
    pub keep_until: String,
    pub archived_by: String,
    pub archived_at: String,
    pub disposed_at: Option<String>,
    pub disposed_by: Option<String>,
    pub disposal_note: String,
    /// Its date has come and it is not disposed of yet.
    pub due: bool,
}

impl From<ArchiveView> for ArchiveDto {
    fn from(a: ArchiveView) -> Self {
        ArchiveDto {
            id: a.id,
            session_id: a.session_id,
            title: a.title,
            medium: a.medium.id().to_owned(),
            medium_label: a.medium.label().to_owned(),
            location: a.location,
            file_ref: a.file_ref,
            file_type: a.file_type,
            file_size: a.file_size,
            file_digest: a.file_digest,
            has_file: a.has_file,
            keep_until: a.keep_until.to_string(),
            archived_by: a.archived_by,
            archived_at: crate::view::shanghai(a.archived_at),
            disposed_at: a.disposed_at.map(crate::view::shanghai),
            disposed_by: a.disposed_by,
            disposal_note: a.disposal_note,
            due: a.due,
        }
    }
}

/// A session's archive.
#[derive(Serialize, ToSchema)]
#[schema(as = SessionArchives)]
pub struct SessionArchivesDto {
    pub session_id: i64,
    /// YYYY-MM-DD: the day the score register was first confirmed, if it was.
    pub confirmed_on: Option<String>,
    pub items: Vec<ArchiveDto>,
    pub can_archive: bool,
    pub can_dispose: bool,
}

impl From<SessionArchives> for SessionArchivesDto {
    fn from(a: SessionArchives) -> Self {
        SessionArchivesDto {
            session_id: a.session_id,
            confirmed_on: a.confirmed_on.map(|d| d.to_string()),
            items: a.items.into_iter().map(Into::into).collect(),
            can_archive: a.can_archive,
            can_dispose: a.can_dispose,
        }
    }
}

/// A material due for disposal with its session.
#[derive(Serialize, ToSchema)]
#[schema(as = DueMaterial)]
pub struct DueArchiveDto {
    pub archive: ArchiveDto,
    pub station_name: String,
    pub project_code: String,
    pub project_name: String,
}

impl From<DueArchive> for DueArchiveDto {
    fn from(d: DueArchive) -> Self {
        DueArchiveDto {
            archive: d.archive.into(),
            station_name: d.session.station_name,
            project_code: d.session.project_code,
            project_name: d.session.project_name,
        }
    }
}

/// E7: the session's archived materials, oldest first, for everyone who reads the session.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/archives", tag = "archives", params(("id" = i64, Path)),
    responses((status = 200, body = SessionArchivesDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn session_archives(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<SessionArchivesDto>, ApiError> {
    caller.require(Action::ListSessions)?;
    Ok(Json(state.store.session_archives(&caller.principal, id).await?.into()))
}

/// E7: the session's station archives a paper material once the score register is confirmed; the date
/// it keeps until is computed (paper 3 years, electronic 5 years after the first confirmation, by
/// policy). An electronic material needs its file: `POST /api/v1/sessions/{id}/archives/upload`.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/archives", tag = "archives", params(("id" = i64, Path)), request_body = ArchiveInputDto,
    responses((status = 201, body = Created), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "字段错误：材料名称（ARCHIVE_TITLE_REQUIRED）、载体、存放地点（ARCHIVE_LOCATION_REQUIRED）；电子材料须上传文件（ARCHIVE_FILE_REQUIRED，请用 …/archives/upload）", body = ErrorEnvelope),
        (status = 409, description = "冲突：成绩登分册尚未审核确认（ARCHIVE_BEFORE_CONFIRMATION）", body = ErrorEnvelope)))]
pub async fn archive_material(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<ArchiveInputDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::PlanSessions)?;
    let ApiJson(b) = body?;
    let input = ArchiveInput { title: b.title, medium: b.medium, location: b.location };
    let id = state.store.archive_material(&caller.principal, id, &input, ArchiveUpload::default(), &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// E7: the session's station archives a material with its file (`multipart/form-data`: `title`,
/// `medium`, `location` for paper, `file` for electronic); the file is checked by its content and
/// kept with its digest in the same transaction as the audit record.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/archives/upload", tag = "archives", params(("id" = i64, Path)),
    request_body(content = ArchiveUploadDto, content_type = "multipart/form-data"),
    responses((status = 201, body = Created), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "字段错误：未上传电子文件（ARCHIVE_FILE_REQUIRED）、文件类型不符（ARCHIVE_FILE_TYPE）、超过大小上限（ARCHIVE_FILE_TOO_LARGE）、材料名称、载体、存放地点", body = ErrorEnvelope),
        (status = 409, description = "冲突：成绩登分册尚未审核确认（ARCHIVE_BEFORE_CONFIRMATION）", body = ErrorEnvelope)))]
pub async fn upload_material(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::PlanSessions)?;
    let form = super::pages::read_archive_form(multipart).await?;
    let id = state.store.archive_material(&caller.principal, id, &form.input, form.upload(), &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// E7: the uploaded file of an electronic material, for whoever reads the session's archives.
#[utoipa::path(get, path = "/api/v1/archives/{id}/file", tag = "archives", params(("id" = i64, Path)),
    responses((status = 200, description = "电子材料文件本身，内容类型为归档时按文件头识别的类型（Word、Excel 的新格式为 application/zip）", content(
            (FileBytes = "application/pdf"), (FileBytes = "image/jpeg"), (FileBytes = "image/png"), (FileBytes = "application/zip"))),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：已登记销毁，文件已删除（ARCHIVE_FILE_DISPOSED）", body = ErrorEnvelope)))]
pub async fn download_file(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    caller.require(Action::ListSessions)?;
    let (a, bytes) = state.store.archive_file(&caller.principal, id).await?;
    Ok(named_file_response(&a.file_ref, a.file_type.as_deref().unwrap_or("application/octet-stream"), bytes))
}

/// E7: the station or the organizer records the disposal of a material on or after its date, with how
/// and why; the record is kept.
#[utoipa::path(post, path = "/api/v1/archives/{id}/dispose", tag = "archives", params(("id" = i64, Path)), request_body = DisposeInputDto,
    responses((status = 204, description = "已登记销毁"), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：保存期未满（ARCHIVE_NOT_DUE）或已登记销毁（ARCHIVE_DISPOSED）", body = ErrorEnvelope)))]
pub async fn dispose_material(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<DisposeInputDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ListSessions)?;
    let ApiJson(b) = body?;
    state.store.dispose_material(&caller.principal, id, &DisposeInput { note: b.note }, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// E7: the materials in the caller's scope due for disposal (date come, not disposed of), earliest first.
#[utoipa::path(get, path = "/api/v1/archives/due", tag = "archives", params(DueParams, PageParams),
    responses((status = 200, body = PageView<DueArchiveDto>), (status = 422, description = "FILTER_INVALID：载体取值无效", body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)))]
pub async fn archives_due(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(f): Query<DueParams>,
    Query(q): Query<PageParams>,
) -> Result<Json<PageView<DueArchiveDto>>, ApiError> {
    caller.require(Action::ListSessions)?;
    let filter = DueFilter { q: f.q, medium: crate::view::filter_value("medium", "载体", f.medium.as_deref())? };
    Ok(Json(state.store.archives_due(&caller.principal, &filter, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// The filter of the materials due for disposal.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueParams {
    /// A part of the material's name.
    q: Option<String>,
    /// The medium: `paper` (纸质) or `electronic` (电子).
    medium: Option<String>,
}
