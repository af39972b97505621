//! The findings form of an evaluation group member (S4): the application and its materials to review,
//! and the member's findings by the six methods with a conclusion, signed once the seal opens.

use super::materials::MaterialsBlock;
use super::view::{AppView, Fields, err_of};
use crate::AppState;
use crate::auth::Staff;
use crate::error::PageError;
use crate::extract::{Form, Path};
use crate::view::{Errors, Layout, Refusal, done, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::stations::{Conclusion, EvaluationMethod, FilingState, FindingInput, FindingsInput};
use store::filings::EvaluationPlan;

pub struct MethodInput {
    id: &'static str,
    label: &'static str,
    value: String,
    error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "filings/findings.html")]
pub struct FindingsPage {
    layout: Layout,
    id: i64,
    state_label: String,
    evaluating: bool,
    group_size: usize,
    app: AppView,
    /// The application folded: the member reads it on demand (issue 9 item 9).
    app_open: bool,
    plan: Option<EvaluationPlan>,
    methods: Vec<MethodInput>,
    conclusion: String,
    comment: String,
    errors: Errors,
    refusal: String,
    /// The materials the member reviews.
    mat: MaterialsBlock,
}

async fn findings_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    typed: Option<FindingsInput>,
    errors: FieldErrors,
    refusal: String,
) -> Result<FindingsPage, PageError> {
    let store::filings::MemberView { filing: m, application, plan, group_size, own, materials } =
        state.store.member_view(&staff.principal, id).await?;
    // A member revising their findings starts from what they signed last time.
    let typed = typed.or(own).unwrap_or_default();
    let methods = EvaluationMethod::ALL
        .iter()
        .map(|x| MethodInput {
            id: x.id(),
            label: x.label(),
            value: typed.findings.iter().find(|f| f.method == x.id()).map(|f| f.text.clone()).unwrap_or_default(),
            error: err_of(&errors, &format!("findings.{}", x.id())),
        })
        .collect();
    Ok(FindingsPage {
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("评估意见：{}", m.institution_name),
            "/my/reviews",
        )
        .crumb("我的评审", "/my/reviews"),
        id,
        state_label: m.state.label().to_string(),
        evaluating: m.state == FilingState::Evaluating,
        group_size,
        app: AppView::of(&application),
        app_open: false,
        plan,
        methods,
        conclusion: typed.conclusion,
        comment: typed.comment,
        errors: Errors(errors),
        refusal,
        mat: MaterialsBlock::new(id, materials, false),
    })
}

pub async fn findings_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<FindingsPage, PageError> {
    findings_page(&state, &staff, id, None, FieldErrors::new(), String::new()).await
}

pub async fn record_findings(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(pairs);
    let input = FindingsInput {
        findings: EvaluationMethod::ALL
            .iter()
            .map(|m| FindingInput { method: m.id().to_string(), text: f.one(&format!("finding_{}", m.id())) })
            .collect(),
        conclusion: f.one("conclusion"),
        comment: f.one("comment"),
    };
    let result = state.store.record_findings(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |()| done("/my/reviews", "findings_saved"),
        |refusal| {
            let (errors, reason) = match refusal {
                Refusal::Invalid(errors) => (errors, String::new()),
                Refusal::Conflict(e) => (FieldErrors::new(), e.detail),
            };
            findings_page(&state, &staff, id, Some(input), errors, reason)
        },
    )
    .await
}
