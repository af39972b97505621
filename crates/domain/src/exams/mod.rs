//! Exam sessions (考核实施, issue 12: E1, E3–E7) as pure rules, one file per seam. The store and the
//! pages of the exam procedure call these; nothing here reads a database or the clock.
//!
//! - [`organizer`] — **E1**: who organizes a session (the province for pilot-period and computer-based
//!   projects, otherwise the station's city center).
//! - [`panel_draw`] — **E4**: the panel's assessors by provable draw over the legal pool, rotation
//!   enforced by declines from the same committed sequence.
//! - [`plan`] — **E3**: the exam plan's fields and its lead time (submitted at least the policy's working
//!   days, 10 by default, before the exam).
//! - [`panel`] — **E4**: who may sit on a session's panel (recusal, rotation, region, qualification) and
//!   whether a panel as a whole is legal (size, head, supervisor, the share replaced since the station's
//!   previous panel), every refusal explained; and a proposal from a drawn order that never breaks a rule.
//! - [`portal`] — candidate self-service: a sign-up with one's own ID number (one account per number),
//!   applying to an open session, the station's confirmation, and when an admission ticket may be printed.
//! - [`roster`] — the candidates of a session, one by one or from an .xlsx roster (all-or-nothing,
//!   `第 N 行「列」` errors, an ID number once per roster and per session).
//! - [`scores`] — **E5, E6**: a candidate's scores and whether they pass under the specification's rule.
//! - [`register`] — **E5, E6**: the score register's path (submitted once every gate of E5 holds,
//!   confirmed and locked, or returned; a correction a new version with its reason).
//! - [`reports`] — **E5**: the head's assessor report signed by every assessor, the supervisor's report
//!   with its incidents; both from the exam's first day until the register is submitted.
//! - [`session`] — **E1, E3**: a session's plan from the station's draft to the organizer's approval
//!   (or return with reasons), or its cancellation, as a table-tested state machine.
//! - [`archives`] — **E7**: how long a session's materials are kept.

pub mod archives;
pub mod organizer;
pub mod panel;
pub mod panel_draw;
pub mod plan;
pub mod portal;
pub mod register;
pub mod reports;
pub mod roster;
pub mod scores;
pub mod session;
pub mod ticket;

pub use archives::*;
pub use organizer::*;
pub use panel::*;
pub use panel_draw::*;
pub use plan::*;
pub use portal::*;
pub use register::*;
pub use reports::*;
pub use roster::*;
pub use scores::*;
pub use session::*;
pub use ticket::*;
