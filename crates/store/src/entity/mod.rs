//! Table models (sea-orm). One module per table; relations are joined by hand where needed.

pub mod attachment;
pub mod audit_log;
pub mod calendar_year;
pub mod draw;
pub mod draw_member;
pub mod expert;
pub mod expert_conflict;
pub mod expert_employment;
pub mod expert_specialty;
pub mod filing;
pub mod filing_finding;
pub mod filing_project;
pub mod login_account_failure;
pub mod login_throttle;
pub mod org;
pub mod policy_version;
pub mod project;
pub mod project_field;
pub mod project_file;
pub mod project_material;
pub mod project_opinion;
pub mod session;
pub mod user;
pub mod user_role;
pub mod workflow_event;
