//! The filings in the caller's scope (S1–S5): the list with its filters and paging, and the same as a
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
use domain::stations::FilingState;
use serde::Deserialize;
use store::PageReq;
use store::filings::{FilingQuery, FilingSummary};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
    page: Option<u64>,
}

pub struct ListRow {
    s: FilingSummary,
    tag: &'static str,
    receiver: String,
    projects: String,
    submitted: String,
    updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "filings/list.html")]
pub struct FilingsPage {
    layout: Layout,
    rows: Vec<ListRow>,
    pager: Pager,
    state: String,
    q: String,
    states: &'static [FilingState],
    can_apply: bool,
    scope_hint: &'static str,
    export_href: String,
}

pub async fn list_filings(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<FilingsPage, PageError> {
    let query = FilingQuery { state: filter_value("state", "办理状态", q.state.as_deref())?, q: q.q.clone() };
    let page = state.store.list_filings(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("state", q.state.clone()), ("q", q.q.clone())]);
    let scope_hint = match staff.principal.scope {
        DataScope::Province => {
            "全省的考核站备案申请：省直部门、省级行业组织、中央在湘企业和省属企业直接报省鉴定中心，其他单位经所在市州鉴定中心受理。"
        }
        DataScope::City(_) => "按属地原则报本市州鉴定中心的考核站备案申请，见规程第二部分第（二）条。",
        _ => "本单位的考核站备案申请。填写申报表（附件 1）保存后为草稿，核对无误后提交。",
    };
    Ok(FilingsPage {
        layout: Layout::new(&staff, &state.config.system_name, "备案申请", "/filings"),
        pager: Pager::of(&page, "/filings", &fq),
        rows: page
            .items
            .into_iter()
            .map(|s| ListRow {
                tag: state_tag(s.state),
                receiver: receiver_label(&s),
                projects: s.projects.join("、"),
                submitted: minutes(s.submitted_at),
                updated: minutes(Some(s.updated_at)),
                s,
            })
            .collect(),
        state: q.state.unwrap_or_default(),
        q: q.q.unwrap_or_default(),
        states: FilingState::ALL,
        can_apply: staff.principal.can(Action::ApplyFiling),
        scope_hint,
        export_href: format!("/filings/export.xlsx?{fq}"),
    })
}

/// The list as a spreadsheet, with the same filters and scope (city and province staff keep such
/// registers for their reports).
pub async fn export_filings(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let query = FilingQuery { state: filter_value("state", "办理状态", q.state.as_deref())?, q: q.q.clone() };
    let page = state.store.list_filings(&staff.principal, &query, PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|s| {
            vec![
                s.reference.clone().unwrap_or_default(),
                s.institution_name.clone(),
                s.projects.join("、"),
                receiver_label(&s),
                s.state.label().to_string(),
                s.institution_code.clone().unwrap_or_default(),
                minutes(s.submitted_at),
                minutes(Some(s.updated_at)),
            ]
        })
        .collect();
    let headers = ["申请编号", "机构名称", "申报考核项目", "受理中心", "办理状态", "机构编码", "提交时间", "最后办理"];
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "考核站备案申请", headers: &headers, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("filings.xlsx", bytes))
}
