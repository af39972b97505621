//! The archive's pages (E7): the form to archive a material of a session, the disposal form of one
//! material (behind a confirmation), and the list of materials due for disposal (paged).

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::exams::ArchiveMedium;
use serde::Deserialize;
use store::PageReq;
use store::archives::{ArchiveInput, ArchiveView, DisposeInput, DueArchive, SessionArchives};

#[derive(Template, WebTemplate)]
#[template(path = "archives/new.html")]
pub struct NewPage {
    layout: Layout,
    a: SessionArchives,
    input: ArchiveInput,
    errors: Errors,
    media: &'static [ArchiveMedium],
}

async fn new_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    input: ArchiveInput,
    errors: FieldErrors,
) -> Result<NewPage, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let a = state.store.session_archives(&staff.principal, id).await?;
    Ok(NewPage {
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("归档考核材料（考核计划 第 {id} 号）"),
            "/sessions",
        ),
        a,
        input,
        errors: Errors(errors),
        media: ArchiveMedium::ALL,
    })
}

pub async fn new_form(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<NewPage, PageError> {
    let input = ArchiveInput { medium: ArchiveMedium::Paper.id().to_owned(), ..Default::default() };
    new_page(&state, &staff, id, input, FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<ArchiveInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.archive_material(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |_| done(format!("/sessions/{id}#archives"), "material_archived"),
        |refusal| new_page(&state, &staff, id, input, refusal.into_errors()),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "archives/dispose.html")]
pub struct DisposePage {
    layout: Layout,
    a: ArchiveView,
    /// The caller is the station or the organizer.
    can_dispose: bool,
    input: DisposeInput,
    errors: Errors,
}

async fn dispose_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    input: DisposeInput,
    errors: FieldErrors,
) -> Result<DisposePage, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let d = state.store.get_archive(&staff.principal, id).await?;
    Ok(DisposePage {
        layout: Layout::new(staff, &state.config.system_name, "登记销毁考核材料", "/archives/due"),
        a: d.archive,
        can_dispose: d.can_dispose,
        input,
        errors: Errors(errors),
    })
}

pub async fn dispose_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<DisposePage, PageError> {
    dispose_page(&state, &staff, id, DisposeInput::default(), FieldErrors::new()).await
}

pub async fn dispose(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<DisposeInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.dispose_material(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |()| done(format!("/archives/{id}/dispose"), "material_disposed"),
        |refusal| dispose_page(&state, &staff, id, input, refusal.into_errors()),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct DueQuery {
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "archives/due.html")]
pub struct DuePage {
    layout: Layout,
    rows: Vec<DueArchive>,
    pager: Pager,
}

pub async fn due(State(state): State<AppState>, staff: Staff, Query(q): Query<DueQuery>) -> Result<DuePage, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let page = state.store.archives_due(&staff.principal, PageReq::new(q.page, Some(20))).await?;
    Ok(DuePage {
        layout: Layout::new(&staff, &state.config.system_name, "待销毁材料", "/archives/due"),
        pager: Pager::of(&page, "/archives/due", &filter_query(&[])),
        rows: page.items,
    })
}
