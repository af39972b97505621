//! Station filing (考核站备案, S1–S5). Staff pages: the list in the caller's scope (`list`), the annex-1
//! form to create and edit an application (`form`), the record page with every step the caller may take
//! now (`record`), the materials (`materials`), the findings form of an evaluation group member (S4,
//! `findings`) and the annex-1 form as filled for A4 printing (`print`); the public directory of filed
//! stations (S5, `directory`); and all of it over the API (`api`).

pub mod api;
pub mod directory;
pub mod findings;
pub mod form;
pub mod list;
pub mod materials;
pub mod print;
pub mod record;
mod view;

use super::{Area, MenuEntry, Notice, SubjectLink};
use crate::limits::LimitClass;
use crate::routes::{Routes, UPLOAD_LIMIT};
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::post;
use domain::authz::Action;
use domain::workflow::SubjectKind;
use utoipa_axum::router::UtoipaMethodRouterExt;
use utoipa_axum::routes;

/// A filing's page; a member's findings page (subject `filing_id:user_id`, S4).
const LINKS: &[SubjectLink] = &[
    (SubjectKind::Filing, |id| format!("/filings/{id}")),
    (SubjectKind::FilingFindings, |id| format!("/filings/{}/findings", id.split(':').next().unwrap_or(id))),
];

pub fn area() -> Area {
    Area { name: "filings", routes, menu: MENU, notices: NOTICES, links: LINKS }
}

const MENU: &[MenuEntry] =
    &[MenuEntry { order: 20, label: "备案申请", href: "/filings", action: Some(Action::ListFilings) }];

/// After a step the record page says what happened and what comes next (`filing_<event>`).
const NOTICES: &[Notice] = &[
    ("filing_saved", "备案申请已保存为草稿。请核对申报表，无误后点击“提交备案申请”。"),
    ("filing_updated", "修改已保存。请核对申报表，无误后点击“提交备案申请”。"),
    ("filing_submit", "备案申请已提交，等待受理中心受理。"),
    ("filing_return", "已退回申请单位，退回理由已记入办理记录。"),
    ("filing_accept", "已受理。请制定评估方案，并按规定的提前期报省鉴定中心。"),
    ("filing_submit_plan", "评估方案已上报省鉴定中心审核。"),
    ("filing_approve_plan", "评估方案已通过。下一步：抽取专家评议组。"),
    ("filing_return_plan", "评估方案已退回受理中心重新制定。"),
    ("filing_draw_group", "专家评议组已抽取，名单在评估开始前密封。"),
    ("filing_start_evaluation", "评估已开始：评议组名单和随机种子已公开，成员可以填写评估意见。"),
    ("filing_decide", "备案决定已作出，已记入办理记录。"),
    ("filing_suspend", "已暂停备案，该考核站已从公开的考核站名录中移除。"),
    ("filing_reinstate", "已恢复备案，该考核站重新列入公开的考核站名录。"),
    ("filing_revoke", "已撤销备案，该考核站已从公开的考核站名录中移除。"),
    ("uploaded", "附件已上传。"),
    ("attachment_removed", "附件已删除。"),
    ("findings_saved", "评估意见已签署提交。全部成员提交后形成评议组结论。"),
];

fn routes(r: Routes) -> Routes {
    let upload_limit = DefaultBodyLimit::max(UPLOAD_LIMIT);
    r.get("/stations", directory::stations)
        .limited(LimitClass::PublicPage)
        .cached()
        .get("/stations/{code}", directory::station)
        .limited(LimitClass::PublicPage)
        .cached()
        .get("/filings", list::list_filings)
        .get("/filings/export.xlsx", list::export_filings)
        .get("/filings/new", form::new_filing_form)
        .post("/filings", form::create_filing)
        .get("/filings/{id}", record::show_filing)
        .get("/filings/{id}/edit", form::edit_filing_form)
        .post("/filings/{id}/edit", form::update_filing)
        .post("/filings/{id}/actions", record::act_on_filing)
        .get("/filings/{id}/findings", findings::findings_form)
        .post("/filings/{id}/findings", findings::record_findings)
        .get("/filings/{id}/print", print::print_filing)
        .route(Method::POST, "/filings/{id}/attachments", post(materials::upload).layer(upload_limit))
        .get("/filings/{id}/attachments/{att}", materials::download)
        .post("/filings/{id}/attachments/{att}/delete", materials::remove)
        .api(routes!(api::list_filings, api::create_filing))
        .api(routes!(api::new_application))
        .api(routes!(api::get_filing, api::update_filing))
        .api(routes!(api::act_on_filing))
        .api(routes!(api::own_findings, api::record_findings))
        .api(routes!(api::station_directory))
        .cached()
        .api(routes!(directory::station_api))
        .limited(LimitClass::PublicPage)
        .cached()
        .api(routes!(api::upload).layer(upload_limit))
        .api(routes!(api::list))
        .api(routes!(api::download, api::remove))
}
