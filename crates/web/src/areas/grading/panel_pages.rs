//! 我的考评工作 (E5): the pages of a panel member — the sessions whose panel they sit on, and one
//! session's page with the candidates' scores (an assessor enters them row by row), the assessor report
//! (the head files it, every assessor signs it from their own account) and the supervision report
//! (the supervisor files it with the incidents of the exam days). Each step's refusal is shown beside it.

use super::sheet_pages::ScoreForm;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path};
use crate::view::{Errors, Layout, done, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::exams::IncidentInput;
use serde::Deserialize;
use store::StoreError;
use store::grading::{MyPanel, PanelWork};

/// Blank incident rows the supervision form offers beyond those filed.
const BLANK_INCIDENTS: usize = 3;

fn require(staff: &Staff) -> Result<(), PageError> {
    if staff.principal.can(Action::ServeOnPanels) { Ok(()) } else { Err(AppError::Forbidden.into()) }
}

#[derive(Template, WebTemplate)]
#[template(path = "grading/my_panels.html")]
pub struct MyPanelsPage {
    layout: Layout,
    panels: Vec<MyPanel>,
}

pub async fn list(State(state): State<AppState>, staff: Staff) -> Result<MyPanelsPage, PageError> {
    require(&staff)?;
    Ok(MyPanelsPage {
        layout: Layout::new(&staff, &state.config.system_name, "我的考评工作", "/my/panels"),
        panels: state.store.my_panels(&staff.principal).await?,
    })
}

/// What the forms of the page held when a step was refused, shown again.
#[derive(Default)]
pub struct Drafts {
    assessor_summary: Option<String>,
    supervision_summary: Option<String>,
    incidents: Option<Vec<IncidentInput>>,
    /// The candidate whose score row was refused.
    score_of: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "grading/panel_work.html")]
pub struct WorkPage {
    layout: Layout,
    w: PanelWork,
    errors: Errors,
    refused: String,
    assessor_summary: String,
    supervision_summary: String,
    incidents: Vec<IncidentInput>,
    score_of: Option<i64>,
}

impl WorkPage {
    fn is(&self, role: &str) -> bool {
        self.w.roles.iter().any(|r| r.id() == role)
    }
    fn refused_row(&self, cid: &i64) -> bool {
        self.score_of == Some(*cid)
    }
    /// The error of incident row `i`'s `field`, if any.
    fn incident_error(&self, i: &usize, field: &str) -> &str {
        self.errors.get(&format!("incidents[{i}].{field}"))
    }
    fn enters(&self) -> bool {
        self.w.sheet.can_enter && (self.is("head") || self.is("assessor"))
    }
}

async fn work_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    errors: FieldErrors,
    refused: String,
    d: Drafts,
) -> Result<WorkPage, PageError> {
    let w = state.store.panel_work(&staff.principal, id).await?;
    let assessor_summary =
        d.assessor_summary.or_else(|| w.sheet.reports.assessor.as_ref().map(|a| a.summary.clone())).unwrap_or_default();
    let supervision_summary = d
        .supervision_summary
        .or_else(|| w.sheet.reports.supervision.as_ref().map(|a| a.summary.clone()))
        .unwrap_or_default();
    let typed = d.incidents.is_some();
    let mut incidents = d.incidents.unwrap_or_else(|| {
        w.sheet
            .reports
            .supervision
            .as_ref()
            .map(|s| {
                s.incidents
                    .iter()
                    .map(|i| IncidentInput {
                        at: i.at.clone(),
                        description: i.description.clone(),
                        action: i.action.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    if !typed {
        // What was typed is shown as it was (the errors name rows by their place); a fresh form
        // offers blank rows for new incidents.
        incidents.extend(std::iter::repeat_with(IncidentInput::default).take(BLANK_INCIDENTS));
    }
    Ok(WorkPage {
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("考评工作 {} {}", w.session.project_name, w.session.first_day),
            "/my/panels",
        ),
        w,
        errors: Errors(errors),
        refused,
        assessor_summary,
        supervision_summary,
        incidents,
        score_of: d.score_of,
    })
}

pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<WorkPage, PageError> {
    require(&staff)?;
    work_page(&state, &staff, id, FieldErrors::new(), String::new(), Drafts::default()).await
}

/// Answers a step: back to the page's section with its notice, or the page again with the refusal.
async fn answer(
    state: &AppState,
    staff: &Staff,
    id: i64,
    result: Result<(), StoreError>,
    (anchor, notice): (&str, &str),
    drafts: Drafts,
) -> Result<Response, PageError> {
    redirect_or_refusal(
        result,
        |()| done(format!("/my/panels/{id}#{anchor}"), notice),
        |refusal| async {
            let errors = refusal.into_errors();
            let refused = errors.0.first().map(|e| e.detail.clone()).unwrap_or_default();
            work_page(state, staff, id, errors, refused, drafts).await
        },
    )
    .await
}

pub async fn enter_score(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, cid)): Path<(i64, i64)>,
    Form(f): Form<ScoreForm>,
) -> Result<Response, PageError> {
    require(&staff)?;
    let result = state.store.enter_scores(&staff.principal, id, &[f.entry(cid)], false, &staff.ctx).await.map(|_| ());
    let drafts = Drafts { score_of: Some(cid), ..Drafts::default() };
    answer(&state, &staff, id, result, ("scores", "panel_score_entered"), drafts).await
}

#[derive(Deserialize, Default)]
pub struct SummaryForm {
    #[serde(default)]
    summary: String,
}

pub async fn file_assessor_report(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<SummaryForm>,
) -> Result<Response, PageError> {
    require(&staff)?;
    let result = state.store.file_assessor_report(&staff.principal, id, &f.summary, &staff.ctx).await;
    let drafts = Drafts { assessor_summary: Some(f.summary), ..Drafts::default() };
    answer(&state, &staff, id, result, ("assessor-report", "assessor_report_filed"), drafts).await
}

pub async fn sign_assessor_report(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    require(&staff)?;
    let result = state.store.sign_assessor_report(&staff.principal, id, &staff.ctx).await;
    answer(&state, &staff, id, result, ("assessor-report", "assessor_report_signed"), Drafts::default()).await
}

#[derive(Deserialize, Default)]
pub struct SupervisionForm {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    incident_at: Vec<String>,
    #[serde(default)]
    incident_description: Vec<String>,
    #[serde(default)]
    incident_action: Vec<String>,
}

pub async fn file_supervision_report(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<SupervisionForm>,
) -> Result<Response, PageError> {
    require(&staff)?;
    let n = f.incident_at.len().max(f.incident_description.len()).max(f.incident_action.len());
    let cell = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
    let incidents: Vec<IncidentInput> = (0..n)
        .map(|i| IncidentInput {
            at: cell(&f.incident_at, i),
            description: cell(&f.incident_description, i),
            action: cell(&f.incident_action, i),
        })
        .collect();
    let result = state.store.file_supervision_report(&staff.principal, id, &f.summary, &incidents, &staff.ctx).await;
    let drafts = Drafts { supervision_summary: Some(f.summary), incidents: Some(incidents), ..Drafts::default() };
    answer(&state, &staff, id, result, ("supervision-report", "supervision_report_filed"), drafts).await
}
