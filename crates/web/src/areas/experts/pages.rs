//! The expert committee pages (P5): list with search and paging, create, edit, declared conflicts and
//! former employers (recusal facts for the draws), .xlsx template, import (all-or-nothing, each bad cell
//! reported by row, column and reason) and export.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, redirect_or_form};
use crate::xlsx::{self, Sheet};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::authz::Action;
use domain::draws::PickStatus;
use domain::experts::ExpertStatus;
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use store::experts::{ExpertDetail, ExpertInput, ExpertQuery, ExpertView};

/// The statuses as the forms offer them: (id, label).
fn statuses() -> Vec<(&'static str, &'static str)> {
    ExpertStatus::ALL.iter().map(|s| (s.id(), s.label())).collect()
}
use store::orgs::{OrgQuery, OrgView};
use store::{PageReq, StoreError};

/// The spreadsheet columns: header, field of `ExpertInput`.
pub const COLUMNS: &[(&str, &str)] = &[
    ("姓名", "name"),
    ("身份证号码", "id_number"),
    ("工作单位", "employer_name"),
    ("专业技术职称", "title"),
    ("专业领域", "specialties"),
    ("所在市州代码", "city_code"),
    ("联系电话", "phone"),
    ("状态", "status"),
    ("备注", "note"),
];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    city: Option<String>,
    specialty: Option<String>,
    status: Option<String>,
    page: Option<u64>,
}

fn expert_query(q: &ListQuery) -> Result<ExpertQuery, crate::error::AppError> {
    Ok(ExpertQuery {
        q: q.q.clone(),
        city: q.city.clone(),
        specialty: q.specialty.clone(),
        status: crate::view::filter_value("status", "状态", q.status.as_deref())?,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "experts/list.html")]
pub struct ExpertsPage {
    layout: Layout,
    experts: Vec<ExpertView>,
    pager: Pager,
    q: String,
    city: String,
    specialty: String,
    status: String,
    cities: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    export_href: String,
}

pub async fn list_experts(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ExpertsPage, PageError> {
    let page = state.store.list_experts(&staff.principal, &expert_query(&q)?, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[
        ("q", q.q.clone()),
        ("city", q.city.clone()),
        ("specialty", q.specialty.clone()),
        ("status", q.status.clone()),
    ]);
    Ok(ExpertsPage {
        layout: Layout::new(&staff, &state.config.system_name, "专家库", "/admin/experts"),
        pager: Pager::of(&page, "/admin/experts", &fq),
        export_href: format!("/admin/experts/export.xlsx?{fq}"),
        experts: page.items,
        q: q.q.unwrap_or_default(),
        city: q.city.unwrap_or_default(),
        specialty: q.specialty.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        statuses: statuses(),
        can_manage: staff.principal.can(Action::ManageExperts),
    })
}

fn headers() -> Vec<&'static str> {
    COLUMNS.iter().map(|(h, _)| *h).collect()
}

pub async fn export_experts(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let page =
        state.store.list_experts(&staff.principal, &expert_query(&q)?, PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|e| {
            vec![
                e.name,
                e.id_number_masked,
                e.employer_name,
                e.title,
                e.specialties.join("、"),
                e.city_code,
                e.phone,
                e.status.label().to_string(),
                e.note,
            ]
        })
        .collect();
    let h = headers();
    let bytes = xlsx::write(&[Sheet { name: "专家库", headers: &h, rows }]).map_err(AppError::Internal)?;
    Ok(xlsx::download("experts.xlsx", bytes))
}

/// The import template: the header row, and a sheet explaining each column.
pub async fn expert_template(staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageExperts) {
        return Err(crate::auth::forbidden());
    }
    let notes = vec![
        vec!["姓名".into(), "必填，2～30 个字".into()],
        vec!["身份证号码".into(), "必填，18 位，末位 X 大小写均可".into()],
        vec!["工作单位".into(), "必填".into()],
        vec!["专业技术职称".into(), "必填，无职称填“无”".into()],
        vec!["专业领域".into(), "必填，多个用顿号（、）分隔，如：烹饪、茶艺".into()],
        vec!["所在市州代码".into(), "必填，如长沙市 430100、湘西州 433100".into()],
        vec!["联系电话".into(), "必填，手机号或带区号的固定电话".into()],
        vec!["状态".into(), "选填：active（在库，默认）、suspended（暂停）、retired（退出）".into()],
        vec!["备注".into(), "选填".into()],
    ];
    let h = headers();
    let bytes = xlsx::write(&[
        Sheet { name: "专家", headers: &h, rows: vec![] },
        Sheet { name: "填写说明", headers: &["列", "要求"], rows: notes },
    ])
    .map_err(AppError::Internal)?;
    Ok(xlsx::download("experts-template.xlsx", bytes))
}

async fn org_options(state: &AppState, staff: &Staff) -> Result<Vec<OrgView>, PageError> {
    Ok(state.store.list_orgs(&staff.principal, &OrgQuery::default(), PageReq { page: 1, per_page: 2000 }).await?.items)
}

#[derive(Template, WebTemplate)]
#[template(path = "experts/form.html")]
pub struct ExpertFormPage {
    layout: Layout,
    action: String,
    input: ExpertInput,
    errors: Errors,
    orgs: Vec<OrgView>,
    cities: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    editing: bool,
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    input: ExpertInput,
    errors: FieldErrors,
) -> Result<ExpertFormPage, PageError> {
    let (title, action) = match id {
        Some(id) => ("修改专家信息".to_string(), format!("/admin/experts/{id}")),
        None => ("新增专家".to_string(), "/admin/experts".to_string()),
    };
    Ok(ExpertFormPage {
        layout: Layout::new(staff, &state.config.system_name, &title, "/admin/experts")
            .crumb("专家库", "/admin/experts"),
        action,
        input,
        errors: Errors(errors),
        orgs: org_options(state, staff).await?,
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        statuses: statuses(),
        editing: id.is_some(),
    })
}

pub async fn new_expert_form(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageExperts) {
        return Err(crate::auth::forbidden());
    }
    Ok(form_page(&state, &staff, None, ExpertInput::default(), FieldErrors::new()).await?.into_response())
}

#[derive(Deserialize)]
pub struct ExpertForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    employer_org_id: String,
    #[serde(default)]
    employer_name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    specialties: String,
    #[serde(default)]
    city_code: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

impl From<ExpertForm> for ExpertInput {
    fn from(f: ExpertForm) -> Self {
        ExpertInput {
            name: f.name,
            id_number: f.id_number,
            employer_org_id: f.employer_org_id.parse().ok(),
            employer_name: f.employer_name,
            title: f.title,
            specialties: f.specialties,
            city_code: f.city_code,
            phone: f.phone,
            status: f.status,
            note: f.note,
        }
    }
}

pub async fn create_expert(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<ExpertForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageExperts) {
        return Err(crate::auth::forbidden());
    }
    let mut input = ExpertInput::from(f);
    let result = state.store.create_expert(&staff.principal, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |id| done(format!("/admin/experts/{id}"), "created"),
        |errs| {
            input.id_number.clear();
            form_page(&state, &staff, None, input, errs)
        },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "experts/show.html")]
pub struct ExpertPage {
    layout: Layout,
    detail: ExpertDetail,
    form: Option<ExpertFormPage>,
    orgs: Vec<OrgView>,
    errors: Errors,
    today: String,
}

async fn expert_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    edit: Option<(ExpertInput, FieldErrors)>,
    errors: FieldErrors,
) -> Result<ExpertPage, PageError> {
    let detail = state.store.get_expert(&staff.principal, id).await?;
    let form = if staff.principal.can(Action::ManageExperts) {
        let (input, errs) = edit.unwrap_or_else(|| {
            let e = &detail.expert;
            let input = ExpertInput {
                name: e.name.clone(),
                id_number: String::new(),
                employer_org_id: e.employer_org_id,
                employer_name: e.employer_name.clone(),
                title: e.title.clone(),
                specialties: e.specialties.join("、"),
                city_code: e.city_code.clone(),
                phone: e.phone.clone(),
                status: e.status.id().to_string(),
                note: e.note.clone(),
            };
            (input, FieldErrors::new())
        });
        Some(form_page(state, staff, Some(id), input, errs).await?)
    } else {
        None
    };
    Ok(ExpertPage {
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("专家：{}", detail.expert.name),
            "/admin/experts",
        )
        .crumb("专家库", "/admin/experts"),
        // The organisations the edit form already listed (one query for both).
        orgs: form.as_ref().map(|f| f.orgs.clone()).unwrap_or_default(),
        detail,
        form,
        errors: Errors(errors),
        today: store::today().to_string(),
    })
}

pub async fn show_expert(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<ExpertPage, PageError> {
    expert_page(&state, &staff, id, None, FieldErrors::new()).await
}

pub async fn update_expert(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ExpertForm>,
) -> Result<Response, PageError> {
    let input = ExpertInput::from(f);
    let result = state.store.update_expert(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |()| updated(id),
        |errs| expert_page(&state, &staff, id, Some((input, errs)), FieldErrors::new()),
    )
    .await
}

/// Back to the expert's page after a change to the record.
fn updated(id: i64) -> crate::view::Done {
    done(format!("/admin/experts/{id}"), "updated")
}

#[derive(Deserialize)]
pub struct ConflictForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    reason: String,
}

pub async fn declare_conflict(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ConflictForm>,
) -> Result<Response, PageError> {
    let result = match f.org_id.parse::<i64>() {
        Ok(org) => state.store.declare_conflict(&staff.principal, id, org, &f.reason, &staff.ctx).await,
        Err(_) if staff.principal.can(Action::ManageExperts) => {
            Err(FieldError::new("org_id", "REQUIRED", "请选择回避的机构").into())
        }
        Err(_) => Err(StoreError::Forbidden),
    };
    redirect_or_form(result, |()| updated(id), |errs| expert_page(&state, &staff, id, None, errs)).await
}

#[derive(Deserialize)]
pub struct EmploymentForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    until: String,
}

pub async fn add_past_employment(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<EmploymentForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageExperts) {
        return Err(crate::auth::forbidden());
    }
    let mut errs = FieldErrors::new();
    let org = f.org_id.parse::<i64>().ok();
    if org.is_none() {
        errs.push(FieldError::new("employment_org_id", "REQUIRED", "请选择曾任职的机构"));
    }
    let until = crate::view::parse_date(&f.until);
    if until.is_none() {
        errs.push(FieldError::new("until", "DATE_FORMAT", "离职日期格式应为 YYYY-MM-DD"));
    }
    let result = match (org, until) {
        (Some(org), Some(until)) if errs.is_empty() => {
            state.store.add_past_employment(&staff.principal, id, org, until, &staff.ctx).await
        }
        _ => Err(StoreError::Invalid(errs)),
    };
    redirect_or_form(result, |()| updated(id), |errs| expert_page(&state, &staff, id, None, errs)).await
}

#[derive(Template, WebTemplate)]
#[template(path = "experts/import.html")]
pub struct ImportPage {
    layout: Layout,
    problems: Vec<String>,
}

fn import_page(state: &AppState, staff: &Staff, problems: Vec<String>) -> ImportPage {
    ImportPage {
        layout: Layout::new(staff, &state.config.system_name, "批量导入专家", "/admin/experts")
            .crumb("专家库", "/admin/experts"),
        problems,
    }
}

pub async fn import_form(State(state): State<AppState>, staff: Staff) -> Result<ImportPage, PageError> {
    if !staff.principal.can(Action::ManageExperts) {
        return Err(crate::auth::forbidden());
    }
    Ok(import_page(&state, &staff, vec![]))
}

/// Rows of an uploaded workbook as expert inputs (header names decide the columns).
pub fn rows_to_inputs(rows: &[Vec<String>]) -> Result<Vec<ExpertInput>, String> {
    let required: Vec<&str> = COLUMNS.iter().map(|(h, _)| *h).filter(|h| *h != "状态" && *h != "备注").collect();
    Ok(xlsx::records(rows, COLUMNS, &required)?
        .into_iter()
        .map(|mut rec| {
            let mut get = |f: &str| rec.remove(f).unwrap_or_default();
            ExpertInput {
                name: get("name"),
                id_number: get("id_number"),
                employer_org_id: None,
                employer_name: get("employer_name"),
                title: get("title"),
                specialties: get("specialties"),
                city_code: get("city_code"),
                phone: get("phone"),
                status: get("status"),
                note: get("note"),
            }
        })
        .collect())
}

pub async fn import_experts(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageExperts) {
        return Err(crate::auth::forbidden());
    }
    let problems = match xlsx::upload(multipart).await? {
        Err(msg) => vec![msg],
        Ok(bytes) => match xlsx::read(&bytes).and_then(|rows| rows_to_inputs(&rows)) {
            Err(msg) => vec![msg],
            Ok(inputs) => match state.store.import_experts(&staff.principal, &inputs, &staff.ctx).await {
                Ok(_) => return Ok(done("/admin/experts", "imported").into_response()),
                Err(StoreError::Invalid(errs)) => xlsx::describe(&errs, COLUMNS),
                Err(e) => return Err(e.into()),
            },
        },
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, import_page(&state, &staff, problems)).into_response())
}
