//! Per-client rate limits (issue 8 item 5): five classes — sign-in (the password and second-factor
//! pages), token issue (`POST /api/v1/auth/token`, `POST /api/v1/auth/password`), the public query
//! pages, the certificate query (C2), and the rest of the API — each a keyed GCRA limiter of the `governor` crate per client
//! address, in memory of this instance (n instances behind a balancer allow n times the rate).
//! Requests per minute and burst are security policy (`security.rate_*`), read at most every
//! [`REFRESH`] and at once after a version is published through this instance; when the values in
//! force change the limiters are rebuilt. Addresses in `rate_limit_exempt` are never limited. A
//! refused request gets 429 with `Retry-After` (seconds): the error envelope (`RATE_LIMITED`) under
//! `/api/`, the Chinese error page elsewhere. Routes say their class where they are registered
//! (`Routes::limited`); any other `/api/` route is of class `Api`, other pages are not limited.

use crate::AppState;
use crate::error::{ApiError, AppError, PageError};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::certificates::{QueryChannel, QueryOutcome};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use store::Store;
use store::auth::{RateLimitValues, RateQuota};

/// How long values read from the policy are used before they are read again (a version published
/// through another instance, or one that takes effect at midnight, is seen within this time).
pub const REFRESH: Duration = Duration::from_secs(30);

/// What a request is limited as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitClass {
    /// `POST /login`, `POST /login/totp`.
    SignIn,
    /// `POST /api/v1/auth/token`, `POST /api/v1/auth/password`.
    Token,
    /// The public query pages (home, catalog, certificates, station directory, draw verification).
    PublicPage,
    /// Every other `/api/` request.
    Api,
    /// The public certificate query (C2: `POST /certificate-query`, `POST /api/v1/public/certificate-query`),
    /// stricter than the other public pages: each answer says whether a number and a name belong together.
    CertificateQuery,
}

type Limiter = DefaultKeyedRateLimiter<IpAddr>;

struct Limiters {
    values: RateLimitValues,
    generation: u64,
    read_at: Instant,
    by_class: HashMap<LimitClass, Arc<Limiter>>,
}

fn limiter(q: RateQuota) -> Arc<Limiter> {
    let per_minute = NonZeroU32::new(q.per_minute).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(q.burst).unwrap_or(NonZeroU32::MIN);
    Arc::new(Limiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)))
}

impl Limiters {
    fn new(values: RateLimitValues, generation: u64) -> Self {
        let by_class = HashMap::from([
            (LimitClass::SignIn, limiter(values.sign_in)),
            (LimitClass::Token, limiter(values.token)),
            (LimitClass::PublicPage, limiter(values.public)),
            (LimitClass::Api, limiter(values.api)),
            (LimitClass::CertificateQuery, limiter(values.certificate_query)),
        ]);
        Limiters { values, generation, read_at: Instant::now(), by_class }
    }
}

/// The limiters of this instance.
#[derive(Default)]
pub struct RateLimits {
    current: Mutex<Option<Limiters>>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RateLimits")
    }
}

impl RateLimits {
    /// The limiter of `class` for the values in force.
    async fn limiter(&self, store: &Store, class: LimitClass) -> Result<Arc<Limiter>, AppError> {
        let generation = store.policy_generation();
        {
            let current = self.current.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(l) = current.as_ref().filter(|l| l.generation == generation && l.read_at.elapsed() < REFRESH)
                && let Some(limiter) = l.by_class.get(&class)
            {
                return Ok(limiter.clone());
            }
        }
        let values = store.rate_limit_values().await?;
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        match current.as_mut() {
            Some(l) if l.values == values => {
                l.generation = generation;
                l.read_at = Instant::now();
                // Forget the clients whose allowance is full again (memory stays bounded).
                for limiter in l.by_class.values() {
                    limiter.retain_recent();
                    limiter.shrink_to_fit();
                }
            }
            _ => *current = Some(Limiters::new(values, generation)),
        }
        let l = current.as_ref().ok_or_else(|| AppError::Internal("rate limiters missing".into()))?;
        l.by_class.get(&class).cloned().ok_or_else(|| AppError::Internal(format!("no limiter for {class:?}")))
    }
}

/// The class of the routes registered with `Routes::limited`, by (method, route template).
fn registered() -> &'static HashMap<(Method, &'static str), LimitClass> {
    static CLASSES: OnceLock<HashMap<(Method, &'static str), LimitClass>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        crate::routes::route_specs().into_iter().filter_map(|s| Some(((s.method, s.path), s.limit?))).collect()
    })
}

/// What `req` is limited as, if at all.
pub fn class_of(method: &Method, template: Option<&str>, path: &str) -> Option<LimitClass> {
    template
        .and_then(|t| registered().get(&(method.clone(), t)).copied())
        .or_else(|| path.starts_with("/api/").then_some(LimitClass::Api))
}

/// The middleware: refuse a request over its class's limit for its client address.
pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let template = req.extensions().get::<MatchedPath>().map(|m| m.as_str());
    let Some(class) = class_of(req.method(), template, req.uri().path()) else {
        return next.run(req).await;
    };
    // Without a peer address (never behind `axum::serve` with connect info) all such requests share one.
    let ip = crate::middleware::client_addr(&req).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if state.config.rate_limit_exempt.contains(&ip) {
        return next.run(req).await;
    }
    let api = req.uri().path().starts_with("/api/");
    let limiter = match state.limits.limiter(&state.store, class).await {
        Ok(l) => l,
        Err(e) if api => return ApiError(e).into_response(),
        Err(e) => return PageError(e).into_response(),
    };
    match limiter.check_key(&ip) {
        Ok(()) => next.run(req).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let seconds = seconds.max(1);
            metrics::counter!("kaohe_rate_limited_total", "class" => format!("{class:?}")).increment(1);
            if class == LimitClass::CertificateQuery {
                // C2: the query log counts refusals too (no address, number or name is kept).
                let channel = if api { QueryChannel::Api } else { QueryChannel::Page };
                if let Err(e) = state.store.log_certificate_query(QueryOutcome::Limited, channel).await {
                    tracing::warn!(error = %e, "certificate query log");
                }
            }
            let err = AppError::RateLimited { retry_after: seconds };
            let mut resp = if api { ApiError(err).into_response() } else { PageError(err).into_response() };
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            resp
        }
    }
}
