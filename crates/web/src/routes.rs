//! Every route of kaohe, registered through one builder so the list of routes (`route_specs`) is the
//! router itself: the authorization matrix test enumerates it, and a route missing from the test's
//! expected table fails the test.

use crate::{AppState, api, middleware as mw, pages};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, patch, post, put};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Uploads may be larger than other bodies: the attachment limit plus the multipart framing.
const UPLOAD_LIMIT: usize = store::attachments::MAX_ATTACHMENT_BYTES + 64 * 1024;

/// One registered route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
}

struct Reg {
    router: Router<AppState>,
    specs: Vec<RouteSpec>,
}

impl Reg {
    fn add(mut self, method: Method, path: &'static str, mr: MethodRouter<AppState>) -> Self {
        self.specs.push(RouteSpec { method, path });
        self.router = self.router.route(path, mr);
        self
    }
    fn get<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, get(h))
    }
    fn post<H, T>(self, path: &'static str, h: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, post(h))
    }
}

fn build() -> Reg {
    let r = Reg { router: Router::new(), specs: Vec::new() };
    r
        // Public site and operations.
        .get("/", pages::public::home)
        .get("/catalog", pages::public::catalog)
        .get("/stations", pages::public::stations)
        .get("/certificates", pages::public::certificates)
        .get("/static/app.css", pages::public::app_css)
        .get("/static/app.js", pages::public::app_js)
        .get("/healthz", pages::public::healthz)
        .get("/readyz", pages::public::readyz)
        .get("/metrics", pages::public::metrics)
        // Sign-in.
        .get("/login", pages::login::login_form)
        .post("/login", pages::login::login)
        .get("/login/totp", pages::login::totp_form)
        .post("/login/totp", pages::login::totp_verify)
        .post("/logout", pages::login::logout)
        .get("/account/password", pages::account::password_form)
        .post("/account/password", pages::account::change_password)
        .get("/account/totp", pages::account::totp_enroll_form)
        .post("/account/totp", pages::account::totp_enroll)
        // Staff.
        .get("/home", pages::home::home)
        .get("/admin/users", pages::users::list_users)
        .get("/admin/users/export.csv", pages::users::export_users)
        .get("/admin/users/new", pages::users::new_user_form)
        .post("/admin/users", pages::users::create_user)
        .get("/admin/users/{id}", pages::users::show_user)
        .post("/admin/users/{id}", pages::users::update_user)
        .post("/admin/users/{id}/reset-password", pages::users::reset_password)
        .post("/admin/users/{id}/unlock", pages::users::unlock_user)
        .post("/admin/users/{id}/reset-totp", pages::users::reset_totp)
        .get("/admin/orgs", pages::orgs::list_orgs)
        .get("/admin/orgs/export.csv", pages::orgs::export_orgs)
        .get("/admin/orgs/new", pages::orgs::new_org_form)
        .post("/admin/orgs", pages::orgs::create_org)
        .get("/admin/orgs/{id}", pages::orgs::show_org)
        .post("/admin/orgs/{id}", pages::orgs::update_org)
        .get("/admin/audit", pages::audit::list_audit)
        .get("/admin/audit/export.jsonl", pages::audit::export_audit)
        .get("/admin/policy", pages::policy::show_policy)
        .post("/admin/policy", pages::policy::add_policy_version)
        .get("/admin/calendar", pages::calendar::show_calendar)
        .post("/admin/calendar", pages::calendar::set_calendar_year)
        .get("/admin/experts", pages::experts::list_experts)
        .get("/admin/experts/export.xlsx", pages::experts::export_experts)
        .get("/admin/experts/template.xlsx", pages::experts::expert_template)
        .get("/admin/experts/new", pages::experts::new_expert_form)
        .post("/admin/experts", pages::experts::create_expert)
        .get("/admin/experts/import", pages::experts::import_form)
        .post("/admin/experts/import", pages::experts::import_experts)
        .get("/admin/experts/{id}", pages::experts::show_expert)
        .post("/admin/experts/{id}", pages::experts::update_expert)
        .post("/admin/experts/{id}/conflicts", pages::experts::declare_conflict)
        .post("/admin/experts/{id}/past-employers", pages::experts::add_past_employment)
        .get("/admin/draws", pages::draws::list_draws)
        .get("/admin/draws/new", pages::draws::new_draw_form)
        .post("/admin/draws", pages::draws::commit_draw)
        .get("/admin/draws/{id}", pages::draws::show_draw)
        .post("/admin/draws/{id}/draw", pages::draws::perform_draw)
        .post("/admin/draws/{id}/declines", pages::draws::decline_draw)
        .post("/admin/draws/{id}/open", pages::draws::open_seal)
        .get("/my/reviews", pages::draws::my_reviews)
        .get("/draws/{id}", pages::draws::verify_page)
        .get("/draws/{id}/record.json", pages::draws::record_json)
        // Station filing (S1–S5): the annex-1 form, the record and its steps, findings, print.
        .get("/filings", pages::filings::list_filings)
        .get("/filings/export.xlsx", pages::filings::export_filings)
        .get("/filings/new", pages::filings::new_filing_form)
        .post("/filings", pages::filings::create_filing)
        .get("/filings/{id}", pages::filings::show_filing)
        .get("/filings/{id}/edit", pages::filings::edit_filing_form)
        .post("/filings/{id}/edit", pages::filings::update_filing)
        .post("/filings/{id}/actions", pages::filings::act_on_filing)
        .get("/filings/{id}/findings", pages::filings::findings_form)
        .post("/filings/{id}/findings", pages::filings::record_findings)
        .get("/filings/{id}/print", pages::filings::print_filing)
        .add(
            Method::POST,
            "/filings/{id}/attachments",
            post(pages::attachments::upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .get("/filings/{id}/attachments/{att}", pages::attachments::download)
        .post("/filings/{id}/attachments/{att}/delete", pages::attachments::remove)
        // JSON API.
        .post("/api/v1/auth/token", api::auth::create_token)
        .add(Method::DELETE, "/api/v1/auth/token", delete(api::auth::revoke_token))
        .get("/api/v1/me", api::auth::me)
        .get("/api/v1/todo", api::auth::todo)
        .get("/api/v1/orgs", api::orgs::list_orgs)
        .post("/api/v1/orgs", api::orgs::create_org)
        .get("/api/v1/orgs/{id}", api::orgs::get_org)
        .add(Method::PUT, "/api/v1/orgs/{id}", put(api::orgs::update_org))
        .get("/api/v1/users", api::users::list_users)
        .post("/api/v1/users", api::users::create_user)
        .get("/api/v1/users/{id}", api::users::get_user)
        .add(Method::PATCH, "/api/v1/users/{id}", patch(api::users::update_user))
        .get("/api/v1/audit", api::admin::list_audit)
        .get("/api/v1/policy", api::admin::list_policy)
        .post("/api/v1/policy/{key}/versions", api::admin::add_policy_version)
        .get("/api/v1/calendar", api::admin::list_calendar)
        .add(Method::PUT, "/api/v1/calendar/{year}", put(api::admin::set_calendar_year))
        .get("/api/v1/calendar/add-working-days", api::admin::add_working_days)
        .get("/api/v1/experts", api::experts::list_experts)
        .post("/api/v1/experts", api::experts::create_expert)
        .post("/api/v1/experts/import", api::experts::import_experts)
        .get("/api/v1/experts/{id}", api::experts::get_expert)
        .add(Method::PUT, "/api/v1/experts/{id}", put(api::experts::update_expert))
        .post("/api/v1/experts/{id}/conflicts", api::experts::declare_conflict)
        .post("/api/v1/experts/{id}/past-employers", api::experts::add_past_employment)
        .get("/api/v1/draws", api::draws::list_draws)
        .post("/api/v1/draws", api::draws::commit_draw)
        .get("/api/v1/draws/{id}", api::draws::get_draw)
        .post("/api/v1/draws/{id}/draw", api::draws::perform_draw)
        .post("/api/v1/draws/{id}/declines", api::draws::decline_draw)
        .post("/api/v1/draws/{id}/open", api::draws::open_seal)
        .get("/api/v1/me/reviews", api::draws::my_reviews)
        .get("/api/v1/filings", api::filings::list_filings)
        .post("/api/v1/filings", api::filings::create_filing)
        .get("/api/v1/filings/{id}", api::filings::get_filing)
        .add(Method::PUT, "/api/v1/filings/{id}", put(api::filings::update_filing))
        .post("/api/v1/filings/{id}/actions", api::filings::act_on_filing)
        .get("/api/v1/filings/{id}/findings", api::filings::own_findings)
        .post("/api/v1/filings/{id}/findings", api::filings::record_findings)
        .get("/api/v1/stations", api::filings::station_directory)
        .add(
            Method::POST,
            "/api/v1/filings/{id}/attachments",
            post(api::attachments::upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .get("/api/v1/filings/{id}/attachments", api::attachments::list)
        .get("/api/v1/filings/{id}/attachments/{att}", api::attachments::download)
        .add(Method::DELETE, "/api/v1/filings/{id}/attachments/{att}", delete(api::attachments::remove))
        .get("/api/v1/openapi.json", api::openapi_json)
}

/// The registered routes, for the authorization matrix test and the route listing.
pub fn route_specs() -> Vec<RouteSpec> {
    let mut specs = build().specs;
    specs.push(RouteSpec { method: Method::GET, path: "/api/v1/docs" });
    specs
}

async fn fallback(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::error::ApiError(crate::error::AppError::NotFound).into_response()
    } else {
        crate::error::error_page(StatusCode::NOT_FOUND, None)
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    crate::error::error_page(StatusCode::INTERNAL_SERVER_ERROR, None)
}

/// The whole application with its middleware.
pub fn app(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let body_limit = state.config.body_limit;
    let swagger: Router<AppState> =
        utoipa_swagger_ui::SwaggerUi::new("/api/v1/docs").url("/api/v1/docs/openapi.json", api::openapi()).into();
    build()
        .router
        .merge(swagger)
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(state.clone(), mw::csrf_guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), mw::resolve_caller))
        .layer(axum::middleware::from_fn(mw::track_metrics))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(mw::security_headers))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            // Method and route only: query strings may carry personal data.
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}
