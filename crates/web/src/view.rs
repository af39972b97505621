//! Shared pieces of the staff pages: the layout (top bar, menu by role, breadcrumbs), pagers, the
//! session's one-time message, form errors, the answer to a form post (redirect with its notice, or
//! the form again with its errors) and CSV exports. User-facing strings of these pieces live here; the menu entries and the notices' texts come
//! from the areas (`crate::areas`).

use crate::error::PageError;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::org::Principal;
use domain::{FieldError, FieldErrors};
use store::auth::Flash;
use store::{Page, StoreError};

pub struct MenuItem {
    pub label: &'static str,
    pub href: &'static str,
    pub active: bool,
}

pub struct Crumb {
    pub label: String,
    pub href: String,
}

/// What every staff page shows around its content.
pub struct Layout {
    pub title: String,
    pub system_name: String,
    pub user_name: String,
    pub org_name: String,
    pub roles: String,
    pub csrf: String,
    pub menu: Vec<MenuItem>,
    pub crumbs: Vec<Crumb>,
    /// The session's one-time notice (green) or error (red), shown once.
    pub notice: Option<String>,
    pub error: Option<String>,
}

impl Layout {
    /// The layout of a staff page; it takes the session's one-time message, if any, to show it.
    pub fn new(staff: &crate::auth::Staff, system_name: &str, title: &str, active: &str) -> Self {
        let mut layout = Self::for_principal(&staff.principal, &staff.csrf, system_name, title, active);
        match staff.flash.take() {
            Some(Flash::Notice(t)) => layout.notice = Some(t),
            Some(Flash::Error(t)) => layout.error = Some(t),
            None => {}
        }
        layout
    }

    pub fn for_principal(p: &Principal, csrf: &str, system_name: &str, title: &str, active: &str) -> Self {
        let menu = crate::areas::menu_for(p)
            .into_iter()
            .map(|e| MenuItem { label: e.label, href: e.href, active: e.href == active })
            .collect();
        Layout {
            title: title.to_string(),
            system_name: system_name.to_string(),
            user_name: p.display_name.clone(),
            org_name: p.org_name.clone(),
            roles: p.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
            csrf: csrf.to_string(),
            menu,
            crumbs: vec![Crumb { label: "工作台".into(), href: "/home".into() }],
            notice: None,
            error: None,
        }
    }

    pub fn crumb(mut self, label: &str, href: &str) -> Self {
        self.crumbs.push(Crumb { label: label.into(), href: href.into() });
        self
    }
}

/// Where a step that succeeded leads, and the notice the next page shows once (kept on the server:
/// `auth::SetFlash`). `From<String>` is a redirect without a notice.
pub struct Done {
    to: String,
    flash: Option<Flash>,
}

/// A redirect to `to` whose page then says the text of the notice `code` (an area's `notices`).
pub fn done(to: impl Into<String>, code: &str) -> Done {
    let text = crate::areas::notice_text(code);
    debug_assert!(text.is_some(), "notice {code} is registered by no area");
    Done { to: to.into(), flash: text.map(|t| Flash::Notice(t.to_string())) }
}

/// A redirect to `to` whose page then shows why something was refused (red, once).
pub fn back_with_error(to: impl Into<String>, reason: String) -> Response {
    Done { to: to.into(), flash: Some(Flash::Error(reason)) }.into_response()
}

impl From<String> for Done {
    fn from(to: String) -> Self {
        Done { to, flash: None }
    }
}

impl IntoResponse for Done {
    fn into_response(self) -> Response {
        let mut resp = Redirect::to(&self.to).into_response();
        if let Some(f) = self.flash {
            resp.extensions_mut().insert(crate::auth::SetFlash(f));
        }
        resp
    }
}

/// Field errors as the templates read them.
#[derive(Default)]
pub struct Errors(pub FieldErrors);

impl Errors {
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map(|e| e.detail.as_str()).unwrap_or("")
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.get(field).is_some()
    }
    pub fn cls(&self, field: &str) -> &'static str {
        if self.has(field) { "invalid" } else { "" }
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
    pub fn all(&self) -> Vec<String> {
        self.0.0.iter().map(|e| e.detail.clone()).collect()
    }
}

/// Why the store refused what a form asked: a field (422) or the record's state (409).
pub enum Refusal {
    Invalid(FieldErrors),
    Conflict(FieldError),
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::Conflict(_) => StatusCode::CONFLICT,
        }
    }

    /// The errors to show on the form (a conflict names its field, or none).
    pub fn into_errors(self) -> FieldErrors {
        match self {
            Refusal::Invalid(errors) => errors,
            Refusal::Conflict(e) => FieldErrors::from(e),
        }
    }
}

/// The answer to a form post the store checked: once accepted, the redirect `done(value)` (with its
/// notice, see [`done`]); refused
/// as invalid, the page of the form again — what was typed, each error beside its field — with 422;
/// any other error as an error page (a conflict: 409 with its reason).
pub async fn redirect_or_form<T, D: Into<Done>, P, Fut>(
    result: Result<T, StoreError>,
    done: impl FnOnce(T) -> D,
    form: impl FnOnce(FieldErrors) -> Fut,
) -> Result<Response, PageError>
where
    Fut: Future<Output = Result<P, PageError>>,
    P: IntoResponse,
{
    answer(result, done, false, |r| form(r.into_errors())).await
}

/// As [`redirect_or_form`], and a refusal because of the record's state shows the page again too
/// (409), for pages that say why beside the step that was refused.
pub async fn redirect_or_refusal<T, D: Into<Done>, P, Fut>(
    result: Result<T, StoreError>,
    done: impl FnOnce(T) -> D,
    page: impl FnOnce(Refusal) -> Fut,
) -> Result<Response, PageError>
where
    Fut: Future<Output = Result<P, PageError>>,
    P: IntoResponse,
{
    answer(result, done, true, page).await
}

async fn answer<T, D: Into<Done>, P, Fut>(
    result: Result<T, StoreError>,
    done: impl FnOnce(T) -> D,
    conflicts: bool,
    page: impl FnOnce(Refusal) -> Fut,
) -> Result<Response, PageError>
where
    Fut: Future<Output = Result<P, PageError>>,
    P: IntoResponse,
{
    let refusal = match result {
        Ok(v) => return Ok(done(v).into().into_response()),
        Err(StoreError::Invalid(errors)) => Refusal::Invalid(errors),
        Err(StoreError::Conflict(e)) if conflicts => Refusal::Conflict(e),
        Err(e) => return Err(e.into()),
    };
    let status = refusal.status();
    Ok((status, page(refusal).await?).into_response())
}

/// A pager under a list: links keep the filter query.
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn of<T>(page: &Page<T>, base: &str, query: &str) -> Self {
        let link = |n: u64| {
            let sep = if query.is_empty() { "" } else { "&" };
            format!("{base}?{query}{sep}page={n}")
        };
        let pages = page.pages();
        Pager {
            page: page.page,
            pages,
            total: page.total,
            // A page past the end (an address typed by hand) leads back to the last one.
            prev: (page.page > 1).then(|| link((page.page - 1).min(pages))),
            next: (page.page < pages).then(|| link(page.page + 1)),
        }
    }
}

/// The filter part of a query string, without `page`.
pub fn filter_query(pairs: &[(&str, Option<String>)]) -> String {
    let kept: Vec<(&str, String)> =
        pairs.iter().filter_map(|(k, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (*k, v))).collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

/// A CSV download that Excel on Windows opens correctly (UTF-8 with BOM).
pub fn csv_download(filename: &str, header_row: &[&str], rows: Vec<Vec<String>>) -> Response {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let mut ok = w.write_record(header_row).is_ok();
    for r in rows {
        ok &= w.write_record(&r).is_ok();
    }
    let bytes = w.into_inner().unwrap_or_default();
    if !ok {
        return crate::error::error_page(axum::http::StatusCode::INTERNAL_SERVER_ERROR, None);
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// A date typed as `YYYY-MM-DD` (surrounding spaces ignored).
pub fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s.trim(), &time::format_description::well_known::Iso8601::DATE).ok()
}

/// A stored time as people read it: Asia/Shanghai, `YYYY-MM-DD HH:MM:SS` (the store keeps times typed,
/// in UTC; they become text only here, on their way to a page, an export or an API answer).
pub fn shanghai(t: impl std::borrow::Borrow<time::OffsetDateTime>) -> String {
    let t = t.borrow().to_offset(time::macros::offset!(+8));
    format!("{} {:02}:{:02}:{:02}", t.date(), t.hour(), t.minute(), t.second())
}

/// The day a stored time falls on in Asia/Shanghai (an issue date, a report date).
pub fn shanghai_date(t: impl std::borrow::Borrow<time::OffsetDateTime>) -> time::Date {
    t.borrow().to_offset(time::macros::offset!(+8)).date()
}

/// [`shanghai`], or an empty string for no time.
pub fn shanghai_opt(t: impl std::borrow::Borrow<Option<time::OffsetDateTime>>) -> String {
    t.borrow().map(shanghai).unwrap_or_default()
}

/// A date as `YYYY-MM-DD`, or an empty string for none.
pub fn date_opt(d: impl std::borrow::Borrow<Option<time::Date>>) -> String {
    d.borrow().map(|d| d.to_string()).unwrap_or_default()
}

/// A list filter's value as typed in the address (`?status=active`): empty is no filter; a value that
/// is not one of the type's ids is refused naming the field, never read as "no filter".
pub fn filter_value<T>(field: &str, label: &str, raw: Option<&str>) -> Result<Option<T>, crate::error::AppError>
where
    T: std::str::FromStr,
{
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            crate::error::AppError::Invalid(FieldErrors::from(domain::FieldError::new(
                field,
                "FILTER_INVALID",
                format!("筛选条件「{label}」的取值无效，请从列表中选择"),
            )))
        }),
    }
}
