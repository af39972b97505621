//! The certificate subsidy over the API (F3): the batches (listed, built), the preview of a period,
//! one batch with its claims, each claim approved or rejected, the batch approved and its payment
//! recorded. Bodies are this module's `…Dto`s; amounts are strings in yuan with two decimals
//! (`"300.00"`), dates `YYYY-MM-DD`.

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::authz::Action;
use domain::ids::region_name;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::subsidies::{
    BatchDetail, BatchInput, BatchQuery, BatchView, ClaimView, SubsidyCandidate, SubsidyPayInput, SubsidyPreview,
};
use utoipa::{IntoParams, ToSchema};

/// A batch of subsidy claims.
#[derive(Serialize, ToSchema)]
#[schema(as = SubsidyBatch)]
pub struct BatchDto {
    pub id: i64,
    /// The city center's code and name.
    pub city: String,
    pub city_name: String,
    /// The period of the certificates' issue dates as typed (`2026-Q4`), its first and last day.
    #[schema(example = "2026-Q4")]
    pub period: String,
    pub first_day: String,
    pub last_day: String,
    /// `pending`, `approved` or `paid`.
    #[schema(example = "pending")]
    pub status: String,
    pub status_label: String,
    pub claim_count: i32,
    /// The sum of the claims not rejected, in yuan.
    #[schema(example = "600.00")]
    pub amount: String,
    pub built_by: String,
    pub built_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub paid_on: Option<String>,
    pub voucher_number: Option<String>,
    pub paid_by: Option<String>,
    /// The people's names of `built_by`, `approved_by` and `paid_by`.
    pub built_by_name: String,
    pub approved_by_name: Option<String>,
    pub paid_by_name: Option<String>,
}

impl From<BatchView> for BatchDto {
    fn from(b: BatchView) -> Self {
        BatchDto {
            id: b.id,
            city_name: region_name(&b.city),
            city: b.city,
            period: b.period,
            first_day: b.first_day.to_string(),
            last_day: b.last_day.to_string(),
            status: b.status.id().to_owned(),
            status_label: b.status.label().to_owned(),
            claim_count: b.claim_count,
            amount: b.amount.to_string(),
            built_by: b.built_by,
            built_at: crate::view::shanghai(b.built_at),
            approved_by: b.approved_by,
            approved_at: b.approved_at.map(crate::view::shanghai),
            paid_on: b.paid_on.map(|d| d.to_string()),
            voucher_number: b.voucher_number,
            paid_by: b.paid_by,
            built_by_name: b.built_by_name,
            approved_by_name: b.approved_by_name,
            paid_by_name: b.paid_by_name,
        }
    }
}

/// One claim (the ID number masked).
#[derive(Serialize, ToSchema)]
#[schema(as = SubsidyClaim)]
pub struct ClaimDto {
    pub id: i64,
    pub batch_id: i64,
    pub certificate_id: i64,
    pub certificate_number: String,
    pub holder_name: String,
    pub id_number_masked: String,
    pub project_code: String,
    pub project_name: String,
    /// The subsidy category recorded on the roster.
    pub category: String,
    /// The standard in force on the issue date, in yuan, and its policy version.
    #[schema(example = "300.00")]
    pub amount: String,
    pub policy_version_id: i64,
    /// `pending`, `approved`, `rejected` or `paid`.
    #[schema(example = "pending")]
    pub status: String,
    pub status_label: String,
    /// A rejection's reason.
    pub reason: String,
    pub decided_by: Option<String>,
    /// The person's name of `decided_by`.
    pub decided_by_name: Option<String>,
}

impl From<ClaimView> for ClaimDto {
    fn from(c: ClaimView) -> Self {
        ClaimDto {
            id: c.id,
            batch_id: c.batch_id,
            certificate_id: c.certificate_id,
            certificate_number: c.certificate_number,
            holder_name: c.holder_name,
            id_number_masked: c.id_number_masked,
            project_code: c.project_code,
            project_name: c.project_name,
            category: c.category,
            amount: c.amount.to_string(),
            policy_version_id: c.policy_version_id,
            status: c.status.id().to_owned(),
            status_label: c.status.label().to_owned(),
            reason: c.reason,
            decided_by: c.decided_by,
            decided_by_name: c.decided_by_name,
        }
    }
}

/// A batch with its claims.
#[derive(Serialize, ToSchema)]
#[schema(as = SubsidyBatchDetail)]
pub struct BatchDetailDto {
    pub batch: BatchDto,
    pub claims: Vec<ClaimDto>,
    /// The caller manages this batch (staff of its city center).
    pub can_manage: bool,
}

impl From<BatchDetail> for BatchDetailDto {
    fn from(d: BatchDetail) -> Self {
        BatchDetailDto {
            batch: d.batch.into(),
            claims: d.claims.into_iter().map(Into::into).collect(),
            can_manage: d.can_manage,
        }
    }
}

/// A certificate of the period, eligible or not.
#[derive(Serialize, ToSchema)]
#[schema(as = SubsidyCandidate)]
pub struct CandidateDto {
    pub certificate_id: i64,
    pub certificate_number: String,
    pub holder_name: String,
    pub id_number_masked: String,
    pub project_code: String,
    pub project_name: String,
    pub issued_on: String,
    pub category: String,
    /// The standard in force on the issue date, in yuan, and its policy version.
    pub amount: String,
    pub policy_version_id: i64,
    /// Why it is not a claim, in words (empty: eligible).
    pub reasons: Vec<String>,
}

impl From<SubsidyCandidate> for CandidateDto {
    fn from(c: SubsidyCandidate) -> Self {
        CandidateDto {
            certificate_id: c.certificate_id,
            certificate_number: c.certificate_number,
            holder_name: c.holder_name,
            id_number_masked: c.id_number_masked,
            project_code: c.project_code,
            project_name: c.project_name,
            issued_on: c.issued_on.to_string(),
            category: c.category,
            amount: c.amount.to_string(),
            policy_version_id: c.policy_version_id,
            reasons: c.reasons,
        }
    }
}

/// What a batch of a period would claim.
#[derive(Serialize, ToSchema)]
#[schema(as = SubsidyPreview)]
pub struct PreviewDto {
    pub city: String,
    pub period: String,
    pub first_day: String,
    pub last_day: String,
    pub eligible: Vec<CandidateDto>,
    pub ineligible: Vec<CandidateDto>,
    /// The sum of the eligible ones' standards, in yuan.
    pub total: String,
}

impl From<SubsidyPreview> for PreviewDto {
    fn from(p: SubsidyPreview) -> Self {
        PreviewDto {
            city: p.city,
            period: p.period,
            first_day: p.first_day.to_string(),
            last_day: p.last_day.to_string(),
            eligible: p.eligible.into_iter().map(Into::into).collect(),
            ineligible: p.ineligible.into_iter().map(Into::into).collect(),
            total: p.total.to_string(),
        }
    }
}

/// The period of a batch to build.
#[derive(Deserialize, ToSchema)]
#[schema(as = SubsidyBatchRequest)]
pub struct BatchRequestDto {
    /// The certificates' issue dates: `2026` (a year), `2026-Q4` (a quarter) or `2026-11` (a month).
    #[serde(default)]
    #[schema(example = "2026-Q4")]
    pub period: String,
}

/// A claim rejected: the reason.
#[derive(Deserialize, ToSchema)]
#[schema(as = SubsidyRejectRequest)]
pub struct RejectDto {
    #[serde(default)]
    pub reason: String,
}

/// The payment of a batch.
#[derive(Deserialize, ToSchema)]
#[schema(as = SubsidyPayRequest)]
pub struct PayDto {
    /// The day it was paid, `YYYY-MM-DD`.
    #[serde(default)]
    pub paid_on: String,
    /// The payment voucher's number (拨付凭证号).
    #[serde(default)]
    pub voucher_number: String,
}

#[derive(Deserialize, IntoParams)]
pub struct BatchListParams {
    /// A city's code (the province's choice; a city center reads its own).
    city: Option<String>,
    /// `pending`, `approved` or `paid`.
    status: Option<String>,
    /// Words of the period or the voucher number.
    q: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

#[derive(Deserialize, IntoParams)]
pub struct PreviewParams {
    /// `2026`, `2026-Q4` or `2026-11`.
    period: Option<String>,
}

/// F3: the batches the caller sees (a city center its own, the province every city), newest first.
#[utoipa::path(get, path = "/api/v1/subsidies", tag = "subsidies", params(BatchListParams),
    responses((status = 200, body = PageView<BatchDto>), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn batches(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<BatchListParams>,
) -> Result<Json<PageView<BatchDto>>, ApiError> {
    caller.require(Action::ViewSubsidies)?;
    let query = BatchQuery {
        city: q.city.clone(),
        status: crate::view::filter_value("status", "状态", q.status.as_deref())?,
        q: q.q.clone(),
    };
    let page = state.store.list_subsidy_batches(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(page.into()))
}

/// F3: the city center builds a batch of the period's eligible certificates not yet claimed (one step).
#[utoipa::path(post, path = "/api/v1/subsidies", tag = "subsidies", request_body = BatchRequestDto,
    responses((status = 201, body = Created), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "字段错误：发证期间（PERIOD_FORMAT、REQUIRED）", body = ErrorEnvelope),
        (status = 409, description = "冲突：没有可申领的证书（SUBSIDY_NOTHING_TO_CLAIM）、刚被另一批次申领（SUBSIDY_ALREADY_CLAIMED）", body = ErrorEnvelope)))]
pub async fn build_batch(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<BatchRequestDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ManageSubsidies)?;
    let ApiJson(b) = body?;
    let id = state.store.build_subsidy_batch(&caller.principal, &BatchInput { period: b.period }, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// F3: what a batch of the period would claim: the eligible certificates and the others with reasons.
#[utoipa::path(get, path = "/api/v1/subsidies/preview", tag = "subsidies", params(PreviewParams),
    responses((status = 200, body = PreviewDto), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "发证期间的取值无效（PERIOD_FORMAT、REQUIRED）", body = ErrorEnvelope)))]
pub async fn preview(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<PreviewParams>,
) -> Result<Json<PreviewDto>, ApiError> {
    caller.require(Action::ManageSubsidies)?;
    let input = BatchInput { period: q.period.unwrap_or_default() };
    Ok(Json(state.store.subsidy_preview(&caller.principal, &input).await?.into()))
}

/// F3: one batch with its claims.
#[utoipa::path(get, path = "/api/v1/subsidies/{id}", tag = "subsidies", params(("id" = i64, Path)),
    responses((status = 200, body = BatchDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn batch(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<BatchDetailDto>, ApiError> {
    caller.require(Action::ViewSubsidies)?;
    Ok(Json(state.store.subsidy_batch(&caller.principal, id).await?.into()))
}

async fn detail(state: &AppState, caller: &ApiCaller, id: i64) -> Result<Json<BatchDetailDto>, ApiError> {
    Ok(Json(state.store.subsidy_batch(&caller.principal, id).await?.into()))
}

/// F3: the batch approved with its pending claims.
#[utoipa::path(post, path = "/api/v1/subsidies/{id}/approve", tag = "subsidies", params(("id" = i64, Path)),
    responses((status = 200, body = BatchDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：批次不是待审核（SUBSIDY_BATCH_STATE）、申领均已不予补贴（SUBSIDY_BATCH_EMPTY）", body = ErrorEnvelope)))]
pub async fn approve_batch(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<BatchDetailDto>, ApiError> {
    caller.require(Action::ManageSubsidies)?;
    state.store.approve_subsidy_batch(&caller.principal, id, &caller.ctx).await?;
    detail(&state, &caller, id).await
}

/// F3: the approved batch's payment recorded (date, voucher number); its claims become paid.
#[utoipa::path(post, path = "/api/v1/subsidies/{id}/pay", tag = "subsidies", params(("id" = i64, Path)),
    request_body = PayDto,
    responses((status = 200, body = BatchDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "字段错误：发放日期、拨付凭证号（SUBSIDY_VOUCHER_USED、SUBSIDY_PAID_BEFORE_APPROVAL）", body = ErrorEnvelope),
        (status = 409, description = "冲突：批次未审核通过或已发放（SUBSIDY_BATCH_STATE）", body = ErrorEnvelope)))]
pub async fn pay_batch(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<PayDto>, ApiError>,
) -> Result<Json<BatchDetailDto>, ApiError> {
    caller.require(Action::ManageSubsidies)?;
    let ApiJson(b) = body?;
    let input = SubsidyPayInput { paid_on: b.paid_on, voucher_number: b.voucher_number };
    state.store.pay_subsidy_batch(&caller.principal, id, &input, &caller.ctx).await?;
    detail(&state, &caller, id).await
}

/// F3: a pending claim approved.
#[utoipa::path(post, path = "/api/v1/subsidies/{id}/claims/{cid}/approve", tag = "subsidies",
    params(("id" = i64, Path), ("cid" = i64, Path, description = "补贴申领的编号")),
    responses((status = 200, body = BatchDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：申领不是待审核（CLAIM_STATE）、批次不是待审核（SUBSIDY_BATCH_STATE）", body = ErrorEnvelope)))]
pub async fn approve_claim(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, cid)): Path<(i64, i64)>,
) -> Result<Json<BatchDetailDto>, ApiError> {
    caller.require(Action::ManageSubsidies)?;
    state.store.approve_subsidy_claim(&caller.principal, id, cid, &caller.ctx).await?;
    detail(&state, &caller, id).await
}

/// F3: a pending claim rejected with a reason; the person and project may be claimed again later.
#[utoipa::path(post, path = "/api/v1/subsidies/{id}/claims/{cid}/reject", tag = "subsidies",
    params(("id" = i64, Path), ("cid" = i64, Path, description = "补贴申领的编号")), request_body = RejectDto,
    responses((status = 200, body = BatchDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "字段错误：未填写理由（REASON_REQUIRED）", body = ErrorEnvelope),
        (status = 409, description = "冲突：申领不是待审核（CLAIM_STATE）、批次不是待审核（SUBSIDY_BATCH_STATE）", body = ErrorEnvelope)))]
pub async fn reject_claim(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((id, cid)): Path<(i64, i64)>,
    body: Result<ApiJson<RejectDto>, ApiError>,
) -> Result<Json<BatchDetailDto>, ApiError> {
    caller.require(Action::ManageSubsidies)?;
    let ApiJson(b) = body?;
    state.store.reject_subsidy_claim(&caller.principal, id, cid, &b.reason, &caller.ctx).await?;
    detail(&state, &caller, id).await
}
