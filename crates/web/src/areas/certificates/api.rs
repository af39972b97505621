//! Certificates over the API (C1): the blank stock (counts, batches, blanks; recording a batch, voiding a
//! blank), a session's certificates section and issuing (one candidate, or every passed candidate all
//! or nothing), and the issued certificates. Bodies are this module's `…Dto`s, converted from and into
//! the store's types.

use super::issued::certificate_query;
use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::view::shanghai;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::authz::Action;
use domain::certificates::{BlankBatchInput, BlankStatus, StockCounts};
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::certificates::{
    BatchView, BlankQuery, BlankView, CertificateView, CityStock, IssueRow, IssueTarget, SessionCertificates,
    StockView, VoidInput,
};
use utoipa::{IntoParams, ToSchema};

/// The counts of a stock: printed = unused + used + voided when it reconciles.
#[derive(Serialize, ToSchema)]
#[schema(as = BlankStockCounts)]
pub struct CountsDto {
    pub printed: u64,
    pub unused: u64,
    pub used: u64,
    pub voided: u64,
}

impl From<StockCounts> for CountsDto {
    fn from(c: StockCounts) -> Self {
        CountsDto { printed: c.printed, unused: c.unused, used: c.used, voided: c.voided }
    }
}

/// One city's counts.
#[derive(Serialize, ToSchema)]
#[schema(as = CityBlankStock)]
pub struct CityStockDto {
    /// GB/T 2260 city code.
    #[schema(example = "430100")]
    pub city: String,
    pub city_name: String,
    pub counts: CountsDto,
}

impl From<CityStock> for CityStockDto {
    fn from(c: CityStock) -> Self {
        CityStockDto { city: c.city, city_name: c.city_name, counts: c.counts.into() }
    }
}

/// A print batch.
#[derive(Serialize, ToSchema)]
#[schema(as = BlankBatch)]
pub struct BatchDto {
    pub id: i64,
    pub city: String,
    #[schema(example = "HN00000001")]
    pub first_serial: String,
    #[schema(example = "HN00000500")]
    pub last_serial: String,
    pub count: u32,
    /// YYYY-MM-DD.
    pub received_on: String,
    pub recorded_by: String,
    /// The name of the person who recorded the batch.
    pub recorded_by_name: String,
    pub recorded_at: String,
}

impl From<BatchView> for BatchDto {
    fn from(b: BatchView) -> Self {
        BatchDto {
            id: b.id,
            city: b.city,
            first_serial: b.first_serial,
            last_serial: b.last_serial,
            count: b.count,
            received_on: b.received_on.to_string(),
            recorded_by: b.recorded_by,
            recorded_by_name: b.recorded_by_name,
            recorded_at: shanghai(b.recorded_at),
        }
    }
}

/// One city's stock.
#[derive(Serialize, ToSchema)]
#[schema(as = CityBlankStockDetail)]
pub struct StockDto {
    pub city: String,
    pub city_name: String,
    pub counts: CountsDto,
    /// `null` when printed = unused + used + voided; otherwise the difference in words.
    pub discrepancy: Option<String>,
    /// Newest first.
    pub batches: Vec<BatchDto>,
    /// The caller keeps this city's stock.
    pub can_manage: bool,
}

impl From<StockView> for StockDto {
    fn from(s: StockView) -> Self {
        StockDto {
            city: s.city,
            city_name: s.city_name,
            counts: s.counts.into(),
            discrepancy: s.discrepancy,
            batches: s.batches.into_iter().map(Into::into).collect(),
            can_manage: s.can_manage,
        }
    }
}

/// The stock the caller sees: every city's counts in scope, and the chosen city's stock.
#[derive(Serialize, ToSchema)]
#[schema(as = BlankStock)]
pub struct StockOverviewDto {
    pub cities: Vec<CityStockDto>,
    /// The chosen city (a city center: its own; the province: the `city` asked for, else `null`).
    pub stock: Option<StockDto>,
}

/// One blank certificate.
#[derive(Serialize, ToSchema)]
#[schema(as = BlankCertificate)]
pub struct BlankDto {
    pub id: i64,
    pub batch_id: i64,
    pub city: String,
    #[schema(example = "HN00000001")]
    pub serial: String,
    /// `unused`, `used` or `voided`.
    pub status: String,
    pub status_label: String,
    pub used_at: Option<String>,
    pub certificate_number: Option<String>,
    pub void_reason: String,
    pub voided_by: Option<String>,
    pub voided_at: Option<String>,
}

impl From<BlankView> for BlankDto {
    fn from(b: BlankView) -> Self {
        BlankDto {
            id: b.id,
            batch_id: b.batch_id,
            city: b.city,
            serial: b.serial,
            status: b.status.id().to_owned(),
            status_label: b.status.label().to_owned(),
            used_at: b.used_at.map(shanghai),
            certificate_number: b.certificate_number,
            void_reason: b.void_reason,
            voided_by: b.voided_by,
            voided_at: b.voided_at.map(shanghai),
        }
    }
}

/// A print batch to record (the caller's city).
#[derive(Deserialize, ToSchema)]
#[schema(as = BlankBatchRequest)]
pub struct BatchInputDto {
    /// The first blank's print serial: up to 4 upper-case letters and 1–12 digits.
    #[serde(default)]
    #[schema(example = "HN00000001", required = true)]
    pub first_serial: String,
    /// How many blanks (1–100000).
    #[serde(default)]
    #[schema(example = "500", required = true)]
    pub count: String,
    /// The day received, YYYY-MM-DD (not after today).
    #[serde(default)]
    #[schema(example = "2026-12-01", required = true)]
    pub received_on: String,
}

/// Why a blank is voided.
#[derive(Deserialize, ToSchema)]
#[schema(as = VoidBlankRequest)]
pub struct VoidInputDto {
    /// Required, one line, at most 200 characters.
    #[serde(default)]
    #[schema(example = "印刷错位，无法使用", required = true)]
    pub reason: String,
}

#[derive(Deserialize, IntoParams)]
pub struct StockParams {
    /// A Hunan city code (the province chooses; a city center reads its own).
    city: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct BlankParams {
    /// A Hunan city code (the province chooses; a city center reads its own).
    city: Option<String>,
    /// A print serial or its beginning.
    q: Option<String>,
    /// `unused`, `used` or `voided`.
    status: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

#[derive(Deserialize, IntoParams)]
pub struct CertificateParams {
    /// A certificate number, or words of the holder's name.
    q: Option<String>,
    /// A session's number.
    session_id: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// An issued certificate (the ID number masked).
#[derive(Serialize, ToSchema)]
#[schema(as = Certificate)]
pub struct CertificateDto {
    pub id: i64,
    #[schema(example = "4301260001000001")]
    pub number: String,
    pub holder_name: String,
    pub id_number_masked: String,
    pub session_id: i64,
    pub candidate_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub station_name: String,
    pub city: String,
    pub year: i32,
    pub serial: i64,
    pub blank_serial: Option<String>,
    /// `valid` or `revoked`.
    pub status: String,
    pub status_label: String,
    pub reported_at: Option<String>,
    pub issued_by: String,
    pub issued_at: String,
}

impl From<CertificateView> for CertificateDto {
    fn from(c: CertificateView) -> Self {
        CertificateDto {
            id: c.id,
            number: c.number,
            holder_name: c.holder_name,
            id_number_masked: c.id_number_masked,
            session_id: c.session_id,
            candidate_id: c.candidate_id,
            project_code: c.project_code,
            project_name: c.project_name,
            station_name: c.station_name,
            city: c.city,
            year: c.year,
            serial: c.serial,
            blank_serial: c.blank_serial,
            status: c.status.id().to_owned(),
            status_label: c.status.label().to_owned(),
            reported_at: c.reported_at.map(shanghai),
            issued_by: c.issued_by,
            issued_at: shanghai(c.issued_at),
        }
    }
}

/// A candidate of the session's confirmed register.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateCandidate)]
pub struct IssueRowDto {
    pub candidate_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub passed: bool,
    pub certificate: Option<CertificateDto>,
    /// A certificate of this project the person already holds from another session.
    pub held_elsewhere: Option<String>,
}

impl From<IssueRow> for IssueRowDto {
    fn from(r: IssueRow) -> Self {
        IssueRowDto {
            candidate_id: r.candidate_id,
            name: r.name,
            id_number_masked: r.id_number_masked,
            passed: r.passed,
            certificate: r.certificate.map(Into::into),
            held_elsewhere: r.held_elsewhere,
        }
    }
}

/// A session's certificates.
#[derive(Serialize, ToSchema)]
#[schema(as = SessionCertificates)]
pub struct SessionCertificatesDto {
    pub session_id: i64,
    pub register_confirmed: bool,
    /// The gates that do not hold, in words (empty: certificates may be issued).
    pub missing: Vec<String>,
    pub rows: Vec<IssueRowDto>,
    pub can_issue: bool,
    /// Passed candidates still without a certificate.
    pub pending: usize,
    /// Unused blanks of the station's city.
    pub unused_blanks: u64,
}

impl From<SessionCertificates> for SessionCertificatesDto {
    fn from(s: SessionCertificates) -> Self {
        SessionCertificatesDto {
            session_id: s.session_id,
            register_confirmed: s.register_confirmed,
            missing: s.missing,
            rows: s.rows.into_iter().map(Into::into).collect(),
            can_issue: s.can_issue,
            pending: s.pending,
            unused_blanks: s.unused_blanks,
        }
    }
}

/// Whom to issue a certificate to.
#[derive(Deserialize, ToSchema)]
#[schema(as = IssueCertificateRequest)]
pub struct IssueOneDto {
    /// The candidate's roster id in the session.
    #[schema(required = true)]
    pub candidate_id: Option<i64>,
}

/// The certificates issued by one request.
#[derive(Serialize, ToSchema)]
#[schema(as = IssuedCertificates)]
pub struct IssuedDto {
    pub certificates: Vec<CertificateDto>,
}

/// C1: every city's blank counts in the caller's scope, and the chosen city's stock (counts, whether
/// they reconcile, batches).
#[utoipa::path(get, path = "/api/v1/certificate-stock", tag = "certificates", params(StockParams),
    responses((status = 200, body = StockOverviewDto), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
        (status = 404, description = "市州鉴定中心查询其他市州的库存", body = ErrorEnvelope)))]
pub async fn certificate_stock(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<StockParams>,
) -> Result<Json<StockOverviewDto>, ApiError> {
    caller.require(Action::ListCertificates)?;
    let p = &caller.principal;
    let cities = state.store.stock_overview(p).await?.into_iter().map(Into::into).collect();
    let stock = state.store.certificate_stock(p, q.city.as_deref()).await?.map(Into::into);
    Ok(Json(StockOverviewDto { cities, stock }))
}

/// C1: a city's blanks by serial, searched by serial (its beginning) and status, paged.
#[utoipa::path(get, path = "/api/v1/certificate-stock/blanks", tag = "certificates", params(BlankParams),
    responses((status = 200, body = PageView<BlankDto>), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
        (status = 404, description = "市州鉴定中心查询其他市州的空白证书", body = ErrorEnvelope)))]
pub async fn list_blanks(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<BlankParams>,
) -> Result<Json<PageView<BlankDto>>, ApiError> {
    caller.require(Action::ListCertificates)?;
    let status: Option<BlankStatus> = crate::view::filter_value("status", "状态", q.status.as_deref())?;
    let query = BlankQuery { q: q.q, status };
    let page = PageReq::new(q.page, q.per_page);
    Ok(Json(state.store.list_blanks(&caller.principal, q.city.as_deref(), &query, page).await?.into()))
}

/// C1: a city center's staff record a print batch of blanks for their city (the range must not share
/// a serial with a batch of the city: `BATCH_OVERLAP` on `first_serial`).
#[utoipa::path(post, path = "/api/v1/certificate-stock/batches", tag = "certificates", request_body = BatchInputDto,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn record_batch(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<BatchInputDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ManageCertificateStock)?;
    let ApiJson(b) = body?;
    let input = BlankBatchInput { first_serial: b.first_serial, count: b.count, received_on: b.received_on };
    let id = state.store.record_blank_batch(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// C1: a city center's staff void an unused blank of their city with a reason.
#[utoipa::path(post, path = "/api/v1/certificate-blanks/{id}/void", tag = "certificates", params(("id" = i64, Path)), request_body = VoidInputDto,
    responses((status = 204, description = "已作废"), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：空白证书已使用（BLANK_USED）、已作废（BLANK_STATE）或刚被他人办理（BLANK_CHANGED）", body = ErrorEnvelope)))]
pub async fn void_blank(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<VoidInputDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ListCertificates)?;
    state.store.get_blank(&caller.principal, id).await?;
    caller.require(Action::ManageCertificateStock)?;
    let ApiJson(b) = body?;
    state.store.void_blank(&caller.principal, id, &VoidInput { reason: b.reason }, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// C1: the session's certificates: the gates that do not hold, every candidate of the confirmed
/// register with their result and certificate, whether the caller may issue.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/certificates", tag = "certificates", params(("id" = i64, Path)),
    responses((status = 200, body = SessionCertificatesDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn session_certificates(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<SessionCertificatesDto>, ApiError> {
    caller.require(Action::ListSessions)?;
    Ok(Json(state.store.session_certificates(&caller.principal, id).await?.into()))
}

/// C1: the organizer's staff issue the certificate of one passed candidate, when every gate held
/// (`CERTIFICATE_GATES` names each missing one), once per person and project (`CERTIFICATE_DUPLICATE`
/// names the number held), on the lowest unused blank of the station's city (`CERTIFICATE_NO_BLANK`).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/certificates", tag = "certificates", params(("id" = i64, Path)), request_body = IssueOneDto,
    responses((status = 201, body = IssuedDto), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：门槛未满足（CERTIFICATE_GATES）、已取得证书（CERTIFICATE_DUPLICATE）、空白证书已用完（CERTIFICATE_NO_BLANK）或非组织考核的鉴定中心（NOT_ORGANIZER）", body = ErrorEnvelope)))]
pub async fn issue_one(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<IssueOneDto>, ApiError>,
) -> Result<(StatusCode, Json<IssuedDto>), ApiError> {
    caller.require(Action::ListSessions)?;
    state.store.session_visible(&caller.principal, id).await?;
    caller.require(Action::IssueCertificates)?;
    let ApiJson(b) = body?;
    let cid = b.candidate_id.ok_or_else(|| {
        store::StoreError::Invalid(
            domain::FieldError::new("candidate_id", "CANDIDATE_REQUIRED", "请选择要核发证书的考生").into(),
        )
    })?;
    let issued = state.store.issue_certificates(&caller.principal, id, IssueTarget::One(cid), &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(IssuedDto { certificates: issued.into_iter().map(Into::into).collect() })))
}

/// C1: the organizer's staff issue the certificates of every passed candidate of the session without
/// one, in one transaction: all or nothing.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/certificates/all", tag = "certificates", params(("id" = i64, Path)),
    responses((status = 200, body = IssuedDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：门槛未满足（CERTIFICATE_GATES）、已取得证书（CERTIFICATE_DUPLICATE）、空白证书不足（CERTIFICATE_NO_BLANK）、没有待核发的考生（CERTIFICATE_NONE_PENDING）或非组织考核的鉴定中心（NOT_ORGANIZER）", body = ErrorEnvelope)))]
pub async fn issue_all(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<IssuedDto>, ApiError> {
    caller.require(Action::ListSessions)?;
    let issued = state.store.issue_certificates(&caller.principal, id, IssueTarget::AllPassed, &caller.ctx).await?;
    Ok(Json(IssuedDto { certificates: issued.into_iter().map(Into::into).collect() }))
}

/// C1: issued certificates in the caller's scope, searched by number or holder's name and by session,
/// newest first.
#[utoipa::path(get, path = "/api/v1/issued-certificates", tag = "certificates", params(CertificateParams),
    responses((status = 200, body = PageView<CertificateDto>), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn list_certificates(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<CertificateParams>,
) -> Result<Json<PageView<CertificateDto>>, ApiError> {
    caller.require(Action::ListCertificates)?;
    let query = certificate_query(q.q, q.session_id.as_deref())?;
    let page = PageReq::new(q.page, q.per_page);
    Ok(Json(state.store.list_certificates(&caller.principal, &query, page).await?.into()))
}
