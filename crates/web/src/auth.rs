//! Who is calling: a web session (cookie) or an API token (bearer), resolved once per request by the
//! `resolve_caller` middleware and read by the extractors below. Pages of a half-finished sign-in
//! (second factor pending, forced password change) redirect to the step that is missing.

use crate::error::{ApiError, AppError, PageError};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use domain::org::Principal;
use store::Ctx;
use store::auth::SessionInfo;

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
}

pub enum StaffRejection {
    Redirect(&'static str),
}

impl IntoResponse for StaffRejection {
    fn into_response(self) -> Response {
        match self {
            StaffRejection::Redirect(to) => Redirect::to(to).into_response(),
        }
    }
}

fn web_caller(parts: &Parts) -> Option<&Caller> {
    parts.extensions.get::<Caller>().filter(|c| !c.via_api)
}

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = StaffRejection;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<ClientIp>().cloned().unwrap_or_default();
        let Some(c) = web_caller(parts) else { return Err(StaffRejection::Redirect("/login")) };
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
            None => Err(StaffRejection::Redirect("/login")),
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
