//! kaohe's web layer: the Chinese staff UI (askama, server-rendered), the public site, and the JSON API
//! under `/api/v1` with its OpenAPI document. Handlers are thin: parse, ask the store (which applies
//! the data scope and writes the audit record), render.
//!
//! The site is made of areas (`areas`): each registers its routes, API operations, menu entries and
//! notices in one place, and `routes` merges them into the router and the OpenAPI document.

pub mod api;
pub mod areas;
pub mod auth;
pub mod error;
pub mod extract;
pub mod input;
pub mod middleware;
pub mod routes;
pub mod view;
pub mod xlsx;

/// The binary installs the metrics recorder through this path (`web::pages::public::prometheus`).
pub mod pages {
    pub mod public {
        pub use crate::areas::public::prometheus;
    }
}

use std::sync::Arc;
use store::Store;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (behind HTTPS).
    pub cookie_secure: bool,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Shown in the page title and the top bar.
    pub system_name: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            cookie_secure: false,
            body_limit: 2 * 1024 * 1024,
            system_name: "湖南省专项职业能力考核管理信息系统".into(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState { store, config: Arc::new(config) }
    }
}

pub use routes::{RouteSpec, app, openapi, route_specs};
