//! Path and query parameters (and pages' forms) whose rejections speak Chinese and name the parameter — the error
//! envelope under `/api/`, the error page elsewhere — never serde's or axum's English text. Every
//! handler takes these, not axum's `Path`, `Query` or `Form`; API bodies go through `crate::api::ApiJson`,
//! which explains its errors with the same [`explain`].

use crate::error::{ApiError, AppError, PageError};
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use domain::FieldError;
use serde::de::DeserializeOwned;

/// The parameters of the route's path (`/filings/{id}`), e.g. `Path(id): Path<i64>`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

/// The query string (`?page=2`), e.g. `Query(q): Query<ListQuery>`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

/// A refused path or query: the envelope on the API, the error page on pages.
#[derive(Debug)]
pub struct Rejection {
    api: bool,
    error: AppError,
}

impl Rejection {
    fn new(parts: &Parts, error: AppError) -> Self {
        Rejection { api: parts.uri.path().starts_with("/api/"), error }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        if self.api { ApiError(self.error).into_response() } else { PageError(self.error).into_response() }
    }
}

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Ok(raw) = RawPathParams::from_request_parts(parts, state).await
            && let Err(e) = crate::input::check_pairs(parts.uri.path(), raw.iter())
        {
            let error = AppError::Coded(StatusCode::BAD_REQUEST, crate::input::first(e));
            return Err(Rejection::new(parts, error));
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(rejection) => {
                let names: Vec<String> = match RawPathParams::from_request_parts(parts, state).await {
                    Ok(raw) => raw.iter().map(|(k, _)| k.to_string()).collect(),
                    Err(_) => Vec::new(),
                };
                Err(Rejection::new(parts, path_error(rejection, &names)))
            }
        }
    }
}

fn path_error(rejection: axum::extract::rejection::PathRejection, names: &[String]) -> AppError {
    use axum::extract::path::ErrorKind;
    use axum::extract::rejection::PathRejection;
    let PathRejection::FailedToDeserializePathParams(e) = rejection else {
        return AppError::Internal(rejection.body_text());
    };
    let name = |i: usize| names.get(i).cloned().unwrap_or_default();
    let (key, reason) = match e.into_kind() {
        ErrorKind::ParseErrorAtKey { key, expected_type, .. } => (key, expected_reason(expected_type)),
        ErrorKind::ParseErrorAtIndex { index, expected_type, .. } => (name(index), expected_reason(expected_type)),
        ErrorKind::ParseError { expected_type, .. } => (name(0), expected_reason(expected_type)),
        ErrorKind::InvalidUtf8InPathParam { key } => (key, "含有无法识别的字符".to_string()),
        ErrorKind::DeserializeError { key, .. } => (key, "的取值无效".to_string()),
        // The route and the handler's type disagree: a defect of the program, not of the request.
        other => return AppError::Internal(format!("path parameters: {other}")),
    };
    let detail = format!("地址中的参数「{key}」{reason}");
    AppError::Coded(StatusCode::BAD_REQUEST, FieldError::new(key, "PATH_PARAM_INVALID", detail))
}

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: Vec<_> = form_urlencoded::parse(query.as_bytes()).collect();
        if let Err(e) = crate::input::check_pairs(parts.uri.path(), pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
        {
            let error = AppError::Coded(StatusCode::BAD_REQUEST, crate::input::first(e));
            return Err(Rejection::new(parts, error));
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        match serde_path_to_error::deserialize(de) {
            Ok(v) => Ok(Query(v)),
            Err(e) => {
                let path = path_of(e.path());
                let why = explain(&path, &e.inner().to_string());
                let code = if why.missing { "QUERY_PARAM_MISSING" } else { "QUERY_PARAM_INVALID" };
                let detail = format!("查询参数「{}」{}", why.field, why.reason);
                let error = AppError::Coded(StatusCode::BAD_REQUEST, FieldError::new(why.field, code, detail));
                Err(Rejection::new(parts, error))
            }
        }
    }
}

/// A page's form body (`application/x-www-form-urlencoded`, repeated keys into a `Vec`), e.g.
/// `Form(f): Form<OrgForm>`. Forms read every field as text with a default, so a refusal is about the
/// request itself: another content type (415), too large (413) or a body that is not a form (422), each
/// as the Chinese error page. A value with a forbidden character (`crate::input`) is refused with a
/// field error naming it (422) before the form is read into `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let path = req.uri().path().to_owned();
        let bytes = match axum::extract::RawForm::from_request(req, state).await {
            Ok(axum::extract::RawForm(bytes)) => bytes,
            Err(e) => {
                return Err(PageError(match e.status() {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
                    StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
                    _ => AppError::BadRequest("无法读取提交的表单，请返回上一页重试".into()),
                }));
            }
        };
        let pairs: Vec<_> = form_urlencoded::parse(&bytes).collect();
        crate::input::check_pairs(&path, pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))?;
        // Repeated keys into a `Vec`, as axum_extra's `Form` reads them.
        let de = serde_html_form::Deserializer::new(form_urlencoded::parse(&bytes));
        match serde_path_to_error::deserialize(de) {
            Ok(v) => Ok(Form(v)),
            Err(_) => Err(PageError(AppError::Invalid(
                FieldError::new("", "FORM_INVALID", "提交的表单内容无法识别，请返回上一页检查后重试").into(),
            ))),
        }
    }
}

/// A serde path as a field name: `members[0].name`, empty for the whole value.
pub(crate) fn path_of(path: &serde_path_to_error::Path) -> String {
    if path.iter().next().is_none() { String::new() } else { path.to_string() }
}

/// Why a value did not deserialize, in Chinese, and which field it is about.
pub(crate) struct Explained {
    /// The field (a missing or unknown one named by serde's message joined to the path).
    pub field: String,
    /// A phrase following the field's name, e.g. `应为整数`.
    pub reason: String,
    /// The field was required and not given.
    pub missing: bool,
}

/// Translate serde's message (`missing field `x``, `invalid type: …, expected i64`, a number that does
/// not parse, a domain type's own Chinese message …) about the value at `path`.
pub(crate) fn explain(path: &str, message: &str) -> Explained {
    // serde_json adds the position; people need the field, which the path gives.
    let msg = message.rsplit_once(" at line ").map_or(message, |(m, _)| m);
    let join = |name: &str| if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
    let quoted = |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    let done = |field: String, reason: String, missing: bool| Explained { field, reason, missing };
    if let Some(rest) = msg.strip_prefix("missing field ") {
        let name = quoted(rest).into_iter().next().unwrap_or_default();
        return done(join(&name), "为必填项，请求中没有".into(), true);
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let name = quoted(rest).into_iter().next().unwrap_or_default();
        return done(join(&name), "不是可接受的字段".into(), false);
    }
    let field = path.to_string();
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let allowed = rest.split_once("expected").map(|(_, e)| quoted(e)).unwrap_or_default();
        let reason = if allowed.is_empty() {
            "的取值无效".to_string()
        } else {
            format!("的取值无效，可选值：{}", allowed.join("、"))
        };
        return done(field, reason, false);
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let expected = rest.split_once(", expected ").map_or("", |(_, e)| e);
        return done(field, expected_reason(expected), false);
    }
    if msg.starts_with("invalid value: integer") || msg.starts_with("number too") {
        return done(field, "超出允许的范围".into(), false);
    }
    if msg.starts_with("invalid digit") || msg.starts_with("cannot parse integer") {
        return done(field, "应为整数".into(), false);
    }
    if msg.starts_with("invalid float") {
        return done(field, "应为数字".into(), false);
    }
    if msg.contains("`true` or `false`") {
        return done(field, "应为 true 或 false".into(), false);
    }
    if msg.starts_with("invalid length") {
        return done(field, "的项数不正确".into(), false);
    }
    // A domain type's own message is Chinese already (an ID number, an amount …); anything else is not.
    if msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        return done(field, format!("的取值无效：{msg}"), false);
    }
    done(field, "的取值无效".into(), false)
}

/// What a value should have been, from the Rust or serde name of the expected type.
fn expected_reason(expected: &str) -> String {
    let e = expected.trim();
    let reason = if ["i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128", "isize", "usize"]
        .contains(&e)
        || e.contains("integer")
    {
        "应为整数"
    } else if e.starts_with("f32") || e.starts_with("f64") || e.contains("float") || e.contains("number") {
        "应为数字"
    } else if e.contains("bool") {
        "应为 true 或 false"
    } else if e.contains("string") || e == "String" || e == "char" {
        "应为文本"
    } else if e.contains("sequence") || e.contains("tuple") || e.starts_with("a vec") {
        "应为列表"
    } else if e.contains("struct") || e.contains("map") {
        "应为对象"
    } else {
        "的类型不正确"
    };
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn serde_messages_become_chinese_and_name_the_field() {
        let e = explain("", "missing field `name` at line 1 column 2");
        assert_eq!((e.field.as_str(), e.missing), ("name", true));
        let e = explain("members[0]", "missing field `name`");
        assert_eq!(e.field, "members[0].name");
        assert_eq!(explain("page", "invalid digit found in string").reason, "应为整数");
        assert_eq!(explain("page", "number too large to fit in target type").reason, "超出允许的范围");
        assert_eq!(
            explain("kind", "invalid type: integer `3`, expected a string at line 1 column 9").reason,
            "应为文本"
        );
        let e = explain("kind", "unknown variant `x`, expected one of `station`, `devunit`");
        assert_eq!(e.reason, "的取值无效，可选值：station、devunit");
        assert_eq!(explain("amount", "金额格式错误").reason, "的取值无效：金额格式错误");
        assert_eq!(explain("role", "unknown Role value: \"root\"").reason, "的取值无效");
    }

    #[test]
    fn every_handler_takes_these_extractors_not_axums() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("read");
                    for line in text.lines().filter(|l| l.contains("axum::") || l.contains("axum_extra::")) {
                        let uses = ["extract::Path", "extract::Query", "extract::Form", "axum::Form"]
                            .iter()
                            .any(|t| line.contains(t));
                        let listed = line.contains("extract::{")
                            && line.split(['{', '}', ',']).any(|i| matches!(i.trim(), "Path" | "Query" | "Form"));
                        if uses || listed {
                            found.push(format!("{}: {line}", path.display()));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/areas"), &mut found);
        assert!(found.is_empty(), "use crate::extract::{{Form, Path, Query}}: {found:#?}");
    }
}
