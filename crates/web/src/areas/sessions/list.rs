//! The session list (search by words, project, state and dates; paging; .xlsx export) and the new plan
//! form of a station.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, redirect_or_form, shanghai};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::exams::SessionState;
use serde::Deserialize;
use store::PageReq;
use store::sessions::{SessionInput, SessionQuery, SessionView};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    state: Option<String>,
    project_code: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// A station (org id), as the station's links to its sessions name it.
    station_org_id: Option<i64>,
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "sessions/list.html")]
pub struct ListPage {
    layout: Layout,
    rows: Vec<SessionView>,
    pager: Pager,
    q: String,
    state: String,
    project_code: String,
    from: String,
    to: String,
    states: &'static [SessionState],
    can_plan: bool,
    export_href: String,
}

/// A date filter as typed (`YYYY-MM-DD`), refused naming the field otherwise.
pub fn date_filter(field: &str, label: &str, raw: Option<&str>) -> Result<Option<time::Date>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => crate::view::parse_date(s).map(Some).ok_or_else(|| {
            AppError::Invalid(FieldErrors::from(domain::FieldError::new(
                field,
                "FILTER_INVALID",
                format!("筛选条件「{label}」应为 YYYY-MM-DD 格式的日期"),
            )))
        }),
    }
}

/// The store's query from the list's filters (shared by the pages and the API).
pub fn session_query(
    q: Option<String>,
    state: Option<&str>,
    project_code: Option<String>,
    station_org_id: Option<i64>,
    (from, to): (Option<&str>, Option<&str>),
) -> Result<SessionQuery, AppError> {
    let state: Option<SessionState> = crate::view::filter_value("state", "状态", state)?;
    Ok(SessionQuery {
        q,
        state: state.map(|s| s.id().to_owned()),
        project_code,
        station_org_id,
        from: date_filter("from", "考核日期起", from)?,
        to: date_filter("to", "考核日期止", to)?,
    })
}

fn query_of(staff: &Staff, q: &ListQuery) -> Result<SessionQuery, AppError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden);
    }
    session_query(
        q.q.clone(),
        q.state.as_deref(),
        q.project_code.clone(),
        q.station_org_id,
        (q.from.as_deref(), q.to.as_deref()),
    )
}

fn fq(q: &ListQuery) -> String {
    filter_query(&[
        ("state", q.state.clone()),
        ("project_code", q.project_code.clone()),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
        ("station_org_id", q.station_org_id.map(|o| o.to_string())),
        ("q", q.q.clone()),
    ])
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    let query = query_of(&staff, &q)?;
    let page = state.store.list_exam_sessions(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = fq(&q);
    Ok(ListPage {
        layout: Layout::new(&staff, &state.config.system_name, "考核计划", "/sessions"),
        pager: Pager::of(&page, "/sessions", &fq),
        rows: page.items,
        q: q.q.unwrap_or_default(),
        state: q.state.unwrap_or_default(),
        project_code: q.project_code.unwrap_or_default(),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        states: SessionState::ALL,
        can_plan: staff.principal.can(Action::PlanSessions),
        export_href: format!("/sessions/export.xlsx?{fq}"),
    })
}

/// The list as a spreadsheet, same filters and scope.
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let query = query_of(&staff, &q)?;
    let page = state.store.list_exam_sessions(&staff.principal, &query, PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.project_code,
                r.project_name,
                r.station_name,
                r.organizer.label(),
                r.first_day.to_string(),
                r.last_day.to_string(),
                r.venue,
                r.expected_candidates.to_string(),
                r.candidates.to_string(),
                if r.computer_based { "是" } else { "否" }.to_owned(),
                r.state.label().to_owned(),
                r.submitted_at.map(shanghai).unwrap_or_default(),
            ]
        })
        .collect();
    let headers = [
        "编号",
        "项目编码",
        "项目名称",
        "考核站",
        "组织单位",
        "考核开始日期",
        "考核结束日期",
        "考核地点",
        "计划人数",
        "名单人数",
        "机考",
        "状态",
        "报送时间",
    ];
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "考核计划", headers: &headers, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("exam-sessions.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "sessions/form.html")]
pub struct FormPage {
    layout: Layout,
    /// `/sessions` (new) or `/sessions/{id}` (edit).
    action: String,
    back: String,
    input: SessionInput,
    errors: Errors,
    /// (code, name) of the catalog's current projects.
    projects: Vec<(String, String)>,
    lead: String,
}

/// The plan's form, new or edit, with what was typed and its errors.
pub async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    input: SessionInput,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let projects = state.store.current_catalog_projects().await?.into_iter().map(|c| (c.code, c.name)).collect();
    let lead = state
        .store
        .policy_on(domain::policy::keys::EXAM_PLAN_LEAD_DAYS, store::today())
        .await
        .map(|v| v.value)
        .unwrap_or_default();
    let (title, action, back) = match id {
        Some(id) => (format!("修改考核计划 第 {id} 号"), format!("/sessions/{id}"), format!("/sessions/{id}")),
        None => ("草拟考核计划".to_owned(), "/sessions".to_owned(), "/sessions".to_owned()),
    };
    Ok(FormPage {
        layout: Layout::new(staff, &state.config.system_name, &title, "/sessions"),
        action,
        back,
        input,
        errors: Errors(errors),
        projects,
        lead,
    })
}

pub async fn new_form(State(state): State<AppState>, staff: Staff) -> Result<FormPage, PageError> {
    form_page(&state, &staff, None, SessionInput::default(), FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(input): Form<SessionInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.create_exam_session(&staff.principal, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |id| done(format!("/sessions/{id}"), "session_created"),
        |errs| form_page(&state, &staff, None, input, errs),
    )
    .await
}
