//! Provable random draws of experts (P4 project review, S4 station filing evaluation group, E4 assessors
//! and supervisors appointed by rotation and recusal; the expert committee of P5 is the candidate list).
//!
//! A draw goes in four steps, all pure functions here (the store keeps the state, the seed encrypted):
//!
//! 1. **Eligibility** ([`eligible`]): every candidate ends either in the pool, with the facts the filters
//!    used, or in the excluded list with the first rule it fails (fixed order, [`ExclusionReason`]).
//!    A pool smaller than the number needed is refused ([`Eligibility::require`], [`DrawError::NotEnough`]).
//! 2. **Commitment** ([`DrawRecord::commit`]): the pool is encoded canonically and hashed ([`pool_hash`]),
//!    and a commitment to a secret 32-byte seed ([`commitment`], seed from [`generate_seed`]) is recorded.
//! 3. **Draw** ([`DrawRecord::draw`], [`DrawRecord::decline`]): the picks are a deterministic sequence
//!    ([`draw_sequence`]) of (seed, pool hash, purpose): the first `count` are the group, a decline is
//!    replaced by the next element of the same sequence.
//! 4. **Reveal and verify** ([`DrawRecord::reveal`], [`verify`]): once the seed is revealed anyone can
//!    re-run the draw from the JSON export ([`DrawRecord`]).
//!
//! Every byte of every hash input, the order of the rules and the export format are specified in
//! `docs/DRAWS.md`; `crates/domain/tests/draws/` checks the document's worked example and runs its
//! Python verifier, so the document cannot drift from this code.
//!
//! One file per step: [`eligibility`], [`selection`] (commitment and the sequence), [`record`] (the
//! stored record and its statuses), [`verification`]; everything is re-exported here.

pub mod eligibility;
pub mod record;
pub mod selection;
pub mod verification;

pub use eligibility::*;
pub use record::*;
pub use selection::*;
pub use verification::*;

/// Prefix of the pool encoding ([`pool_encoding`]).
pub const POOL_MAGIC: &[u8; 18] = b"KAOHE-DRAW-POOL-V1";
/// Prefix of the seed commitment ([`commitment`]).
pub const COMMIT_MAGIC: &[u8; 20] = b"KAOHE-DRAW-COMMIT-V1";
/// Prefix of every selection round's hash input ([`draw_sequence`]).
pub const SELECT_MAGIC: &[u8; 20] = b"KAOHE-DRAW-SELECT-V1";
/// The `format` of a [`DrawRecord`] export.
pub const RECORD_FORMAT: &str = "kaohe-draw-v1";

/// The recorded `purpose` of a station filing's evaluation group (S4): `station_filing:{filing id}`.
pub const STATION_FILING_PURPOSE: &str = "station_filing";

/// The recorded `purpose` of a project's expert review group (P4): `project_review:{project id}`.
pub const PROJECT_REVIEW_PURPOSE: &str = "project_review";

/// What a draw serves, in words, from its recorded `purpose` (docs/DRAWS.md): the step, and the id of
/// the record it serves when there is one (`station_filing:12` → 考核站备案评估专家评议组抽取, `12`).
/// A draw made on its own (`draw:{id}`) is a plain expert draw.
pub fn purpose_step(purpose: &str) -> (&'static str, Option<&str>) {
    match purpose.split_once(':') {
        Some((STATION_FILING_PURPOSE, id)) => ("考核站备案评估专家评议组抽取", Some(id)),
        Some((PROJECT_REVIEW_PURPOSE, id)) => ("考核项目论证评审专家组抽取", Some(id)),
        Some((crate::exams::EXAM_PANEL_PURPOSE, id)) => ("考核考评组考评员抽取", Some(id)),
        _ => ("专家抽取", None),
    }
}

#[cfg(test)]
mod purpose_tests {
    use super::purpose_step;

    #[test]
    fn i9_3_purposes_read_as_words() {
        assert_eq!(purpose_step("station_filing:12"), ("考核站备案评估专家评议组抽取", Some("12")));
        assert_eq!(purpose_step("draw:3"), ("专家抽取", None));
    }

    #[test]
    fn p4_a_project_review_draw_reads_as_its_step() {
        assert_eq!(purpose_step("project_review:7"), ("考核项目论证评审专家组抽取", Some("7")));
        // The purpose is `project_review:`, never the bare `project:`.
        assert_eq!(purpose_step("project:7"), ("专家抽取", None));
    }
}
