//! 我的考试 (issue 12): the candidate's home — the sessions open to applications (search by venue, project
//! code and city; paging) with an apply button behind a confirmation, and their own applications with
//! the status, a decline's reason and a withdraw button.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Layout, Pager, done, filter_query, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::authz::Action;
use serde::Deserialize;
use store::PageReq;
use store::portal::{MyApplicationView, OpenSessionQuery, OpenSessionView};

#[derive(Deserialize, Default, Clone)]
pub struct HomeQuery {
    q: Option<String>,
    project_code: Option<String>,
    city: Option<String>,
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/my.html")]
pub struct HomePage {
    layout: Layout,
    open: Vec<OpenSessionView>,
    pager: Pager,
    mine: Vec<MyApplicationView>,
    /// E6: the candidate's own results, from confirmed score registers only.
    results: Vec<store::grading::MyResult>,
    q: String,
    project_code: String,
    city: String,
    cities: Vec<(&'static str, &'static str)>,
    refused: String,
}

fn city_name(code: &Option<String>) -> String {
    code.as_deref().map(domain::ids::region_name).unwrap_or_default()
}

async fn home_page(state: &AppState, staff: &Staff, q: HomeQuery, refused: String) -> Result<HomePage, PageError> {
    if !staff.principal.can(Action::ApplyExams) {
        return Err(AppError::Forbidden.into());
    }
    let query = OpenSessionQuery { q: q.q.clone(), project_code: q.project_code.clone(), city: q.city.clone() };
    let page = state.store.list_open_sessions(&staff.principal, &query, PageReq::new(q.page, None)).await?;
    let fq = filter_query(&[("q", q.q.clone()), ("project_code", q.project_code.clone()), ("city", q.city.clone())]);
    let pager = Pager::of(&page, "/my/exams", &fq);
    let mine = state.store.my_applications(&staff.principal).await?;
    let results = state.store.my_results(&staff.principal).await?;
    Ok(HomePage {
        results,
        layout: Layout::new(staff, &state.config.system_name, "我的考试", "/my/exams"),
        open: page.items,
        pager,
        mine,
        q: q.q.unwrap_or_default(),
        project_code: q.project_code.unwrap_or_default(),
        city: q.city.unwrap_or_default(),
        cities: domain::ids::children(Some("430000")),
        refused,
    })
}

pub async fn home(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<HomeQuery>,
) -> Result<HomePage, PageError> {
    home_page(&state, &staff, q, String::new()).await
}

#[derive(Deserialize, Default)]
pub struct ApplyForm {
    #[serde(default)]
    session_id: Option<i64>,
}

/// A refusal shown at the top of 我的考试.
async fn refused_page(state: &AppState, staff: &Staff, r: crate::view::Refusal) -> Result<HomePage, PageError> {
    let why = r.into_errors().0.first().map(|e| e.detail.clone()).unwrap_or_default();
    home_page(state, staff, HomeQuery::default(), why).await
}

pub async fn apply(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<ApplyForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ApplyExams) {
        return Err(AppError::Forbidden.into());
    }
    let result = match f.session_id {
        Some(id) => state.store.apply_to_session(&staff.principal, id, &staff.ctx).await,
        None => Err(store::StoreError::Invalid(
            domain::FieldError::new("session_id", "REQUIRED", "请选择要报名的考核").into(),
        )),
    };
    redirect_or_refusal(result, |_| done("/my/exams", "application_submitted"), |r| refused_page(&state, &staff, r))
        .await
}

pub async fn withdraw(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ApplyExams) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.withdraw_application(&staff.principal, id, &staff.ctx).await;
    redirect_or_refusal(result, |()| done("/my/exams", "application_withdrawn"), |r| refused_page(&state, &staff, r))
        .await
}

impl HomePage {
    fn city_of(&self, s: &OpenSessionView) -> String {
        city_name(&s.session.station_city)
    }
}
