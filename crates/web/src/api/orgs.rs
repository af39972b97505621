//! Organisations over the API (R1, R2): the same store calls as the pages, so the same scope and rules.

use super::{ApiJson, PageView};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::PageReq;
use store::orgs::{OrgInput, OrgQuery, OrgView};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
pub struct OrgListParams {
    /// Name or credit code contains.
    q: Option<String>,
    /// `station`, `devunit`, `other`, `city_center`, `province_center`.
    kind: Option<String>,
    /// City region code, e.g. 430100.
    city: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// Organisations in the caller's scope.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs", params(OrgListParams), responses((status = 200, body = PageView<OrgView>), (status = 403, body = super::ErrorEnvelope)))]
pub async fn list_orgs(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<OrgListParams>,
) -> Result<Json<PageView<OrgView>>, ApiError> {
    let query = OrgQuery { q: q.q, kind: q.kind, city: q.city };
    Ok(Json(state.store.list_orgs(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Register a station, development unit or other institution.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = OrgInput, responses((status = 201, body = Created), (status = 422, body = super::ErrorEnvelope), (status = 403, body = super::ErrorEnvelope)))]
pub async fn create_org(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.store.create_org(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One organisation (404 when outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)), responses((status = 200, body = OrgView), (status = 404, body = super::ErrorEnvelope)))]
pub async fn get_org(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<OrgView>, ApiError> {
    Ok(Json(state.store.get_org(&caller.principal, id).await?))
}

/// Replace an organisation's facts.
#[utoipa::path(put, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)), request_body = OrgInput, responses((status = 204), (status = 422, body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)))]
pub async fn update_org(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<StatusCode, ApiError> {
    state.store.update_org(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
