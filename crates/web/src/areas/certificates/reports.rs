//! Reporting certificates to the province (C1: "及时将证书数据上报省鉴定中心") and the report batch's export
//! for the provincial public employment service platform (C2; format in docs/CERTIFICATES.md).
//!
//! - `/certificate-reports`: the batches in scope (a city center its own, the province every city or
//!   one), paged, .xlsx.
//! - `/certificate-reports/new?city=`: the city's valid certificates not yet reported, every one ticked;
//!   the report is one batch, all or nothing, behind a confirmation.
//! - `/certificate-reports/{id}`: the batch with its certificates; `…/export.csv` and `…/export.xlsx`
//!   carry the full ID numbers the platform matches people by (a download recorded in the audit trail).

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, redirect_or_refusal, shanghai};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use serde::Deserialize;
use store::PageReq;
use store::certificates::{ExportRow, ReportDetail, ReportInput, ReportQuery, ReportView, Unreported};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    city: Option<String>,
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/reports.html")]
pub struct ListPage {
    layout: Layout,
    rows: Vec<ReportView>,
    pager: Pager,
    city: String,
    province: bool,
    can_report: bool,
    cities: Vec<(&'static str, &'static str)>,
    export_href: String,
}

fn may_list(staff: &Staff) -> Result<(), AppError> {
    if staff.principal.can(Action::ListCertificates) { Ok(()) } else { Err(AppError::Forbidden) }
}

fn is_province(staff: &Staff) -> bool {
    matches!(staff.principal.scope, domain::org::DataScope::Province)
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    may_list(&staff)?;
    let query = ReportQuery { city: q.city.clone() };
    let page = state.store.list_reports(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("city", q.city.clone())]);
    Ok(ListPage {
        layout: Layout::new(&staff, &state.config.system_name, "证书上报", "/certificate-reports"),
        pager: Pager::of(&page, "/certificate-reports", &fq),
        rows: page.items,
        city: q.city.unwrap_or_default(),
        province: is_province(&staff),
        can_report: staff.principal.can(Action::ReportCertificates),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        export_href: format!("/certificate-reports/export.xlsx?{fq}"),
    })
}

/// The batches as a spreadsheet, same filter and scope.
pub async fn export_list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    may_list(&staff)?;
    let query = ReportQuery { city: q.city };
    let page = state.store.list_reports(&staff.principal, &query, PageReq { page: 1, per_page: 1_000_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                domain::ids::region_name(&r.city),
                r.count.to_string(),
                r.note,
                r.reported_by_name,
                shanghai(r.reported_at),
            ]
        })
        .collect();
    let headers = ["上报批次", "市州", "证书数", "备注", "上报人", "上报时间"];
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "证书上报", headers: &headers, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("certificate-reports.xlsx", bytes))
}

#[derive(Deserialize, Default, Clone)]
pub struct ReportForm {
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub certificate_ids: Vec<i64>,
    #[serde(default)]
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/report_new.html")]
pub struct NewPage {
    layout: Layout,
    /// `None`: the province has not chosen a city yet.
    unreported: Option<Unreported>,
    province: bool,
    cities: Vec<(&'static str, &'static str)>,
    input: ReportForm,
    /// Whether the form was posted (then only the ticked ones stay ticked).
    posted: bool,
    errors: Errors,
}

async fn new_page(
    state: &AppState,
    staff: &Staff,
    input: ReportForm,
    posted: bool,
    errors: FieldErrors,
) -> Result<NewPage, PageError> {
    if !staff.principal.can(Action::ReportCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let city = Some(input.city.as_str()).filter(|c| !c.trim().is_empty());
    let unreported = state.store.unreported_certificates(&staff.principal, city).await?;
    Ok(NewPage {
        layout: Layout::new(staff, &state.config.system_name, "上报证书数据", "/certificate-reports")
            .crumb("证书上报", "/certificate-reports"),
        unreported,
        province: is_province(staff),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        input,
        posted,
        errors: Errors(errors),
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    city: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NewQuery>,
) -> Result<NewPage, PageError> {
    let input = ReportForm { city: q.city.unwrap_or_default(), ..Default::default() };
    new_page(&state, &staff, input, false, FieldErrors::new()).await
}

/// C1: report the ticked certificates in one batch.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<ReportForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ReportCertificates) {
        return Err(AppError::Forbidden.into());
    }
    if f.certificate_ids.is_empty() {
        // Nothing ticked is a choice to correct on the form, not "report all" as in the API.
        let e = domain::FieldError::new("certificate_ids", "REQUIRED", "请至少勾选一本要上报的证书");
        let page = new_page(&state, &staff, f, true, FieldErrors::from(e)).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let input = ReportInput {
        city: Some(f.city.clone()).filter(|c| !c.trim().is_empty()),
        certificate_ids: f.certificate_ids.clone(),
        note: f.note.clone(),
    };
    let result = state.store.report_certificates(&staff.principal, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |r| done(format!("/certificate-reports/{}", r.id), "certificates_reported"),
        |refusal| new_page(&state, &staff, f, true, refusal.into_errors()),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/report.html")]
pub struct DetailPage {
    layout: Layout,
    d: ReportDetail,
    can_export: bool,
}

pub async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<DetailPage, PageError> {
    may_list(&staff)?;
    let d = state.store.report_detail(&staff.principal, id).await?;
    Ok(DetailPage {
        layout: Layout::new(&staff, &state.config.system_name, &format!("证书上报批次 {id}"), "/certificate-reports")
            .crumb("证书上报", "/certificate-reports"),
        can_export: staff.principal.can(Action::ReportCertificates),
        d,
    })
}

/// C2: the columns of the export for the provincial public employment service platform
/// (docs/CERTIFICATES.md, "Export for the public employment service platform").
pub const EXPORT_HEADERS: [&str; 14] = [
    "证书编号",
    "姓名",
    "证件类型",
    "证件号码",
    "考核项目代码",
    "考核项目名称",
    "证书类别",
    "考核站",
    "发证机构",
    "发证日期",
    "证书状态",
    "补发次数",
    "上报批次",
    "上报日期",
];

/// One row of the C2 export.
pub fn export_row(r: ExportRow, report_id: i64) -> Vec<String> {
    let c = r.certificate;
    vec![
        c.number,
        c.holder_name,
        "居民身份证".to_owned(),
        r.id_number,
        c.project_code,
        c.project_name,
        "专项职业能力证书".to_owned(),
        c.station_name,
        r.issuer,
        crate::view::shanghai_date(c.issued_at).to_string(),
        c.status.label().to_owned(),
        c.reissues.to_string(),
        report_id.to_string(),
        c.reported_at.map(|t| crate::view::shanghai_date(t).to_string()).unwrap_or_default(),
    ]
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`.
    pub format: Option<String>,
}

/// The file format of the C2 export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// UTF-8 with BOM, RFC 4180 (the default).
    Csv,
    Xlsx,
}

/// The format asked for (`csv` when none), checked before anything is read or recorded.
pub fn export_format(raw: Option<&str>) -> Result<ExportFormat, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None | Some("csv") => Ok(ExportFormat::Csv),
        Some("xlsx") => Ok(ExportFormat::Xlsx),
        Some(_) => Err(AppError::Invalid(FieldErrors::from(domain::FieldError::new(
            "format",
            "FILTER_INVALID",
            "导出格式「format」应为 csv 或 xlsx",
        )))),
    }
}

/// The file of the C2 export.
pub fn export_file(id: i64, rows: Vec<ExportRow>, format: ExportFormat) -> Result<Response, AppError> {
    let rows: Vec<Vec<String>> = rows.into_iter().map(|r| export_row(r, id)).collect();
    match format {
        ExportFormat::Xlsx => {
            let bytes =
                crate::xlsx::write(&[crate::xlsx::Sheet { name: "证书数据", headers: &EXPORT_HEADERS, rows }])
                    .map_err(AppError::Internal)?;
            Ok(crate::xlsx::download(&format!("certificate-report-{id}.xlsx"), bytes))
        }
        ExportFormat::Csv => {
            Ok(crate::view::csv_download(&format!("certificate-report-{id}.csv"), &EXPORT_HEADERS, rows))
        }
    }
}

pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    may_list(&staff)?;
    let format = export_format(q.format.as_deref())?;
    let (_, rows) = state.store.export_report(&staff.principal, id, &staff.ctx).await?;
    Ok(export_file(id, rows, format)?)
}
