//! kaohe's web layer: the Chinese staff UI (askama, server-rendered), the public site, and the JSON API
//! under `/api/v1` with its OpenAPI document. Handlers are thin: parse, ask the store (which applies
//! the data scope and writes the audit record), render.
//!
//! The site is made of areas (`areas`): each registers its routes, API operations, menu entries and
//! notices in one place, and `routes` merges them into the router and the OpenAPI document.

pub mod api;
pub mod areas;
pub mod auth;
pub mod denials;
pub mod error;
pub mod extract;
pub mod input;
pub mod limits;
pub mod middleware;
pub mod public_cache;
pub mod routes;
pub mod view;
pub mod xlsx;

/// The binary installs the metrics recorder through this path (`web::pages::public::prometheus`).
pub mod pages {
    pub mod public {
        pub use crate::areas::public::prometheus;
    }
}

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use store::Store;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Behind HTTPS: cookies are `Secure` and named with the `__Host-` prefix, and every answer sends
    /// `Strict-Transport-Security`.
    pub cookie_secure: bool,
    /// Client addresses never rate-limited (load balancers' health checks, the benchmark's client).
    pub rate_limit_exempt: Vec<IpAddr>,
    /// Client addresses that may read `/metrics`; everyone else gets 404.
    pub metrics_allow: Vec<IpAddr>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Shown in the page title and the top bar.
    pub system_name: String,
    /// Where the public reaches kaohe (`https://host[:port]`, no trailing slash): printed QR codes link
    /// there. `None`: the request's own host.
    pub public_base_url: Option<String>,
}

/// The `public_base_url` setting checked: `http(s)://host[:port]` with nothing after, the trailing
/// slash dropped; empty or unset is `None`.
pub fn parse_base_url(raw: Option<&str>) -> Result<Option<String>, String> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let url = raw.trim_end_matches('/');
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty()
                && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')) =>
        {
            Ok(Some(url.to_owned()))
        }
        _ => Err(format!("public_base_url「{raw}」应为 https://主机名[:端口]，不含路径")),
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            cookie_secure: false,
            rate_limit_exempt: Vec::new(),
            metrics_allow: vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)],
            body_limit: 2 * 1024 * 1024,
            system_name: "湖南省专项职业能力考核管理信息系统".into(),
            public_base_url: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    /// Authorization denials of this instance, one audit record per caller, route and minute.
    pub denials: Arc<denials::DenialLog>,
    /// Per-client rate limiters of this instance.
    pub limits: Arc<limits::RateLimits>,
    /// Public pages as last rendered, per public generation and day (`public_cache`).
    pub public_cache: Arc<public_cache::PublicCache>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            denials: Arc::default(),
            limits: Arc::default(),
            public_cache: Arc::default(),
        }
    }
}

/// A comma-separated list of IP addresses (the settings `rate_limit_exempt`, `metrics_allow`); an entry
/// that is not an address is an error naming the setting.
pub fn parse_addresses(setting: &str, list: &str) -> Result<Vec<IpAddr>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.parse().map_err(|_| format!("{setting}: \"{a}\" is not an IP address")))
        .collect()
}

pub use routes::{RouteSpec, app, openapi, route_specs};
