//! The pages of the certificate subsidy (F3): the batches, building one with its preview, one batch
//! with its claims and the steps its state allows (each behind a confirmation), the finance office's
//! spreadsheet.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, redirect_or_refusal};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use domain::FieldErrors;
use domain::authz::Action;
use domain::certificates::{BatchStatus, ClaimStatus};
use domain::ids::region_name;
use serde::Deserialize;
use store::PageReq;
use store::subsidies::{BatchDetail, BatchInput, BatchQuery, BatchView, SubsidyPayInput, SubsidyPreview};

fn may_view(staff: &Staff) -> Result<(), PageError> {
    if staff.principal.can(Action::ViewSubsidies) { Ok(()) } else { Err(AppError::Forbidden.into()) }
}

/// Only the city center's staff build and decide (403 before the body is read).
fn may_manage(staff: &Staff) -> Result<(), PageError> {
    if staff.principal.can(Action::ManageSubsidies) { Ok(()) } else { Err(AppError::Forbidden.into()) }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    city: Option<String>,
    status: Option<String>,
    q: Option<String>,
    page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "subsidies/list.html")]
pub struct ListPage {
    layout: Layout,
    rows: Vec<BatchView>,
    pager: Pager,
    city: String,
    status: String,
    q: String,
    choose_city: bool,
    can_build: bool,
    cities: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    may_view(&staff)?;
    let query = BatchQuery {
        city: q.city.clone(),
        status: crate::view::filter_value("status", "状态", q.status.as_deref())?,
        q: q.q.clone(),
    };
    let page = state.store.list_subsidy_batches(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("city", q.city.clone()), ("status", q.status.clone()), ("q", q.q.clone())]);
    Ok(ListPage {
        layout: Layout::new(&staff, &state.config.system_name, "取证补贴", "/subsidies"),
        pager: Pager::of(&page, "/subsidies", &fq),
        rows: page.items,
        city: q.city.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        q: q.q.unwrap_or_default(),
        choose_city: staff.principal.scope == domain::org::DataScope::Province,
        can_build: staff.principal.can(Action::ManageSubsidies),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        statuses: BatchStatus::ALL.iter().map(|s| (s.id(), s.label())).collect(),
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    period: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "subsidies/new.html")]
pub struct NewPage {
    layout: Layout,
    period: String,
    preview: Option<SubsidyPreview>,
    errors: Errors,
}

async fn new_page(state: &AppState, staff: &Staff, period: String, errors: FieldErrors) -> Result<NewPage, PageError> {
    may_manage(staff)?;
    let mut errors = errors;
    let preview = if period.trim().is_empty() {
        None
    } else {
        match state.store.subsidy_preview(&staff.principal, &BatchInput { period: period.clone() }).await {
            Ok(p) => Some(p),
            Err(store::StoreError::Invalid(e)) => {
                errors.0.extend(e.0);
                None
            }
            Err(e) => return Err(AppError::from(e).into()),
        }
    };
    Ok(NewPage {
        layout: Layout::new(staff, &state.config.system_name, "生成补贴申领批次", "/subsidies")
            .crumb("取证补贴", "/subsidies"),
        period,
        preview,
        errors: Errors(errors),
    })
}

pub async fn new(State(state): State<AppState>, staff: Staff, Query(q): Query<NewQuery>) -> Result<NewPage, PageError> {
    new_page(&state, &staff, q.period.unwrap_or_default(), FieldErrors::new()).await
}

pub async fn build(
    State(state): State<AppState>,
    staff: Staff,
    Form(input): Form<BatchInput>,
) -> Result<Response, PageError> {
    may_manage(&staff)?;
    let result = state.store.build_subsidy_batch(&staff.principal, &input, &staff.ctx).await;
    redirect_or_refusal(
        result,
        |id| done(format!("/subsidies/{id}"), "subsidy_batch_built"),
        |r| new_page(&state, &staff, input.period.clone(), r.into_errors()),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "subsidies/batch.html")]
pub struct BatchPage {
    layout: Layout,
    d: BatchDetail,
    pay: SubsidyPayInput,
    /// The claim whose rejection was refused, and what was typed.
    reject_claim: i64,
    reject_reason: String,
    /// `pay`, `reject` or the form of a refused step.
    form: &'static str,
    errors: Errors,
}

impl BatchPage {
    fn pending(&self) -> bool {
        self.d.batch.status == BatchStatus::Pending
    }
    fn approved(&self) -> bool {
        self.d.batch.status == BatchStatus::Approved
    }
    fn claim_pending(&self, s: &ClaimStatus) -> bool {
        *s == ClaimStatus::Pending
    }
    fn err(&self, form: &str, field: &str) -> &str {
        if self.form == form { self.errors.get(field) } else { "" }
    }
    fn city_name(&self) -> String {
        region_name(&self.d.batch.city)
    }
}

#[derive(Default)]
struct Typed {
    pay: Option<SubsidyPayInput>,
    reject: Option<(i64, String)>,
    form: &'static str,
    errors: FieldErrors,
}

async fn batch_page(state: &AppState, staff: &Staff, id: i64, typed: Typed) -> Result<BatchPage, PageError> {
    may_view(staff)?;
    let d = state.store.subsidy_batch(&staff.principal, id).await?;
    let (reject_claim, reject_reason) = typed.reject.unwrap_or_default();
    Ok(BatchPage {
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("补贴申领批次：{} {}", region_name(&d.batch.city), d.batch.period),
            "/subsidies",
        )
        .crumb("取证补贴", "/subsidies"),
        d,
        pay: typed
            .pay
            .unwrap_or(SubsidyPayInput { paid_on: store::today().to_string(), voucher_number: String::new() }),
        reject_claim,
        reject_reason,
        form: typed.form,
        errors: Errors(typed.errors),
    })
}

pub async fn batch(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<BatchPage, PageError> {
    batch_page(&state, &staff, id, Typed::default()).await
}

async fn answer(
    state: &AppState,
    staff: &Staff,
    id: i64,
    result: Result<(), store::StoreError>,
    notice: &str,
    typed: impl FnOnce(FieldErrors) -> Typed,
) -> Result<Response, PageError> {
    redirect_or_refusal(
        result,
        |()| done(format!("/subsidies/{id}"), notice),
        |r| batch_page(state, staff, id, typed(r.into_errors())),
    )
    .await
}

pub async fn approve_batch(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    may_manage(&staff)?;
    let result = state.store.approve_subsidy_batch(&staff.principal, id, &staff.ctx).await;
    answer(&state, &staff, id, result, "subsidy_batch_approved", |errors| Typed {
        form: "approve",
        errors,
        ..Default::default()
    })
    .await
}

pub async fn pay(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(input): Form<SubsidyPayInput>,
) -> Result<Response, PageError> {
    may_manage(&staff)?;
    let result = state.store.pay_subsidy_batch(&staff.principal, id, &input, &staff.ctx).await;
    answer(&state, &staff, id, result, "subsidy_batch_paid", |errors| Typed {
        pay: Some(input),
        form: "pay",
        errors,
        ..Default::default()
    })
    .await
}

pub async fn approve_claim(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, cid)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    may_manage(&staff)?;
    let result = state.store.approve_subsidy_claim(&staff.principal, id, cid, &staff.ctx).await;
    answer(&state, &staff, id, result, "subsidy_claim_approved", |errors| Typed {
        form: "claim",
        errors,
        ..Default::default()
    })
    .await
}

#[derive(Deserialize, Default)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

pub async fn reject_claim(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, cid)): Path<(i64, i64)>,
    Form(input): Form<RejectForm>,
) -> Result<Response, PageError> {
    may_manage(&staff)?;
    let result = state.store.reject_subsidy_claim(&staff.principal, id, cid, &input.reason, &staff.ctx).await;
    answer(&state, &staff, id, result, "subsidy_claim_rejected", |errors| Typed {
        reject: Some((cid, input.reason)),
        form: "reject",
        errors,
        ..Default::default()
    })
    .await
}

/// The columns of the finance office's spreadsheet.
pub const EXPORT_HEADERS: [&str; 10] = [
    "序号",
    "姓名",
    "身份证件号码",
    "证书编号",
    "考核项目",
    "人员类别",
    "补贴金额（元）",
    "发放状态",
    "不予补贴理由",
    "拨付凭证号",
];

pub async fn export(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<Response, PageError> {
    may_view(&staff)?;
    let (b, claims, _full) = state.store.subsidy_export(&staff.principal, id, &staff.ctx).await?;
    let voucher = b.voucher_number.clone().unwrap_or_default();
    let rows = claims
        .into_iter()
        .enumerate()
        .map(|(i, (c, number))| {
            vec![
                (i + 1).to_string(),
                c.holder_name,
                number,
                c.certificate_number,
                format!("{} {}", c.project_code, c.project_name),
                c.category,
                if c.status == ClaimStatus::Rejected { "0.00".to_owned() } else { c.amount.to_string() },
                c.status.label().to_owned(),
                c.reason,
                if c.status == ClaimStatus::Paid { voucher.clone() } else { String::new() },
            ]
        })
        .collect();
    let bytes =
        crate::xlsx::write(&[crate::xlsx::Sheet { name: "补贴发放清单", headers: &EXPORT_HEADERS, rows }])
            .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download(&format!("subsidy-batch-{id}.xlsx"), bytes))
}
