//! Fees over the API (F1): a session's fees, a candidate's payment, waiver and refund, the city
//! center's ledger over a period, the fee records and the remittances (listed and recorded). Bodies
//! are this module's `…Dto`s, converted from and into the store's types; amounts are strings in yuan
//! with two decimals (`"150.00"`), dates `YYYY-MM-DD`.

use super::ledger::{period_of, this_year};
use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::authz::Action;
use domain::certificates::Reconciliation;
use domain::ids::region_name;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::fees::{
    CityLedger, FeeQuery, FeeRecord, FeeTotals, FeeView, Ledger, PaymentInput, RefundInput, RemittanceInput,
    RemittanceView, SessionFees, WaiveInput,
};
use utoipa::{IntoParams, ToSchema};

/// One candidate's fee.
#[derive(Serialize, ToSchema)]
#[schema(as = CandidateFee)]
pub struct FeeDto {
    pub candidate_id: i64,
    pub session_id: i64,
    pub name: String,
    /// The ID number masked.
    pub id_number_masked: String,
    pub ticket_number: Option<String>,
    /// `due`, `paid`, `waived` or `refunded`.
    #[schema(example = "paid")]
    pub status: String,
    pub status_label: String,
    /// What was received, in yuan (`0.00` while due or waived).
    #[schema(example = "150.00")]
    pub amount: String,
    pub paid_on: Option<String>,
    pub receipt_number: Option<String>,
    /// The user name of who recorded the payment.
    pub paid_by: Option<String>,
    /// Their name.
    pub paid_by_name: Option<String>,
    pub waived_on: Option<String>,
    pub refunded_on: Option<String>,
    /// Why it was waived or refunded.
    pub reason: String,
    /// The user name of who recorded the waiver or refund.
    pub decided_by: Option<String>,
    /// Their name.
    pub decided_by_name: Option<String>,
}

impl From<FeeView> for FeeDto {
    fn from(f: FeeView) -> Self {
        FeeDto {
            candidate_id: f.candidate_id,
            session_id: f.session_id,
            name: f.name,
            id_number_masked: f.id_number_masked,
            ticket_number: f.ticket_number,
            status: f.status.id().to_owned(),
            status_label: f.status.label().to_owned(),
            amount: f.amount.to_string(),
            paid_on: f.paid_on.map(|d| d.to_string()),
            receipt_number: f.receipt_number,
            paid_by: f.paid_by,
            paid_by_name: f.paid_by_name,
            waived_on: f.waived_on.map(|d| d.to_string()),
            refunded_on: f.refunded_on.map(|d| d.to_string()),
            reason: f.reason,
            decided_by: f.decided_by,
            decided_by_name: f.decided_by_name,
        }
    }
}

/// A session's fees in figures.
#[derive(Serialize, ToSchema)]
#[schema(as = FeeTotals)]
pub struct FeeTotalsDto {
    pub due: u64,
    pub paid: u64,
    pub waived: u64,
    pub refunded: u64,
    /// Every payment received, in yuan.
    pub collected: String,
    pub refunded_amount: String,
    /// Collected less refunded.
    pub net: String,
}

impl From<FeeTotals> for FeeTotalsDto {
    fn from(t: FeeTotals) -> Self {
        FeeTotalsDto {
            due: t.due,
            paid: t.paid,
            waived: t.waived,
            refunded: t.refunded,
            collected: t.collected.to_string(),
            refunded_amount: t.refunded_amount.to_string(),
            net: t.net().to_string(),
        }
    }
}

/// A session's candidates with their fees.
#[derive(Serialize, ToSchema)]
#[schema(as = SessionFees)]
pub struct SessionFeesDto {
    pub session_id: i64,
    /// The city center whose ledger holds the fees (the station's city code).
    pub city: Option<String>,
    /// The standard in force on the exam's first day, in yuan, and its policy version.
    #[schema(example = "150.00")]
    pub standard: String,
    pub policy_version_id: i64,
    /// The plan is approved: fees may be recorded.
    pub open: bool,
    /// The caller records these fees (staff of the city center).
    pub can_record: bool,
    pub totals: FeeTotalsDto,
    pub fees: Vec<FeeDto>,
}

impl From<SessionFees> for SessionFeesDto {
    fn from(s: SessionFees) -> Self {
        SessionFeesDto {
            session_id: s.session.id,
            city: s.city,
            standard: s.standard.to_string(),
            policy_version_id: s.policy_version_id,
            open: s.open,
            can_record: s.can_record,
            totals: s.totals.into(),
            fees: s.fees.into_iter().map(Into::into).collect(),
        }
    }
}

/// A payment of the standard fee.
#[derive(Deserialize, ToSchema)]
#[schema(as = FeePaymentInput)]
pub struct PaymentDto {
    /// The day the fee was received, `YYYY-MM-DD`, not after today.
    #[serde(default)]
    #[schema(required = true, example = "2026-12-04")]
    pub paid_on: String,
    /// The amount in yuan: the standard.
    #[serde(default)]
    #[schema(required = true, example = "150.00")]
    pub amount: String,
    /// The receipt's number (票据号), once per city.
    #[serde(default)]
    #[schema(required = true, example = "湘财通字 No.0012345")]
    pub receipt_number: String,
}

/// A waiver of a due fee.
#[derive(Deserialize, ToSchema)]
#[schema(as = FeeWaiverInput)]
pub struct WaiveDto {
    /// Why (required).
    #[serde(default)]
    #[schema(required = true, example = "建档立卡脱贫人口，依政策免收")]
    pub reason: String,
}

/// A refund of a paid fee.
#[derive(Deserialize, ToSchema)]
#[schema(as = FeeRefundInput)]
pub struct RefundDto {
    /// The day it was paid back, `YYYY-MM-DD`: not before the payment, not after today.
    #[serde(default)]
    #[schema(required = true, example = "2026-12-04")]
    pub refunded_on: String,
    /// Why (required).
    #[serde(default)]
    #[schema(required = true, example = "考生因病未能参加考核")]
    pub reason: String,
}

/// A remittance to the treasury.
#[derive(Deserialize, ToSchema)]
#[schema(as = FeeRemittanceInput)]
pub struct RemittanceRequestDto {
    /// The day it was remitted, `YYYY-MM-DD`, not after today.
    #[serde(default)]
    #[schema(required = true, example = "2026-12-04")]
    pub remitted_on: String,
    /// The amount in yuan: at most what is outstanding.
    #[serde(default)]
    #[schema(required = true, example = "300.00")]
    pub amount: String,
    /// The payment voucher's number (缴款书号), once per city.
    #[serde(default)]
    #[schema(required = true, example = "FS-2026-0001")]
    pub voucher_number: String,
    #[serde(default)]
    pub note: String,
}

/// A remittance.
#[derive(Serialize, ToSchema)]
#[schema(as = FeeRemittance)]
pub struct RemittanceDto {
    pub id: i64,
    pub city: String,
    pub city_name: String,
    pub remitted_on: String,
    #[schema(example = "300.00")]
    pub amount: String,
    pub voucher_number: String,
    pub note: String,
    pub recorded_by: String,
    /// The name of who recorded it.
    pub recorded_by_name: String,
    pub recorded_at: String,
}

impl From<RemittanceView> for RemittanceDto {
    fn from(r: RemittanceView) -> Self {
        RemittanceDto {
            id: r.id,
            city_name: region_name(&r.city),
            city: r.city,
            remitted_on: r.remitted_on.to_string(),
            amount: r.amount.to_string(),
            voucher_number: r.voucher_number,
            note: r.note,
            recorded_by: r.recorded_by,
            recorded_by_name: r.recorded_by_name,
            recorded_at: crate::view::shanghai(r.recorded_at),
        }
    }
}

/// Collected, refunded and remitted, in yuan.
#[derive(Serialize, ToSchema)]
#[schema(as = FeeReconciliation)]
pub struct ReconciliationDto {
    pub collected: String,
    pub refunded: String,
    pub remitted: String,
    /// Collected less refunded.
    pub net: String,
    /// Net less remitted.
    pub outstanding: String,
}

impl From<Reconciliation> for ReconciliationDto {
    fn from(r: Reconciliation) -> Self {
        ReconciliationDto {
            collected: r.collected.to_string(),
            refunded: r.refunded.to_string(),
            remitted: r.remitted.to_string(),
            net: r.net().to_string(),
            outstanding: r.outstanding().to_string(),
        }
    }
}

/// One city's ledger over a period.
#[derive(Serialize, ToSchema)]
#[schema(as = CityFeeLedger)]
pub struct CityLedgerDto {
    /// The city's code; empty for the province's sum.
    pub city: String,
    pub city_name: String,
    /// Outstanding before the period.
    pub opening: String,
    /// The period's own movements (`outstanding` here is the period's net less its remittances).
    pub period: ReconciliationDto,
    /// Everything up to the period's last day: `outstanding` is what was held then.
    pub closing: ReconciliationDto,
    /// Why the ledger does not balance at the period's end; none when it does.
    pub discrepancy: Option<String>,
}

impl From<CityLedger> for CityLedgerDto {
    fn from(c: CityLedger) -> Self {
        CityLedgerDto {
            discrepancy: c.discrepancy(),
            city_name: if c.city.is_empty() { "全省".to_owned() } else { region_name(&c.city) },
            city: c.city,
            opening: c.opening.to_string(),
            period: c.period.into(),
            closing: c.closing.into(),
        }
    }
}

/// A ledger over a period.
#[derive(Serialize, ToSchema)]
#[schema(as = FeeLedger)]
pub struct LedgerDto {
    /// The city shown; none for the whole province.
    pub city: Option<String>,
    pub first_day: String,
    pub last_day: String,
    /// The city's figures, or the province's sum.
    pub total: CityLedgerDto,
    pub cities: Vec<CityLedgerDto>,
    /// The caller records remittances of this city.
    pub can_remit: bool,
}

impl From<Ledger> for LedgerDto {
    fn from(l: Ledger) -> Self {
        LedgerDto {
            city: l.city,
            first_day: l.period.first.to_string(),
            last_day: l.period.last.to_string(),
            total: l.total.into(),
            cities: l.cities.into_iter().map(Into::into).collect(),
            can_remit: l.can_remit,
        }
    }
}

/// A recorded fee with its session.
#[derive(Serialize, ToSchema)]
#[schema(as = FeeRecord)]
pub struct FeeRecordDto {
    pub fee: FeeDto,
    pub city: String,
    pub city_name: String,
    pub station_name: String,
    pub project_code: String,
    pub project_name: String,
    pub first_day: String,
}

impl From<FeeRecord> for FeeRecordDto {
    fn from(r: FeeRecord) -> Self {
        FeeRecordDto {
            fee: r.fee.into(),
            city_name: region_name(&r.city),
            city: r.city,
            station_name: r.station_name,
            project_code: r.project_code,
            project_name: r.project_name,
            first_day: r.first_day.to_string(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct LedgerParams {
    /// `2026` (a year, the current one by default), `2026-Q4` (a quarter) or `2026-11` (a month).
    period: Option<String>,
    /// A city's code (the province's choice; a city center reads its own).
    city: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct FeeListParams {
    /// `2026`, `2026-Q4` or `2026-11`: records dated in it (none: every period).
    period: Option<String>,
    /// A city's code (the province's choice; a city center reads its own).
    city: Option<String>,
    /// `paid`, `waived` or `refunded` (fee records only).
    status: Option<String>,
    /// Words of the candidate's name or the receipt number (fee records), of the voucher number
    /// (remittances).
    q: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

impl FeeListParams {
    fn query(&self) -> Result<FeeQuery, ApiError> {
        Ok(FeeQuery {
            city: self.city.clone(),
            period: period_of(self.period.as_deref(), None)?,
            status: crate::view::filter_value("status", "缴费状态", self.status.as_deref())?,
            q: self.q.clone(),
        })
    }
}

/// F1: a session's candidates with their fees, the standard and the totals (the centers' staff who
/// see the session).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/fees", tag = "fees", params(("id" = i64, Path)),
    responses((status = 200, body = SessionFeesDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn session_fees(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<SessionFeesDto>, ApiError> {
    caller.require(Action::ViewFees)?;
    Ok(Json(state.store.session_fees(&caller.principal, id).await?.into()))
}

async fn fee_of(state: &AppState, caller: &ApiCaller, id: i64, cid: i64) -> Result<Json<FeeDto>, ApiError> {
    let mut s = state.store.candidate_fee(&caller.principal, id, cid).await?;
    Ok(Json(s.fees.remove(0).into()))
}

/// F1: the city center records a candidate's payment of the standard fee, once the plan is approved.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/fees/{cid}/pay", tag = "fees",
    params(("id" = i64, Path), ("cid" = i64, Path, description = "考生（考生名单行）的编号")), request_body = PaymentDto,
    responses((status = 200, body = FeeDto), (status = 422, description = "字段错误；金额不是收费标准（FEE_AMOUNT）、票据号已使用（FEE_RECEIPT_USED）", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核费不是待缴费（FEE_STATE）、考核计划未批准（FEE_SESSION_NOT_APPROVED）", body = ErrorEnvelope)))]
pub async fn pay_fee(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, cid)): Path<(i64, i64)>,
    body: Result<ApiJson<PaymentDto>, ApiError>,
) -> Result<Json<FeeDto>, ApiError> {
    caller.require(Action::RecordFees)?;
    let ApiJson(b) = body?;
    let input = PaymentInput { paid_on: b.paid_on, amount: b.amount, receipt_number: b.receipt_number };
    state.store.pay_fee(&caller.principal, id, cid, &input, &caller.ctx).await?;
    fee_of(&state, &caller, id, cid).await
}

/// F1: the city center waives a due fee with a reason.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/fees/{cid}/waive", tag = "fees",
    params(("id" = i64, Path), ("cid" = i64, Path, description = "考生（考生名单行）的编号")), request_body = WaiveDto,
    responses((status = 200, body = FeeDto), (status = 422, description = "字段错误；未填写理由（REASON_REQUIRED）", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核费不是待缴费（FEE_STATE，已缴费的应退费）、考核计划未批准", body = ErrorEnvelope)))]
pub async fn waive_fee(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, cid)): Path<(i64, i64)>,
    body: Result<ApiJson<WaiveDto>, ApiError>,
) -> Result<Json<FeeDto>, ApiError> {
    caller.require(Action::RecordFees)?;
    let ApiJson(b) = body?;
    state.store.waive_fee(&caller.principal, id, cid, &WaiveInput { reason: b.reason }, &caller.ctx).await?;
    fee_of(&state, &caller, id, cid).await
}

/// F1: the city center refunds a paid fee with its date and reason.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/fees/{cid}/refund", tag = "fees",
    params(("id" = i64, Path), ("cid" = i64, Path, description = "考生（考生名单行）的编号")), request_body = RefundDto,
    responses((status = 200, body = FeeDto), (status = 422, description = "字段错误；未填写理由（REASON_REQUIRED）、退费日期早于缴费日期", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核费不是已缴费（FEE_STATE）、考核计划未批准", body = ErrorEnvelope)))]
pub async fn refund_fee(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, cid)): Path<(i64, i64)>,
    body: Result<ApiJson<RefundDto>, ApiError>,
) -> Result<Json<FeeDto>, ApiError> {
    caller.require(Action::RecordFees)?;
    let ApiJson(b) = body?;
    let input = RefundInput { refunded_on: b.refunded_on, reason: b.reason };
    state.store.refund_fee(&caller.principal, id, cid, &input, &caller.ctx).await?;
    fee_of(&state, &caller, id, cid).await
}

/// F1: the ledger over a period (the current year by default) of the caller's city, or of the city the
/// province names (or every city, summed): opening, the period's movements, closing, the reconciliation.
#[utoipa::path(get, path = "/api/v1/fees/ledger", tag = "fees", params(LedgerParams),
    responses((status = 200, body = LedgerDto), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "期间或市州的取值无效（PERIOD_FORMAT、FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn fee_ledger(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<LedgerParams>,
) -> Result<Json<LedgerDto>, ApiError> {
    caller.require(Action::ViewFees)?;
    let period = period_of(q.period.as_deref(), None)?.unwrap_or_else(|| this_year().1);
    Ok(Json(state.store.fee_ledger(&caller.principal, q.city.as_deref(), period).await?.into()))
}

/// F1: the recorded fees (paid, waived, refunded), newest first, searched and paged.
#[utoipa::path(get, path = "/api/v1/fees/records", tag = "fees", params(FeeListParams),
    responses((status = 200, body = PageView<FeeRecordDto>), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "筛选条件的取值无效（PERIOD_FORMAT、FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn fee_records(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<FeeListParams>,
) -> Result<Json<PageView<FeeRecordDto>>, ApiError> {
    caller.require(Action::ViewFees)?;
    let query = q.query()?;
    Ok(Json(state.store.list_fee_records(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// F1: the remittances to the treasury, latest first, searched and paged.
#[utoipa::path(get, path = "/api/v1/fees/remittances", tag = "fees", params(FeeListParams),
    responses((status = 200, body = PageView<RemittanceDto>), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "筛选条件的取值无效（PERIOD_FORMAT、FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn remittances(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<FeeListParams>,
) -> Result<Json<PageView<RemittanceDto>>, ApiError> {
    caller.require(Action::ViewFees)?;
    let query = q.query()?;
    Ok(Json(state.store.list_remittances(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// F1: a city center records a remittance to the treasury; refused above what is outstanding.
#[utoipa::path(post, path = "/api/v1/fees/remittances", tag = "fees", request_body = RemittanceRequestDto,
    responses((status = 201, body = Created), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "字段错误；超过未上缴金额（REMITTANCE_AMOUNT）、凭证号已使用（REMITTANCE_VOUCHER_USED）", body = ErrorEnvelope)))]
pub async fn record_remittance(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<RemittanceRequestDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::RecordFees)?;
    let ApiJson(b) = body?;
    let input = RemittanceInput {
        remitted_on: b.remitted_on,
        amount: b.amount,
        voucher_number: b.voucher_number,
        note: b.note,
    };
    let id = state.store.record_remittance(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
