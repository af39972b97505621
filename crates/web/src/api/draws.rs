//! Draws over the API (P4, S4): every step of the page, plus the public record.

use super::orgs::Created;
use super::{ApiJson, PageView};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, AppError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::draws::{DrawInput, DrawSummary, DrawView, ReviewView};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct PageParams {
    page: Option<u64>,
    per_page: Option<u64>,
}

/// Draws, newest first (province staff).
#[utoipa::path(get, path = "/api/v1/draws", tag = "draws", params(PageParams), responses((status = 200, body = PageView<DrawSummary>), (status = 403, body = super::ErrorEnvelope)))]
pub async fn list_draws(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<PageParams>,
) -> Result<Json<PageView<DrawSummary>>, ApiError> {
    Ok(Json(state.store.list_draws(&caller.principal, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// Step 1: snapshot the eligible pool and commit to a sealed seed. 409 `DRAW_NOT_ENOUGH` says how many
/// were eligible and why the rest were excluded.
#[utoipa::path(post, path = "/api/v1/draws", tag = "draws", request_body = DrawInput,
    responses((status = 201, body = Created), (status = 409, description = "DRAW_NOT_ENOUGH", body = super::ErrorEnvelope), (status = 422, body = super::ErrorEnvelope), (status = 403, body = super::ErrorEnvelope)))]
pub async fn commit_draw(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<DrawInput>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    if !caller.principal.can(domain::authz::Action::RunDraws) {
        return Err(ApiError(AppError::Forbidden));
    }
    let ApiJson(input) = body?;
    let id = state.store.commit_draw(&caller.principal, &input, None, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A draw (names sealed for other viewers until the review starts).
#[utoipa::path(get, path = "/api/v1/draws/{id}", tag = "draws", params(("id" = i64, Path)), responses((status = 200, body = DrawView), (status = 404, body = super::ErrorEnvelope)))]
pub async fn get_draw(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<DrawView>, ApiError> {
    Ok(Json(state.store.get_draw(&caller.principal, id, &caller.ctx).await?))
}

/// Step 2: draw the group from the committed pool and seed.
#[utoipa::path(post, path = "/api/v1/draws/{id}/draw", tag = "draws", params(("id" = i64, Path)), responses((status = 204), (status = 409, body = super::ErrorEnvelope), (status = 404, body = super::ErrorEnvelope)))]
pub async fn perform_draw(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.store.perform_draw(&caller.principal, id, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct DeclineInput {
    pub expert_id: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeclineResult {
    /// The replacement drawn from the same sequence; null when the pool is used up.
    pub replacement_expert_id: Option<i64>,
}

/// A drawn expert declines; the replacement is the next element of the committed sequence.
#[utoipa::path(post, path = "/api/v1/draws/{id}/declines", tag = "draws", params(("id" = i64, Path)), request_body = DeclineInput,
    responses((status = 200, body = DeclineResult), (status = 422, body = super::ErrorEnvelope), (status = 409, body = super::ErrorEnvelope)))]
pub async fn decline_draw(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(d): ApiJson<DeclineInput>,
) -> Result<Json<DeclineResult>, ApiError> {
    let r = state.store.decline_draw(&caller.principal, id, d.expert_id.unwrap_or(0), &d.reason, &caller.ctx).await?;
    Ok(Json(DeclineResult { replacement_expert_id: r }))
}

/// The review starts: open the seal and reveal the seed.
#[utoipa::path(post, path = "/api/v1/draws/{id}/open", tag = "draws", params(("id" = i64, Path)), responses((status = 204), (status = 409, body = super::ErrorEnvelope)))]
pub async fn open_seal(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state.store.open_draw_seal(&caller.principal, id, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The reviews the calling expert was drawn into, once their seals are open.
#[utoipa::path(get, path = "/api/v1/me/reviews", tag = "draws", responses((status = 200, body = Vec<ReviewView>), (status = 403, body = super::ErrorEnvelope)))]
pub async fn my_reviews(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<Vec<ReviewView>>, ApiError> {
    Ok(Json(state.store.my_reviews(&caller.principal).await?))
}
