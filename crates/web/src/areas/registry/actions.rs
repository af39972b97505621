//! E8–E10 actions on a registered person's page — change the standing (with a reason, confirmed in the
//! browser), declare a relative, add a former employer, link the own account — and the own-record page
//! of a linked assessor or supervisor (本人登记信息), where they declare relatives themselves.

use super::pages::{kinships, person_page};
use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::PageError;
use crate::extract::{Form, Path};
use crate::view::{Errors, Layout, done, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::authz::Action;
use domain::registry::{PersonKind, StatusChange};
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use store::StoreError;
use store::registry::{PersonDetail, RelativeInput};

fn back(id: i64, code: &'static str) -> crate::view::Done {
    done(format!("/registry/{id}"), code)
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    change: String,
    #[serde(default)]
    reason: String,
}

pub async fn change_status(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let result = match StatusChange::parse(f.change.trim()) {
        Some(change) => state.store.change_registered_status(&staff.principal, id, change, &f.reason, &staff.ctx).await,
        None => Err(FieldError::new("change", "REQUIRED", "请选择要进行的状态变更").into()),
    };
    crate::view::redirect_or_refusal(
        result,
        |_| back(id, "registry_status"),
        |r| person_page(&state, &staff, id, None, r.into_errors()),
    )
    .await
}

#[derive(Deserialize)]
pub struct RelativeForm {
    #[serde(default)]
    relative_name: String,
    #[serde(default)]
    relative_id_number: String,
    #[serde(default)]
    relation: String,
}

impl From<RelativeForm> for RelativeInput {
    fn from(f: RelativeForm) -> Self {
        RelativeInput { name: f.relative_name, id_number: f.relative_id_number, relation: f.relation }
    }
}

pub async fn declare_relative(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<RelativeForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let result = state.store.declare_relative(&staff.principal, Some(id), &f.into(), &staff.ctx).await;
    redirect_or_form(result, |()| back(id, "registry_relative"), |errs| person_page(&state, &staff, id, None, errs))
        .await
}

#[derive(Deserialize)]
pub struct EmploymentForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    employer_name: String,
    #[serde(default)]
    until: String,
}

pub async fn add_past_employment(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<EmploymentForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let org = f.org_id.trim().parse::<i64>().ok();
    let result = match crate::view::parse_date(&f.until) {
        Some(until) => {
            state.store.add_registered_employment(&staff.principal, id, &f.employer_name, org, until, &staff.ctx).await
        }
        None => Err(FieldError::new("until", "DATE_FORMAT", "离职日期格式应为 YYYY-MM-DD").into()),
    };
    redirect_or_form(result, |()| back(id, "updated"), |errs| person_page(&state, &staff, id, None, errs)).await
}

#[derive(Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    username: String,
}

pub async fn link_account(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<AccountForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let result = state.store.link_registered_account(&staff.principal, id, &f.username, &staff.ctx).await;
    redirect_or_form(result, |()| back(id, "registry_account"), |errs| person_page(&state, &staff, id, None, errs))
        .await
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/own.html")]
pub struct OwnPage {
    layout: Layout,
    /// `None`: no registry record is linked to the account yet.
    detail: Option<PersonDetail>,
    errors: Errors,
    kinships: Vec<(&'static str, &'static str)>,
}

async fn own_page(state: &AppState, staff: &Staff, errors: FieldErrors) -> Result<OwnPage, PageError> {
    let detail = match state.store.own_registry_record(&staff.principal).await {
        Ok(d) => Some(d),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(OwnPage {
        layout: Layout::new(staff, &state.config.system_name, "本人登记信息", "/registry/me"),
        detail,
        errors: Errors(errors),
        kinships: kinships(),
    })
}

pub async fn own_record(State(state): State<AppState>, staff: Staff) -> Result<OwnPage, PageError> {
    own_page(&state, &staff, FieldErrors::new()).await
}

pub async fn declare_own_relative(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<RelativeForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ViewOwnRegistry) {
        return Err(forbidden());
    }
    let result = state.store.declare_relative(&staff.principal, None, &f.into(), &staff.ctx).await;
    redirect_or_form(result, |()| done("/registry/me", "registry_relative"), |errs| own_page(&state, &staff, errs))
        .await
}
