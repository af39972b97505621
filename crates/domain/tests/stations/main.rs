//! Station filing (S1–S5): the whole transition table (every state × every event), a city-routed and a
//! province-routed path, return and resubmission, suspension and revocation, the S3 plan lead around the 2026 National Day holiday and into the unloaded
//! year 2027, the S4 findings and group conclusion, S5 institution codes, and the annex-1 application
//! with every kind of bad field.

use domain::calendar::{Calendar, CalendarError};
use domain::ids::RegionCode;
use domain::org::Nature;
use domain::policy::{def, keys};
use domain::stations::{
    Actor, ApplicantCategory, ApplicationInput, AssessorInput, Conclusion, ConditionInput, DEFAULT_MIN_ASSESSORS,
    DeadlineRule, EVALUATION_DATE_FIELD, EvaluationMethod, FacilityInput, FilingApplication, FilingEvent,
    FilingEventKind, FilingState, FindingInput, FindingsInput, MAX_ROWS, MaterialKind, MemberFindings, Office,
    PlanTiming, REASON_MAX_CHARS, Receiver, RuleError, S1Condition, allowed_event_kinds, allowed_events,
    check_institution_code_template, check_materials, check_plan_lead, deadline_rule, group_conclusion,
    institution_code_for_year, latest_plan_submission_day, next_actor, route, todo, todo_text, transition, waiting_on,
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
