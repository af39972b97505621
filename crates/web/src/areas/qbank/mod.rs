//! The confidential question bank and its papers (P2, P6, E2; docs/PAPERS.md). Staff pages: the items'
//! metadata list with filters and paging, an item (content for the question bank officer only, each
//! view audited; versions; the review steps with confirmation), the item form (a new item, a revision),
//! the .xlsx import and export (`transfer`), a project's blueprint, the papers, a paper's record with
//! its verification, and the A4 paper and answer key (`papers`); all of it over the API (`api`).
//! Only `qbank_officer` ever sees an item's content or a paper; the province's staff see metadata.

pub mod api;
pub mod items;
pub mod papers;
pub mod transfer;

use super::{Area, MenuEntry, Notice, SubjectLink};
use crate::routes::{Routes, UPLOAD_LIMIT};
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::post;
use domain::authz::Action;
use utoipa_axum::routes;

const LINKS: &[SubjectLink] = &[];

pub fn area() -> Area {
    Area { name: "qbank", routes, menu: MENU, notices: NOTICES, links: LINKS }
}

const MENU: &[MenuEntry] =
    &[MenuEntry { order: 27, label: "题库", href: "/qbank/items", action: Some(Action::ListQuestionItems) }];

const NOTICES: &[Notice] = &[
    ("qbank_item_created", "试题已保存为草稿（第 1 版）。核对无误后点击“提交省中心审核”。"),
    ("qbank_item_revised", "修改已保存为新版本（草稿）。原版本保持不变，已入库的版本在新版本审核通过前继续使用。"),
    ("qbank_item_submit", "试题已提交省鉴定中心审核。"),
    ("qbank_item_approve", "试题已审核通过，进入省级题库。"),
    ("qbank_item_return", "试题已退回，退回理由已记入版本记录。"),
    ("qbank_item_retire", "试题已停用，历史版本保留备查。"),
    ("qbank_imported", "导入成功，全部试题已保存为草稿。"),
    ("qbank_blueprint_saved", "组卷蓝图已保存。"),
    ("qbank_paper_assembled", "组卷完成。随机种子已密封保存，考试结束后可公开以供核验。"),
    ("qbank_paper_revealed", "随机种子已公开，任何人可以用组卷记录重新核验本套试卷。"),
];

fn routes(r: Routes) -> Routes {
    let upload_limit = DefaultBodyLimit::max(UPLOAD_LIMIT);
    r.get("/qbank/items", items::list_items)
        .get("/qbank/items/export.xlsx", transfer::export_items)
        .get("/qbank/items/new", items::new_item_form)
        .post("/qbank/items", items::create_item)
        .get("/qbank/items/{id}", items::show_item)
        .get("/qbank/items/{id}/edit", items::edit_item_form)
        .post("/qbank/items/{id}/edit", items::revise_item)
        .post("/qbank/items/{id}/actions", items::act_on_item)
        .get("/qbank/import", transfer::import_form)
        .get("/qbank/import/template.xlsx", transfer::template)
        .route(Method::POST, "/qbank/import", post(transfer::import_items).layer(upload_limit))
        .get("/qbank/blueprints/{project_id}", papers::blueprint_form)
        .post("/qbank/blueprints/{project_id}", papers::save_blueprint)
        .get("/qbank/papers", papers::list_papers)
        .get("/qbank/papers/new", papers::new_paper_form)
        .post("/qbank/papers", papers::assemble_paper)
        .get("/qbank/papers/{id}", papers::show_paper)
        .get("/qbank/papers/{id}/record.json", papers::paper_record)
        .post("/qbank/papers/{id}/reveal", papers::reveal_paper)
        .get("/qbank/papers/{id}/print", papers::print_paper)
        .get("/qbank/papers/{id}/key", papers::print_key)
        .api(routes!(api::list_items, api::create_item))
        .api(routes!(api::get_item, api::revise_item))
        .api(routes!(api::item_content))
        .api(routes!(api::act_on_item))
        .api(routes!(api::import_items))
        .api(routes!(api::export_items))
        .api(routes!(api::get_blueprint, api::save_blueprint))
        .api(routes!(api::list_papers, api::assemble_paper))
        .api(routes!(api::get_paper))
        .api(routes!(api::reveal_paper))
        .api(routes!(api::paper_content))
}
