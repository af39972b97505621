//! Audit trail, policy (V1) and calendar (S3, E3) over the API.

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView, invalid};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::calendar::ymd;
use domain::calendar::{Holiday, MakeupDay, YearArrangement};
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::audit::AuditQuery;
use time::Date;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub detail: String,
    pub ip: String,
    pub hash_alg: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Deserialize, IntoParams)]
pub struct AuditParams {
    actor: Option<String>,
    /// Prefix of the action, e.g. `auth.`.
    action: Option<String>,
    target: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    from: Option<String>,
    to: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// The audit trail, newest first (audit admin only).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams), responses((status = 200, body = PageView<AuditEntryView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_audit(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<AuditParams>,
) -> Result<Json<PageView<AuditEntryView>>, ApiError> {
    let aq = AuditQuery { actor: q.actor, action: q.action, target: q.target, from: q.from, to: q.to };
    let page = state.store.list_audit(&caller.principal, &aq, PageReq::new(q.page, q.per_page)).await?;
    Ok(Json(PageView {
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        items: page
            .items
            .into_iter()
            .map(|e| AuditEntryView {
                seq: e.seq,
                at: e.at,
                actor: e.actor,
                action: e.action,
                target_kind: e.target_kind,
                target_id: e.target_id,
                detail: e.detail,
                ip: e.ip,
                hash_alg: e.hash_alg,
                prev_hash: e.prev_hash,
                hash: e.hash,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct PolicyView {
    pub key: String,
    pub label: String,
    pub clause: String,
    pub unit: String,
    /// Stored form (money in fen).
    pub value: String,
    /// As people read it (money in 元).
    pub display: String,
    #[serde(with = "ymd")]
    pub effective_from: Date,
    pub version_id: i64,
    pub assumption: bool,
    pub upcoming: Option<UpcomingView>,
}

#[derive(Serialize, ToSchema)]
pub struct UpcomingView {
    pub value: String,
    #[serde(with = "ymd")]
    pub effective_from: Date,
    pub version_id: i64,
}

/// Every policy entry with the version in force today.
#[utoipa::path(get, path = "/api/v1/policy", tag = "policy", responses((status = 200, body = Vec<PolicyView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_policy(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<PolicyView>>, ApiError> {
    let rows = state.store.policy_rows(&caller.principal).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| PolicyView {
                key: r.def.key.into(),
                label: r.def.label.into(),
                clause: r.def.clause.into(),
                unit: r.def.unit.into(),
                value: r.current.value,
                display: r.display,
                effective_from: r.current.effective_from,
                version_id: r.current.version_id,
                assumption: r.def.assumption,
                upcoming: r.upcoming.map(|u| UpcomingView {
                    value: u.value,
                    effective_from: u.effective_from,
                    version_id: u.version_id,
                }),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct NewPolicyVersion {
    /// As people type it (money in 元).
    #[serde(default)]
    #[schema(required = true)]
    pub value: String,
    #[serde(default, with = "ymd::option")]
    pub effective_from: Option<Date>,
    #[serde(default)]
    pub note: String,
}

/// Publish a new version of a policy entry, effective today or later.
#[utoipa::path(post, path = "/api/v1/policy/{key}/versions", tag = "policy", params(("key" = String, Path)), request_body = NewPolicyVersion,
    responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn add_policy_version(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(key): Path<String>,
    ApiJson(v): ApiJson<NewPolicyVersion>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state
        .store
        .add_policy_version(&caller.principal, &key, &v.value, v.effective_from, &v.note, &caller.ctx)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct HolidayView {
    pub name: String,
    #[serde(with = "ymd")]
    pub start: Date,
    #[serde(with = "ymd")]
    pub end: Date,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MakeupDayView {
    #[serde(with = "ymd")]
    pub date: Date,
    #[serde(rename = "for")]
    pub for_name: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct YearView {
    #[serde(default)]
    pub holidays: Vec<HolidayView>,
    #[serde(default)]
    pub workdays: Vec<MakeupDayView>,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarYearView {
    pub year: i32,
    /// `builtin` (the State Council notices shipped with kaohe) or `entered`.
    pub source: String,
    pub arrangement: YearView,
}

/// Loaded years with their holidays and make-up working days.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar", responses((status = 200, body = Vec<CalendarYearView>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_calendar(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Vec<CalendarYearView>>, ApiError> {
    let years = state.store.calendar_years(&caller.principal).await?;
    Ok(Json(
        years
            .into_iter()
            .map(|y| CalendarYearView {
                year: y.year,
                source: y.source.id().to_string(),
                arrangement: YearView {
                    holidays: y
                        .arrangement
                        .holidays
                        .into_iter()
                        .map(|h| HolidayView { name: h.name, start: h.start, end: h.end })
                        .collect(),
                    workdays: y
                        .arrangement
                        .workdays
                        .into_iter()
                        .map(|w| MakeupDayView { date: w.date, for_name: w.for_name })
                        .collect(),
                },
            })
            .collect(),
    ))
}

/// Enter or replace a year's arrangement (province admin).
#[utoipa::path(put, path = "/api/v1/calendar/{year}", tag = "calendar", params(("year" = i32, Path)), request_body = YearView,
    responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn set_calendar_year(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(year): Path<i32>,
    ApiJson(v): ApiJson<YearView>,
) -> Result<StatusCode, ApiError> {
    let arr = YearArrangement {
        holidays: v.holidays.into_iter().map(|h| Holiday { name: h.name, start: h.start, end: h.end }).collect(),
        workdays: v.workdays.into_iter().map(|w| MakeupDay { date: w.date, for_name: w.for_name }).collect(),
    };
    state.store.set_calendar_year(&caller.principal, year, arr, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct AddParams {
    /// `YYYY-MM-DD`.
    #[serde(with = "ymd")]
    from: Date,
    /// Working days to add (0–366).
    days: u32,
}

#[derive(Serialize, ToSchema)]
pub struct WorkingDayView {
    #[serde(with = "ymd")]
    pub from: Date,
    pub days: u32,
    /// The `days`-th working day after `from`.
    #[serde(with = "ymd")]
    pub date: Date,
}

/// The n-th working day after a date; 422 `CALENDAR_YEAR_UNKNOWN` when a year is not loaded.
#[utoipa::path(get, path = "/api/v1/calendar/add-working-days", tag = "calendar", params(AddParams), responses((status = 200, body = WorkingDayView),
    (status = 422, description = "所涉年份的节假日安排尚未录入（CALENDAR_YEAR_UNKNOWN），或工作日数超出 0 至 366（DAYS_RANGE）", body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn add_working_days(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<AddParams>,
) -> Result<Json<WorkingDayView>, ApiError> {
    caller.require(domain::authz::Action::ViewCalendar)?;
    if q.days > 366 {
        return Err(invalid("days", "DAYS_RANGE", "工作日数应为 0 至 366"));
    }
    let cal = state.store.calendar().await?;
    match cal.add_working_days(q.from, q.days) {
        Ok(date) => Ok(Json(WorkingDayView { from: q.from, days: q.days, date })),
        Err(e) => Err(invalid("from", e.code(), &e.to_string())),
    }
}
