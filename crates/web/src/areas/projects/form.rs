//! The specification form of a development application (P3): create and edit, saving half-filled
//! drafts; `?check=1` shows beside each field what submission would refuse; the feasibility report
//! upload (multipart, the CSRF token its first field).
//!
//! The form posts flat repeated names for the work tasks (`task_name`, `task_norms`, `task_knowledge`,
//! `task_weight`), zipped into rows here; a blank row is ignored by the domain and keeps the other rows'
//! indexes, so `tasks[2].weight` stands beside the third row as typed. The fields are one per line.

use super::view::last_return_reason;
use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::PageError;
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, done, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use domain::authz::Action;
use domain::projects::{NAME_RULE_TEXT, ProjectFileKind, SpecificationInput, TaskInput};
use domain::{FieldError, FieldErrors};
use store::StoreError;
use store::projects::ProjectFileView;

/// Task rows the form offers without script (at least two spare rows past what is filled in).
const TASK_ROWS: usize = 4;

/// One task row as typed, with the errors of its cells.
pub struct TaskRow {
    pub(super) i: usize,
    pub(super) t: TaskInput,
    pub(super) name: String,
    pub(super) norms: String,
    pub(super) knowledge: String,
    pub(super) weight: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/form.html")]
pub struct FormPage {
    layout: Layout,
    action: String,
    cancel: String,
    v: SpecificationInput,
    errors: Errors,
    tasks: Vec<TaskRow>,
    fields_text: String,
    name_rule: String,
    returned_reason: String,
    /// The project's id once saved: the feasibility report is uploaded here.
    id: Option<i64>,
    reports: Vec<ProjectFileView>,
    checking: bool,
}

/// The store's field names as the form's inputs: the method's parts are plain inputs here, and each
/// `fields[i]` belongs to the one textarea.
fn form_field(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("method.") {
        return rest.to_string();
    }
    if field.starts_with("fields[") {
        return "fields".to_string();
    }
    field.to_string()
}

pub fn form_errors(errors: FieldErrors) -> FieldErrors {
    FieldErrors(
        errors
            .0
            .into_iter()
            .map(|e| {
                let f = form_field(&e.field);
                e.for_field(&f)
            })
            .collect(),
    )
}

/// The specification from the posted pairs.
pub fn typed_specification(pairs: &[(String, String)]) -> SpecificationInput {
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let all = |k: &str| pairs.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let (names, norms, knowledge, weights) =
        (all("task_name"), all("task_norms"), all("task_knowledge"), all("task_weight"));
    let rows = names.len().max(norms.len()).max(knowledge.len()).max(weights.len());
    let cell = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    let mut tasks: Vec<TaskInput> = (0..rows)
        .map(|i| TaskInput {
            name: cell(&names, i),
            norms: cell(&norms, i),
            knowledge: cell(&knowledge, i),
            weight: cell(&weights, i),
        })
        .collect();
    // Trailing spare rows are not part of the specification.
    while tasks.last().is_some_and(TaskInput::is_blank) {
        tasks.pop();
    }
    SpecificationInput {
        name: one("name"),
        definition: one("definition"),
        target_group: one("target_group"),
        tasks,
        theory_share: one("theory_share"),
        practical_share: one("practical_share"),
        theory_pass_mark: one("theory_pass_mark"),
        practical_pass_mark: one("practical_pass_mark"),
        theory_minutes: one("theory_minutes"),
        practical_minutes: one("practical_minutes"),
        min_panel_size: one("min_panel_size"),
        fields: one("fields").lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
    }
}

#[derive(Default)]
struct Editing {
    id: Option<i64>,
    returned_reason: String,
    reports: Vec<ProjectFileView>,
    checking: bool,
}

/// The specification's inputs as the shared template part (`projects/spec_fields.html`) reads them.
pub struct SpecParts {
    pub errors: Errors,
    pub tasks: Vec<TaskRow>,
    pub fields_text: String,
}

/// The task rows (with spare rows) and each error where its input is.
pub fn spec_parts(v: &SpecificationInput, errors: FieldErrors) -> SpecParts {
    let errors = form_errors(errors);
    let rows = (v.tasks.len() + 2).max(TASK_ROWS);
    let tasks = (0..rows)
        .map(|i| {
            let err =
                |col: &str| errors.get(&format!("tasks[{i}].{col}")).map(|e| e.detail.clone()).unwrap_or_default();
            TaskRow {
                i,
                t: v.tasks.get(i).cloned().unwrap_or_default(),
                name: err("name"),
                norms: err("norms"),
                knowledge: err("knowledge"),
                weight: err("weight"),
            }
        })
        .collect();
    SpecParts { errors: Errors(errors), tasks, fields_text: v.fields.join("\n") }
}

fn form_page(staff: &Staff, system_name: &str, v: SpecificationInput, errors: FieldErrors, e: Editing) -> FormPage {
    let parts = spec_parts(&v, errors);
    let (title, action, cancel) = match e.id {
        Some(id) => ("修改开发申请", format!("/projects/{id}/edit"), format!("/projects/{id}")),
        None => ("新建开发申请", "/projects".to_string(), "/projects".to_string()),
    };
    let mut layout = Layout::new(staff, system_name, title, "/projects").crumb("考核项目", "/projects");
    if let Some(id) = e.id {
        layout =
            layout.crumb(if v.name.trim().is_empty() { "开发申请" } else { v.name.trim() }, &format!("/projects/{id}"));
    }
    FormPage {
        layout,
        action,
        cancel,
        fields_text: parts.fields_text,
        v,
        errors: parts.errors,
        tasks: parts.tasks,
        name_rule: format!("{NAME_RULE_TEXT}。2 至 30 个字。"),
        returned_reason: e.returned_reason,
        id: e.id,
        reports: e.reports,
        checking: e.checking,
    }
}

pub async fn new_project_form(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ApplyProject) {
        return Err(forbidden());
    }
    Ok(form_page(
        &staff,
        &state.config.system_name,
        SpecificationInput::default(),
        FieldErrors::new(),
        Editing::default(),
    )
    .into_response())
}

pub async fn create_project(
    State(state): State<AppState>,
    staff: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ApplyProject) {
        return Err(forbidden());
    }
    let typed = typed_specification(&pairs);
    let result = state.store.create_project(&staff.principal, &typed, &staff.ctx).await;
    redirect_or_form(
        result,
        |id| done(format!("/projects/{id}"), "project_saved"),
        |errs| async { Ok(form_page(&staff, &state.config.system_name, typed, errs, Editing::default())) },
    )
    .await
}

/// `?check=1`: the form shows beside each field what submission still needs.
#[derive(Debug, Default, serde::Deserialize)]
pub struct EditQuery {
    #[serde(default)]
    check: Option<String>,
}

/// The unit's edit: 404 outside the scope, 403 without the right, 409 once submitted.
async fn editing(
    state: &AppState,
    staff: &Staff,
    id: i64,
    checking: bool,
) -> Result<(SpecificationInput, Editing), PageError> {
    let d = state.store.get_project(&staff.principal, id).await?;
    if !staff.principal.can(Action::ApplyProject) {
        return Err(forbidden());
    }
    if !d.actions.contains(&domain::projects::ProjectEventKind::Submit) {
        return Err(PageError(crate::error::AppError::from(StoreError::Conflict(FieldError::new(
            "",
            "PROJECT_NOT_EDITABLE",
            "开发申请已提交，只有草稿或被退回的申请可以修改",
        )))));
    }
    let reports = d.files.iter().filter(|f| f.kind == ProjectFileKind::FeasibilityReport).cloned().collect();
    Ok((d.specification, Editing { id: Some(id), returned_reason: last_return_reason(&d.timeline), reports, checking }))
}

pub async fn edit_project_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> Result<Response, PageError> {
    let checking = q.check.is_some();
    let (spec, e) = editing(&state, &staff, id, checking).await?;
    let mut errors = if checking { state.store.project_submission_errors(&spec).await? } else { FieldErrors::new() };
    if checking && e.reports.is_empty() {
        errors.push(FieldError::new("feasibility_report", "FEASIBILITY_REPORT_MISSING", "请上传可行性分析报告"));
    }
    Ok(form_page(&staff, &state.config.system_name, spec, errors, e).into_response())
}

pub async fn update_project(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let typed = typed_specification(&pairs);
    let result = state.store.update_project(&staff.principal, id, &typed, &staff.ctx).await;
    redirect_or_form(
        result,
        |()| done(format!("/projects/{id}"), "project_updated"),
        |errs| async {
            let (_, e) = editing(&state, &staff, id, false).await?;
            Ok(form_page(&staff, &state.config.system_name, typed, errs, e))
        },
    )
    .await
}

/// The feasibility report (P3), uploaded from the form page while the application may change.
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let (kind, name, bytes) = match multipart {
        Ok(m) => crate::areas::filings::materials::read_upload(m).await.map_err(PageError)?,
        Err(_) => (String::new(), String::new(), Vec::new()),
    };
    let kind = kind.trim().parse().unwrap_or(ProjectFileKind::FeasibilityReport);
    let back = if kind == ProjectFileKind::FeasibilityReport {
        format!("/projects/{id}/edit")
    } else {
        format!("/projects/{id}")
    };
    match state.store.add_project_file(&staff.principal, id, kind, &name, &bytes, &staff.ctx).await {
        Ok(_) => Ok(done(back, "project_file_uploaded").into_response()),
        Err(StoreError::Invalid(e)) => Ok(crate::view::back_with_error(
            back,
            format!("未能上传：{}", e.0.first().map(|f| f.detail.clone()).unwrap_or_default()),
        )),
        Err(StoreError::Conflict(e)) => Ok(crate::view::back_with_error(back, format!("未能上传：{}", e.detail))),
        Err(e) => Err(e.into()),
    }
}
