//! E5, E6: scores and the score register of an exam session (`store::grading`) over the API: the
//! score sheet (current or an earlier version), a candidate's scores, the import of many, the
//! register's steps (submit, confirm, return, correct), and a candidate's own confirmed results; a
//! panel member's own sessions, score entry and reports (`panel_pages`, `panel_api`).

pub mod api;
pub mod panel_api;
pub mod panel_pages;

use super::{Area, MenuEntry, Notice};
use crate::routes::Routes;
use domain::authz::Action;
use utoipa_axum::routes;

const MENU: &[MenuEntry] =
    &[MenuEntry { order: 91, label: "我的考评工作", href: "/my/panels", action: Some(Action::ServeOnPanels) }];

const NOTICES: &[Notice] = &[
    ("panel_score_entered", "成绩已保存。"),
    ("assessor_report_filed", "考评情况报告已保存，请考评组各考评员签署。"),
    ("assessor_report_signed", "您已签署考评情况报告。"),
    ("supervision_report_filed", "督导报告已保存。"),
];

pub fn area() -> Area {
    Area { name: "grading", routes, menu: MENU, notices: NOTICES, links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.api(routes!(api::score_sheet))
        .api(routes!(api::enter_score))
        .api(routes!(api::import_scores))
        .api(routes!(api::act_on_register))
        .api(routes!(api::my_results))
        .get("/my/panels", panel_pages::list)
        .get("/my/panels/{id}", panel_pages::show)
        .post("/my/panels/{id}/scores/{cid}", panel_pages::enter_score)
        .post("/my/panels/{id}/assessor-report", panel_pages::file_assessor_report)
        .post("/my/panels/{id}/assessor-report/signature", panel_pages::sign_assessor_report)
        .post("/my/panels/{id}/supervision-report", panel_pages::file_supervision_report)
        .api(routes!(panel_api::my_panels))
        .api(routes!(panel_api::panel_work))
        .api(routes!(panel_api::enter_score))
        .api(routes!(panel_api::file_assessor_report))
        .api(routes!(panel_api::sign_assessor_report))
        .api(routes!(panel_api::file_supervision_report))
}
