//! Organisations and users over the API (R1, R2): the same store calls as the pages, so the same scope
//! and rules. The request and response bodies are this module's (`OrgViewDto` …), converted from and
//! into the store's types; their OpenAPI schemas keep the names `OrgView`, `OrgInput` ….

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::org::Role;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::orgs::{OrgInput, OrgQuery, OrgView};
use store::users::{UserChange, UserInput, UserQuery, UserView};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct OrgListParams {
    /// Name or credit code contains.
    q: Option<String>,
    /// `station`, `devunit`, `other`, `city_center`, `province_center`.
    kind: Option<String>,
    /// City region code, e.g. 430100.
    city: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// Organisations in the caller's scope.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs", params(OrgListParams), responses((status = 200, body = PageView<OrgViewDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_orgs(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<OrgListParams>,
) -> Result<Json<PageView<OrgViewDto>>, ApiError> {
    let query = OrgQuery { q: q.q, kind: q.kind, city: q.city };
    Ok(Json(state.store.list_orgs(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// Register a station, development unit or other institution.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = OrgInputDto, responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_org(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(input): ApiJson<OrgInputDto>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.store.create_org(&caller.principal, &input.into(), &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One organisation (404 when outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)), responses((status = 200, body = OrgViewDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_org(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<OrgViewDto>, ApiError> {
    Ok(Json(state.store.get_org(&caller.principal, id).await?.into()))
}

/// Replace an organisation's facts.
#[utoipa::path(put, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)), request_body = OrgInputDto, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
    (status = 409, description = "冲突：省、市州鉴定中心为系统预置机构，不能修改（ORG_KIND_SEEDED）", body = ErrorEnvelope)))]
pub async fn update_org(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OrgInputDto>,
) -> Result<StatusCode, ApiError> {
    state.store.update_org(&caller.principal, id, &input.into(), &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct UserListParams {
    /// Username or name contains.
    q: Option<String>,
    role: Option<String>,
    org_id: Option<i64>,
    /// `active` or `disabled`.
    status: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// Users in the caller's scope.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserListParams), responses((status = 200, body = PageView<UserViewDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<UserListParams>,
) -> Result<Json<PageView<UserViewDto>>, ApiError> {
    let query = UserQuery { q: q.q, role: q.role, org_id: q.org_id, status: q.status };
    Ok(Json(state.store.list_users(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// Create a user with roles the caller may grant; the user must change the password at first sign-in.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserInputDto, responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(input): ApiJson<UserInputDto>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.store.create_user(&caller.principal, &input.into(), &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One user (404 when outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), responses((status = 200, body = UserViewDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<UserViewDto>, ApiError> {
    Ok(Json(state.store.get_user(&caller.principal, id).await?.into()))
}

/// Change a user's name, phone, roles or status.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = UserChangeDto, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn update_user(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<UserChangeDto>,
) -> Result<StatusCode, ApiError> {
    state.store.update_user(&caller.principal, id, &change.into(), &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- bodies ------------------------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
#[schema(as = OrgView)]
pub struct OrgViewDto {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub nature: Option<String>,
    pub nature_label: String,
    pub credit_code: Option<String>,
    pub credit_code_warning: bool,
    pub region_code: String,
    pub city_code: Option<String>,
    pub city_name: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub status: String,
    pub created_at: String,
}

impl From<OrgView> for OrgViewDto {
    fn from(o: OrgView) -> Self {
        OrgViewDto {
            id: o.id,
            name: o.name,
            kind: o.kind.id().to_string(),
            kind_label: o.kind_label,
            nature: o.nature.map(|n| n.id().to_string()),
            nature_label: o.nature_label,
            credit_code: o.credit_code,
            credit_code_warning: o.credit_code_warning,
            region_code: o.region_code,
            city_code: o.city_code,
            city_name: o.city_name,
            address: o.address,
            contact_name: o.contact_name,
            contact_phone: o.contact_phone,
            status: o.status.id().to_string(),
            created_at: crate::view::shanghai(o.created_at),
        }
    }
}

/// An organisation as typed into the form or API body.
#[derive(Deserialize, ToSchema)]
#[schema(as = OrgInput)]
pub struct OrgInputDto {
    #[serde(default)]
    #[schema(required = true)]
    pub name: String,
    #[serde(default)]
    #[schema(required = true)]
    pub kind: String,
    #[serde(default)]
    pub nature: String,
    #[serde(default)]
    pub credit_code: String,
    /// Accept a credit code whose check character fails (early pilot codes), province only.
    #[serde(default)]
    pub accept_credit_warning: bool,
    #[serde(default)]
    #[schema(required = true)]
    pub region_code: String,
    #[serde(default)]
    #[schema(required = true)]
    pub address: String,
    #[serde(default)]
    #[schema(required = true)]
    pub contact_name: String,
    #[serde(default)]
    #[schema(required = true)]
    pub contact_phone: String,
}

impl From<OrgInputDto> for OrgInput {
    fn from(o: OrgInputDto) -> Self {
        OrgInput {
            name: o.name,
            kind: o.kind,
            nature: o.nature,
            credit_code: o.credit_code,
            accept_credit_warning: o.accept_credit_warning,
            region_code: o.region_code,
            address: o.address,
            contact_name: o.contact_name,
            contact_phone: o.contact_phone,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = UserView)]
pub struct UserViewDto {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub org_id: i64,
    pub org_name: String,
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<Role>,
    pub role_labels: String,
    pub scope: String,
    pub status: String,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub phone: String,
    pub id_number_masked: String,
    pub last_login_at: String,
    pub created_at: String,
}

impl From<UserView> for UserViewDto {
    fn from(u: UserView) -> Self {
        UserViewDto {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            org_id: u.org_id,
            org_name: u.org_name,
            roles: u.roles,
            role_labels: u.role_labels,
            scope: u.scope,
            status: u.status.id().to_string(),
            must_change_password: u.must_change_password,
            totp_enabled: u.totp_enabled,
            phone: u.phone,
            id_number_masked: u.id_number_masked,
            last_login_at: crate::view::shanghai_opt(u.last_login_at),
            created_at: crate::view::shanghai(u.created_at),
        }
    }
}

/// A user as typed into the form or API body.
#[derive(Deserialize, ToSchema)]
#[schema(as = UserInput)]
pub struct UserInputDto {
    #[serde(default)]
    #[schema(required = true)]
    pub username: String,
    #[serde(default)]
    #[schema(required = true)]
    pub display_name: String,
    #[schema(required = true)]
    pub org_id: Option<i64>,
    #[serde(default)]
    #[schema(required = true)]
    pub roles: Vec<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub password: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub id_number: String,
}

impl From<UserInputDto> for UserInput {
    fn from(u: UserInputDto) -> Self {
        UserInput {
            username: u.username,
            display_name: u.display_name,
            org_id: u.org_id,
            roles: u.roles,
            password: u.password,
            phone: u.phone,
            id_number: u.id_number,
        }
    }
}

/// Changes an administrator may make to a user.
#[derive(Deserialize, ToSchema)]
#[schema(as = UserChange)]
pub struct UserChangeDto {
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub roles: Option<Vec<String>>,
    pub status: Option<String>,
}

impl From<UserChangeDto> for UserChange {
    fn from(c: UserChangeDto) -> Self {
        UserChange { display_name: c.display_name, phone: c.phone, roles: c.roles, status: c.status }
    }
}
