//! Certificates (C1; issue 13, part 1). `domain::certificates` holds the rules (`stock`: print batches,
//! a blank's states, the counts that reconcile; `issuing`: the gates, one certificate per person and
//! project, the number); this module keeps the records:
//!
//! - **blank stock** (`stock`): a city center's staff record print batches of blanks by print-serial
//!   range ([`Store::record_blank_batch`]: every field checked, a range overlapping a batch of the same
//!   city refused naming `first_serial`, one row per blank), and void an unused blank with a reason
//!   ([`Store::void_blank`]). Reads ([`Store::stock_overview`], [`Store::certificate_stock`],
//!   [`Store::list_blanks`]): a city center its own city, the province every city; the counts reconcile
//!   (printed = unused + used + voided) or the page says by how much.
//! - **issuing** (`issuing`): for a session whose register the organizer confirmed, the organizer's staff
//!   (E1: the province for a province-organized session, the city center otherwise) issue certificates to
//!   the passed candidates, one or all at once in one transaction, only when every gate held
//!   (`missing_issue_gates` names each that does not); one certificate per person (ID-number blind index)
//!   per project (a unique index; the refusal names the existing number). The number comes from
//!   `number.certificate_number_template` with the gap-free serial of the station's city and the year of
//!   issue (`serial_key`, taken by `serials::next_serial` inside the issuing transaction), and each
//!   certificate takes the lowest unused blank of that city's stock (none left: `CERTIFICATE_NO_BLANK`,
//!   nothing saved). Reads: [`Store::session_certificates`] (the session page's section),
//!   [`Store::list_certificates`] (search by number, name or session; a city center its city's).
//!
//! Each change is one `Step` with its audit record (`certificate_stock.batch_recorded`,
//! `certificate_stock.blank_voided`, `certificate.issued` — one per certificate).

mod issuing;
mod stock;

pub use issuing::{
    CertificateQuery, CertificateView, IssueRow, IssueTarget, SessionCertificates, certificates_of_session,
};
pub use stock::{BatchView, BlankDetail, BlankQuery, BlankView, CityStock, StockView, VoidInput};

use crate::StoreError;
use domain::FieldError;
use domain::ids::RegionCode;
use domain::org::{DataScope, Principal};

/// The city a stock read is about: a city center's own (whatever was asked: another city is not
/// found), or for the province the city asked for (a Hunan city code).
pub(crate) fn stock_city(p: &Principal, asked: Option<&str>) -> Result<Option<String>, StoreError> {
    let asked = asked.map(str::trim).filter(|s| !s.is_empty());
    match &p.scope {
        DataScope::City(c) => match asked {
            Some(a) if a != c => Err(StoreError::NotFound),
            _ => Ok(Some(c.clone())),
        },
        DataScope::Province => match asked {
            None => Ok(None),
            Some(a) => RegionCode::parse_hunan_city(a).map(|_| Some(a.to_owned())).map_err(|_| {
                StoreError::Invalid(
                    FieldError::new("city", "FILTER_INVALID", "「市州」应为湖南省的市州行政区划代码").into(),
                )
            }),
        },
        _ => Err(StoreError::NotFound),
    }
}

/// Whether the caller's scope covers a city's stock or certificates.
pub(crate) fn covers_city(p: &Principal, city: &str) -> bool {
    match &p.scope {
        DataScope::Province => true,
        DataScope::City(c) => c == city,
        _ => false,
    }
}

/// A city's name as pages show it (`长沙市`), or its code.
pub fn city_name(code: &str) -> String {
    domain::ids::region_name(code)
}
