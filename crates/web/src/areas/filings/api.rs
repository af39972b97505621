//! Station filing over the API (S1–S5): every step of the procedure, so integrations and scripted
//! checks can run it without the UI; the materials (S2: upload as multipart `kind` + `file`, list,
//! download, remove); the public station directory (S5). The bodies are this module's
//! (`FilingSummaryDto` …), converted from and into the store's types; their OpenAPI schemas keep the
//! names `FilingSummary` ….

use super::materials::{file_response, read_upload};
use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError};
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::stations::{ApplicationInput, FilingState, FindingsInput};
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::attachments::AttachmentView;
use store::filings::{
    DirectoryQuery, EvaluationPlan, FilingActionInput, FilingDetail, FilingQuery, FilingSummary, FindingView,
    StationListing,
};
use store::workflow::TimelineItem;
use time::Date;
use utoipa::{IntoParams, ToSchema};

/// S4: what the calling group member signed last time (null before the first time); 404 for anyone
/// who is not a member of the filing's opened evaluation group.
#[utoipa::path(get, path = "/api/v1/filings/{id}/findings", tag = "filings", params(("id" = i64, Path)),
    responses((status = 200, body = Option<FindingsInput>, description = "上次签署的评估意见；尚未签署时为 null"), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn own_findings(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Option<FindingsInput>>, ApiError> {
    Ok(Json(state.store.own_findings(&caller.principal, id).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct FilingListParams {
    /// A state id, e.g. `submitted`.
    state: Option<String>,
    /// Institution name or reference number (`备2026-0001`) contains.
    q: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// Filings in the caller's scope: a station its own, a city those routed to it, the province all.
#[utoipa::path(get, path = "/api/v1/filings", tag = "filings", params(FilingListParams), responses((status = 200, body = PageView<FilingSummaryDto>), (status = 403, body = ErrorEnvelope),
    (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn list_filings(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<FilingListParams>,
) -> Result<Json<PageView<FilingSummaryDto>>, ApiError> {
    let query = FilingQuery { state: crate::view::filter_value("state", "办理状态", q.state.as_deref())?, q: q.q };
    Ok(Json(state.store.list_filings(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// A new application pre-filled from the organisation registry (the applicant's name, nature, address,
/// region and contact as registered), to complete and save with `POST /api/v1/filings`.
#[utoipa::path(get, path = "/api/v1/filings/draft", tag = "filings",
    responses((status = 200, body = ApplicationInput), (status = 403, body = ErrorEnvelope)))]
pub async fn new_application(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<ApplicationInput>, ApiError> {
    Ok(Json(state.store.new_application(&caller.principal).await?))
}

/// Save an annex-1 application, a draft until submitted: it may be half-filled; what is filled in is
/// checked (format, length, characters), and submission checks every field.
#[utoipa::path(post, path = "/api/v1/filings", tag = "filings", request_body = ApplicationInput,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_filing(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<ApplicationInput>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(domain::authz::Action::ApplyFiling)?;
    let ApiJson(input) = body?;
    let id = state.store.create_filing(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A filing with its plan, findings, timeline and the steps the caller may take now.
#[utoipa::path(get, path = "/api/v1/filings/{id}", tag = "filings", params(("id" = i64, Path)), responses((status = 200, body = FilingDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_filing(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<FilingDetailDto>, ApiError> {
    Ok(Json(state.store.get_filing(&caller.principal, id).await?.into()))
}

/// Edit the application while it is a draft or was returned.
#[utoipa::path(put, path = "/api/v1/filings/{id}", tag = "filings", params(("id" = i64, Path)), request_body = ApplicationInput,
    responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：申请已提交，不能再修改（FILING_NOT_EDITABLE）", body = ErrorEnvelope)))]
pub async fn update_filing(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<ApplicationInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    if !caller.principal.can(domain::authz::Action::ApplyFiling) {
        // Still 404 outside the scope: ask the store first.
        state.store.get_filing(&caller.principal, id).await?;
        return Err(ApiError(AppError::Forbidden));
    }
    let ApiJson(input) = body?;
    state.store.update_filing(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ActionResult {
    /// The filing's state after the step.
    pub state: String,
}

/// One step: `submit`, `accept`, `return`, `submit_plan` (S3: refused with `EVALUATION_PLAN_TOO_LATE`
/// when fewer than the policy's working days ahead), `approve_plan`, `return_plan`, `draw_group`,
/// `start_evaluation`, `decide`, `suspend`, `reinstate`, `revoke`.
#[utoipa::path(post, path = "/api/v1/filings/{id}/actions", tag = "filings", params(("id" = i64, Path)), request_body = FilingActionInputDto,
    responses((status = 200, body = ActionResult), (status = 403, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn act_on_filing(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FilingActionInputDto>,
) -> Result<Json<ActionResult>, ApiError> {
    let s = state.store.act_on_filing(&caller.principal, id, &input.into(), &caller.ctx).await?;
    Ok(Json(ActionResult { state: s.id().to_string() }))
}

/// S4: a member of the evaluation group records findings by the six methods (after the seal opens).
#[utoipa::path(post, path = "/api/v1/filings/{id}/findings", tag = "filings", params(("id" = i64, Path)), request_body = FindingsInput,
    responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：申请不在评估阶段（FILING_NOT_EVALUATING），或刚被他人办理（FILING_CHANGED）", body = ErrorEnvelope)))]
pub async fn record_findings(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<FindingsInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    state.store.may_record_findings(&caller.principal, id).await?;
    let ApiJson(input) = body?;
    state.store.record_findings(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct DirectoryParams {
    /// City region code.
    city: Option<String>,
    /// The station's institution code, its name or one of its projects' names contains this.
    q: Option<String>,
    /// One of the station's projects is exactly this.
    project: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// S5: the public directory of filed stations (no sign-in), by institution code.
#[utoipa::path(get, path = "/api/v1/stations", tag = "filings", params(DirectoryParams), security(()), responses((status = 200, body = PageView<StationListingDto>)))]
pub async fn station_directory(
    State(state): State<AppState>,
    Query(q): Query<DirectoryParams>,
) -> Result<Json<PageView<StationListingDto>>, ApiError> {
    let page = PageReq::new(q.page, q.per_page);
    let query = DirectoryQuery { city: q.city.as_deref(), q: q.q.as_deref(), project: q.project.as_deref() };
    Ok(Json(state.store.public_stations(&query, page).await?.into()))
}

// ---- materials (S2) ----------------------------------------------------------------------------------

/// Attach a material (multipart: `kind` = qualification_proof | venue_equipment_list | assessor_roster |
/// management_rules, `file` = PDF/JPG/PNG/Word/Excel, at most 20 MB).
#[utoipa::path(post, path = "/api/v1/filings/{id}/attachments", tag = "filings", params(("id" = i64, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：申请已提交，不能再添加材料（FILING_NOT_EDITABLE）", body = ErrorEnvelope)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let Ok(multipart) = multipart else {
        // Not an upload: the store still answers 404/403 first for callers who may not attach here.
        state.store.add_filing_attachment(&caller.principal, id, None, "", &[], &caller.ctx).await?;
        return Err(ApiError(AppError::UnsupportedMediaType));
    };
    let (kind, name, bytes) = read_upload(multipart).await?;
    let att = state
        .store
        .add_filing_attachment(&caller.principal, id, kind.trim().parse().ok(), &name, &bytes, &caller.ctx)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: att })))
}

/// The materials of a filing.
#[utoipa::path(get, path = "/api/v1/filings/{id}/attachments", tag = "filings", params(("id" = i64, Path)), responses((status = 200, body = Vec<AttachmentViewDto>), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AttachmentViewDto>>, ApiError> {
    Ok(Json(state.store.list_filing_attachments(&caller.principal, id).await?.into_iter().map(Into::into).collect()))
}

/// Download one material.
#[utoipa::path(get, path = "/api/v1/filings/{id}/attachments/{att}", tag = "filings", params(("id" = i64, Path), ("att" = i64, Path)), responses(
    (status = 200, description = "材料文件本身，内容类型为上传时按文件头识别的类型（Word、Excel 的新格式为 application/zip）", content(
        (FileBytes = "application/pdf"), (FileBytes = "image/jpeg"), (FileBytes = "image/png"),
        (FileBytes = "application/zip"), (FileBytes = "application/msword"))),
    (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn download(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (meta, bytes) = state.store.read_filing_attachment(&caller.principal, id, att).await?;
    Ok(file_response(&meta, bytes))
}

/// Remove a material while the application can still be edited (draft or returned).
#[utoipa::path(delete, path = "/api/v1/filings/{id}/attachments/{att}", tag = "filings", params(("id" = i64, Path), ("att" = i64, Path)), responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
    (status = 409, description = "冲突：申请已提交，不能再删除材料（FILING_NOT_EDITABLE）", body = ErrorEnvelope)))]
pub async fn remove(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    state.store.remove_filing_attachment(&caller.principal, id, att, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- bodies ------------------------------------------------------------------------------------------

/// An upload of one material (`multipart/form-data`, read by `read_upload`).
#[derive(ToSchema)]
pub struct UploadForm {
    /// `qualification_proof`, `venue_equipment_list`, `assessor_roster` or `management_rules`.
    #[schema(example = "qualification_proof")]
    pub kind: String,
    /// PDF, JPG, PNG, Word or Excel, at most 20 MB.
    pub file: FileBytes,
}

/// A file's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);

/// A step asked for on a filing (page form or API body). Only the fields of the step are read.
#[derive(Deserialize, ToSchema)]
#[schema(as = FilingActionInput)]
pub struct FilingActionInputDto {
    /// One of the event ids (`accept`, `return`, `submit_plan`, …) or `start_evaluation`.
    #[serde(default)]
    #[schema(required = true)]
    pub kind: String,
    /// Reason of a return, plan return, suspension, reinstatement or revocation (required, at least 2
    /// characters); the province's opinion on `decide`.
    #[serde(default)]
    pub reason: String,
    /// `decide`: file (true) or not (false).
    pub approve: Option<bool>,
    /// `submit_plan`: the evaluation date, `YYYY-MM-DD`.
    #[serde(default, with = "domain::calendar::ymd::option")]
    #[schema(value_type = Option<String>)]
    pub evaluation_date: Option<Date>,
    /// `submit_plan`: place, methods and contacts of the evaluation.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub methods: String,
    #[serde(default)]
    pub contacts: String,
    /// `draw_group`: group size (default: policy) and specialties.
    pub group_size: Option<u32>,
    #[serde(default)]
    pub specialties: String,
}

impl From<FilingActionInputDto> for FilingActionInput {
    fn from(a: FilingActionInputDto) -> Self {
        FilingActionInput {
            kind: a.kind,
            reason: a.reason,
            approve: a.approve,
            evaluation_date: a.evaluation_date,
            place: a.place,
            methods: a.methods,
            contacts: a.contacts,
            group_size: a.group_size,
            specialties: a.specialties,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = FilingSummary)]
pub struct FilingSummaryDto {
    pub id: i64,
    pub institution_name: String,
    pub state: String,
    pub state_label: String,
    /// `city` or `province` (S2).
    pub receiver: String,
    pub receiving_region: String,
    pub projects: Vec<String>,
    pub institution_code: Option<String>,
    /// The reference number given at the first submission (policy `number.filing_reference_template`,
    /// e.g. `备2026-0001`); null for a draft never submitted.
    #[schema(example = "备2026-0001")]
    pub reference: Option<String>,
    pub submitted_at: String,
    pub updated_at: String,
}

impl From<FilingSummary> for FilingSummaryDto {
    fn from(s: FilingSummary) -> Self {
        FilingSummaryDto {
            id: s.id,
            institution_name: s.institution_name,
            state: s.state.id().to_string(),
            state_label: s.state.label().to_string(),
            receiver: s.receiver.id().to_string(),
            receiving_region: s.receiving_region,
            projects: s.projects,
            institution_code: s.institution_code,
            reference: s.reference,
            submitted_at: crate::view::shanghai_opt(s.submitted_at),
            updated_at: crate::view::shanghai(s.updated_at),
        }
    }
}

/// The evaluation plan (S3) as stored.
#[derive(Serialize, ToSchema)]
#[schema(as = EvaluationPlan)]
pub struct EvaluationPlanDto {
    #[serde(with = "domain::calendar::ymd")]
    #[schema(value_type = String)]
    pub evaluation_date: Date,
    pub place: String,
    pub methods: String,
    pub contacts: String,
    pub submitted_by: String,
    /// Who reported it, as staff read it: `钱晓燕（长沙市职业技能鉴定中心）`.
    #[schema(required = false)]
    pub submitted_by_name: String,
    #[serde(with = "domain::calendar::ymd")]
    #[schema(value_type = String)]
    pub submitted_on: Date,
}

impl From<EvaluationPlan> for EvaluationPlanDto {
    fn from(p: EvaluationPlan) -> Self {
        EvaluationPlanDto {
            evaluation_date: p.evaluation_date,
            place: p.place,
            methods: p.methods,
            contacts: p.contacts,
            submitted_by: p.submitted_by,
            submitted_by_name: p.submitted_by_name,
            submitted_on: p.submitted_on,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = FindingView)]
pub struct FindingViewDto {
    pub expert_id: i64,
    pub expert_name: String,
    pub conclusion: String,
    pub findings: FindingsInput,
    pub recorded_at: String,
}

impl From<FindingView> for FindingViewDto {
    fn from(f: FindingView) -> Self {
        FindingViewDto {
            expert_id: f.expert_id,
            expert_name: f.expert_name,
            conclusion: f.conclusion.id().to_string(),
            findings: f.findings,
            recorded_at: crate::view::shanghai(f.recorded_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = TimelineItem)]
pub struct TimelineItemDto {
    pub at: String,
    /// The login name of whoever acted (`system` for the system).
    pub actor: String,
    /// How staff read it: the person's name and office, e.g. `李四（长沙市职业技能鉴定中心）`.
    pub actor_name: String,
    pub from_state: String,
    pub to_state: String,
    pub comment: String,
}

impl From<TimelineItem<FilingState>> for TimelineItemDto {
    fn from(t: TimelineItem<FilingState>) -> Self {
        TimelineItemDto {
            at: crate::view::shanghai(t.at),
            actor: t.actor,
            actor_name: t.actor_name,
            from_state: t.from_state.map(|s| s.id().to_string()).unwrap_or_default(),
            to_state: t.to_state.map(|s| s.id().to_string()).unwrap_or_default(),
            comment: t.comment,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = FilingDetail)]
pub struct FilingDetailDto {
    pub summary: FilingSummaryDto,
    pub application: ApplicationInput,
    pub plan: Option<EvaluationPlanDto>,
    pub draw_id: Option<i64>,
    /// The evaluation group's seal is open (the evaluation has started).
    pub seal_open: bool,
    pub findings: Vec<FindingViewDto>,
    pub group_conclusion: String,
    pub province_opinion: String,
    /// The steps the caller may take now (event ids).
    pub actions: Vec<String>,
    pub timeline: Vec<TimelineItemDto>,
}

impl From<FilingDetail> for FilingDetailDto {
    fn from(d: FilingDetail) -> Self {
        FilingDetailDto {
            summary: d.summary.into(),
            application: d.application,
            plan: d.plan.map(Into::into),
            draw_id: d.draw_id,
            seal_open: d.seal_open,
            findings: d.findings.into_iter().map(Into::into).collect(),
            group_conclusion: d.group_conclusion.map(|c| c.id().to_string()).unwrap_or_default(),
            province_opinion: d.province_opinion,
            actions: d.actions.into_iter().map(|k| k.id().to_string()).collect(),
            timeline: d.timeline.into_iter().map(Into::into).collect(),
        }
    }
}

/// A filed station in the public directory (S5).
#[derive(Serialize, ToSchema)]
#[schema(as = StationListing)]
pub struct StationListingDto {
    pub institution_code: String,
    pub name: String,
    pub city: String,
    pub city_name: String,
    pub projects: Vec<String>,
    pub address: String,
    pub contact_phone: String,
    pub filed_on: String,
}

impl From<StationListing> for StationListingDto {
    fn from(s: StationListing) -> Self {
        StationListingDto {
            institution_code: s.institution_code,
            name: s.name,
            city: s.city,
            city_name: s.city_name,
            projects: s.projects,
            address: s.address,
            contact_phone: s.contact_phone,
            filed_on: crate::view::date_opt(s.filed_on),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = AttachmentView)]
pub struct AttachmentViewDto {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub digest: String,
    pub uploaded_by: String,
    /// The uploader's name, as staff read it.
    pub uploaded_by_name: String,
    pub uploaded_at: String,
}

impl From<AttachmentView> for AttachmentViewDto {
    fn from(a: AttachmentView) -> Self {
        AttachmentViewDto {
            id: a.id,
            kind: a.kind.id().to_string(),
            kind_label: a.kind.label().to_string(),
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            digest: a.digest,
            uploaded_by: a.uploaded_by,
            uploaded_by_name: a.uploaded_by_name,
            uploaded_at: crate::view::shanghai(a.uploaded_at),
        }
    }
}
