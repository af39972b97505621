//! Public pages that rarely change answer from memory (issue 10): the routes registered with
//! `Routes::cached` (station directory, catalog, public draws — pages and their API) are rendered once
//! per public generation and day, and every answer carries `ETag` and `Last-Modified` so browsers and
//! proxies revalidate (`Cache-Control: no-cache`) and get `304 Not Modified` instead of the page again.
//!
//! What makes an answer stale is any change of what the public sees: the audit writer bumps the public
//! generation (`domain::audit::Generation::Public`) in the transaction of every such change, and each
//! request reads it first (one query on its primary key), so no instance serves a page older than the
//! last change. The day is part of the key too, since what a page says can depend on today's date.
//!
//! Only `200` answers without `Set-Cookie` are kept, at most [`MAX_BYTES`] of bodies (the whole cache
//! starts over when it is full, so a crawler of endless query strings cannot grow it); a page that
//! fails to read the generation is rendered as usual.

use crate::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};
use time::OffsetDateTime;

/// The most bytes of bodies kept per instance.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// The largest single answer kept.
const MAX_ANSWER: usize = 512 * 1024;

/// One kept answer.
#[derive(Clone)]
struct Kept {
    generation: i64,
    day: time::Date,
    /// The handler's headers (content type, disposition), without the length.
    headers: HeaderMap,
    body: axum::body::Bytes,
}

/// The kept answers of this instance, by path and query.
#[derive(Default)]
pub struct PublicCache {
    inner: Mutex<(usize, HashMap<String, Kept>)>,
}

impl std::fmt::Debug for PublicCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicCache")
    }
}

impl PublicCache {
    fn get(&self, key: &str, generation: i64, day: time::Date) -> Option<Kept> {
        let guard = self.inner.lock().ok()?;
        guard.1.get(key).filter(|k| k.generation == generation && k.day == day).cloned()
    }

    fn keep(&self, key: String, kept: Kept) {
        let Ok(mut guard) = self.inner.lock() else { return };
        if guard.0 + kept.body.len() > MAX_BYTES {
            *guard = (0, HashMap::new());
        }
        guard.0 += kept.body.len();
        if let Some(old) = guard.1.insert(key, kept) {
            guard.0 -= old.body.len();
        }
    }
}

/// The GET routes registered with `Routes::cached`, by route template.
fn registered() -> &'static HashSet<&'static str> {
    static CACHED: OnceLock<HashSet<&'static str>> = OnceLock::new();
    CACHED.get_or_init(|| {
        crate::routes::route_specs()
            .into_iter()
            .filter(|s| s.cached && s.method == Method::GET)
            .map(|s| s.path)
            .collect()
    })
}

/// The validator of an answer: the public generation and the day it was made for.
fn etag(generation: i64, day: time::Date) -> String {
    format!("\"p{generation}-{}\"", day.to_string().replace('-', ""))
}

/// When the answer last changed: the later of the last public change and the start of today
/// (Asia/Shanghai), since the day is part of what a page may say.
fn last_modified(changed_at: OffsetDateTime, day: time::Date) -> String {
    let midnight = day.midnight().assume_offset(time::macros::offset!(+8));
    let at = changed_at.max(midnight);
    httpdate::fmt_http_date(std::time::SystemTime::from(at))
}

/// Whether the request's validators match (`If-None-Match` first, as RFC 9110 says, else
/// `If-Modified-Since`).
fn not_modified(headers: &HeaderMap, tag: &str, modified: &str) -> bool {
    if let Some(inm) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        return inm.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/") == tag);
    }
    let since = headers.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok());
    match (since.and_then(|s| httpdate::parse_http_date(s).ok()), httpdate::parse_http_date(modified).ok()) {
        (Some(since), Some(modified)) => modified <= since,
        _ => false,
    }
}

fn validators(resp: &mut Response, tag: &str, modified: &str) {
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(tag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(modified) {
        h.insert(header::LAST_MODIFIED, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

/// The middleware (see the module documentation).
pub async fn public_cache(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cached_route = req.method() == Method::GET
        && req.extensions().get::<MatchedPath>().is_some_and(|m| registered().contains(m.as_str()));
    if !cached_route {
        return next.run(req).await;
    }
    let stamp = match state.store.public_generation().await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "public generation unreadable; answering without the cache");
            return next.run(req).await;
        }
    };
    let day = store::today();
    let tag = etag(stamp.value, day);
    let modified = last_modified(stamp.changed_at, day);
    if not_modified(req.headers(), &tag, &modified) {
        let mut resp = StatusCode::NOT_MODIFIED.into_response();
        validators(&mut resp, &tag, &modified);
        return resp;
    }
    let key = req.uri().path_and_query().map_or_else(|| req.uri().path().to_string(), |p| p.to_string());
    let cache = state.public_cache.clone();
    if let Some(kept) = cache.get(&key, stamp.value, day) {
        let mut resp = Response::new(Body::from(kept.body));
        *resp.headers_mut() = kept.headers;
        validators(&mut resp, &tag, &modified);
        return resp;
    }
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK || resp.headers().contains_key(header::SET_COOKIE) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    // Public pages are paged, so their bodies are small; one too large to keep is still answered.
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return crate::error::public_error_page(StatusCode::INTERNAL_SERVER_ERROR, None);
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    if bytes.len() <= MAX_ANSWER {
        let kept = Kept { generation: stamp.value, day, headers: parts.headers.clone(), body: bytes.clone() };
        cache.keep(key, kept);
    }
    let mut resp = Response::from_parts(parts, Body::from(bytes));
    validators(&mut resp, &tag, &modified);
    resp
}
