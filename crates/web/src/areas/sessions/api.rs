//! Exam sessions over the API (E1, E3): the list, a new plan, one session with its candidates (ID
//! numbers masked) and history, the edit, every step through one `actions` operation, and the
//! candidates (one, a roster, removal). Plans and candidates are typed as `ExamPlanInput` and
//! `CandidateInput` (the domain's input types); answers are this module's `…Dto`s.

use super::list::session_query;
use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::authz::Action;
use domain::exams::{CandidateInput, ExamPlanInput};
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::sessions::{CandidateView, SessionActionInput, SessionDetail, SessionView};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct SessionListParams {
    /// Words of the venue.
    q: Option<String>,
    /// `draft`, `submitted`, `approved`, `returned` or `cancelled`.
    state: Option<String>,
    /// A catalog project's code.
    project_code: Option<String>,
    /// A station's organisation id.
    station_org_id: Option<i64>,
    /// First day on or after, `YYYY-MM-DD`.
    from: Option<String>,
    /// First day on or before, `YYYY-MM-DD`.
    to: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// A session.
#[derive(Serialize, ToSchema)]
#[schema(as = ExamSession)]
pub struct SessionDto {
    pub id: i64,
    pub station_org_id: i64,
    pub station_name: String,
    pub project_code: String,
    pub project_name: String,
    /// E1: `province`, or the organizing city center's code.
    #[schema(example = "430100")]
    pub organizer: String,
    pub organizer_label: String,
    pub first_day: String,
    pub last_day: String,
    pub venue: String,
    pub expected_candidates: u32,
    /// Candidates on the list.
    pub candidates: u64,
    pub computer_based: bool,
    pub plan: String,
    /// `draft`, `submitted`, `approved`, `returned` or `cancelled`.
    pub state: String,
    pub state_label: String,
    /// The reasons of the last return, or the cancellation's reason.
    pub decision_reason: String,
    pub submitted_at: Option<String>,
    pub decided_at: Option<String>,
    /// Issue 12: the station takes applications through candidate self-service (开放网上报名).
    pub applications_open: bool,
}

impl From<SessionView> for SessionDto {
    fn from(s: SessionView) -> Self {
        SessionDto {
            id: s.id,
            station_org_id: s.station_org_id,
            station_name: s.station_name,
            project_code: s.project_code,
            project_name: s.project_name,
            organizer: match &s.organizer {
                domain::exams::Organizer::Province => "province".to_owned(),
                domain::exams::Organizer::City(c) => c.clone(),
            },
            organizer_label: s.organizer.label(),
            first_day: s.first_day.to_string(),
            last_day: s.last_day.to_string(),
            venue: s.venue,
            expected_candidates: s.expected_candidates,
            candidates: s.candidates,
            computer_based: s.computer_based,
            plan: s.plan,
            state: s.state.id().to_owned(),
            state_label: s.state.label().to_owned(),
            decision_reason: s.decision_reason,
            submitted_at: s.submitted_at.map(crate::view::shanghai),
            decided_at: s.decided_at.map(crate::view::shanghai),
            applications_open: s.applications_open,
        }
    }
}

/// A candidate (the ID number masked).
#[derive(Serialize, ToSchema)]
#[schema(as = ExamCandidate)]
pub struct CandidateDto {
    pub id: i64,
    pub name: String,
    #[schema(example = "430***********1234")]
    pub id_number_masked: String,
    pub phone: String,
    pub employer: String,
    pub subsidy_category: String,
    pub training: String,
    /// E4, F3: who taught the training class, in the order named.
    pub trainers: Vec<CandidateTrainerDto>,
    /// `roster`, `manual` or `applied`.
    pub source: String,
    /// `applied` or `confirmed`.
    pub state: String,
}

impl From<CandidateView> for CandidateDto {
    fn from(c: CandidateView) -> Self {
        CandidateDto {
            id: c.id,
            name: c.name,
            id_number_masked: c.id_number_masked,
            phone: c.phone,
            employer: c.employer,
            subsidy_category: c.subsidy_category,
            training: c.training,
            trainers: c
                .trainers
                .into_iter()
                .map(|t| CandidateTrainerDto {
                    person_id: t.person_id,
                    name: t.name,
                    card_number: t.card_number,
                    kind: t.kind.id().to_owned(),
                })
                .collect(),
            source: c.source.id().to_owned(),
            state: c.state.id().to_owned(),
        }
    }
}

/// One who taught a candidate's training class: a registry person (E4 recusal, F3).
#[derive(Serialize, ToSchema)]
pub struct CandidateTrainerDto {
    /// The registry person (`/api/v1/registry/{id}`).
    pub person_id: i64,
    pub name: String,
    /// The number they were named by: a trainer's certificate (培训师证书编号) or an assessor's card.
    #[schema(example = "PX4301260001")]
    pub card_number: String,
    /// `trainer`, or `assessor` for one teaching under their assessor card.
    pub kind: String,
}

/// One entry of a session's history.
#[derive(Serialize, ToSchema)]
#[schema(as = ExamSessionEvent)]
pub struct SessionEventDto {
    pub at: String,
    pub actor_name: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub comment: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ExamSessionDetail)]
pub struct SessionDetailDto {
    pub session: SessionDto,
    pub candidates: Vec<CandidateDto>,
    pub history: Vec<SessionEventDto>,
    /// The steps the caller may take now: `edit`, `submit`, `approve`, `return`, `cancel`.
    pub can: Vec<String>,
    /// The caller may add, import and remove candidates now.
    pub can_edit_roster: bool,
}

impl From<SessionDetail> for SessionDetailDto {
    fn from(d: SessionDetail) -> Self {
        SessionDetailDto {
            session: d.session.into(),
            candidates: d.candidates.into_iter().map(Into::into).collect(),
            history: d
                .timeline
                .into_iter()
                .map(|t| SessionEventDto {
                    at: crate::view::shanghai(t.at),
                    actor_name: t.actor_name,
                    from_state: t.from_state.map(|s| s.id().to_owned()),
                    to_state: t.to_state.map(|s| s.id().to_owned()),
                    comment: t.comment,
                })
                .collect(),
            can: d.can.into_iter().map(|k| k.id().to_owned()).collect(),
            can_edit_roster: d.can_edit_roster,
        }
    }
}

/// A step on a session.
#[derive(Deserialize, ToSchema)]
#[schema(as = ExamSessionAction)]
pub struct SessionActionDto {
    /// `submit` (the station), `approve` or `return` (the organizer), `cancel` (the station, before
    /// approval).
    #[serde(default)]
    #[schema(example = "submit")]
    pub action: String,
    /// Required for `return` (the reasons) and `cancel`.
    #[serde(default)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ExamSessionActionResult)]
pub struct SessionActionResultDto {
    /// The session's state after the step.
    pub state: String,
    pub state_label: String,
}

/// A roster imported.
#[derive(Serialize, ToSchema)]
#[schema(as = RosterImported)]
pub struct RosterImportedDto {
    /// Candidates added.
    pub rows: usize,
}

/// E3: the sessions in the caller's scope (a station its own, a city center its city's, the province
/// all), newest first.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "sessions", params(SessionListParams),
    responses((status = 200, body = PageView<SessionDto>), (status = 403, body = ErrorEnvelope),
    (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<SessionListParams>,
) -> Result<Json<PageView<SessionDto>>, ApiError> {
    caller.require(Action::ListSessions)?;
    let query =
        session_query(q.q, q.state.as_deref(), q.project_code, q.station_org_id, (q.from.as_deref(), q.to.as_deref()))?;
    let page = state.store.list_exam_sessions(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page.into()))
}

/// E1, E3: a filed station drafts a session of a catalog project it is filed for (S5) that may hold an
/// exam on those days (P8); E1 decides the organizer.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions", request_body = ExamPlanInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "字段错误；STATION_NOT_FILED_FOR_PROJECT、PROJECT_NOT_IN_CATALOG、PROJECT_PILOT_EXPIRED 等", body = ErrorEnvelope)))]
pub async fn create_session(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<ExamPlanInput>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::PlanSessions)?;
    let ApiJson(input) = body?;
    let id = state.store.create_exam_session(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// E3: one session with its candidates and history.
#[utoipa::path(get, path = "/api/v1/sessions/{id}", tag = "sessions", params(("id" = i64, Path)),
    responses((status = 200, body = SessionDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_session(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<SessionDetailDto>, ApiError> {
    Ok(Json(state.store.get_exam_session(&caller.principal, id).await?.into()))
}

/// E1, E3: the station edits its draft or returned plan (E1 decides the organizer again).
#[utoipa::path(put, path = "/api/v1/sessions/{id}", tag = "sessions", params(("id" = i64, Path)), request_body = ExamPlanInput,
    responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核计划已报送或已批准，不能修改（SESSION_STATE）", body = ErrorEnvelope)))]
pub async fn update_session(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<ExamPlanInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::PlanSessions)?;
    let ApiJson(input) = body?;
    state.store.update_exam_session(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// E3: submit (on time: `PLAN_LATE` names the latest day), approve or return with reasons (only the
/// organizer, `NOT_ORGANIZER`), cancel with a reason.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/actions", tag = "sessions", params(("id" = i64, Path)), request_body = SessionActionDto,
    responses((status = 200, body = SessionActionResultDto), (status = 422, description = "PLAN_LATE、ROSTER_EMPTY、REASON_REQUIRED 等", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：当前状态不能办理（SESSION_STATE）、不是组织考核的鉴定中心（NOT_ORGANIZER）或已被他人办理（SESSION_CHANGED）", body = ErrorEnvelope)))]
pub async fn act_on_session(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<SessionActionDto>, ApiError>,
) -> Result<Json<SessionActionResultDto>, ApiError> {
    caller.require(Action::ListSessions)?;
    let ApiJson(b) = body?;
    let input = SessionActionInput { action: b.action, reason: b.reason };
    let to = state.store.act_on_session(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(Json(SessionActionResultDto { state: to.id().to_owned(), state_label: to.label().to_owned() }))
}

/// Adds one candidate while the plan is the station's (draft or returned).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/candidates", tag = "sessions", params(("id" = i64, Path)), request_body = CandidateInput,
    responses((status = 201, body = Created), (status = 422, description = "字段错误；CANDIDATE_ALREADY_IN_SESSION", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核计划已报送，名单不能再改（SESSION_STATE）", body = ErrorEnvelope)))]
pub async fn add_candidate(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<CandidateInput>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::PlanSessions)?;
    let ApiJson(input) = body?;
    let cid = state.store.add_candidate(&caller.principal, id, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id: cid })))
}

/// Removes a candidate while the plan is the station's.
#[utoipa::path(delete, path = "/api/v1/sessions/{id}/candidates/{cid}", tag = "sessions", params(("id" = i64, Path), ("cid" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核计划已报送，名单不能再改（SESSION_STATE）", body = ErrorEnvelope)))]
pub async fn remove_candidate(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, cid)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::PlanSessions)?;
    state.store.remove_candidate(&caller.principal, id, cid, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Imports a roster all-or-nothing; errors name the row (2 = the first data row) and the column as
/// `N:列` (`第 N 行「列」：…`), duplicates within the roster and against the session included.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/roster", tag = "sessions", params(("id" = i64, Path)), request_body = Vec<CandidateInput>,
    responses((status = 201, body = RosterImportedDto), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核计划已报送，名单不能再改（SESSION_STATE）", body = ErrorEnvelope)))]
pub async fn import_roster(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<Vec<CandidateInput>>, ApiError>,
) -> Result<(StatusCode, Json<RosterImportedDto>), ApiError> {
    caller.require(Action::PlanSessions)?;
    // A session out of scope is not found, whatever the body.
    state.store.session_visible(&caller.principal, id).await?;
    let ApiJson(rows) = body?;
    let n = state.store.import_roster(&caller.principal, id, &rows, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(RosterImportedDto { rows: n })))
}
