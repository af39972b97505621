//! The policy page (V1): every number of the procedure with its value in force, upcoming version and
//! history; the province admin (procedure) or security admin (security) publishes a new version.

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::{Form, Query};
use crate::view::{Errors, Layout, parse_date, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::authz::Action;
use domain::policy::Category;
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use store::policy::PolicyRow;

#[derive(Template, WebTemplate)]
#[template(path = "policy.html")]
pub struct PolicyPage {
    layout: Layout,
    rows: Vec<PolicyRow>,
    editable_keys: Vec<&'static str>,
    errors: Errors,
    form: PolicyForm,
    today: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct PolicyForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    effective_from: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    form: PolicyForm,
    errors: FieldErrors,
    done: Option<&str>,
) -> Result<PolicyPage, PageError> {
    let rows = state.store.policy_rows(&staff.principal).await?;
    let editable_keys = rows
        .iter()
        .filter(|r| match r.def.category {
            Category::Procedure => staff.principal.can(Action::EditProcedurePolicy),
            Category::Security => staff.principal.can(Action::EditSecurityPolicy),
        })
        .map(|r| r.def.key)
        .collect();
    Ok(PolicyPage {
        layout: Layout::new(staff, &state.config.system_name, "政策参数", "/admin/policy").notice(done),
        rows,
        editable_keys,
        errors: Errors(errors),
        form,
        today: store::today().to_string(),
    })
}

pub async fn show_policy(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Done>,
) -> Result<PolicyPage, PageError> {
    page(&state, &staff, PolicyForm::default(), FieldErrors::new(), q.done.as_deref()).await
}

pub async fn add_policy_version(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<PolicyForm>,
) -> Result<Response, PageError> {
    let typed = f.effective_from.trim();
    let result = match (typed.is_empty(), parse_date(typed)) {
        (false, None) => Err(FieldError::new("effective_from", "DATE_FORMAT", "生效日期格式应为 YYYY-MM-DD").into()),
        (_, effective) => {
            state.store.add_policy_version(&staff.principal, &f.key, &f.value, effective, &f.note, &staff.ctx).await
        }
    };
    redirect_or_form(result, |_| "/admin/policy?done=policy".to_string(), |errs| page(&state, &staff, f, errs, None))
        .await
}
