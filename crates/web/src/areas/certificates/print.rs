//! C1: printing certificates — the A4 electronic certificate and the overlay page (套打) of one
//! certificate, a session's valid certificates in one PDF (batch print), the province's overlay layouts
//! with their test print, and the candidate's own certificates (我的证书).
//!
//! The electronic certificate shows the ID number masked (as the public verification page does); the
//! overlay page prints it in full, as the paper certificate carries it. Revoked certificates are not
//! printed (`CERTIFICATE_REVOKED`). The QR code encodes `{public_base_url}/verify/{verify_token}` (the
//! request's host when no base address is configured).

use super::pdf::{pdf_response, render, render_pages};
use crate::AppState;
use crate::areas::tickets::pages::absolute_url;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Layout, done};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use domain::authz::Action;
use domain::certificates::{
    LayoutField, LayoutInput, PlacementInput, PrintFields, Sheet, a4_sheet, overlay_sheet, test_sheet,
};
use domain::org::Principal;
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use std::collections::HashMap;
use store::certificates::{CertificateView, LayoutSave, LayoutView, PrintCertificate};

/// Which page a print produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PrintKind {
    /// The framed A4 electronic certificate.
    #[default]
    A4,
    /// The overlay page (套打) for the pre-printed blank.
    Overlay,
}

/// The verification page's whole address for a certificate's token.
pub fn verify_url(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    absolute_url(
        state.config.public_base_url.as_deref(),
        state.config.cookie_secure,
        headers,
        &format!("/verify/{token}"),
    )
}

/// What a certificate prints: the ID number masked on the electronic certificate, in full on the
/// overlay page.
pub fn print_fields(pc: &PrintCertificate, kind: PrintKind, verify_url: String) -> PrintFields {
    let c = &pc.certificate;
    PrintFields {
        holder_name: c.holder_name.clone(),
        id_number: match kind {
            PrintKind::A4 => c.id_number_masked.clone(),
            PrintKind::Overlay => pc.id_number.clone(),
        },
        project: c.project_name.clone(),
        station: c.station_name.clone(),
        issuer: pc.issuer.clone(),
        issued_on: c.issued_at.to_offset(time::macros::offset!(+8)).date().to_string(),
        number: c.number.clone(),
        reissues: u32::try_from(c.reissues).unwrap_or(0),
        verify_url,
        has_photo: pc.photo.is_some(),
    }
}

/// How a certificate is printed: the page, and for the overlay the layout (`None`: the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrintAs {
    pub kind: PrintKind,
    pub layout: Option<i64>,
}

impl From<PrintKind> for PrintAs {
    fn from(kind: PrintKind) -> Self {
        PrintAs { kind, layout: None }
    }
}

/// The PDF of certificates, one page each with the holder's photo (the overlay pages on the layout
/// asked for, else the default one).
pub async fn certificates_pdf(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    certs: &[PrintCertificate],
    how: PrintAs,
) -> Result<Vec<u8>, AppError> {
    let layout = match how.kind {
        PrintKind::Overlay => Some(state.store.layout_for_print(p, how.layout).await?),
        PrintKind::A4 => None,
    };
    let sheets: Vec<Sheet> = certs
        .iter()
        .map(|pc| {
            let f = print_fields(pc, how.kind, verify_url(state, headers, &pc.certificate.verify_token));
            match &layout {
                Some(l) => overlay_sheet(l, &f),
                None => a4_sheet(&f),
            }
        })
        .collect();
    let pages: Vec<(&Sheet, Option<&store::tickets::Photo>)> =
        sheets.iter().zip(certs).map(|(s, pc)| (s, pc.photo.as_ref())).collect();
    render_pages(&pages)
}

fn file_name(kind: PrintKind, what: &str) -> String {
    match kind {
        PrintKind::A4 => format!("certificate-{what}.pdf"),
        PrintKind::Overlay => format!("certificate-{what}-overlay.pdf"),
    }
}

/// One certificate as a PDF page (staff, in scope).
pub async fn certificate_pdf_for(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: i64,
    how: PrintAs,
) -> Result<Response, AppError> {
    if !p.can(Action::ListCertificates) {
        return Err(AppError::Forbidden);
    }
    let pc = state.store.certificate_for_print(p, id).await?;
    let pdf = certificates_pdf(state, p, headers, std::slice::from_ref(&pc), how).await?;
    Ok(pdf_response(&file_name(how.kind, &pc.certificate.number), pdf))
}

/// A session's valid certificates in one PDF.
pub async fn session_pdf_for(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: i64,
    how: PrintAs,
) -> Result<Response, AppError> {
    let certs = state.store.session_certificates_for_print(p, id).await?;
    let pdf = certificates_pdf(state, p, headers, &certs, how).await?;
    Ok(pdf_response(&file_name(how.kind, &format!("session-{id}")), pdf))
}

/// The test print of a layout: its overlay page with sample data over a millimetre grid.
pub async fn test_pdf_for(state: &AppState, p: &Principal, headers: &HeaderMap, id: i64) -> Result<Response, AppError> {
    let l = state.store.get_layout(p, id).await?;
    let sample = PrintFields::sample(verify_url(state, headers, "sample"));
    Ok(pdf_response(&format!("layout-{id}-test.pdf"), render(&[test_sheet(&l.layout, &sample)])?))
}

/// The candidate's own certificate (electronic, ID number masked), once reported.
pub async fn my_pdf_for(state: &AppState, p: &Principal, headers: &HeaderMap, id: i64) -> Result<Response, AppError> {
    let pc = state.store.my_certificate_for_print(p, id).await?;
    let pdf = certificates_pdf(state, p, headers, std::slice::from_ref(&pc), PrintKind::A4.into()).await?;
    Ok(pdf_response(&file_name(PrintKind::A4, &pc.certificate.number), pdf))
}

/// `GET /issued-certificates/{id}/certificate.pdf`
pub async fn certificate_pdf(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(certificate_pdf_for(&state, &staff.principal, &headers, id, PrintKind::A4.into()).await?)
}

/// `GET /issued-certificates/{id}/overlay.pdf?layout=ID`
pub async fn overlay_pdf(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<LayoutQuery>,
) -> Result<Response, PageError> {
    let how = PrintAs { kind: PrintKind::Overlay, layout: layout_of(q.layout.as_deref())? };
    Ok(certificate_pdf_for(&state, &staff.principal, &headers, id, how).await?)
}

#[derive(Deserialize, Default)]
pub struct KindQuery {
    /// `a4` (default) or `overlay`.
    kind: Option<String>,
    /// The overlay's layout (its id; the default one when none is given).
    layout: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LayoutQuery {
    /// The overlay's layout (its id; the default one when none is given).
    layout: Option<String>,
}

/// The print kind asked for: `a4` (none given) or `overlay`; anything else names the field.
pub fn kind_of(raw: Option<&str>) -> Result<PrintKind, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None | Some("a4") => Ok(PrintKind::A4),
        Some("overlay") => Ok(PrintKind::Overlay),
        Some(_) => Err(AppError::Invalid(FieldErrors::from(FieldError::new(
            "kind",
            "FILTER_INVALID",
            "打印方式应为 a4（电子证书）或 overlay（套打）",
        )))),
    }
}

/// The overlay layout asked for: none (the default) or a layout's id; anything else names the field.
pub fn layout_of(raw: Option<&str>) -> Result<Option<i64>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse::<i64>().ok().filter(|n| *n > 0).map(Some).ok_or_else(|| {
            AppError::Invalid(FieldErrors::from(FieldError::new(
                "layout",
                "FILTER_INVALID",
                "套打模板应为模板列表中的一项",
            )))
        }),
    }
}

/// How a print is asked for in a query: kind and layout.
pub fn print_as(kind: Option<&str>, layout: Option<&str>) -> Result<PrintAs, AppError> {
    Ok(PrintAs { kind: kind_of(kind)?, layout: layout_of(layout)? })
}

/// `GET /sessions/{id}/certificates.pdf?kind=a4|overlay&layout=ID`
pub async fn session_pdf(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<KindQuery>,
) -> Result<Response, PageError> {
    // Scope (404) and role (403) before the query is judged.
    state.store.session_visible(&staff.principal, id).await?;
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let how = print_as(q.kind.as_deref(), q.layout.as_deref())?;
    Ok(session_pdf_for(&state, &staff.principal, &headers, id, how).await?)
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/layouts.html")]
pub struct LayoutsPage {
    layout: Layout,
    rows: Vec<LayoutView>,
}

/// `GET /certificate-layouts`: the province's overlay layouts.
pub async fn layouts(State(state): State<AppState>, staff: Staff) -> Result<LayoutsPage, PageError> {
    if !staff.principal.can(Action::ManageCertificateLayouts) {
        return Err(AppError::Forbidden.into());
    }
    let rows = state.store.list_layouts(&staff.principal).await?;
    Ok(LayoutsPage {
        layout: Layout::new(&staff, &state.config.system_name, "证书套打模板", "/certificate-layouts"),
        rows,
    })
}

/// One row of the layout form.
pub struct RowView {
    pub field: LayoutField,
    pub x_mm: String,
    pub y_mm: String,
    pub font_pt: String,
    pub width_mm: String,
    pub height_mm: String,
    /// The errors of this row, in words.
    pub errors: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/layout_form.html")]
pub struct LayoutFormPage {
    layout: Layout,
    id: Option<i64>,
    name: String,
    is_default: bool,
    width_mm: String,
    height_mm: String,
    rows: Vec<RowView>,
    /// Errors not of one row (name, size, missing fields).
    general: Vec<String>,
}

fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    save: &LayoutSave,
    errors: &FieldErrors,
) -> LayoutFormPage {
    let fields: Vec<String> = save.layout.placements.iter().map(|p| p.field.clone()).collect();
    let mut general = Vec::new();
    let mut by_field: HashMap<String, Vec<String>> = HashMap::new();
    for e in &errors.0 {
        let row = e
            .field
            .strip_prefix("placements[")
            .and_then(|r| r.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| fields.get(i));
        match row {
            Some(f) => by_field.entry(f.clone()).or_default().push(e.detail.clone()),
            None => general.push(e.detail.clone()),
        }
    }
    let rows = LayoutField::ALL
        .iter()
        .map(|f| {
            let p = save.layout.placements.iter().find(|p| p.field == f.id()).cloned().unwrap_or_default();
            RowView {
                field: *f,
                x_mm: p.x_mm,
                y_mm: p.y_mm,
                font_pt: p.font_pt,
                width_mm: p.width_mm,
                height_mm: p.height_mm,
                errors: by_field.remove(f.id()).unwrap_or_default(),
            }
        })
        .collect();
    let title = if id.is_some() { "修改套打模板" } else { "新增套打模板" };
    LayoutFormPage {
        layout: Layout::new(staff, &state.config.system_name, title, "/certificate-layouts"),
        id,
        name: save.name.clone(),
        is_default: save.is_default,
        width_mm: save.layout.width_mm.clone(),
        height_mm: save.layout.height_mm.clone(),
        rows,
        general,
    }
}

/// The layout form as posted: `name`, `is_default`, `width_mm`, `height_mm` and per field
/// `{field}.x_mm`, `{field}.y_mm`, `{field}.font_pt`, `{field}.width_mm`, `{field}.height_mm`. A field
/// whose row is left empty is not placed (required ones are then refused by name).
pub fn layout_save_of(form: &HashMap<String, String>) -> LayoutSave {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let placements = LayoutField::ALL
        .iter()
        .filter_map(|f| {
            let part = |p: &str| get(&format!("{}.{p}", f.id()));
            let p = PlacementInput {
                field: f.id().to_owned(),
                x_mm: part("x_mm"),
                y_mm: part("y_mm"),
                font_pt: part("font_pt"),
                width_mm: part("width_mm"),
                height_mm: part("height_mm"),
            };
            let empty = [&p.x_mm, &p.y_mm, &p.font_pt, &p.width_mm, &p.height_mm].iter().all(|v| v.is_empty());
            (!empty).then_some(p)
        })
        .collect();
    LayoutSave {
        name: get("name"),
        is_default: form.contains_key("is_default"),
        layout: LayoutInput { width_mm: get("width_mm"), height_mm: get("height_mm"), placements },
    }
}

fn may_manage(staff: &Staff) -> Result<(), PageError> {
    if staff.principal.can(Action::ManageCertificateLayouts) { Ok(()) } else { Err(AppError::Forbidden.into()) }
}

/// `GET /certificate-layouts/new`: a new layout, prefilled with the default one's positions.
pub async fn new_layout(State(state): State<AppState>, staff: Staff) -> Result<LayoutFormPage, PageError> {
    may_manage(&staff)?;
    let d = state.store.default_layout().await?;
    let save = LayoutSave { name: String::new(), is_default: false, layout: d.input };
    Ok(form_page(&state, &staff, None, &save, &FieldErrors::new()))
}

/// `GET /certificate-layouts/{id}`: the layout's form.
pub async fn edit_layout(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<LayoutFormPage, PageError> {
    may_manage(&staff)?;
    let l = state.store.get_layout(&staff.principal, id).await?;
    let save = LayoutSave { name: l.name, is_default: l.is_default, layout: l.input };
    Ok(form_page(&state, &staff, Some(id), &save, &FieldErrors::new()))
}

async fn save(
    state: AppState,
    staff: Staff,
    id: Option<i64>,
    form: HashMap<String, String>,
) -> Result<Response, PageError> {
    let input = layout_save_of(&form);
    match state.store.save_layout(&staff.principal, id, &input, &staff.ctx).await {
        Ok(id) => Ok(done(format!("/certificate-layouts/{id}"), "layout_saved").into_response()),
        Err(store::StoreError::Invalid(errors)) => {
            let mut page = form_page(&state, &staff, id, &input, &errors);
            page.layout.title = "套打模板有误，请修改".into();
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// `POST /certificate-layouts`: save a new layout.
pub async fn create_layout(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    may_manage(&staff)?;
    save(state, staff, None, form).await
}

/// `POST /certificate-layouts/{id}`: save a layout's changes.
pub async fn update_layout(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    may_manage(&staff)?;
    state.store.get_layout(&staff.principal, id).await?;
    save(state, staff, Some(id), form).await
}

/// `GET /certificate-layouts/{id}/test.pdf`
pub async fn test_pdf(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    may_manage(&staff)?;
    Ok(test_pdf_for(&state, &staff.principal, &headers, id).await?)
}

// ---- The candidate's own certificates ----

#[derive(Template, WebTemplate)]
#[template(path = "certificates/mine.html")]
pub struct MinePage {
    layout: Layout,
    rows: Vec<CertificateView>,
}

/// `GET /my/certificates` (我的证书).
pub async fn mine(State(state): State<AppState>, staff: Staff) -> Result<MinePage, PageError> {
    if !staff.principal.can(Action::ViewOwnCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let rows = state.store.my_certificates(&staff.principal).await?;
    Ok(MinePage { layout: Layout::new(&staff, &state.config.system_name, "我的证书", "/my/certificates"), rows })
}

/// `GET /my/certificates/{id}/certificate.pdf`
pub async fn my_pdf(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ViewOwnCertificates) {
        return Err(AppError::Forbidden.into());
    }
    Ok(my_pdf_for(&state, &staff.principal, &headers, id).await?)
}
