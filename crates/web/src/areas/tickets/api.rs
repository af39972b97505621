//! Admission tickets over the API (issue 12): the candidate's own ticket, a session's tickets (batch and
//! sign-in sheet), and the public verification by token.

use crate::AppState;
use crate::api::ErrorEnvelope;
use crate::auth::ApiCaller;
use crate::error::ApiError;
use crate::extract::Path;
use axum::Json;
use axum::extract::State;
use domain::authz::Action;
use serde::Serialize;
use store::sessions::SessionView;
use store::tickets::{SessionTickets, TicketView};
use utoipa::ToSchema;

/// One admission ticket as printed (the ID number masked).
#[derive(Serialize, ToSchema)]
#[schema(as = AdmissionTicket)]
pub struct TicketDto {
    #[schema(example = "ZK012600120001")]
    pub ticket_number: String,
    pub name: String,
    #[schema(example = "430***********1234")]
    pub id_number_masked: String,
    pub project_code: String,
    pub project_name: String,
    pub station_name: String,
    /// YYYY-MM-DD.
    pub first_day: String,
    /// YYYY-MM-DD.
    pub last_day: String,
    pub venue: String,
    /// The public verification page the ticket's QR code leads to.
    #[schema(example = "/tickets/q1W2e3R4t5Y6u7I8o9P0aA")]
    pub verify_path: String,
}

impl TicketDto {
    pub fn of(s: &SessionView, t: &TicketView) -> Self {
        TicketDto {
            ticket_number: t.ticket_number.clone(),
            name: t.name.clone(),
            id_number_masked: t.id_number_masked.clone(),
            project_code: s.project_code.clone(),
            project_name: s.project_name.clone(),
            station_name: s.station_name.clone(),
            first_day: s.first_day.to_string(),
            last_day: s.last_day.to_string(),
            venue: s.venue.clone(),
            verify_path: format!("/tickets/{}", t.token),
        }
    }
}

/// Every ticket of an approved session.
#[derive(Serialize, ToSchema)]
#[schema(as = SessionTickets)]
pub struct SessionTicketsDto {
    pub session_id: i64,
    pub tickets: Vec<TicketDto>,
}

impl From<SessionTickets> for SessionTicketsDto {
    fn from(st: SessionTickets) -> Self {
        SessionTicketsDto {
            session_id: st.session.id,
            tickets: st.tickets.iter().map(|t| TicketDto::of(&st.session, t)).collect(),
        }
    }
}

/// Issue 12: the caller's own admission ticket, by their application, once the plan is approved and the
/// application confirmed; another person's application is 404.
#[utoipa::path(get, path = "/api/v1/my/tickets/{id}", tag = "tickets", params(("id" = i64, Path, description = "报名编号")),
    responses((status = 200, body = TicketDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核计划尚未批准或报名尚未确认（TICKET_NOT_READY）", body = ErrorEnvelope)))]
pub async fn my_ticket(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<TicketDto>, ApiError> {
    caller.require(Action::ApplyExams)?;
    let (s, t) = state.store.my_ticket(&caller.principal, id).await?;
    Ok(Json(TicketDto::of(&s, &t)))
}

/// Issue 12: every admission ticket of an approved session (the batch print and the sign-in sheet), for
/// whoever sees the session.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/tickets", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, body = SessionTicketsDto), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, description = "冲突：考核计划尚未批准（TICKET_NOT_READY）", body = ErrorEnvelope)))]
pub async fn session_tickets(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<i64>,
) -> Result<Json<SessionTicketsDto>, ApiError> {
    caller.require(Action::ListSessions)?;
    Ok(Json(state.store.session_tickets(&caller.principal, id).await?.into()))
}

/// Issue 12: checks an admission ticket by the token of its QR code (no sign-in): what the ticket prints,
/// the ID number masked. Every unknown token answers the same 404.
#[utoipa::path(get, path = "/api/v1/tickets/{token}", tag = "tickets", params(("token" = String, Path, description = "准考证二维码中的核验码")), security(()),
    responses((status = 200, body = TicketDto), (status = 404, body = ErrorEnvelope)))]
pub async fn verify_ticket(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<TicketDto>, ApiError> {
    let (s, t) = state.store.public_ticket(&token).await?;
    Ok(Json(TicketDto::of(&s, &t)))
}
