//! Users over the API (R1, R2).

use super::orgs::Created;
use super::{ApiJson, PageView};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::PageReq;
use store::users::{UserChange, UserInput, UserQuery, UserView};
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
pub struct UserListParams {
    /// Username or name contains.
    q: Option<String>,
    role: Option<String>,
    org_id: Option<i64>,
    /// `active` or `disabled`.
    status: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// Users in the caller's scope.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserListParams), responses((status = 200, body = PageView<UserView>), (status = 403, body = super::ErrorEnvelope)))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<UserListParams>,
) -> Result<Json<PageView<UserView>>, ApiError> {
    let query = UserQuery { q: q.q, role: q.role, org_id: q.org_id, status: q.status };
    Ok(Json(state.store.list_users(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// Create a user with roles the caller may grant; the user must change the password at first sign-in.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserInput, responses((status = 201, body = Created), (status = 422, body = super::ErrorEnvelope), (status = 403, body = super::ErrorEnvelope)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(input): ApiJson<UserInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.store.create_user(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One user (404 when outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), responses((status = 200, body = UserView), (status = 404, body = super::ErrorEnvelope)))]
pub async fn get_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<UserView>, ApiError> {
    Ok(Json(state.store.get_user(&caller.principal, id).await?))
}

/// Change a user's name, phone, roles or status.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = UserChange, responses((status = 204), (status = 422, body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)))]
pub async fn update_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<UserChange>,
) -> Result<StatusCode, ApiError> {
    state.store.update_user(&caller.principal, id, &change, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
