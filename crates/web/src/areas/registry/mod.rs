//! E8–E10: the registries of assessors, supervisors and trainers (考评人员库) — list with search,
//! filters and paging, export, create, edit, .xlsx template and import (all-or-nothing), status changes
//! with a reason and a confirmation, declared relatives, former employers, the link to the person's
//! own account; the province's training courses (enrolment, attendance, results — a pass issues the
//! card and enters the registry); and the own-record page (本人登记信息) of a linked assessor or supervisor. The same over
//! `/api/v1/registry`.

pub mod actions;
pub mod api;
pub mod card;
pub mod pages;
pub mod training;

use super::{Area, MenuEntry, Notice};
use crate::routes::Routes;
use domain::authz::Action;
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "registry", routes, menu: MENU, notices: NOTICES, links: &[] }
}

const MENU: &[MenuEntry] = &[
    MenuEntry { order: 72, label: "考评人员库", href: "/registry", action: Some(Action::ListRegistry) },
    MenuEntry { order: 74, label: "考评人员培训", href: "/registry/courses", action: Some(Action::ListRegistry) },
    MenuEntry { order: 92, label: "本人登记信息", href: "/registry/me", action: Some(Action::ViewOwnRegistry) },
];

const NOTICES: &[Notice] = &[
    ("registry_imported", "导入成功，全部数据行已写入考评人员库。"),
    ("registry_status", "状态已变更。"),
    ("registry_relative", "亲属已登记，考核选派考评人员时将据此回避。"),
    ("registry_account", "本人账号已关联。"),
    ("training_enrolled", "已报名。"),
    ("training_result", "培训结果已登记；合格学员已发放证卡并登记入考评人员库。"),
];

fn routes(r: Routes) -> Routes {
    r.get("/registry", pages::list_registry)
        .get("/registry/export.xlsx", pages::export_registry)
        .get("/registry/template.xlsx", pages::registry_template)
        .get("/registry/new", pages::new_person_form)
        .post("/registry", pages::create_person)
        .get("/registry/import", pages::import_form)
        .post("/registry/import", pages::import_registry)
        .get("/registry/courses", training::list_courses)
        .post("/registry/courses", training::create_course)
        .get("/registry/courses/{id}", training::show_course)
        .post("/registry/courses/{id}/enrolments", training::enrol)
        .post("/registry/courses/{id}/results", training::record_result)
        .get("/registry/me", actions::own_record)
        .post("/registry/me/relatives", actions::declare_own_relative)
        .get("/registry/{id}", pages::show_person)
        .post("/registry/{id}", pages::update_person)
        .post("/registry/{id}/status", actions::change_status)
        .post("/registry/{id}/relatives", actions::declare_relative)
        .post("/registry/{id}/past-employers", actions::add_past_employment)
        .post("/registry/{id}/account", actions::link_account)
        .get("/registry/{id}/card", card::print_card)
        .api(routes!(api::list_registry, api::create_person))
        .api(routes!(api::import_registry))
        .api(routes!(api::own_record))
        .api(routes!(api::declare_own_relative))
        .api(routes!(api::get_person, api::update_person))
        .api(routes!(api::change_status))
        .api(routes!(api::declare_relative))
        .api(routes!(api::add_past_employment))
        .api(routes!(api::link_account))
        .api(routes!(api::list_courses, api::create_course))
        .api(routes!(api::get_course))
        .api(routes!(api::enrol))
        .api(routes!(api::record_training_result))
}
