//! The router: every area (`crate::areas`) registers its pages and its API operations through one
//! builder, [`Routes`], so the list of routes (`route_specs`) and the OpenAPI document are the router
//! itself. The authorization matrix test enumerates `route_specs`, and a route missing from the test's
//! expected table fails the test; every API operation carries its OpenAPI entry where it is registered.

use crate::limits::LimitClass;
use crate::{AppState, api, areas, middleware as mw};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::PathItem;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

/// Uploads may be larger than other bodies: the attachment limit plus the multipart framing. Upload
/// routes carry `DefaultBodyLimit::max(UPLOAD_LIMIT)` themselves.
pub const UPLOAD_LIMIT: usize = store::attachments::MAX_ATTACHMENT_BYTES + 64 * 1024;

/// One registered route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    /// The rate limit the route counts against (`Routes::limited`); `/api/` routes without one count
    /// as `LimitClass::Api`, other pages are not limited.
    pub limit: Option<LimitClass>,
    /// A public GET answered from the public cache (`Routes::cached`, `crate::public_cache`).
    pub cached: bool,
}

/// The routes of the areas as they are registered: pages with [`Routes::get`], [`Routes::post`] or
/// [`Routes::route`], API operations with [`Routes::api`] (one `utoipa_axum::routes!` per path).
pub struct Routes {
    router: OpenApiRouter<AppState>,
    specs: Vec<RouteSpec>,
    /// Where the specs of the latest call start (`limited` marks them).
    last: usize,
}

impl Routes {
    /// A page (or another route outside the API) with its method router, e.g. one with its own layer.
    pub fn route(mut self, method: Method, path: &'static str, mr: MethodRouter<AppState>) -> Self {
        self.last = self.specs.len();
        self.specs.push(RouteSpec { method, path, limit: None, cached: false });
        self.router = self.router.route(path, mr);
        self
    }

    pub fn get<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.route(Method::GET, path, get(h))
    }

    pub fn post<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.route(Method::POST, path, post(h))
    }

    /// API operations of one path, with their OpenAPI entries: `routes!(list, create)`. A route that
    /// needs a layer (uploads) passes `routes!(upload).layer(…)` (`UtoipaMethodRouterExt`).
    pub fn api(mut self, operations: UtoipaMethodRouter<AppState>) -> Self {
        let paths = &operations.1.paths;
        // `OpenApiRouter::routes` would mount every handler of the call on every path it names.
        assert_eq!(paths.len(), 1, "one path per routes!(…): {:?}", paths.keys().collect::<Vec<_>>());
        self.last = self.specs.len();
        for (path, item) in paths {
            let path = intern(path);
            self.specs.extend(methods_of(item).into_iter().map(|method| RouteSpec {
                method,
                path,
                limit: None,
                cached: false,
            }));
        }
        self.router = self.router.routes(operations);
        self
    }
}

impl Routes {
    /// The routes of the previous call count against the rate limit `class` (`crate::limits`).
    pub fn limited(mut self, class: LimitClass) -> Self {
        for spec in &mut self.specs[self.last..] {
            spec.limit = Some(class);
        }
        self
    }

    /// The public GET routes of the previous call answer from the public cache: what they show depends
    /// only on the public generation and the day, never on who asks (`crate::public_cache`).
    pub fn cached(mut self) -> Self {
        for spec in &mut self.specs[self.last..] {
            spec.cached = true;
        }
        self
    }

    /// The route of the previous call with `method` counts against `class` (one operation of a path
    /// registered with several).
    pub fn limited_only(mut self, method: Method, class: LimitClass) -> Self {
        for spec in self.specs[self.last..].iter_mut().filter(|s| s.method == method) {
            spec.limit = Some(class);
        }
        self
    }
}

/// The methods a path item documents.
fn methods_of(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
        (Method::DELETE, &item.delete),
        (Method::HEAD, &item.head),
        (Method::OPTIONS, &item.options),
        (Method::TRACE, &item.trace),
    ]
    .into_iter()
    .filter(|(_, op)| op.is_some())
    .map(|(m, _)| m)
    .collect()
}

/// API paths come from the OpenAPI entries as `String`s; each distinct one is kept once for the
/// life of the process, so `RouteSpec` stays `&'static str` for pages and API alike.
fn intern(path: &str) -> &'static str {
    static PATHS: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let mut paths = PATHS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    match paths.get(path) {
        Some(p) => p,
        None => {
            let p: &'static str = Box::leak(path.to_string().into_boxed_str());
            paths.insert(p);
            p
        }
    }
}

struct Built {
    router: Router<AppState>,
    openapi: OpenApi,
    specs: Vec<RouteSpec>,
}

/// Every area's routes, merged; then the OpenAPI document and the Swagger UI.
fn build() -> Built {
    let start = Routes { router: OpenApiRouter::with_openapi(api::base_document()), specs: Vec::new(), last: 0 };
    let Routes { router, mut specs, .. } = areas::all().into_iter().fold(start, |r, area| (area.routes)(r));
    let (router, mut openapi) = router.split_for_parts();
    api::document_error_answers(&mut openapi);
    // Serialized once: a request sends the bytes (it cloned and serialized the whole document), and
    // the Swagger UI reads the same address instead of keeping a second copy (issue 10, memory).
    let json = axum::body::Bytes::from(serde_json::to_vec(&openapi).unwrap_or_else(|e| {
        tracing::error!(error = %e, "OpenAPI document");
        b"{}".to_vec()
    }));
    let router = router.route(
        "/api/v1/openapi.json",
        get(move || {
            let json = json.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], json) }
        }),
    );
    specs.push(RouteSpec { method: Method::GET, path: "/api/v1/openapi.json", limit: None, cached: false });
    let swagger: Router<AppState> = utoipa_swagger_ui::SwaggerUi::new("/api/v1/docs")
        .config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json"))
        .into();
    specs.push(RouteSpec { method: Method::GET, path: "/api/v1/docs", limit: None, cached: false });
    Built { router: router.merge(swagger), openapi, specs }
}

/// The registered routes of this process, built once (the first `app` keeps its own).
static SPECS: OnceLock<Vec<RouteSpec>> = OnceLock::new();

/// The registered routes, for the rate limiter, the public cache, the authorization matrix test and
/// the route listing. Building every area's routes and document costs tens of megabytes for a moment,
/// so a process does it once, not once per caller.
pub fn route_specs() -> Vec<RouteSpec> {
    SPECS.get_or_init(|| build().specs).clone()
}

/// The OpenAPI document of every area's API (served at `/api/v1/openapi.json`).
pub fn openapi() -> OpenApi {
    build().openapi
}

async fn fallback(req: axum::extract::Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        crate::error::ApiError(crate::error::AppError::NotFound).into_response()
    } else if req.extensions().get::<crate::auth::Caller>().is_some() {
        crate::error::error_page(StatusCode::NOT_FOUND, None)
    } else {
        // Signed out: the public home, not the staff sign-in (issue 9 item 15).
        crate::error::public_error_page(StatusCode::NOT_FOUND, None)
    }
}

tokio::task_local! {
    /// The id of the request being answered, for the panic hook's one line.
    static REQUEST_ID: String;
}

/// The last resort around every handler and inner middleware: a panic, or any 500, becomes
/// [`error::internal_error`](crate::error::internal_error) — the envelope with the request id under
/// `/api/`, the Chinese 500 page elsewhere — and the panic is logged once, on one line, by the hook
/// [`app`] installs (no backtrace per request).
pub async fn last_resort(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use futures_util::FutureExt;
    let api = req.uri().path().starts_with("/api/");
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let answered = std::panic::AssertUnwindSafe(REQUEST_ID.scope(id.clone(), next.run(req))).catch_unwind().await;
    match answered {
        Ok(response) if response.status() != StatusCode::INTERNAL_SERVER_ERROR => response,
        // An internal error was logged where it happened; a panic by the hook.
        Ok(_) | Err(_) => crate::error::internal_error(api, &id),
    }
}

/// Panics while answering a request are logged as one line naming the request, where and why;
/// panics elsewhere (start-up, tests) go to the hook that was there before.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| match REQUEST_ID.try_with(|id| id.clone()) {
            Ok(id) => {
                let payload = info.payload();
                let why = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
                tracing::error!(request_id = %id, at = %at, panic = %why, "handler panicked");
            }
            Err(_) => previous(info),
        }));
    });
}

/// The whole application with its middleware.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let body_limit = state.config.body_limit;
    install_panic_hook();
    let Built { router, specs, .. } = build();
    // The rate limiter and the public cache read the routes of this build, not one of their own.
    let _ = SPECS.set(specs);
    router
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(state.clone(), mw::csrf_guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), mw::resolve_caller))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::public_cache::public_cache))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::limits::rate_limit))
        .layer(axum::middleware::from_fn(mw::track_metrics))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(last_resort))
        .layer(axum::middleware::from_fn_with_state(state.clone(), mw::security_headers))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            // Method and route only: query strings may carry personal data.
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}
