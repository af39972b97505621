//! Assessment projects over the API (P1, P3, P4, P7, P8): every step a page offers — the list, a
//! project, the specification (create and edit a draft), submission, every other step through one
//! `actions` operation, a member's opinion, an adoption, training materials, the files (multipart
//! `kind` + `file`). The bodies are this module's (`ProjectSummaryDto` …), converted from and into the
//! store's types; the domain's form inputs (`SpecificationInput`, `OpinionInput`, `AdoptionInput`,
//! `MaterialInput`) carry their own schemas.

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::areas::filings::api::FileBytes;
use crate::areas::filings::materials::read_upload;
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError};
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::authz::Action;
use domain::projects::{AdoptionInput, MaterialInput, OpinionInput, ProjectState, SpecificationInput};
use serde::{Deserialize, Serialize};
use store::projects::{
    MaterialView, OpinionView, ProjectActionInput, ProjectDetail, ProjectFileView, ProjectQuery, ProjectSummary,
    ReviewMemberView,
};
use store::workflow::TimelineItem;
use store::{PageReq, StoreError};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ProjectListParams {
    /// A state id, e.g. `submitted`.
    state: Option<String>,
    /// Project name or code contains.
    q: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// Projects in the caller's scope: a development unit its own (drafts included), a city those
/// submitted to it, the province every submitted or adopted one.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", params(ProjectListParams),
    responses((status = 200, body = PageView<ProjectSummaryDto>), (status = 403, body = ErrorEnvelope),
    (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn list_projects(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<ProjectListParams>,
) -> Result<Json<PageView<ProjectSummaryDto>>, ApiError> {
    caller.require(Action::ListProjects)?;
    let query = ProjectQuery { state: crate::view::filter_value("state", "办理状态", q.state.as_deref())?, q: q.q };
    Ok(Json(state.store.list_projects(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// P3: save a development application's specification, a draft until submitted: it may be
/// half-filled; what is filled in is checked (the name rule, weights, ranges), and submission checks
/// every field.
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = SpecificationInput,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_project(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<SpecificationInput>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ApplyProject)?;
    let ApiJson(input) = body?;
    let id = state.store.create_project(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A project with its specification, provenance, review, files, materials, timeline and the steps the
/// caller may take now.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_project(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<ProjectDetailDto>, ApiError> {
    Ok(Json(state.store.get_project(&caller.principal, id).await?.into()))
}

/// P3: edit the specification while the application is a draft or was returned.
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = i64, Path)), request_body = SpecificationInput,
    responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：开发申请已提交，不能再修改（PROJECT_NOT_EDITABLE）", body = ErrorEnvelope)))]
pub async fn update_project(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<SpecificationInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    if !caller.principal.can(Action::ApplyProject) {
        // Still 404 outside the scope: ask the store first.
        state.store.get_project(&caller.principal, id).await?;
        return Err(ApiError(AppError::Forbidden));
    }
    let ApiJson(input) = body?;
    state.store.update_project(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
#[schema(as = ProjectActionResult)]
pub struct ProjectActionResultDto {
    /// The project's state after the step.
    pub state: String,
}

/// P3: the development unit submits its application (again after a return): the whole specification
/// is checked (every error at once) and the feasibility report must be attached.
#[utoipa::path(post, path = "/api/v1/projects/{id}/submit", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectActionResultDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, description = "冲突：开发申请不是草稿或退回状态", body = ErrorEnvelope),
        (status = 422, description = "考核规范不完整或可行性分析报告未上传", body = ErrorEnvelope)))]
pub async fn submit_project(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<ProjectActionResultDto>, ApiError> {
    let s = state.store.submit_project(&caller.principal, id, &caller.ctx).await?;
    Ok(Json(ProjectActionResultDto { state: s.id().to_string() }))
}

/// One step: `submit`, `city_return`, `forward`, `province_return`, `draw_review` (`group_size`),
/// `open_review`, `establish`, `reject`, `publish` (`publication_date`), `roll_out`, `stop`,
/// `approve_adoption` (`publication_date`, `pilot`), `reject_adoption`; a return, rejection or stop
/// takes a `reason`.
#[utoipa::path(post, path = "/api/v1/projects/{id}/actions", tag = "projects", params(("id" = i64, Path)), request_body = ProjectActionInputDto,
    responses((status = 200, body = ProjectActionResultDto), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：当前状态不能办理该步骤，或刚被他人办理（PROJECT_CHANGED）", body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn act_on_project(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<ProjectActionInputDto>, ApiError>,
) -> Result<Json<ProjectActionResultDto>, ApiError> {
    // A review group member reaches a project too (and is told it is not theirs to act on).
    if !caller.principal.can(Action::ListProjects) && !caller.principal.can(Action::FileProjectOpinion) {
        return Err(ApiError(AppError::Forbidden));
    }
    let ApiJson(input) = body?;
    let s = state.store.act_on_project(&caller.principal, id, &input.into(), &caller.ctx).await?;
    Ok(Json(ProjectActionResultDto { state: s.id().to_string() }))
}

/// P4: a member of the opened review group files an opinion, once.
#[utoipa::path(post, path = "/api/v1/projects/{id}/opinion", tag = "projects", params(("id" = i64, Path)), request_body = OpinionInput,
    responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：项目不在论证评审阶段（PROJECT_NOT_REVIEWING），或已提交过评审意见（PROJECT_OPINION_FILED）", body = ErrorEnvelope)))]
pub async fn file_opinion(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<OpinionInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    state.store.may_file_opinion(&caller.principal, id).await?;
    let ApiJson(input) = body?;
    state.store.file_opinion(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// P1: the province records a project published by the national center or another province; it waits
/// for approval (`approve_adoption`).
#[utoipa::path(post, path = "/api/v1/projects/adoptions", tag = "projects", request_body = AdoptionInput,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn record_adoption(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<AdoptionInput>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ManageCatalog)?;
    let ApiJson(input) = body?;
    let id = state.store.record_adoption(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// P7: the province records a training material or exam guide of an established project.
#[utoipa::path(post, path = "/api/v1/projects/{id}/materials", tag = "projects", params(("id" = i64, Path)), request_body = MaterialInput,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核项目尚未设立（PROJECT_NOT_ESTABLISHED）", body = ErrorEnvelope)))]
pub async fn add_material(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<MaterialInput>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ManageCatalog)?;
    let ApiJson(input) = body?;
    let m = state.store.add_material(&caller.principal, id, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id: m })))
}

/// P7: the province removes a material recorded in error.
#[utoipa::path(delete, path = "/api/v1/projects/{id}/materials/{material}", tag = "projects", params(("id" = i64, Path), ("material" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn remove_material(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, material)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    state.store.remove_material(&caller.principal, id, material, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The upload of a material's file (`multipart/form-data`).
#[derive(ToSchema)]
#[schema(as = MaterialFileUploadForm)]
#[allow(dead_code)] // documents the multipart body; read by `read_upload`
pub struct MaterialFileUploadFormDto {
    /// The textbook or guide itself: PDF, JPG, PNG, Word or Excel, at most 20 MB.
    pub file: FileBytes,
}

/// P7: the province keeps the file of a recorded training material or exam guide (multipart: `file`);
/// a second upload replaces the first. A public project's catalog page links it.
#[utoipa::path(post, path = "/api/v1/projects/{id}/materials/{material}/file", tag = "projects",
    params(("id" = i64, Path), ("material" = i64, Path)),
    request_body(content = MaterialFileUploadFormDto, content_type = "multipart/form-data"),
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：该教材的文件刚被他人更改（PROJECT_CHANGED）", body = ErrorEnvelope)))]
pub async fn upload_material_file(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, material)): Path<(i64, i64)>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ManageCatalog)?;
    let Ok(multipart) = multipart else {
        // Not an upload: a missing project or material is still 404 first.
        return match state.store.attach_material_file(&caller.principal, id, material, "", &[], &caller.ctx).await {
            Err(StoreError::Invalid(_)) | Ok(_) => Err(ApiError(AppError::UnsupportedMediaType)),
            Err(e) => Err(e.into()),
        };
    };
    let (_, name, bytes) = read_upload(multipart).await?;
    let f = state.store.attach_material_file(&caller.principal, id, material, &name, &bytes, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id: f })))
}

/// An upload of one file of a project (`multipart/form-data`).
#[derive(ToSchema)]
#[schema(as = ProjectUploadForm)]
pub struct ProjectUploadFormDto {
    /// `feasibility_report` (the development unit, P3) or `adoption_evidence` (the province, P1).
    #[schema(example = "feasibility_report")]
    pub kind: String,
    /// PDF, JPG, PNG, Word or Excel, at most 20 MB.
    pub file: FileBytes,
}

/// P3/P1: keep a file with a project (multipart: `kind`, `file`): the unit's feasibility report while
/// the application may change, the province's evidence of an adoption awaiting approval.
#[utoipa::path(post, path = "/api/v1/projects/{id}/files", tag = "projects", params(("id" = i64, Path)),
    request_body(content = ProjectUploadFormDto, content_type = "multipart/form-data"),
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：开发申请已提交，不能再更改文件", body = ErrorEnvelope)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let kind_of = |k: &str| k.trim().parse().unwrap_or(domain::projects::ProjectFileKind::FeasibilityReport);
    let Ok(multipart) = multipart else {
        // Not an upload: the store still answers 404/403 first for callers who may not attach here.
        state.store.add_project_file(&caller.principal, id, kind_of(""), "", &[], &caller.ctx).await?;
        return Err(ApiError(AppError::UnsupportedMediaType));
    };
    let (kind, name, bytes) = read_upload(multipart).await?;
    let f = state.store.add_project_file(&caller.principal, id, kind_of(&kind), &name, &bytes, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id: f })))
}

/// Download one file of a project.
#[utoipa::path(get, path = "/api/v1/projects/{id}/files/{file}", tag = "projects", params(("id" = i64, Path), ("file" = i64, Path)), responses(
    (status = 200, description = "文件本身，内容类型为上传时按文件头识别的类型（Word、Excel 的新格式为 application/zip）", content(
        (FileBytes = "application/pdf"), (FileBytes = "image/jpeg"), (FileBytes = "image/png"),
        (FileBytes = "application/zip"), (FileBytes = "application/msword"))),
    (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn download(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (meta, bytes) = state.store.read_project_file(&caller.principal, id, file).await?;
    Ok(file_response(&meta, bytes))
}

/// Remove a file while it may still change (the unit's report before submission).
#[utoipa::path(delete, path = "/api/v1/projects/{id}/files/{file}", tag = "projects", params(("id" = i64, Path), ("file" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：开发申请已提交，不能再删除文件", body = ErrorEnvelope)))]
pub async fn remove_file(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    state.store.remove_project_file(&caller.principal, id, file, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A download answer: the sniffed type and the name as kept (RFC 5987 for Chinese names).
pub fn file_response(meta: &ProjectFileView, bytes: Vec<u8>) -> Response {
    let ext: String =
        meta.filename.rsplit_once('.').map_or("", |(_, e)| e).chars().filter(char::is_ascii_alphanumeric).collect();
    let encoded: String = meta
        .filename
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'.' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    (
        [
            (header::CONTENT_TYPE, meta.content_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"attachment.{ext}\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}

// ---- bodies ------------------------------------------------------------------------------------------

/// A step asked for on a project. Only the fields of the step are read.
#[derive(Deserialize, ToSchema)]
#[schema(as = ProjectActionInput)]
pub struct ProjectActionInputDto {
    /// One of the event ids (`forward`, `city_return`, `draw_review`, `publish`, …).
    #[serde(default)]
    #[schema(required = true)]
    pub kind: String,
    /// The reason of a return, a rejection (of a project or an adoption) or a stop (2–1000 characters).
    #[serde(default)]
    pub reason: String,
    /// `publish`, `approve_adoption`: the publication date, `YYYY-MM-DD`, not before today.
    #[serde(default)]
    pub publication_date: String,
    /// `approve_adoption`: pilot (true) or in force at once (false).
    pub pilot: Option<bool>,
    /// `draw_review`: the group's size (default: policy).
    pub group_size: Option<u32>,
}

impl From<ProjectActionInputDto> for ProjectActionInput {
    fn from(d: ProjectActionInputDto) -> Self {
        ProjectActionInput {
            kind: d.kind,
            reason: d.reason,
            publication_date: d.publication_date,
            pilot: d.pilot,
            group_size: d.group_size,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ProjectSummary)]
pub struct ProjectSummaryDto {
    pub id: i64,
    /// `developed` or `adopted`.
    pub origin: String,
    pub state: String,
    pub name: String,
    /// The project code, once established or adopted.
    pub code: Option<String>,
    /// The development unit; for an adopted project, who published it.
    pub devunit_name: String,
    /// `city` or `province`.
    pub receiver: String,
    pub receiving_region: Option<String>,
    /// `YYYY-MM-DD`.
    pub publication_date: Option<String>,
    pub submitted_at: Option<String>,
    pub updated_at: String,
}

impl From<ProjectSummary> for ProjectSummaryDto {
    fn from(s: ProjectSummary) -> Self {
        ProjectSummaryDto {
            id: s.id,
            origin: s.origin.id().to_string(),
            state: s.state.id().to_string(),
            name: s.name,
            code: s.code,
            devunit_name: s.devunit_name,
            receiver: s.receiver.id().to_string(),
            receiving_region: s.receiving_region,
            publication_date: s.publication_date.map(|d| d.to_string()),
            submitted_at: s.submitted_at.map(crate::view::shanghai),
            updated_at: crate::view::shanghai(s.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ProjectReviewMember)]
pub struct ReviewMemberDto {
    pub expert_id: i64,
    pub name: String,
    /// Whether the member has filed an opinion.
    pub filed: bool,
}

impl From<ReviewMemberView> for ReviewMemberDto {
    fn from(m: ReviewMemberView) -> Self {
        ReviewMemberDto { expert_id: m.expert_id, name: m.name, filed: m.filed }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ProjectOpinion)]
pub struct OpinionDto {
    pub expert_id: i64,
    pub expert_name: String,
    /// `agree`, `revise` or `disagree`.
    pub conclusion: String,
    pub comments: String,
    pub recorded_at: String,
}

impl From<OpinionView> for OpinionDto {
    fn from(o: OpinionView) -> Self {
        OpinionDto {
            expert_id: o.expert_id,
            expert_name: o.expert_name,
            conclusion: o.conclusion.id().to_string(),
            comments: o.comments,
            recorded_at: crate::view::shanghai(o.recorded_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ProjectFile)]
pub struct ProjectFileDto {
    pub id: i64,
    /// `feasibility_report`, `adoption_evidence` or `material_file`.
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// SM3 digest of the bytes, hex.
    pub digest: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

impl From<ProjectFileView> for ProjectFileDto {
    fn from(f: ProjectFileView) -> Self {
        ProjectFileDto {
            id: f.id,
            kind: f.kind.id().to_string(),
            filename: f.filename,
            content_type: f.content_type,
            size: f.size,
            digest: f.digest,
            uploaded_by: f.uploaded_by,
            uploaded_at: crate::view::shanghai(f.uploaded_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ProjectMaterial)]
pub struct MaterialDto {
    pub id: i64,
    /// `textbook` or `exam_guide`.
    pub kind: String,
    pub title: String,
    pub publisher: String,
    pub year: i32,
    /// The material's own file (a project file of kind `material_file`), once uploaded.
    pub file_id: Option<i64>,
}

impl From<MaterialView> for MaterialDto {
    fn from(m: MaterialView) -> Self {
        MaterialDto {
            id: m.id,
            kind: m.kind.id().to_string(),
            title: m.title,
            publisher: m.publisher,
            year: m.year,
            file_id: m.file_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ProjectProvenance)]
pub struct ProvenanceDto {
    /// `national` or `other_province`.
    pub source: String,
    pub province: Option<String>,
    pub original_code: String,
    /// `YYYY-MM-DD`.
    pub original_publication_date: String,
    /// How the public page reads it.
    pub description: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ProjectTimelineItem)]
pub struct ProjectTimelineItemDto {
    pub at: String,
    /// The login name of whoever acted (`system` for the system).
    pub actor: String,
    pub actor_name: String,
    pub from_state: String,
    pub to_state: String,
    pub comment: String,
}

impl From<TimelineItem<ProjectState>> for ProjectTimelineItemDto {
    fn from(t: TimelineItem<ProjectState>) -> Self {
        ProjectTimelineItemDto {
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
#[schema(as = ProjectDetail)]
pub struct ProjectDetailDto {
    pub summary: ProjectSummaryDto,
    /// The specification as saved (a draft's may be half-filled).
    pub specification: SpecificationInput,
    /// Whether the specification parses whole (what submission checks, the policy's panel minimum aside).
    pub complete: bool,
    pub provenance: Option<ProvenanceDto>,
    pub evidence: Option<String>,
    /// P8: the pilot's last day, while in pilot.
    pub pilot_end: Option<String>,
    pub draw_id: Option<i64>,
    pub seal_open: bool,
    /// The opened group (for the province and the group's members).
    pub group: Vec<ReviewMemberDto>,
    pub opinions: Vec<OpinionDto>,
    /// `agree`, `revise` or `disagree`, once every member filed.
    pub group_conclusion: Option<String>,
    pub decision_reason: Option<String>,
    pub files: Vec<ProjectFileDto>,
    pub materials: Vec<MaterialDto>,
    /// The step ids the caller may take now.
    pub actions: Vec<String>,
    pub timeline: Vec<ProjectTimelineItemDto>,
}

impl From<ProjectDetail> for ProjectDetailDto {
    fn from(d: ProjectDetail) -> Self {
        ProjectDetailDto {
            summary: d.summary.into(),
            specification: d.specification,
            complete: d.parsed.is_some(),
            provenance: d.provenance.map(|p| ProvenanceDto {
                description: p.describe(),
                source: p.source.id().to_string(),
                province: p.province.clone(),
                original_code: p.original_code.clone(),
                original_publication_date: p.original_publication_date.to_string(),
            }),
            evidence: d.evidence,
            pilot_end: d.pilot_end.map(|e| e.to_string()),
            draw_id: d.draw_id,
            seal_open: d.seal_open,
            group: d.group.into_iter().map(Into::into).collect(),
            opinions: d.opinions.into_iter().map(Into::into).collect(),
            group_conclusion: d.group_conclusion.map(|c| c.id().to_string()),
            decision_reason: d.decision_reason,
            files: d.files.into_iter().map(Into::into).collect(),
            materials: d.materials.into_iter().map(Into::into).collect(),
            actions: d.actions.into_iter().map(|k| k.id().to_string()).collect(),
            timeline: d.timeline.into_iter().map(Into::into).collect(),
        }
    }
}
