//! The station's side of self-service (issue 12): the session's page keeps a short section 网上报名
//! (counts, open or close the session to applications, a link), and the session's applications have a
//! page of their own, `/sessions/{id}/applications` — search by words of the name or the masked ID
//! number and by status, paging, an .xlsx export with the same filters — where the station confirms or
//! declines each application; a refusal comes back on that page.

use crate::AppState;
use crate::areas::sessions::record::{Refused, show_page};
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Layout, Pager, Refusal, done, filter_query, redirect_or_refusal, shanghai};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::authz::Action;
use domain::exams::ApplicationStatus;
use serde::Deserialize;
use store::PageReq;
use store::portal::{ApplicationDecisionInput, ApplicationQuery, ApplicationView};
use store::sessions::SessionDetail;

/// The session page's short section 网上报名: how many applied, wait and were confirmed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplicationCounts {
    pub total: usize,
    pub applied: usize,
    pub confirmed: usize,
}

impl ApplicationCounts {
    pub fn of(rows: &[ApplicationView]) -> Self {
        let count = |s: ApplicationStatus| rows.iter().filter(|a| a.status == s).count();
        ApplicationCounts {
            total: rows.len(),
            applied: count(ApplicationStatus::Applied),
            confirmed: count(ApplicationStatus::Confirmed),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct OpenForm {
    /// `1` opens, anything else closes.
    #[serde(default)]
    open: String,
}

async fn refused(
    state: &AppState,
    staff: &Staff,
    id: i64,
    r: Refusal,
) -> Result<crate::areas::sessions::record::ShowPage, PageError> {
    let errors = r.into_errors();
    let refused = errors.0.first().map(|e| e.detail.clone()).unwrap_or_default();
    show_page(state, staff, id, Refused { errors, refused, ..Default::default() }).await
}

pub async fn set_open(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<OpenForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let open = f.open == "1";
    let result = state.store.set_applications_open(&staff.principal, id, open, &staff.ctx).await;
    let code = if open { "applications_opened" } else { "applications_closed" };
    redirect_or_refusal(
        result,
        |()| done(format!("/sessions/{id}#applications"), code),
        |r| refused(&state, &staff, id, r),
    )
    .await
}

/// The filters of the applications list, as the page and the export read them.
#[derive(Deserialize, Default, Clone)]
pub struct ApplicationsQuery {
    /// Words of the name or of the masked ID number.
    q: Option<String>,
    /// An `ApplicationStatus` id.
    status: Option<String>,
    page: Option<u64>,
}

/// The store's query from the filters (shared by the pages and the API): an unknown status is refused
/// naming the filter.
pub fn application_query(q: Option<String>, status: Option<&str>) -> Result<ApplicationQuery, AppError> {
    let status: Option<ApplicationStatus> = crate::view::filter_value("status", "状态", status)?;
    Ok(ApplicationQuery { q: q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()), status })
}

fn fq(q: &ApplicationsQuery) -> String {
    filter_query(&[("q", q.q.clone()), ("status", q.status.clone())])
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/applications.html")]
pub struct ApplicationsPage {
    layout: Layout,
    d: SessionDetail,
    rows: Vec<ApplicationView>,
    pager: Pager,
    q: String,
    status: String,
    statuses: &'static [ApplicationStatus],
    export_href: String,
    /// Why the last decision was refused (shown once, 409/422).
    refused: String,
}

async fn applications_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    q: ApplicationsQuery,
    refused: String,
) -> Result<ApplicationsPage, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let d = state.store.get_exam_session(&staff.principal, id).await?;
    let query = application_query(q.q.clone(), q.status.as_deref())?;
    let page =
        state.store.search_session_applications(&staff.principal, id, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = fq(&q);
    let base = format!("/sessions/{id}/applications");
    Ok(ApplicationsPage {
        layout: Layout::new(staff, &state.config.system_name, &format!("网上报名（考核计划 第 {id} 号）"), "/sessions"),
        pager: Pager::of(&page, &base, &fq),
        export_href: if fq.is_empty() { format!("{base}.xlsx") } else { format!("{base}.xlsx?{fq}") },
        rows: page.items,
        d,
        q: q.q.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        statuses: ApplicationStatus::ALL,
        refused,
    })
}

/// The session's applications: search, paging, export link, and the station's decisions.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<ApplicationsQuery>,
) -> Result<ApplicationsPage, PageError> {
    applications_page(&state, &staff, id, q, String::new()).await
}

/// The headers of the applications' spreadsheet (ID numbers masked, as every list shows them).
pub const EXPORT_HEADERS: [&str; 8] =
    ["序号", "姓名", "身份证号码", "联系电话", "报名时间", "状态", "处理时间", "说明"];

/// The rows of the applications' spreadsheet.
pub fn export_rows(rows: Vec<ApplicationView>) -> Vec<Vec<String>> {
    rows.into_iter()
        .enumerate()
        .map(|(i, a)| {
            vec![
                (i + 1).to_string(),
                a.name,
                a.id_number_masked,
                a.phone,
                shanghai(a.applied_at),
                a.status.label().to_owned(),
                a.decided_at.map(shanghai).unwrap_or_default(),
                a.reason,
            ]
        })
        .collect()
}

/// The session's applications (the same filters, every page) as a spreadsheet.
pub fn applications_xlsx(id: i64, rows: Vec<ApplicationView>) -> Result<Response, AppError> {
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet {
        name: "网上报名",
        headers: &EXPORT_HEADERS,
        rows: export_rows(rows),
    }])
    .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download(&format!("session-{id}-applications.xlsx"), bytes))
}

pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<ApplicationsQuery>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    let query = application_query(q.q.clone(), q.status.as_deref())?;
    let all = PageReq { page: 1, per_page: u64::MAX };
    let page = state.store.search_session_applications(&staff.principal, id, &query, all).await?;
    Ok(applications_xlsx(id, page.items)?.into_response())
}

pub async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, aid)): Path<(i64, i64)>,
    Form(input): Form<ApplicationDecisionInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.decide_application(&staff.principal, id, aid, &input, &staff.ctx).await;
    let code = if input.action.trim() == "confirm" { "application_confirmed" } else { "application_declined" };
    redirect_or_refusal(
        result,
        |()| done(format!("/sessions/{id}/applications"), code),
        |r| {
            let refused = r.into_errors().0.first().map(|e| e.detail.clone()).unwrap_or_default();
            applications_page(&state, &staff, id, ApplicationsQuery::default(), refused)
        },
    )
    .await
}
