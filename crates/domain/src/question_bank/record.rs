//! P2, E2: an assembled paper as recorded, stored and exported ([`PaperRecord`], format
//! `kaohe-paper-v1`, docs/PAPERS.md section 5): committed (pool, blueprint and seed commitment fixed),
//! assembled, and the seed revealed; and its re-derivation from the record alone ([`verify_paper`],
//! which `kaohe verify paper ID` calls), naming the first thing that does not hold ([`PaperVerifyFailure`]).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::PAPER_FORMAT;
use super::assembly::{
    PaperError, PoolItem, blueprint_hash, check_overlap, dry_run, is_strictly_ascending, paper_commitment,
    paper_pool_hash, paper_purpose, percent_text, select_items,
};
use super::blueprint::Blueprint;
use crate::crypto::HashAlg;
use crate::draws::{parse_seed_hex, seed_hex};

/// The other paper of a parallel pair, as recorded on paper B: its id, its items (in paper order) and
/// the overlap cap in force (policy `qbank.parallel_overlap_max_percent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParallelOf {
    pub paper_id: i64,
    pub item_ids: Vec<i64>,
    pub overlap_max_percent: u32,
}

/// The items a blueprint row took, in the order drawn. `row` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowPicks {
    pub row: u32,
    pub item_ids: Vec<i64>,
}

/// A paper as stored and exported as JSON (`format` = `"kaohe-paper-v1"`). Times are UTC as in the
/// audit trail; `seed` is `None` until revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperRecord {
    pub format: String,
    pub paper_id: i64,
    /// `paper:{paper_id}`.
    pub purpose: String,
    /// `"sm3"` or `"sha256"`.
    pub hash_alg: String,
    pub blueprint: Blueprint,
    pub blueprint_hash: String,
    pub pool: Vec<PoolItem>,
    pub pool_hash: String,
    /// Paper B of a parallel pair: paper A. `None` for a paper on its own (or paper A).
    pub parallel_of: Option<ParallelOf>,
    pub commitment: String,
    pub seed: Option<String>,
    pub picks: Vec<RowPicks>,
    pub committed_at: String,
    pub assembled_at: Option<String>,
}

fn check_blueprint(b: &Blueprint) -> Result<(), String> {
    match Blueprint::parse(&b.to_input()) {
        Ok(parsed) if parsed == *b => Ok(()),
        Ok(_) => Err("蓝图各行与其规范形式不符".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

impl PaperRecord {
    /// Fixes the pool, the blueprint and the commitment to `seed` (kept secret by the caller). Refuses,
    /// before anything is committed, a blueprint a row of which the pool cannot fill
    /// ([`PaperError::Shortage`]) and a parallel paper over the overlap cap ([`PaperError::OverlapTooHigh`]):
    /// both are settled by the counts, which do not depend on the seed.
    pub fn commit(
        paper_id: i64,
        alg: HashAlg,
        blueprint: &Blueprint,
        pool: &[PoolItem],
        parallel_of: Option<ParallelOf>,
        seed: &[u8; 32],
        committed_at: OffsetDateTime,
    ) -> Result<PaperRecord, PaperError> {
        check_blueprint(blueprint).map_err(PaperError::BlueprintInvalid)?;
        if !is_strictly_ascending(pool) {
            return Err(PaperError::PoolNotSorted);
        }
        let avoid = parallel_of.as_ref().map_or(&[][..], |p| &p.item_ids[..]);
        let dry = dry_run(blueprint, pool, avoid)?;
        if let Some(p) = &parallel_of {
            check_overlap(&dry, &p.item_ids, p.overlap_max_percent)?;
        }
        Ok(PaperRecord {
            format: PAPER_FORMAT.to_owned(),
            paper_id,
            purpose: paper_purpose(paper_id),
            hash_alg: alg.id().to_owned(),
            blueprint: blueprint.clone(),
            blueprint_hash: blueprint_hash(alg, blueprint),
            pool: pool.to_vec(),
            pool_hash: paper_pool_hash(alg, pool),
            parallel_of,
            commitment: paper_commitment(alg, seed),
            seed: None,
            picks: vec![],
            committed_at: crate::audit::format_at(committed_at),
            assembled_at: None,
        })
    }

    fn check_seed(&self, seed: &[u8; 32]) -> Result<HashAlg, PaperError> {
        let alg = HashAlg::parse(&self.hash_alg).ok_or_else(|| PaperError::UnknownAlgorithm(self.hash_alg.clone()))?;
        if paper_commitment(alg, seed) != self.commitment {
            return Err(PaperError::SeedMismatch);
        }
        Ok(alg)
    }

    /// Assembles the paper (every row's items by the sequence) and returns them in paper order.
    pub fn assemble(&mut self, seed: &[u8; 32], assembled_at: OffsetDateTime) -> Result<Vec<i64>, PaperError> {
        let alg = self.check_seed(seed)?;
        if !self.picks.is_empty() {
            return Err(PaperError::AlreadyAssembled);
        }
        let avoid = self.parallel_of.as_ref().map_or(&[][..], |p| &p.item_ids[..]);
        let rows = select_items(
            alg,
            seed,
            &self.pool_hash,
            &self.blueprint_hash,
            &self.purpose,
            &self.blueprint,
            &self.pool,
            avoid,
        )?;
        if let Some(p) = &self.parallel_of {
            check_overlap(&rows, &p.item_ids, p.overlap_max_percent)?;
        }
        self.picks = rows.into_iter().zip(1u32..).map(|(item_ids, row)| RowPicks { row, item_ids }).collect();
        self.assembled_at = Some(crate::audit::format_at(assembled_at));
        Ok(self.item_ids())
    }

    /// Publishes the seed (after checking it against the commitment), e.g. once the exam is over.
    pub fn reveal(&mut self, seed: &[u8; 32]) -> Result<(), PaperError> {
        self.check_seed(seed)?;
        self.seed = Some(seed_hex(seed));
        Ok(())
    }

    /// The record without picks, seed and `assembled_at`: proves the pool, the blueprint and the
    /// commitment were fixed, and says nothing of the paper.
    pub fn sealed(&self) -> PaperRecord {
        PaperRecord { picks: vec![], seed: None, assembled_at: None, ..self.clone() }
    }

    /// Every item of the paper in paper order (row by row, in the order drawn).
    pub fn item_ids(&self) -> Vec<i64> {
        self.picks.iter().flat_map(|r| r.item_ids.iter().copied()).collect()
    }

    /// The pool entry of an item.
    pub fn pool_item(&self, item_id: i64) -> Option<&PoolItem> {
        self.pool.binary_search_by_key(&item_id, |p| p.item_id).ok().map(|i| &self.pool[i])
    }
}

/// The first thing that does not hold when a paper is re-derived (docs/PAPERS.md, section 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperVerifyFailure {
    UnsupportedFormat(String),
    UnknownAlgorithm(String),
    /// `purpose` is not `paper:{paper_id}`.
    PurposeMismatch,
    /// The recorded blueprint does not parse (why).
    BlueprintInvalid(String),
    BlueprintHashMismatch {
        recorded: String,
        computed: String,
    },
    PoolNotSorted,
    PoolHashMismatch {
        recorded: String,
        computed: String,
    },
    SeedNotRevealed,
    MalformedSeed,
    CommitmentMismatch,
    /// The pool cannot fill the blueprint (the row and its shortage, in words).
    CannotAssemble(String),
    /// The picks do not have one entry per blueprint row, numbered 1, 2, … .
    PickRows,
    /// Row `row`'s items are not what the sequence gives.
    PickMismatch {
        row: u32,
        expected: Vec<i64>,
        recorded: Vec<i64>,
    },
    /// A parallel paper over its overlap cap.
    OverlapTooHigh {
        shared: usize,
        total: usize,
        max_percent: u32,
    },
}

impl fmt::Display for PaperVerifyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join("、");
        match self {
            Self::UnsupportedFormat(s) => write!(f, "不支持的组卷记录格式 {s:?}（应为 kaohe-paper-v1）"),
            Self::UnknownAlgorithm(s) => write!(f, "未知的摘要算法 {s:?}（应为 sm3 或 sha256）"),
            Self::PurposeMismatch => f.write_str("组卷用途与试卷编号不符（应为 paper:试卷编号）"),
            Self::BlueprintInvalid(why) => write!(f, "组卷蓝图有误：{why}"),
            Self::BlueprintHashMismatch { recorded, computed } => {
                write!(f, "组卷蓝图摘要不符：记录为 {recorded}，重新计算为 {computed}（蓝图被改动）")
            }
            Self::PoolNotSorted => f.write_str("题库试题未按试题编号严格升序排列"),
            Self::PoolHashMismatch { recorded, computed } => {
                write!(f, "题库摘要不符：记录为 {recorded}，重新计算为 {computed}（题库被改动）")
            }
            Self::SeedNotRevealed => f.write_str("随机种子尚未公开，暂不能验证组卷结果"),
            Self::MalformedSeed => f.write_str("随机种子格式错误（应为 64 位小写十六进制）"),
            Self::CommitmentMismatch => f.write_str("公开的随机种子与组卷前记录的承诺值不符"),
            Self::CannotAssemble(why) => write!(f, "按记录的题库无法组卷：{why}"),
            Self::PickRows => f.write_str("组卷结果应按蓝图逐行记录，行号依次为 1、2、…"),
            Self::PickMismatch { row, expected, recorded } => write!(
                f,
                "第 {row} 行组卷结果不符：按种子重新组卷应为试题 {}，记录为试题 {}",
                ids(expected),
                ids(recorded)
            ),
            Self::OverlapTooHigh { shared, total, max_percent } => write!(
                f,
                "平行卷与另一套试卷重复 {shared} 道，占本卷 {total} 道的 {}%，超过上限 {max_percent}%",
                percent_text(*shared, *total)
            ),
        }
    }
}

impl std::error::Error for PaperVerifyFailure {}

/// Re-derives a paper from its record alone, checking in this order: format, algorithm, purpose,
/// blueprint (parses, hash), pool (order, hash), seed revealed and well-formed, commitment, one picks
/// entry per row, every row's items against the sequence, and the overlap cap of a parallel paper.
pub fn verify_paper(record: &PaperRecord) -> Result<(), PaperVerifyFailure> {
    use PaperVerifyFailure as F;
    if record.format != PAPER_FORMAT {
        return Err(F::UnsupportedFormat(record.format.clone()));
    }
    let Some(alg) = HashAlg::parse(&record.hash_alg) else {
        return Err(F::UnknownAlgorithm(record.hash_alg.clone()));
    };
    if record.purpose != paper_purpose(record.paper_id) {
        return Err(F::PurposeMismatch);
    }
    check_blueprint(&record.blueprint).map_err(F::BlueprintInvalid)?;
    let computed = blueprint_hash(alg, &record.blueprint);
    if computed != record.blueprint_hash {
        return Err(F::BlueprintHashMismatch { recorded: record.blueprint_hash.clone(), computed });
    }
    if !is_strictly_ascending(&record.pool) {
        return Err(F::PoolNotSorted);
    }
    let computed = paper_pool_hash(alg, &record.pool);
    if computed != record.pool_hash {
        return Err(F::PoolHashMismatch { recorded: record.pool_hash.clone(), computed });
    }
    let Some(seed_text) = &record.seed else {
        return Err(F::SeedNotRevealed);
    };
    let seed = parse_seed_hex(seed_text).ok_or(F::MalformedSeed)?;
    if paper_commitment(alg, &seed) != record.commitment {
        return Err(F::CommitmentMismatch);
    }
    if record.picks.len() != record.blueprint.rows.len() || record.picks.iter().zip(1u32..).any(|(p, n)| p.row != n) {
        return Err(F::PickRows);
    }
    let avoid = record.parallel_of.as_ref().map_or(&[][..], |p| &p.item_ids[..]);
    let expected = select_items(
        alg,
        &seed,
        &record.pool_hash,
        &record.blueprint_hash,
        &record.purpose,
        &record.blueprint,
        &record.pool,
        avoid,
    )
    .map_err(|e| F::CannotAssemble(e.to_string()))?;
    for (picks, want) in record.picks.iter().zip(&expected) {
        if picks.item_ids != *want {
            return Err(F::PickMismatch { row: picks.row, expected: want.clone(), recorded: picks.item_ids.clone() });
        }
    }
    if let Some(p) = &record.parallel_of {
        check_overlap(&expected, &p.item_ids, p.overlap_max_percent).map_err(|e| match e {
            PaperError::OverlapTooHigh { shared, total, max_percent } => {
                F::OverlapTooHigh { shared, total, max_percent }
            }
            other => F::CannotAssemble(other.to_string()),
        })?;
    }
    Ok(())
}
