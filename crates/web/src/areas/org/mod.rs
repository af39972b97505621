//! Organisations and users (R1, R2; S1 legal-person facts): the administrators' pages — lists with
//! search, paging and CSV export, create and edit, passwords, lockouts and second factors — and the
//! same records over the API. The data scope applies throughout.

pub mod api;
pub mod orgs;
pub mod users;

use super::{Area, MenuEntry, Notice, SubjectLink};
use crate::routes::Routes;
use domain::authz::Action;
use domain::workflow::SubjectKind;
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "org", routes, menu: MENU, notices: NOTICES, links: LINKS }
}

/// The security administrator's alert about an account's failed sign-ins leads to the user list,
/// searched for the name (where the lockout is lifted).
const LINKS: &[SubjectLink] = &[(SubjectKind::Account, |name| {
    format!("/admin/users?q={}", form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>())
})];

const MENU: &[MenuEntry] = &[
    MenuEntry { order: 31, label: "用户管理", href: "/admin/users", action: Some(Action::ListUsers) },
    MenuEntry { order: 40, label: "机构管理", href: "/admin/orgs", action: Some(Action::ListOrgs) },
];

const NOTICES: &[Notice] = &[
    ("reset", "已重置密码，用户下次登录时须修改密码。"),
    ("unlocked", "账号已解锁。"),
    ("totp_reset", "已重置双因素认证，用户下次登录时须重新绑定（管理员必须绑定）。"),
];

fn routes(r: Routes) -> Routes {
    r.get("/admin/users", users::list_users)
        .get("/admin/users/export.csv", users::export_users)
        .get("/admin/users/new", users::new_user_form)
        .post("/admin/users", users::create_user)
        .get("/admin/users/{id}", users::show_user)
        .post("/admin/users/{id}", users::update_user)
        .post("/admin/users/{id}/reset-password", users::reset_password)
        .post("/admin/users/{id}/unlock", users::unlock_user)
        .post("/admin/users/{id}/reset-totp", users::reset_totp)
        .get("/admin/orgs", orgs::list_orgs)
        .get("/admin/orgs/export.csv", orgs::export_orgs)
        .get("/admin/orgs/new", orgs::new_org_form)
        .post("/admin/orgs", orgs::create_org)
        .get("/admin/orgs/{id}", orgs::show_org)
        .post("/admin/orgs/{id}", orgs::update_org)
        .api(routes!(api::list_orgs, api::create_org))
        .api(routes!(api::get_org, api::update_org))
        .api(routes!(api::list_users, api::create_user))
        .api(routes!(api::get_user, api::update_user))
}
