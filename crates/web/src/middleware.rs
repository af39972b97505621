//! Request pipeline: client address, caller resolution (session cookie or bearer token), CSRF check of
//! every form, audit of denials (`crate::denials`), security headers (HSTS behind HTTPS) and request
//! metrics.

use crate::AppState;
use crate::auth::{Caller, ClientIp, FlashSlot, SetFlash, pre_cookie_name, session_cookie_name};
use crate::error::{AppError, PageError, error_page};
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use domain::org::SessionKind;
use futures_util::StreamExt;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

/// The address of the client (the TCP peer), as the server's `ConnectInfo` has it; an IPv4 address
/// mapped into IPv6 reads as the IPv4 address.
pub fn client_addr(req: &Request) -> Option<IpAddr> {
    req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_canonical())
}

pub async fn resolve_caller(State(state): State<AppState>, jar: CookieJar, mut req: Request, next: Next) -> Response {
    let ip = client_addr(&req).map(|a| a.to_string()).unwrap_or_default();
    req.extensions_mut().insert(ClientIp(ip.clone()));
    let is_api = req.uri().path().starts_with("/api/");
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    // The API takes only bearer tokens (no ambient cookies, so no CSRF); pages only the cookie.
    let (token, kind) = if is_api {
        (bearer, SessionKind::Api)
    } else {
        let name = session_cookie_name(state.config.cookie_secure);
        (jar.get(name).map(|c| c.value().to_string()), SessionKind::Web)
    };
    if let Some(token) = token.filter(|t| !t.is_empty() && t.len() < 200) {
        match state.store.resolve_session(&token, kind).await {
            Ok(Some(session)) => {
                let flash = FlashSlot::new(if is_api { None } else { session.flash.clone() });
                req.extensions_mut().insert(Caller { session, token, via_api: is_api, flash });
            }
            Ok(None) => {}
            Err(e) => {
                let err = AppError::from(e);
                return if is_api {
                    crate::error::ApiError(err).into_response()
                } else {
                    PageError(err).into_response()
                };
            }
        }
    }
    let who = req.extensions().get::<Caller>().map(|c| c.session.principal.username.clone());
    let web_session = req
        .extensions()
        .get::<Caller>()
        .filter(|c| !c.via_api)
        .map(|c| (c.session.session_id, c.session.flash.clone(), c.flash.clone()));
    let path = req.uri().path().to_string();
    let template = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let route = format!("{} {}", req.method(), template.as_deref().unwrap_or(&path));
    // The request's cached reads use the generations the caller's query read (`store::cache::Seen`).
    let seen = req.extensions().get::<Caller>().map(|c| c.session.seen).unwrap_or_default();
    let resp = store::cache::with_seen(seen, next.run(req)).await;
    if let Some((session_id, found, slot)) = web_session {
        keep_or_clear_flash(&state, session_id, found, &slot, resp.extensions().get::<SetFlash>()).await;
    }
    if resp.status() == StatusCode::FORBIDDEN
        && let Some(actor) = who
    {
        state.denials.record(&state.store, &actor, &ip, &route, &path).await;
    }
    resp
}

/// After a web session's request: the message the answer asks to keep is stored; else the message a
/// page took is cleared. At most one UPDATE, none when neither happened. A failure is logged, not
/// shown: the step itself was done.
async fn keep_or_clear_flash(
    state: &AppState,
    session_id: i64,
    found: Option<store::auth::Flash>,
    slot: &FlashSlot,
    set: Option<&SetFlash>,
) {
    let result = match (set, found) {
        (Some(SetFlash(flash)), _) => state.store.set_flash(session_id, flash).await,
        (None, Some(found)) if !slot.is_waiting() => state.store.clear_flash(session_id, &found).await,
        _ => Ok(()),
    };
    if let Err(e) = result {
        tracing::warn!(error = %e, "the session's one-time message was not kept or cleared");
    }
}

/// Every state-changing form carries the session's CSRF token (field `csrf` or header
/// `X-CSRF-Token`); before sign-in, the value of the pre-session cookie.
pub async fn csrf_guard(State(state): State<AppState>, jar: CookieJar, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let expected = match req.extensions().get::<Caller>() {
        Some(c) => Some(c.session.csrf_token.clone()),
        None => jar.get(pre_cookie_name(state.config.cookie_secure)).map(|c| c.value().to_string()),
    };
    let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
    let boundary = multipart_boundary(&req);
    let (req, given) = match (header_token, boundary) {
        (Some(t), _) => (req, Some(t)),
        // File uploads: the token is the body's first part; only that much is read here, the file
        // streams on to the handler untouched.
        (None, Some(boundary)) => {
            let (parts, body) = req.into_parts();
            let (head, token, rest) = first_part_token(body, &boundary).await;
            let body =
                Body::from_stream(futures_util::stream::once(async move { Ok::<_, axum::Error>(head) }).chain(rest));
            (Request::from_parts(parts, body), token)
        }
        (None, None) => {
            let (parts, body) = req.into_parts();
            let bytes = match to_bytes(body, state.config.body_limit).await {
                Ok(b) => b,
                Err(_) => return error_page(StatusCode::PAYLOAD_TOO_LARGE, None),
            };
            let token = form_urlencoded_value(&bytes, "csrf");
            (Request::from_parts(parts, Body::from(bytes)), token)
        }
    };
    let ok = matches!((&expected, &given), (Some(e), Some(g)) if !e.is_empty() && constant_time_eq(e.as_bytes(), g.as_bytes()));
    if !ok {
        return error_page(StatusCode::FORBIDDEN, Some("页面已过期或来源不明，请刷新页面后重新提交。".into()));
    }
    next.run(req).await
}

/// The boundary of a `multipart/form-data` body.
fn multipart_boundary(req: &Request) -> Option<String> {
    let ct = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    let (mime, params) = ct.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The most of a multipart body read to find the token in its first part.
const FIRST_PART_LIMIT: usize = 8 * 1024;

/// Reads a multipart body until its first part is complete (at most [`FIRST_PART_LIMIT`] bytes) and
/// returns what was read, the token if that part is the field `csrf`, and the rest of the body.
async fn first_part_token(
    body: Body,
    boundary: &str,
) -> (axum::body::Bytes, Option<String>, axum::body::BodyDataStream) {
    let mut stream = body.into_data_stream();
    let mut head = Vec::new();
    let token = loop {
        if let Some(found) = csrf_part(&head, boundary) {
            break found;
        }
        if head.len() > FIRST_PART_LIMIT {
            break None;
        }
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            _ => break None,
        }
    };
    (head.into(), token, stream)
}

/// `Some(token)` once `head` holds the whole first part and it is the field `csrf`; `Some(None)` once
/// it holds the first part and that is something else; `None` while the first part is incomplete.
fn csrf_part(head: &[u8], boundary: &str) -> Option<Option<String>> {
    let opening = format!("--{boundary}\r\n");
    let closing = format!("\r\n--{boundary}");
    if head.len() < opening.len() {
        return None;
    }
    if !head.starts_with(opening.as_bytes()) {
        return Some(None);
    }
    let rest = &head[opening.len()..];
    let end = rest.windows(closing.len()).position(|w| w == closing.as_bytes())?;
    let part = &rest[..end];
    let Some(split) = part.windows(4).position(|w| w == b"\r\n\r\n") else { return Some(None) };
    let headers = String::from_utf8_lossy(&part[..split]).to_ascii_lowercase();
    let is_csrf = headers.lines().any(|l| {
        l.starts_with("content-disposition:")
            && l.split(';').skip(1).any(|p| p.trim() == "name=\"csrf\"")
            && !l.contains("filename")
    });
    if !is_csrf {
        return Some(None);
    }
    Some(String::from_utf8(part[split + 4..].to_vec()).ok())
}

fn form_urlencoded_value(body: &[u8], key: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// CSP, frame-ancestors, nosniff, referrer policy; pages are not cached; behind HTTPS
/// (`cookie_secure`) HSTS for a year.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let docs = req.uri().path().starts_with("/api/v1/docs");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let csp = if docs {
        // The vendored Swagger UI needs inline styles; still nothing from outside.
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'"
    } else {
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
    };
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if state.config.cookie_secure {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Request counts and durations by route template, for `/metrics`.
pub async fn track_metrics(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("kaohe_http_requests_total", &labels).increment(1);
    metrics::histogram!("kaohe_http_request_duration_seconds", &labels).record(start.elapsed().as_secs_f64());
    resp
}
