//! The projects in the caller's scope (P3–P8): the list with its filters and paging, and the same as a
//! spreadsheet.

use super::view::{minutes, receiver_label, state_tag};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::Query;
use crate::view::{Layout, Pager, filter_query, filter_value};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::authz::Action;
use domain::org::DataScope;
use domain::projects::ProjectState;
use serde::Deserialize;
use store::PageReq;
use store::projects::{ProjectQuery, ProjectSummary};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
    page: Option<u64>,
}

pub struct ListRow {
    s: ProjectSummary,
    tag: &'static str,
    receiver: String,
    submitted: String,
    updated: String,
    published: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/list.html")]
pub struct ProjectsPage {
    layout: Layout,
    rows: Vec<ListRow>,
    pager: Pager,
    state: String,
    q: String,
    states: &'static [ProjectState],
    can_apply: bool,
    can_adopt: bool,
    scope_hint: &'static str,
    export_href: String,
}

/// The lists are the offices' and the units' (an expert reaches a review through a to-do, never a list).
fn query_of(staff: &Staff, q: &ListQuery) -> Result<ProjectQuery, AppError> {
    if !staff.principal.can(Action::ListProjects) {
        return Err(AppError::Forbidden);
    }
    Ok(ProjectQuery { state: filter_value("state", "办理状态", q.state.as_deref())?, q: q.q.clone() })
}

pub async fn list_projects(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ProjectsPage, PageError> {
    let query = query_of(&staff, &q)?;
    let page = state.store.list_projects(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("state", q.state.clone()), ("q", q.q.clone())]);
    let scope_hint = match staff.principal.scope {
        DataScope::Province => {
            "全省已提交的考核项目开发申请和直接采用的考核项目：省直部门、省级行业组织等直接报省鉴定中心，其他开发单位经所在市州鉴定中心初审后报省。"
        }
        DataScope::City(_) => "本市州开发单位提交的考核项目开发申请，初审后报省鉴定中心或退回开发单位。",
        _ => "本单位的考核项目开发申请。填写考核规范保存后为草稿，仅本单位可见；上传可行性报告、核对无误后提交。",
    };
    Ok(ProjectsPage {
        layout: Layout::new(&staff, &state.config.system_name, "考核项目", "/projects"),
        pager: Pager::of(&page, "/projects", &fq),
        rows: page
            .items
            .into_iter()
            .map(|s| ListRow {
                tag: state_tag(s.state),
                receiver: receiver_label(&s),
                submitted: minutes(s.submitted_at),
                updated: minutes(Some(s.updated_at)),
                published: crate::view::date_opt(s.publication_date),
                s,
            })
            .collect(),
        state: q.state.unwrap_or_default(),
        q: q.q.unwrap_or_default(),
        states: ProjectState::ALL,
        can_apply: staff.principal.can(Action::ApplyProject),
        can_adopt: staff.principal.can(Action::ManageCatalog),
        scope_hint,
        export_href: format!("/projects/export.xlsx?{fq}"),
    })
}

/// The list as a spreadsheet, with the same filters and scope.
pub async fn export_projects(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let query = query_of(&staff, &q)?;
    let page = state.store.list_projects(&staff.principal, &query, PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|s| {
            vec![
                s.code.clone().unwrap_or_default(),
                s.name.clone(),
                s.devunit_name.clone(),
                s.origin.label().to_string(),
                receiver_label(&s),
                s.state.label().to_string(),
                crate::view::date_opt(s.publication_date),
                minutes(s.submitted_at),
                minutes(Some(s.updated_at)),
            ]
        })
        .collect();
    let headers =
        ["项目代码", "项目名称", "开发单位", "来源", "受理中心", "办理状态", "发布日期", "提交时间", "最后办理"];
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "考核项目", headers: &headers, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("projects.xlsx", bytes))
}
