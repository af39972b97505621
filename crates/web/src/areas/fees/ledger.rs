//! The city center's fee ledger (F1, 收支两条线): `/fees` — collected, refunded, remitted and
//! outstanding over a month, quarter or year (`?period=2026-11`, `2026-Q4`, `2026`; the current year
//! by default), per city for the province (`?city=`), the reconciliation, and the remittance form of a
//! city center; `/fees/records` and `/fees/remittances` — the fee records and the remittances,
//! searched, paged and exported as .xlsx.

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
use domain::certificates::{FeeStatus, Period};
use domain::ids::region_name;
use serde::Deserialize;
use store::PageReq;
use store::fees::{FeeQuery, FeeRecord, Ledger, RemittanceInput, RemittanceView};

/// The period a filter names: `raw` parsed, or (empty) `default`.
pub fn period_of(raw: Option<&str>, default: Option<Period>) -> Result<Option<Period>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => Period::parse("period", s).map(Some).map_err(|e| AppError::Invalid(FieldErrors::from(e))),
    }
}

/// The current year as a period.
pub fn this_year() -> (String, Period) {
    let y = store::today().year().to_string();
    let p = Period::parse("period", &y).unwrap_or(Period { first: store::today(), last: store::today() });
    (y, p)
}

#[derive(Deserialize, Default)]
pub struct LedgerQuery {
    period: Option<String>,
    city: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "fees/ledger.html")]
pub struct LedgerPage {
    layout: Layout,
    l: Ledger,
    /// The period as typed (the current year by default).
    period: String,
    city: String,
    /// The province chooses a city; a city center sees its own.
    choose_city: bool,
    cities: Vec<(&'static str, &'static str)>,
    input: RemittanceInput,
    errors: Errors,
    /// The filters of the lists (`period`, `city`).
    list_query: String,
}

async fn ledger_page(
    state: &AppState,
    staff: &Staff,
    q: LedgerQuery,
    input: RemittanceInput,
    errors: FieldErrors,
) -> Result<LedgerPage, PageError> {
    if !staff.principal.can(Action::ViewFees) {
        return Err(AppError::Forbidden.into());
    }
    let (year, default) = this_year();
    let period_text = q.period.clone().filter(|s| !s.trim().is_empty()).unwrap_or(year);
    let period = period_of(Some(period_text.as_str()), Some(default))?.unwrap_or(default);
    let l = state.store.fee_ledger(&staff.principal, q.city.as_deref(), period).await?;
    let city = l.city.clone().unwrap_or_default();
    let list_query = filter_query(&[("period", Some(period_text.clone())), ("city", q.city.clone())]);
    Ok(LedgerPage {
        layout: Layout::new(staff, &state.config.system_name, "考核收费台账", "/fees"),
        choose_city: staff.principal.scope == domain::org::DataScope::Province,
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        l,
        period: period_text,
        city,
        input,
        errors: Errors(errors),
        list_query,
    })
}

pub async fn ledger(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<LedgerQuery>,
) -> Result<LedgerPage, PageError> {
    let input = RemittanceInput { remitted_on: store::today().to_string(), ..Default::default() };
    ledger_page(&state, &staff, q, input, FieldErrors::new()).await
}

pub async fn remit(
    State(state): State<AppState>,
    staff: Staff,
    Form(input): Form<RemittanceInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::RecordFees) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.record_remittance(&staff.principal, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |_| done("/fees", "remittance_recorded"),
        |errs| ledger_page(&state, &staff, LedgerQuery::default(), input, errs),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    period: Option<String>,
    city: Option<String>,
    status: Option<String>,
    q: Option<String>,
    page: Option<u64>,
}

impl ListQuery {
    fn store_query(&self, staff: &Staff) -> Result<FeeQuery, AppError> {
        if !staff.principal.can(Action::ViewFees) {
            return Err(AppError::Forbidden);
        }
        Ok(FeeQuery {
            city: self.city.clone(),
            period: period_of(self.period.as_deref(), None)?,
            status: crate::view::filter_value("status", "缴费状态", self.status.as_deref())?,
            q: self.q.clone(),
        })
    }

    fn filters(&self) -> String {
        filter_query(&[
            ("period", self.period.clone()),
            ("city", self.city.clone()),
            ("status", self.status.clone()),
            ("q", self.q.clone()),
        ])
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "fees/records.html")]
pub struct RecordsPage {
    layout: Layout,
    rows: Vec<FeeRecord>,
    pager: Pager,
    period: String,
    city: String,
    status: String,
    q: String,
    choose_city: bool,
    cities: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    export_href: String,
}

pub async fn records(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<RecordsPage, PageError> {
    let query = q.store_query(&staff)?;
    let page = state.store.list_fee_records(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = q.filters();
    Ok(RecordsPage {
        layout: Layout::new(&staff, &state.config.system_name, "收费明细", "/fees").crumb("考核收费", "/fees"),
        pager: Pager::of(&page, "/fees/records", &fq),
        rows: page.items,
        period: q.period.unwrap_or_default(),
        city: q.city.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        q: q.q.unwrap_or_default(),
        choose_city: staff.principal.scope == domain::org::DataScope::Province,
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        statuses: FeeStatus::ALL.iter().filter(|s| **s != FeeStatus::Due).map(|s| (s.id(), s.label())).collect(),
        export_href: format!("/fees/records.xlsx?{fq}"),
    })
}

/// The columns of the fee records' spreadsheet.
pub const RECORD_HEADERS: [&str; 16] = [
    "市州",
    "考核计划",
    "考核项目",
    "考核站",
    "考核日期",
    "考生",
    "身份证号码",
    "准考证号",
    "缴费状态",
    "金额（元）",
    "缴费日期",
    "票据号",
    "登记人",
    "减免日期",
    "退费日期",
    "减免或退费理由",
];

pub async fn records_export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let query = q.store_query(&staff)?;
    let page = state.store.list_fee_records(&staff.principal, &query, PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|r| {
            vec![
                region_name(&r.city),
                r.fee.session_id.to_string(),
                format!("{} {}", r.project_code, r.project_name),
                r.station_name,
                r.first_day.to_string(),
                r.fee.name,
                r.fee.id_number_masked,
                r.fee.ticket_number.unwrap_or_default(),
                r.fee.status.label().to_owned(),
                r.fee.amount.to_string(),
                crate::view::date_opt(r.fee.paid_on),
                r.fee.receipt_number.unwrap_or_default(),
                r.fee.paid_by_name.unwrap_or_default(),
                crate::view::date_opt(r.fee.waived_on),
                crate::view::date_opt(r.fee.refunded_on),
                r.fee.reason,
            ]
        })
        .collect();
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "收费明细", headers: &RECORD_HEADERS, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("fee-records.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "fees/remittances.html")]
pub struct RemittancesPage {
    layout: Layout,
    rows: Vec<RemittanceView>,
    pager: Pager,
    period: String,
    city: String,
    q: String,
    choose_city: bool,
    cities: Vec<(&'static str, &'static str)>,
    export_href: String,
}

pub async fn remittances(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<RemittancesPage, PageError> {
    let query = q.store_query(&staff)?;
    let page = state.store.list_remittances(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("period", q.period.clone()), ("city", q.city.clone()), ("q", q.q.clone())]);
    Ok(RemittancesPage {
        layout: Layout::new(&staff, &state.config.system_name, "上缴财政记录", "/fees").crumb("考核收费", "/fees"),
        pager: Pager::of(&page, "/fees/remittances", &fq),
        rows: page.items,
        period: q.period.unwrap_or_default(),
        city: q.city.unwrap_or_default(),
        q: q.q.unwrap_or_default(),
        choose_city: staff.principal.scope == domain::org::DataScope::Province,
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        export_href: format!("/fees/remittances.xlsx?{fq}"),
    })
}

/// The columns of the remittances' spreadsheet.
pub const REMITTANCE_HEADERS: [&str; 7] =
    ["市州", "上缴日期", "金额（元）", "缴款凭证号", "备注", "登记人", "登记时间"];

pub async fn remittances_export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let query = q.store_query(&staff)?;
    let page = state.store.list_remittances(&staff.principal, &query, PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|r| {
            vec![
                region_name(&r.city),
                r.remitted_on.to_string(),
                r.amount.to_string(),
                r.voucher_number,
                r.note,
                r.recorded_by_name,
                shanghai(r.recorded_at),
            ]
        })
        .collect();
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "上缴财政", headers: &REMITTANCE_HEADERS, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("fee-remittances.xlsx", bytes))
}
