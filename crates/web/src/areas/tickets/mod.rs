//! Admission tickets (准考证, issue 12 part 2; E3's candidates, `store::tickets`): the candidate prints
//! their own ticket once the plan is approved and their application confirmed, the session's offices
//! print every ticket of the session in one A4 batch and the sign-in sheet (签到表) (`pages`), anyone
//! checks a ticket by the QR code's verification page `/tickets/{token}` (public, rate-limited), and
//! the same over the API (`api`); the photo (`photo`).

pub mod api;
pub mod pages;
pub mod photo;

use super::{Area, Notice};
use crate::limits::LimitClass;
use crate::routes::{Routes, UPLOAD_LIMIT};
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::post;
use utoipa_axum::router::UtoipaMethodRouterExt;
use utoipa_axum::routes;

const NOTICES: &[Notice] = &[("photo_uploaded", "照片已上传，将印在准考证上。")];

pub fn area() -> Area {
    Area { name: "tickets", routes, menu: &[], notices: NOTICES, links: &[] }
}

fn routes(r: Routes) -> Routes {
    let upload_limit = DefaultBodyLimit::max(UPLOAD_LIMIT);
    r.get("/my/tickets/{id}", pages::my_ticket)
        .route(Method::POST, "/my/tickets/{id}/photo", post(photo::upload_mine).layer(upload_limit))
        .get("/my/tickets/{id}/photo", photo::show_mine)
        .route(
            Method::POST,
            "/sessions/{id}/candidates/{cid}/photo",
            post(photo::upload_for_candidate).layer(upload_limit),
        )
        .get("/sessions/{id}/candidates/{cid}/photo", photo::show_for_candidate)
        .get("/sessions/{id}/tickets", pages::session_tickets)
        .get("/sessions/{id}/sign-in-sheet", pages::sign_in_sheet)
        .get("/tickets/{token}", pages::verify)
        .limited(LimitClass::PublicPage)
        .api(routes!(api::my_ticket))
        .api(routes!(photo::api_upload_mine).layer(upload_limit))
        .api(routes!(photo::api_upload_for_candidate).layer(upload_limit))
        .api(routes!(api::session_tickets))
        .api(routes!(api::verify_ticket))
        .limited(LimitClass::PublicPage)
}
