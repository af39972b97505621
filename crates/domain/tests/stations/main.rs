//! Station filing (S1–S5): the whole transition table (every state × every event), a city-routed and a
//! province-routed path, return and resubmission, the evaluation started before it completes (S4),
//! suspension and revocation, the S3 plan lead around the 2026 National Day holiday and into the unloaded
//! year 2027, the S4 findings and group conclusion, S5 institution codes, and the annex-1 application
//! with every kind of bad field.

use domain::audit::{AuditAction, AuditTarget};
use domain::calendar::{Calendar, CalendarError};
use domain::ids::RegionCode;
use domain::org::Nature;
use domain::policy::{def, keys};
use domain::stations::{
    Actor, ApplicantCategory, ApplicationInput, AssessorInput, Conclusion, ConditionInput, DEFAULT_MIN_ASSESSORS,
    DeadlineRule, EVALUATION_DATE_FIELD, EvaluationMethod, FacilityInput, FilingApplication, FilingEvent,
    FilingEventKind, FilingState, FindingInput, FindingsInput, MAX_ROWS, MaterialKind, MemberFindings, Office,
    PlanTiming, REASON_MAX_CHARS, Receiver, RuleError, S1Condition, allowed_event_kinds,
    check_institution_code_template, check_materials, check_plan_lead, group_conclusion, institution_code_for_year,
    latest_plan_submission_day, route, todo, transition,
};
use domain::{FieldError, FieldErrors};
use time::macros::date;
use time::{Date, Duration};

mod application;
mod findings;
mod institution_code;
mod machine;
mod paths;
mod plan;

/// The office whose turn it is in `state` for an application routed to `route` (the to-do's office).
fn next_office(state: FilingState, route: Receiver) -> Option<Office> {
    todo(state, route).map(|t| t.office)
}

/// The ids of the events `state` allows, in [`FilingEventKind::ALL`] order.
fn allowed_ids(state: FilingState) -> Vec<&'static str> {
    allowed_event_kinds(state).into_iter().map(FilingEventKind::id).collect()
}
