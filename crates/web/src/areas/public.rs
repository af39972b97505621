//! The public site (F2 catalog, C2 certificate query; the S5 station directory is the filing area's)
//! and operations endpoints: static files, health, readiness and metrics. The lists are empty until the
//! procedures that fill them land.

use super::Area;
use crate::AppState;
use crate::auth::ClientIp;
use crate::extract::Query;
use crate::limits::LimitClass;
use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde::Deserialize;
use std::net::IpAddr;
use std::sync::OnceLock;

pub fn area() -> Area {
    Area { name: "public", routes, menu: &[], notices: &[], links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/", home)
        .limited(LimitClass::PublicPage)
        .get("/catalog", catalog)
        .limited(LimitClass::PublicPage)
        .get("/certificates", certificates)
        .limited(LimitClass::PublicPage)
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

#[derive(Template, WebTemplate)]
#[template(path = "public/catalog.html")]
pub struct CatalogPage {
    title: &'static str,
    q: String,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

pub async fn catalog(Query(q): Query<SearchQuery>) -> CatalogPage {
    CatalogPage { title: "考核项目目录", q: q.q.unwrap_or_default() }
}

#[derive(Template, WebTemplate)]
#[template(path = "public/certificates.html")]
pub struct CertificatesPage {
    title: &'static str,
    number: String,
    name: String,
    searched: bool,
    error: String,
}

#[derive(Deserialize)]
pub struct CertQuery {
    number: Option<String>,
    name: Option<String>,
}

/// C2: a query needs the certificate number and the holder's name together; it never lists.
pub async fn certificates(Query(q): Query<CertQuery>) -> CertificatesPage {
    let number = q.number.unwrap_or_default().trim().to_string();
    let name = q.name.unwrap_or_default().trim().to_string();
    let searched = !number.is_empty() || !name.is_empty();
    let error = if searched && (number.is_empty() || name.is_empty()) {
        "请同时填写证书编号和持证人姓名".to_string()
    } else {
        String::new()
    };
    CertificatesPage { title: "证书查询", number, name, searched, error }
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
