//! The policy page (V1): every number of the procedure with its value in force, upcoming version and
//! history; the province admin (procedure) or security admin (security) publishes a new version.

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::Form;
use crate::view::{Errors, Layout, done, parse_date, redirect_or_form};
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
    /// Who published each version, by name.
    people: std::collections::HashMap<String, String>,
    errors: Errors,
    form: PolicyForm,
    today: String,
}

/// Where a value comes from, in the words of the procedure (湘人社规〔2021〕14号) or the standard, for
/// staff who know the clauses, not the requirement ids (issue 9 item 5).
pub fn clause_in_words(clause: &str) -> &'static str {
    match clause {
        "P8" => "规程第一部分第（二）条第 5 项（考核试点）",
        "S3" => "规程第二部分第（三）条（考核站认定备案、评估方案）",
        "S4" => "规程第二部分第（四）条（专家评议组）",
        "S5" => "规程第二部分第（五）条（机构编码）",
        "E3" => "规程第三部分第（三）条（考务方案）",
        "E4" => "规程第三部分第（三）条（考评员轮换、回避）",
        "E7" => "规程第三部分第（三）条（考核资料存档）",
        "C1" => "规程第四部分第（一）条（证书办理）",
        "F1" => "规程第六部分第（一）条（收费标准）",
        "F3" => "规程第六部分第（二）条（培训补贴）",
        "等保三级" => "GB/T 22239-2019《网络安全等级保护基本要求》第三级",
        _ => "",
    }
}

/// The note of a version in words: the first versions say where their values came from.
pub fn note_in_words(note: &str) -> String {
    if note.contains("docs/FACTS.md") {
        "系统初始值（依据湘人社规〔2021〕14号及公开资料整理）".into()
    } else {
        note.to_string()
    }
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

async fn page(state: &AppState, staff: &Staff, form: PolicyForm, errors: FieldErrors) -> Result<PolicyPage, PageError> {
    let rows = state.store.policy_rows(&staff.principal).await?;
    let publishers: Vec<String> = rows.iter().flat_map(|r| r.history.iter().map(|h| h.created_by.clone())).collect();
    let people = state.store.names_of_users(publishers).await?;
    let editable_keys = rows
        .iter()
        .filter(|r| match r.def.category {
            Category::Procedure => staff.principal.can(Action::EditProcedurePolicy),
            Category::Security => staff.principal.can(Action::EditSecurityPolicy),
        })
        .map(|r| r.def.key)
        .collect();
    Ok(PolicyPage {
        layout: Layout::new(staff, &state.config.system_name, "政策参数", "/admin/policy"),
        rows,
        editable_keys,
        people,
        errors: Errors(errors),
        form,
        today: store::today().to_string(),
    })
}

pub async fn show_policy(State(state): State<AppState>, staff: Staff) -> Result<PolicyPage, PageError> {
    page(&state, &staff, PolicyForm::default(), FieldErrors::new()).await
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
    redirect_or_form(result, |_| done("/admin/policy", "policy"), |errs| page(&state, &staff, f, errs)).await
}
