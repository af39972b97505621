//! A certificate's life over the API (C1, C2): one certificate with its reissues, revoke and reissue,
//! the report batches (list, the city's unreported certificates, report, one batch) and a batch's export
//! for the provincial public employment service platform.

use super::api::CertificateDto;
use super::reports::{export_file, export_format};
use crate::AppState;
use crate::api::{ApiJson, ErrorEnvelope, PageView};
use crate::areas::filings::api::FileBytes;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::view::shanghai;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::authz::Action;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::certificates::{CertificateDetail, ReissueView, ReportDetail, ReportInput, ReportQuery, ReportView};
use utoipa::{IntoParams, ToSchema};

/// One reissue of a certificate.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateReissue)]
pub struct ReissueDto {
    /// The blank it was printed on before (voided by the reissue).
    pub old_blank_serial: Option<String>,
    pub new_blank_serial: String,
    pub reason: String,
    /// The name of who reissued it.
    pub reissued_by: String,
    pub reissued_at: String,
}

impl From<ReissueView> for ReissueDto {
    fn from(r: ReissueView) -> Self {
        ReissueDto {
            old_blank_serial: r.old_blank_serial,
            new_blank_serial: r.new_blank_serial,
            reason: r.reason,
            reissued_by: r.reissued_by,
            reissued_at: shanghai(r.reissued_at),
        }
    }
}

/// A certificate with its reissues and what the caller may do with it.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateDetail)]
pub struct DetailDto {
    pub certificate: CertificateDto,
    pub reissues: Vec<ReissueDto>,
    /// The caller may revoke and reissue it.
    pub can_change: bool,
    /// The caller may report it.
    pub can_report: bool,
}

impl From<CertificateDetail> for DetailDto {
    fn from(d: CertificateDetail) -> Self {
        DetailDto {
            certificate: d.certificate.into(),
            reissues: d.reissues.into_iter().map(Into::into).collect(),
            can_change: d.can_change,
            can_report: d.can_report,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[schema(as = CertificateReasonRequest)]
pub struct ReasonDto {
    #[serde(default)]
    #[schema(example = "持证人遗失证书", required = true)]
    pub reason: String,
}

/// A report batch.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateReport)]
pub struct ReportDto {
    pub id: i64,
    #[schema(example = "430100")]
    pub city: String,
    pub city_name: String,
    pub count: i32,
    pub note: String,
    pub reported_by: String,
    pub reported_by_name: String,
    pub reported_at: String,
}

impl From<ReportView> for ReportDto {
    fn from(r: ReportView) -> Self {
        ReportDto {
            id: r.id,
            city_name: domain::ids::region_name(&r.city),
            city: r.city,
            count: r.count,
            note: r.note,
            reported_by: r.reported_by,
            reported_by_name: r.reported_by_name,
            reported_at: shanghai(r.reported_at),
        }
    }
}

/// A report batch with its certificates.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateReportDetail)]
pub struct ReportDetailDto {
    pub report: ReportDto,
    pub certificates: Vec<CertificateDto>,
}

impl From<ReportDetail> for ReportDetailDto {
    fn from(d: ReportDetail) -> Self {
        ReportDetailDto { report: d.report.into(), certificates: d.certificates.into_iter().map(Into::into).collect() }
    }
}

/// What to report.
#[derive(Deserialize, ToSchema)]
#[schema(as = CertificateReportRequest)]
pub struct ReportInputDto {
    /// The city (the province must name it; a city center may leave it out).
    #[serde(default)]
    #[schema(example = "430100")]
    pub city: Option<String>,
    /// The certificates to report; empty or left out: every valid certificate of the city not yet
    /// reported.
    #[serde(default)]
    pub certificate_ids: Vec<i64>,
    #[serde(default)]
    pub note: String,
}

/// A city's valid certificates not yet reported.
#[derive(Serialize, ToSchema)]
#[schema(as = UnreportedCertificates)]
pub struct UnreportedDto {
    /// `null`: the province asked for no city.
    pub city: Option<String>,
    pub certificates: Vec<CertificateDto>,
}

#[derive(Deserialize, IntoParams)]
pub struct ReportParams {
    /// GB/T 2260 city code (the province; a city center sees its own).
    city: Option<String>,
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

#[derive(Deserialize, IntoParams)]
pub struct CityParams {
    city: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct FormatParams {
    /// `csv` (default; UTF-8 with BOM) or `xlsx`.
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/issued-certificates/{id}", tag = "certificates", params(("id" = i64, Path)),
    responses((status = 200, body = DetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_certificate(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<DetailDto>, ApiError> {
    caller.require(Action::ListCertificates)?;
    Ok(Json(state.store.certificate_detail(&caller.principal, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/issued-certificates/{id}/revoke", tag = "certificates", params(("id" = i64, Path)), request_body = ReasonDto,
    responses((status = 200, body = DetailDto), (status = 422, description = "未填写理由（REASON_REQUIRED）", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "证书已注销（CERTIFICATE_STATE）或刚被他人处理（CERTIFICATE_CHANGED）", body = ErrorEnvelope)))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<ReasonDto>, ApiError>,
) -> Result<Json<DetailDto>, ApiError> {
    caller.require(Action::RevokeCertificates)?;
    let ApiJson(b) = body?;
    state.store.revoke_certificate(&caller.principal, id, &b.reason, &caller.ctx).await?;
    Ok(Json(state.store.certificate_detail(&caller.principal, id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/issued-certificates/{id}/reissue", tag = "certificates", params(("id" = i64, Path)), request_body = ReasonDto,
    responses((status = 200, body = DetailDto), (status = 422, description = "未填写理由（REASON_REQUIRED）", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "证书已注销（CERTIFICATE_STATE）、空白证书已用完（CERTIFICATE_NO_BLANK）或刚被他人处理（CERTIFICATE_CHANGED）", body = ErrorEnvelope)))]
pub async fn reissue(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<ReasonDto>, ApiError>,
) -> Result<Json<DetailDto>, ApiError> {
    caller.require(Action::RevokeCertificates)?;
    let ApiJson(b) = body?;
    state.store.reissue_certificate(&caller.principal, id, &b.reason, &caller.ctx).await?;
    Ok(Json(state.store.certificate_detail(&caller.principal, id).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/certificate-reports", tag = "certificates", params(ReportParams),
    responses((status = 200, body = PageView<ReportDto>), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "市州取值无效（FILTER_INVALID）", body = ErrorEnvelope),
        (status = 404, description = "市州鉴定中心查询其他市州", body = ErrorEnvelope)))]
pub async fn list_reports(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<ReportParams>,
) -> Result<Json<PageView<ReportDto>>, ApiError> {
    caller.require(Action::ListCertificates)?;
    let page = PageReq::new(q.page, q.per_page);
    Ok(Json(state.store.list_reports(&caller.principal, &ReportQuery { city: q.city }, page).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/certificate-reports", tag = "certificates", request_body = ReportInputDto,
    responses((status = 201, body = ReportDto), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "未选择市州（REQUIRED）、证书不存在（CERTIFICATE_NOT_FOUND）或备注过长（TOO_LONG）", body = ErrorEnvelope),
        (status = 404, description = "市州鉴定中心上报其他市州的证书", body = ErrorEnvelope),
        (status = 409, description = "没有待上报的证书（CERTIFICATE_NONE_TO_REPORT）、证书已上报或已注销（CERTIFICATE_STATE）", body = ErrorEnvelope)))]
pub async fn report(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<ReportInputDto>, ApiError>,
) -> Result<(StatusCode, Json<ReportDto>), ApiError> {
    caller.require(Action::ReportCertificates)?;
    let ApiJson(b) = body?;
    let input = ReportInput { city: b.city, certificate_ids: b.certificate_ids, note: b.note };
    let r = state.store.report_certificates(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[utoipa::path(get, path = "/api/v1/certificate-reports/unreported", tag = "certificates", params(CityParams),
    responses((status = 200, body = UnreportedDto), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "市州取值无效（FILTER_INVALID）", body = ErrorEnvelope),
        (status = 404, description = "市州鉴定中心查询其他市州", body = ErrorEnvelope)))]
pub async fn unreported(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<CityParams>,
) -> Result<Json<UnreportedDto>, ApiError> {
    caller.require(Action::ReportCertificates)?;
    let u = state.store.unreported_certificates(&caller.principal, q.city.as_deref()).await?;
    Ok(Json(match u {
        Some(u) => {
            UnreportedDto { city: Some(u.city), certificates: u.certificates.into_iter().map(Into::into).collect() }
        }
        None => UnreportedDto { city: None, certificates: Vec::new() },
    }))
}

#[utoipa::path(get, path = "/api/v1/certificate-reports/{id}", tag = "certificates", params(("id" = i64, Path)),
    responses((status = 200, body = ReportDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_report(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<ReportDetailDto>, ApiError> {
    caller.require(Action::ListCertificates)?;
    Ok(Json(state.store.report_detail(&caller.principal, id).await?.into()))
}

/// C2: the batch as the provincial public employment service platform imports it (docs/CERTIFICATES.md),
/// with the full ID numbers; the download is recorded in the audit trail.
#[utoipa::path(get, path = "/api/v1/certificate-reports/{id}/export", tag = "certificates", params(("id" = i64, Path), FormatParams),
    responses((status = 200, description = "上报文件（CSV：text/csv，UTF-8 带 BOM；xlsx）", content_type = "text/csv", body = FileBytes),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 422, description = "导出格式无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn export_report(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    Query(q): Query<FormatParams>,
) -> Result<Response, ApiError> {
    caller.require(Action::ReportCertificates)?;
    let format = export_format(q.format.as_deref())?;
    let (_, rows) = state.store.export_report(&caller.principal, id, &caller.ctx).await?;
    Ok(export_file(id, rows, format)?)
}
