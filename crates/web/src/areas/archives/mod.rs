//! E7: the materials of an exam session in the archive (`store::archives`). The session's page shows
//! them (`templates/archives/session_section.html`); the station archives a material once the score
//! register is confirmed (`/sessions/{id}/archives/new`), the station or the organizer records a due
//! material's disposal behind a confirmation (`/archives/{id}/dispose`), and staff see what is due for
//! disposal in their scope (`/archives/due`, 待销毁材料). An electronic material carries its uploaded file
//! (the form is multipart, with the upload body limit), downloaded at `/archives/{id}/file` by whoever
//! reads the session. The same over the API (`api`).

pub mod api;
pub mod pages;

use super::{Area, MenuEntry, Notice};
use crate::routes::{Routes, UPLOAD_LIMIT};
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::post;
use domain::authz::Action;
use utoipa_axum::router::UtoipaMethodRouterExt;
use utoipa_axum::routes;

/// After 考核计划 (29), before 用户管理 (31).
const MENU: &[MenuEntry] =
    &[MenuEntry { order: 30, label: "待销毁材料", href: "/archives/due", action: Some(Action::ListSessions) }];

const NOTICES: &[Notice] = &[
    ("material_archived", "材料已归档，保存期限已按成绩登分册确认日期计算。"),
    ("material_disposed", "已登记销毁，记录保留备查。"),
];

pub fn area() -> Area {
    Area { name: "archives", routes, menu: MENU, notices: NOTICES, links: &[] }
}

fn routes(r: Routes) -> Routes {
    let upload_limit = DefaultBodyLimit::max(UPLOAD_LIMIT);
    r.get("/sessions/{id}/archives/new", pages::new_form)
        .route(Method::POST, "/sessions/{id}/archives", post(pages::create).layer(upload_limit))
        .get("/archives/due", pages::due)
        .get("/archives/{id}/file", pages::download)
        .get("/archives/{id}/dispose", pages::dispose_form)
        .post("/archives/{id}/dispose", pages::dispose)
        .api(routes!(api::session_archives, api::archive_material))
        .api(routes!(api::upload_material).layer(upload_limit))
        .api(routes!(api::download_file))
        .api(routes!(api::dispose_material))
        .api(routes!(api::archives_due))
}
