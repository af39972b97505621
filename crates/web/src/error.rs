//! One closed error type for the web (docs/DESIGN-NOTES.md, "House style"): 401 (sign-in redirect for pages), 403, 404, 409,
//! 413, 415, 422 with field errors, 423 locked, 429 rate-limited, 500 logged with the request id and opaque to the
//! client. Pages get a Chinese error page; the API gets `{"errors":[{"code","field","detail"}]}`.

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{FieldError, FieldErrors};
use serde_json::json;
use store::StoreError;

#[derive(Debug)]
pub enum AppError {
    Unauthorized,
    Forbidden,
    NotFound,
    Invalid(FieldErrors),
    Conflict(FieldError),
    Locked(String),
    PayloadTooLarge,
    UnsupportedMediaType,
    BadRequest(String),
    /// A specific code under a given status (401/403 of the token endpoint).
    Coded(StatusCode, FieldError),
    /// Too many requests from one client address (429; the answer carries `Retry-After`).
    RateLimited {
        retry_after: u64,
    },
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Forbidden => AppError::Forbidden,
            StoreError::Invalid(f) => AppError::Invalid(f),
            StoreError::Conflict(f) => AppError::Conflict(f),
            StoreError::Db(e) => AppError::Internal(e.to_string()),
            e @ (StoreError::Corrupt { .. } | StoreError::Service { .. }) => AppError::Internal(error_chain(&e)),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Locked(_) => StatusCode::LOCKED,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Coded(s, _) => *s,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn log(&self) {
        if let AppError::Internal(e) = self {
            tracing::error!(error = %e, "internal error");
        }
    }

    /// The envelope items of this error.
    pub fn items(&self) -> Vec<FieldError> {
        let one = |code: &'static str, detail: &str| vec![FieldError::new("", code, detail)];
        match self {
            AppError::Unauthorized => one("UNAUTHENTICATED", "请先登录或提供有效的访问令牌"),
            AppError::Forbidden => one("FORBIDDEN", "您没有执行此操作的权限"),
            AppError::NotFound => one("NOT_FOUND", "请求的资源不存在"),
            AppError::Invalid(f) => f.0.clone(),
            AppError::Conflict(f) | AppError::Coded(_, f) => vec![f.clone()],
            AppError::Locked(until) => vec![FieldError::new(
                "username",
                "ACCOUNT_LOCKED",
                format!("连续登录失败次数过多，账号已锁定，请于 {until} 后再试"),
            )],
            AppError::PayloadTooLarge => one("PAYLOAD_TOO_LARGE", "提交的内容过大"),
            AppError::UnsupportedMediaType => one("UNSUPPORTED_MEDIA_TYPE", "请求内容类型应为 application/json"),
            AppError::BadRequest(d) => one("BAD_REQUEST", d),
            AppError::RateLimited { retry_after } => {
                one("RATE_LIMITED", &format!("请求过于频繁，请 {retry_after} 秒后再试"))
            }
            AppError::Internal(_) => one("INTERNAL", "系统内部错误，请稍后重试；如持续出现请联系系统管理员"),
        }
    }
}

/// An error answered as JSON (the API).
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let items: Vec<_> = self
            .0
            .items()
            .into_iter()
            .map(|e| json!({ "code": e.code, "field": e.field, "detail": e.detail }))
            .collect();
        let mut response = (self.0.status(), Json(json!({ "errors": items }))).into_response();
        if response.status() == StatusCode::UNAUTHORIZED {
            // RFC 6750 §3: a 401 names the scheme that would have been accepted.
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The one answer to an internal error or a panic (`crate::routes`): under `/api/` the error envelope,
/// elsewhere the Chinese 500 page, both naming the request id that the log carries too.
pub fn internal_error(api: bool, request_id: &str) -> Response {
    let status = StatusCode::INTERNAL_SERVER_ERROR;
    let detail = if request_id.is_empty() {
        "系统内部错误，请稍后重试；如持续出现请联系系统管理员".to_string()
    } else {
        format!("系统内部错误，请稍后重试；如持续出现请联系系统管理员，并告知请求编号 {request_id}")
    };
    if api {
        let body = json!({
            "errors": [{ "code": "INTERNAL", "field": "", "detail": detail }],
            "request_id": request_id,
        });
        (status, Json(body)).into_response()
    } else {
        error_page(status, Some(format!("{detail}。")))
    }
}

/// An error answered as a page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    code: u16,
    title: &'a str,
    message: String,
    /// A page of the public site, or anyone signed out: offer the public home, not the workbench.
    public: bool,
}

pub fn error_page(status: StatusCode, message: Option<String>) -> Response {
    render_error(status, message, false)
}

/// [`error_page`] on the public site (or for someone signed out): it offers the public home and its
/// services, not the staff workbench or sign-in (issue 9 item 15).
pub fn public_error_page(status: StatusCode, message: Option<String>) -> Response {
    render_error(status, message, true)
}

fn render_error(status: StatusCode, message: Option<String>, public: bool) -> Response {
    let (title, default) = match status.as_u16() {
        403 => ("没有权限", "您没有访问此页面或执行此操作的权限。如需开通，请联系本单位管理员。"),
        404 if public => ("页面不存在", "您访问的页面不存在，或已不再公开。"),
        404 => ("页面不存在", "您访问的页面不存在，或不在您的管辖范围内。"),
        413 => ("内容过大", "提交的内容超过了允许的大小。"),
        429 => ("请求过于频繁", "请求过于频繁，请稍后再试。"),
        415 => ("内容类型有误", "提交的内容类型不受支持，请通过页面上的表单提交。"),
        _ if status.is_server_error() => {
            ("系统错误", "系统暂时无法处理您的请求，请稍后重试；如持续出现，请联系系统管理员。")
        }
        _ => ("请求有误", "请求无法处理，请返回上一页检查后重试。"),
    };
    let page =
        ErrorPage { code: status.as_u16(), title, message: message.unwrap_or_else(|| default.to_string()), public };
    match page.render() {
        Ok(html) => (status, axum::response::Html(html)).into_response(),
        Err(_) => (status, title.to_string()).into_response(),
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        match self.0 {
            AppError::Unauthorized => Redirect::to("/login").into_response(),
            // People read the reasons, not the field ids (each detail names its field in Chinese).
            AppError::Invalid(f) => {
                let details: Vec<&str> = f.0.iter().map(|e| e.detail.as_str()).collect();
                error_page(StatusCode::UNPROCESSABLE_ENTITY, Some(details.join("；")))
            }
            AppError::Conflict(f) => error_page(StatusCode::CONFLICT, Some(f.detail)),
            // A coded answer carries its own words (a 500 too: e.g. the certificate fonts are not installed).
            AppError::Coded(s, f) => error_page(s, Some(f.detail)),
            ref e @ (AppError::BadRequest(_) | AppError::Locked(_) | AppError::RateLimited { .. }) => {
                let msg = e.items().first().map(|i| i.detail.clone());
                error_page(e.status(), msg)
            }
            e => error_page(e.status(), None),
        }
    }
}

/// An error and its causes on one line, for the log (never shown to people).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
