//! Station filing (考核站备案, section 二 of the procedure, clauses S1–S5) as pure types and rules, one
//! file per seam:
//!
//! - [`application`] — **S1, S2**: the annex-1 application as a parsed command
//!   ([`FilingApplication::parse`]), the five S1 conditions ([`S1Condition`]), the attached materials
//!   ([`MaterialKind`], [`check_materials`]); [`ApplicationInput::example`] is a complete, valid form.
//! - [`routing`] — **S2**: routing by territory ([`route`]): employers, schools and other units submit to
//!   the city center of their region; provincial departments, provincial trade bodies, central
//!   enterprises in Hunan and provincial enterprises submit directly to the province center.
//! - [`machine`] — **S2–S5** and afterwards: the filing as an explicit state machine ([`FilingState`],
//!   [`FilingEvent`], [`transition`]), which events each state allows ([`allowed_event_kinds`]) and what
//!   waits for whom ([`todo()`]). The evaluation is started by the province on the planned day
//!   ([`FilingEvent::StartEvaluation`], S4) before the group records findings. Suspension and revocation
//!   after filing take the station off the public directory ([`FilingState::is_public`]).
//! - [`plan`] — **S3**: the evaluation plan reaches the province at least *n* working days (policy
//!   `filing.evaluation_plan_lead_working_days`, 10) before the evaluation ([`check_plan_lead`]).
//! - [`findings`] — **S4**: the six evaluation methods ([`EvaluationMethod`]), each group member's
//!   findings ([`MemberFindings::parse`]) and the group's conclusion ([`group_conclusion`]).
//! - [`institution_code`] — **S5**: the institution code rendered from the policy template
//!   ([`institution_code_for_year`], default `HN{city2}{serial4}`, through [`crate::numbering`]).
//!
//! Everything is re-exported here, so `domain::stations::X` names every item. The store keeps the state
//! and the history (every transition is a workflow event); this module only answers whether a step is
//! allowed and what it leads to.

pub mod application;
pub mod findings;
pub mod institution_code;
pub mod machine;
pub mod plan;
pub mod routing;

pub use application::*;
pub use findings::*;
pub use institution_code::*;
pub use machine::*;
pub use plan::*;
pub use routing::*;

use crate::error::FieldError;

/// Trimmed single-line text of `min..=max` characters (a name, an address: no line break, no forbidden
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

/// Trimmed text of `min..=max` characters that may span lines (an explanation, a finding).
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
