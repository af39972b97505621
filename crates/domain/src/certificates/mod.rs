//! Certificates and the money around them (issue 13: C1, C2, F1, F3) as pure rules, one file per seam.
//! The store and the pages of the certificate procedure call these; nothing here reads a database or
//! the clock.
//!
//! - [`stock`] — **C1**: blank certificate stock (print batches by print-serial range; each blank
//!   unused, used or voided with a reason; counts that reconcile).
//! - [`issuing`] — **C1**: the gates a certificate is issued through (a pass in a confirmed register and
//!   every gate of the session held; one certificate per candidate per project), its number through the
//!   policy's template, and its life (issued, reported to the province, revoked; reissued on a new blank).
//! - [`layout`] — **C1**: where each field is overlay-printed (套打) on the blank, in millimetres, checked
//!   whole (every required field placed, nothing off the blank).
//! - [`print`] — **C1**: what the A4 electronic certificate, the overlay page and the test print show,
//!   as marks in millimetres (one drawing model for every output).
//! - [`query`] — **C2**: the public query (number and name, both required; one answer for "no such
//!   number" and "wrong name").
//! - [`credential`] — **C1, C2**: the signed credential (a W3C Verifiable Credential shaped JSON
//!   document, canonicalized per RFC 8785 and signed with the province's key) and its offline check.
//! - [`fees`] — **F1**: a candidate's fee (paid, waived with a reason, refunded) and a city center's
//!   ledger: collected = remitted + outstanding (收支两条线).
//! - [`subsidy`] — **F3**: who may claim the certificate subsidy, once per person and project, and a
//!   claim's path (batched, approved, paid).

pub mod credential;
pub mod fees;
pub mod issuing;
pub mod layout;
pub mod print;
pub mod query;
pub mod stock;
pub mod subsidy;

pub use credential::*;
pub use fees::*;
pub use issuing::*;
pub use layout::*;
pub use print::*;
pub use query::*;
pub use stock::*;
pub use subsidy::*;

/// A reason given for an irreversible act (void, revoke, waive, refund, reject): required, one line of
/// at most [`REASON_MAX_CHARS`] characters.
pub fn parse_reason(event: &str, raw: &str) -> Result<String, crate::FieldError> {
    crate::text::single_line("reason", "理由", raw)?;
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(crate::FieldError::new("reason", "REASON_REQUIRED", format!("{event}须填写理由")));
    }
    if n > REASON_MAX_CHARS {
        return Err(crate::FieldError::new(
            "reason",
            "TOO_LONG",
            format!("理由不得超过 {REASON_MAX_CHARS} 个字（现有 {n} 个字）"),
        ));
    }
    Ok(t.to_owned())
}

/// The longest reason.
pub const REASON_MAX_CHARS: usize = 200;
