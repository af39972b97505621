//! Who is calling: a web session (cookie) or an API token (bearer), resolved once per request by the
//! `resolve_caller` middleware and read by the extractors below. Pages of a half-finished sign-in
//! (second factor pending, forced password change) redirect to the step that is missing.

use crate::error::{ApiError, AppError, PageError};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use domain::org::Principal;
use std::sync::{Arc, Mutex};
use store::Ctx;
use store::auth::{Flash, SessionInfo};

pub const SESSION_COOKIE: &str = "kaohe_session";
/// Before a session exists (the sign-in form), CSRF is a double-submit of this cookie.
pub const PRE_COOKIE: &str = "kaohe_pre";

/// The session cookie's name: behind HTTPS (`cookie_secure`) with the `__Host-` prefix, which a browser
/// keeps only when the cookie is `Secure`, has `Path=/` and no `Domain` — no other host of the domain
/// and no plain-HTTP answer can set or shadow it.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-kaohe_session" } else { SESSION_COOKIE }
}

/// The pre-session cookie's name (see [`session_cookie_name`]).
pub fn pre_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-kaohe_pre" } else { PRE_COOKIE }
}

/// The resolved caller, stored in the request extensions.
#[derive(Debug, Clone)]
pub struct Caller {
    pub session: SessionInfo,
    pub token: String,
    pub via_api: bool,
    /// The session's one-time message until a page takes it (see [`FlashSlot`]).
    pub flash: FlashSlot,
}

/// The one-time message of the session as the request found it (loaded with the session). The page
/// that shows it takes it out (`view::Layout::new`); `middleware::resolve_caller` then clears it in
/// the database (one UPDATE, none when there was none or nothing took it).
#[derive(Debug, Clone, Default)]
pub struct FlashSlot(Arc<Mutex<Option<Flash>>>);

impl FlashSlot {
    pub fn new(flash: Option<Flash>) -> Self {
        FlashSlot(Arc::new(Mutex::new(flash)))
    }

    /// The message, once: a second take gets nothing.
    pub fn take(&self) -> Option<Flash> {
        self.0.lock().map(|mut f| f.take()).unwrap_or(None)
    }

    /// Whether the message is still there (nobody took it).
    pub fn is_waiting(&self) -> bool {
        self.0.lock().map(|f| f.is_some()).unwrap_or(false)
    }
}

/// A one-time message a page handler's answer asks to keep for the session's next page: put in the
/// response's extensions (`view::Done`, `view::back_with_error`); `middleware::resolve_caller` stores it.
#[derive(Debug, Clone)]
pub struct SetFlash(pub Flash);

/// Where sign-in leads back to after a page asked for it: `next` as given if it is a local path — one
/// leading `/` (not `//`, not `/\\`), no scheme, no backslash or control character — else none.
pub fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && next.len() <= 2000;
    ok.then_some(next)
}

/// The sign-in page that leads back to `path` (a path with its query) afterwards.
pub fn login_with_next(path: &str) -> String {
    with_next("/login", path)
}

/// `page` (a step of signing in: the password, the second factor, its enrolment, the forced password
/// change) carrying `?next=` when `next` is a local path other than the 工作台.
pub fn with_next(page: &str, next: &str) -> String {
    match local_path(next) {
        Some(p) if p != "/home" => format!("{page}?{}", serde_urlencoded::to_string([("next", p)]).unwrap_or_default()),
        _ => page.to_string(),
    }
}

/// Where to go after sign-in: the page asked for if local, else the 工作台.
pub fn after_sign_in(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or("/home").to_string()
}

/// The client address, as far as it is known.
#[derive(Debug, Clone, Default)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<ClientIp>().cloned().unwrap_or_default())
    }
}

pub fn ctx_of(p: &Principal, ip: &ClientIp) -> Ctx {
    Ctx { actor: p.username.clone(), ip: ip.0.clone() }
}

/// A signed-in staff member on a page: full session, password changed, second factor done.
#[derive(Debug, Clone)]
pub struct Staff {
    pub principal: Principal,
    pub csrf: String,
    pub ctx: Ctx,
    pub totp_enabled: bool,
    pub flash: FlashSlot,
}

pub enum StaffRejection {
    Redirect(&'static str),
    /// No session: the sign-in page, leading back to the page asked for.
    SignIn(String),
}

impl IntoResponse for StaffRejection {
    fn into_response(self) -> Response {
        match self {
            StaffRejection::Redirect(to) => Redirect::to(to).into_response(),
            StaffRejection::SignIn(to) => Redirect::to(&to).into_response(),
        }
    }
}

/// The sign-in redirect of a request without a session: a page asked for by GET comes back after.
fn sign_in(parts: &Parts) -> StaffRejection {
    if parts.method != axum::http::Method::GET {
        return StaffRejection::Redirect("/login");
    }
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/home");
    StaffRejection::SignIn(login_with_next(path))
}

fn web_caller(parts: &Parts) -> Option<&Caller> {
    parts.extensions.get::<Caller>().filter(|c| !c.via_api)
}

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = StaffRejection;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<ClientIp>().cloned().unwrap_or_default();
        let Some(c) = web_caller(parts) else { return Err(sign_in(parts)) };
        if c.session.second_factor_pending {
            return Err(StaffRejection::Redirect(if c.session.totp_enabled { "/login/totp" } else { "/account/totp" }));
        }
        if c.session.must_change_password {
            return Err(StaffRejection::Redirect("/account/password"));
        }
        Ok(Staff {
            ctx: ctx_of(&c.session.principal, &ip),
            principal: c.session.principal.clone(),
            csrf: c.session.csrf_token.clone(),
            totp_enabled: c.session.totp_enabled,
            flash: c.flash.clone(),
        })
    }
}

/// Any web session, also one still completing its sign-in (second factor, password change).
#[derive(Debug, Clone)]
pub struct WebSession {
    pub caller: Caller,
    pub ctx: Ctx,
}

impl<S: Send + Sync> FromRequestParts<S> for WebSession {
    type Rejection = StaffRejection;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<ClientIp>().cloned().unwrap_or_default();
        match web_caller(parts) {
            Some(c) => Ok(WebSession { ctx: ctx_of(&c.session.principal, &ip), caller: c.clone() }),
            None => Err(sign_in(parts)),
        }
    }
}

/// The caller of an API route: a bearer token.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub principal: Principal,
    pub token: String,
    pub ctx: Ctx,
}

impl ApiCaller {
    /// 403 unless the caller's roles allow `action` — checked before a body is read or a record looked
    /// up (authorization before validation).
    pub fn require(&self, action: domain::authz::Action) -> Result<(), ApiError> {
        if self.principal.can(action) { Ok(()) } else { Err(ApiError(AppError::Forbidden)) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiCaller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<ClientIp>().cloned().unwrap_or_default();
        match parts.extensions.get::<Caller>().filter(|c| c.via_api) {
            Some(c) => Ok(ApiCaller {
                ctx: ctx_of(&c.session.principal, &ip),
                principal: c.session.principal.clone(),
                token: c.token.clone(),
            }),
            None => Err(ApiError(AppError::Unauthorized)),
        }
    }
}

pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((session_cookie_name(secure), token))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .build()
}

/// The pre-session cookie (CSRF double-submit before sign-in).
pub fn pre_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((pre_cookie_name(secure), value))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .build()
}

/// Removes the cookie `name` (a `__Host-` one only goes with `Secure` and `Path=/`, as it was set).
pub fn removal_cookie(name: &'static str, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::build((name, "")).path("/").secure(secure).build();
    c.make_removal();
    c
}

/// For pages reached by a principal that has no business there.
pub fn forbidden() -> PageError {
    PageError(AppError::Forbidden)
}
