//! The fees of one session (F1): the candidates with their fee's state and the totals
//! (`/sessions/{id}/fees`), and one candidate's fee with the forms its state allows
//! (`/sessions/{id}/fees/{cid}`): the payment (date, amount, receipt number); the waiver and the refund,
//! each with its reason behind a confirmation (irreversible).

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
use domain::certificates::FeeStatus;
use store::fees::{FeeView, PaymentInput, RefundInput, SessionFees, WaiveInput};

#[derive(Template, WebTemplate)]
#[template(path = "fees/session.html")]
pub struct FeesPage {
    layout: Layout,
    s: SessionFees,
}

pub async fn fees(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<FeesPage, PageError> {
    if !staff.principal.can(Action::ViewFees) {
        return Err(AppError::Forbidden.into());
    }
    let s = state.store.session_fees(&staff.principal, id).await?;
    Ok(FeesPage {
        layout: Layout::new(&staff, &state.config.system_name, &format!("考核收费（考核计划 第 {id} 号）"), "/fees")
            .crumb("考核收费", "/fees")
            .crumb(&format!("考核计划 第 {id} 号"), &format!("/sessions/{id}")),
        s,
    })
}

/// What was typed on the candidate's page and why it was refused.
#[derive(Default)]
pub struct Typed {
    pay: PaymentInput,
    waive: WaiveInput,
    refund: RefundInput,
    /// Which form the errors belong to: `pay`, `waive` or `refund`.
    form: &'static str,
    errors: FieldErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "fees/candidate.html")]
pub struct CandidatePage {
    layout: Layout,
    s: SessionFees,
    f: FeeView,
    pay: PaymentInput,
    waive: WaiveInput,
    refund: RefundInput,
    form: &'static str,
    errors: Errors,
}

impl CandidatePage {
    fn due(&self) -> bool {
        self.f.status == FeeStatus::Due
    }
    fn paid(&self) -> bool {
        self.f.status == FeeStatus::Paid
    }
    /// The error of `field` on `form`, if that form was refused.
    fn err(&self, form: &str, field: &str) -> &str {
        if self.form == form { self.errors.get(field) } else { "" }
    }
}

async fn candidate_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    cid: i64,
    typed: Typed,
) -> Result<CandidatePage, PageError> {
    if !staff.principal.can(Action::ViewFees) {
        return Err(AppError::Forbidden.into());
    }
    let mut s = state.store.candidate_fee(&staff.principal, id, cid).await?;
    let f = s.fees.remove(0);
    let today = store::today().to_string();
    let pay = if typed.form == "pay" {
        typed.pay
    } else {
        PaymentInput { paid_on: today.clone(), amount: s.standard.to_string(), receipt_number: String::new() }
    };
    let refund =
        if typed.form == "refund" { typed.refund } else { RefundInput { refunded_on: today, reason: String::new() } };
    Ok(CandidatePage {
        layout: Layout::new(staff, &state.config.system_name, &format!("考核费：{}", f.name), "/fees")
            .crumb("考核收费", "/fees")
            .crumb(&format!("考核计划 第 {id} 号"), &format!("/sessions/{id}/fees")),
        s,
        f,
        pay,
        waive: typed.waive,
        refund,
        form: typed.form,
        errors: Errors(typed.errors),
    })
}

pub async fn candidate(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, cid)): Path<(i64, i64)>,
) -> Result<CandidatePage, PageError> {
    candidate_page(&state, &staff, id, cid, Typed::default()).await
}

/// Only the city center's staff record fees (403 before the body is read).
fn may_record(staff: &Staff) -> Result<(), PageError> {
    if staff.principal.can(Action::RecordFees) { Ok(()) } else { Err(AppError::Forbidden.into()) }
}

/// The answer to a fee step: back to the session's fees with `notice`, or the candidate's page again
/// with the form as typed (`typed` of the refusal's errors).
async fn answer(
    state: &AppState,
    staff: &Staff,
    (id, cid): (i64, i64),
    result: Result<(), store::StoreError>,
    notice: &str,
    typed: impl FnOnce(FieldErrors) -> Typed,
) -> Result<Response, PageError> {
    redirect_or_refusal(
        result,
        |()| done(format!("/sessions/{id}/fees"), notice),
        |r| candidate_page(state, staff, id, cid, typed(r.into_errors())),
    )
    .await
}

pub async fn pay(
    State(state): State<AppState>,
    staff: Staff,
    Path(ids): Path<(i64, i64)>,
    Form(input): Form<PaymentInput>,
) -> Result<Response, PageError> {
    may_record(&staff)?;
    let result = state.store.pay_fee(&staff.principal, ids.0, ids.1, &input, &staff.ctx).await;
    answer(&state, &staff, ids, result, "fee_paid", |errors| Typed {
        pay: input,
        form: "pay",
        errors,
        ..Default::default()
    })
    .await
}

pub async fn waive(
    State(state): State<AppState>,
    staff: Staff,
    Path(ids): Path<(i64, i64)>,
    Form(input): Form<WaiveInput>,
) -> Result<Response, PageError> {
    may_record(&staff)?;
    let result = state.store.waive_fee(&staff.principal, ids.0, ids.1, &input, &staff.ctx).await;
    answer(&state, &staff, ids, result, "fee_waived", |errors| Typed {
        waive: input,
        form: "waive",
        errors,
        ..Default::default()
    })
    .await
}

pub async fn refund(
    State(state): State<AppState>,
    staff: Staff,
    Path(ids): Path<(i64, i64)>,
    Form(input): Form<RefundInput>,
) -> Result<Response, PageError> {
    may_record(&staff)?;
    let result = state.store.refund_fee(&staff.principal, ids.0, ids.1, &input, &staff.ctx).await;
    answer(&state, &staff, ids, result, "fee_refunded", |errors| Typed {
        refund: input,
        form: "refund",
        errors,
        ..Default::default()
    })
    .await
}
