//! What the JSON API under `/api/v1` shares across areas: bearer tokens, one error envelope
//! `{"errors":[{"code","field","detail"}]}`, pages of lists, and the head of the OpenAPI document at
//! `/api/v1/openapi.json` (Swagger UI, vendored in the binary, at `/api/v1/docs`). Each area registers
//! its operations, with their OpenAPI entries, in its own `api.rs` (`crate::routes::Routes::api`).

use crate::error::{ApiError, AppError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use domain::{FieldError, FieldErrors};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

/// A JSON body whose rejections speak the error envelope in Chinese: 415 without `application/json`,
/// 413 when too large, 400 for broken JSON, 422 naming the field for a value of the wrong type or a
/// missing field (`crate::extract::explain`) — never serde's English — or for a string with a forbidden
/// character (`crate::input`, every field of the body).
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ApiError(AppError::UnsupportedMediaType));
        }
        let path = req.uri().path().to_owned();
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(ApiError(AppError::PayloadTooLarge)),
            Err(_) => return Err(ApiError(AppError::BadRequest("无法读取请求体".into()))),
        };
        // Every string of the body is checked before it is read into `T` (`crate::input`).
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            crate::input::check_json(&path, &value).map_err(|e| ApiError(AppError::Invalid(e)))?;
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de);
        let trailing = value.is_ok() && de.end().is_err();
        match value {
            Ok(v) if !trailing => Ok(ApiJson(v)),
            Err(e) if e.inner().is_data() => {
                let why = crate::extract::explain(&crate::extract::path_of(e.path()), &e.inner().to_string());
                let code = if why.missing { "JSON_FIELD_MISSING" } else { "JSON_FIELD_INVALID" };
                let detail = if why.field.is_empty() {
                    format!("请求体{}", why.reason)
                } else {
                    format!("请求体字段「{}」{}", why.field, why.reason)
                };
                Err(ApiError(AppError::Invalid(FieldError::new(why.field, code, detail).into())))
            }
            // Broken JSON, or something after the value.
            _ => Err(ApiError(AppError::BadRequest("请求体不是有效的 JSON".into()))),
        }
    }
}

/// `application/json` or `application/…+json`, as axum's `Json` accepts.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(ct) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// The error envelope, for the OpenAPI document.
#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub errors: Vec<ErrorItem>,
    /// On a 500: the request's id (also in `x-request-id` and in the log), to quote to the operators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
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
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    pub page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
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
