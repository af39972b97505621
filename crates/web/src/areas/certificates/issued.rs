//! Issued certificates (C1): the list (search by number, name or session; paging; .xlsx) and the
//! session page's issue buttons (one candidate, or every passed candidate at once).

use crate::AppState;
use crate::areas::sessions::record::{Refused, show_page};
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Layout, Pager, done, filter_query, redirect_or_refusal, shanghai, shanghai_opt};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use serde::Deserialize;
use store::PageReq;
use store::certificates::{CertificateQuery, CertificateView, IssueTarget};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// A certificate number, or words of the holder's name.
    q: Option<String>,
    /// A session's number.
    session_id: Option<String>,
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/list.html")]
pub struct ListPage {
    layout: Layout,
    rows: Vec<CertificateView>,
    pager: Pager,
    q: String,
    session_id: String,
    export_href: String,
}

/// The store's query from the list's filters (shared by the pages and the API): the session a
/// number, refused naming the field otherwise.
pub fn certificate_query(q: Option<String>, session_id: Option<&str>) -> Result<CertificateQuery, AppError> {
    let session_id = match session_id.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| {
            AppError::Invalid(FieldErrors::from(domain::FieldError::new(
                "session_id",
                "FILTER_INVALID",
                "筛选条件「考核计划编号」应为数字",
            )))
        })?),
    };
    Ok(CertificateQuery { q, session_id })
}

fn query_of(staff: &Staff, q: &ListQuery) -> Result<CertificateQuery, AppError> {
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden);
    }
    certificate_query(q.q.clone(), q.session_id.as_deref())
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    let query = query_of(&staff, &q)?;
    let page = state.store.list_certificates(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("q", q.q.clone()), ("session_id", q.session_id.clone())]);
    Ok(ListPage {
        layout: Layout::new(&staff, &state.config.system_name, "证书管理", "/issued-certificates"),
        pager: Pager::of(&page, "/issued-certificates", &fq),
        rows: page.items,
        q: q.q.unwrap_or_default(),
        session_id: q.session_id.unwrap_or_default(),
        export_href: format!("/issued-certificates/export.xlsx?{fq}"),
    })
}

/// The list as a spreadsheet, same filters and scope (ID numbers masked).
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let query = query_of(&staff, &q)?;
    let page =
        state.store.list_certificates(&staff.principal, &query, PageReq { page: 1, per_page: 1_000_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|c| {
            vec![
                c.number,
                c.holder_name,
                c.id_number_masked,
                c.project_code,
                c.project_name,
                c.station_name,
                c.session_id.to_string(),
                domain::ids::region_name(&c.city),
                c.blank_serial.unwrap_or_default(),
                c.status.label().to_owned(),
                if c.reported_at.is_some() { "已上报" } else { "未上报" }.to_owned(),
                c.issued_by,
                shanghai(c.issued_at),
                shanghai_opt(c.reported_at),
            ]
        })
        .collect();
    let headers = [
        "证书编号",
        "姓名",
        "身份证号码",
        "项目代码",
        "考核项目",
        "考核站",
        "考核计划编号",
        "市州",
        "空白证书流水号",
        "状态",
        "上报",
        "核发人",
        "核发时间",
        "上报时间",
    ];
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "证书", headers: &headers, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("certificates.xlsx", bytes))
}

#[derive(Deserialize, Default)]
pub struct IssueForm {
    #[serde(default)]
    candidate_id: Option<i64>,
}

async fn issue(state: AppState, staff: Staff, id: i64, target: IssueTarget, code: &str) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListSessions) {
        return Err(AppError::Forbidden.into());
    }
    // The session's scope first (404), then the role (403): the store checks both in that order.
    let result = state.store.issue_certificates(&staff.principal, id, target, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |_| done(format!("/sessions/{id}#certificates"), code),
        |refusal| async {
            let errors = refusal.into_errors();
            let refused = errors.0.first().map(|e| e.detail.clone()).unwrap_or_default();
            show_page(&state, &staff, id, Refused { errors, refused, ..Default::default() }).await
        },
    )
    .await
}

/// C1: issue the certificate of one passed candidate of the session (the organizer's staff).
pub async fn issue_one(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<IssueForm>,
) -> Result<Response, PageError> {
    // No candidate chosen: the store names `candidate_id` (after the checks of scope and role).
    let target = IssueTarget::One(f.candidate_id.unwrap_or(0));
    issue(state, staff, id, target, "certificate_issued").await
}

/// C1: issue the certificates of every passed candidate of the session without one, all or nothing.
pub async fn issue_all(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    issue(state, staff, id, IssueTarget::AllPassed, "certificates_issued").await
}
