//! E5, E6: scores and the score register of an exam session (`store::grading`) over the API: the
//! score sheet (current or an earlier version), a candidate's scores, the import of many, the
//! register's steps (submit, confirm, return, correct), and a candidate's own confirmed results; a
//! panel member's own sessions, score entry and reports (`panel_pages`, `panel_api`); the staff's page
//! of the sheet and the register with its import, export and A4 print (`sheet_pages`).

pub mod api;
pub mod panel_api;
pub mod panel_pages;
pub mod sheet_pages;

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
    ("score_entered", "成绩已保存。"),
    ("scores_imported", "成绩表已导入。"),
    ("register_submitted", "成绩登分册已提交，等待组织考核的鉴定中心审核确认。"),
    ("register_confirmed", "成绩登分册已审核确认，成绩已锁定，考生可查询本人成绩。"),
    ("register_returned", "成绩登分册已退回考核站，退回理由已记录。"),
    ("register_corrected", "成绩已更正，形成成绩登分册新版本，原版本保留备查。"),
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
        .get("/sessions/{id}/scores", sheet_pages::show)
        .get("/sessions/{id}/scores.xlsx", sheet_pages::export)
        .get("/sessions/{id}/scores/template.xlsx", sheet_pages::template)
        .get("/sessions/{id}/scores/print", sheet_pages::print)
        .post("/sessions/{id}/scores/import", sheet_pages::import)
        .post("/sessions/{id}/scores/{cid}", sheet_pages::enter)
        .post("/sessions/{id}/register", sheet_pages::act)
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
