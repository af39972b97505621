//! Exam sessions (考核计划, E1, E3): a filed station's plan for an exam of a catalog project it is filed
//! for, its candidates (one by one or from an .xlsx roster), submission on time, and the organizer's
//! approval or return (`store::sessions`). The list and the new plan (`list`), one session with its
//! steps and the printable plan (`record`), the candidates (`roster`), and the same over the API (`api`).

pub mod api;
pub mod list;
pub mod panel;
pub mod record;
pub mod roster;

use super::{Area, MenuEntry, Notice, SubjectLink};
use crate::routes::Routes;
use domain::authz::Action;
use domain::workflow::SubjectKind;
use utoipa_axum::routes;

const LINKS: &[SubjectLink] = &[(SubjectKind::ExamSession, |id| format!("/sessions/{id}"))];

const MENU: &[MenuEntry] =
    &[MenuEntry { order: 29, label: "考核计划", href: "/sessions", action: Some(Action::ListSessions) }];

const NOTICES: &[Notice] = &[
    ("session_created", "考核计划已保存为草拟。请添加考生，确认无误后报送。"),
    ("session_updated", "考核计划已修改。"),
    ("session_submitted", "考核计划已报送，组织考核的鉴定中心会收到待办提醒。"),
    ("session_approved", "考核计划已批准。"),
    ("session_returned", "考核计划已退回考核站，退回理由已通知考核站。"),
    ("session_cancelled", "本场考核已取消。"),
    ("candidate_added", "考生已添加。"),
    ("candidate_removed", "考生已从名单中移除。"),
    ("roster_imported", "考生名册已导入。"),
    ("panel_appointed", "考评组已委派。"),
    ("panel_drawn", "考评员已随机抽取并委派，抽取记录已公开。"),
];

pub fn area() -> Area {
    Area { name: "sessions", routes, menu: MENU, notices: NOTICES, links: LINKS }
}

fn routes(r: Routes) -> Routes {
    r.get("/sessions", list::list)
        .get("/sessions/export.xlsx", list::export)
        .get("/sessions/new", list::new_form)
        .post("/sessions", list::create)
        .get("/sessions/roster-template.xlsx", roster::template)
        .get("/sessions/{id}", record::show)
        .post("/sessions/{id}", record::update)
        .get("/sessions/{id}/edit", record::edit_form)
        .post("/sessions/{id}/actions", record::act)
        .get("/sessions/{id}/print", record::print)
        .post("/sessions/{id}/candidates", roster::add)
        .get("/sessions/{id}/candidates.xlsx", roster::export)
        .post("/sessions/{id}/candidates/{cid}/remove", roster::remove)
        .post("/sessions/{id}/roster", roster::import)
        .get("/sessions/{id}/panel", panel::form)
        .post("/sessions/{id}/panel", panel::appoint)
        .post("/sessions/{id}/panel/draw", panel::draw)
        .api(routes!(api::list_sessions, api::create_session))
        .api(routes!(api::get_session, api::update_session))
        .api(routes!(api::act_on_session))
        .api(routes!(api::add_candidate))
        .api(routes!(api::remove_candidate))
        .api(routes!(api::import_roster))
        .api(routes!(panel::get_panel, panel::put_panel))
        .api(routes!(panel::draw_api))
}
