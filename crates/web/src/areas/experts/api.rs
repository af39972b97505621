//! The expert committee over the API (P5). The bodies are this module's (`ExpertViewDto` …),
//! converted from and into the store's types; their OpenAPI schemas keep the names `ExpertView` ….

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView, invalid};
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::experts::{ConflictView, EmploymentView, ExpertDetail, ExpertInput, ExpertQuery, ExpertView, ReviewServed};
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
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// The expert registry (province staff).
#[utoipa::path(get, path = "/api/v1/experts", tag = "experts", params(ExpertListParams), responses((status = 200, body = PageView<ExpertViewDto>), (status = 403, body = ErrorEnvelope), (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn list_experts(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<ExpertListParams>,
) -> Result<Json<PageView<ExpertViewDto>>, ApiError> {
    let query = ExpertQuery {
        status: crate::view::filter_value("status", "状态", q.status.as_deref())?,
        q: q.q,
        city: q.city,
        specialty: q.specialty,
    };
    Ok(Json(state.store.list_experts(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// Add an expert to the committee.
#[utoipa::path(post, path = "/api/v1/experts", tag = "experts", request_body = ExpertInputDto, responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_expert(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(input): ApiJson<ExpertInputDto>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state.store.create_expert(&caller.principal, &input.into(), &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One expert with declared conflicts and former employers.
#[utoipa::path(get, path = "/api/v1/experts/{id}", tag = "experts", params(("id" = i64, Path)), responses((status = 200, body = ExpertDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_expert(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<ExpertDetailDto>, ApiError> {
    Ok(Json(state.store.get_expert(&caller.principal, id).await?.into()))
}

/// Replace an expert's facts (a blank `id_number` keeps the stored one).
#[utoipa::path(put, path = "/api/v1/experts/{id}", tag = "experts", params(("id" = i64, Path)), request_body = ExpertInputDto, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn update_expert(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ExpertInputDto>,
) -> Result<StatusCode, ApiError> {
    state.store.update_expert(&caller.principal, id, &input.into(), &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ConflictInput {
    #[schema(required = true)]
    pub org_id: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

/// Declare a conflict with an organisation (recusal in its draws).
#[utoipa::path(post, path = "/api/v1/experts/{id}/conflicts", tag = "experts", params(("id" = i64, Path)), request_body = ConflictInput, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
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
        return Err(invalid("org_id", "REQUIRED", "请选择回避的机构"));
    };
    state.store.declare_conflict(&caller.principal, id, org, &c.reason, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct EmploymentInput {
    #[schema(required = true)]
    pub org_id: Option<i64>,
    /// Last day employed, `YYYY-MM-DD`.
    #[serde(default, with = "domain::calendar::ymd::option")]
    #[schema(required = true)]
    pub until: Option<time::Date>,
}

/// Record a former employer (recusal within the policy's look-back years).
#[utoipa::path(post, path = "/api/v1/experts/{id}/past-employers", tag = "experts", params(("id" = i64, Path)), request_body = EmploymentInput, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
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
        (None, _) => Err(invalid("org_id", "REQUIRED", "请选择曾任职的机构")),
        (_, None) => Err(invalid("until", "REQUIRED", "请填写离职日期")),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Imported {
    pub rows: usize,
}

/// Import experts all-or-nothing; errors name the row (2 = first data row) and field as `row:field`.
#[utoipa::path(post, path = "/api/v1/experts/import", tag = "experts", request_body = Vec<ExpertInputDto>, responses((status = 201, body = Imported), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn import_experts(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<Vec<ExpertInputDto>>, ApiError>,
) -> Result<(StatusCode, Json<Imported>), ApiError> {
    // Authorization before validation: a caller without the right learns nothing about the body.
    if !caller.principal.can(domain::authz::Action::ManageExperts) {
        return Err(ApiError(crate::error::AppError::Forbidden));
    }
    let ApiJson(rows) = body?;
    let rows: Vec<ExpertInput> = rows.into_iter().map(ExpertInput::from).collect();
    let n = state.store.import_experts(&caller.principal, &rows, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Imported { rows: n })))
}

// ---- bodies ------------------------------------------------------------------------------------------

/// An expert as typed into the form, the API or a spreadsheet row.
#[derive(Deserialize, ToSchema)]
#[schema(as = ExpertInput)]
pub struct ExpertInputDto {
    #[serde(default)]
    #[schema(required = true)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    /// The employer when it is a registered organisation.
    pub employer_org_id: Option<i64>,
    #[serde(default)]
    #[schema(required = true)]
    pub employer_name: String,
    /// Professional title (专业技术职称).
    #[serde(default)]
    #[schema(required = true)]
    pub title: String,
    /// Specialties separated by 、 or ，or |, e.g. "烹饪、茶艺".
    #[serde(default)]
    #[schema(required = true)]
    pub specialties: String,
    /// City region code (GB/T 2260), e.g. 430100.
    #[serde(default)]
    #[schema(required = true)]
    pub city_code: String,
    #[serde(default)]
    pub phone: String,
    /// `active` (default), `suspended` or `retired`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
}

impl From<ExpertInputDto> for ExpertInput {
    fn from(e: ExpertInputDto) -> Self {
        ExpertInput {
            name: e.name,
            id_number: e.id_number,
            employer_org_id: e.employer_org_id,
            employer_name: e.employer_name,
            title: e.title,
            specialties: e.specialties,
            city_code: e.city_code,
            phone: e.phone,
            status: e.status,
            note: e.note,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ExpertView)]
pub struct ExpertViewDto {
    pub id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub employer_org_id: Option<i64>,
    pub employer_name: String,
    pub title: String,
    pub specialties: Vec<String>,
    pub city_code: String,
    pub city_name: String,
    pub phone: String,
    pub status: String,
    pub status_label: String,
    pub note: String,
    pub created_at: String,
}

impl From<ExpertView> for ExpertViewDto {
    fn from(e: ExpertView) -> Self {
        ExpertViewDto {
            id: e.id,
            name: e.name,
            id_number_masked: e.id_number_masked,
            employer_org_id: e.employer_org_id,
            employer_name: e.employer_name,
            title: e.title,
            specialties: e.specialties,
            city_code: e.city_code,
            city_name: e.city_name,
            phone: e.phone,
            status: e.status.id().to_string(),
            status_label: e.status.label().to_string(),
            note: e.note,
            created_at: crate::view::shanghai(e.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ConflictView)]
pub struct ConflictViewDto {
    pub org_id: i64,
    pub org_name: String,
    pub reason: String,
    pub declared_at: String,
}

impl From<ConflictView> for ConflictViewDto {
    fn from(c: ConflictView) -> Self {
        ConflictViewDto {
            org_id: c.org_id,
            org_name: c.org_name,
            reason: c.reason,
            declared_at: crate::view::shanghai(c.declared_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = EmploymentView)]
pub struct EmploymentViewDto {
    pub org_id: i64,
    pub org_name: String,
    /// The last day employed there, `YYYY-MM-DD`.
    pub until: String,
}

impl From<EmploymentView> for EmploymentViewDto {
    fn from(e: EmploymentView) -> Self {
        EmploymentViewDto { org_id: e.org_id, org_name: e.org_name, until: e.until.to_string() }
    }
}

/// A review the expert served in (draws whose seal is open; sealed draws are not shown).
#[derive(Serialize, ToSchema)]
#[schema(as = ReviewServed)]
pub struct ReviewServedDto {
    pub draw_id: i64,
    pub title: String,
    /// `drawn`, `replacement` or `declined`.
    pub status: String,
    pub decline_reason: String,
}

impl From<ReviewServed> for ReviewServedDto {
    fn from(r: ReviewServed) -> Self {
        ReviewServedDto {
            draw_id: r.draw_id,
            title: r.title,
            status: r.status.id().to_string(),
            decline_reason: r.decline_reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = ExpertDetail)]
pub struct ExpertDetailDto {
    pub expert: ExpertViewDto,
    pub conflicts: Vec<ConflictViewDto>,
    pub past_employers: Vec<EmploymentViewDto>,
    pub reviews: Vec<ReviewServedDto>,
}

impl From<ExpertDetail> for ExpertDetailDto {
    fn from(d: ExpertDetail) -> Self {
        ExpertDetailDto {
            expert: d.expert.into(),
            conflicts: d.conflicts.into_iter().map(Into::into).collect(),
            past_employers: d.past_employers.into_iter().map(Into::into).collect(),
            reviews: d.reviews.into_iter().map(Into::into).collect(),
        }
    }
}
