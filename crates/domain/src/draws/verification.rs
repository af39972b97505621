//! Step 4 of a draw, verification (P4, S4): anyone re-runs a draw from its record alone ([`verify`]) and
//! is told the first thing that does not hold ([`VerifyFailure`]), in the order docs/DRAWS.md gives.

use std::fmt;

use super::RECORD_FORMAT;
use super::record::{DrawRecord, PickStatus};
use super::selection::{commitment, draw_sequence, is_strictly_ascending, parse_seed_hex, pool_hash};
use crate::crypto::HashAlg;

/// The first thing that does not hold when a record is re-run (docs/DRAWS.md, "Verification").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyFailure {
    /// `format` is not `kaohe-draw-v1`.
    UnsupportedFormat(String),
    /// `hash_alg` is not `sm3` or `sha256`.
    UnknownAlgorithm(String),
    /// The pool is not in strictly ascending `expert_id` order.
    PoolNotSorted,
    /// An excluded expert also appears in the pool.
    ExcludedInPool { expert_id: i64 },
    /// The recorded `pool_hash` is not the hash of the recorded pool.
    PoolHashMismatch { recorded: String, computed: String },
    /// The seed is not yet public: the draw cannot be re-run yet.
    SeedNotRevealed,
    /// `seed` is not 64 lower-case hex digits.
    MalformedSeed,
    /// The revealed seed does not hash to the recorded commitment.
    CommitmentMismatch,
    /// The pick at list index `index` (0-based) has position `recorded` instead of `index + 1`.
    PickPosition { index: usize, recorded: u32 },
    /// The status at `position` is not allowed there (`drawn` only up to count, `replacement` only after).
    PickStatus { position: u32 },
    /// Fewer picks than `count`.
    TooFewPicks { recorded: usize, count: u32 },
    /// More picks than `count` + declines, or than the pool holds.
    TooManyPicks { recorded: usize, allowed: usize },
    /// The expert at `position` is not the one the sequence gives.
    PickMismatch { position: u32, expected: i64, recorded: i64 },
}

impl fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsupportedFormat(s) => write!(f, "不支持的抽取记录格式 {s:?}（应为 kaohe-draw-v1）"),
            Self::UnknownAlgorithm(s) => write!(f, "未知的摘要算法 {s:?}（应为 sm3 或 sha256）"),
            Self::PoolNotSorted => f.write_str("专家池未按专家编号严格升序排列"),
            Self::ExcludedInPool { expert_id } => write!(f, "专家 {expert_id} 同时出现在专家池和排除名单中"),
            Self::PoolHashMismatch { recorded, computed } => {
                write!(f, "专家池摘要不符：记录为 {recorded}，按专家池重新计算为 {computed}（专家池被改动）")
            }
            Self::SeedNotRevealed => f.write_str("随机种子尚未公开，暂不能验证抽取结果"),
            Self::MalformedSeed => f.write_str("随机种子格式错误（应为 64 位小写十六进制）"),
            Self::CommitmentMismatch => f.write_str("公开的随机种子与抽取前记录的承诺值不符"),
            Self::PickPosition { index, recorded } => {
                write!(f, "第 {} 条抽取记录的序号应为 {}，记录为 {recorded}", index + 1, index + 1)
            }
            Self::PickStatus { position } => write!(f, "第 {position} 位的抽取状态与其位置不符"),
            Self::TooFewPicks { recorded, count } => {
                write!(f, "抽取记录只有 {recorded} 人，少于应抽取的 {count} 人")
            }
            Self::TooManyPicks { recorded, allowed } => {
                write!(f, "抽取记录有 {recorded} 人，多于允许的 {allowed} 人（应抽人数加婉拒人数，且不超过专家池）")
            }
            Self::PickMismatch { position, expected, recorded } => {
                write!(f, "第 {position} 位抽取结果不符：按种子重新抽取应为专家 {expected}，记录为专家 {recorded}")
            }
        }
    }
}

impl std::error::Error for VerifyFailure {}

/// Re-runs a draw from its record alone and names the first thing that does not hold, checking in this
/// order: format, algorithm, pool order, excluded not in pool, pool hash, seed revealed and well-formed,
/// commitment, pick positions and statuses, number of picks, then every pick against the sequence.
pub fn verify(record: &DrawRecord) -> Result<(), VerifyFailure> {
    if record.format != RECORD_FORMAT {
        return Err(VerifyFailure::UnsupportedFormat(record.format.clone()));
    }
    let Some(alg) = HashAlg::parse(&record.hash_alg) else {
        return Err(VerifyFailure::UnknownAlgorithm(record.hash_alg.clone()));
    };
    if !is_strictly_ascending(&record.pool) {
        return Err(VerifyFailure::PoolNotSorted);
    }
    for x in &record.excluded {
        if record.pool.binary_search_by_key(&x.expert_id, |e| e.expert_id).is_ok() {
            return Err(VerifyFailure::ExcludedInPool { expert_id: x.expert_id });
        }
    }
    let computed = pool_hash(alg, &record.pool);
    if computed != record.pool_hash {
        return Err(VerifyFailure::PoolHashMismatch { recorded: record.pool_hash.clone(), computed });
    }
    let Some(seed_text) = &record.seed else {
        return Err(VerifyFailure::SeedNotRevealed);
    };
    let seed = parse_seed_hex(seed_text).ok_or(VerifyFailure::MalformedSeed)?;
    if commitment(alg, &seed) != record.commitment {
        return Err(VerifyFailure::CommitmentMismatch);
    }
    let mut declined = 0usize;
    for (index, pick) in record.picks.iter().enumerate() {
        if pick.position as usize != index + 1 {
            return Err(VerifyFailure::PickPosition { index, recorded: pick.position });
        }
        let allowed = match pick.status {
            PickStatus::Declined => true,
            PickStatus::Drawn => pick.position <= record.count,
            PickStatus::Replacement => pick.position > record.count,
        };
        if !allowed {
            return Err(VerifyFailure::PickStatus { position: pick.position });
        }
        declined += usize::from(pick.status == PickStatus::Declined);
    }
    let recorded = record.picks.len();
    if recorded < record.count as usize {
        return Err(VerifyFailure::TooFewPicks { recorded, count: record.count });
    }
    let allowed = (record.count as usize).saturating_add(declined).min(record.pool.len());
    if recorded > allowed {
        return Err(VerifyFailure::TooManyPicks { recorded, allowed });
    }
    // `recorded <= pool.len()` and the pool hash matches, so the sequence can be computed.
    let how_many = u32::try_from(recorded).map_err(|_| VerifyFailure::TooManyPicks { recorded, allowed })?;
    let expected = draw_sequence(alg, &seed, &record.pool_hash, &record.purpose, &record.pool, how_many)
        .map_err(|_| VerifyFailure::TooManyPicks { recorded, allowed })?;
    for (pick, &want) in record.picks.iter().zip(&expected) {
        if pick.expert_id != want {
            return Err(VerifyFailure::PickMismatch {
                position: pick.position,
                expected: want,
                recorded: pick.expert_id,
            });
        }
    }
    Ok(())
}
