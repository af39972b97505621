//! Station filing pages (考核站备案, S1–S5) for staff: the list in the caller's scope, the annex-1
//! form (《湖南省专项职业能力考核站备案申报表》) to create and edit an application, the record page with
//! every step the caller may take now, the findings form of an evaluation group member (S4) and the
//! annex-1 form as filled, laid out for A4 printing.
//!
//! The form posts flat repeated names (`projects`, `facility_name`, `assessor_project` …), zipped into
//! rows here. Blank rows are left out before the store sees the application; the store's row indexes
//! (`facilities[2].name`) are mapped back to the rows as typed, so each error stands beside its input.

use crate::AppState;
use crate::auth::{Staff, forbidden};
use crate::error::{AppError, PageError};
use crate::view::{Errors, Layout, Pager, filter_query, parse_date};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use domain::authz::Action;
use domain::ids::RegionCode;
use domain::org::{DataScope, Nature};
use domain::policy::keys;
use domain::stations::{
    ApplicantCategory, ApplicationInput, AssessorInput, ConditionInput, EvaluationMethod, FacilityInput,
    FilingEventKind, FilingState, FindingInput, FindingsInput, MaterialKind, Receiver, S1Condition,
};
use domain::{FieldError, FieldErrors};
use serde::Deserialize;
use store::attachments::AttachmentView;
use store::filings::{EvaluationPlan, FilingActionInput, FilingDetail, FilingQuery, FilingSummary, FindingView};
use store::workflow::TimelineItem;
use store::{PageReq, StoreError};

/// Rows the form offers (more appear when an application already has more).
const PROJECT_ROWS: usize = 5;
const FACILITY_ROWS: usize = 5;
const ASSESSOR_ROWS: usize = 6;

/// The applicant's commitment as printed on annex 1.
pub const COMMITMENT_TEXT: &str = "本单位承诺：以上所填内容及所提供材料真实有效，如有虚假，愿承担相应责任。";

// ---- shared helpers ------------------------------------------------------------------------------------

/// The tag colour of a state.
fn state_tag(state: &str) -> &'static str {
    match FilingState::parse(state) {
        Some(FilingState::Filed) => "tag-ok",
        Some(FilingState::Rejected | FilingState::Revoked) => "tag-danger",
        Some(FilingState::Returned | FilingState::Suspended) => "tag-warn",
        Some(FilingState::Draft) => "tag-muted",
        _ => "tag-info",
    }
}

fn state_label(state: &str) -> &'static str {
    FilingState::parse(state).map(|s| s.label()).unwrap_or("")
}

/// The receiving center, in words: 省鉴定中心, or the city's center (长沙市鉴定中心).
fn receiver_label(s: &FilingSummary) -> String {
    if s.receiver == "province" {
        "省鉴定中心".to_string()
    } else {
        match RegionCode::parse(&s.receiving_region).ok().and_then(|c| c.name()) {
            Some(city) => format!("{city}鉴定中心"),
            None => "市州鉴定中心".to_string(),
        }
    }
}

/// A `YYYY-MM-DD hh:mm:ss` time to the minute.
fn minutes(t: &str) -> String {
    t.get(..16).unwrap_or(t).to_string()
}

fn region_label(code: &str) -> String {
    match RegionCode::parse(code).ok().and_then(|c| c.city_name()) {
        Some(city) => format!("{city}（{}）", code.trim()),
        None => code.trim().to_string(),
    }
}

/// The date of a `YYYY-MM-DD[ hh:mm:ss]` time as written on paper forms (2026 年 11 月 28 日), or empty.
fn paper_date(t: &str) -> String {
    match parse_date(t.get(..10).unwrap_or("")) {
        Some(d) => format!("{} 年 {} 月 {} 日", d.year(), u8::from(d.month()), d.day()),
        None => String::new(),
    }
}

/// A form as name/value pairs (repeated names kept in order).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn one(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && !v.is_empty())
    }
}

// ---- the application as read on pages ------------------------------------------------------------------

pub struct ConditionRow {
    label: &'static str,
    text: &'static str,
    affirmed: bool,
    evidence: String,
}

/// The annex-1 fields in words, blank rows left out.
pub struct AppView {
    institution_name: String,
    nature: String,
    category: String,
    person_in_charge: String,
    person_in_charge_phone: String,
    contact: String,
    contact_phone: String,
    address: String,
    region: String,
    projects: Vec<String>,
    facilities: Vec<FacilityInput>,
    assessors: Vec<AssessorInput>,
    conditions: Vec<ConditionRow>,
    legal_representative: String,
    commitment_confirmed: bool,
}

impl AppView {
    fn of(a: &ApplicationInput) -> AppView {
        AppView {
            institution_name: a.institution_name.clone(),
            nature: Nature::parse(a.nature.trim()).map(|n| n.label().to_string()).unwrap_or_else(|| a.nature.clone()),
            category: ApplicantCategory::parse(a.category.trim())
                .map(|c| c.label().to_string())
                .unwrap_or_else(|| a.category.clone()),
            person_in_charge: a.person_in_charge_name.clone(),
            person_in_charge_phone: a.person_in_charge_phone.clone(),
            contact: a.contact_name.clone(),
            contact_phone: a.contact_phone.clone(),
            address: a.address.clone(),
            region: region_label(&a.region_code),
            projects: a.projects.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
            facilities: a.facilities.iter().filter(|f| !f.is_blank()).cloned().collect(),
            assessors: a.assessors.iter().filter(|r| !r.is_blank()).cloned().collect(),
            conditions: S1Condition::ALL
                .iter()
                .map(|c| {
                    let row = a.conditions.iter().find(|r| r.condition.trim() == c.id());
                    ConditionRow {
                        label: c.label(),
                        text: c.text(),
                        affirmed: row.is_some_and(|r| r.affirmed),
                        evidence: row.map(|r| r.evidence.clone()).unwrap_or_default(),
                    }
                })
                .collect(),
            legal_representative: a.legal_representative.clone(),
            commitment_confirmed: a.commitment_confirmed,
        }
    }
}

// ---- list ------------------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
    page: Option<u64>,
    done: Option<String>,
    /// Set by the upload route when a file was refused.
    upload_error: Option<String>,
}

pub struct ListRow {
    s: FilingSummary,
    tag: &'static str,
    receiver: String,
    projects: String,
    submitted: String,
    updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "filings/list.html")]
pub struct FilingsPage {
    layout: Layout,
    rows: Vec<ListRow>,
    pager: Pager,
    state: String,
    q: String,
    states: &'static [FilingState],
    can_apply: bool,
    scope_hint: &'static str,
    export_href: String,
}

pub async fn list_filings(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<FilingsPage, PageError> {
    let query = FilingQuery { state: q.state.clone(), q: q.q.clone() };
    let page = state.store.list_filings(&staff.principal, &query, PageReq::new(q.page, Some(20))).await?;
    let fq = filter_query(&[("state", q.state.clone()), ("q", q.q.clone())]);
    let scope_hint = match staff.principal.scope {
        DataScope::Province => {
            "全省的考核站备案申请：省直部门、省级行业组织、中央在湘企业和省属企业直接报省鉴定中心，其他单位经所在市州鉴定中心受理。"
        }
        DataScope::City(_) => "按属地原则报本市州鉴定中心的考核站备案申请（规程第二部分第（二）条）。",
        _ => "本单位的考核站备案申请。填写申报表（附件 1）保存后为草稿，核对无误后提交。",
    };
    Ok(FilingsPage {
        layout: Layout::new(&staff, &state.config.system_name, "备案申请", "/filings").notice(q.done.as_deref()),
        pager: Pager::of(&page, "/filings", &fq),
        rows: page
            .items
            .into_iter()
            .map(|s| ListRow {
                tag: state_tag(&s.state),
                receiver: receiver_label(&s),
                projects: s.projects.join("、"),
                submitted: minutes(&s.submitted_at),
                updated: minutes(&s.updated_at),
                s,
            })
            .collect(),
        state: q.state.unwrap_or_default(),
        q: q.q.unwrap_or_default(),
        states: FilingState::ALL,
        can_apply: staff.principal.can(Action::ApplyFiling),
        scope_hint,
        export_href: format!("/filings/export.xlsx?{fq}"),
    })
}

/// The list as a spreadsheet, with the same filters and scope (city and province staff keep such
/// registers for their reports).
pub async fn export_filings(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let query = FilingQuery { state: q.state.clone(), q: q.q.clone() };
    let page = state.store.list_filings(&staff.principal, &query, PageReq { page: 1, per_page: 100_000 }).await?;
    let rows = page
        .items
        .into_iter()
        .map(|s| {
            vec![
                s.id.to_string(),
                s.institution_name.clone(),
                s.projects.join("、"),
                receiver_label(&s),
                s.state_label.clone(),
                s.institution_code.clone().unwrap_or_default(),
                minutes(&s.submitted_at),
                minutes(&s.updated_at),
            ]
        })
        .collect();
    let headers = ["申请编号", "机构名称", "申报考核项目", "受理中心", "办理状态", "机构编码", "提交时间", "最后办理"];
    let bytes = crate::xlsx::write(&[crate::xlsx::Sheet { name: "考核站备案申请", headers: &headers, rows }])
        .map_err(AppError::Internal)?;
    Ok(crate::xlsx::download("filings.xlsx", bytes))
}

// ---- the annex-1 form ------------------------------------------------------------------------------------

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

fn err_of(errors: &FieldErrors, field: &str) -> String {
    errors.get(field).map(|e| e.detail.clone()).unwrap_or_default()
}

fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    typed: ApplicationInput,
    errors: FieldErrors,
    returned_reason: String,
) -> FormPage {
    let (title, action, cancel) = match id {
        Some(id) => ("修改备案申请".to_string(), format!("/filings/{id}/edit"), format!("/filings/{id}")),
        None => ("新建备案申请".to_string(), "/filings".to_string(), "/filings".to_string()),
    };
    let mut layout = Layout::new(staff, &state.config.system_name, &title, "/filings").crumb("备案申请", "/filings");
    if let Some(id) = id {
        layout = layout.crumb(&typed.institution_name, &format!("/filings/{id}"));
    }
    let pad = |n: usize, min: usize| n.max(min);
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
    }
}

pub async fn new_filing_form(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    if !staff.principal.can(Action::ApplyFiling) {
        return Err(forbidden());
    }
    let typed = ApplicationInput {
        institution_name: staff.principal.org_name.clone(),
        conditions: S1Condition::ALL
            .iter()
            .map(|c| ConditionInput { condition: c.id().to_string(), ..Default::default() })
            .collect(),
        ..Default::default()
    };
    Ok(form_page(&state, &staff, None, typed, FieldErrors::new(), String::new()).into_response())
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
    match state.store.create_filing(&staff.principal, &c.input, &staff.ctx).await {
        Ok(id) => Ok(Redirect::to(&format!("/filings/{id}?done=filing_saved")).into_response()),
        Err(StoreError::Invalid(errs)) => {
            let errs = remap(errs, &c);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, &staff, None, typed, errs, String::new()))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The reason of the latest return, for the applicant editing a returned application.
fn last_return_reason(timeline: &[TimelineItem]) -> String {
    timeline
        .iter()
        .rev()
        .find(|t| t.to_state == FilingState::Returned.id() && t.from_state != t.to_state)
        .map(|t| {
            let prefix = format!("{}：", FilingEventKind::Return.label());
            t.comment.strip_prefix(&prefix).unwrap_or(&t.comment).to_string()
        })
        .unwrap_or_default()
}

/// The applicant's edit: 404 outside the scope, 403 without the right, 409 once submitted.
async fn editable(state: &AppState, staff: &Staff, id: i64) -> Result<FilingDetail, PageError> {
    let message = "申请已提交，只有草稿或被退回的申请可以修改。";
    state.store.editable_by_applicant(&staff.principal, id, "", message).await?;
    Ok(state.store.get_filing(&staff.principal, id).await?)
}

pub async fn edit_filing_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let detail = editable(&state, &staff, id).await?;
    let reason = last_return_reason(&detail.timeline);
    Ok(form_page(&state, &staff, Some(id), detail.application, FieldErrors::new(), reason).into_response())
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
    match state.store.update_filing(&staff.principal, id, &c.input, &staff.ctx).await {
        Ok(()) => Ok(Redirect::to(&format!("/filings/{id}?done=filing_updated")).into_response()),
        Err(StoreError::Invalid(errs)) => {
            let errs = remap(errs, &c);
            let reason = last_return_reason(&state.store.get_filing(&staff.principal, id).await?.timeline);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, &staff, Some(id), typed, errs, reason))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---- the record page and its steps ----------------------------------------------------------------------

/// The fields of a step as typed (kept when the step is refused).
#[derive(Deserialize, Default, Clone)]
pub struct ActionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    approve: String,
    #[serde(default)]
    evaluation_date: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    methods: String,
    #[serde(default)]
    contacts: String,
    #[serde(default)]
    group_size: String,
    #[serde(default)]
    specialties: String,
}

/// One step the caller may take now, as a small form.
pub struct ActionView {
    kind: &'static str,
    label: &'static str,
    hint: String,
    confirm: String,
    /// `reason` label when the step takes a reason (return, plan return, suspension, revocation).
    reason_label: &'static str,
    danger: bool,
    values: ActionForm,
    errors: Errors,
    /// Errors of this step that belong to no input of its form.
    other: Vec<String>,
}

/// What a step looks like: label, hint, confirmation, reason label, danger.
fn action_meta(kind: &str, receiver: &str, lead: &str) -> Option<(&'static str, String, String, &'static str, bool)> {
    let k = FilingEventKind::parse(kind);
    let label = match k {
        Some(k) => k.label(),
        None if kind == "start_evaluation" => "评估开始：公开评议组名单",
        None => return None,
    };
    let s = |x: &str| x.to_string();
    Some(match k {
        Some(FilingEventKind::Submit) => (
            label,
            format!("提交至{receiver}。提交后在受理或退回前不能修改。"),
            format!("提交后申请将报送{receiver}，受理或退回前不能修改。确认提交？"),
            "",
            false,
        ),
        Some(FilingEventKind::Return) => (
            label,
            s("退回后申请单位按退回理由修改，重新提交；退回记录保留在办理记录中。"),
            s("确认将申请退回申请单位？"),
            "退回理由",
            true,
        ),
        Some(FilingEventKind::Accept) => (
            label,
            format!("受理后制定评估方案，并于评估日期前至少 {lead} 个工作日报省鉴定中心（规程第二部分第（三）条）。"),
            s("确认受理该备案申请？"),
            "",
            false,
        ),
        Some(FilingEventKind::SubmitPlan) => (
            label,
            format!("评估方案须于评估前至少 {lead} 个工作日报省鉴定中心（规程第二部分第（三）条）。"),
            s("上报后评估方案由省鉴定中心审核。确认上报？"),
            "",
            false,
        ),
        Some(FilingEventKind::ApprovePlan) => {
            (label, s("通过后由省鉴定中心从专家委员会随机抽取专家评议组。"), s("确认通过该评估方案？"), "", false)
        }
        Some(FilingEventKind::ReturnPlan) => {
            (label, s("退回后由受理中心重新制定并上报评估方案。"), s("确认退回评估方案？"), "退回意见", true)
        }
        Some(FilingEventKind::DrawGroup) => (
            label,
            s("从专家委员会随机抽取，按回避规则排除与申请单位有关的专家；名单在评估开始前密封。"),
            s("抽取结果不可更改。确认抽取专家评议组？"),
            "",
            false,
        ),
        None => (
            label,
            s("评估当日开始：公开评议组名单和随机种子，评议组成员即可填写评估意见。"),
            s("开始评估将公开专家评议组名单和随机种子，不可撤回。确认评估已开始？"),
            "",
            false,
        ),
        Some(FilingEventKind::Decide) => (
            label,
            s("根据专家评议组的评估结论作出决定；准予备案的，系统按编号规则赋予机构编码。"),
            String::new(),
            "",
            false,
        ),
        Some(FilingEventKind::Suspend) => (
            label,
            s("暂停后该考核站从公开的考核站名录中移除，可恢复或撤销。"),
            s("确认暂停该考核站的备案？"),
            "暂停理由",
            true,
        ),
        Some(FilingEventKind::Reinstate) => {
            (label, s("恢复后该考核站重新列入公开的考核站名录。"), s("确认恢复该考核站的备案？"), "", false)
        }
        Some(FilingEventKind::Revoke) => (
            label,
            s("撤销备案后不可恢复，该考核站从公开名录中移除。"),
            s("撤销备案不可恢复。确认撤销？"),
            "撤销理由",
            true,
        ),
        Some(FilingEventKind::CompleteEvaluation) => return None,
    })
}

/// The inputs a step's form has (its errors stand beside them; the others above the form).
fn action_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "return" | "return_plan" | "suspend" | "revoke" => &["reason"],
        "submit_plan" => &["evaluation_date", "place", "methods", "contacts"],
        "draw_group" => &["group_size", "specialties"],
        "decide" => &["reason", "approve"],
        _ => &[],
    }
}

pub struct MemberFindings {
    name: String,
    conclusion: String,
    pass: bool,
    recorded_at: String,
    rows: Vec<(&'static str, String)>,
    comment: String,
}

fn member_findings(f: &FindingView) -> MemberFindings {
    let input: FindingsInput = serde_json::from_value(f.findings.clone()).unwrap_or_default();
    MemberFindings {
        name: f.expert_name.clone(),
        conclusion: domain::stations::Conclusion::parse(&f.conclusion).map(|c| c.label()).unwrap_or("").to_string(),
        pass: f.conclusion == "pass",
        recorded_at: f.recorded_at.clone(),
        rows: EvaluationMethod::ALL
            .iter()
            .map(|m| {
                let text =
                    input.findings.iter().find(|x| x.method == m.id()).map(|x| x.text.clone()).unwrap_or_default();
                (m.label(), text)
            })
            .collect(),
        comment: input.comment,
    }
}

/// One of the four kinds of materials (annex 1, 附报材料) with the files attached for it.
pub struct MaterialView {
    kind: &'static str,
    label: &'static str,
    files: Vec<AttachmentView>,
}

fn material_views(files: Vec<AttachmentView>) -> Vec<MaterialView> {
    MaterialKind::ALL
        .iter()
        .map(|k| MaterialView {
            kind: k.id(),
            label: k.label(),
            files: files.iter().filter(|f| f.kind == k.id()).cloned().collect(),
        })
        .collect()
}

/// The materials card (`filings/materials.html`), on the filing page and a reviewer's findings page.
pub struct MaterialsBlock {
    filing_id: i64,
    /// The applicant may upload and remove (draft or returned).
    can_edit: bool,
    materials: Vec<MaterialView>,
    missing: Vec<&'static str>,
    /// The kind the upload form offers first: the first one still missing.
    first_missing: &'static str,
    upload_error: String,
}

impl MaterialsBlock {
    fn new(filing_id: i64, files: Vec<AttachmentView>, can_edit: bool, upload_error: String) -> Self {
        let materials = material_views(files);
        MaterialsBlock {
            filing_id,
            can_edit,
            missing: materials.iter().filter(|m| m.files.is_empty()).map(|m| m.label).collect(),
            first_missing: materials.iter().find(|m| m.files.is_empty()).map(|m| m.kind).unwrap_or(""),
            materials,
            upload_error,
        }
    }

    fn size(&self, bytes: &i64) -> String {
        size_label(*bytes)
    }
}

/// A file size in words: 12.3 KB, 1.5 MB.
fn size_label(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if bytes < 1024 {
        format!("{} 字节", bytes.max(0))
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KB", b / 1024.0)
    }
}

pub struct TimelineView {
    at: String,
    actor: String,
    step: String,
    comment: String,
}

fn timeline_view(items: &[TimelineItem]) -> Vec<TimelineView> {
    items
        .iter()
        .map(|t| TimelineView {
            at: t.at.clone(),
            actor: t.actor_name.clone(),
            step: if t.from_state.is_empty() || t.from_state == t.to_state {
                state_label(&t.to_state).to_string()
            } else {
                format!("{} → {}", state_label(&t.from_state), state_label(&t.to_state))
            },
            comment: t.comment.clone(),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "filings/show.html")]
pub struct FilingPage {
    layout: Layout,
    d: FilingDetail,
    app: AppView,
    tag: &'static str,
    receiver: String,
    next_step: String,
    plan: Option<EvaluationPlan>,
    draw_href: String,
    findings: Vec<MemberFindings>,
    group_conclusion: String,
    group_pass: bool,
    timeline: Vec<TimelineView>,
    actions: Vec<ActionView>,
    refused: String,
    refusal: Vec<String>,
    can_edit: bool,
    mat: MaterialsBlock,
    /// The reason of the latest return, while the application is back with the applicant.
    returned_reason: String,
}

/// A refused step: which, what was typed and why.
struct Refused {
    form: ActionForm,
    errors: FieldErrors,
}

async fn filing_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    refused: Option<Refused>,
    q: &ListQuery,
) -> Result<FilingPage, PageError> {
    let (d, files) = state.store.get_filing_with_materials(&staff.principal, id).await?;
    let can_edit = d.actions.iter().any(|a| a == FilingEventKind::Submit.id());
    let mat = MaterialsBlock::new(id, files, can_edit, q.upload_error.clone().unwrap_or_default());
    let today = store::today();
    let lead = state
        .store
        .policy_on(keys::EVALUATION_PLAN_LEAD_DAYS, today)
        .await
        .map(|p| p.value)
        .unwrap_or_else(|_| "10".into());
    let receiver = receiver_label(&d.summary);
    let route = Receiver::parse(&d.summary.receiver).unwrap_or(Receiver::City);
    let fstate = FilingState::parse(&d.summary.state);
    let next_step = match fstate.and_then(|s| domain::stations::todo_now(s, route, d.seal_open)) {
        Some(t) => format!("{}：{}", t.office.label(), t.text),
        None => "无（办理已结束）".to_string(),
    };
    let mut actions = Vec::new();
    for kind in &d.actions {
        let Some((label, mut hint, confirm, reason_label, danger)) = action_meta(kind, &receiver, &lead) else {
            continue;
        };
        if kind == "submit_plan"
            && let Ok(n) = lead.parse::<u32>()
            && let Ok(cal) = state.store.calendar().await
            && let Ok(earliest) = cal.add_working_days(today, n)
        {
            hint.push_str(&format!("今天上报的，评估日期最早为 {earliest}。"));
        }
        if kind == "decide"
            && let Some(c) = domain::stations::Conclusion::parse(&d.group_conclusion)
        {
            hint.push_str(&format!(
                "专家评议组结论：{}（{} 名成员已签署，见下方“专家评议组”）。",
                c.label(),
                d.findings.len()
            ));
        }
        if kind == "submit" && !mat.missing.is_empty() {
            hint.push_str(&format!("提交前须上传全部附报材料，尚缺：{}。", mat.missing.join("、")));
        }
        let (values, errors, other) = match &refused {
            Some(r) if r.form.kind == *kind => {
                let fields = action_fields(kind);
                let other = r
                    .errors
                    .0
                    .iter()
                    .filter(|e| !fields.contains(&e.field.as_str()))
                    .map(|e| e.detail.clone())
                    .collect();
                (r.form.clone(), r.errors.clone(), other)
            }
            _ => (ActionForm::default(), FieldErrors::new(), Vec::new()),
        };
        actions.push(ActionView {
            kind: FilingEventKind::parse(kind).map(|k| k.id()).unwrap_or("start_evaluation"),
            label,
            hint,
            confirm,
            reason_label,
            danger,
            values,
            errors: Errors(errors),
            other,
        });
    }
    // The steps that send something back or end it come after the ones that move it forward.
    actions.sort_by_key(|a| a.danger);
    let (refused_label, refusal) = match &refused {
        Some(r) => (
            action_meta(&r.form.kind, &receiver, &lead).map(|m| m.0).unwrap_or("操作").to_string(),
            r.errors.0.iter().map(|e| e.detail.clone()).collect(),
        ),
        None => (String::new(), Vec::new()),
    };
    let draw_href = match d.draw_id {
        Some(draw) if staff.principal.can(Action::RunDraws) => format!("/admin/draws/{draw}"),
        Some(draw) => format!("/draws/{draw}"),
        None => String::new(),
    };
    let group_conclusion =
        domain::stations::Conclusion::parse(&d.group_conclusion).map(|c| c.label()).unwrap_or("").to_string();
    Ok(FilingPage {
        layout: Layout::new(staff, &state.config.system_name, &d.summary.institution_name, "/filings")
            .crumb("备案申请", "/filings")
            .notice(q.done.as_deref()),
        app: AppView::of(&d.application),
        tag: state_tag(&d.summary.state),
        receiver,
        next_step,
        plan: d.plan.clone(),
        draw_href,
        findings: d.findings.iter().map(member_findings).collect(),
        group_pass: d.group_conclusion == "pass",
        group_conclusion,
        timeline: timeline_view(&d.timeline),
        can_edit,
        actions,
        refused: refused_label,
        refusal,
        returned_reason: if d.summary.state == FilingState::Returned.id() {
            last_return_reason(&d.timeline)
        } else {
            String::new()
        },
        mat,
        d,
    })
}

pub async fn show_filing(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<FilingPage, PageError> {
    filing_page(&state, &staff, id, None, &q).await
}

pub async fn act_on_filing(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    let date = parse_date(&f.evaluation_date);
    let size = f.group_size.trim();
    let input = FilingActionInput {
        kind: f.kind.trim().to_string(),
        reason: f.reason.clone(),
        approve: match f.approve.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        evaluation_date: date,
        place: f.place.clone(),
        methods: f.methods.clone(),
        contacts: f.contacts.clone(),
        // Not a number: 0, which the store refuses with the allowed range.
        group_size: if size.is_empty() { None } else { Some(size.parse().unwrap_or(0)) },
        specialties: f.specialties.clone(),
    };
    let (status, errors) = match state.store.act_on_filing(&staff.principal, id, &input, &staff.ctx).await {
        Ok(_) => {
            let done = format!("filing_{}", input.kind);
            return Ok(Redirect::to(&format!("/filings/{id}?done={done}")).into_response());
        }
        Err(StoreError::Invalid(errs)) => (StatusCode::UNPROCESSABLE_ENTITY, errs),
        Err(StoreError::Conflict(e)) => (StatusCode::CONFLICT, FieldErrors::from(e)),
        Err(e) => return Err(e.into()),
    };
    let typed_date = f.evaluation_date.trim().to_string();
    let errors = FieldErrors(
        errors
            .0
            .into_iter()
            .map(|e| match e.field.as_str() {
                "count" => e.for_field("group_size"),
                "evaluation_date" if date.is_none() && !typed_date.is_empty() => {
                    FieldError::new("evaluation_date", "DATE_FORMAT", "评估日期格式应为 YYYY-MM-DD")
                }
                _ => e,
            })
            .collect(),
    );
    let refused = Refused { form: ActionForm { kind: input.kind.clone(), ..f }, errors };
    Ok((status, filing_page(&state, &staff, id, Some(refused), &ListQuery::default()).await?).into_response())
}

// ---- the annex-1 form for printing ----------------------------------------------------------------------

/// An opinion block of the printed form: its lines and its date.
pub struct Opinion {
    lines: Vec<String>,
    date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "filings/print.html")]
pub struct PrintPage {
    id: i64,
    app: AppView,
    materials: Vec<(&'static str, usize)>,
    state_label: String,
    institution_code: String,
    commitment_date: String,
    city: Opinion,
    group: Opinion,
    members: Vec<MemberFindings>,
    province: Opinion,
}

fn find_step<'a>(timeline: &'a [TimelineItem], from: &[FilingState], to: &[FilingState]) -> Option<&'a TimelineItem> {
    timeline
        .iter()
        .rev()
        .find(|t| from.iter().any(|s| s.id() == t.from_state) && to.iter().any(|s| s.id() == t.to_state))
}

pub async fn print_filing(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<PrintPage, PageError> {
    let (d, files) = state.store.get_filing_with_materials(&staff.principal, id).await?;
    let materials = material_views(files).into_iter().map(|m| (m.label, m.files.len())).collect();
    use FilingState as S;
    let city = if d.summary.receiver == "province" {
        Opinion {
            lines: vec![
                "申请单位属省直部门、省级行业组织、中央在湘企业或省属企业，直接向省鉴定中心申请（不经市州鉴定中心）。"
                    .into(),
            ],
            date: String::new(),
        }
    } else {
        let mut lines = Vec::new();
        let accepted = find_step(&d.timeline, &[S::Submitted], &[S::Accepted]);
        if accepted.is_some() {
            lines.push("同意受理。".to_string());
        }
        if let Some(p) = &d.plan {
            lines.push(format!(
                "评估方案：评估日期 {}，地点：{}；评估方式：{}；联系人：{}。评估方案于 {} 上报省鉴定中心。",
                paper_date(&p.evaluation_date.to_string()),
                p.place,
                p.methods,
                p.contacts,
                paper_date(&p.submitted_on.to_string())
            ));
        }
        Opinion { lines, date: accepted.map(|t| paper_date(&t.at)).unwrap_or_default() }
    };
    let members: Vec<MemberFindings> = d.findings.iter().map(member_findings).collect();
    let group = match domain::stations::Conclusion::parse(&d.group_conclusion) {
        Some(c) => Opinion {
            lines: vec![format!(
                "经听取报告、文件审核、技术抽查、访谈咨询、质询答辩和现场考察，评估结论：{}（{} 名成员中 {} 名通过）。",
                c.label(),
                members.len(),
                members.iter().filter(|m| m.pass).count()
            )],
            date: d.findings.iter().map(|f| f.recorded_at.as_str()).max().map(paper_date).unwrap_or_default(),
        },
        None => Opinion { lines: Vec::new(), date: String::new() },
    };
    let decided = find_step(&d.timeline, &[S::Evaluated], &[S::Filed, S::Rejected]);
    let mut province_lines = Vec::new();
    if !d.province_opinion.is_empty() {
        province_lines.push(d.province_opinion.clone());
    }
    if let Some(t) = decided {
        province_lines.push(if t.to_state == S::Filed.id() {
            format!("准予备案，机构编码：{}。", d.summary.institution_code.clone().unwrap_or_default())
        } else {
            "不予备案。".to_string()
        });
    }
    Ok(PrintPage {
        id,
        app: AppView::of(&d.application),
        materials,
        state_label: d.summary.state_label.clone(),
        institution_code: d.summary.institution_code.clone().unwrap_or_default(),
        commitment_date: paper_date(&d.summary.submitted_at),
        city,
        group,
        members,
        province: Opinion { lines: province_lines, date: decided.map(|t| paper_date(&t.at)).unwrap_or_default() },
    })
}

// ---- findings of an evaluation group member (S4) --------------------------------------------------------

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
    let store::filings::MemberView { access, own, materials } = state.store.member_view(&staff.principal, id).await?;
    let (m, group) = (access.filing, access.group);
    let application: ApplicationInput = serde_json::from_str(&m.application).unwrap_or_default();
    let plan = m.plan.as_deref().and_then(|p| serde_json::from_str::<EvaluationPlan>(p).ok());
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
        state_label: state_label(&m.state).to_string(),
        evaluating: m.state == FilingState::GroupDrawn.id(),
        group_size: group.len(),
        app: AppView::of(&application),
        plan,
        methods,
        conclusion: typed.conclusion,
        comment: typed.comment,
        errors: Errors(errors),
        refusal,
        mat: MaterialsBlock::new(id, materials, false, String::new()),
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
    match state.store.record_findings(&staff.principal, id, &input, &staff.ctx).await {
        Ok(()) => Ok(Redirect::to("/my/reviews?done=findings_saved").into_response()),
        Err(StoreError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            findings_page(&state, &staff, id, Some(input), errs, String::new()).await?,
        )
            .into_response()),
        Err(StoreError::Conflict(e)) => Ok((
            StatusCode::CONFLICT,
            findings_page(&state, &staff, id, Some(input), FieldErrors::new(), e.detail).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
