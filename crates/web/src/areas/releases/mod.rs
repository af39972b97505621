//! Papers released to an exam (E2): a center's request, the province's approval with the paper
//! allocated, and the custody ledger — printed, sealed, handed over, opened before two witnesses,
//! returned or destroyed — each step by its actor, counts reconciled (`store::releases`). Staff pages
//! (`pages`) and the same over the API (`api`).

pub mod api;
pub mod pages;

use super::{Area, MenuEntry, Notice, SubjectLink};
use crate::routes::Routes;
use domain::authz::Action;
use domain::workflow::SubjectKind;
use utoipa_axum::routes;

const LINKS: &[SubjectLink] = &[(SubjectKind::PaperRelease, |id| format!("/releases/{id}"))];

const MENU: &[MenuEntry] =
    &[MenuEntry { order: 28, label: "试卷使用", href: "/releases", action: Some(Action::ListPaperReleases) }];

const NOTICES: &[Notice] = &[
    ("release_requested", "试卷使用申请已提交省鉴定中心题库管理员审批。"),
    ("release_step_recorded", "已登记。保管记录见下表，下一环节的责任单位会收到待办提醒。"),
];

pub fn area() -> Area {
    Area { name: "releases", routes, menu: MENU, notices: NOTICES, links: LINKS }
}

fn routes(r: Routes) -> Routes {
    r.get("/releases", pages::list)
        .get("/releases/export.xlsx", pages::export)
        .get("/releases/new", pages::new_form)
        .post("/releases", pages::create)
        .get("/releases/{id}", pages::show)
        .post("/releases/{id}/steps", pages::record_step)
        .api(routes!(api::list_releases, api::request_release))
        .api(routes!(api::get_release))
        .api(routes!(api::record_step))
        .api(routes!(api::session_releases))
}
