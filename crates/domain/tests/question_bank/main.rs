//! The question bank (P2, P6, E2): items parse with every error named (and from spreadsheet rows naming
//! the column), the review path keeps versions, blueprints add up, papers are assembled by a provable
//! draw that honours the blueprint and the parallel-paper overlap cap and re-derive from their record,
//! the custody ledger stops at a missing copy, and docs/PAPERS.md (worked example, Python verifier)
//! agrees with the code.

use domain::FieldErrors;
use domain::crypto::{HashAlg, hash};
use domain::question_bank::*;
use time::OffsetDateTime;
use time::macros::datetime;

const PAPERS_MD: &str = include_str!("../../../../docs/PAPERS.md");

mod assembly;
mod blueprint;
mod custody;
mod docs;
mod import;
mod items;
mod view;

// ---- fixtures ------------------------------------------------------------------------------------------

const AT: OffsetDateTime = datetime!(2026-12-03 09:00:00 +08:00);
const LATER: OffsetDateTime = datetime!(2026-12-03 09:01:00 +08:00);

fn fields(e: &FieldErrors) -> Vec<&str> {
    e.0.iter().map(|x| x.field.as_str()).collect()
}

fn row(task: u32, kind: &str, difficulty: &str, count: u32, points_each: u32) -> BlueprintRowInput {
    BlueprintRowInput { task, kind: kind.into(), difficulty: difficulty.into(), count, points_each }
}

fn item(item_id: i64, version: u32, task: u32, kind: ItemKind, difficulty: Difficulty) -> PoolItem {
    PoolItem { item_id, version, task, kind, difficulty }
}

/// The worked example of docs/PAPERS.md: 90 minutes, 40 points, three rows.
fn example_blueprint() -> Blueprint {
    Blueprint::parse(&BlueprintInput {
        duration_minutes: 90,
        total_points: 40,
        rows: vec![
            row(1, "true_false", "any", 2, 4),
            row(1, "single_choice", "medium", 2, 5),
            row(2, "practical", "any", 1, 22),
        ],
    })
    .expect("the example blueprint")
}

/// The worked example's pool: 11 approved items, one (211) fitting no row.
fn example_pool() -> Vec<PoolItem> {
    use Difficulty::*;
    use ItemKind::*;
    vec![
        item(201, 1, 1, TrueFalse, Easy),
        item(202, 2, 1, TrueFalse, Medium),
        item(203, 1, 1, TrueFalse, Hard),
        item(204, 1, 1, SingleChoice, Medium),
        item(205, 1, 1, SingleChoice, Medium),
        item(206, 3, 1, SingleChoice, Medium),
        item(207, 1, 1, SingleChoice, Easy),
        item(208, 1, 2, Practical, Medium),
        item(209, 1, 2, Practical, Hard),
        item(210, 1, 1, TrueFalse, Easy),
        item(211, 1, 2, ShortAnswer, Medium),
    ]
}

fn seed_from(first: u8) -> [u8; 32] {
    let mut seed = [0u8; 32];
    for (i, b) in seed.iter_mut().enumerate() {
        *b = first + i as u8;
    }
    seed
}

/// Paper 7 (A) of the worked example, assembled and revealed.
fn example_a(alg: HashAlg) -> PaperRecord {
    let seed = seed_from(1);
    let mut r = PaperRecord::commit(7, alg, &example_blueprint(), &example_pool(), None, &seed, AT).expect("commit");
    r.assemble(&seed, LATER).expect("assemble");
    r.reveal(&seed).expect("reveal");
    r
}

/// Paper 8 (B), parallel to paper 7 under a 20 % cap, assembled and revealed.
fn example_b(alg: HashAlg) -> PaperRecord {
    let a = example_a(alg);
    let seed = seed_from(0x21);
    let parallel = ParallelOf { paper_id: 7, item_ids: a.item_ids(), overlap_max_percent: 20 };
    let mut r =
        PaperRecord::commit(8, alg, &example_blueprint(), &example_pool(), Some(parallel), &seed, AT).expect("commit");
    r.assemble(&seed, LATER).expect("assemble");
    r.reveal(&seed).expect("reveal");
    r
}
