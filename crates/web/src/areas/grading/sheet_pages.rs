//! 成绩登分 (E5, E6): the staff page of a session's scores and register — the station enters scores row
//! by row or imports them from the template (.xlsx, all-or-nothing, every bad cell named), submits the
//! register once every gate holds (the missing ones listed); the organizer confirms it or returns it
//! with a reason, and corrects a confirmed one (a reason, a new version). Both reports of the panel are
//! shown read-only; every version stays readable; the sheet downloads as .xlsx and prints on A4 with
//! both reports.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Layout, done, redirect_or_refusal};
use crate::xlsx::{self, Sheet};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::authz::Action;
use serde::Deserialize;
use store::StoreError;
use store::grading::{RegisterActionInput, ScoreEntry, ScoreSheet};
use store::sessions::SessionView;

/// The columns of the score import and its template (header, field).
const SCORE_COLUMNS: [(&str, &str); 5] = [
    ("姓名", "name"),
    ("身份证号码", "id_number"),
    ("理论知识考试成绩", "theory"),
    ("操作技能考核成绩", "practical"),
    ("缺考", "absent"),
];

#[derive(Deserialize, Default)]
pub struct SheetQuery {
    version: Option<u32>,
}

#[derive(Template, WebTemplate)]
#[template(path = "grading/sheet.html")]
pub struct SheetPage {
    layout: Layout,
    session: SessionView,
    s: ScoreSheet,
    /// Problems of the last step (an import's rows, a refusal), shown at the top.
    problems: Vec<String>,
    /// The candidate whose row was refused.
    score_of: Option<i64>,
    reason: String,
}

impl SheetPage {
    fn refused_row(&self, cid: &i64) -> bool {
        self.score_of == Some(*cid)
    }
    /// Whether the version shown is an earlier one.
    fn earlier(&self) -> bool {
        match (&self.s.register, self.s.versions.first()) {
            (Some(shown), Some(latest)) => shown.version != latest.version,
            _ => false,
        }
    }
}

fn require(staff: &Staff) -> Result<(), PageError> {
    if staff.principal.can(Action::ListSessions) { Ok(()) } else { Err(AppError::Forbidden.into()) }
}

async fn sheet_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    version: Option<u32>,
    problems: Vec<String>,
    score_of: Option<i64>,
    reason: String,
) -> Result<SheetPage, PageError> {
    let s = state.store.score_sheet(&staff.principal, id, version).await?;
    let session = state.store.get_session(&staff.principal, id).await?;
    Ok(SheetPage {
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("成绩登分 {} {}", session.project_name, session.first_day),
            "/sessions",
        ),
        session,
        s,
        problems,
        score_of,
        reason,
    })
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<SheetQuery>,
) -> Result<SheetPage, PageError> {
    require(&staff)?;
    sheet_page(&state, &staff, id, q.version, Vec::new(), None, String::new()).await
}

/// The answer to a step of this page: back to `#anchor` with the notice, or the page again (422 or 409)
/// with every problem at the top.
async fn answer<T>(
    state: &AppState,
    staff: &Staff,
    id: i64,
    result: Result<T, StoreError>,
    (anchor, notice): (&str, &str),
    score_of: Option<i64>,
    reason: String,
) -> Result<Response, PageError> {
    redirect_or_refusal(
        result,
        |_| done(format!("/sessions/{id}/scores#{anchor}"), notice),
        |refusal| async {
            let problems = refusal.into_errors().0.into_iter().map(|e| e.detail).collect();
            sheet_page(state, staff, id, None, problems, score_of, reason).await
        },
    )
    .await
}

/// One candidate's scores as a row of the sheet's form posts them (the staff's and the panel's pages).
#[derive(Deserialize, Default)]
pub struct ScoreForm {
    #[serde(default)]
    theory: String,
    #[serde(default)]
    practical: String,
    #[serde(default)]
    absent: Option<String>,
}

impl ScoreForm {
    pub(super) fn entry(self, cid: i64) -> ScoreEntry {
        ScoreEntry {
            candidate_id: Some(cid),
            id_number: String::new(),
            theory: self.theory,
            practical: self.practical,
            absent: self.absent.is_some(),
        }
    }
}

pub async fn enter(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, cid)): Path<(i64, i64)>,
    Form(f): Form<ScoreForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.enter_scores(&staff.principal, id, &[f.entry(cid)], false, &staff.ctx).await;
    answer(&state, &staff, id, result, ("scores", "score_entered"), Some(cid), String::new()).await
}

/// The rows of an uploaded score sheet as entries (`缺考`: 是 or blank); a bad `缺考` cell is named.
fn rows_to_entries(rows: &[Vec<String>]) -> Result<Vec<ScoreEntry>, Vec<String>> {
    let records = xlsx::records(rows, &SCORE_COLUMNS, &["身份证号码"]).map_err(|e| vec![e])?;
    let mut bad = Vec::new();
    let entries = records
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let get = |f: &str| r.get(f).map(|v| v.trim().to_owned()).unwrap_or_default();
            let absent = match get("absent").as_str() {
                "" | "否" => false,
                "是" | "缺考" => true,
                other => {
                    bad.push(format!("第 {} 行「缺考」：应填写“是”或留空，不能是“{other}”", i + 2));
                    false
                }
            };
            ScoreEntry {
                candidate_id: None,
                id_number: get("id_number"),
                theory: get("theory"),
                practical: get("practical"),
                absent,
            }
        })
        .collect();
    if bad.is_empty() { Ok(entries) } else { Err(bad) }
}

pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let problems = match xlsx::upload(multipart).await? {
        Err(msg) => vec![msg],
        Ok(bytes) => match xlsx::read(&bytes).map_err(|e| vec![e]).and_then(|rows| rows_to_entries(&rows)) {
            Err(problems) => problems,
            Ok(entries) => match state.store.enter_scores(&staff.principal, id, &entries, true, &staff.ctx).await {
                Ok(_) => return Ok(done(format!("/sessions/{id}/scores#scores"), "scores_imported").into_response()),
                Err(StoreError::Invalid(errs)) => errs.0.into_iter().map(|e| e.detail).collect(),
                Err(StoreError::Conflict(e)) => vec![e.detail],
                Err(e) => return Err(e.into()),
            },
        },
    };
    let page = sheet_page(&state, &staff, id, None, problems, None, String::new()).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The import template: the session's candidates with their full ID numbers (the station's own
/// roster; the export is audited as `exam_session.roster_exported`), the score columns blank.
pub async fn template(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let e = state.store.export_candidates(&staff.principal, id, &staff.ctx).await?;
    let rows = e
        .rows
        .into_iter()
        .map(|r| vec![r[0].clone(), r[1].clone(), String::new(), String::new(), String::new()])
        .collect();
    let headers: Vec<&str> = SCORE_COLUMNS.iter().map(|(h, _)| *h).collect();
    let notes = vec![
        vec![
            "理论知识考试成绩、操作技能考核成绩".to_owned(),
            "0–100 分，可保留一位小数；考核规范不含的部分留空".to_owned(),
        ],
        vec!["缺考".to_owned(), "未参加考核的填“是”，成绩留空；参加的留空".to_owned()],
        vec!["导入".to_owned(), "全部行无误才会保存；有错的行会逐行列明，一行也不保存".to_owned()],
    ];
    let bytes = xlsx::write(&[
        Sheet { name: "成绩", headers: &headers, rows },
        Sheet { name: "填写说明", headers: &["列", "要求"], rows: notes },
    ])
    .map_err(AppError::Internal)?;
    Ok(xlsx::download(&format!("session-{id}-scores-template.xlsx"), bytes))
}

/// The sheet (the version shown) as a spreadsheet, ID numbers masked.
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<SheetQuery>,
) -> Result<Response, PageError> {
    require(&staff)?;
    let s = state.store.score_sheet(&staff.principal, id, q.version).await?;
    let rows = s
        .rows
        .into_iter()
        .map(|r| {
            let (theory, practical, total, result) = match &r.score {
                Some(v) => (
                    v.theory.map(|t| t.text()).unwrap_or_default(),
                    v.practical.map(|t| t.text()).unwrap_or_default(),
                    if v.absent { String::new() } else { v.total.text() },
                    (if v.absent {
                        "缺考"
                    } else if v.passed {
                        "合格"
                    } else {
                        "不合格"
                    })
                    .to_owned(),
                ),
                None => (String::new(), String::new(), String::new(), "未登记".to_owned()),
            };
            vec![r.name, r.id_number_masked, theory, practical, total, result]
        })
        .collect();
    let headers = ["姓名", "身份证号码", "理论知识考试成绩", "操作技能考核成绩", "合计", "结果"];
    let version = s.register.map(|r| r.version).unwrap_or(1);
    let bytes = xlsx::write(&[Sheet { name: "成绩登分册", headers: &headers, rows }]).map_err(AppError::Internal)?;
    Ok(xlsx::download(&format!("session-{id}-register-v{version}.xlsx"), bytes))
}

#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    /// For `correct`: the corrected candidate and scores.
    #[serde(default)]
    candidate_id: Option<i64>,
    #[serde(default)]
    theory: String,
    #[serde(default)]
    practical: String,
    #[serde(default)]
    absent: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<RegisterForm>,
) -> Result<Response, PageError> {
    require(&staff)?;
    let notice = match f.action.as_str() {
        "submit" => "register_submitted",
        "confirm" => "register_confirmed",
        "return" => "register_returned",
        _ => "register_corrected",
    };
    let scores = match (f.action.as_str(), f.candidate_id) {
        ("correct", Some(cid)) => {
            vec![ScoreForm { theory: f.theory, practical: f.practical, absent: f.absent }.entry(cid)]
        }
        _ => Vec::new(),
    };
    let input = RegisterActionInput { action: f.action, reason: f.reason.clone(), scores };
    let result = state.store.act_on_register(&staff.principal, id, &input, &staff.ctx).await;
    answer(&state, &staff, id, result, ("register", notice), None, f.reason).await
}

#[derive(Template, WebTemplate)]
#[template(path = "grading/print.html")]
pub struct PrintPage {
    system_name: String,
    session: SessionView,
    s: ScoreSheet,
    printed_at: String,
}

/// The register and both reports on A4 (the version asked for, or the current one).
pub async fn print(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<SheetQuery>,
) -> Result<PrintPage, PageError> {
    require(&staff)?;
    let s = state.store.score_sheet(&staff.principal, id, q.version).await?;
    let session = state.store.get_session(&staff.principal, id).await?;
    Ok(PrintPage {
        system_name: state.config.system_name.clone(),
        session,
        s,
        printed_at: crate::view::shanghai(time::OffsetDateTime::now_utc()),
    })
}
