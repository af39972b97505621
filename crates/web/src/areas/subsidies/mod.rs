//! F3: the certificate subsidy (取证补贴, `store::subsidies`). The batches (`/subsidies`, menu 取证补贴:
//! searched by period or voucher number, filtered by status and — for the province — city, paged);
//! building a batch (`/subsidies/new`: the period, the preview of the eligible certificates and of the
//! others with their reasons, the build behind a confirmation); one batch (`/subsidies/{id}`: its claims,
//! approve or reject each, approve the batch, record its payment — each behind a confirmation) and its
//! .xlsx for the finance office (`/subsidies/{id}/export.xlsx`). The same over the API (`api`).

pub mod api;
pub mod pages;

use super::{Area, MenuEntry, Notice};
use crate::routes::Routes;
use domain::authz::Action;
use utoipa_axum::routes;

/// After 证书上报 (78), before 专家抽取 (80).
const MENU: &[MenuEntry] =
    &[MenuEntry { order: 79, label: "取证补贴", href: "/subsidies", action: Some(Action::ViewSubsidies) }];

const NOTICES: &[Notice] = &[
    ("subsidy_batch_built", "补贴申领批次已生成，请逐条审核。"),
    ("subsidy_claim_approved", "该申领已审核通过。"),
    ("subsidy_claim_rejected", "该申领已不予补贴，理由已记录。"),
    ("subsidy_batch_approved", "批次已审核通过，可登记发放。"),
    ("subsidy_batch_paid", "已登记发放。"),
];

pub fn area() -> Area {
    Area { name: "subsidies", routes, menu: MENU, notices: NOTICES, links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/subsidies", pages::list)
        .get("/subsidies/new", pages::new)
        .post("/subsidies", pages::build)
        .get("/subsidies/{id}", pages::batch)
        .get("/subsidies/{id}/export.xlsx", pages::export)
        .post("/subsidies/{id}/approve", pages::approve_batch)
        .post("/subsidies/{id}/pay", pages::pay)
        .post("/subsidies/{id}/claims/{cid}/approve", pages::approve_claim)
        .post("/subsidies/{id}/claims/{cid}/reject", pages::reject_claim)
        .api(routes!(api::batches, api::build_batch))
        .api(routes!(api::preview))
        .api(routes!(api::batch))
        .api(routes!(api::approve_batch))
        .api(routes!(api::pay_batch))
        .api(routes!(api::approve_claim))
        .api(routes!(api::reject_claim))
}
