//! The annex-1 form (《湖南省专项职业能力考核站备案申报表》, S1, S2) to create and edit an application.
//!
//! The form posts flat repeated names (`projects`, `facility_name`, `assessor_project` …), zipped into
//! rows here. Blank rows are left out before the store sees the application; the store's row indexes
//! (`facilities[2].name`) are mapped back to the rows as typed, so each error stands beside its input.

use super::view::{Fields, err_of, last_return_reason};
use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::PageError;
use crate::extract::{Form, Path, Query};
use crate::view::{Errors, Layout, done, redirect_or_form};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::authz::Action;
use domain::org::Nature;
use domain::stations::{
    ApplicantCategory, ApplicationInput, AssessorInput, ConditionInput, FacilityInput, MaterialKind, S1Condition,
};
use store::filings::FilingDetail;

/// Rows the form offers without script (at least one spare row past what is filled in); 「添加一行」
/// adds more in the browser (`static/app.js`, `data-rows`).
const PROJECT_ROWS: usize = 5;
const FACILITY_ROWS: usize = 5;
const ASSESSOR_ROWS: usize = 6;

/// The applicant's commitment as printed on annex 1.
pub const COMMITMENT_TEXT: &str = "本单位承诺：以上所填内容及所提供材料真实有效，如有虚假，愿承担相应责任。";

/// One input of a table row: its value, its error and its id (the anchor of the error summary).
pub struct Cell {
    id: String,
    value: String,
    error: String,
}

pub struct FacilityRowView {
    n: usize,
    name: Cell,
    spec: Cell,
    purpose: Cell,
}

pub struct AssessorRowView {
    n: usize,
    name: Cell,
    qualification: Cell,
    project: Cell,
}

pub struct ConditionInputView {
    id: &'static str,
    label: &'static str,
    text: &'static str,
    affirmed: bool,
    evidence: String,
    affirm_error: String,
    evidence_error: String,
}

/// One line of the error summary above the form: the input it concerns and the message.
pub struct SummaryItem {
    anchor: String,
    text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "filings/form.html")]
pub struct FormPage {
    layout: Layout,
    action: String,
    cancel: String,
    v: ApplicationInput,
    errors: Errors,
    summary: Vec<SummaryItem>,
    projects: Vec<Cell>,
    facilities: Vec<FacilityRowView>,
    assessors: Vec<AssessorRowView>,
    conditions: Vec<ConditionInputView>,
    natures: &'static [Nature],
    categories: &'static [ApplicantCategory],
    cities: Vec<(&'static str, &'static str)>,
    commitment_text: &'static str,
    materials: Vec<&'static str>,
    returned_reason: String,
    editing: bool,
    /// The region as words beside the code (issue 9 item 8).
    region_name: String,
    /// The page shows what submission still needs (`?check=1`, linked from a refused submission).
    checking: bool,
    /// F2: the catalog's current projects the project cells offer (code, name, status).
    catalog: Vec<store::filings::CatalogChoice>,
}

/// `prefix[<n>]<rest>` → (n, rest).
fn row_of<'a>(field: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = field.strip_prefix(prefix)?.strip_prefix('[')?;
    let (n, rest) = rest.split_once(']')?;
    Some((n.parse().ok()?, rest))
}

/// Where an error of the store belongs on the form: the input id and the words before its message.
fn locate(field: &str) -> (String, String) {
    let scalar = |id: &str, label: &str| (id.to_string(), label.to_string());
    match field {
        "institution_name" => scalar("institution_name", "机构名称"),
        "nature" => scalar("nature", "性质"),
        "category" => scalar("category", "申请单位类别"),
        "person_in_charge.name" => scalar("person_in_charge_name", "负责人"),
        "person_in_charge.phone" => scalar("person_in_charge_phone", "负责人电话"),
        "contact.name" => scalar("contact_name", "联系人"),
        "contact.phone" => scalar("contact_phone", "联系人电话"),
        "address" => scalar("address", "详细地址"),
        "region_code" => scalar("region_code", "所在地区"),
        "projects" => scalar("projects", "申报考核项目"),
        "facilities" => scalar("facilities", "场地设施设备"),
        "assessors" => scalar("assessors", "考评人员配备"),
        "commitment.legal_representative" => scalar("legal_representative", "法定代表人"),
        "commitment.confirmed" => scalar("commitment", "申请单位承诺"),
        f => {
            if let Some((i, _)) = row_of(f, "projects") {
                return (format!("project_{i}"), format!("申报考核项目第 {} 项", i + 1));
            }
            if let Some((i, rest)) = row_of(f, "facilities") {
                let col = match rest {
                    ".specification" => "spec",
                    ".purpose" => "purpose",
                    _ => "name",
                };
                return (format!("facility_{col}_{i}"), format!("场地设施设备第 {} 行", i + 1));
            }
            if let Some((i, rest)) = row_of(f, "assessors") {
                let col = match rest {
                    ".qualification" => "qualification",
                    ".project" => "project",
                    _ => "name",
                };
                return (format!("assessor_{col}_{i}"), format!("考评人员第 {} 行", i + 1));
            }
            if let Some(rest) = f.strip_prefix("conditions.")
                && let Some((id, what)) = rest.split_once('.')
                && let Some(c) = S1Condition::parse(id)
            {
                let anchor = if what == "evidence" { format!("evidence_{id}") } else { format!("condition_{id}") };
                return (anchor, format!("备案条件“{}”", c.label()));
            }
            (String::new(), "申报表".to_string())
        }
    }
}

/// The application as typed on the form: rows zipped from the repeated names, padded.
fn typed_application(f: &Fields) -> ApplicationInput {
    let col = |names: &[&str]| -> Vec<Vec<String>> { names.iter().map(|n| f.all(n)).collect() };
    let cell = |cols: &[Vec<String>], c: usize, i: usize| cols[c].get(i).cloned().unwrap_or_default();
    let fac = col(&["facility_name", "facility_spec", "facility_purpose"]);
    let ass = col(&["assessor_name", "assessor_qualification", "assessor_project"]);
    let rows = |cols: &[Vec<String>]| cols.iter().map(Vec::len).max().unwrap_or(0);
    ApplicationInput {
        institution_name: f.one("institution_name"),
        nature: f.one("nature"),
        category: f.one("category"),
        person_in_charge_name: f.one("person_in_charge_name"),
        person_in_charge_phone: f.one("person_in_charge_phone"),
        contact_name: f.one("contact_name"),
        contact_phone: f.one("contact_phone"),
        address: f.one("address"),
        region_code: f.one("region_code"),
        projects: f.all("projects"),
        facilities: (0..rows(&fac))
            .map(|i| FacilityInput {
                name: cell(&fac, 0, i),
                specification: cell(&fac, 1, i),
                purpose: cell(&fac, 2, i),
            })
            .collect(),
        assessors: (0..rows(&ass))
            .map(|i| AssessorInput {
                name: cell(&ass, 0, i),
                qualification: cell(&ass, 1, i),
                project: cell(&ass, 2, i),
            })
            .collect(),
        conditions: S1Condition::ALL
            .iter()
            .map(|c| ConditionInput {
                condition: c.id().to_string(),
                affirmed: f.checked(&format!("condition_{}", c.id())),
                evidence: f.one(&format!("evidence_{}", c.id())),
            })
            .collect(),
        legal_representative: f.one("legal_representative"),
        commitment_confirmed: f.checked("commitment"),
    }
}

/// The application without blank rows (what the store keeps), and for each kept row its index as typed.
struct Compacted {
    input: ApplicationInput,
    projects: Vec<usize>,
    facilities: Vec<usize>,
    assessors: Vec<usize>,
}

fn compact(typed: &ApplicationInput) -> Compacted {
    let mut input = typed.clone();
    let keep =
        |blank: Vec<bool>| -> Vec<usize> { blank.iter().enumerate().filter(|(_, b)| !**b).map(|(i, _)| i).collect() };
    let projects = keep(typed.projects.iter().map(|p| p.trim().is_empty()).collect());
    let facilities = keep(typed.facilities.iter().map(FacilityInput::is_blank).collect());
    let assessors = keep(typed.assessors.iter().map(AssessorInput::is_blank).collect());
    input.projects = projects.iter().map(|i| typed.projects[*i].clone()).collect();
    input.facilities = facilities.iter().map(|i| typed.facilities[*i].clone()).collect();
    input.assessors = assessors.iter().map(|i| typed.assessors[*i].clone()).collect();
    Compacted { input, projects, facilities, assessors }
}

/// The store's errors with row indexes of the compacted application turned into rows as typed.
fn remap(errors: FieldErrors, c: &Compacted) -> FieldErrors {
    let map = |field: &str, prefix: &str, rows: &[usize]| -> Option<String> {
        let (i, rest) = row_of(field, prefix)?;
        Some(format!("{prefix}[{}]{rest}", rows.get(i).copied().unwrap_or(i)))
    };
    FieldErrors(
        errors
            .0
            .into_iter()
            .map(|e| {
                let field = map(&e.field, "projects", &c.projects)
                    .or_else(|| map(&e.field, "facilities", &c.facilities))
                    .or_else(|| map(&e.field, "assessors", &c.assessors));
                match field {
                    Some(f) => e.for_field(f),
                    None => e,
                }
            })
            .collect(),
    )
}

/// The edit page's own state: the name the application is stored under (the breadcrumb keeps it when
/// the name is blanked on the form), the latest return reason, whether it shows what submission needs.
#[derive(Default)]
struct Editing {
    stored_name: String,
    returned_reason: String,
    checking: bool,
}

/// The catalog's current projects, for the project cells' choices (F2).
async fn catalog(state: &AppState) -> Result<Vec<store::filings::CatalogChoice>, PageError> {
    Ok(state.store.current_catalog_projects().await?)
}

fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    typed: ApplicationInput,
    errors: FieldErrors,
    editing: Editing,
    catalog: Vec<store::filings::CatalogChoice>,
) -> FormPage {
    let Editing { stored_name, returned_reason, checking } = editing;
    let (title, action, cancel) = match id {
        Some(id) => ("修改备案申请".to_string(), format!("/filings/{id}/edit"), format!("/filings/{id}")),
        None => ("新建备案申请".to_string(), "/filings".to_string(), "/filings".to_string()),
    };
    let mut layout = Layout::new(staff, &state.config.system_name, &title, "/filings").crumb("备案申请", "/filings");
    if let Some(id) = id {
        let name = [stored_name.trim(), typed.institution_name.trim()].into_iter().find(|n| !n.is_empty());
        layout = layout.crumb(name.unwrap_or("备案申请"), &format!("/filings/{id}"));
    }
    let pad = |n: usize, min: usize| (n + 1).max(min);
    let projects = (0..pad(typed.projects.len(), PROJECT_ROWS))
        .map(|i| Cell {
            id: format!("project_{i}"),
            value: typed.projects.get(i).cloned().unwrap_or_default(),
            error: err_of(&errors, &format!("projects[{i}]")),
        })
        .collect();
    let cell =
        |id: String, value: &str, field: String| Cell { id, value: value.to_string(), error: err_of(&errors, &field) };
    let blank_f = FacilityInput::default();
    let facilities = (0..pad(typed.facilities.len(), FACILITY_ROWS))
        .map(|i| {
            let r = typed.facilities.get(i).unwrap_or(&blank_f);
            FacilityRowView {
                n: i + 1,
                name: cell(format!("facility_name_{i}"), &r.name, format!("facilities[{i}].name")),
                spec: cell(format!("facility_spec_{i}"), &r.specification, format!("facilities[{i}].specification")),
                purpose: cell(format!("facility_purpose_{i}"), &r.purpose, format!("facilities[{i}].purpose")),
            }
        })
        .collect();
    let blank_a = AssessorInput::default();
    let assessors = (0..pad(typed.assessors.len(), ASSESSOR_ROWS))
        .map(|i| {
            let r = typed.assessors.get(i).unwrap_or(&blank_a);
            AssessorRowView {
                n: i + 1,
                name: cell(format!("assessor_name_{i}"), &r.name, format!("assessors[{i}].name")),
                qualification: cell(
                    format!("assessor_qualification_{i}"),
                    &r.qualification,
                    format!("assessors[{i}].qualification"),
                ),
                project: cell(format!("assessor_project_{i}"), &r.project, format!("assessors[{i}].project")),
            }
        })
        .collect();
    let conditions = S1Condition::ALL
        .iter()
        .map(|c| {
            let row = typed.conditions.iter().find(|r| r.condition.trim() == c.id());
            ConditionInputView {
                id: c.id(),
                label: c.label(),
                text: c.text(),
                affirmed: row.is_some_and(|r| r.affirmed),
                evidence: row.map(|r| r.evidence.clone()).unwrap_or_default(),
                affirm_error: err_of(&errors, &format!("conditions.{}.affirmed", c.id())),
                evidence_error: err_of(&errors, &format!("conditions.{}.evidence", c.id())),
            }
        })
        .collect();
    let summary = errors
        .0
        .iter()
        .map(|e| {
            let (anchor, label) = locate(&e.field);
            SummaryItem { anchor, text: format!("{label}：{}", e.detail) }
        })
        .collect();
    let v_region = typed.region_code.clone();
    FormPage {
        layout,
        action,
        cancel,
        v: typed,
        errors: Errors(errors),
        summary,
        projects,
        facilities,
        assessors,
        conditions,
        natures: Nature::ALL,
        categories: ApplicantCategory::ALL,
        cities: domain::ids::HUNAN_CITIES.to_vec(),
        commitment_text: COMMITMENT_TEXT,
        materials: MaterialKind::ALL.iter().map(|m| m.label()).collect(),
        returned_reason,
        editing: id.is_some(),
        region_name: region_name_of(&v_region),
        checking,
        catalog,
    }
}

/// The typed region code as words, when it is one (`长沙市岳麓区`).
fn region_name_of(code: &str) -> String {
    let name = domain::ids::region_name(code);
    if name == code.trim() { String::new() } else { name }
}

pub async fn new_filing_form(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ApplyFiling) {
        return Err(forbidden());
    }
    // Pre-filled from the organisation registry (issue 9 item 11).
    let typed = state.store.new_application(&staff.principal).await?;
    let catalog = catalog(&state).await?;
    Ok(form_page(&state, &staff, None, typed, FieldErrors::new(), Editing::default(), catalog).into_response())
}

pub async fn create_filing(
    State(state): State<AppState>,
    staff: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ApplyFiling) {
        return Err(forbidden());
    }
    let typed = typed_application(&Fields(pairs));
    let c = compact(&typed);
    let result = state.store.create_filing(&staff.principal, &c.input, &staff.ctx).await;
    redirect_or_form(
        result,
        |id| done(format!("/filings/{id}"), "filing_saved"),
        |errs| async {
            let catalog = catalog(&state).await?;
            Ok(form_page(&state, &staff, None, typed, remap(errs, &c), Editing::default(), catalog))
        },
    )
    .await
}

/// The applicant's edit: 404 outside the scope, 403 without the right, 409 once submitted.
async fn editable(state: &AppState, staff: &Staff, id: i64) -> Result<FilingDetail, PageError> {
    let message = "申请已提交，只有草稿或被退回的申请可以修改。";
    state.store.editable_by_applicant(&staff.principal, id, "", message).await?;
    Ok(state.store.get_filing(&staff.principal, id).await?)
}

/// `?check=1`: the form shows beside each field what submission still needs (a refused submission
/// links here).
#[derive(Debug, Default, serde::Deserialize)]
pub struct EditQuery {
    #[serde(default)]
    check: Option<String>,
}

pub async fn edit_filing_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
) -> Result<Response, PageError> {
    let detail = editable(&state, &staff, id).await?;
    let checking = q.check.is_some();
    let errors = if checking { state.store.submission_errors(&detail.application).await? } else { FieldErrors::new() };
    let editing = Editing {
        stored_name: detail.summary.institution_name.clone(),
        returned_reason: last_return_reason(&detail.timeline),
        checking,
    };
    let catalog = catalog(&state).await?;
    Ok(form_page(&state, &staff, Some(id), detail.application, errors, editing, catalog).into_response())
}

/// A refused submission's error as a line that names the field: 「负责人：请填写负责人姓名」.
pub fn submission_error_line(e: &domain::FieldError) -> String {
    let (_, label) = locate(&e.field);
    if e.detail.contains(label.as_str()) || label == "申报表" {
        e.detail.clone()
    } else {
        format!("{label}：{}", e.detail)
    }
}

pub async fn update_filing(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // The store answers 404 outside the scope, then 403 without the right, as the other steps.
    let typed = typed_application(&Fields(pairs));
    let c = compact(&typed);
    let result = state.store.update_filing(&staff.principal, id, &c.input, &staff.ctx).await;
    redirect_or_form(
        result,
        |()| done(format!("/filings/{id}"), "filing_updated"),
        |errs| async {
            let stored = state.store.get_filing(&staff.principal, id).await?;
            let editing = Editing {
                stored_name: stored.summary.institution_name.clone(),
                returned_reason: last_return_reason(&stored.timeline),
                checking: false,
            };
            Ok(form_page(&state, &staff, Some(id), typed, remap(errs, &c), editing, catalog(&state).await?))
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::FieldError;

    #[test]
    fn store_row_indexes_map_back_to_the_rows_as_typed() {
        let mut typed = testkit_free_application();
        typed.facilities.insert(0, FacilityInput::default());
        typed.projects.insert(0, String::new());
        let c = compact(&typed);
        assert_eq!(c.facilities, vec![1, 2]);
        let errs = FieldErrors(vec![
            FieldError::new("facilities[1].purpose", "X", "x"),
            FieldError::new("projects[0]", "X", "x"),
            FieldError::new("address", "X", "x"),
        ]);
        let fields: Vec<String> = remap(errs, &c).0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["facilities[2].purpose", "projects[1]", "address"]);
        assert_eq!(locate("facilities[2].purpose").0, "facility_purpose_2");
        assert_eq!(locate("conditions.experience.evidence").0, "evidence_experience");
        assert_eq!(locate("assessors[1].project").1, "考评人员第 2 行");
    }

    fn testkit_free_application() -> ApplicationInput {
        ApplicationInput {
            projects: vec!["米粉制作".into()],
            facilities: vec![
                FacilityInput { name: "教室".into(), specification: "1".into(), purpose: "考核".into() },
                FacilityInput { name: "灶台".into(), specification: "2".into(), purpose: "考核".into() },
            ],
            ..Default::default()
        }
    }
}
