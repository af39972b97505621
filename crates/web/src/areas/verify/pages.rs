//! The public certificate query page, the QR code's verification page (with the check of an uploaded
//! credential), the query log's counts for the province, and the credential downloads (C1, C2).

use super::api::{run_query, status_words};
use crate::AppState;
use crate::auth::{Caller, Staff};
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path};
use crate::view::Layout;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use domain::FieldErrors;
use domain::authz::Action;
use domain::certificates::{CertificateQueryInput, NOT_FOUND, QueryChannel};
use serde::Deserialize;
use store::StoreError;
use store::certificates::{PublicCertificate, QueryDay};

/// The token a public form carries: the session's for someone signed in, else the pre-session cookie's.
fn form_token(state: &AppState, caller: Option<&Caller>, jar: CookieJar) -> (CookieJar, String) {
    match caller {
        Some(c) => (jar, c.session.csrf_token.clone()),
        None => crate::areas::account::login::pre_token(jar, state.config.cookie_secure),
    }
}

/// A certificate's printed fields as the pages show them.
pub struct Shown {
    pub c: PublicCertificate,
    pub status: String,
    pub revoked: bool,
}

impl From<PublicCertificate> for Shown {
    fn from(c: PublicCertificate) -> Self {
        Shown { status: status_words(&c), revoked: c.status == domain::certificates::CertificateStatus::Revoked, c }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "verify/query.html")]
pub struct QueryPage {
    title: &'static str,
    csrf: String,
    number: String,
    name: String,
    errors: crate::view::Errors,
    /// After a query: the certificate, or the one "not found" message.
    found: Option<Shown>,
    not_found: String,
}

/// C2: the empty query form. Whatever the address carries, GET shows only the form: the holder's
/// name never travels in an address.
pub async fn query_form(State(state): State<AppState>, jar: CookieJar, req: Request) -> Response {
    let (jar, csrf) = form_token(&state, req.extensions().get::<Caller>(), jar);
    let page = QueryPage {
        title: "证书查询",
        csrf,
        number: String::new(),
        name: String::new(),
        errors: crate::view::Errors(FieldErrors::new()),
        found: None,
        not_found: String::new(),
    };
    (jar, page).into_response()
}

#[derive(Deserialize)]
pub struct QueryForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    csrf: String,
}

/// C2: a query (POST with the form's token; its own rate limit). Both fields required, each error
/// beside its field; one answer for an unknown number, a wrong name and an unreported certificate.
pub async fn query(State(state): State<AppState>, Form(f): Form<QueryForm>) -> Result<Response, PageError> {
    let input = CertificateQueryInput { number: f.number.clone(), name: f.name.clone() };
    let mut page = QueryPage {
        title: "证书查询",
        csrf: f.csrf,
        number: f.number.trim().to_owned(),
        name: f.name.trim().to_owned(),
        errors: crate::view::Errors(FieldErrors::new()),
        found: None,
        not_found: String::new(),
    };
    match run_query(&state, &input, QueryChannel::Page).await {
        Ok(Some(c)) => {
            page.found = Some(c.into());
            Ok(page.into_response())
        }
        Ok(None) => {
            page.not_found = NOT_FOUND.to_owned();
            Ok(page.into_response())
        }
        Err(AppError::Invalid(e)) => {
            page.errors = crate::view::Errors(e);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "verify/page.html")]
pub struct VerifyPage {
    title: &'static str,
    token: String,
    csrf: String,
    s: Shown,
    /// After an upload: (verified, message).
    check: Option<(bool, String)>,
    credential: String,
}

async fn verify_view(
    state: &AppState,
    token: String,
    csrf: String,
    check: Option<(bool, String)>,
    credential: String,
) -> Result<Response, PageError> {
    let c = match state.store.certificate_by_token(&token).await {
        Err(StoreError::NotFound) => return Ok(crate::error::public_error_page(StatusCode::NOT_FOUND, None)),
        other => other?,
    };
    Ok(VerifyPage { title: "证书验证", token, csrf, s: c.into(), check, credential }.into_response())
}

/// C2: the QR code's page: every printed field of a reported certificate, so an edited printout is
/// caught, and a form to check a signed credential. Unknown or unreported token: the public 404.
pub async fn verify_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    jar: CookieJar,
    req: Request,
) -> Result<Response, PageError> {
    let (jar, csrf) = form_token(&state, req.extensions().get::<Caller>(), jar);
    let page = verify_view(&state, token, csrf, None, String::new()).await?;
    Ok((jar, page).into_response())
}

/// The longest credential text read (a credential is about 2 KB).
const CREDENTIAL_MAX: usize = 64 * 1024;

/// C2: check an uploaded (file) or pasted (text) credential against the page's certificate.
pub async fn verify_upload(
    State(state): State<AppState>,
    Path(token): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let (mut csrf, mut text, mut file) = (String::new(), String::new(), Vec::new());
    if let Ok(mut m) = multipart {
        while let Ok(Some(field)) = m.next_field().await {
            let name = field.name().unwrap_or_default().to_owned();
            let Ok(bytes) = field.bytes().await else { break };
            if bytes.len() > CREDENTIAL_MAX {
                continue;
            }
            match name.as_str() {
                "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
                "credential" => text = String::from_utf8_lossy(&bytes).into_owned(),
                "credential_file" | "file" => file = bytes.to_vec(),
                _ => {}
            }
        }
    }
    let given = if text.trim().is_empty() { String::from_utf8_lossy(&file).into_owned() } else { text };
    let check = if given.trim().is_empty() {
        (false, "请选择电子凭证文件，或把电子凭证的内容粘贴到文本框中".to_owned())
    } else {
        match state.store.check_credential(&token, &given).await {
            Err(StoreError::NotFound) => return Ok(crate::error::public_error_page(StatusCode::NOT_FOUND, None)),
            other => {
                let c = other?;
                (c.verified, c.message)
            }
        }
    };
    let shown = if given.len() <= CREDENTIAL_MAX { given } else { String::new() };
    verify_view(&state, token, csrf, Some(check), shown).await
}

#[derive(Template, WebTemplate)]
#[template(path = "verify/log.html")]
pub struct LogPage {
    layout: Layout,
    days: Vec<QueryDay>,
}

/// C2: the public query's use per day and outcome, for the province's staff (counts only).
pub async fn query_log(State(state): State<AppState>, staff: Staff) -> Result<LogPage, PageError> {
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let days = state.store.certificate_query_counts(&staff.principal, 30).await?;
    Ok(LogPage {
        layout: Layout::new(&staff, &state.config.system_name, "证书查询统计", "/issued-certificates")
            .crumb("已核发证书", "/issued-certificates"),
        days,
    })
}

fn json_download(number: &str, doc: &serde_json::Value) -> Response {
    let body = serde_json::to_string_pretty(doc).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"certificate-{number}.json\"")),
        ],
        body,
    )
        .into_response()
}

/// C1: a certificate's signed credential for the staff who read it.
pub async fn staff_credential(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let base = state.config.public_base_url.as_deref();
    let (number, doc) = state.store.certificate_credential(&staff.principal, id, base).await?;
    Ok(json_download(&number, &doc))
}

/// C1: the candidate's own certificate's signed credential.
pub async fn own_credential(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ApplyExams) {
        return Err(AppError::Forbidden.into());
    }
    let base = state.config.public_base_url.as_deref();
    let (number, doc) = state.store.own_certificate_credential(&staff.principal, id, base).await?;
    Ok(json_download(&number, &doc))
}
