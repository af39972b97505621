//! E8–E10 pages: the registry list (search by name or card number, filters by kind, city, project and
//! status, paging), .xlsx export, the form to register or edit a person, the person's page, the .xlsx
//! template and the all-or-nothing import.

use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::{AppError, PageError};
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, Pager, done, filter_query, redirect_or_form};
use crate::xlsx::{self, Sheet};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use domain::registry::{Kinship, PersonKind, PersonStatus, StatusChange};
use serde::Deserialize;
use store::orgs::{OrgQuery, OrgView};
use store::registry::{PersonDetail, PersonInput, PersonQuery, PersonView};
use store::{PageReq, StoreError};

/// The spreadsheet columns: header, field of `PersonInput`.
pub const COLUMNS: &[(&str, &str)] = &[
    ("类别", "kind"),
    ("姓名", "name"),
    ("身份证号码", "id_number"),
    ("联系电话", "phone"),
    ("所在市州代码", "city_code"),
    ("工作单位", "employer_name"),
    ("证书编号", "card_number"),
    ("证书有效期至", "card_valid_until"),
    ("可考评项目代码", "projects"),
    ("备注", "note"),
];

/// Columns an import sheet must have (the others may be left out).
const REQUIRED: &[&str] = &["类别", "姓名", "身份证号码", "联系电话", "所在市州代码", "工作单位"];

/// (id, label) pairs of a `string_enum!` for a select.
pub(super) fn options<T: Copy>(
    all: &[T],
    id: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (id(*v), label(*v))).collect()
}

pub(super) fn kinds() -> Vec<(&'static str, &'static str)> {
    options(PersonKind::ALL, PersonKind::id, PersonKind::label)
}

pub(super) fn kinships() -> Vec<(&'static str, &'static str)> {
    options(Kinship::ALL, Kinship::id, Kinship::label)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    kind: Option<String>,
    city: Option<String>,
    project: Option<String>,
    status: Option<String>,
    page: Option<u64>,
}

fn person_query(q: &ListQuery) -> Result<PersonQuery, AppError> {
    Ok(PersonQuery {
        q: q.q.clone(),
        kind: crate::view::filter_value("kind", "类别", q.kind.as_deref())?,
        city: q.city.clone(),
        project: q.project.clone(),
        status: crate::view::filter_value("status", "状态", q.status.as_deref())?,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/list.html")]
pub struct RegistryPage {
    layout: Layout,
    people: Vec<PersonView>,
    pager: Pager,
    q: String,
    kind: String,
    city: String,
    project: String,
    status: String,
    kinds: Vec<(&'static str, &'static str)>,
    cities: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    export_href: String,
}

pub async fn list_registry(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<RegistryPage, PageError> {
    let page = state.store.list_registry(&staff.principal, &person_query(&q)?, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[
        ("q", q.q.clone()),
        ("kind", q.kind.clone()),
        ("city", q.city.clone()),
        ("project", q.project.clone()),
        ("status", q.status.clone()),
    ]);
    Ok(RegistryPage {
        layout: Layout::new(&staff, &state.config.system_name, "考评人员库", "/registry"),
        pager: Pager::of(&page, "/registry", &fq),
        export_href: format!("/registry/export.xlsx?{fq}"),
        people: page.items,
        q: q.q.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        city: q.city.unwrap_or_default(),
        project: q.project.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        kinds: kinds(),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        statuses: options(PersonStatus::ALL, PersonStatus::id, PersonStatus::label),
        can_manage: staff.principal.can(Action::ManageRegistry),
    })
}

/// The list as a spreadsheet (ID numbers masked), with the filters of the page.
pub async fn export_registry(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let page =
        state.store.list_registry(&staff.principal, &person_query(&q)?, PageReq { page: 1, per_page: 100_000 }).await?;
    let mut headers: Vec<&str> = COLUMNS.iter().map(|(h, _)| *h).collect();
    headers.push("状态");
    let rows = page
        .items
        .into_iter()
        .map(|p| {
            vec![
                p.kind.label().to_owned(),
                p.name,
                p.id_number_masked,
                p.phone,
                p.city_code,
                p.employer_name,
                p.card_number,
                p.card_valid_until.to_string(),
                p.projects.join("、"),
                p.note,
                p.status.label().to_owned(),
            ]
        })
        .collect();
    let bytes = xlsx::write(&[Sheet { name: "考评人员库", headers: &headers, rows }]).map_err(AppError::Internal)?;
    Ok(xlsx::download("registry.xlsx", bytes))
}

/// The import template: the header row, and a sheet explaining each column.
pub async fn registry_template(staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let notes: Vec<Vec<String>> = [
        ("类别", "必填：考评员、督导员 或 培训师"),
        ("姓名", "必填，2～30 个字"),
        ("身份证号码", "必填，18 位，末位 X 大小写均可；同一类别中不能重复"),
        ("联系电话", "必填，手机号或带区号的固定电话"),
        ("所在市州代码", "必填，如长沙市 430100、湘西州 433100"),
        ("工作单位", "必填，现工作单位全称"),
        ("证书编号", "选填：已持证的填写原证书编号；留空则按编号规则自动编号"),
        ("证书有效期至", "选填，格式 YYYY-MM-DD；留空则按政策参数的有效期自今日起算"),
        ("可考评项目代码", "考评员必填，考核项目目录中的代码，多个用顿号（、）分隔；督导员、培训师留空"),
        ("备注", "选填"),
    ]
    .iter()
    .map(|(c, r)| vec![(*c).to_owned(), (*r).to_owned()])
    .collect();
    let headers: Vec<&str> = COLUMNS.iter().map(|(h, _)| *h).collect();
    let bytes = xlsx::write(&[
        Sheet { name: "考评人员", headers: &headers, rows: vec![] },
        Sheet { name: "填写说明", headers: &["列", "要求"], rows: notes },
    ])
    .map_err(AppError::Internal)?;
    Ok(xlsx::download("registry-template.xlsx", bytes))
}

async fn org_options(state: &AppState, staff: &Staff) -> Result<Vec<OrgView>, PageError> {
    Ok(state.store.list_orgs(&staff.principal, &OrgQuery::default(), PageReq { page: 1, per_page: 2000 }).await?.items)
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/form.html")]
pub struct PersonFormPage {
    pub(super) layout: Layout,
    pub(super) action: String,
    pub(super) input: PersonInput,
    pub(super) errors: Errors,
    pub(super) orgs: Vec<OrgView>,
    pub(super) kinds: Vec<(&'static str, &'static str)>,
    pub(super) cities: Vec<(&'static str, &'static str)>,
    pub(super) editing: bool,
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    input: PersonInput,
    errors: FieldErrors,
) -> Result<PersonFormPage, PageError> {
    let (title, action) = match id {
        Some(id) => ("修改登记信息".to_owned(), format!("/registry/{id}")),
        None => ("登记考评人员".to_owned(), "/registry".to_owned()),
    };
    Ok(PersonFormPage {
        layout: Layout::new(staff, &state.config.system_name, &title, "/registry").crumb("考评人员库", "/registry"),
        action,
        input,
        errors: Errors(errors),
        orgs: org_options(state, staff).await?,
        kinds: kinds(),
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        editing: id.is_some(),
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    kind: Option<String>,
}

pub async fn new_person_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let input = PersonInput { kind: q.kind.unwrap_or_else(|| "assessor".into()), ..Default::default() };
    Ok(form_page(&state, &staff, None, input, FieldErrors::new()).await?.into_response())
}

/// The form as posted (every field text; the organisation's id may be blank).
#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    city_code: String,
    #[serde(default)]
    employer_org_id: String,
    #[serde(default)]
    employer_name: String,
    #[serde(default)]
    card_number: String,
    #[serde(default)]
    card_valid_until: String,
    #[serde(default)]
    projects: String,
    #[serde(default)]
    note: String,
}

impl From<PersonForm> for PersonInput {
    fn from(f: PersonForm) -> Self {
        PersonInput {
            kind: f.kind,
            name: f.name,
            id_number: f.id_number,
            phone: f.phone,
            city_code: f.city_code,
            employer_org_id: f.employer_org_id.trim().parse().ok(),
            employer_name: f.employer_name,
            card_number: f.card_number,
            card_valid_until: f.card_valid_until,
            projects: f.projects,
            note: f.note,
        }
    }
}

pub async fn create_person(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<PersonForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let mut input = PersonInput::from(f);
    let result = state.store.create_registered(&staff.principal, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |id| done(format!("/registry/{id}"), "created"),
        |errs| {
            input.id_number.clear();
            form_page(&state, &staff, None, input, errs)
        },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/show.html")]
pub struct PersonPage {
    layout: Layout,
    detail: PersonDetail,
    form: Option<PersonFormPage>,
    orgs: Vec<OrgView>,
    errors: Errors,
    today: String,
    kinships: Vec<(&'static str, &'static str)>,
    /// The status changes the person's standing allows (for managers).
    changes: Vec<StatusChange>,
}

/// The edit form's input from the stored person (the ID number left blank: kept unless retyped).
fn input_of(p: &PersonView) -> PersonInput {
    PersonInput {
        kind: p.kind.id().to_owned(),
        name: p.name.clone(),
        id_number: String::new(),
        phone: p.phone.clone(),
        city_code: p.city_code.clone(),
        employer_org_id: p.employer_org_id,
        employer_name: p.employer_name.clone(),
        card_number: p.card_number.clone(),
        card_valid_until: p.card_valid_until.to_string(),
        projects: p.projects.join("、"),
        note: p.note.clone(),
    }
}

pub(super) async fn person_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    edit: Option<(PersonInput, FieldErrors)>,
    errors: FieldErrors,
) -> Result<PersonPage, PageError> {
    let detail = state.store.get_registered(&staff.principal, id).await?;
    let manage = staff.principal.can(Action::ManageRegistry);
    let form = if manage {
        let (input, errs) = edit.unwrap_or_else(|| (input_of(&detail.person), FieldErrors::new()));
        Some(form_page(state, staff, Some(id), input, errs).await?)
    } else {
        None
    };
    let changes = if manage {
        StatusChange::ALL
            .iter()
            .copied()
            .filter(|c| domain::registry::change_status(detail.person.status, *c).is_ok())
            .collect()
    } else {
        vec![]
    };
    Ok(PersonPage {
        layout: Layout::new(
            staff,
            &state.config.system_name,
            &format!("{}：{}", detail.person.kind.label(), detail.person.name),
            "/registry",
        )
        .crumb("考评人员库", "/registry"),
        orgs: form.as_ref().map(|f| f.orgs.clone()).unwrap_or_default(),
        detail,
        form,
        errors: Errors(errors),
        today: store::today().to_string(),
        kinships: kinships(),
        changes,
    })
}

pub async fn show_person(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<PersonPage, PageError> {
    person_page(&state, &staff, id, None, FieldErrors::new()).await
}

pub async fn update_person(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<PersonForm>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let input = PersonInput::from(f);
    let result = state.store.update_registered(&staff.principal, id, &input, &staff.ctx).await;
    redirect_or_form(
        result,
        |()| done(format!("/registry/{id}"), "updated"),
        |errs| person_page(&state, &staff, id, Some((input, errs)), FieldErrors::new()),
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/import.html")]
pub struct ImportPage {
    layout: Layout,
    problems: Vec<String>,
}

fn import_page(state: &AppState, staff: &Staff, problems: Vec<String>) -> ImportPage {
    ImportPage {
        layout: Layout::new(staff, &state.config.system_name, "批量导入考评人员", "/registry")
            .crumb("考评人员库", "/registry"),
        problems,
    }
}

pub async fn import_form(State(state): State<AppState>, staff: Staff) -> Result<ImportPage, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    Ok(import_page(&state, &staff, vec![]))
}

/// Rows of an uploaded workbook as person inputs (header names decide the columns).
pub fn rows_to_inputs(rows: &[Vec<String>]) -> Result<Vec<PersonInput>, String> {
    Ok(xlsx::records(rows, COLUMNS, REQUIRED)?
        .into_iter()
        .map(|mut rec| {
            let mut get = |f: &str| rec.remove(f).unwrap_or_default();
            PersonInput {
                kind: get("kind"),
                name: get("name"),
                id_number: get("id_number"),
                phone: get("phone"),
                city_code: get("city_code"),
                employer_org_id: None,
                employer_name: get("employer_name"),
                card_number: get("card_number"),
                card_valid_until: get("card_valid_until"),
                projects: get("projects"),
                note: get("note"),
            }
        })
        .collect())
}

pub async fn import_registry(
    State(state): State<AppState>,
    staff: Staff,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ManageRegistry) {
        return Err(forbidden());
    }
    let problems = match xlsx::upload(multipart).await? {
        Err(msg) => vec![msg],
        Ok(bytes) => match xlsx::read(&bytes).and_then(|rows| rows_to_inputs(&rows)) {
            Err(msg) => vec![msg],
            Ok(inputs) => match state.store.import_registry(&staff.principal, &inputs, &staff.ctx).await {
                Ok(_) => return Ok(done("/registry", "registry_imported").into_response()),
                Err(StoreError::Invalid(errs)) => xlsx::describe(&errs, COLUMNS),
                Err(e) => return Err(e.into()),
            },
        },
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, import_page(&state, &staff, problems)).into_response())
}
