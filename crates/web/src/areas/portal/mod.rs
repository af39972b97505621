//! Candidate self-service, part 1 (issue 12; E3's candidates, `store::portal`): the public sign-up
//! (`register`, linked from the sign-in page as 考生注册), the candidate's home 我的考试 with the sessions
//! open to applications and their own applications (`my`), the station's side on the session's page —
//! open the session to applications on the session's page, and the applications list of its own,
//! `/sessions/{id}/applications`, with search, paging, .xlsx export and the decisions (`station`) — and
//! the same over the API (`api`). Admission tickets and results come in part 2.

pub mod api;
pub mod my;
pub mod register;
pub mod station;

use super::{Area, MenuEntry, Notice};
use crate::limits::LimitClass;
use crate::routes::Routes;
use domain::authz::Action;
use utoipa_axum::routes;

const MENU: &[MenuEntry] =
    &[MenuEntry { order: 12, label: "我的考试", href: "/my/exams", action: Some(Action::ApplyExams) }];

const NOTICES: &[Notice] = &[
    ("application_submitted", "报名已提交，请等待考核站确认。"),
    ("application_withdrawn", "报名已撤回。"),
    ("applications_opened", "本场考核已开放网上报名，考生可在“我的考试”中报名。"),
    ("applications_closed", "本场考核已关闭网上报名。"),
    ("application_confirmed", "报名已确认，考生已列入考生名单。"),
    ("application_declined", "已不予确认该报名，考生可以看到理由。"),
];

pub fn area() -> Area {
    Area { name: "portal", routes, menu: MENU, notices: NOTICES, links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/candidate/register", register::form)
        .post("/candidate/register", register::submit)
        .limited(LimitClass::SignIn)
        .get("/my/exams", my::home)
        .post("/my/applications", my::apply)
        .post("/my/applications/{id}/withdraw", my::withdraw)
        .get("/sessions/{id}/applications", station::list)
        .get("/sessions/{id}/applications.xlsx", station::export)
        .post("/sessions/{id}/applications-open", station::set_open)
        .post("/sessions/{id}/applications/{aid}", station::decide)
        .api(routes!(api::register_candidate))
        .limited(LimitClass::SignIn)
        .api(routes!(api::open_sessions))
        .api(routes!(api::my_applications, api::apply))
        .api(routes!(api::withdraw))
        .api(routes!(api::session_applications))
        .api(routes!(api::export_session_applications))
        .api(routes!(api::decide_application))
        .api(routes!(api::set_applications_open))
}
