//! E4: the exam panel (考评组) of a session — the organizer's appointment page (choose from the
//! qualified registry people, every refused pick explained per person) and the same over the API
//! (`GET`/`PUT /api/v1/sessions/{id}/panel`). The session's page shows the appointed panel.

use crate::AppState;
use crate::api::{ApiJson, ErrorEnvelope};
use crate::auth::{ApiCaller, Staff};
use crate::error::{ApiError, AppError, PageError};
use crate::extract::{Form, Path};
use crate::view::{Errors, Layout, done, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::exams::PanelInput;
use serde::{Deserialize, Serialize};
use store::PanelMember;
use store::sessions::PanelChoices;
use utoipa::ToSchema;

#[derive(Template, WebTemplate)]
#[template(path = "sessions/panel.html")]
pub struct PanelPage {
    layout: Layout,
    id: i64,
    choices: PanelChoices,
    panel: Vec<PanelMember>,
    input: PanelInput,
    errors: Errors,
    refused: String,
}

impl PanelPage {
    fn chosen(&self, person_id: &i64) -> bool {
        self.input.assessors.contains(person_id) || self.input.head == Some(*person_id)
    }
    fn is_head(&self, person_id: &i64) -> bool {
        self.input.head == Some(*person_id)
    }
    fn is_supervisor(&self, person_id: &i64) -> bool {
        self.input.supervisor == Some(*person_id)
    }
}

async fn panel_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    input: Option<PanelInput>,
    errors: FieldErrors,
    refused: String,
) -> Result<PanelPage, PageError> {
    let choices = state.store.panel_choices(&staff.principal, id).await?;
    let panel = state.store.panel_of(id).await?;
    let input = input.unwrap_or_else(|| {
        let mut i = PanelInput::default();
        for m in &panel {
            match m.role {
                domain::exams::PanelRole::Head => i.head = Some(m.person_id),
                domain::exams::PanelRole::Assessor => i.assessors.push(m.person_id),
                domain::exams::PanelRole::Supervisor => i.supervisor = Some(m.person_id),
            }
        }
        i
    });
    Ok(PanelPage {
        layout: Layout::new(staff, &state.config.system_name, &format!("委派考评组 考核计划 第 {id} 号"), "/sessions"),
        id,
        choices,
        panel,
        input,
        errors: Errors(errors),
        refused,
    })
}

pub async fn form(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<PanelPage, PageError> {
    state.store.session_visible(&staff.principal, id).await?;
    if !staff.principal.can(Action::DecideSessions) {
        return Err(AppError::Forbidden.into());
    }
    panel_page(&state, &staff, id, None, FieldErrors::new(), String::new()).await
}

pub async fn appoint(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<PanelInput>,
) -> Result<Response, PageError> {
    state.store.session_visible(&staff.principal, id).await?;
    if !staff.principal.can(Action::DecideSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.appoint_panel(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |()| done(format!("/sessions/{id}#panel"), "panel_appointed"),
        |refusal| async {
            let errors = refusal.into_errors();
            let refused = errors.0.first().map(|e| e.detail.clone()).unwrap_or_default();
            panel_page(&state, &staff, id, Some(input), errors, refused).await
        },
    )
    .await
}

/// The supervisor chosen for a drawn panel.
#[derive(Deserialize, ToSchema, Default)]
#[schema(as = PanelDrawInput)]
pub struct PanelDrawDto {
    /// The registry person to supervise (督导员).
    #[serde(default)]
    pub supervisor: Option<i64>,
}

/// The draw a panel's assessors came from.
#[derive(Serialize, ToSchema)]
#[schema(as = PanelDrawn)]
pub struct PanelDrawnDto {
    /// The public draw record: `/draws/{draw_id}` and `/api/v1/public/draws/{draw_id}`.
    pub draw_id: i64,
}

pub async fn draw(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<PanelDrawDto>,
) -> Result<Response, PageError> {
    state.store.session_visible(&staff.principal, id).await?;
    if !staff.principal.can(Action::DecideSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.draw_panel(&staff.principal, id, input.supervisor, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |_| done(format!("/sessions/{id}#panel"), "panel_drawn"),
        |refusal| async {
            let errors = refusal.into_errors();
            let refused = errors.0.first().map(|e| e.detail.clone()).unwrap_or_default();
            let keep = PanelInput { supervisor: input.supervisor, ..PanelInput::default() };
            panel_page(&state, &staff, id, Some(keep), errors, refused).await
        },
    )
    .await
}

/// E4: kaohe draws the assessors of an approved session (a provable draw over the legal assessors, the
/// record public at once) and appoints them with the chosen supervisor, replacing any earlier panel.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/panel/draw", tag = "sessions", params(("id" = i64, Path)), request_body = PanelDrawDto,
    responses((status = 201, body = PanelDrawnDto), (status = 422, description = "未选派督导员（PANEL_NO_SUPERVISOR）或督导员不符合要求", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：无法组成合法的考评组（PANEL_NO_LEGAL，逐项说明原因）、NOT_ORGANIZER、SESSION_NOT_APPROVED、SESSION_STARTED", body = ErrorEnvelope)))]
pub async fn draw_api(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<PanelDrawDto>, ApiError>,
) -> Result<(StatusCode, Json<PanelDrawnDto>), ApiError> {
    state.store.session_visible(&caller.principal, id).await?;
    caller.require(Action::DecideSessions)?;
    let ApiJson(b) = body?;
    let draw_id = state.store.draw_panel(&caller.principal, id, b.supervisor, &caller.ctx).await?;
    Ok((StatusCode::CREATED, Json(PanelDrawnDto { draw_id })))
}

/// A member of a session's panel.
#[derive(Serialize, ToSchema)]
pub struct PanelMemberDto {
    /// The registry person's id.
    pub person_id: i64,
    pub name: String,
    /// `head` (考评组长), `assessor` (考评员) or `supervisor` (督导员).
    pub role: String,
    pub role_label: String,
    pub card_number: String,
}

impl From<PanelMember> for PanelMemberDto {
    fn from(m: PanelMember) -> Self {
        PanelMemberDto {
            person_id: m.person_id,
            name: m.name,
            role: m.role.id().to_owned(),
            role_label: m.role.label().to_owned(),
            card_number: m.card_number,
        }
    }
}

/// E4: the panel of a session (empty before appointment): head first, then the assessors, the supervisor.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/panel", tag = "sessions", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PanelMemberDto>), (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn get_panel(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PanelMemberDto>>, ApiError> {
    state.store.session_visible(&caller.principal, id).await?;
    Ok(Json(state.store.panel_of(id).await?.into_iter().map(Into::into).collect()))
}

/// E4: the organizer appoints or replaces the whole panel of an approved session before its first day.
#[utoipa::path(put, path = "/api/v1/sessions/{id}/panel", tag = "sessions", params(("id" = i64, Path)), request_body = PanelInput,
    responses((status = 204), (status = 422, description = "考评组不符合回避、轮换或人数要求，逐人说明原因", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 409, description = "冲突：不是组织考核的鉴定中心（NOT_ORGANIZER）、考核计划未批准（SESSION_NOT_APPROVED）或考核已开始（SESSION_STARTED）", body = ErrorEnvelope)))]
pub async fn put_panel(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
    body: Result<ApiJson<PanelInput>, ApiError>,
) -> Result<StatusCode, ApiError> {
    state.store.session_visible(&caller.principal, id).await?;
    caller.require(Action::DecideSessions)?;
    let ApiJson(input) = body?;
    state.store.appoint_panel(&caller.principal, id, &input, &caller.ctx).await?;
    Ok(StatusCode::NO_CONTENT)
}
