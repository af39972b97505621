//! Printing over the API (C1): a certificate as the A4 electronic certificate or the overlay page, a
//! session's valid certificates in one PDF, the province's overlay layouts (list, read, create, change,
//! test print), and the candidate's own certificates.

use super::api::CertificateDto;
use super::print::{
    PrintAs, PrintKind, certificate_pdf_for, layout_of, my_pdf_for, print_as, session_pdf_for, test_pdf_for,
};
use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope};
use crate::areas::filings::api::FileBytes;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::view::shanghai;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::authz::Action;
use domain::certificates::{LayoutInput, PlacementInput};
use serde::{Deserialize, Serialize};
use store::certificates::{CertificateView, LayoutSave, LayoutView};
use utoipa::{IntoParams, ToSchema};

/// Where one field is printed on the blank (millimetres from its top-left corner, at most one decimal).
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[schema(as = CertificateLayoutPlacement)]
#[serde(default)]
pub struct PlacementDto {
    /// `holder_name`, `id_number`, `project`, `station`, `issuer`, `issued_on`, `number`, `photo` or
    /// `qr_code`.
    #[schema(example = "holder_name", required = true)]
    pub field: String,
    #[schema(example = "45", required = true)]
    pub x_mm: String,
    #[schema(example = "38", required = true)]
    pub y_mm: String,
    /// Text fields: the font size in points (6–36).
    #[schema(example = "14")]
    pub font_pt: String,
    /// Photo and QR code: the box's width and height in millimetres.
    pub width_mm: String,
    pub height_mm: String,
}

impl From<PlacementInput> for PlacementDto {
    fn from(p: PlacementInput) -> Self {
        PlacementDto {
            field: p.field,
            x_mm: p.x_mm,
            y_mm: p.y_mm,
            font_pt: p.font_pt,
            width_mm: p.width_mm,
            height_mm: p.height_mm,
        }
    }
}

/// An overlay printing (套打) layout.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateLayout)]
pub struct LayoutDto {
    pub id: i64,
    pub name: String,
    /// The layout every overlay print uses.
    pub is_default: bool,
    #[schema(example = "210")]
    pub width_mm: String,
    #[schema(example = "148")]
    pub height_mm: String,
    pub placements: Vec<PlacementDto>,
    pub updated_by: String,
    /// The person's name of `updated_by` (in the list).
    pub updated_by_name: String,
    pub updated_at: String,
}

impl From<LayoutView> for LayoutDto {
    fn from(l: LayoutView) -> Self {
        LayoutDto {
            id: l.id,
            name: l.name,
            is_default: l.is_default,
            width_mm: l.input.width_mm,
            height_mm: l.input.height_mm,
            placements: l.input.placements.into_iter().map(Into::into).collect(),
            updated_by: l.updated_by,
            updated_by_name: l.updated_by_name,
            updated_at: shanghai(l.updated_at),
        }
    }
}

/// The province's overlay layouts, the default first.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateLayouts)]
pub struct LayoutsDto {
    pub layouts: Vec<LayoutDto>,
}

/// A layout to save: checked whole; errors name `name`, `is_default`, `width_mm`, `height_mm`,
/// `placements` (a required field missing) or `placements[i].<part>`.
#[derive(Deserialize, ToSchema)]
#[schema(as = CertificateLayoutRequest)]
pub struct LayoutInputDto {
    #[serde(default)]
    #[schema(example = "2027 版空白证书", required = true)]
    pub name: String,
    /// Make it the default (the current default cannot be un-defaulted: make another the default).
    #[serde(default)]
    pub is_default: bool,
    /// The blank's width and height in millimetres (50–420).
    #[serde(default)]
    #[schema(example = "210", required = true)]
    pub width_mm: String,
    #[serde(default)]
    #[schema(example = "148", required = true)]
    pub height_mm: String,
    #[serde(default)]
    #[schema(required = true)]
    pub placements: Vec<PlacementDto>,
}

impl From<LayoutInputDto> for LayoutSave {
    fn from(d: LayoutInputDto) -> Self {
        LayoutSave {
            name: d.name,
            is_default: d.is_default,
            layout: LayoutInput {
                width_mm: d.width_mm,
                height_mm: d.height_mm,
                placements: d
                    .placements
                    .into_iter()
                    .map(|p| PlacementInput {
                        field: p.field,
                        x_mm: p.x_mm,
                        y_mm: p.y_mm,
                        font_pt: p.font_pt,
                        width_mm: p.width_mm,
                        height_mm: p.height_mm,
                    })
                    .collect(),
            },
        }
    }
}

/// One of the candidate's own certificates.
#[derive(Serialize, ToSchema)]
#[schema(as = MyCertificate)]
pub struct MyCertificateDto {
    pub certificate: CertificateDto,
    /// Valid and reported to the province: the PDF and the signed credential may be downloaded.
    pub downloadable: bool,
    /// The PDF's address (when downloadable).
    pub certificate_pdf: Option<String>,
    /// The signed credential's address (when downloadable).
    pub credential: Option<String>,
    /// Why it cannot be downloaded yet, in words (empty when downloadable).
    pub note: String,
}

/// Whether the candidate may download a certificate, and why not.
pub fn downloadable(c: &CertificateView) -> (bool, &'static str) {
    if c.status != domain::certificates::CertificateStatus::Valid {
        (false, "证书已注销")
    } else if c.reported_at.is_none() {
        (false, "证书数据尚未上报省鉴定中心，上报后可下载")
    } else {
        (true, "")
    }
}

impl From<CertificateView> for MyCertificateDto {
    fn from(c: CertificateView) -> Self {
        let (ok, note) = downloadable(&c);
        MyCertificateDto {
            certificate_pdf: ok.then(|| format!("/api/v1/my/certificates/{}/certificate.pdf", c.id)),
            credential: ok.then(|| format!("/my/certificates/{}/credential.json", c.id)),
            downloadable: ok,
            note: note.to_owned(),
            certificate: c.into(),
        }
    }
}

/// The candidate's own certificates.
#[derive(Serialize, ToSchema)]
#[schema(as = MyCertificates)]
pub struct MyCertificatesDto {
    pub certificates: Vec<MyCertificateDto>,
}

#[derive(Deserialize, IntoParams)]
pub struct KindParams {
    /// `a4` (the electronic certificate, default) or `overlay` (套打).
    kind: Option<String>,
    /// The overlay's layout, by id (`GET /api/v1/certificate-layouts/choices`); the default when none.
    layout: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct LayoutParams {
    /// The overlay's layout, by id (`GET /api/v1/certificate-layouts/choices`); the default when none.
    layout: Option<String>,
}

/// C1: one certificate as the A4 electronic certificate (ID number masked, QR code to its verification
/// page) — in the caller's scope; a revoked one is refused.
#[utoipa::path(get, path = "/api/v1/issued-certificates/{id}/certificate.pdf", tag = "certificates", params(("id" = i64, Path)),
    responses((status = 200, description = "电子证书（A4 PDF）", content_type = "application/pdf", body = FileBytes),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, description = "证书已注销（CERTIFICATE_REVOKED）或含字体缺少的字符（CHARACTER_NOT_IN_FONT）", body = ErrorEnvelope),
        (status = 500, description = "服务器缺少中文字体 fonts-noto-cjk（FONT_MISSING）", body = ErrorEnvelope)))]
pub async fn certificate_pdf(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    caller.require(Action::ListCertificates)?;
    Ok(certificate_pdf_for(&state, &caller.principal, &headers, id, PrintKind::A4.into()).await?)
}

/// C1: one certificate as the overlay page (套打) on the layout asked for, else the default one (the
/// full ID number, the holder's photo in the photo box, no frame).
#[utoipa::path(get, path = "/api/v1/issued-certificates/{id}/overlay.pdf", tag = "certificates", params(("id" = i64, Path), LayoutParams),
    responses((status = 200, description = "套打页（PDF，空白证书大小）", content_type = "application/pdf", body = FileBytes),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "套打模板无效或不存在（FILTER_INVALID，layout）", body = ErrorEnvelope),
        (status = 409, description = "证书已注销（CERTIFICATE_REVOKED）或含字体缺少的字符（CHARACTER_NOT_IN_FONT）", body = ErrorEnvelope),
        (status = 500, description = "服务器缺少中文字体 fonts-noto-cjk（FONT_MISSING）", body = ErrorEnvelope)))]
pub async fn overlay_pdf(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<LayoutParams>,
) -> Result<Response, ApiError> {
    caller.require(Action::ListCertificates)?;
    let how = PrintAs { kind: PrintKind::Overlay, layout: layout_of(q.layout.as_deref())? };
    Ok(certificate_pdf_for(&state, &caller.principal, &headers, id, how).await?)
}

/// C1: batch print — every valid certificate of the session (in the caller's scope) in one PDF, one
/// page each.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/certificates.pdf", tag = "certificates", params(("id" = i64, Path), KindParams),
    responses((status = 200, description = "本场考核的证书（PDF，每本一页）", content_type = "application/pdf", body = FileBytes),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 422, description = "打印方式或套打模板无效（FILTER_INVALID，kind、layout）", body = ErrorEnvelope),
        (status = 409, description = "没有可打印的有效证书（CERTIFICATE_NONE_TO_PRINT）或含字体缺少的字符（CHARACTER_NOT_IN_FONT）", body = ErrorEnvelope)))]
pub async fn session_pdf(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<KindParams>,
) -> Result<Response, ApiError> {
    caller.require(Action::ListSessions)?;
    state.store.session_visible(&caller.principal, id).await?;
    caller.require(Action::ListCertificates)?;
    let how = print_as(q.kind.as_deref(), q.layout.as_deref())?;
    Ok(session_pdf_for(&state, &caller.principal, &headers, id, how).await?)
}

/// C1: the province's overlay layouts, the default first.
#[utoipa::path(get, path = "/api/v1/certificate-layouts", tag = "certificates",
    responses((status = 200, body = LayoutsDto), (status = 403, body = ErrorEnvelope)))]
pub async fn list_layouts(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<LayoutsDto>, ApiError> {
    caller.require(Action::ManageCertificateLayouts)?;
    let layouts = state.store.list_layouts(&caller.principal).await?.into_iter().map(Into::into).collect();
    Ok(Json(LayoutsDto { layouts }))
}

/// A layout an overlay print may use.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateLayoutChoice)]
pub struct LayoutChoiceDto {
    pub id: i64,
    pub name: String,
    /// The layout an overlay print uses when none is asked for.
    pub is_default: bool,
}

/// The layouts an overlay print may use, the default first.
#[derive(Serialize, ToSchema)]
#[schema(as = CertificateLayoutChoices)]
pub struct LayoutChoicesDto {
    pub layouts: Vec<LayoutChoiceDto>,
}

/// C1: the layouts an overlay print may use (`layout` of the overlay prints), for whoever prints
/// certificates.
#[utoipa::path(get, path = "/api/v1/certificate-layouts/choices", tag = "certificates",
    responses((status = 200, body = LayoutChoicesDto), (status = 403, body = ErrorEnvelope)))]
pub async fn layout_choices(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<LayoutChoicesDto>, ApiError> {
    caller.require(Action::ListCertificates)?;
    let layouts = state
        .store
        .layout_choices(&caller.principal)
        .await?
        .into_iter()
        .map(|(id, name, is_default)| LayoutChoiceDto { id, name, is_default })
        .collect();
    Ok(Json(LayoutChoicesDto { layouts }))
}

/// C1: the province adds an overlay layout, checked whole.
#[utoipa::path(post, path = "/api/v1/certificate-layouts", tag = "certificates", request_body = LayoutInputDto,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_layout(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<LayoutInputDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ManageCertificateLayouts)?;
    let ApiJson(b) = body?;
    let id = state.store.save_layout(&caller.principal, None, &b.into(), &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// C1: one overlay layout.
#[utoipa::path(get, path = "/api/v1/certificate-layouts/{id}", tag = "certificates", params(("id" = i64, Path)),
    responses((status = 200, body = LayoutDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get_layout(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<LayoutDto>, ApiError> {
    caller.require(Action::ManageCertificateLayouts)?;
    Ok(Json(state.store.get_layout(&caller.principal, id).await?.into()))
}

/// C1: the province changes an overlay layout (the whole layout), checked whole.
#[utoipa::path(put, path = "/api/v1/certificate-layouts/{id}", tag = "certificates", params(("id" = i64, Path)), request_body = LayoutInputDto,
    responses((status = 204, description = "已保存"), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn update_layout(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<LayoutInputDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ManageCertificateLayouts)?;
    state.store.get_layout(&caller.principal, id).await?;
    let ApiJson(b) = body?;
    state.store.save_layout(&caller.principal, Some(id), &b.into(), &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// C1: the test print of a layout — its overlay page with sample data over a millimetre grid.
#[utoipa::path(get, path = "/api/v1/certificate-layouts/{id}/test.pdf", tag = "certificates", params(("id" = i64, Path)),
    responses((status = 200, description = "试打印页（PDF）", content_type = "application/pdf", body = FileBytes),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn test_pdf(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    caller.require(Action::ManageCertificateLayouts)?;
    Ok(test_pdf_for(&state, &caller.principal, &headers, id).await?)
}

/// C1: the candidate's own certificates (matched by their ID number), with whether each may be
/// downloaded (valid and reported to the province).
#[utoipa::path(get, path = "/api/v1/my/certificates", tag = "certificates",
    responses((status = 200, body = MyCertificatesDto), (status = 403, body = ErrorEnvelope)))]
pub async fn my_certificates(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<MyCertificatesDto>, ApiError> {
    caller.require(Action::ViewOwnCertificates)?;
    let certificates = state.store.my_certificates(&caller.principal).await?.into_iter().map(Into::into).collect();
    Ok(Json(MyCertificatesDto { certificates }))
}

/// C1: the candidate's own certificate as the A4 electronic certificate, once reported to the province.
#[utoipa::path(get, path = "/api/v1/my/certificates/{id}/certificate.pdf", tag = "certificates", params(("id" = i64, Path)),
    responses((status = 200, description = "电子证书（A4 PDF）", content_type = "application/pdf", body = FileBytes),
        (status = 403, body = ErrorEnvelope), (status = 404, description = "没有该证书，或不是本人的证书", body = ErrorEnvelope),
        (status = 409, description = "尚未上报省鉴定中心（CERTIFICATE_NOT_REPORTED）或已注销（CERTIFICATE_REVOKED）", body = ErrorEnvelope)))]
pub async fn my_pdf(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    caller.require(Action::ViewOwnCertificates)?;
    Ok(my_pdf_for(&state, &caller.principal, &headers, id).await?)
}
