//! Assessment projects (专项职业能力考核项目, section 一 of the procedure, clauses P1–P8, and the public
//! catalog of F2) as pure types and rules, one file per seam:
//!
//! - [`name`] — **P3** and the FACTS.md naming rule: [`ProjectName`] under its [`NameRule`].
//! - [`spec`] — **P3**: the specification (考核规范) as typed
//!   ([`SpecificationInput`]) and parsed ([`Specification::parse`]): project name ("product or service +
//!   verb", not ending in 工/员/师, [`ProjectName`]), definition, who it is for, the work tasks with their
//!   operating norms, related knowledge and weights (summing to 100 %), the assessment method (theory
//!   and practical shares, pass marks, durations), the minimum panel size and the professional fields
//!   that match experts and assessors. A draft is checked only for what is filled in
//!   ([`Specification::check_draft`]).
//! - [`machine`] — **P3, P4, P8, P1**: the project as an explicit state machine ([`ProjectState`],
//!   [`ProjectEvent`], [`transition`]), from the development unit's draft through the city's preliminary
//!   review, the province's expert review and decision, to the catalog (pilot, in force, stopped); the
//!   adoption path of P1 enters the same catalog. Who acts ([`Actor`]), what each step is audited as
//!   ([`ProjectEventKind::audit_action`]) and what waits for whom ([`todo()`]). Routing reuses the
//!   station filing's S2 rule ([`route`]): the city center of the unit's region, or the province for
//!   provincial bodies.
//! - [`review`] — **P4**: each expert's opinion ([`ReviewOpinion::parse`]) and the group's majority
//!   conclusion ([`group_conclusion`], ties go to the stricter conclusion).
//! - [`pilot`] — **P8**: the pilot's last day ([`pilot_end`], the corresponding day *n* months after
//!   publication, clamped to the month's end), the reminder day ([`reminder_date`]) and whether a project
//!   may hold an exam on a date ([`may_hold_exam`], refused with an [`ExamRefusal`] after an expired pilot).
//! - [`code`] — **P4**: the project code given when a project is established or adopted, rendered from
//!   the policy template `number.project_code_template` (default `{serial4}`) by [`crate::numbering`]
//!   ([`project_code`], [`ProjectCode`]); digits only, so the certificate number's `{project4}` takes it.
//! - [`adoption`] — **P1**: a project published by the national center or another province, recorded by
//!   the province with its provenance ([`Adoption::parse`], [`Provenance`]).
//! - [`materials`] — **P7**: training materials and exam guides recorded per project
//!   ([`TrainingMaterial::parse`]).
//! - [`files`] — **P3, P1, P7**: the files kept with a project ([`ProjectFileKind`]: the feasibility
//!   report submission requires, [`check_submission_files`]; an adoption's evidence; a material's file).
//! - [`catalog`] — **F2**: which states are in the public catalog and how they read there
//!   ([`CatalogStatus`]).
//!
//! Everything is re-exported here, so `domain::projects::X` names every item. The store keeps the state
//! and the history (every transition is a workflow event of [`crate::workflow::SubjectKind::Project`]);
//! this module only answers whether a step is allowed and what it leads to.

pub mod adoption;
pub mod catalog;
pub mod code;
pub mod files;
pub mod machine;
pub mod materials;
pub mod name;
pub mod pilot;
pub mod review;
pub mod spec;

pub use adoption::*;
pub use catalog::*;
pub use code::*;
pub use files::*;
pub use machine::*;
pub use materials::*;
pub use name::*;
pub use pilot::*;
pub use review::*;
pub use spec::*;

use crate::error::FieldError;

/// Trimmed single-line text of `min..=max` characters (a title, a task name: no line break, no forbidden
/// character, `crate::text`); the code is used for both empty and out-of-range input.
fn text_field(
    field: &str,
    raw: &str,
    min: usize,
    max: usize,
    code: &'static str,
    label: &str,
) -> Result<String, FieldError> {
    crate::text::single_line(field, label, raw)?;
    text_block(field, raw, min, max, code, label)
}

/// Trimmed text of `min..=max` characters that may span lines (a definition, operating norms, comments).
fn text_block(
    field: &str,
    raw: &str,
    min: usize,
    max: usize,
    code: &'static str,
    label: &str,
) -> Result<String, FieldError> {
    crate::text::check(field, label, raw)?;
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(FieldError::new(field, code, format!("请填写{label}")));
    }
    if n < min || n > max {
        return Err(FieldError::new(field, code, format!("{label}应为 {min} 至 {max} 个字")));
    }
    Ok(t.to_owned())
}

/// A whole number typed in a form, `min..=max`; blank reads 请填写<label>, anything else out of range
/// reads <label>应为 min 至 max 之间的整数.
fn int_field(field: &str, raw: &str, min: u32, max: u32, code: &'static str, label: &str) -> Result<u32, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, code, format!("请填写{label}")));
    }
    match t.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(field, code, format!("{label}应为 {min} 至 {max} 之间的整数"))),
    }
}
