//! The public site (F2 catalog, S5 station directory, C2 certificate query) and operations endpoints.
//! The lists are empty until the procedures that fill them land.

use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde::Deserialize;
use std::sync::OnceLock;

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
    city: Option<String>,
    page: Option<u64>,
}

pub async fn catalog(Query(q): Query<SearchQuery>) -> CatalogPage {
    CatalogPage { title: "考核项目目录", q: q.q.unwrap_or_default() }
}

#[derive(Template, WebTemplate)]
#[template(path = "public/stations.html")]
pub struct StationsPage {
    title: &'static str,
    q: String,
    city: String,
    cities: Vec<(&'static str, &'static str)>,
    stations: Vec<store::filings::StationListing>,
    pager: crate::view::Pager,
}

/// S5: the directory of filed stations, searchable by city, project and name.
pub async fn stations(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<StationsPage, crate::error::PageError> {
    let page =
        state.store.public_stations(q.city.as_deref(), q.q.as_deref(), store::PageReq::new(q.page, Some(30))).await?;
    let fq = crate::view::filter_query(&[("city", q.city.clone()), ("q", q.q.clone())]);
    let pager = crate::view::Pager::of(&page, "/stations", &fq);
    Ok(StationsPage {
        pager,
        title: "考核站名录",
        q: q.q.unwrap_or_default(),
        city: q.city.unwrap_or_default(),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        stations: page.items,
    })
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

pub async fn metrics() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], prometheus().render())
}
