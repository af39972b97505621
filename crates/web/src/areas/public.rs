//! The public site (F2 catalog, C2 certificate query; the S5 station directory is the filing area's)
//! and operations endpoints: static files, health, readiness and metrics. The catalog lists the projects
//! the filed stations assess (until the project procedure, P1–P8, publishes its own); the certificate
//! query answers nothing until certificates are issued (C1).

use super::Area;
use crate::AppState;
use crate::api::PageView;
use crate::auth::{Caller, ClientIp};
use crate::error::{ApiError, PageError};
use crate::extract::{Form, Query};
use crate::limits::LimitClass;
use crate::routes::Routes;
use crate::view::{Pager, filter_query};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::sync::OnceLock;
use store::PageReq;
use store::filings::CatalogEntry;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "public", routes, menu: &[], notices: &[], links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/", home)
        .limited(LimitClass::PublicPage)
        .cached()
        .get("/catalog", catalog)
        .limited(LimitClass::PublicPage)
        .cached()
        .route(Method::GET, "/certificates", get(certificates_form).post(certificates))
        .limited(LimitClass::PublicPage)
        .api(routes!(catalog_api))
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

#[derive(Template, WebTemplate)]
#[template(path = "public/catalog.html")]
pub struct CatalogPage {
    title: &'static str,
    q: String,
    projects: Vec<CatalogEntryDto>,
    pager: Pager,
}

#[derive(Deserialize, IntoParams)]
pub struct CatalogParams {
    /// The project's name contains this.
    q: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 30).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// F2: the projects the filed stations assess, searchable by name, 30 a page (as the directory).
pub async fn catalog(State(state): State<AppState>, Query(q): Query<CatalogParams>) -> Result<CatalogPage, PageError> {
    let page = state.store.public_catalog(q.q.as_deref(), PageReq::new(q.page, Some(30))).await?;
    let pager = Pager::of(&page, "/catalog", &filter_query(&[("q", q.q.clone())]));
    Ok(CatalogPage {
        title: "考核项目目录",
        q: q.q.unwrap_or_default(),
        pager,
        projects: page.items.into_iter().map(Into::into).collect(),
    })
}

/// A project of the catalog.
#[derive(Serialize, ToSchema)]
#[schema(as = CatalogEntry)]
pub struct CatalogEntryDto {
    /// The project's name.
    pub name: String,
    /// How many filed stations assess it.
    pub stations: u64,
}

impl From<CatalogEntry> for CatalogEntryDto {
    fn from(e: CatalogEntry) -> Self {
        CatalogEntryDto { name: e.name, stations: e.stations }
    }
}

/// F2: the project catalog (no sign-in): the projects the filed stations assess, by name.
#[utoipa::path(get, path = "/api/v1/catalog", tag = "public", params(CatalogParams), security(()), responses((status = 200, body = PageView<CatalogEntryDto>)))]
pub async fn catalog_api(
    State(state): State<AppState>,
    Query(q): Query<CatalogParams>,
) -> Result<Json<PageView<CatalogEntryDto>>, ApiError> {
    Ok(Json(state.store.public_catalog(q.q.as_deref(), PageReq::new(q.page, q.per_page.or(Some(30)))).await?.into()))
}

#[derive(Template, WebTemplate)]
#[template(path = "public/certificates.html")]
pub struct CertificatesPage {
    title: &'static str,
    csrf: String,
    number: String,
    name: String,
    searched: bool,
    error: String,
}

/// The token a public form carries: the session's for someone signed in, else the pre-session cookie's
/// (as the sign-in form; `middleware::csrf_guard`).
fn form_token(state: &AppState, caller: Option<&Caller>, jar: CookieJar) -> (CookieJar, String) {
    match caller {
        Some(c) => (jar, c.session.csrf_token.clone()),
        None => crate::areas::account::login::pre_token(jar, state.config.cookie_secure),
    }
}

/// C2: the query form. The holder's name never travels in the address (history, logs): whatever the
/// address carries, GET only shows the empty form.
pub async fn certificates_form(State(state): State<AppState>, jar: CookieJar, req: Request) -> Response {
    let (jar, csrf) = form_token(&state, req.extensions().get::<Caller>(), jar);
    let page = CertificatesPage {
        title: "证书查询",
        csrf,
        number: String::new(),
        name: String::new(),
        searched: false,
        error: String::new(),
    };
    (jar, page).into_response()
}

#[derive(Deserialize)]
pub struct CertQuery {
    #[serde(default)]
    number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    csrf: String,
}

/// C2: a query (POST, with the form's CSRF token, rate-limited as every public page) needs the
/// certificate number and the holder's name together; it never lists, and changes nothing.
pub async fn certificates(Form(q): Form<CertQuery>) -> CertificatesPage {
    let number = q.number.trim().to_string();
    let name = q.name.trim().to_string();
    let error = match (number.is_empty(), name.is_empty()) {
        (true, true) => "请填写证书编号和持证人姓名".to_string(),
        (true, false) => "请填写证书编号".to_string(),
        (false, true) => "请填写持证人姓名".to_string(),
        (false, false) => String::new(),
    };
    CertificatesPage { title: "证书查询", csrf: q.csrf, number, name, searched: true, error }
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
