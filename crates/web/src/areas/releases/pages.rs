//! The release pages: the list (search, state filter, paging, export), the request form, and the record
//! page with the ledger and the form of the next step the caller may take (with a confirmation).

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, redirect_or_form, redirect_or_refusal, shanghai};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::question_bank::CustodyStep;
use serde::Deserialize;
use store::PageReq;
use store::releases::{CustodyInput, ReleaseDetail, ReleaseQuery, ReleaseRequestInput, ReleaseView};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    state: Option<String>,
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "releases/list.html")]
pub struct ListPage {
    layout: Layout,
    rows: Vec<ReleaseView>,
    pager: Pager,
    q: String,
    state: String,
    states: &'static [CustodyStep],
    can_request: bool,
    export_href: String,
}

fn query_of(staff: &Staff, q: &ListQuery) -> Result<ReleaseQuery, AppError> {
    if !staff.principal.can(Action::ListPaperReleases) {
        return Err(AppError::Forbidden);
    }
    let state: Option<CustodyStep> = crate::view::filter_value("state", "当前环节", q.state.as_deref())?;
    Ok(ReleaseQuery { q: q.q.clone(), state: state.map(|s| s.id().to_owned()) })
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    let query = query_of(&staff, &q)?;
    let page = state.store.list_releases(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("state", q.state.clone()), ("q", q.q.clone())]);
    Ok(ListPage {
        layout: Layout::new(&staff, &state.config.system_name, "试卷使用申请", "/releases"),
        pager: Pager::of(&page, "/releases", &fq),
        rows: page.items,
        q: q.q.unwrap_or_default(),
        state: q.state.unwrap_or_default(),
        states: CustodyStep::ALL,
        can_request: staff.principal.can(Action::RequestPapers),
        export_href: format!("/releases/export.xlsx?{fq}"),
    })
}

/// The list as a spreadsheet, same filters and scope.
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let query = query_of(&staff, &q)?;
    let page = state.store.list_releases(&staff.principal, &query, PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.project_code,
                r.project_name,
                r.org_name,
                r.exam,
                r.exam_date.to_string(),
                r.copies_requested.to_string(),
                r.copies_approved.map(|c| c.to_string()).unwrap_or_default(),
                r.paper_label.unwrap_or_default(),
                r.state.label().to_owned(),
                shanghai(r.created_at),
            ]
        })
        .collect();
    let headers = [
        "申请编号",
        "项目编码",
        "项目名称",
        "申请单位",
        "考核场次",
        "考核日期",
        "申请份数",
        "批准份数",
        "试卷",
        "当前环节",
        "申请时间",
    ];
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "试卷使用申请", headers: &headers, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("paper-releases.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "releases/new.html")]
pub struct NewPage {
    layout: Layout,
    input: ReleaseRequestInput,
    errors: Errors,
    /// (code, name) of the catalog's current projects.
    projects: Vec<(String, String)>,
}

/// `/releases/new?session_id=N`: the request for an exam session's papers.
#[derive(Deserialize, Default)]
pub struct NewQuery {
    session_id: Option<String>,
}

async fn new_page(
    state: &AppState,
    staff: &Staff,
    input: ReleaseRequestInput,
    errors: FieldErrors,
) -> Result<NewPage, PageError> {
    if !staff.principal.can(Action::RequestPapers) {
        return Err(AppError::Forbidden.into());
    }
    let catalog = state
        .store
        .catalog_projects(&store::projects::CatalogQuery::default(), PageReq { page: 1, per_page: 1000 })
        .await?;
    Ok(NewPage {
        layout: Layout::new(staff, &state.config.system_name, "申请使用试卷", "/releases"),
        input,
        errors: Errors(errors),
        projects: catalog.items.into_iter().filter_map(|p| p.code.map(|c| (c, p.name))).collect(),
    })
}

/// The request form; for a session, filled from it (project, first day, words, one copy per candidate)
/// or showing why the session's papers may not be asked for.
pub async fn new_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NewQuery>,
) -> Result<NewPage, PageError> {
    let mut input = ReleaseRequestInput::default();
    let mut errors = FieldErrors::new();
    if let Some(raw) = q.session_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        input.session_id = raw.to_owned();
        let Ok(sid) = raw.parse::<i64>() else { return Err(AppError::NotFound.into()) };
        if staff.principal.can(Action::RequestPapers) {
            match state.store.release_session(&staff.principal, sid).await? {
                Ok(s) => {
                    input.project_code = s.project_code;
                    input.exam = s.exam;
                    input.exam_date = s.first_day.to_string();
                    input.copies = if s.candidates > 0 { s.candidates.to_string() } else { String::new() };
                }
                Err(refusal) => errors.push(refusal),
            }
        }
    }
    new_page(&state, &staff, input, errors).await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(input): Form<ReleaseRequestInput>,
) -> Result<Response, PageError> {
    let result = state.store.request_release(&staff.principal, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |id| done(format!("/releases/{id}"), "release_requested"),
        |errs| new_page(&state, &staff, input, errs),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "releases/show.html")]
pub struct ShowPage {
    layout: Layout,
    d: ReleaseDetail,
    /// The step typed and refused, with its errors.
    typed: CustodyInput,
    errors: Errors,
    refused: String,
    /// The id of the first step the caller may record (which fields the form shows).
    first: String,
    /// What the count must be, in words.
    copies_hint: String,
}

async fn show_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    typed: CustodyInput,
    errors: FieldErrors,
    refused: String,
) -> Result<ShowPage, PageError> {
    let d = state.store.get_release(&staff.principal, id).await?;
    let title = format!("试卷使用申请 第 {id} 号");
    let mut typed = typed;
    if typed.responsible.is_empty() {
        typed.responsible = staff.principal.display_name.clone();
    }
    let first = d.can_record.first().map(|s| s.id().to_owned()).unwrap_or_default();
    let copies_hint = match (d.can_record.first(), d.ledger.last()) {
        (Some(CustodyStep::Approved), _) => format!("不超过申请份数（{} 份）。", d.release.copies_requested),
        (Some(CustodyStep::Returned | CustodyStep::Destroyed), _) => {
            "填写剩余份数；考生使用份数与剩余份数之和须等于启封份数。".to_owned()
        }
        (Some(_), Some(last)) => format!("须与上一环节的{}一致，清点后填写。", last.step.count_label()),
        _ => String::new(),
    };
    Ok(ShowPage {
        layout: Layout::new(staff, &state.config.system_name, &title, "/releases"),
        d,
        typed,
        errors: Errors(errors),
        refused,
        first,
        copies_hint,
    })
}

pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<ShowPage, PageError> {
    show_page(&state, &staff, id, CustodyInput::default(), FieldErrors::new(), String::new()).await
}

pub async fn record_step(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<CustodyInput>,
) -> Result<Response, PageError> {
    let result = state.store.record_custody(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |_| done(format!("/releases/{id}"), "release_step_recorded"),
        |refusal| async {
            let errors = refusal.into_errors();
            let refused = errors.0.first().map(|e| e.detail.clone()).unwrap_or_default();
            show_page(&state, &staff, id, input, errors, refused).await
        },
    )
    .await
}
