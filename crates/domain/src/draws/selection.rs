//! Steps 2 and 3 of a draw, commitment and selection (P4, S4): the pool's canonical encoding and hash
//! ([`pool_encoding`], [`pool_hash`]), the commitment to a secret seed ([`commitment`],
//! [`generate_seed`]) and the deterministic, unbiased draw sequence of (seed, pool hash, purpose)
//! ([`draw_sequence`]) whose k-th replacement is element `count + k` ([`replacement`]). Every byte is
//! specified in docs/DRAWS.md.

use std::fmt;

use super::eligibility::{ExclusionCode, PoolEntry};
use super::{COMMIT_MAGIC, POOL_MAGIC, SELECT_MAGIC};
use crate::crypto::{CryptoError, HashAlg, hash};

/// Why a draw cannot be made (or a record cannot be advanced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawError {
    /// Fewer eligible experts than needed. `excluded_by_reason` lists (code, count) in rule order.
    NotEnough { eligible: usize, needed: u32, excluded_by_reason: Vec<(ExclusionCode, usize)> },
    /// A group of zero experts was asked for.
    ZeroCount,
    /// The pool is not in strictly ascending `expert_id` order (or has an id twice).
    PoolNotSorted,
    /// The pool hash given does not belong to the pool given (under this algorithm).
    PoolHashMismatch,
    /// The seed given does not match the recorded commitment.
    SeedMismatch,
    /// The record's `hash_alg` is not `sm3` or `sha256`.
    UnknownAlgorithm(String),
    /// `draw` on a record that already has picks.
    AlreadyDrawn,
    /// `decline` of an expert who is not a current (undeclined) member of the group.
    NotInGroup { expert_id: i64 },
    /// 2^32 selection rounds used up (practically impossible: each round is rejected with
    /// probability below n / 2^64).
    RoundsExhausted,
}

impl fmt::Display for DrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotEnough { eligible, needed, excluded_by_reason } => {
                if *eligible == 0 {
                    write!(f, "没有符合条件的专家，需要 {needed} 人")?;
                } else {
                    write!(f, "符合条件的专家仅 {eligible} 人，需要 {needed} 人")?;
                }
                if !excluded_by_reason.is_empty() {
                    let parts: Vec<String> =
                        excluded_by_reason.iter().map(|(code, n)| format!("{} {n} 人", code.label())).collect();
                    write!(f, "；其余排除原因：{}", parts.join("、"))?;
                }
                Ok(())
            }
            Self::ZeroCount => f.write_str("抽取人数必须至少为 1 人"),
            Self::PoolNotSorted => f.write_str("专家池未按专家编号严格升序排列"),
            Self::PoolHashMismatch => f.write_str("专家池摘要与专家池不符"),
            Self::SeedMismatch => f.write_str("随机种子与已记录的承诺值不符"),
            Self::UnknownAlgorithm(alg) => write!(f, "未知的摘要算法 {alg:?}"),
            Self::AlreadyDrawn => f.write_str("本次抽取已经完成"),
            Self::NotInGroup { expert_id } => write!(f, "专家 {expert_id} 不是本组的现任成员"),
            Self::RoundsExhausted => f.write_str("抽取轮次已用尽"),
        }
    }
}

impl std::error::Error for DrawError {}

fn len_u32(n: usize) -> [u8; 4] {
    // Nothing in a pool comes near 4 GiB; saturating keeps the encoding total.
    u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes()
}

fn put_text(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&len_u32(s.len()));
    out.extend_from_slice(s.as_bytes());
}

/// The canonical bytes of a pool (docs/DRAWS.md): [`POOL_MAGIC`], the entry count as 4-byte big-endian,
/// then per entry in the given order: `expert_id` as 8-byte big-endian two's complement, the fact count
/// as 4-byte big-endian, and each fact's key then value as a 4-byte big-endian byte length + UTF-8.
pub fn pool_encoding(entries: &[PoolEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(POOL_MAGIC.len() + 4 + entries.len() * 64);
    out.extend_from_slice(POOL_MAGIC);
    out.extend_from_slice(&len_u32(entries.len()));
    for e in entries {
        out.extend_from_slice(&e.expert_id.to_be_bytes());
        out.extend_from_slice(&len_u32(e.facts.len()));
        for (k, v) in &e.facts {
            put_text(&mut out, k);
            put_text(&mut out, v);
        }
    }
    out
}

/// Lower-hex `alg` digest of [`pool_encoding`]`(entries)`.
pub fn pool_hash(alg: HashAlg, entries: &[PoolEntry]) -> String {
    hex::encode(hash(alg, &pool_encoding(entries)))
}

/// Lower-hex `alg` digest of [`COMMIT_MAGIC`] followed by the 32 seed bytes.
pub fn commitment(alg: HashAlg, seed: &[u8; 32]) -> String {
    let mut data = Vec::with_capacity(COMMIT_MAGIC.len() + 32);
    data.extend_from_slice(COMMIT_MAGIC);
    data.extend_from_slice(seed);
    hex::encode(hash(alg, &data))
}

/// A fresh secret seed from the operating system's random number generator.
pub fn generate_seed() -> Result<[u8; 32], CryptoError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|_| CryptoError::Rng)?;
    Ok(seed)
}

/// The seed as 64 lower-case hex digits (as exported once revealed).
pub fn seed_hex(seed: &[u8; 32]) -> String {
    hex::encode(seed)
}

/// Parses exactly 64 lower-case hex digits.
pub fn parse_seed_hex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return None;
    }
    let mut seed = [0u8; 32];
    hex::decode_to_slice(s, &mut seed).ok()?;
    Some(seed)
}

/// One selection step: the index `x mod n` into `n` remaining experts, or `None` when `x` falls in the
/// biased tail, `x >= floor(2^64 / n) * n` (the round is rejected). `None` for `n = 0`.
pub fn select_index(x: u64, n: usize) -> Option<usize> {
    let n = u64::try_from(n).ok().filter(|&n| n > 0)?;
    let limit = ((1u128 << 64) / u128::from(n)) * u128::from(n);
    // x mod n < n, and n came from a usize.
    (u128::from(x) < limit).then(|| usize::try_from(x % n).unwrap_or(0))
}

pub(super) fn is_strictly_ascending(entries: &[PoolEntry]) -> bool {
    entries.windows(2).all(|w| w[0].expert_id < w[1].expert_id)
}

/// The first `how_many` experts of the draw sequence of (`seed`, `pool_hash`, `purpose`) over `entries`
/// (the pool, strictly ascending by `expert_id`; `pool_hash` must be its [`pool_hash`] under `alg`).
///
/// Round r = 0, 1, 2, … (one counter for the whole sequence) hashes
/// `SELECT_MAGIC ‖ seed ‖ pool hash (32 raw bytes) ‖ u32be(len purpose) ‖ purpose ‖ u32be(r)`; its first
/// 8 bytes, big-endian, are `x`. With `n` experts not yet chosen (in ascending id order), a round with
/// `x ≥ ⌊2^64 / n⌋ · n` is rejected (unbiased), otherwise the expert at index `x mod n` is chosen and
/// removed. The first `count` elements are the group; the k-th replacement is element `count + k`, so
/// asking for more never changes the earlier elements.
pub fn draw_sequence(
    alg: HashAlg,
    seed: &[u8; 32],
    pool_hash: &str,
    purpose: &str,
    entries: &[PoolEntry],
    how_many: u32,
) -> Result<Vec<i64>, DrawError> {
    if !is_strictly_ascending(entries) {
        return Err(DrawError::PoolNotSorted);
    }
    if self::pool_hash(alg, entries) != pool_hash {
        return Err(DrawError::PoolHashMismatch);
    }
    if how_many as usize > entries.len() {
        return Err(DrawError::NotEnough { eligible: entries.len(), needed: how_many, excluded_by_reason: vec![] });
    }
    let mut pool_hash_bytes = [0u8; 32];
    hex::decode_to_slice(pool_hash, &mut pool_hash_bytes).map_err(|_| DrawError::PoolHashMismatch)?;

    let mut prefix = Vec::with_capacity(SELECT_MAGIC.len() + 32 + 32 + 4 + purpose.len());
    prefix.extend_from_slice(SELECT_MAGIC);
    prefix.extend_from_slice(seed);
    prefix.extend_from_slice(&pool_hash_bytes);
    put_text(&mut prefix, purpose);
    let prefix_len = prefix.len();

    let mut remaining: Vec<i64> = entries.iter().map(|e| e.expert_id).collect();
    let mut chosen = Vec::with_capacity(how_many as usize);
    let mut round: u32 = 0;
    while chosen.len() < how_many as usize {
        loop {
            prefix.truncate(prefix_len);
            prefix.extend_from_slice(&round.to_be_bytes());
            let digest = hash(alg, &prefix);
            round = round.checked_add(1).ok_or(DrawError::RoundsExhausted)?;
            let mut first8 = [0u8; 8];
            first8.copy_from_slice(&digest[..8]);
            if let Some(index) = select_index(u64::from_be_bytes(first8), remaining.len()) {
                chosen.push(remaining.remove(index));
                break;
            }
        }
    }
    Ok(chosen)
}

/// The `k`-th replacement (k = 1, 2, …) of a group of `count`: element `count + k` of the sequence.
pub fn replacement(
    alg: HashAlg,
    seed: &[u8; 32],
    pool_hash: &str,
    purpose: &str,
    entries: &[PoolEntry],
    count: u32,
    k: u32,
) -> Result<i64, DrawError> {
    if k == 0 {
        return Err(DrawError::ZeroCount);
    }
    let upto = count.checked_add(k).ok_or(DrawError::NotEnough {
        eligible: entries.len(),
        needed: u32::MAX,
        excluded_by_reason: vec![],
    })?;
    let seq = draw_sequence(alg, seed, pool_hash, purpose, entries, upto)?;
    seq.last().copied().ok_or(DrawError::ZeroCount)
}
