//! The public site (home, C2 certificate query; the S5 station directory is the filing area's, the F2
//! catalog the catalog area's) and operations endpoints: static files, health, readiness and metrics.
//! The certificate query answers nothing until certificates are issued (C1).

use super::Area;
use crate::AppState;
use crate::auth::{Caller, ClientIp};
use crate::extract::Form;
use crate::limits::LimitClass;
use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
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
        .cached()
        .route(Method::GET, "/certificates", get(certificates_form).post(certificates))
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
