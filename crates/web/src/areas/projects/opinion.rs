//! A review group member's opinion (P4): once the seal opens, each member reads the specification and
//! files a conclusion with comments, once. The page is the member's only (404 to anyone else).

use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::{Form, Path};
use crate::view::{Errors, Layout, done, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::projects::{OpinionInput, ProjectState, ReviewConclusion, SpecificationInput};

#[derive(Template, WebTemplate)]
#[template(path = "projects/opinion.html")]
pub struct OpinionPage {
    layout: Layout,
    id: i64,
    name: String,
    devunit: String,
    spec: SpecificationInput,
    method: String,
    reviewing: bool,
    /// The caller has filed their opinion.
    filed: bool,
    /// The group's opinions filed so far (members read each other's once filed).
    opinions: Vec<(String, String, String, String)>,
    conclusions: &'static [ReviewConclusion],
    v: OpinionInput,
    errors: Errors,
}

async fn opinion_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    v: OpinionInput,
    errors: FieldErrors,
) -> Result<OpinionPage, PageError> {
    // The member's own opinion, read directly (P4): filed once, never again. 404 to a non-member.
    let own = state.store.own_opinion(&staff.principal, id).await?;
    let d = state.store.get_project(&staff.principal, id).await?;
    let reviewing = d.summary.state == ProjectState::Reviewing;
    let filed = own.is_some();
    Ok(OpinionPage {
        layout: Layout::new(staff, &state.config.system_name, "论证评审意见", "/my/reviews")
            .crumb("我的评审", "/my/reviews"),
        id,
        name: d.summary.name.clone(),
        devunit: d.summary.devunit_name.clone(),
        method: d.parsed.as_ref().map(|s| s.method().describe()).unwrap_or_default(),
        spec: d.specification,
        reviewing,
        filed,
        opinions: d
            .opinions
            .iter()
            .map(|o| {
                (
                    o.expert_name.clone(),
                    o.conclusion.label().to_string(),
                    crate::view::shanghai(o.recorded_at),
                    o.comments.clone(),
                )
            })
            .collect(),
        conclusions: ReviewConclusion::ALL,
        v,
        errors: Errors(errors),
    })
}

pub async fn opinion_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<OpinionPage, PageError> {
    opinion_page(&state, &staff, id, OpinionInput::default(), FieldErrors::new()).await
}

pub async fn file_opinion(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<OpinionInput>,
) -> Result<Response, PageError> {
    state.store.may_file_opinion(&staff.principal, id).await?;
    let result = state.store.file_opinion(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |()| done(format!("/projects/{id}/opinion"), "project_opinion_filed"),
        |refusal| opinion_page(&state, &staff, id, input.clone(), refusal.into_errors()),
    )
    .await
}
