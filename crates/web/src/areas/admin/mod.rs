//! Oversight and settings: the audit trail (the audit admin's page and export, docs/AUDIT.md), the
//! versioned policy (V1) and the working-day calendar (S3, E3), on pages and over the API.

pub mod api;
pub mod audit;
pub mod calendar;
pub mod policy;

use super::{Area, MenuEntry, Notice, SubjectLink};
use crate::routes::Routes;
use domain::authz::Action;
use domain::workflow::SubjectKind;
use utoipa_axum::routes;

/// The reminder to enter next year's holidays leads to the calendar page (S3, E3).
const LINKS: &[SubjectLink] = &[(SubjectKind::Calendar, |_| "/admin/calendar".to_string())];

pub fn area() -> Area {
    Area { name: "admin", routes, menu: MENU, notices: NOTICES, links: LINKS }
}

const MENU: &[MenuEntry] = &[
    MenuEntry { order: 50, label: "政策参数", href: "/admin/policy", action: Some(Action::ViewPolicy) },
    MenuEntry { order: 60, label: "工作日历", href: "/admin/calendar", action: Some(Action::ViewCalendar) },
    MenuEntry { order: 100, label: "审计日志", href: "/admin/audit", action: Some(Action::ViewAudit) },
];

const NOTICES: &[Notice] = &[("policy", "新版本已发布，将于生效日期起执行。"), ("calendar", "节假日安排已保存。")];

fn routes(r: Routes) -> Routes {
    r.get("/admin/audit", audit::list_audit)
        .get("/admin/audit/export.jsonl", audit::export_audit)
        .get("/admin/policy", policy::show_policy)
        .post("/admin/policy", policy::add_policy_version)
        .get("/admin/calendar", calendar::show_calendar)
        .post("/admin/calendar", calendar::set_calendar_year)
        .api(routes!(api::list_audit))
        .api(routes!(api::list_policy))
        .api(routes!(api::add_policy_version))
        .api(routes!(api::list_calendar))
        .api(routes!(api::set_calendar_year))
        .api(routes!(api::add_working_days))
}
