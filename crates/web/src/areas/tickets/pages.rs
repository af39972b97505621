//! The ticket pages (issue 12): the candidate's own ticket and a session's batch, both A4 with the QR
//! code drawn on the server as inline SVG; the sign-in sheet (签到表); the public verification page.

use super::api::TicketDto;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::Path;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::authz::Action;
use domain::exams::TICKET_RULES;
use store::StoreError;

/// One ticket as printed: its facts and its QR code.
pub struct PrintedTicket {
    pub t: TicketDto,
    pub verify_url: String,
    /// The QR code as an SVG element (drawn here from the URL, nothing from outside).
    pub qr_svg: String,
    /// Where the photo is read from, when one was uploaded.
    pub photo_src: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tickets/tickets.html")]
pub struct TicketsPage {
    title: String,
    back: String,
    tickets: Vec<PrintedTicket>,
    rules: &'static [&'static str],
}

#[derive(Template, WebTemplate)]
#[template(path = "tickets/sign_in.html")]
pub struct SignInPage {
    title: String,
    back: String,
    s: store::sessions::SessionView,
    tickets: Vec<TicketDto>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tickets/verify.html")]
pub struct VerifyPage {
    title: String,
    t: TicketDto,
}

/// The absolute address of the verification page (the QR code is read by a phone, which needs the
/// whole address): under the configured `public_base_url`, else the request's host.
fn verify_url(state: &AppState, headers: &HeaderMap, path: &str) -> String {
    absolute_url(state.config.public_base_url.as_deref(), state.config.cookie_secure, headers, path)
}

pub(crate) fn absolute_url(base: Option<&str>, secure: bool, headers: &HeaderMap, path: &str) -> String {
    if let Some(base) = base {
        return format!("{base}{path}");
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| {
        !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    });
    match host {
        Some(h) => format!("{}://{h}{path}", if secure { "https" } else { "http" }),
        None => path.to_owned(),
    }
}

fn printed(
    state: &AppState,
    headers: &HeaderMap,
    t: TicketDto,
    photo_src: Option<String>,
) -> Result<PrintedTicket, AppError> {
    let url = verify_url(state, headers, &t.verify_path);
    let qr = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::Internal(e.to_string()))?;
    let qr_svg = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(120, 120).quiet_zone(false).build();
    // The renderer begins with an XML declaration; inline SVG in HTML starts at the element.
    let qr_svg = match qr_svg.find("<svg") {
        Some(i) => qr_svg[i..].to_owned(),
        None => qr_svg,
    };
    Ok(PrintedTicket { t, verify_url: url, qr_svg, photo_src })
}

/// Issue 12: the candidate's own admission ticket (A4), by their application.
pub async fn my_ticket(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<TicketsPage, PageError> {
    if !staff.principal.can(Action::ApplyExams) {
        return Err(AppError::Forbidden.into());
    }
    let (s, t) = state.store.my_ticket(&staff.principal, id).await?;
    let photo = t.has_photo.then(|| format!("/my/tickets/{id}/photo"));
    let t = printed(&state, &headers, TicketDto::of(&s, &t), photo)?;
    Ok(TicketsPage {
        title: format!("准考证 - {}", t.t.name),
        back: "/my/exams".into(),
        tickets: vec![t],
        rules: TICKET_RULES,
    })
}

/// Issue 12: every ticket of an approved session in one A4 batch, one ticket a page.
pub async fn session_tickets(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<TicketsPage, PageError> {
    let st = state.store.session_tickets(&staff.principal, id).await?;
    let tickets = st
        .tickets
        .iter()
        .map(|t| {
            let photo = t.has_photo.then(|| format!("/sessions/{id}/candidates/{}/photo", t.candidate_id));
            printed(&state, &headers, TicketDto::of(&st.session, t), photo)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TicketsPage {
        title: format!("准考证 - {}（{}）", st.session.project_name, st.session.first_day),
        back: format!("/sessions/{id}"),
        tickets,
        rules: TICKET_RULES,
    })
}

/// Issue 12: the sign-in sheet of an approved session (A4): ticket numbers, names, masked ID numbers and
/// a column for each candidate's signature.
pub async fn sign_in_sheet(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<SignInPage, PageError> {
    let st = state.store.session_tickets(&staff.principal, id).await?;
    let tickets: Vec<TicketDto> = st.tickets.iter().map(|t| TicketDto::of(&st.session, t)).collect();
    Ok(SignInPage {
        title: format!("考生签到表 - {}（{}）", st.session.project_name, st.session.first_day),
        back: format!("/sessions/{id}"),
        tickets,
        s: st.session,
    })
}

/// Issue 12: the public verification page of a ticket's QR code. Every unknown or malformed token gets
/// the same public 404 page.
pub async fn verify(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    match state.store.public_ticket(&token).await {
        Ok((s, t)) => {
            let t = TicketDto::of(&s, &t);
            Ok(VerifyPage { title: format!("准考证核验 - {}", t.ticket_number), t }.into_response())
        }
        Err(StoreError::NotFound) => Ok(crate::error::public_error_page(StatusCode::NOT_FOUND, None)),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_links_under_the_configured_address_whatever_host_the_request_names() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "evil.example".parse().expect("header"));
        let base = crate::parse_base_url(Some(" https://kaohe.hrss.hunan.gov.cn/ ")).expect("valid");
        assert_eq!(
            absolute_url(base.as_deref(), true, &h, "/tickets/abc"),
            "https://kaohe.hrss.hunan.gov.cn/tickets/abc"
        );
        assert_eq!(absolute_url(None, false, &h, "/tickets/abc"), "http://evil.example/tickets/abc", "unset: the host");
        assert_eq!(crate::parse_base_url(Some("")), Ok(None));
        assert!(crate::parse_base_url(Some("kaohe.example")).is_err(), "a scheme is required");
        assert!(crate::parse_base_url(Some("https://kaohe.example/app")).is_err(), "no path");
    }
}
