//! What the JSON API under `/api/v1` shares across areas: bearer tokens, one error envelope
//! `{"errors":[{"code","field","detail"}]}`, pages of lists, and the head of the OpenAPI document at
//! `/api/v1/openapi.json` (Swagger UI, vendored in the binary, at `/api/v1/docs`). Each area registers
//! its operations, with their OpenAPI entries, in its own `api.rs` (`crate::routes::Routes::api`).

use crate::error::{ApiError, AppError};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use domain::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

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

/// A page of the store's records as the API shows them (`U` the area's response type).
impl<T, U: From<T>> From<store::Page<T>> for PageView<U> {
    fn from(p: store::Page<T>) -> Self {
        PageView {
            items: p.items.into_iter().map(U::from).collect(),
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        }
    }
}

/// The id of a record just created.
#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// The paging parameters of a list without filters.
#[derive(Deserialize, IntoParams)]
pub struct PageParams {
    pub page: Option<u64>,
    pub per_page: Option<u64>,
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

/// The head of the OpenAPI document: title, the bearer scheme required by default, the error envelope.
/// The operations and their schemas come from the areas (`crate::routes`).
#[derive(OpenApi)]
#[openapi(
    info(title = "kaohe API", description = "湖南省专项职业能力考核管理信息系统接口。除取得令牌外，均须携带 `Authorization: Bearer <token>`。"),
    components(schemas(ErrorEnvelope, ErrorItem)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
struct ApiDoc;

pub fn base_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
