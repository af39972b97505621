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

/// The error answers of every operation, documented in one place (issue 8 item 13), each with its
/// Chinese description and the error envelope — only those the operation can give, read from its
/// shape: 400 where it has parameters or a body, 401 where it needs a token, 404 where a path names a
/// record, 413/415/422 where it reads a body, 429 (the rate limiter) and 500 everywhere. The answers
/// that depend on the handler — 403 where a role is required, 409 where the record's state may
/// refuse the change, 422 of a query's checks, 423 of the sign-in doors — the handler declares in its
/// `#[utoipa::path]`; this pass gives them their description and the envelope when they lack them.
pub fn document_error_answers(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for op in
            [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten()
        {
            error_answers(op);
        }
    }
}

fn error_answers(op: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::path::ParameterIn;
    let public = op.security.as_ref().is_some_and(|s| {
        s.iter().any(|r| serde_json::to_value(r).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty())))
    });
    let params = op.parameters.as_ref().map(|p| p.len()).unwrap_or_default() > 0;
    let by_path =
        op.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Path));
    let body_types: Vec<String> = match &op.request_body {
        Some(RefOr::T(b)) => b.content.keys().cloned().collect(),
        Some(RefOr::Ref(_)) => vec!["application/json".into()],
        None => vec![],
    };
    let body = !body_types.is_empty();
    let mut answers: Vec<(u16, String)> = Vec::new();
    if params || body {
        let mut why = Vec::new();
        if params {
            why.push("路径或查询参数的取值无效或缺少（PATH_PARAM_INVALID、QUERY_PARAM_INVALID、QUERY_PARAM_MISSING）");
        }
        if body {
            why.push("请求体无法读取或不是有效的 JSON（BAD_REQUEST）");
        }
        answers.push((400, format!("请求有误：{}", why.join("；"))));
    }
    if !public {
        answers.push((401, UNAUTHENTICATED.into()));
    }
    if by_path {
        answers.push((404, NOT_FOUND.into()));
    }
    if body {
        answers.push((413, "请求体过大（PAYLOAD_TOO_LARGE）".into()));
        answers.push((415, format!("请求内容类型应为 {}（UNSUPPORTED_MEDIA_TYPE）", body_types.join(" 或 "))));
        answers.push((422, INVALID.into()));
    }
    answers.push((429, "请求过于频繁（RATE_LIMITED）：请按 `Retry-After` 头所示的秒数后重试".into()));
    answers.push((500, "系统内部错误（INTERNAL）：`request_id` 为请求编号，请告知运维人员".into()));
    for (status, why) in answers {
        op.responses.responses.entry(status.to_string()).or_insert_with(|| RefOr::T(error_response(status, &why)));
    }
    // The handler's own error answers: the description by status when they have none, the envelope.
    for (status, r) in op.responses.responses.iter_mut() {
        let (RefOr::T(r), Ok(code)) = (r, status.parse::<u16>()) else { continue };
        if code < 400 {
            continue;
        }
        if r.description.is_empty() {
            r.description = generic(code).into();
        }
        if r.content.is_empty() {
            r.content = error_response(code, "").content;
        }
    }
}

const UNAUTHENTICATED: &str =
    "未认证：缺少访问令牌，或令牌无效、已过期、已撤销（UNAUTHENTICATED）；响应带 `WWW-Authenticate: Bearer`";
const NOT_FOUND: &str = "不存在：路径所指的记录不存在，或不在调用者的管辖范围内（NOT_FOUND）";
const INVALID: &str =
    "输入有误：每项错误指明字段（field）及原因（如 JSON_FIELD_MISSING、JSON_FIELD_INVALID、REQUIRED）";

/// The description of an error answer a handler declared without one.
fn generic(status: u16) -> &'static str {
    match status {
        400 => "请求有误（BAD_REQUEST）",
        401 => UNAUTHENTICATED,
        403 => "无权限：调用者的角色不能执行此操作（FORBIDDEN）",
        404 => NOT_FOUND,
        409 => "冲突：记录当前的状态不允许此操作，或刚被他人办理（如 FILING_CHANGED）",
        422 => INVALID,
        423 => "账号已锁定（ACCOUNT_LOCKED）：连续失败次数过多，请稍后再试",
        _ => "请求未能完成，原因见错误信封",
    }
}

fn error_response(status: u16, why: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Object, Ref, ResponseBuilder, Type, header::Header};
    let envelope = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build();
    let r = ResponseBuilder::new().description(why).content("application/json", envelope);
    match status {
        429 => r.header("Retry-After", Header::new(Object::with_type(Type::Integer))),
        _ => r,
    }
    .build()
}
