//! F1: fees (考核收费, `store::fees`). Each exam candidate's fee on the page of its session
//! (`/sessions/{id}/fees`, linked from the session's page by `templates/fees/session_section.html`):
//! the candidates with their fee's state and the totals; one candidate's fee with the forms its state
//! allows (`/sessions/{id}/fees/{cid}`: record the payment; waive or refund behind a confirmation).
//! The city center's ledger (`/fees`, menu 考核收费): collected, refunded, remitted and outstanding over
//! a month, quarter or year, the reconciliation, the remittance to the treasury; the fee records and
//! the remittances searched, paged and exported as .xlsx. The same over the API (`api`).

pub mod api;
pub mod ledger;
pub mod session;

use super::{Area, MenuEntry, Notice};
use crate::routes::Routes;
use domain::authz::Action;
use utoipa_axum::routes;

/// After 用户管理 (31), before 机构管理 (40).
const MENU: &[MenuEntry] =
    &[MenuEntry { order: 37, label: "考核收费", href: "/fees", action: Some(Action::ViewFees) }];

const NOTICES: &[Notice] = &[
    ("fee_paid", "已登记缴费。"),
    ("fee_waived", "已登记减免，理由已记录。"),
    ("fee_refunded", "已登记退费，理由已记录。"),
    ("remittance_recorded", "已登记上缴财政，台账已更新。"),
];

pub fn area() -> Area {
    Area { name: "fees", routes, menu: MENU, notices: NOTICES, links: &[] }
}

fn routes(r: Routes) -> Routes {
    r.get("/sessions/{id}/fees", session::fees)
        .get("/sessions/{id}/fees/{cid}", session::candidate)
        .post("/sessions/{id}/fees/{cid}/pay", session::pay)
        .post("/sessions/{id}/fees/{cid}/waive", session::waive)
        .post("/sessions/{id}/fees/{cid}/refund", session::refund)
        .get("/fees", ledger::ledger)
        .post("/fees/remittances", ledger::remit)
        .get("/fees/records", ledger::records)
        .get("/fees/records.xlsx", ledger::records_export)
        .get("/fees/remittances", ledger::remittances)
        .get("/fees/remittances.xlsx", ledger::remittances_export)
        .api(routes!(api::session_fees))
        .api(routes!(api::pay_fee))
        .api(routes!(api::waive_fee))
        .api(routes!(api::refund_fee))
        .api(routes!(api::fee_ledger))
        .api(routes!(api::fee_records))
        .api(routes!(api::remittances, api::record_remittance))
}
