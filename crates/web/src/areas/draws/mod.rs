//! Provable random draws (P4, S4; docs/DRAWS.md): province staff commit, draw, record declines and open
//! the seal; the public list (`/draws`), verification page and record re-run a draw; experts see the reviews they were
//! drawn into (我的评审) once the seal opens. The same steps over the API.

pub mod api;
pub mod pages;

use super::{Area, MenuEntry, Notice};
use crate::limits::LimitClass;
use crate::routes::Routes;
use domain::authz::Action;
use utoipa_axum::routes;

pub fn area() -> Area {
    Area { name: "draws", routes, menu: MENU, notices: NOTICES, links: &[] }
}

const MENU: &[MenuEntry] = &[
    MenuEntry { order: 80, label: "专家抽取", href: "/admin/draws", action: Some(Action::RunDraws) },
    MenuEntry { order: 90, label: "我的评审", href: "/my/reviews", action: Some(Action::ViewOwnReviews) },
];

const NOTICES: &[Notice] = &[
    ("committed", "专家池已固定，随机种子已承诺（密封）。下一步：执行抽取。"),
    ("drawn", "抽取完成。名单在评审开始前保持密封。"),
    ("declined", "已登记拒绝，并按同一随机序列递补。"),
    ("revealed", "评审已开始：名单和随机种子已公开，任何人可在公开页面验证。"),
];

fn routes(r: Routes) -> Routes {
    r.get("/admin/draws", pages::list_draws)
        .get("/admin/draws/new", pages::new_draw_form)
        .post("/admin/draws", pages::commit_draw)
        .get("/admin/draws/{id}", pages::show_draw)
        .post("/admin/draws/{id}/draw", pages::perform_draw)
        .post("/admin/draws/{id}/declines", pages::decline_draw)
        .post("/admin/draws/{id}/open", pages::open_seal)
        .get("/my/reviews", pages::my_reviews)
        .get("/draws", pages::public_list)
        .limited(LimitClass::PublicPage)
        .cached()
        .get("/draws/{id}", pages::verify_page)
        .limited(LimitClass::PublicPage)
        .cached()
        .get("/draws/{id}/record.json", pages::record_json)
        .limited(LimitClass::PublicPage)
        .cached()
        .api(routes!(api::list_draws, api::commit_draw))
        .api(routes!(api::get_draw))
        .api(routes!(api::perform_draw))
        .api(routes!(api::decline_draw))
        .api(routes!(api::open_seal))
        .api(routes!(api::my_reviews))
        .api(routes!(api::public_draws))
        .limited(LimitClass::PublicPage)
        .cached()
        .api(routes!(api::public_draw))
        .limited(LimitClass::PublicPage)
        .cached()
}
