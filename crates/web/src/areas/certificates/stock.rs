//! The blank stock's pages (C1): a city's stock (counts, batches, blanks searched and paged, .xlsx), the
//! province's overview of every city, the form to record a print batch, and the void form of a blank
//! (behind a confirmation).

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{
    Errors, Layout, Pager, done, filter_query, filter_value, redirect_or_form, redirect_or_refusal, shanghai_opt,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::certificates::{BlankBatchInput, BlankStatus};
use serde::Deserialize;
use store::PageReq;
use store::certificates::{BlankDetail, BlankQuery, BlankView, CityStock, StockView, VoidInput};

#[derive(Deserialize, Default)]
pub struct StockQuery {
    /// The city (the province chooses; a city center reads its own).
    city: Option<String>,
    /// A print serial or its beginning.
    q: Option<String>,
    status: Option<String>,
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/stock.html")]
pub struct StockPage {
    layout: Layout,
    overview: Vec<CityStock>,
    stock: Option<StockView>,
    rows: Vec<BlankView>,
    pager: Pager,
    city: String,
    q: String,
    status: String,
    statuses: &'static [BlankStatus],
    export_href: String,
}

fn fq(q: &StockQuery) -> String {
    filter_query(&[("city", q.city.clone()), ("q", q.q.clone()), ("status", q.status.clone())])
}

fn blank_query(staff: &Staff, q: &StockQuery) -> Result<BlankQuery, AppError> {
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden);
    }
    Ok(BlankQuery { q: q.q.clone(), status: filter_value("status", "状态", q.status.as_deref())? })
}

pub async fn stock(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StockQuery>,
) -> Result<StockPage, PageError> {
    let query = blank_query(&staff, &q)?;
    let p = &staff.principal;
    let overview = state.store.stock_overview(p).await?;
    let stock = state.store.certificate_stock(p, q.city.as_deref()).await?;
    let page = state.store.list_blanks(p, q.city.as_deref(), &query, PageReq::new(q.page, Some(50))).await?;
    let fq = fq(&q);
    let title = match &stock {
        Some(s) => format!("空白证书（{}）", s.city_name),
        None => "空白证书".to_owned(),
    };
    Ok(StockPage {
        layout: Layout::new(&staff, &state.config.system_name, &title, "/certificate-stock"),
        pager: Pager::of(&page, "/certificate-stock", &fq),
        rows: page.items,
        export_href: format!("/certificate-stock/export.xlsx?{fq}"),
        city: stock.as_ref().map(|s| s.city.clone()).unwrap_or_default(),
        overview,
        stock,
        q: q.q.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        statuses: BlankStatus::ALL,
    })
}

/// A city's blanks as a spreadsheet, same filters and scope.
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<StockQuery>,
) -> Result<Response, PageError> {
    let query = blank_query(&staff, &q)?;
    let page = state
        .store
        .list_blanks(&staff.principal, q.city.as_deref(), &query, PageReq { page: 1, per_page: 1_000_000 })
        .await?;
    let rows = page
        .items
        .into_iter()
        .map(|b| {
            vec![
                b.serial,
                domain::ids::region_name(&b.city),
                b.batch_id.to_string(),
                b.status.label().to_owned(),
                b.certificate_number.unwrap_or_default(),
                shanghai_opt(b.used_at),
                b.void_reason,
                b.voided_by.unwrap_or_default(),
                shanghai_opt(b.voided_at),
            ]
        })
        .collect();
    let headers = ["印刷流水号", "市州", "入库批次", "状态", "证书编号", "使用时间", "作废理由", "作废人", "作废时间"];
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "空白证书", headers: &headers, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("certificate-blanks.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/batch_new.html")]
pub struct BatchPage {
    layout: Layout,
    input: BlankBatchInput,
    errors: Errors,
}

fn batch_page(
    state: &AppState,
    staff: &Staff,
    input: BlankBatchInput,
    errors: FieldErrors,
) -> Result<BatchPage, PageError> {
    if !staff.principal.can(Action::ManageCertificateStock) {
        return Err(AppError::Forbidden.into());
    }
    Ok(BatchPage {
        layout: Layout::new(staff, &state.config.system_name, "登记空白证书入库", "/certificate-stock")
            .crumb("空白证书", "/certificate-stock"),
        input,
        errors: Errors(errors),
    })
}

pub async fn new_batch_form(State(state): State<AppState>, staff: Staff) -> Result<BatchPage, PageError> {
    let input = BlankBatchInput { received_on: store::today().to_string(), ..Default::default() };
    batch_page(&state, &staff, input, FieldErrors::new())
}

pub async fn create_batch(
    State(state): State<AppState>,
    staff: Staff,
    Form(input): Form<BlankBatchInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageCertificateStock) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.record_blank_batch(&staff.principal, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |_| done("/certificate-stock", "blank_batch_recorded"),
        |errs| async { batch_page(&state, &staff, input, errs) },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/void.html")]
pub struct VoidPage {
    layout: Layout,
    d: BlankDetail,
    input: VoidInput,
    errors: Errors,
}

async fn void_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    input: VoidInput,
    errors: FieldErrors,
) -> Result<VoidPage, PageError> {
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let d = state.store.get_blank(&staff.principal, id).await?;
    Ok(VoidPage {
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("空白证书 {}", d.blank.serial),
            "/certificate-stock",
        )
        .crumb("空白证书", "/certificate-stock"),
        d,
        input,
        errors: Errors(errors),
    })
}

pub async fn void_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<VoidPage, PageError> {
    void_page(&state, &staff, id, VoidInput::default(), FieldErrors::new()).await
}

pub async fn void(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<VoidInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.void_blank(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |()| done(format!("/certificate-blanks/{id}/void"), "blank_voided"),
        |refusal| void_page(&state, &staff, id, input, refusal.into_errors()),
    )
    .await
}
