//! The station's side of self-service on the session's page (issue 12): open the session to
//! applications (开放网上报名) or close it, and confirm or decline each application — a refusal comes back
//! on the session's page.

use crate::AppState;
use crate::areas::sessions::record::{Refused, show_page};
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path};
use crate::view::{Refusal, done, redirect_or_refusal};
use axum::extract::State;
use axum::response::Response;
use domain::authz::Action;
use serde::Deserialize;
use store::portal::ApplicationDecisionInput;

#[derive(Deserialize, Default)]
pub struct OpenForm {
    /// `1` opens, anything else closes.
    #[serde(default)]
    open: String,
}

async fn refused(
    state: &AppState,
    staff: &Staff,
    id: i64,
    r: Refusal,
) -> Result<crate::areas::sessions::record::ShowPage, PageError> {
    let errors = r.into_errors();
    let refused = errors.0.first().map(|e| e.detail.clone()).unwrap_or_default();
    show_page(state, staff, id, Refused { errors, refused, ..Default::default() }).await
}

pub async fn set_open(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<OpenForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let open = f.open == "1";
    let result = state.store.set_applications_open(&staff.principal, id, open, &staff.ctx).await;
    let code = if open { "applications_opened" } else { "applications_closed" };
    redirect_or_refusal(
        result,
        |()| done(format!("/sessions/{id}#applications"), code),
        |r| refused(&state, &staff, id, r),
    )
    .await
}

pub async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, aid)): Path<(i64, i64)>,
    Form(input): Form<ApplicationDecisionInput>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::PlanSessions) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.decide_application(&staff.principal, id, aid, &input, &staff.ctx).await;
    let code = if input.action.trim() == "confirm" { "application_confirmed" } else { "application_declined" };
    redirect_or_refusal(
        result,
        |()| done(format!("/sessions/{id}#applications"), code),
        |r| refused(&state, &staff, id, r),
    )
    .await
}
