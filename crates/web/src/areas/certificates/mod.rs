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
//! - `print` (with `pdf`, the drawing): C1 printing — `/issued-certificates/{id}/certificate.pdf` (the
//!   A4 electronic certificate) and `…/overlay.pdf` (套打 on the default layout),
//!   `/sessions/{id}/certificates.pdf?kind=a4|overlay` (batch print of a session's valid certificates),
//!   `/certificate-layouts` (证书套打模板: the province's layouts, a form with one row per field, the test
//!   print `/certificate-layouts/{id}/test.pdf`), and the candidate's `/my/certificates` (我的证书:
//!   their certificates; the PDF `/my/certificates/{id}/certificate.pdf` once reported).
//! - `api`, `print_api`: the same under `/api/v1`.

pub mod api;
pub mod issued;
pub mod life;
pub mod life_api;
pub mod pdf;
pub mod print;
pub mod print_api;
pub mod reports;
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
    MenuEntry {
        order: 78, label: "证书上报", href: "/certificate-reports", action: Some(Action::ListCertificates)
    },
    MenuEntry {
        order: 75,
        label: "证书套打模板",
        href: "/certificate-layouts",
        action: Some(Action::ManageCertificateLayouts),
    },
    // Beside 我的考试 (12) for the candidate.
    MenuEntry { order: 13, label: "我的证书", href: "/my/certificates", action: Some(Action::ViewOwnCertificates) },
];

const NOTICES: &[Notice] = &[
    ("blank_batch_recorded", "空白证书入库批次已登记。"),
    ("blank_voided", "空白证书已作废，记录保留备查。"),
    ("certificate_issued", "证书已核发。"),
    ("certificates_issued", "本场考核合格考生的证书已全部核发。"),
    ("certificate_revoked", "证书已注销，公开查询将显示其已注销。"),
    ("certificate_reissued", "证书已补发，原空白证书已作废。"),
    ("certificates_reported", "证书数据已上报省鉴定中心，上报的证书可公开查询。"),
    ("layout_saved", "套打模板已保存。请先试打印，核对位置后再正式套打。"),
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
        .get("/issued-certificates/{id}", life::detail)
        .post("/issued-certificates/{id}/revoke", life::revoke)
        .post("/issued-certificates/{id}/reissue", life::reissue)
        .get("/certificate-reports", reports::list)
        .get("/certificate-reports/export.xlsx", reports::export_list)
        .get("/certificate-reports/new", reports::new_form)
        .post("/certificate-reports", reports::create)
        .get("/certificate-reports/{id}", reports::detail)
        .get("/certificate-reports/{id}/export", reports::export)
        .api(routes!(api::certificate_stock))
        .api(routes!(api::list_blanks))
        .api(routes!(api::record_batch))
        .api(routes!(api::void_blank))
        .api(routes!(api::session_certificates, api::issue_one))
        .api(routes!(api::issue_all))
        .api(routes!(api::list_certificates))
        .api(routes!(life_api::get_certificate))
        .api(routes!(life_api::revoke))
        .api(routes!(life_api::reissue))
        .api(routes!(life_api::list_reports, life_api::report))
        .api(routes!(life_api::unreported))
        .api(routes!(life_api::get_report))
        .api(routes!(life_api::export_report))
        .get("/issued-certificates/{id}/certificate.pdf", print::certificate_pdf)
        .get("/issued-certificates/{id}/overlay.pdf", print::overlay_pdf)
        .get("/sessions/{id}/certificates.pdf", print::session_pdf)
        .get("/certificate-layouts", print::layouts)
        .get("/certificate-layouts/new", print::new_layout)
        .post("/certificate-layouts", print::create_layout)
        .get("/certificate-layouts/{id}", print::edit_layout)
        .post("/certificate-layouts/{id}", print::update_layout)
        .get("/certificate-layouts/{id}/test.pdf", print::test_pdf)
        .get("/my/certificates", print::mine)
        .get("/my/certificates/{id}/certificate.pdf", print::my_pdf)
        .api(routes!(print_api::certificate_pdf))
        .api(routes!(print_api::overlay_pdf))
        .api(routes!(print_api::session_pdf))
        .api(routes!(print_api::list_layouts, print_api::create_layout))
        .api(routes!(print_api::layout_choices))
        .api(routes!(print_api::get_layout, print_api::update_layout))
        .api(routes!(print_api::test_pdf))
        .api(routes!(print_api::my_certificates))
        .api(routes!(print_api::my_pdf))
}
