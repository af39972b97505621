//! Signing in and one's own account: the sign-in pages (password, then the second factor), sign-out,
//! the forced password change and second-factor enrolment, the workbench (工作台) with the to-do
//! list, and the same over the API (tokens, `me`, the to-do list).

pub mod api;
pub mod credentials;
pub mod home;
pub mod login;

use super::{Area, MenuEntry, Notice};
use crate::limits::LimitClass;
use crate::routes::Routes;
use axum::http::Method;
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "account", routes, menu: MENU, notices: NOTICES, links: &[] }
}

const MENU: &[MenuEntry] = &[
    MenuEntry { order: 10, label: "工作台", href: "/home", action: None },
    MenuEntry { order: 900, label: "修改密码", href: "/account/password", action: None },
    MenuEntry { order: 910, label: "双因素认证", href: "/account/totp", action: None },
];

const NOTICES: &[Notice] = &[("password", "密码已修改。"), ("totp", "双因素认证已启用。")];

fn routes(r: Routes) -> Routes {
    r.get("/login", login::login_form)
        .post("/login", login::login)
        .limited(LimitClass::SignIn)
        .get("/login/totp", login::totp_form)
        .post("/login/totp", login::totp_verify)
        .limited(LimitClass::SignIn)
        .post("/logout", login::logout)
        .get("/account/password", credentials::password_form)
        .post("/account/password", credentials::change_password)
        .get("/account/totp", credentials::totp_enroll_form)
        .post("/account/totp", credentials::totp_enroll)
        .get("/home", home::home)
        .api(routes!(api::create_token, api::revoke_token))
        .limited_only(Method::POST, LimitClass::Token)
        .api(routes!(api::change_password))
        .limited(LimitClass::Token)
        .api(routes!(api::me))
        .api(routes!(api::todo))
}
