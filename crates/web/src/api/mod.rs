//! The JSON API under `/api/v1`: bearer tokens, one error envelope
//! `{"errors":[{"code","field","detail"}]}`, and the OpenAPI document at `/api/v1/openapi.json`
//! (Swagger UI, vendored in the binary, at `/api/v1/docs`).

pub mod admin;
pub mod attachments;
pub mod auth;
pub mod draws;
pub mod experts;
pub mod filings;
pub mod orgs;
pub mod users;

use crate::error::{ApiError, AppError};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use domain::{FieldError, FieldErrors};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// A JSON body whose rejections speak the error envelope: 415 without `application/json`, 413 when too
/// large, 400 for broken JSON, 422 for a field of the wrong type.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError(AppError::UnsupportedMediaType)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError(AppError::Invalid(
                FieldError::new("", "JSON_FIELD_INVALID", format!("请求体字段不符合要求：{}", e.body_text())).into(),
            ))),
            Err(JsonRejection::JsonSyntaxError(_)) => {
                Err(ApiError(AppError::BadRequest("请求体不是有效的 JSON".into())))
            }
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError(AppError::PayloadTooLarge)),
            Err(e) => Err(ApiError(AppError::BadRequest(e.body_text()))),
        }
    }
}

/// The error envelope, for the OpenAPI document.
#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub errors: Vec<ErrorItem>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorItem {
    /// Stable code, e.g. `ACCOUNT_LOCKED`.
    pub code: String,
    /// The input field the error is about, empty when none.
    pub field: String,
    /// Chinese text for people.
    pub detail: String,
}

/// A page of a list.
#[derive(Serialize, ToSchema)]
pub struct PageView<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> From<store::Page<T>> for PageView<T> {
    fn from(p: store::Page<T>) -> Self {
        PageView { items: p.items, total: p.total, page: p.page, per_page: p.per_page }
    }
}

pub fn invalid(field: &str, code: &'static str, detail: &str) -> ApiError {
    ApiError(AppError::Invalid(FieldErrors::from(FieldError::new(field, code, detail))))
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "kaohe API", description = "湖南省专项职业能力考核管理信息系统接口。除取得令牌外，均须携带 `Authorization: Bearer <token>`。"),
    paths(
        auth::create_token, auth::revoke_token, auth::me, auth::todo,
        orgs::list_orgs, orgs::create_org, orgs::get_org, orgs::update_org,
        users::list_users, users::create_user, users::get_user, users::update_user,
        admin::list_audit, admin::list_policy, admin::add_policy_version,
        admin::list_calendar, admin::set_calendar_year, admin::add_working_days,
        experts::list_experts, experts::create_expert, experts::get_expert, experts::update_expert,
        experts::declare_conflict, experts::add_past_employment, experts::import_experts,
        filings::list_filings, filings::create_filing, filings::get_filing, filings::update_filing, filings::act_on_filing,
        filings::record_findings, filings::own_findings, filings::station_directory,
        attachments::upload, attachments::list, attachments::download, attachments::remove,
        draws::list_draws, draws::commit_draw, draws::get_draw, draws::perform_draw, draws::decline_draw, draws::open_seal, draws::my_reviews,
    ),
    components(schemas(ErrorEnvelope, ErrorItem)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}
