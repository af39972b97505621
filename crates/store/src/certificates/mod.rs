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
//! - **printing** (`print`): the province's overlay layouts ([`Store::save_layout`], one the default),
//!   a certificate or a session's valid certificates to print (revoked ones refused), and a candidate's
//!   own certificates ([`Store::my_certificates`]; downloads once reported).
//!
//! Each change is one `Step` with its audit record (`certificate_stock.batch_recorded`,
//! `certificate_stock.blank_voided`, `certificate.issued` — one per certificate).

mod issuing;
mod life;
mod print;
mod public;
mod stock;

pub use issuing::{
    CertificateQuery, CertificateView, IssueRow, IssueTarget, SessionCertificates, certificates_of_session,
};
/// A fresh token for a certificate's public verification page (`/verify/{token}`): 32 random bytes as
/// lower-case hex, unguessable, so the page cannot be found by walking numbers.
pub fn new_verify_token() -> String {
    let mut b = [0u8; 32];
    rand::fill(&mut b);
    hex::encode(b)
}

pub use life::{
    CertificateDetail, ExportRow, ReissueView, ReportDetail, ReportInput, ReportQuery, ReportView, Unreported,
};
pub use print::{LayoutSave, LayoutView, PrintCertificate};
pub use public::{CredentialCheck, KEYS_PATH, PROVINCE_URN, PublicCertificate, QueryDay};
pub use stock::{BatchView, BlankDetail, BlankQuery, BlankView, CityStock, StockView, VoidInput};
