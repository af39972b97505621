//! P2, E2: provable paper assembly, in the spirit of the expert draws (docs/DRAWS.md) and specified
//! byte for byte in docs/PAPERS.md: the pool of approved items (metadata only, [`PoolItem`]) and the
//! blueprint are encoded canonically and hashed ([`paper_pool_hash`], [`blueprint_hash`]); a secret
//! seed is committed to ([`paper_commitment`]); each blueprint row then takes its items by a
//! deterministic, unbiased sequence of (seed, pool hash, blueprint hash, purpose, row)
//! ([`select_items`]). A parallel paper B is assembled avoiding the items of A as far as the bank allows,
//! and refused when the share of its items also in A exceeds the policy cap ([`check_overlap`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::blueprint::{Blueprint, BlueprintRow};
use super::items::{Difficulty, ItemKind};
use super::{PAPER_BLUEPRINT_MAGIC, PAPER_COMMIT_MAGIC, PAPER_POOL_MAGIC, PAPER_SELECT_MAGIC};
use crate::crypto::{HashAlg, hash};
use crate::draws::select_index;

/// An approved item as the assembly sees it: metadata only, never content. A pool holds one version per
/// item (the approved one in force), strictly ascending by `item_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolItem {
    pub item_id: i64,
    pub version: u32,
    pub task: u32,
    pub kind: ItemKind,
    pub difficulty: Difficulty,
}

impl PoolItem {
    /// Whether the item may fill `row` (same task and kind; the row's difficulty, or any).
    pub fn fits(&self, row: &BlueprintRow) -> bool {
        self.task == row.task && self.kind == row.kind && row.difficulty.is_none_or(|d| d == self.difficulty)
    }
}

/// Why a paper cannot be assembled (or a record cannot be advanced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperError {
    /// Row `row` (1-based) needs `needed` items; the bank has only `available` that fit it and are not
    /// taken by earlier rows.
    Shortage { row: usize, description: String, needed: u32, available: usize },
    /// Parallel paper: `shared` of its `total` items are also in the other paper, over `max_percent` %.
    OverlapTooHigh { shared: usize, total: usize, max_percent: u32 },
    /// The blueprint does not parse (its errors, joined).
    BlueprintInvalid(String),
    /// The pool is not strictly ascending by `item_id`.
    PoolNotSorted,
    /// The pool or blueprint hash given is not the hash of the pool or blueprint given.
    HashMismatch,
    /// The seed given does not match the recorded commitment.
    SeedMismatch,
    /// The record's `hash_alg` is not `sm3` or `sha256`.
    UnknownAlgorithm(String),
    /// `assemble` on a record that already has picks.
    AlreadyAssembled,
    /// 2^32 rounds used up in one row (practically impossible).
    RoundsExhausted,
}

/// `shared / total` as a percentage with at most one decimal (`30`, `33.3`).
pub fn percent_text(shared: usize, total: usize) -> String {
    if total == 0 {
        return "0".to_owned();
    }
    let tenths = (shared as u128 * 1000 + total as u128 / 2) / total as u128;
    if tenths.is_multiple_of(10) { format!("{}", tenths / 10) } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

impl fmt::Display for PaperError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shortage { row, description, needed, available } => {
                write!(f, "第 {row} 行：{description}需要 {needed} 道，题库仅有 {available} 道")
            }
            Self::OverlapTooHigh { shared, total, max_percent } => write!(
                f,
                "平行卷与另一套试卷重复 {shared} 道，占本卷 {total} 道的 {}%，超过上限 {max_percent}%，请先补充题库",
                percent_text(*shared, *total)
            ),
            Self::BlueprintInvalid(why) => write!(f, "组卷蓝图有误：{why}"),
            Self::PoolNotSorted => f.write_str("题库试题未按试题编号严格升序排列"),
            Self::HashMismatch => f.write_str("题库或组卷蓝图的摘要与其内容不符"),
            Self::SeedMismatch => f.write_str("随机种子与已记录的承诺值不符"),
            Self::UnknownAlgorithm(alg) => write!(f, "未知的摘要算法 {alg:?}"),
            Self::AlreadyAssembled => f.write_str("本套试卷已经组卷"),
            Self::RoundsExhausted => f.write_str("组卷轮次已用尽"),
        }
    }
}

impl std::error::Error for PaperError {}

fn len_u32(n: usize) -> [u8; 4] {
    u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes()
}

fn put_text(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&len_u32(s.len()));
    out.extend_from_slice(s.as_bytes());
}

/// The canonical bytes of a pool (docs/PAPERS.md, section 2): [`PAPER_POOL_MAGIC`], `u32be(n)`, then
/// per item `i64be(item_id) ‖ u32be(version) ‖ u32be(task) ‖ text(kind) ‖ text(difficulty)`.
pub fn paper_pool_encoding(pool: &[PoolItem]) -> Vec<u8> {
    let mut out = PAPER_POOL_MAGIC.to_vec();
    out.extend_from_slice(&len_u32(pool.len()));
    for p in pool {
        out.extend_from_slice(&p.item_id.to_be_bytes());
        out.extend_from_slice(&p.version.to_be_bytes());
        out.extend_from_slice(&p.task.to_be_bytes());
        put_text(&mut out, p.kind.id());
        put_text(&mut out, p.difficulty.id());
    }
    out
}

/// Lower-hex digest of [`paper_pool_encoding`].
pub fn paper_pool_hash(alg: HashAlg, pool: &[PoolItem]) -> String {
    hex::encode(hash(alg, &paper_pool_encoding(pool)))
}

/// The canonical bytes of a blueprint (docs/PAPERS.md, section 2): [`PAPER_BLUEPRINT_MAGIC`],
/// `u32be(duration) ‖ u32be(total) ‖ u32be(rows)`, then per row
/// `u32be(task) ‖ text(kind) ‖ text(difficulty or "any") ‖ u32be(count) ‖ u32be(points_each)`.
pub fn blueprint_encoding(b: &Blueprint) -> Vec<u8> {
    let mut out = PAPER_BLUEPRINT_MAGIC.to_vec();
    out.extend_from_slice(&b.duration_minutes.to_be_bytes());
    out.extend_from_slice(&b.total_points.to_be_bytes());
    out.extend_from_slice(&len_u32(b.rows.len()));
    for r in &b.rows {
        out.extend_from_slice(&r.task.to_be_bytes());
        put_text(&mut out, r.kind.id());
        put_text(&mut out, r.difficulty_id());
        out.extend_from_slice(&r.count.to_be_bytes());
        out.extend_from_slice(&r.points_each.to_be_bytes());
    }
    out
}

/// Lower-hex digest of [`blueprint_encoding`].
pub fn blueprint_hash(alg: HashAlg, b: &Blueprint) -> String {
    hex::encode(hash(alg, &blueprint_encoding(b)))
}

/// Lower-hex digest of [`PAPER_COMMIT_MAGIC`] followed by the 32 seed bytes.
pub fn paper_commitment(alg: HashAlg, seed: &[u8; 32]) -> String {
    let mut data = PAPER_COMMIT_MAGIC.to_vec();
    data.extend_from_slice(seed);
    hex::encode(hash(alg, &data))
}

/// The purpose of paper `id`: `paper:{id}`.
pub fn paper_purpose(paper_id: i64) -> String {
    format!("paper:{paper_id}")
}

pub(super) fn is_strictly_ascending(pool: &[PoolItem]) -> bool {
    pool.windows(2).all(|w| w[0].item_id < w[1].item_id)
}

/// The rows' picks, with `pick(row index, candidates)` choosing one of the candidates (and removing it).
/// Row by row: the candidates are the pool's items (in pool order) that fit the row and no earlier row
/// took; those not in `avoid` are used first, those in it only when the first are used up.
fn run(
    blueprint: &Blueprint,
    pool: &[PoolItem],
    avoid: &[i64],
    mut pick: impl FnMut(u32, &mut Vec<i64>) -> Result<i64, PaperError>,
) -> Result<Vec<Vec<i64>>, PaperError> {
    let mut taken: Vec<i64> = Vec::new();
    let mut rows = Vec::with_capacity(blueprint.rows.len());
    for (index, row) in blueprint.rows.iter().enumerate() {
        let fitting = pool.iter().filter(|p| p.fits(row) && !taken.contains(&p.item_id)).map(|p| p.item_id);
        let (mut fresh, mut reused): (Vec<i64>, Vec<i64>) = fitting.partition(|id| !avoid.contains(id));
        let available = fresh.len() + reused.len();
        if available < row.count as usize {
            return Err(PaperError::Shortage {
                row: index + 1,
                description: row.describe(),
                needed: row.count,
                available,
            });
        }
        let row_index = u32::try_from(index).map_err(|_| PaperError::RoundsExhausted)?;
        let mut chosen = Vec::with_capacity(row.count as usize);
        while chosen.len() < row.count as usize {
            let list = if fresh.is_empty() { &mut reused } else { &mut fresh };
            chosen.push(pick(row_index, list)?);
        }
        taken.extend_from_slice(&chosen);
        rows.push(chosen);
    }
    Ok(rows)
}

/// Whether the blueprint can be filled from `pool` avoiding `avoid` where possible: the picks it would
/// take if each row took its first candidates. The counts per row, and so the number of items shared
/// with `avoid`, do not depend on the seed (docs/PAPERS.md, section 1), so this settles before the
/// commitment whether the paper can be assembled.
pub fn dry_run(blueprint: &Blueprint, pool: &[PoolItem], avoid: &[i64]) -> Result<Vec<Vec<i64>>, PaperError> {
    run(blueprint, pool, avoid, |_, list| Ok(list.remove(0)))
}

/// Refuses a parallel paper whose share of items also in `other` is above `max_percent` %:
/// `shared × 100 > max_percent × total`. Returns the number shared.
pub fn check_overlap(picks: &[Vec<i64>], other: &[i64], max_percent: u32) -> Result<usize, PaperError> {
    let total: usize = picks.iter().map(Vec::len).sum();
    let shared = picks.iter().flatten().filter(|id| other.contains(id)).count();
    if shared as u128 * 100 > u128::from(max_percent) * total as u128 {
        return Err(PaperError::OverlapTooHigh { shared, total, max_percent });
    }
    Ok(shared)
}

/// The items of every row, by the sequence of (`seed`, `pool_hash`, `blueprint_hash`, `purpose`):
///
/// For row k (0-based) a round counter r starts at 0; round r hashes
/// `PAPER_SELECT_MAGIC ‖ seed ‖ pool hash (32 bytes) ‖ blueprint hash (32 bytes) ‖ text(purpose) ‖
/// u32be(k) ‖ u32be(r)`; its first 8 bytes big-endian are `x`. With `n` candidates left in the list in
/// use (see [`dry_run`]: first those not in `avoid`, then those in it), a round with
/// `x ≥ ⌊2^64 / n⌋ · n` is rejected, otherwise the candidate at index `x mod n` is chosen and removed.
#[allow(clippy::too_many_arguments)]
pub fn select_items(
    alg: HashAlg,
    seed: &[u8; 32],
    pool_hash: &str,
    blueprint_hash: &str,
    purpose: &str,
    blueprint: &Blueprint,
    pool: &[PoolItem],
    avoid: &[i64],
) -> Result<Vec<Vec<i64>>, PaperError> {
    if !is_strictly_ascending(pool) {
        return Err(PaperError::PoolNotSorted);
    }
    if paper_pool_hash(alg, pool) != pool_hash || self::blueprint_hash(alg, blueprint) != blueprint_hash {
        return Err(PaperError::HashMismatch);
    }
    let mut prefix = PAPER_SELECT_MAGIC.to_vec();
    prefix.extend_from_slice(seed);
    prefix.extend_from_slice(&hex::decode(pool_hash).map_err(|_| PaperError::HashMismatch)?);
    prefix.extend_from_slice(&hex::decode(blueprint_hash).map_err(|_| PaperError::HashMismatch)?);
    put_text(&mut prefix, purpose);
    let prefix_len = prefix.len();
    let mut current_row = None;
    let mut round: u32 = 0;
    run(blueprint, pool, avoid, |row, list| {
        if current_row != Some(row) {
            current_row = Some(row);
            round = 0;
        }
        loop {
            prefix.truncate(prefix_len);
            prefix.extend_from_slice(&row.to_be_bytes());
            prefix.extend_from_slice(&round.to_be_bytes());
            let digest = hash(alg, &prefix);
            round = round.checked_add(1).ok_or(PaperError::RoundsExhausted)?;
            let mut first8 = [0u8; 8];
            first8.copy_from_slice(&digest[..8]);
            if let Some(index) = select_index(u64::from_be_bytes(first8), list.len()) {
                return Ok(list.remove(index));
            }
        }
    })
}
