//! The expert committee over the API (P5).

use super::orgs::Created;
use super::{ApiJson, PageView};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::experts::{ExpertDetail, ExpertInput, ExpertQuery, ExpertView};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ExpertListParams {
    /// Name or employer contains.
    q: Option<String>,
    /// City region code, e.g. 430100.
    city: Option<String>,
    specialty: Option<String>,
    /// `active`, `suspended` or `retired`.
    status: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// The expert registry (province staff).
#[utoipa::path(get, path = "/api/v1/experts", tag = "experts", params(ExpertListParams), responses((status = 200, body = PageView<ExpertView>), (status = 403, body = super::ErrorEnvelope)))]
pub async fn list_experts(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<ExpertListParams>,
) -> Result<Json<PageView<ExpertView>>, ApiError> {
    let query = ExpertQuery { q: q.q, city: q.city, specialty: q.specialty, status: q.status };
    Ok(Json(state.store.list_experts(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// Add an expert to the committee.
#[utoipa::path(post, path = "/api/v1/experts", tag = "experts", request_body = ExpertInput, responses((status = 201, body = Created), (status = 422, body = super::ErrorEnvelope), (status = 403, body = super::ErrorEnvelope)))]
pub async fn create_expert(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(input): ApiJson<ExpertInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.store.create_expert(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One expert with declared conflicts and former employers.
#[utoipa::path(get, path = "/api/v1/experts/{id}", tag = "experts", params(("id" = i64, Path)), responses((status = 200, body = ExpertDetail), (status = 404, body = super::ErrorEnvelope)))]
pub async fn get_expert(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<ExpertDetail>, ApiError> {
    Ok(Json(state.store.get_expert(&caller.principal, id).await?))
}

/// Replace an expert's facts (a blank `id_number` keeps the stored one).
#[utoipa::path(put, path = "/api/v1/experts/{id}", tag = "experts", params(("id" = i64, Path)), request_body = ExpertInput, responses((status = 204), (status = 422, body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)))]
pub async fn update_expert(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ExpertInput>,
) -> Result<StatusCode, ApiError> {
    state.store.update_expert(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ConflictInput {
    pub org_id: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

/// Declare a conflict with an organisation (recusal in its draws).
#[utoipa::path(post, path = "/api/v1/experts/{id}/conflicts", tag = "experts", params(("id" = i64, Path)), request_body = ConflictInput, responses((status = 204), (status = 422, body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)))]
pub async fn declare_conflict(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(c): ApiJson<ConflictInput>,
) -> Result<StatusCode, ApiError> {
    let Some(org) = c.org_id else {
        if !caller.principal.can(domain::authz::Action::ManageExperts) {
            return Err(ApiError(crate::error::AppError::Forbidden));
        }
        return Err(super::invalid("org_id", "REQUIRED", "请选择回避的机构"));
    };
    state.store.declare_conflict(&caller.principal, id, org, &c.reason, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct EmploymentInput {
    pub org_id: Option<i64>,
    /// Last day employed, `YYYY-MM-DD`.
    #[serde(default, with = "domain::calendar::ymd::option")]
    pub until: Option<time::Date>,
}

/// Record a former employer (recusal within the policy's look-back years).
#[utoipa::path(post, path = "/api/v1/experts/{id}/past-employers", tag = "experts", params(("id" = i64, Path)), request_body = EmploymentInput, responses((status = 204), (status = 422, body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)))]
pub async fn add_past_employment(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(e): ApiJson<EmploymentInput>,
) -> Result<StatusCode, ApiError> {
    if !caller.principal.can(domain::authz::Action::ManageExperts) {
        return Err(ApiError(crate::error::AppError::Forbidden));
    }
    match (e.org_id, e.until) {
        (Some(org), Some(until)) => {
            state.store.add_past_employment(&caller.principal, id, org, until, &caller.ctx).await?;
            Ok(StatusCode::NO_CONTENT)
        }
        (None, _) => Err(super::invalid("org_id", "REQUIRED", "请选择曾任职的机构")),
        (_, None) => Err(super::invalid("until", "REQUIRED", "请填写离职日期")),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Imported {
    pub rows: usize,
}

/// Import experts all-or-nothing; errors name the row (2 = first data row) and field as `row:field`.
#[utoipa::path(post, path = "/api/v1/experts/import", tag = "experts", request_body = Vec<ExpertInput>, responses((status = 201, body = Imported), (status = 422, body = super::ErrorEnvelope), (status = 403, body = super::ErrorEnvelope)))]
pub async fn import_experts(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<Vec<ExpertInput>>, ApiError>,
) -> Result<(StatusCode, Json<Imported>), ApiError> {
    // Authorization before validation: a caller without the right learns nothing about the body.
    if !caller.principal.can(domain::authz::Action::ManageExperts) {
        return Err(ApiError(crate::error::AppError::Forbidden));
    }
    let ApiJson(rows) = body?;
    let n = state.store.import_experts(&caller.principal, &rows, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Imported { rows: n })))
}
