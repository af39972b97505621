//! Candidate self-service over the API (issue 12): the public sign-up, the candidate's open sessions
//! and own applications (apply, withdraw), and the station's side (the session's applications, confirm
//! or decline, open the session to applications).

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::areas::filings::api::FileBytes;
use crate::areas::sessions::api::SessionDto;
use crate::auth::{ApiCaller, ClientIp};
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::authz::Action;
use domain::exams::CandidateSignUpInput;
use serde::{Deserialize, Serialize};
use store::portal::{ApplicationDecisionInput, ApplicationView, MyApplicationView, OpenSessionQuery, OpenSessionView};
use store::{Ctx, PageReq};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct OpenSessionParams {
    /// Words of the venue.
    q: Option<String>,
    /// A catalog project's code.
    project_code: Option<String>,
    /// The station's city code (GB/T 2260), e.g. `430100`.
    city: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// A session open to applications.
#[derive(Serialize, ToSchema)]
#[schema(as = OpenExamSession)]
pub struct OpenSessionDto {
    pub session: SessionDto,
    /// The station's city.
    pub city_name: String,
    /// The caller's own application's status (`applied`, `confirmed`, `declined`, `withdrawn`), if any.
    pub applied: Option<String>,
}

impl From<OpenSessionView> for OpenSessionDto {
    fn from(v: OpenSessionView) -> Self {
        OpenSessionDto {
            city_name: v.session.station_city.as_deref().map(domain::ids::region_name).unwrap_or_default(),
            applied: v.applied.map(|s| s.id().to_owned()),
            session: v.session.into(),
        }
    }
}

/// One of the caller's applications.
#[derive(Serialize, ToSchema)]
#[schema(as = MyExamApplication)]
pub struct MyApplicationDto {
    pub id: i64,
    pub session_id: i64,
    pub project_name: String,
    pub station_name: String,
    pub first_day: String,
    pub last_day: String,
    pub venue: String,
    /// `applied`, `confirmed`, `declined` or `withdrawn`.
    pub status: String,
    pub status_label: String,
    /// The station's reason of a decline.
    pub reason: String,
    pub applied_at: String,
    pub decided_at: Option<String>,
}

impl From<MyApplicationView> for MyApplicationDto {
    fn from(a: MyApplicationView) -> Self {
        MyApplicationDto {
            id: a.id,
            session_id: a.session_id,
            project_name: a.project_name,
            station_name: a.station_name,
            first_day: a.first_day.to_string(),
            last_day: a.last_day.to_string(),
            venue: a.venue,
            status: a.status.id().to_owned(),
            status_label: a.status.label().to_owned(),
            reason: a.reason,
            applied_at: crate::view::shanghai(a.applied_at),
            decided_at: a.decided_at.map(crate::view::shanghai),
        }
    }
}

/// One application to a session as its station sees it (the ID number masked).
#[derive(Serialize, ToSchema)]
#[schema(as = ExamApplication)]
pub struct ApplicationDto {
    pub id: i64,
    pub name: String,
    #[schema(example = "430***********1234")]
    pub id_number_masked: String,
    pub phone: String,
    /// `applied`, `confirmed`, `declined` or `withdrawn`.
    pub status: String,
    pub status_label: String,
    pub reason: String,
    pub applied_at: String,
    pub decided_at: Option<String>,
}

impl From<ApplicationView> for ApplicationDto {
    fn from(a: ApplicationView) -> Self {
        ApplicationDto {
            id: a.id,
            name: a.name,
            id_number_masked: a.id_number_masked,
            phone: a.phone,
            status: a.status.id().to_owned(),
            status_label: a.status.label().to_owned(),
            reason: a.reason,
            applied_at: crate::view::shanghai(a.applied_at),
            decided_at: a.decided_at.map(crate::view::shanghai),
        }
    }
}

/// An application to make.
#[derive(Deserialize, ToSchema)]
#[schema(as = ExamApplicationRequest)]
pub struct ApplyDto {
    pub session_id: i64,
}

/// The station's decision on an application.
#[derive(Deserialize, ToSchema)]
#[schema(as = ExamApplicationDecision)]
pub struct DecisionDto {
    /// `confirm` or `decline`.
    #[serde(default)]
    #[schema(example = "confirm")]
    pub action: String,
    /// Required to decline; the candidate sees it.
    #[serde(default)]
    pub reason: String,
}

/// Whether the session takes applications.
#[derive(Deserialize, ToSchema)]
#[schema(as = ExamApplicationsOpen)]
pub struct OpenDto {
    pub open: bool,
}

/// Issue 12: a person signs up for a `candidate` account with their own ID number — one account per
/// ID number (`ID_NUMBER_REGISTERED`, also under a race). Then they take a token as everyone does.
#[utoipa::path(post, path = "/api/v1/candidates/register", tag = "portal", request_body = CandidateSignUpInput, security(()),
    responses((status = 201, body = Created),
        (status = 422, description = "字段错误，各自指明字段；USERNAME_TAKEN、ID_NUMBER_REGISTERED、PASSWORD_MISMATCH", body = ErrorEnvelope)))]
pub async fn register_candidate(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(input): ApiJson<CandidateSignUpInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let ctx = Ctx { actor: input.username.trim().to_owned(), ip: ip.0 };
    let id = state.store.register_candidate(&input, &ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Issue 12: the sessions taking applications (opened by their station, the plan not yet submitted, the
/// first day ahead), with the caller's own application to each.
#[utoipa::path(get, path = "/api/v1/my/open-sessions", tag = "portal", params(OpenSessionParams),
    responses((status = 200, body = PageView<OpenSessionDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn open_sessions(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<OpenSessionParams>,
) -> Result<Json<PageView<OpenSessionDto>>, ApiError> {
    caller.require(Action::ApplyExams)?;
    let query = OpenSessionQuery { q: q.q, project_code: q.project_code, city: q.city };
    let page = state.store.list_open_sessions(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page.into()))
}

/// Issue 12: the caller's own applications, newest first (a decline with its reason).
#[utoipa::path(get, path = "/api/v1/my/applications", tag = "portal",
    responses((status = 200, body = Vec<MyApplicationDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn my_applications(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<MyApplicationDto>>, ApiError> {
    caller.require(Action::ApplyExams)?;
    let rows = state.store.my_applications(&caller.principal).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Issue 12: apply to a session open to applications; the station confirms or declines.
#[utoipa::path(post, path = "/api/v1/my/applications", tag = "portal", request_body = ApplyDto,
    responses((status = 201, body = Created), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope),
        (status = 409, description = "冲突：未开放网上报名（SESSION_NOT_OPEN）、考核计划已报送（SESSION_CLOSED）、已开考（SESSION_STARTED）、已报名或已在名单中（CANDIDATE_ALREADY_IN_SESSION）", body = ErrorEnvelope)))]
pub async fn apply(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<ApplyDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ApplyExams)?;
    let ApiJson(b) = body?;
    let id = state.store.apply_to_session(&caller.principal, b.session_id, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Issue 12: withdraw one's own application before the first day (a confirmed one leaves the roster,
/// only while the plan is the station's).
#[utoipa::path(post, path = "/api/v1/my/applications/{id}/withdraw", tag = "portal", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, description = "冲突：已开考（SESSION_STARTED）、考核计划已报送（SESSION_CLOSED）或报名已撤回（APPLICATION_STATE）", body = ErrorEnvelope)))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ApplyExams)?;
    state.store.withdraw_application(&caller.principal, id, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct ApplicationListParams {
    /// Words of the applicant's name or of the masked ID number (e.g. its last four characters).
    q: Option<String>,
    /// `applied`, `confirmed`, `declined` or `withdrawn`.
    status: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

#[derive(Deserialize, IntoParams)]
pub struct ApplicationExportParams {
    /// Words of the applicant's name or of the masked ID number.
    q: Option<String>,
    /// `applied`, `confirmed`, `declined` or `withdrawn`.
    status: Option<String>,
}

/// Issue 12: a session's applications, for whoever sees the session: search by words of the name or
/// the masked ID number and by status, paged, in the order they came.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/applications", tag = "portal", params(("id" = i64, Path), ApplicationListParams),
    responses((status = 200, body = PageView<ApplicationDto>), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "筛选条件「状态」的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn session_applications(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(q): Query<ApplicationListParams>,
) -> Result<Json<PageView<ApplicationDto>>, ApiError> {
    caller.require(Action::ListSessions)?;
    let query = crate::areas::portal::station::application_query(q.q, q.status.as_deref())?;
    let page = PageReq::new(q.page, q.per_page);
    Ok(Json(state.store.search_session_applications(&caller.principal, id, &query, page).await?.into()))
}

/// Issue 12: a session's applications found by the same filters, every page, as an .xlsx spreadsheet
/// (ID numbers masked).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/applications/export", tag = "portal", params(("id" = i64, Path), ApplicationExportParams),
    responses((status = 200, description = "报名名单（.xlsx）", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = FileBytes),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "筛选条件「状态」的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn export_session_applications(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(q): Query<ApplicationExportParams>,
) -> Result<Response, ApiError> {
    caller.require(Action::ListSessions)?;
    let query = crate::areas::portal::station::application_query(q.q, q.status.as_deref())?;
    let all = PageReq { page: 1, per_page: u64::MAX };
    let page = state.store.search_session_applications(&caller.principal, id, &query, all).await?;
    Ok(crate::areas::portal::station::applications_xlsx(id, page.items)?)
}

/// Issue 12, E3: the session's station confirms an application (the person joins the roster) or
/// declines it with a reason, while the plan is its own.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/applications/{aid}/decision", tag = "portal",
    params(("id" = i64, Path), ("aid" = i64, Path)), request_body = DecisionDto,
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "不予确认须填写理由（REASON_REQUIRED），或未选择确认或不予确认（APPLICATION_ACTION_UNKNOWN）", body = ErrorEnvelope),
        (status = 409, description = "冲突：考核计划已报送（SESSION_STATE）、报名已处理（APPLICATION_STATE）、身份证号码已在名单中（CANDIDATE_ALREADY_IN_SESSION）", body = ErrorEnvelope)))]
pub async fn decide_application(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, aid)): Path<(i64, i64)>,
    body: Result<ApiJson<DecisionDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::PlanSessions)?;
    state.store.session_visible(&caller.principal, id).await?;
    let ApiJson(b) = body?;
    let input = ApplicationDecisionInput { action: b.action, reason: b.reason };
    state.store.decide_application(&caller.principal, id, aid, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Issue 12: the station opens its session to applications (开放网上报名) or closes it, while the plan is
/// its own.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/applications-open", tag = "portal", params(("id" = i64, Path)), request_body = OpenDto,
    responses((status = 204), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核计划已报送，不能再改（SESSION_STATE）", body = ErrorEnvelope)))]
pub async fn set_applications_open(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<OpenDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::PlanSessions)?;
    state.store.session_visible(&caller.principal, id).await?;
    let ApiJson(b) = body?;
    state.store.set_applications_open(&caller.principal, id, b.open, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
