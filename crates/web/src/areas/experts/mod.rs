//! The expert committee (P5): the registry's pages — list, create, edit, declared conflicts and former
//! employers (recusal facts for the draws), the .xlsx template, import and export — and the same over
//! the API. Province staff only; the committee has no regional scope.

pub mod api;
pub mod pages;

use super::{Area, MenuEntry, Notice};
use crate::routes::Routes;
use domain::authz::Action;
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "experts", routes, menu: MENU, notices: NOTICES, links: &[] }
}

const MENU: &[MenuEntry] =
    &[MenuEntry { order: 70, label: "专家库", href: "/admin/experts", action: Some(Action::ListExperts) }];

const NOTICES: &[Notice] = &[("imported", "导入成功，全部数据行已写入专家库。")];

fn routes(r: Routes) -> Routes {
    r.get("/admin/experts", pages::list_experts)
        .get("/admin/experts/export.xlsx", pages::export_experts)
        .get("/admin/experts/template.xlsx", pages::expert_template)
        .get("/admin/experts/new", pages::new_expert_form)
        .post("/admin/experts", pages::create_expert)
        .get("/admin/experts/import", pages::import_form)
        .post("/admin/experts/import", pages::import_experts)
        .get("/admin/experts/{id}", pages::show_expert)
        .post("/admin/experts/{id}", pages::update_expert)
        .post("/admin/experts/{id}/conflicts", pages::declare_conflict)
        .post("/admin/experts/{id}/past-employers", pages::add_past_employment)
        .api(routes!(api::list_experts, api::create_expert))
        .api(routes!(api::import_experts))
        .api(routes!(api::get_expert, api::update_expert))
        .api(routes!(api::declare_conflict))
        .api(routes!(api::add_past_employment))
}
