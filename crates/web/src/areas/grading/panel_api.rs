//! E5 over the API for the members of a panel (the `assessor` and `supervisor` roles, each with their
//! own account): the sessions whose panel they sit on, one session's sheet and reports, an assessor's
//! score entry, the head's assessor report, each assessor's signature, the supervisor's report.

use super::api::{IncidentDto, ScoreEntryDto, ScoreSheetDto};
use crate::AppState;
use crate::api::{ApiJson, ErrorEnvelope};
use crate::areas::sessions::panel::PanelMemberDto;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::Path;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::authz::Action;
use domain::exams::{IncidentInput, PanelRole};
use serde::{Deserialize, Serialize};
use store::grading::{MyPanel, PanelWork};
use utoipa::ToSchema;

fn roles(r: &[PanelRole]) -> Vec<String> {
    r.iter().map(|r| r.id().to_owned()).collect()
}

/// A session whose panel the caller sits on.
#[derive(Serialize, ToSchema)]
#[schema(as = MyPanelSession)]
pub struct MyPanelDto {
    pub session_id: i64,
    pub project_name: String,
    pub station_name: String,
    pub first_day: String,
    pub last_day: String,
    pub venue: String,
    /// The caller's seats: `head`, `assessor`, `supervisor`.
    pub roles: Vec<String>,
    /// The score register's status (`entering`, `submitted`, `returned`, `confirmed`); none before
    /// the first score.
    pub register_status: Option<String>,
    pub assessor_report_filed: bool,
    pub supervision_report_filed: bool,
}

impl From<MyPanel> for MyPanelDto {
    fn from(m: MyPanel) -> Self {
        MyPanelDto {
            session_id: m.session.id,
            project_name: m.session.project_name,
            station_name: m.session.station_name,
            first_day: m.session.first_day.to_string(),
            last_day: m.session.last_day.to_string(),
            venue: m.session.venue,
            roles: roles(&m.roles),
            register_status: m.register.map(|s| s.id().to_owned()),
            assessor_report_filed: m.assessor_report_filed,
            supervision_report_filed: m.supervision_report_filed,
        }
    }
}

/// A panel member's view of one session: the panel, the sheet with both reports, and why each report
/// step is closed to the caller (none: open).
#[derive(Serialize, ToSchema)]
#[schema(as = PanelWork)]
pub struct PanelWorkDto {
    pub session_id: i64,
    pub project_name: String,
    pub station_name: String,
    pub first_day: String,
    pub last_day: String,
    pub venue: String,
    pub roles: Vec<String>,
    pub panel: Vec<PanelMemberDto>,
    pub sheet: ScoreSheetDto,
    /// Why the caller may not file the assessor report now (none: they may).
    pub file_assessor_report_refusal: Option<String>,
    /// Why the caller may not sign the assessor report now (none: they may).
    pub sign_refusal: Option<String>,
    /// Why the caller may not file the supervision report now (none: they may).
    pub file_supervision_report_refusal: Option<String>,
}

impl From<PanelWork> for PanelWorkDto {
    fn from(w: PanelWork) -> Self {
        PanelWorkDto {
            session_id: w.session.id,
            project_name: w.session.project_name,
            station_name: w.session.station_name,
            first_day: w.session.first_day.to_string(),
            last_day: w.session.last_day.to_string(),
            venue: w.session.venue,
            roles: roles(&w.roles),
            panel: w.panel.into_iter().map(Into::into).collect(),
            sheet: w.sheet.into(),
            file_assessor_report_refusal: w.file_assessor,
            sign_refusal: w.sign,
            file_supervision_report_refusal: w.file_supervision,
        }
    }
}

/// The assessor report's text (the head).
#[derive(Deserialize, ToSchema)]
#[schema(as = AssessorReportInput)]
pub struct AssessorReportInputDto {
    #[serde(default)]
    pub summary: String,
}

/// The supervision report (the supervisor): its text and the incidents of the exam days.
#[derive(Deserialize, ToSchema)]
#[schema(as = SupervisionReportInput)]
pub struct SupervisionReportInputDto {
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub incidents: Vec<IncidentDto>,
}

/// The body of a panel member's change to session `id`, checked in order: the role (403), the panel
/// (404 for a session the caller does not sit on), then the body (422).
async fn panel_body<T>(
    state: &AppState,
    caller: &ApiCaller,
    id: i64,
    body: Result<ApiJson<T>, ApiError>,
) -> Result<T, ApiError> {
    caller.require(Action::ServeOnPanels)?;
    state.store.panel_visible(&caller.principal, id).await?;
    let ApiJson(b) = body?;
    Ok(b)
}

pub(super) fn incident_inputs(rows: Vec<IncidentDto>) -> Vec<IncidentInput> {
    rows.into_iter().map(|i| IncidentInput { at: i.at, description: i.description, action: i.action }).collect()
}

/// E5: the sessions whose panel the caller sits on, the latest exam first.
#[utoipa::path(get, path = "/api/v1/my/panels", tag = "portal",
    responses((status = 200, body = Vec<MyPanelDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn my_panels(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<MyPanelDto>>, ApiError> {
    caller.require(Action::ServeOnPanels)?;
    Ok(Json(state.store.my_panels(&caller.principal).await?.into_iter().map(Into::into).collect()))
}

/// E5: one session whose panel the caller sits on (404 for any other).
#[utoipa::path(get, path = "/api/v1/my/panels/{id}", tag = "portal", params(("id" = i64, Path)),
    responses((status = 200, body = PanelWorkDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn panel_work(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<PanelWorkDto>, ApiError> {
    caller.require(Action::ServeOnPanels)?;
    Ok(Json(state.store.panel_work(&caller.principal, id).await?.into()))
}

/// E5: an assessor of the panel enters a candidate's scores, as the station does.
#[utoipa::path(put, path = "/api/v1/my/panels/{id}/scores/{cid}", tag = "portal", params(("id" = i64, Path), ("cid" = i64, Path)),
    request_body = ScoreEntryDto,
    responses((status = 204), (status = 422, description = "SCORE_INVALID、SCORE_REQUIRED、CANDIDATE_NOT_IN_SESSION 等", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, description = "督导员不录入成绩", body = ErrorEnvelope),
        (status = 409, description = "冲突：SESSION_NOT_APPROVED、SCORES_BEFORE_EXAM、REGISTER_LOCKED、REGISTER_STATE", body = ErrorEnvelope)))]
pub async fn enter_score(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, cid)): Path<(i64, i64)>,
    body: Result<ApiJson<ScoreEntryDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    let b = panel_body(&state, &caller, id, body).await?;
    let entry = b.entry(Some(cid), String::new());
    state.store.enter_scores(&caller.principal, id, &[entry], false, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// E5: the head files (or files again, which clears the signatures) the assessor report.
#[utoipa::path(put, path = "/api/v1/my/panels/{id}/assessor-report", tag = "portal", params(("id" = i64, Path)),
    request_body = AssessorReportInputDto,
    responses((status = 204), (status = 422, description = "报告正文未填写或超长（REPORT_SUMMARY_REQUIRED、REPORT_SUMMARY_TOO_LONG）", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：REPORT_NOT_HEAD、REPORT_BEFORE_EXAM、REPORT_LOCKED、SESSION_NOT_APPROVED", body = ErrorEnvelope)))]
pub async fn file_assessor_report(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<AssessorReportInputDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    let b = panel_body(&state, &caller, id, body).await?;
    state.store.file_assessor_report(&caller.principal, id, &b.summary, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// E5: an assessor of the panel signs the assessor report from their own account.
#[utoipa::path(post, path = "/api/v1/my/panels/{id}/assessor-report/signature", tag = "portal", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：REPORT_NOT_ASSESSOR、REPORT_NOT_FILED、REPORT_SIGNED、REPORT_LOCKED", body = ErrorEnvelope)))]
pub async fn sign_assessor_report(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ServeOnPanels)?;
    state.store.sign_assessor_report(&caller.principal, id, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// E5: the supervisor files (or files again) the supervision report with the incidents.
#[utoipa::path(put, path = "/api/v1/my/panels/{id}/supervision-report", tag = "portal", params(("id" = i64, Path)),
    request_body = SupervisionReportInputDto,
    responses((status = 204), (status = 422, description = "报告正文未填写，或情况记录的时间、经过有误，逐条指明（REPORT_SUMMARY_REQUIRED、INCIDENT_TIME_INVALID、INCIDENT_OUTSIDE_EXAM、INCIDENT_DESCRIPTION_REQUIRED）", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：REPORT_NOT_SUPERVISOR、REPORT_BEFORE_EXAM、REPORT_LOCKED", body = ErrorEnvelope)))]
pub async fn file_supervision_report(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<SupervisionReportInputDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    let b = panel_body(&state, &caller, id, body).await?;
    let incidents = incident_inputs(b.incidents);
    state.store.file_supervision_report(&caller.principal, id, &b.summary, &incidents, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
