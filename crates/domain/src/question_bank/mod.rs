//! The confidential question bank (P2, P6, E2) as pure types and rules, one file per seam:
//!
//! - [`items`] — **P2, P6**: an item as typed and parsed ([`Item::parse`]: kind, work task, difficulty,
//!   points, stem, options A–H, answer or scoring points, all errors at once), its confidential content as
//!   one blob ([`ItemContent`]) and its review path with versions ([`ItemStatus`], [`transition`]).
//! - [`import`] — **P6**: a row of the .xlsx import template to an item ([`parse_row`]), errors naming
//!   the column.
//! - [`blueprint`] — **P2, E2**: the paper blueprint of a project ([`Blueprint::parse`]).
//! - [`assembly`] and [`record`] — **E2**: provable paper assembly from the approved items the blueprint
//!   allows ([`PaperRecord::commit`], [`PaperRecord::assemble`]), parallel papers A/B under the overlap
//!   cap (policy `qbank.parallel_overlap_max_percent`), and re-derivation from the record
//!   ([`verify_paper`]). Every byte is specified in `docs/PAPERS.md`; `crates/domain/tests/question_bank/`
//!   checks its worked example and runs its Python verifier.
//! - [`custody`] — **E2**: the custody ledger of a released paper, reconciled at every step.
//! - [`view`] — the layout of a printable paper ([`paper_view`]).
//!
//! Everything is re-exported here. The store keeps items (content encrypted), versions and records;
//! this module only answers what is valid and what follows.

pub mod assembly;
pub mod blueprint;
pub mod custody;
pub mod import;
pub mod items;
pub mod record;
pub mod view;

pub use assembly::*;
pub use blueprint::*;
pub use custody::*;
pub use import::*;
pub use items::*;
pub use record::*;
pub use view::*;

/// Prefix of the pool encoding ([`paper_pool_encoding`]).
pub const PAPER_POOL_MAGIC: &[u8; 19] = b"KAOHE-PAPER-POOL-V1";
/// Prefix of the blueprint encoding ([`blueprint_encoding`]).
pub const PAPER_BLUEPRINT_MAGIC: &[u8; 24] = b"KAOHE-PAPER-BLUEPRINT-V1";
/// Prefix of the seed commitment ([`paper_commitment`]).
pub const PAPER_COMMIT_MAGIC: &[u8; 21] = b"KAOHE-PAPER-COMMIT-V1";
/// Prefix of every selection round's hash input ([`select_items`]).
pub const PAPER_SELECT_MAGIC: &[u8; 21] = b"KAOHE-PAPER-SELECT-V1";
/// The `format` of a [`PaperRecord`] export.
pub const PAPER_FORMAT: &str = "kaohe-paper-v1";
