//! One session: the plan, the candidates (with the add and import forms while the plan is the
//! station's), the steps the caller may take (submit with a confirmation, approve, return with reasons,
//! cancel with a reason), the history; the edit form; and the plan laid out for A4 printing.

use super::list::form_page;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path};
use crate::view::{Errors, Layout, done, redirect_or_form, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::exams::{CandidateInput, SessionEventKind, SessionState};
use store::sessions::{SessionActionInput, SessionDetail, SessionInput};

#[derive(Template, WebTemplate)]
#[template(path = "sessions/show.html")]
pub struct ShowPage {
    layout: Layout,
    d: SessionDetail,
    /// The candidate typed on the add form and refused.
    candidate: CandidateInput,
    errors: Errors,
    /// Why a step was refused.
    refused: String,
    /// The roster's problems, each `第 N 行「列」：…`.
    problems: Vec<String>,
    can_submit: bool,
    can_decide: bool,
    can_cancel: bool,
    can_edit: bool,
    /// Issue 12: the applications through candidate self-service (`areas::portal`).
    applications: crate::areas::portal::station::ApplicationCounts,
    /// E2: the papers released for the session with their custody ledgers (`areas::releases`).
    papers: Vec<store::releases::SessionRelease>,
    /// E2: the caller is the organizer of an approved plan and may ask for its papers.
    can_request_papers: bool,
    /// E4: the appointed panel, and whether the caller may appoint it now.
    panel: Vec<store::PanelMember>,
    /// The provable draw the panel's assessors came from (none for a manual pick).
    panel_draw: Option<i64>,
    can_appoint_panel: bool,
    /// E7: the session's archived materials (`areas::archives`).
    archives: store::archives::SessionArchives,
    /// F1: the candidates' fees, for the centers' staff (`areas::fees`).
    fees: Option<store::fees::SessionFees>,
    /// C1: the session's certificates (`areas::certificates`).
    certificates: store::certificates::SessionCertificates,
    /// C1: the overlay layouts to print on (id, name, default), when the caller may print.
    print_layouts: Vec<(i64, String, bool)>,
}

/// What a refused form leaves on the session's page.
#[derive(Default)]
pub struct Refused {
    pub candidate: CandidateInput,
    pub errors: FieldErrors,
    pub refused: String,
    pub problems: Vec<String>,
}

pub async fn show_page(state: &AppState, staff: &Staff, id: i64, r: Refused) -> Result<ShowPage, PageError> {
    let d = state.store.get_exam_session(&staff.principal, id).await?;
    let applications = crate::areas::portal::station::ApplicationCounts::of(
        &state.store.session_applications(&staff.principal, id).await?,
    );
    let papers = state.store.session_releases(&staff.principal, id).await?;
    let can_request_papers = staff.principal.can(Action::RequestPapers)
        && d.session.state == SessionState::Approved
        && state.store.may_request_papers(&staff.principal, id).await?;
    let panel = state.store.panel_of(id).await?;
    let panel_draw = state.store.panel_draw_of(id).await?;
    let can_appoint_panel = state.store.may_appoint_panel(&staff.principal, id).await?;
    let archives = state.store.session_archives(&staff.principal, id).await?;
    let fees = if staff.principal.can(Action::ViewFees) {
        Some(state.store.session_fees(&staff.principal, id).await?)
    } else {
        None
    };
    let certificates = state.store.session_certificates(&staff.principal, id).await?;
    let print_layouts =
        if certificates.can_print { state.store.layout_choices(&staff.principal).await? } else { Vec::new() };
    let title = format!("考核计划 第 {id} 号");
    let has = |k| d.can.contains(&k);
    Ok(ShowPage {
        layout: Layout::new(staff, &state.config.system_name, &title, "/sessions"),
        can_submit: has(SessionEventKind::Submit),
        can_decide: has(SessionEventKind::Approve),
        can_cancel: has(SessionEventKind::Cancel),
        can_edit: has(SessionEventKind::Edit),
        applications,
        papers,
        can_request_papers,
        panel,
        panel_draw,
        can_appoint_panel,
        archives,
        fees,
        certificates,
        print_layouts,
        d,
        candidate: r.candidate,
        errors: Errors(r.errors),
        refused: r.refused,
        problems: r.problems,
    })
}

pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<ShowPage, PageError> {
    show_page(&state, &staff, id, Refused::default()).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<super::list::FormPage, PageError> {
    let d = state.store.get_exam_session(&staff.principal, id).await?;
    if !d.can.contains(&SessionEventKind::Edit) {
        return Err(AppError::Forbidden.into());
    }
    form_page(&state, &staff, Some(id), d.session.input(), FieldErrors::new()).await
}

pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<SessionInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.update_exam_session(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |()| done(format!("/sessions/{id}"), "session_updated"),
        |errs| form_page(&state, &staff, Some(id), input, errs),
    )
    .await
}

pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<SessionActionInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.act_on_session(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |to| {
            let code = match to {
                SessionState::Submitted => "session_submitted",
                SessionState::Approved => "session_approved",
                SessionState::Returned => "session_returned",
                _ => "session_cancelled",
            };
            done(format!("/sessions/{id}"), code)
        },
        |refusal| async {
            let errors = refusal.into_errors();
            let refused = errors.0.first().map(|e| e.detail.clone()).unwrap_or_default();
            show_page(&state, &staff, id, Refused { errors, refused, ..Default::default() }).await
        },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "sessions/print.html")]
pub struct PrintPage {
    d: SessionDetail,
    approved_on: String,
}

/// The exam plan as the organizer files it: A4, the plan, the candidates (ID numbers masked).
pub async fn print(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<PrintPage, PageError> {
    let d = state.store.get_exam_session(&staff.principal, id).await?;
    let approved_on = match d.session.state {
        SessionState::Approved => {
            d.session.decided_at.map(|t| crate::view::shanghai(t)[..10].to_owned()).unwrap_or_default()
        }
        _ => String::new(),
    };
    Ok(PrintPage { d, approved_on })
}
