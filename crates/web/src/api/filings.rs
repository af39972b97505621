//! Station filing over the API (S1–S5): every step of the procedure, so integrations and scripted
//! checks can run it without the UI; the public station directory (S5).

use super::orgs::Created;
use super::{ApiJson, PageView};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::stations::{ApplicationInput, FindingsInput};
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::filings::{FilingActionInput, FilingDetail, FilingQuery, FilingSummary, StationListing};
use utoipa::{IntoParams, ToSchema};

/// S4: what the calling group member signed last time (null before the first time); 404 for anyone
/// who is not a member of the filing's opened evaluation group.
#[utoipa::path(get, path = "/api/v1/filings/{id}/findings", tag = "filings", params(("id" = i64, Path)),
    responses((status = 200, body = Object, description = "FindingsInput or null"), (status = 404, body = super::ErrorEnvelope)))]
pub async fn own_findings(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Option<FindingsInput>>, ApiError> {
    Ok(Json(state.store.own_findings(&caller.principal, id).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct FilingListParams {
    /// A state id, e.g. `submitted`.
    state: Option<String>,
    /// Institution name contains.
    q: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// Filings in the caller's scope: a station its own, a city those routed to it, the province all.
#[utoipa::path(get, path = "/api/v1/filings", tag = "filings", params(FilingListParams), responses((status = 200, body = PageView<FilingSummary>), (status = 403, body = super::ErrorEnvelope)))]
pub async fn list_filings(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<FilingListParams>,
) -> Result<Json<PageView<FilingSummary>>, ApiError> {
    let query = FilingQuery { state: q.state, q: q.q };
    Ok(Json(state.store.list_filings(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// Save an annex-1 application (a draft until submitted); every field is checked.
#[utoipa::path(post, path = "/api/v1/filings", tag = "filings", request_body(content = Object, description = "ApplicationInput (annex 1)"),
    responses((status = 201, body = Created), (status = 422, body = super::ErrorEnvelope), (status = 403, body = super::ErrorEnvelope)))]
pub async fn create_filing(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<ApplicationInput>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    if !caller.principal.can(domain::authz::Action::ApplyFiling) {
        return Err(ApiError(AppError::Forbidden));
    }
    let ApiJson(input) = body?;
    let id = state.store.create_filing(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A filing with its plan, findings, timeline and the steps the caller may take now.
#[utoipa::path(get, path = "/api/v1/filings/{id}", tag = "filings", params(("id" = i64, Path)), responses((status = 200, body = FilingDetail), (status = 404, body = super::ErrorEnvelope)))]
pub async fn get_filing(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<FilingDetail>, ApiError> {
    Ok(Json(state.store.get_filing(&caller.principal, id).await?))
}

/// Edit the application while it is a draft or was returned.
#[utoipa::path(put, path = "/api/v1/filings/{id}", tag = "filings", params(("id" = i64, Path)), request_body(content = Object, description = "ApplicationInput (annex 1)"),
    responses((status = 204), (status = 422, body = super::ErrorEnvelope), (status = 409, body = super::ErrorEnvelope)))]
pub async fn update_filing(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<ApplicationInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    if !caller.principal.can(domain::authz::Action::ApplyFiling) {
        // Still 404 outside the scope: ask the store first.
        state.store.get_filing(&caller.principal, id).await?;
        return Err(ApiError(AppError::Forbidden));
    }
    let ApiJson(input) = body?;
    state.store.update_filing(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ActionResult {
    /// The filing's state after the step.
    pub state: String,
}

/// One step: `submit`, `accept`, `return`, `submit_plan` (S3: refused with `EVALUATION_PLAN_TOO_LATE`
/// when fewer than the policy's working days ahead), `approve_plan`, `return_plan`, `draw_group`,
/// `start_evaluation`, `decide`, `suspend`, `reinstate`, `revoke`.
#[utoipa::path(post, path = "/api/v1/filings/{id}/actions", tag = "filings", params(("id" = i64, Path)), request_body = FilingActionInput,
    responses((status = 200, body = ActionResult), (status = 403, body = super::ErrorEnvelope), (status = 409, body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope)))]
pub async fn act_on_filing(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FilingActionInput>,
) -> Result<Json<ActionResult>, ApiError> {
    let s = state.store.act_on_filing(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(Json(ActionResult { state: s.id().to_string() }))
}

/// S4: a member of the evaluation group records findings by the six methods (after the seal opens).
#[utoipa::path(post, path = "/api/v1/filings/{id}/findings", tag = "filings", params(("id" = i64, Path)), request_body(content = Object, description = "FindingsInput"),
    responses((status = 204), (status = 422, body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)))]
pub async fn record_findings(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<FindingsInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    state.store.findings_access(&caller.principal, id).await?;
    let ApiJson(input) = body?;
    state.store.record_findings(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct DirectoryParams {
    /// City region code.
    city: Option<String>,
    /// Name or project contains.
    q: Option<String>,
    /// Page number, from 1.
    page: Option<u64>,
    /// Rows per page (default 20, at most 200).
    per_page: Option<u64>,
}

/// S5: the public directory of filed stations (no sign-in), by institution code.
#[utoipa::path(get, path = "/api/v1/stations", tag = "filings", params(DirectoryParams), security(()), responses((status = 200, body = PageView<StationListing>)))]
pub async fn station_directory(
    State(state): State<AppState>,
    Query(q): Query<DirectoryParams>,
) -> Result<Json<PageView<StationListing>>, ApiError> {
    let page = PageReq::new(q.page, q.per_page);
    Ok(Json(state.store.public_stations(q.city.as_deref(), q.q.as_deref(), page).await?.into()))
}
