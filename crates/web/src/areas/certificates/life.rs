//! One issued certificate (C1): its page with its history of reissues, and the two acts on it that
//! cannot be undone — revoke (注销, with a reason; a reported certificate answers the public query as
//! revoked) and reissue (补发, same number on the city's next unused blank; the old blank is voided with
//! the reason) — each behind a confirmation.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path};
use crate::view::{Errors, Layout, done, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use serde::Deserialize;
use store::certificates::CertificateDetail;

/// The reason typed into the revoke or reissue form.
#[derive(Deserialize, Default, Clone)]
pub struct ReasonForm {
    #[serde(default)]
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/detail.html")]
pub struct DetailPage {
    layout: Layout,
    d: CertificateDetail,
    /// The overlay layouts to print on (id, name, default), the default first.
    print_layouts: Vec<(i64, String, bool)>,
    /// Which form the errors belong to (`revoke` or `reissue`), with what was typed.
    failed: &'static str,
    input: ReasonForm,
    errors: Errors,
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    failed: &'static str,
    input: ReasonForm,
    errors: FieldErrors,
) -> Result<DetailPage, PageError> {
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let d = state.store.certificate_detail(&staff.principal, id).await?;
    let print_layouts = state.store.layout_choices(&staff.principal).await?;
    Ok(DetailPage {
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("证书 {}", d.certificate.number),
            "/issued-certificates",
        )
        .crumb("证书管理", "/issued-certificates"),
        d,
        print_layouts,
        failed,
        input,
        errors: Errors(errors),
    })
}

/// C1: the certificate's page.
pub async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<DetailPage, PageError> {
    detail_page(&state, &staff, id, "", ReasonForm::default(), FieldErrors::new()).await
}

/// C1: revoke the certificate with a reason.
pub async fn revoke(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<ReasonForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.revoke_certificate(&staff.principal, id, &input.reason, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |()| done(format!("/issued-certificates/{id}"), "certificate_revoked"),
        |refusal| detail_page(&state, &staff, id, "revoke", input, refusal.into_errors()),
    )
    .await
}

/// C1: reissue the certificate on a new blank under the same number.
pub async fn reissue(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<ReasonForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ListCertificates) {
        return Err(AppError::Forbidden.into());
    }
    let result = state.store.reissue_certificate(&staff.principal, id, &input.reason, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |_| done(format!("/issued-certificates/{id}"), "certificate_reissued"),
        |refusal| detail_page(&state, &staff, id, "reissue", input, refusal.into_errors()),
    )
    .await
}
