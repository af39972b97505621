//! Scores and the register over the API (E5, E6). Answers are this module's `…Dto`s.

use crate::AppState;
use crate::api::{ApiJson, ErrorEnvelope};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::authz::Action;
use domain::exams::Tenths;
use serde::{Deserialize, Serialize};
use store::grading::{MyResult, RegisterActionInput, RegisterView, ReportsView, ScoreEntry, ScoreSheet};
use utoipa::{IntoParams, ToSchema};

fn text(t: Option<Tenths>) -> Option<String> {
    t.map(Tenths::text)
}

/// One version of the score register.
#[derive(Serialize, ToSchema)]
#[schema(as = ScoreRegister)]
pub struct RegisterDto {
    pub version: u32,
    /// `entering`, `submitted`, `returned` or `confirmed`.
    pub status: String,
    pub status_label: String,
    pub return_reason: String,
    /// For a version made by a correction: its reason.
    pub correction_reason: String,
    pub submitted_at: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

impl From<RegisterView> for RegisterDto {
    fn from(r: RegisterView) -> Self {
        RegisterDto {
            version: r.version,
            status: r.status.id().to_owned(),
            status_label: r.status.label().to_owned(),
            return_reason: r.return_reason,
            correction_reason: r.correction_reason,
            submitted_at: r.submitted_at.map(crate::view::shanghai),
            decided_at: r.decided_at.map(crate::view::shanghai),
            decided_by: r.decided_by,
            created_by: r.created_by,
            created_at: crate::view::shanghai(r.created_at),
        }
    }
}

/// A candidate's line of the register (the ID number masked).
#[derive(Serialize, ToSchema)]
#[schema(as = ScoreLine)]
pub struct ScoreLineDto {
    pub candidate_id: i64,
    pub name: String,
    pub id_number_masked: String,
    /// Whether the candidate is scored (or marked absent).
    pub scored: bool,
    #[schema(example = "85.5")]
    pub theory: Option<String>,
    pub practical: Option<String>,
    /// Weighted by the method's shares.
    pub total: Option<String>,
    pub passed: Option<bool>,
    pub absent: Option<bool>,
    pub entered_by: Option<String>,
    pub entered_at: Option<String>,
}

/// The session's score sheet.
#[derive(Serialize, ToSchema)]
#[schema(as = ScoreSheet)]
pub struct ScoreSheetDto {
    pub session_id: i64,
    pub project_name: String,
    pub first_day: String,
    /// The assessment method in words.
    pub method: String,
    /// The version shown; none before the first score.
    pub register: Option<RegisterDto>,
    pub lines: Vec<ScoreLineDto>,
    /// Every version, newest first.
    pub versions: Vec<RegisterDto>,
    /// The panel's reports (E5): the head's assessor report with every assessor's signature, the
    /// supervisor's report.
    pub reports: ReportsDto,
    /// The gates of E5 that do not hold yet, in words (empty: the register may be submitted).
    pub missing_gates: Vec<String>,
    pub can_enter: bool,
    pub can_submit: bool,
    pub can_decide: bool,
    pub can_correct: bool,
}

/// One incident of the exam days in the supervision report.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[schema(as = ExamIncident)]
pub struct IncidentDto {
    /// `YYYY-MM-DD HH:MM` (Asia/Shanghai), on one of the exam's days.
    #[serde(default)]
    #[schema(example = "2026-06-15 09:40")]
    pub at: String,
    #[serde(default)]
    pub description: String,
    /// What was done about it.
    #[serde(default)]
    pub action: String,
}

/// The assessor report (考评情况报告) as filed by the head.
#[derive(Serialize, ToSchema)]
#[schema(as = AssessorReport)]
pub struct AssessorReportDto {
    pub summary: String,
    pub filed_by: String,
    pub filed_at: String,
}

/// An assessor of the panel and their signature under the assessor report.
#[derive(Serialize, ToSchema)]
#[schema(as = ReportSignature)]
pub struct SignatureDto {
    pub person_id: i64,
    pub name: String,
    /// `head` or `assessor`.
    pub role: String,
    pub role_label: String,
    /// None: not signed yet.
    pub signed_at: Option<String>,
}

/// The supervision report (督导报告) as filed by the supervisor.
#[derive(Serialize, ToSchema)]
#[schema(as = SupervisionReport)]
pub struct SupervisionReportDto {
    pub summary: String,
    pub incidents: Vec<IncidentDto>,
    pub filed_by: String,
    pub filed_at: String,
}

/// Both reports of a session's panel (E5).
#[derive(Serialize, ToSchema)]
#[schema(as = PanelReports)]
pub struct ReportsDto {
    /// None before the head files it.
    pub assessor: Option<AssessorReportDto>,
    /// Every assessor of the panel (the head first), signed or not.
    pub signatures: Vec<SignatureDto>,
    /// None before the supervisor files it.
    pub supervision: Option<SupervisionReportDto>,
}

impl From<ReportsView> for ReportsDto {
    fn from(r: ReportsView) -> Self {
        ReportsDto {
            assessor: r.assessor.map(|a| AssessorReportDto {
                summary: a.summary,
                filed_by: a.filed_by_name,
                filed_at: crate::view::shanghai(a.filed_at),
            }),
            signatures: r
                .signatures
                .into_iter()
                .map(|s| SignatureDto {
                    person_id: s.person_id,
                    name: s.name,
                    role: s.role.id().to_owned(),
                    role_label: s.role.label().to_owned(),
                    signed_at: s.signed_at.map(crate::view::shanghai),
                })
                .collect(),
            supervision: r.supervision.map(|v| SupervisionReportDto {
                summary: v.summary,
                incidents: v
                    .incidents
                    .into_iter()
                    .map(|i| IncidentDto { at: i.at, description: i.description, action: i.action })
                    .collect(),
                filed_by: v.filed_by_name,
                filed_at: crate::view::shanghai(v.filed_at),
            }),
        }
    }
}

impl From<ScoreSheet> for ScoreSheetDto {
    fn from(s: ScoreSheet) -> Self {
        ScoreSheetDto {
            session_id: s.session_id,
            project_name: s.project_name,
            first_day: s.first_day.to_string(),
            method: s.method,
            register: s.register.map(Into::into),
            lines: s
                .rows
                .into_iter()
                .map(|r| ScoreLineDto {
                    candidate_id: r.candidate_id,
                    name: r.name,
                    id_number_masked: r.id_number_masked,
                    scored: r.score.is_some(),
                    theory: r.score.as_ref().and_then(|s| text(s.theory)),
                    practical: r.score.as_ref().and_then(|s| text(s.practical)),
                    total: r.score.as_ref().map(|s| s.total.text()),
                    passed: r.score.as_ref().map(|s| s.passed),
                    absent: r.score.as_ref().map(|s| s.absent),
                    entered_by: r.score.as_ref().map(|s| s.entered_by.clone()),
                    entered_at: r.score.as_ref().map(|s| crate::view::shanghai(s.entered_at)),
                })
                .collect(),
            versions: s.versions.into_iter().map(Into::into).collect(),
            reports: s.reports.into(),
            missing_gates: s.missing,
            can_enter: s.can_enter,
            can_submit: s.can_submit,
            can_decide: s.can_decide,
            can_correct: s.can_correct,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct SheetParams {
    /// A register version (default: the current one).
    version: Option<u32>,
}

/// A candidate's scores as typed (0–100, at most one decimal; blank parts with `absent` for 缺考).
#[derive(Deserialize, ToSchema)]
#[schema(as = ScoreEntry)]
pub struct ScoreEntryDto {
    #[serde(default)]
    #[schema(example = "85.5")]
    pub theory: String,
    #[serde(default)]
    pub practical: String,
    #[serde(default)]
    pub absent: bool,
}

impl ScoreEntryDto {
    /// The entry of the candidate named by roster row `candidate_id` or by `id_number`.
    pub fn entry(self, candidate_id: Option<i64>, id_number: String) -> ScoreEntry {
        ScoreEntry { candidate_id, id_number, theory: self.theory, practical: self.practical, absent: self.absent }
    }
}

/// One row of a score import: the candidate by ID number, and their scores.
#[derive(Deserialize, ToSchema)]
#[schema(as = ScoreImportRow)]
pub struct ScoreImportRowDto {
    pub id_number: String,
    #[serde(flatten)]
    pub scores: ScoreEntryDto,
}

/// A corrected candidate's scores.
#[derive(Deserialize, ToSchema)]
#[schema(as = ScoreCorrection)]
pub struct ScoreCorrectionDto {
    pub candidate_id: i64,
    #[serde(flatten)]
    pub scores: ScoreEntryDto,
}

/// A step on the register.
#[derive(Deserialize, ToSchema)]
#[schema(as = RegisterAction)]
pub struct RegisterActionDto {
    /// `submit`, `confirm`, `return` or `correct`.
    pub action: String,
    /// Required to return or to correct.
    #[serde(default)]
    pub reason: String,
    /// For `correct`: the corrected candidates.
    #[serde(default)]
    pub scores: Vec<ScoreCorrectionDto>,
}

/// The register after a step.
#[derive(Serialize, ToSchema)]
#[schema(as = RegisterActionResult)]
pub struct RegisterActionResultDto {
    pub status: String,
    pub status_label: String,
    pub version: u32,
}

/// Scores imported.
#[derive(Serialize, ToSchema)]
#[schema(as = ScoresImported)]
pub struct ScoresImportedDto {
    /// Candidates scored.
    pub rows: usize,
}

/// A candidate's own result (a confirmed register).
#[derive(Serialize, ToSchema)]
#[schema(as = MyResult)]
pub struct MyResultDto {
    pub session_id: i64,
    pub project_name: String,
    pub first_day: String,
    pub theory: Option<String>,
    pub practical: Option<String>,
    pub total: String,
    pub passed: bool,
    pub absent: bool,
    /// The register version the result is from.
    pub version: u32,
    pub confirmed_at: Option<String>,
}

impl From<MyResult> for MyResultDto {
    fn from(r: MyResult) -> Self {
        MyResultDto {
            session_id: r.session_id,
            project_name: r.project_name,
            first_day: r.first_day.to_string(),
            theory: text(r.theory),
            practical: text(r.practical),
            total: r.total.text(),
            passed: r.passed,
            absent: r.absent,
            version: r.version,
            confirmed_at: r.confirmed_at.map(crate::view::shanghai),
        }
    }
}

/// E5, E6: the session's score sheet (anyone who sees the session; ID numbers masked).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/scores", tag = "sessions", params(("id" = i64, Path), SheetParams),
    responses((status = 200, body = ScoreSheetDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn score_sheet(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(q): Query<SheetParams>,
) -> Result<Json<ScoreSheetDto>, ApiError> {
    caller.require(Action::ListSessions)?;
    Ok(Json(state.store.score_sheet(&caller.principal, id, q.version).await?.into()))
}

/// E5: the session's station enters a candidate's scores; total and pass are computed by the
/// specification's rule.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/scores/{cid}", tag = "sessions", params(("id" = i64, Path), ("cid" = i64, Path)),
    request_body = ScoreEntryDto,
    responses((status = 204), (status = 422, description = "SCORE_INVALID、SCORE_NOT_IN_METHOD、SCORE_REQUIRED、CANDIDATE_NOT_IN_SESSION 等", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核计划未批准（SESSION_NOT_APPROVED）、考核尚未开始（SCORES_BEFORE_EXAM）、成绩已锁定（REGISTER_LOCKED）、登分册已提交（REGISTER_STATE）", body = ErrorEnvelope)))]
pub async fn enter_score(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, cid)): Path<(i64, i64)>,
    body: Result<ApiJson<ScoreEntryDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::PlanSessions)?;
    state.store.session_visible(&caller.principal, id).await?;
    let ApiJson(b) = body?;
    let entry = b.entry(Some(cid), String::new());
    state.store.enter_scores(&caller.principal, id, &[entry], false, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// E5: the station imports many candidates' scores, all-or-nothing; errors name the row (2 = the
/// first data row) and the column as `N:列` (`第 N 行「列」：…`).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/scores/import", tag = "sessions", params(("id" = i64, Path)),
    request_body = Vec<ScoreImportRowDto>,
    responses((status = 201, body = ScoresImportedDto), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：SESSION_NOT_APPROVED、SCORES_BEFORE_EXAM、REGISTER_LOCKED、REGISTER_STATE", body = ErrorEnvelope)))]
pub async fn import_scores(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<Vec<ScoreImportRowDto>>, ApiError>,
) -> Result<(StatusCode, Json<ScoresImportedDto>), ApiError> {
    caller.require(Action::PlanSessions)?;
    state.store.session_visible(&caller.principal, id).await?;
    let ApiJson(rows) = body?;
    let entries: Vec<ScoreEntry> = rows.into_iter().map(|r| r.scores.entry(None, r.id_number)).collect();
    let n = state.store.enter_scores(&caller.principal, id, &entries, true, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(ScoresImportedDto { rows: n })))
}

/// E6: submit (the station; `REGISTER_GATES` names every missing gate), confirm or return with a
/// reason (the organizer, `NOT_ORGANIZER` otherwise), correct a confirmed register with a reason (a new
/// version; the old one kept).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/register", tag = "sessions", params(("id" = i64, Path)),
    request_body = RegisterActionDto,
    responses((status = 200, body = RegisterActionResultDto), (status = 422, description = "REASON_REQUIRED、REGISTER_ACTION_UNKNOWN、成绩字段错误", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：REGISTER_GATES、REGISTER_STATE、NOT_ORGANIZER、SESSION_NOT_APPROVED、REGISTER_CHANGED", body = ErrorEnvelope)))]
pub async fn act_on_register(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<RegisterActionDto>, ApiError>,
) -> Result<Json<RegisterActionResultDto>, ApiError> {
    caller.require(Action::ListSessions)?;
    state.store.session_visible(&caller.principal, id).await?;
    let ApiJson(b) = body?;
    let input = RegisterActionInput {
        action: b.action,
        reason: b.reason,
        scores: b.scores.into_iter().map(|s| s.scores.entry(Some(s.candidate_id), String::new())).collect(),
    };
    let to = state.store.act_on_register(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(Json(RegisterActionResultDto {
        status: to.status.id().to_owned(),
        status_label: to.status.label().to_owned(),
        version: to.version,
    }))
}

/// Issue 12, E6: the signed-in candidate's own results, only from confirmed registers.
#[utoipa::path(get, path = "/api/v1/my/results", tag = "portal",
    responses((status = 200, body = Vec<MyResultDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn my_results(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<MyResultDto>>, ApiError> {
    caller.require(Action::ApplyExams)?;
    Ok(Json(state.store.my_results(&caller.principal).await?.into_iter().map(Into::into).collect()))
}
