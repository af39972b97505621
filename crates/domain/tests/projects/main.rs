//! Assessment projects (P1–P8, F2): the specification with the name rule and the weights (P3), drafts
//! that keep what is half-filled, the whole transition table (every state × every event) with the
//! city-routed and province-routed paths, returns, the expert review and its majority (P4), the project
//! code template (P4), the pilot's last day and exam eligibility around it (P8), adoption with its
//! provenance (P1), training materials (P7) and the public catalog (F2).

use domain::audit::{AuditAction, AuditTarget};
use domain::policy::{def, keys};
use domain::projects::{
    Actor, Adoption, AdoptionInput, AdoptionSource, CatalogStatus, DEFAULT_PASS_MARK, DeadlineRule, ExamRefusal,
    MAX_FIELDS, MAX_TASKS, MaterialInput, MaterialKind, NAME_RULE, NameRule, OTHER_PROVINCES, OpinionInput,
    ProjectCode, ProjectEvent, ProjectEventKind, ProjectName, ProjectOrigin, ProjectState, REASON_MAX_CHARS, Receiver,
    ReviewConclusion, ReviewOpinion, ReviewTally, Specification, SpecificationInput, TaskInput, TrainingMaterial,
    TransitionError, allowed_event_kinds, check_project_code_template, group_conclusion, may_hold_exam, pilot_end,
    project_code, public_states, reminder_date, todo, transition,
};
use domain::{FieldError, FieldErrors};
use time::Date;
use time::macros::date;

mod adoption;
mod code;
mod machine;
mod materials;
mod pilot;
mod review;
mod spec;

/// The codes of `errors` for `field`, in order.
fn codes_of(errors: &FieldErrors, field: &str) -> Vec<&'static str> {
    errors.0.iter().filter(|e| e.field == field).map(|e| e.code).collect()
}

/// The fields of `errors`, in order.
fn fields_of(errors: &FieldErrors) -> Vec<&str> {
    errors.0.iter().map(|e| e.field.as_str()).collect()
}
