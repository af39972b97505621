//! Assessment projects (专项职业能力考核项目, P1, P3, P4, P7, P8; the public catalog of F2 is the `public`
//! area's). Staff pages: the list in the caller's scope (`list`), the specification form of a
//! development application with its feasibility report (`form`), the record page with every step the
//! caller may take now and the training materials (`record`), a review group member's opinion
//! (`opinion`), the province's record of an adopted project (`adoption`); and all of it over the API
//! (`api`).

pub mod adoption;
pub mod api;
pub mod form;
pub mod list;
pub mod materials;
pub mod opinion;
pub mod record;
mod view;

use super::{Area, MenuEntry, Notice, SubjectLink};
use crate::routes::{Routes, UPLOAD_LIMIT};
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::post;
use domain::authz::Action;
use domain::workflow::SubjectKind;
use utoipa_axum::router::UtoipaMethodRouterExt;
use utoipa_axum::routes;

/// A project's page; a member's opinion page (subject `project_id:user_id`, P4).
const LINKS: &[SubjectLink] = &[
    (SubjectKind::Project, |id| format!("/projects/{id}")),
    (SubjectKind::ProjectReview, |id| format!("/projects/{}/opinion", id.split(':').next().unwrap_or(id))),
];

pub fn area() -> Area {
    Area { name: "projects", routes, menu: MENU, notices: NOTICES, links: LINKS }
}

const MENU: &[MenuEntry] =
    &[MenuEntry { order: 25, label: "考核项目", href: "/projects", action: Some(Action::ListProjects) }];

/// After a step the record page says what happened and what comes next (`project_<event>`).
const NOTICES: &[Notice] = &[
    ("project_saved", "开发申请已保存为草稿。请上传可行性报告，核对考核规范后点击“提交开发申请”。"),
    ("project_updated", "修改已保存。请核对考核规范，无误后点击“提交开发申请”。"),
    ("project_submit", "开发申请已提交。"),
    ("project_city_return", "已退回开发单位，退回理由已记入办理记录。"),
    ("project_forward", "初审通过，已报省鉴定中心论证评审。"),
    ("project_province_return", "已退回开发单位，退回理由已记入办理记录。"),
    ("project_draw_review", "论证评审专家组已抽取，名单在评审开始前密封。"),
    ("project_open_review", "论证评审已开始：专家组名单已公开，成员可以填写评审意见。"),
    ("project_establish", "考核项目已设立并赋予项目编码。下一步：发布并开展试点。"),
    ("project_reject", "已决定不予设立，理由已记入办理记录。"),
    ("project_publish", "考核项目已发布，列入公开的考核项目目录，试点开始。"),
    ("project_roll_out", "考核项目已在全省推行。"),
    ("project_stop", "考核项目已停止，停止理由已记入办理记录。"),
    ("project_approve_adoption", "已批准采用，考核项目列入公开的考核项目目录。"),
    ("project_reject_adoption", "已决定不予采用，理由已记入办理记录。"),
    ("project_adopted", "直接采用的考核项目已登记，等待批准采用。"),
    ("project_file_uploaded", "文件已上传。"),
    ("project_file_removed", "文件已删除。"),
    ("project_material_added", "培训教材（考试指南）已登记。"),
    ("project_material_removed", "培训教材（考试指南）已删除。"),
    ("project_material_file_uploaded", "培训教材（考试指南）文件已上传，公开目录页可下载。"),
    ("project_opinion_filed", "评审意见已提交。全部成员提交后形成专家组评审意见。"),
];

fn routes(r: Routes) -> Routes {
    let upload_limit = DefaultBodyLimit::max(UPLOAD_LIMIT);
    r.get("/projects", list::list_projects)
        .get("/projects/export.xlsx", list::export_projects)
        .get("/projects/new", form::new_project_form)
        .post("/projects", form::create_project)
        .get("/projects/adopt", adoption::adoption_form)
        .post("/projects/adopt", adoption::record_adoption)
        .get("/projects/{id}", record::show_project)
        .get("/projects/{id}/edit", form::edit_project_form)
        .post("/projects/{id}/edit", form::update_project)
        .post("/projects/{id}/actions", record::act_on_project)
        .get("/projects/{id}/opinion", opinion::opinion_form)
        .post("/projects/{id}/opinion", opinion::file_opinion)
        .route(Method::POST, "/projects/{id}/files", post(form::upload).layer(upload_limit))
        .get("/projects/{id}/files/{file}", record::download)
        .post("/projects/{id}/files/{file}/delete", record::remove_file)
        .post("/projects/{id}/materials", record::add_material)
        .post("/projects/{id}/materials/{material}/delete", record::remove_material)
        .route(
            Method::POST,
            "/projects/{id}/materials/{material}/file",
            post(materials::upload_material_file).layer(upload_limit),
        )
        .api(routes!(api::list_projects, api::create_project))
        .api(routes!(api::get_project, api::update_project))
        .api(routes!(api::submit_project))
        .api(routes!(api::act_on_project))
        .api(routes!(api::file_opinion))
        .api(routes!(api::record_adoption))
        .api(routes!(api::add_material))
        .api(routes!(api::remove_material))
        .api(routes!(api::upload_material_file).layer(upload_limit))
        .api(routes!(api::upload).layer(upload_limit))
        .api(routes!(api::download, api::remove_file))
}
