//! E8–E10 over the API: the registries of assessors, supervisors and trainers, and the own record of a
//! linked assessor or supervisor. Bodies are this module's (`…Dto`), their schemas named without the
//! suffix. Each handler checks the caller's role before it reads the body (403 before 422).

use crate::AppState;
use crate::api::{ApiJson, Created, ErrorEnvelope, PageView, invalid};
use crate::areas::experts::api::Imported;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::authz::Action;
use domain::registry::StatusChange;
use domain::training::{CourseInput, TrainingResult};
use serde::{Deserialize, Serialize};
use store::PageReq;
use store::registry::{
    CourseDetail, CourseView, EnrolmentView, PastEmploymentView, PersonDetail, PersonInput, PersonQuery, PersonView,
    RelativeInput, RelativeView,
};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct RegistryListParams {
    /// Name or card number contains.
    q: Option<String>,
    /// `assessor`, `supervisor` or `trainer`.
    kind: Option<String>,
    /// City region code, e.g. 430100.
    city: Option<String>,
    /// A catalog project code the assessor is qualified for.
    project: Option<String>,
    /// `active`, `suspended` or `revoked`.
    status: Option<String>,
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// The registry (province: all; a city center: its city).
#[utoipa::path(get, path = "/api/v1/registry", tag = "registry", params(RegistryListParams), responses((status = 200, body = PageView<PersonViewDto>), (status = 403, body = ErrorEnvelope), (status = 422, description = "筛选条件的取值无效（FILTER_INVALID）", body = ErrorEnvelope)))]
pub async fn list_registry(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<RegistryListParams>,
) -> Result<Json<PageView<PersonViewDto>>, ApiError> {
    caller.require(Action::ListRegistry)?;
    let query = PersonQuery {
        kind: crate::view::filter_value("kind", "类别", q.kind.as_deref())?,
        status: crate::view::filter_value("status", "状态", q.status.as_deref())?,
        q: q.q,
        city: q.city,
        project: q.project,
    };
    Ok(Json(state.store.list_registry(&caller.principal, &query, PageReq::new(q.page, q.per_page)).await?.into()))
}

/// Register a person (a blank card number is issued from the policy's template).
#[utoipa::path(post, path = "/api/v1/registry", tag = "registry", request_body = PersonInputDto, responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 409, description = "按编号规则生成的证书编号已被使用（CARD_NUMBER_TAKEN）", body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_person(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<PersonInputDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(input) = body?;
    let id = state.store.create_registered(&caller.principal, &input.into(), &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Import people all-or-nothing; errors name the row (2 = first data row) and field as `row:field`.
#[utoipa::path(post, path = "/api/v1/registry/import", tag = "registry", request_body = Vec<PersonInputDto>, responses((status = 201, body = Imported), (status = 422, body = ErrorEnvelope), (status = 409, description = "按编号规则生成的证书编号已被使用（CARD_NUMBER_TAKEN）", body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn import_registry(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<Vec<PersonInputDto>>, ApiError>,
) -> Result<(StatusCode, Json<Imported>), ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(rows) = body?;
    let rows: Vec<PersonInput> = rows.into_iter().map(PersonInput::from).collect();
    let n = state.store.import_registry(&caller.principal, &rows, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Imported { rows: n })))
}

/// One person with qualified projects, declared relatives and former employers.
#[utoipa::path(get, path = "/api/v1/registry/{id}", tag = "registry", params(("id" = i64, Path)), responses((status = 200, body = PersonDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_person(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<PersonDetailDto>, ApiError> {
    caller.require(Action::ListRegistry)?;
    Ok(Json(state.store.get_registered(&caller.principal, id).await?.into()))
}

/// Replace a person's facts (a blank `id_number` keeps the stored one; the kind never changes; a
/// changed employer moves the old one to the former employers).
#[utoipa::path(put, path = "/api/v1/registry/{id}", tag = "registry", params(("id" = i64, Path)), request_body = PersonInputDto, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn update_person(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<PersonInputDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(input) = body?;
    state.store.update_registered(&caller.principal, id, &input.into(), &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct StatusChangeInput {
    /// `suspend`, `reactivate` or `revoke` (final).
    #[serde(default)]
    #[schema(required = true)]
    pub change: String,
    #[serde(default)]
    #[schema(required = true)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatusChanged {
    /// The standing now: `active`, `suspended` or `revoked`.
    pub status: String,
}

/// Suspend, reactivate or revoke a person, with a reason.
#[utoipa::path(post, path = "/api/v1/registry/{id}/status", tag = "registry", params(("id" = i64, Path)), request_body = StatusChangeInput, responses((status = 200, body = StatusChanged), (status = 409, description = "当前状态不允许该变更（STATUS_CHANGE_INVALID、PERSON_REVOKED、STATUS_MOVED_ON）", body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn change_status(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<StatusChangeInput>, ApiError>,
) -> Result<Json<StatusChanged>, ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(s) = body?;
    let Some(change) = StatusChange::parse(s.change.trim()) else {
        return Err(invalid("change", "CHANGE_INVALID", "状态变更应为 suspend、reactivate 或 revoke"));
    };
    let to = state.store.change_registered_status(&caller.principal, id, change, &s.reason, &caller.ctx).await?;
    Ok(Json(StatusChanged { status: to.id().to_owned() }))
}

/// A relative as declared (E4 recusal).
#[derive(Deserialize, ToSchema)]
#[schema(as = RelativeInput)]
pub struct RelativeInputDto {
    #[serde(default)]
    #[schema(required = true)]
    pub name: String,
    #[serde(default)]
    #[schema(required = true)]
    pub id_number: String,
    /// `spouse`, `parent`, `child`, `sibling` or `other`.
    #[serde(default)]
    #[schema(required = true)]
    pub relation: String,
}

impl From<RelativeInputDto> for RelativeInput {
    fn from(r: RelativeInputDto) -> Self {
        RelativeInput { name: r.name, id_number: r.id_number, relation: r.relation }
    }
}

/// Record a declared relative of a person (staff).
#[utoipa::path(post, path = "/api/v1/registry/{id}/relatives", tag = "registry", params(("id" = i64, Path)), request_body = RelativeInputDto, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn declare_relative(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<RelativeInputDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(r) = body?;
    state.store.declare_relative(&caller.principal, Some(id), &r.into(), &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PastEmploymentInput {
    /// The former employer when it is an organisation in kaohe.
    pub org_id: Option<i64>,
    /// The former employer's name (when `org_id` is not given).
    #[serde(default)]
    pub employer_name: String,
    /// Last day employed, `YYYY-MM-DD`.
    #[serde(default, with = "domain::calendar::ymd::option")]
    #[schema(required = true)]
    pub until: Option<time::Date>,
}

/// Record a former employer of a person.
#[utoipa::path(post, path = "/api/v1/registry/{id}/past-employers", tag = "registry", params(("id" = i64, Path)), request_body = PastEmploymentInput, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn add_past_employment(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<PastEmploymentInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(e) = body?;
    let Some(until) = e.until else { return Err(invalid("until", "REQUIRED", "请填写离职日期")) };
    state
        .store
        .add_registered_employment(&caller.principal, id, &e.employer_name, e.org_id, until, &caller.ctx)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct AccountLinkInput {
    /// The user name of an account holding the kind's role (`assessor` or `supervisor`).
    #[serde(default)]
    #[schema(required = true)]
    pub username: String,
}

/// Link a person to their own account (one account, one person).
#[utoipa::path(post, path = "/api/v1/registry/{id}/account", tag = "registry", params(("id" = i64, Path)), request_body = AccountLinkInput, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn link_account(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<AccountLinkInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(a) = body?;
    state.store.link_registered_account(&caller.principal, id, &a.username, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own record (本人登记信息); 404 when none is linked to the account.
#[utoipa::path(get, path = "/api/v1/registry/me", tag = "registry", responses((status = 200, body = PersonDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn own_record(State(state): State<AppState>, caller: ApiCaller) -> Result<Json<PersonDetailDto>, ApiError> {
    caller.require(Action::ViewOwnRegistry)?;
    Ok(Json(state.store.own_registry_record(&caller.principal).await?.into()))
}

/// Declare a relative of one's own (assessor or supervisor).
#[utoipa::path(post, path = "/api/v1/registry/me/relatives", tag = "registry", request_body = RelativeInputDto, responses((status = 204), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn declare_own_relative(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<RelativeInputDto>, ApiError>,
) -> Result<StatusCode, ApiError> {
    caller.require(Action::ViewOwnRegistry)?;
    let ApiJson(r) = body?;
    state.store.declare_relative(&caller.principal, None, &r.into(), &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct CourseListParams {
    /// Page number, from 1 (at most 10,000,000; a page past the end is empty).
    #[param(minimum = 1, maximum = 10000000)]
    page: Option<u64>,
    /// Rows per page, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
    /// Words in the course's title or place.
    q: Option<String>,
}

/// The training courses, newest first.
#[utoipa::path(get, path = "/api/v1/registry/courses", tag = "registry", params(CourseListParams), responses((status = 200, body = PageView<CourseViewDto>), (status = 403, body = ErrorEnvelope)))]
pub async fn list_courses(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(q): Query<CourseListParams>,
) -> Result<Json<PageView<CourseViewDto>>, ApiError> {
    caller.require(Action::ListRegistry)?;
    Ok(Json(
        state.store.list_courses(&caller.principal, q.q.as_deref(), PageReq::new(q.page, q.per_page)).await?.into(),
    ))
}

/// Open a training course (E8–E10).
#[utoipa::path(post, path = "/api/v1/registry/courses", tag = "registry", request_body = CourseInputDto, responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create_course(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<ApiJson<CourseInputDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(c) = body?;
    let input = CourseInput {
        kind: c.kind,
        title: c.title,
        start_date: c.start_date,
        end_date: c.end_date,
        location: c.location,
        projects: c.projects,
    };
    let id = state.store.create_course(&caller.principal, &input, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A course with its trainees, attendance, results and the cards issued.
#[utoipa::path(get, path = "/api/v1/registry/courses/{id}", tag = "registry", params(("id" = i64, Path)), responses((status = 200, body = CourseDetailDto), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_course(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<CourseDetailDto>, ApiError> {
    caller.require(Action::ListRegistry)?;
    Ok(Json(state.store.get_course(&caller.principal, id).await?.into()))
}

/// Enrol a trainee (the course's kind and projects apply; card fields are ignored) until the course ends.
#[utoipa::path(post, path = "/api/v1/registry/courses/{id}/enrolments", tag = "registry", params(("id" = i64, Path)), request_body = PersonInputDto, responses((status = 201, body = Created), (status = 409, description = "培训班已结业（COURSE_ENDED）", body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn enrol(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<PersonInputDto>, ApiError>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(p) = body?;
    let id = state.store.enrol(&caller.principal, id, &p.into(), &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema)]
pub struct TrainingResultInput {
    #[schema(required = true)]
    pub enrolment_id: Option<i64>,
    #[serde(default)]
    pub attended: bool,
    /// `passed` or `failed` (`pending` records attendance only).
    #[serde(default)]
    #[schema(required = true)]
    pub result: String,
}

#[derive(Serialize, ToSchema)]
pub struct TrainingResultRecorded {
    /// The card a pass issued.
    pub card_number: Option<String>,
}

/// Record a trainee's attendance and result once; a pass issues the card and enters (or renews) the
/// registry record.
#[utoipa::path(post, path = "/api/v1/registry/courses/{id}/results", tag = "registry", params(("id" = i64, Path)), request_body = TrainingResultInput, responses((status = 200, body = TrainingResultRecorded), (status = 409, description = "结果已登记（RESULT_RECORDED）、人员已注销（PERSON_REVOKED）或证书编号已被使用（CARD_NUMBER_TAKEN）", body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn record_training_result(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<TrainingResultInput>, ApiError>,
) -> Result<Json<TrainingResultRecorded>, ApiError> {
    caller.require(Action::ManageRegistry)?;
    let ApiJson(r) = body?;
    let Some(enrolment) = r.enrolment_id else { return Err(invalid("enrolment_id", "REQUIRED", "请选择学员")) };
    let Some(result) = TrainingResult::parse(r.result.trim()) else {
        return Err(invalid("result", "RESULT_INVALID", "培训结果应为 passed、failed 或 pending"));
    };
    let card_number =
        state.store.record_training_result(&caller.principal, id, enrolment, r.attended, result, &caller.ctx).await?;
    Ok(Json(TrainingResultRecorded { card_number }))
}

// ---- bodies ------------------------------------------------------------------------------------------

/// A person as typed into the form, the API or a spreadsheet row.
#[derive(Deserialize, ToSchema)]
#[schema(as = PersonInput)]
pub struct PersonInputDto {
    /// `assessor`, `supervisor` or `trainer` (ignored on update).
    #[serde(default)]
    #[schema(required = true)]
    pub kind: String,
    #[serde(default)]
    #[schema(required = true)]
    pub name: String,
    /// 18 characters; blank on update keeps the stored one.
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    #[schema(required = true)]
    pub phone: String,
    /// City region code (GB/T 2260), e.g. 430100.
    #[serde(default)]
    #[schema(required = true)]
    pub city_code: String,
    /// The current employer's name (the organisation's own when `employer_org_id` is given).
    #[serde(default)]
    pub employer_name: String,
    /// The current employer when it is an organisation in kaohe.
    pub employer_org_id: Option<i64>,
    /// Blank: issued from the policy's template.
    #[serde(default)]
    pub card_number: String,
    /// `YYYY-MM-DD`; blank: the policy's validity from today.
    #[serde(default)]
    pub card_valid_until: String,
    /// Catalog project codes separated by 、 (assessors only).
    #[serde(default)]
    pub projects: String,
    #[serde(default)]
    pub note: String,
}

impl From<PersonInputDto> for PersonInput {
    fn from(p: PersonInputDto) -> Self {
        PersonInput {
            kind: p.kind,
            name: p.name,
            id_number: p.id_number,
            phone: p.phone,
            city_code: p.city_code,
            employer_name: p.employer_name,
            employer_org_id: p.employer_org_id,
            card_number: p.card_number,
            card_valid_until: p.card_valid_until,
            projects: p.projects,
            note: p.note,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = PersonView)]
pub struct PersonViewDto {
    pub id: i64,
    /// `assessor`, `supervisor` or `trainer`.
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub id_number_masked: String,
    pub phone: String,
    pub city_code: String,
    pub city_name: String,
    pub employer_name: String,
    pub employer_org_id: Option<i64>,
    pub card_number: String,
    /// `YYYY-MM-DD`.
    pub card_valid_until: String,
    pub card_expired: bool,
    pub projects: Vec<String>,
    /// `active`, `suspended` or `revoked`.
    pub status: String,
    pub status_label: String,
    pub status_reason: String,
    /// The linked own account's user name.
    pub account: Option<String>,
    pub note: String,
    pub created_at: String,
}

impl From<PersonView> for PersonViewDto {
    fn from(p: PersonView) -> Self {
        PersonViewDto {
            id: p.id,
            kind: p.kind.id().to_owned(),
            kind_label: p.kind.label().to_owned(),
            name: p.name,
            id_number_masked: p.id_number_masked,
            phone: p.phone,
            city_code: p.city_code,
            city_name: p.city_name,
            employer_name: p.employer_name,
            employer_org_id: p.employer_org_id,
            card_number: p.card_number,
            card_valid_until: p.card_valid_until.to_string(),
            card_expired: p.card_expired,
            projects: p.projects,
            status: p.status.id().to_owned(),
            status_label: p.status.label().to_owned(),
            status_reason: p.status_reason,
            account: p.account,
            note: p.note,
            created_at: crate::view::shanghai(p.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = RelativeView)]
pub struct RelativeViewDto {
    pub name: String,
    pub id_number_masked: String,
    /// `spouse`, `parent`, `child`, `sibling` or `other`.
    pub relation: String,
    pub self_declared: bool,
    pub declared_at: String,
}

impl From<RelativeView> for RelativeViewDto {
    fn from(r: RelativeView) -> Self {
        RelativeViewDto {
            name: r.name,
            id_number_masked: r.id_number_masked,
            relation: r.relation.id().to_owned(),
            self_declared: r.self_declared,
            declared_at: crate::view::shanghai(r.declared_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = PastEmploymentView)]
pub struct PastEmploymentViewDto {
    pub employer_name: String,
    /// The last day employed there, `YYYY-MM-DD`.
    pub until: String,
}

impl From<PastEmploymentView> for PastEmploymentViewDto {
    fn from(e: PastEmploymentView) -> Self {
        PastEmploymentViewDto { employer_name: e.employer_name, until: e.until.to_string() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QualifiedProject {
    pub code: String,
    /// Empty when the code is no longer in the catalog.
    pub name: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = PersonDetail)]
pub struct PersonDetailDto {
    pub person: PersonViewDto,
    pub projects: Vec<QualifiedProject>,
    pub relatives: Vec<RelativeViewDto>,
    pub past_employers: Vec<PastEmploymentViewDto>,
}

impl From<PersonDetail> for PersonDetailDto {
    fn from(d: PersonDetail) -> Self {
        PersonDetailDto {
            person: d.person.into(),
            projects: d.project_names.into_iter().map(|(code, name)| QualifiedProject { code, name }).collect(),
            relatives: d.relatives.into_iter().map(Into::into).collect(),
            past_employers: d.past_employers.into_iter().map(Into::into).collect(),
        }
    }
}

/// A training course as typed.
#[derive(Deserialize, ToSchema)]
#[schema(as = CourseInput)]
pub struct CourseInputDto {
    /// `assessor`, `supervisor` or `trainer`.
    #[serde(default)]
    #[schema(required = true)]
    pub kind: String,
    #[serde(default)]
    #[schema(required = true)]
    pub title: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(required = true)]
    pub start_date: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(required = true)]
    pub end_date: String,
    #[serde(default)]
    #[schema(required = true)]
    pub location: String,
    /// Catalog project codes (assessor courses), separated by 、.
    #[serde(default)]
    pub projects: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = CourseView)]
pub struct CourseViewDto {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub start_date: String,
    pub end_date: String,
    pub location: String,
    pub projects: Vec<String>,
}

impl From<CourseView> for CourseViewDto {
    fn from(c: CourseView) -> Self {
        CourseViewDto {
            id: c.id,
            kind: c.kind.id().to_owned(),
            title: c.title,
            start_date: c.start_date.to_string(),
            end_date: c.end_date.to_string(),
            location: c.location,
            projects: c.projects,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = EnrolmentView)]
pub struct EnrolmentViewDto {
    pub id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub city_code: String,
    pub employer_name: String,
    pub attended: bool,
    /// `pending`, `passed` or `failed`.
    pub result: String,
    /// The registry record a pass entered or renewed.
    pub person_id: Option<i64>,
    pub card_number: Option<String>,
}

impl From<EnrolmentView> for EnrolmentViewDto {
    fn from(e: EnrolmentView) -> Self {
        EnrolmentViewDto {
            id: e.id,
            name: e.name,
            id_number_masked: e.id_number_masked,
            city_code: e.city_code,
            employer_name: e.employer_name,
            attended: e.attended,
            result: e.result.id().to_owned(),
            person_id: e.person_id,
            card_number: e.card_number,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = CourseDetail)]
pub struct CourseDetailDto {
    pub course: CourseViewDto,
    pub enrolments: Vec<EnrolmentViewDto>,
}

impl From<CourseDetail> for CourseDetailDto {
    fn from(d: CourseDetail) -> Self {
        CourseDetailDto { course: d.course.into(), enrolments: d.enrolments.into_iter().map(Into::into).collect() }
    }
}
