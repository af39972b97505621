//! P1: the province records a project published by the national center or another province — source,
//! original code and date, its specification (its original name kept) and the evidence of its
//! question bank; it is approved on the record page (`approve_adoption`) and enters the catalog with
//! its provenance.

use super::form::{SpecParts, spec_parts, typed_specification};
use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::PageError;
use crate::extract::Form;
use crate::view::{Errors, Layout, done, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use domain::projects::{AdoptionInput, AdoptionSource, OTHER_PROVINCES, SpecificationInput};

#[derive(Template, WebTemplate)]
#[template(path = "projects/adopt.html")]
pub struct AdoptionPage {
    layout: Layout,
    a: AdoptionInput,
    sources: &'static [AdoptionSource],
    provinces: &'static [&'static str],
    v: SpecificationInput,
    errors: Errors,
    tasks: Vec<super::form::TaskRow>,
    fields_text: String,
    name_rule: &'static str,
}

fn adoption_page(staff: &Staff, system_name: &str, a: AdoptionInput, errors: FieldErrors) -> AdoptionPage {
    // The specification's errors stand beside its inputs, which carry the specification's own names.
    let errors = FieldErrors(
        errors
            .0
            .into_iter()
            .map(|e| match e.field.strip_prefix("specification.").map(str::to_string) {
                Some(f) => e.for_field(&f),
                None => e,
            })
            .collect(),
    );
    let SpecParts { errors, tasks, fields_text } = spec_parts(&a.specification, errors);
    AdoptionPage {
        layout: Layout::new(staff, system_name, "登记直接采用的考核项目", "/projects").crumb("考核项目", "/projects"),
        v: a.specification.clone(),
        a,
        sources: AdoptionSource::ALL,
        provinces: &OTHER_PROVINCES,
        errors,
        tasks,
        fields_text,
        name_rule: "直接采用的项目保留原发布时的名称，2 至 30 个字。",
    }
}

pub async fn adoption_form(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageCatalog) {
        return Err(forbidden());
    }
    Ok(adoption_page(&staff, &state.config.system_name, AdoptionInput::default(), FieldErrors::new()).into_response())
}

pub async fn record_adoption(
    State(state): State<AppState>,
    staff: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageCatalog) {
        return Err(forbidden());
    }
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let a = AdoptionInput {
        source: one("source"),
        province: one("province"),
        original_code: one("original_code"),
        original_publication_date: one("original_publication_date"),
        specification: typed_specification(&pairs),
        evidence: one("evidence"),
    };
    let result = state.store.record_adoption(&staff.principal, &a, &staff.ctx).await;
    redirect_or_form(
        result,
        |id| done(format!("/projects/{id}"), "project_adopted"),
        |errs| async { Ok(adoption_page(&staff, &state.config.system_name, a, errs)) },
    )
    .await
}
