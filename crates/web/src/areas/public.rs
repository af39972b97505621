//! The public site (home; the C2 certificate query is the verify area's, the S5 station directory the
//! filing area's, the F2 catalog the catalog area's) and operations endpoints: static files, health,
//! readiness and metrics.

use super::Area;
use crate::AppState;
use crate::auth::ClientIp;
use crate::limits::LimitClass;
use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::net::IpAddr;
use std::sync::OnceLock;

pub fn area() -> Area {
    Area { name: "public", routes, menu: &[], notices: &[], links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/", home)
        .limited(LimitClass::PublicPage)
        .cached()
        .get("/static/app.css", app_css)
        .get("/static/app.js", app_js)
        .get("/healthz", healthz)
        .get("/readyz", readyz)
        .get("/metrics", metrics)
}

#[derive(Template, WebTemplate)]
#[template(path = "public/home.html")]
pub struct HomePage {
    title: &'static str,
}

pub async fn home() -> HomePage {
    HomePage { title: "首页" }
}

pub async fn app_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
}

pub async fn app_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.js"),
    )
}

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.store.ping().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

/// The process-wide Prometheus recorder (installed once, also when several apps run in one process).
pub fn prometheus() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Only the addresses configured to scrape it (`metrics_allow`, loopback by default) read the
/// metrics; anyone else is told there is nothing there (404, as for any unknown page).
pub async fn metrics(State(state): State<AppState>, ip: ClientIp) -> Response {
    let allowed = ip.0.parse::<IpAddr>().is_ok_and(|a| state.config.metrics_allow.contains(&a));
    if !allowed {
        return crate::error::error_page(StatusCode::NOT_FOUND, None);
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], prometheus().render()).into_response()
}
