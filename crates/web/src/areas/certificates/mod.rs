//! Certificates (C1; issue 13, part 1): a city center's blank certificate stock and the certificates
//! issued to passed candidates (`store::certificates`).
//!
//! - `stock`: `/certificate-stock` (空白证书: a city's counts, whether they reconcile, its batches and its
//!   blanks searched by serial and status, paged, .xlsx; the province first sees every city's counts and
//!   picks one), `/certificate-stock/batches/new` (record a print batch), `/certificate-blanks/{id}/void`
//!   (void an unused blank with a reason, behind a confirmation).
//! - `issued`: `/issued-certificates` (证书管理: search by number, name or session, paged, .xlsx), and the
//!   session page's section 证书核发 (`templates/certificates/session_section.html`) whose buttons post to
//!   `/sessions/{id}/certificates` (one candidate) and `/sessions/{id}/certificates/all` (every passed
//!   candidate, all or nothing).
//! - `api`: the same under `/api/v1`.

pub mod api;
pub mod issued;
pub mod stock;

use super::{Area, MenuEntry, Notice};
use crate::routes::Routes;
use domain::authz::Action;
use utoipa_axum::routes;

/// After 考评人员培训 (74), before 专家抽取 (80).
const MENU: &[MenuEntry] = &[
    MenuEntry {
        order: 76, label: "证书管理", href: "/issued-certificates", action: Some(Action::ListCertificates)
    },
    MenuEntry { order: 77, label: "空白证书", href: "/certificate-stock", action: Some(Action::ListCertificates) },
];

const NOTICES: &[Notice] = &[
    ("blank_batch_recorded", "空白证书入库批次已登记。"),
    ("blank_voided", "空白证书已作废，记录保留备查。"),
    ("certificate_issued", "证书已核发。"),
    ("certificates_issued", "本场考核合格考生的证书已全部核发。"),
];

pub fn area() -> Area {
    Area { name: "certificates", routes, menu: MENU, notices: NOTICES, links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/certificate-stock", stock::stock)
        .get("/certificate-stock/export.xlsx", stock::export)
        .get("/certificate-stock/batches/new", stock::new_batch_form)
        .post("/certificate-stock/batches", stock::create_batch)
        .get("/certificate-blanks/{id}/void", stock::void_form)
        .post("/certificate-blanks/{id}/void", stock::void)
        .get("/issued-certificates", issued::list)
        .get("/issued-certificates/export.xlsx", issued::export)
        .post("/sessions/{id}/certificates", issued::issue_one)
        .post("/sessions/{id}/certificates/all", issued::issue_all)
        .api(routes!(api::certificate_stock))
        .api(routes!(api::list_blanks))
        .api(routes!(api::record_batch))
        .api(routes!(api::void_blank))
        .api(routes!(api::session_certificates, api::issue_one))
        .api(routes!(api::issue_all))
        .api(routes!(api::list_certificates))
}
