//! Papers released to an exam over the API (E2): the list, a request, one release with its ledger, and
//! every custody step (the approval included) through one `steps` operation. Bodies are this module's
//! `…Dto`s, converted from and into the store's types.

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::authz::Action;
use domain::question_bank::CustodyStep;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::releases::{
    CustodyInput, CustodyView, ReleaseDetail, ReleaseQuery, ReleaseRequestInput, ReleaseView, SessionRelease,
};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ReleaseListParams {
    /// Words of the exam (station, name).
    q: Option<String>,
    /// The last step recorded: `requested`, `approved`, `printed`, `sealed`, `handed_over`, `opened`,
    /// `returned` or `destroyed`.
    state: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// A request to use papers for an exam.
#[derive(Deserialize, ToSchema)]
#[schema(as = ReleaseRequest)]
pub struct ReleaseRequestDto {
    /// The exam session the papers are for (issue 12; optional): its project, first day and words
    /// are the request's unless given; only its organizer may ask, once the plan is approved.
    #[serde(default)]
    #[schema(example = "3")]
    pub session_id: String,
    /// The catalog project's code.
    #[serde(default)]
    #[schema(example = "0001")]
    pub project_code: String,
    /// The exam in words: station, session.
    #[serde(default)]
    pub exam: String,
    /// `YYYY-MM-DD`, today or later.
    #[serde(default)]
    #[schema(example = "2026-12-20")]
    pub exam_date: String,
    /// Copies asked for, 1–2000.
    #[serde(default)]
    #[schema(example = "40")]
    pub copies: String,
}

/// One custody step (the approval included).
#[derive(Deserialize, ToSchema)]
#[schema(as = CustodyStepInput)]
pub struct CustodyStepDto {
    /// `approved`, `printed`, `sealed`, `handed_over`, `opened`, `returned` or `destroyed`.
    #[serde(default)]
    #[schema(example = "printed")]
    pub step: String,
    /// The last step the caller saw (optional; a different current step answers 409 `RELEASE_CHANGED`).
    #[serde(default)]
    pub expected_state: String,
    /// The person responsible for the step.
    #[serde(default)]
    pub responsible: String,
    /// The step's copies (returned/destroyed: the leftovers).
    #[serde(default)]
    pub copies: String,
    /// `approved`: the paper allocated (an assembled paper of the project).
    #[serde(default)]
    pub paper_id: String,
    /// `handed_over`: to whom.
    #[serde(default)]
    pub recipient: String,
    /// `opened`: the two candidate witnesses.
    #[serde(default)]
    pub witness1: String,
    #[serde(default)]
    pub witness2: String,
    /// `returned`/`destroyed`: the copies answered by candidates.
    #[serde(default)]
    pub used: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = Release)]
pub struct ReleaseDto {
    pub id: i64,
    pub project_code: String,
    pub project_name: String,
    /// The requesting center.
    pub org_name: String,
    pub exam: String,
    pub exam_date: String,
    pub copies_requested: u32,
    pub paper_id: Option<i64>,
    /// `A` or `B`.
    pub paper_label: Option<String>,
    pub copies_approved: Option<u32>,
    /// The last step recorded.
    pub state: String,
    pub state_label: String,
    pub requested_by: String,
    pub created_at: String,
    /// The exam session the papers are for.
    pub session_id: Option<i64>,
}

impl From<ReleaseView> for ReleaseDto {
    fn from(r: ReleaseView) -> Self {
        ReleaseDto {
            id: r.id,
            project_code: r.project_code,
            project_name: r.project_name,
            org_name: r.org_name,
            exam: r.exam,
            exam_date: r.exam_date.to_string(),
            copies_requested: r.copies_requested,
            paper_id: r.paper_id,
            paper_label: r.paper_label,
            copies_approved: r.copies_approved,
            state: r.state.id().to_owned(),
            state_label: r.state.label().to_owned(),
            requested_by: r.requested_by,
            created_at: crate::view::shanghai(r.created_at),
            session_id: r.session_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = CustodyRecord)]
pub struct CustodyDto {
    pub step: String,
    pub step_label: String,
    pub responsible: String,
    pub copies: u32,
    pub recipient: String,
    pub witnesses: Vec<String>,
    pub used: u32,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl From<CustodyView> for CustodyDto {
    fn from(e: CustodyView) -> Self {
        CustodyDto {
            step: e.step.id().to_owned(),
            step_label: e.step.label().to_owned(),
            responsible: e.responsible,
            copies: e.copies,
            recipient: e.recipient,
            witnesses: e.witnesses,
            used: e.used,
            recorded_by: e.recorded_by,
            recorded_at: crate::view::shanghai(e.recorded_at),
        }
    }
}

/// A paper that may be allocated.
#[derive(Serialize, ToSchema)]
#[schema(as = ReleasePaperChoice)]
pub struct PaperChoiceDto {
    pub id: i64,
    pub label: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ReleaseDetail)]
pub struct ReleaseDetailDto {
    pub release: ReleaseDto,
    pub ledger: Vec<CustodyDto>,
    /// The steps that may come next.
    pub next: Vec<String>,
    /// The next steps this caller may record.
    pub can_record: Vec<String>,
    /// For the approval: the project's assembled papers.
    pub papers: Vec<PaperChoiceDto>,
}

impl From<ReleaseDetail> for ReleaseDetailDto {
    fn from(d: ReleaseDetail) -> Self {
        let ids = |v: Vec<CustodyStep>| v.into_iter().map(|s| s.id().to_owned()).collect();
        ReleaseDetailDto {
            release: d.release.into(),
            ledger: d.ledger.into_iter().map(Into::into).collect(),
            next: ids(d.next),
            can_record: ids(d.can_record),
            papers: d.papers.into_iter().map(|(id, label)| PaperChoiceDto { id, label }).collect(),
        }
    }
}

/// E2: the releases in the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/releases", tag = "releases", params(ReleaseListParams),
    responses((status = 200, body = PageView<ReleaseDto>), (status = 403, body = ErrorEnvelope),
    (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn list_releases(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<ReleaseListParams>,
) -> Result<Json<PageView<ReleaseDto>>, ApiError> {
    caller.require(Action::ListPaperReleases)?;
    let st: Option<CustodyStep> = crate::view::filter_value("state", "当前环节", q.state.as_deref())?;
    let query = ReleaseQuery { q: q.q, state: st.map(|s| s.id().to_owned()) };
    Ok(Json(state.store.list_releases(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// E2: a center asks for papers of a catalog project for an exam (the project must be able to hold an
/// exam on that date, P8).
#[utoipa::path(post, path = "/api/v1/releases", tag = "releases", request_body = ReleaseRequestDto,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn request_release(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<ReleaseRequestDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::RequestPapers)?;
    let ApiJson(b) = body?;
    let input = ReleaseRequestInput {
        session_id: b.session_id,
        project_code: b.project_code,
        exam: b.exam,
        exam_date: b.exam_date,
        copies: b.copies,
    };
    let id = state.store.request_release(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// E2: one release with its custody ledger and the steps the caller may record next.
#[utoipa::path(get, path = "/api/v1/releases/{id}", tag = "releases", params(("id" = i64, Path)),
    responses((status = 200, body = ReleaseDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_release(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<ReleaseDetailDto>, ApiError> {
    Ok(Json(state.store.get_release(&caller.principal, id).await?.into()))
}

/// E2: record the next custody step. A count that does not reconcile is 422 naming the step and the
/// missing copies (`CUSTODY_COUNT_MISMATCH`, `CUSTODY_UNRECONCILED`) and records nothing.
#[utoipa::path(post, path = "/api/v1/releases/{id}/steps", tag = "releases", params(("id" = i64, Path)), request_body = CustodyStepDto,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：该环节不能在此时登记（CUSTODY_OUT_OF_ORDER）或已被他人登记（RELEASE_CHANGED）", body = ErrorEnvelope)))]
pub async fn record_step(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<CustodyStepDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ListPaperReleases)?;
    let ApiJson(b) = body?;
    let input = CustodyInput {
        step: b.step,
        expected_state: b.expected_state,
        responsible: b.responsible,
        copies: b.copies,
        paper_id: b.paper_id,
        recipient: b.recipient,
        witness1: b.witness1,
        witness2: b.witness2,
        used: b.used,
    };
    state.store.record_custody(&caller.principal, id, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A release made for an exam session, with its custody ledger.
#[derive(Serialize, ToSchema)]
#[schema(as = SessionRelease)]
pub struct SessionReleaseDto {
    pub release: ReleaseDto,
    pub ledger: Vec<CustodyDto>,
}

impl From<SessionRelease> for SessionReleaseDto {
    fn from(r: SessionRelease) -> Self {
        SessionReleaseDto { release: r.release.into(), ledger: r.ledger.into_iter().map(Into::into).collect() }
    }
}

/// E2 (issue 12): the papers released for an exam session and their custody ledger, oldest first — for
/// everyone who reads the session (the station included; never the paper's content).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/releases", tag = "releases", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<SessionReleaseDto>), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn session_releases(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<SessionReleaseDto>>, ApiError> {
    caller.require(Action::ListSessions)?;
    Ok(Json(state.store.session_releases(&caller.principal, id).await?.into_iter().map(Into::into).collect()))
}
