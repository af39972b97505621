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
//! `docs/DRAWS.md`; `crates/domain/tests/draws.rs` checks the document's worked example and runs its
//! Python verifier, so the document cannot drift from this code.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::crypto::{CryptoError, HashAlg, hash};

/// Prefix of the pool encoding ([`pool_encoding`]).
pub const POOL_MAGIC: &[u8; 18] = b"KAOHE-DRAW-POOL-V1";
/// Prefix of the seed commitment ([`commitment`]).
pub const COMMIT_MAGIC: &[u8; 20] = b"KAOHE-DRAW-COMMIT-V1";
/// Prefix of every selection round's hash input ([`draw_sequence`]).
pub const SELECT_MAGIC: &[u8; 20] = b"KAOHE-DRAW-SELECT-V1";
/// The `format` of a [`DrawRecord`] export.
pub const RECORD_FORMAT: &str = "kaohe-draw-v1";

// ---- eligibility and recusal ---------------------------------------------------------------------------

/// An employment that ended: `until` is the last day the expert worked for `org_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastEmployment {
    pub org_id: i64,
    pub until: Date,
}

/// An expert of the committee (P5) as the filters see them. Expert ids are distinct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub expert_id: i64,
    /// Specialty names as in the catalog, compared exactly.
    pub specialties: Vec<String>,
    /// GB/T 2260 city code, e.g. `"430100"` (长沙市).
    pub city: String,
    /// Status active (not suspended, not retired).
    pub active: bool,
    pub employer_org_id: Option<i64>,
    pub past_employers: Vec<PastEmployment>,
    pub declared_conflict_org_ids: Vec<i64>,
}

/// What a draw asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawRequest {
    /// What the draw serves, e.g. `"station_filing:12"`; part of every selection hash.
    pub purpose: String,
    /// How many experts form the group.
    pub count: u32,
    /// Empty: any specialty; otherwise a candidate must have at least one of these.
    pub specialties: Vec<String>,
    /// Empty: every city; otherwise a candidate's city must be one of these.
    pub include_cities: Vec<String>,
    /// Candidates in these cities are excluded.
    pub exclude_cities: Vec<String>,
}

/// The organisation under review (the station applicant, the project's development unit, the exam's
/// station).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub org_id: i64,
    /// GB/T 2260 city code, if the organisation has one (a provincial body may not).
    pub city: Option<String>,
}

/// The recusal policy values (`draw.recusal_lookback_years`, `draw.recusal_same_city`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecusalRules {
    /// An expert who worked for the applicant is recused until this many full years have passed since
    /// the last day of that employment.
    pub lookback_years: u32,
    /// Recuse experts in the applicant's city.
    pub same_city: bool,
}

/// Why a candidate is not in the pool. The variants are in the order the rules are applied: the first
/// rule a candidate fails is its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExclusionReason {
    /// 1. The expert is suspended or retired.
    Inactive,
    /// 2. None of the requested specialties.
    SpecialtyMismatch,
    /// 3. The city is not among the included cities.
    RegionNotIncluded,
    /// 4. The city is among the excluded cities.
    RegionExcluded,
    /// 5. Currently employed by the applicant.
    EmployedByApplicant,
    /// 6. Worked for the applicant until `until`, less than `lookback_years` full years ago (the latest
    ///    such employment is named).
    FormerlyEmployedByApplicant { until: Date },
    /// 7. Declared a conflict of interest with the applicant.
    DeclaredConflict,
    /// 8. Same city as the applicant, where the policy recuses it.
    SameCityAsApplicant,
}

impl ExclusionReason {
    /// Every reason's code, in rule order.
    pub const CODES: [&'static str; 8] = [
        "INACTIVE",
        "SPECIALTY_MISMATCH",
        "REGION_NOT_INCLUDED",
        "REGION_EXCLUDED",
        "EMPLOYED_BY_APPLICANT",
        "FORMERLY_EMPLOYED_BY_APPLICANT",
        "DECLARED_CONFLICT",
        "SAME_CITY_AS_APPLICANT",
    ];

    /// 0-based position in the rule order.
    pub fn rule_index(&self) -> usize {
        match self {
            Self::Inactive => 0,
            Self::SpecialtyMismatch => 1,
            Self::RegionNotIncluded => 2,
            Self::RegionExcluded => 3,
            Self::EmployedByApplicant => 4,
            Self::FormerlyEmployedByApplicant { .. } => 5,
            Self::DeclaredConflict => 6,
            Self::SameCityAsApplicant => 7,
        }
    }

    /// Stable code for the API and the export (SCREAMING_SNAKE).
    pub fn code(&self) -> &'static str {
        Self::CODES[self.rule_index()]
    }

    /// Short Chinese text (without particulars).
    pub fn text(&self) -> &'static str {
        code_text(self.code()).unwrap_or("")
    }
}

impl fmt::Display for ExclusionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FormerlyEmployedByApplicant { until } => {
                write!(f, "{}（任职至 {until}）", self.text())
            }
            _ => f.write_str(self.text()),
        }
    }
}

/// The Chinese text of an exclusion code, for codes read back from a record.
pub fn code_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "INACTIVE" => "专家已暂停或退出",
        "SPECIALTY_MISMATCH" => "专业不符",
        "REGION_NOT_INCLUDED" => "不在限定地区内",
        "REGION_EXCLUDED" => "所在地区被排除",
        "EMPLOYED_BY_APPLICANT" => "现任职于申请单位",
        "FORMERLY_EMPLOYED_BY_APPLICANT" => "回避期内曾任职于申请单位",
        "DECLARED_CONFLICT" => "声明回避",
        "SAME_CITY_AS_APPLICANT" => "与申请单位同一市州",
        _ => return None,
    })
}

/// A candidate left out, with the first rule failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub expert_id: i64,
    pub reason: ExclusionReason,
}

/// An eligible expert with the facts the filters used, in ascending key order: `city` (the city code),
/// `employer` (current employer org id in decimal, empty if none), `specialties` (sorted, duplicates
/// removed, joined by `|`). Serialized as `{"expert_id": 7, "facts": [["city", "430100"], …]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolEntry {
    pub expert_id: i64,
    pub facts: Vec<(String, String)>,
}

/// The outcome of the filters: every candidate is in exactly one of the two lists, each sorted by
/// `expert_id`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Eligibility {
    pub pool: Vec<PoolEntry>,
    pub excluded: Vec<Exclusion>,
}

impl Eligibility {
    /// How many were excluded for each reason, in rule order; reasons with none are left out.
    pub fn excluded_by_reason(&self) -> Vec<(&'static str, usize)> {
        let mut counts = [0usize; 8];
        for e in &self.excluded {
            counts[e.reason.rule_index()] += 1;
        }
        ExclusionReason::CODES.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(c, n)| (*c, n)).collect()
    }

    /// Whether a group of `count` can be drawn from this pool: [`DrawError::NotEnough`] (with the
    /// exclusions by reason) if not, [`DrawError::ZeroCount`] for an empty group.
    pub fn require(&self, count: u32) -> Result<(), DrawError> {
        if count == 0 {
            return Err(DrawError::ZeroCount);
        }
        if self.pool.len() < count as usize {
            return Err(DrawError::NotEnough {
                eligible: self.pool.len(),
                needed: count,
                excluded_by_reason: self.excluded_by_reason(),
            });
        }
        Ok(())
    }
}

/// `today` minus `years` calendar years (29 February becomes 28 February; clamped to the earliest date).
fn years_before(today: Date, years: u32) -> Date {
    let year = i32::try_from(years).ok().and_then(|y| today.year().checked_sub(y));
    let Some(year) = year else { return Date::MIN };
    let day = if today.month() == Month::February && today.day() == 29 { 28 } else { today.day() };
    Date::from_calendar_date(year, today.month(), day).unwrap_or(Date::MIN)
}

/// The first rule `c` fails, or `None` if it is eligible.
fn first_failure(
    c: &Candidate,
    req: &DrawRequest,
    applicant: &Applicant,
    rules: &RecusalRules,
    cutoff: Date,
) -> Option<ExclusionReason> {
    if !c.active {
        return Some(ExclusionReason::Inactive);
    }
    if !req.specialties.is_empty() && !c.specialties.iter().any(|s| req.specialties.contains(s)) {
        return Some(ExclusionReason::SpecialtyMismatch);
    }
    if !req.include_cities.is_empty() && !req.include_cities.contains(&c.city) {
        return Some(ExclusionReason::RegionNotIncluded);
    }
    if req.exclude_cities.contains(&c.city) {
        return Some(ExclusionReason::RegionExcluded);
    }
    if c.employer_org_id == Some(applicant.org_id) {
        return Some(ExclusionReason::EmployedByApplicant);
    }
    let recent = c.past_employers.iter().filter(|p| p.org_id == applicant.org_id && p.until > cutoff);
    if let Some(until) = recent.map(|p| p.until).max() {
        return Some(ExclusionReason::FormerlyEmployedByApplicant { until });
    }
    if c.declared_conflict_org_ids.contains(&applicant.org_id) {
        return Some(ExclusionReason::DeclaredConflict);
    }
    if rules.same_city && applicant.city.as_deref() == Some(c.city.as_str()) {
        return Some(ExclusionReason::SameCityAsApplicant);
    }
    None
}

fn facts_of(c: &Candidate) -> Vec<(String, String)> {
    let mut specialties: Vec<&str> = c.specialties.iter().map(String::as_str).collect();
    specialties.sort_unstable();
    specialties.dedup();
    vec![
        ("city".to_owned(), c.city.clone()),
        ("employer".to_owned(), c.employer_org_id.map(|id| id.to_string()).unwrap_or_default()),
        ("specialties".to_owned(), specialties.join("|")),
    ]
}

/// Applies the filters and recusal rules (in the order of [`ExclusionReason`]) to every candidate.
/// `today` is the day the pool is snapshotted (the look-back is counted back from it).
pub fn eligible(
    candidates: &[Candidate],
    req: &DrawRequest,
    applicant: &Applicant,
    rules: &RecusalRules,
    today: Date,
) -> Eligibility {
    let cutoff = years_before(today, rules.lookback_years);
    let mut out = Eligibility::default();
    for c in candidates {
        match first_failure(c, req, applicant, rules, cutoff) {
            Some(reason) => out.excluded.push(Exclusion { expert_id: c.expert_id, reason }),
            None => out.pool.push(PoolEntry { expert_id: c.expert_id, facts: facts_of(c) }),
        }
    }
    out.pool.sort_by_key(|e| e.expert_id);
    out.excluded.sort_by_key(|e| e.expert_id);
    out
}

// ---- commitment and selection --------------------------------------------------------------------------

/// Why a draw cannot be made (or a record cannot be advanced).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawError {
    /// Fewer eligible experts than needed. `excluded_by_reason` lists (code, count) in rule order.
    NotEnough { eligible: usize, needed: u32, excluded_by_reason: Vec<(&'static str, usize)> },
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
                    let parts: Vec<String> = excluded_by_reason
                        .iter()
                        .map(|(code, n)| format!("{} {n} 人", code_text(code).unwrap_or(code)))
                        .collect();
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

fn is_strictly_ascending(entries: &[PoolEntry]) -> bool {
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

// ---- the record ----------------------------------------------------------------------------------------

/// The filters of the request as recorded (count and purpose are top-level fields of the record).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub specialties: Vec<String>,
    pub include_cities: Vec<String>,
    pub exclude_cities: Vec<String>,
}

crate::org::string_enum! {
    /// `drawn` (positions 1..=count), `replacement` (positions after count), or `declined` (either, after
    /// the expert declined).
    PickStatus {
        Drawn = "drawn" => "抽中",
        Declined = "declined" => "已拒绝",
        Replacement = "replacement" => "递补",
    }
}

/// One element of the draw sequence as recorded. `position` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pick {
    pub expert_id: i64,
    pub position: u32,
    pub status: PickStatus,
}

/// An excluded candidate as recorded: its code (see [`ExclusionReason::code`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedEntry {
    pub expert_id: i64,
    pub code: String,
}

/// A draw as stored and exported as JSON (`format` = `"kaohe-draw-v1"`, docs/DRAWS.md). Times are UTC,
/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` as in the audit trail; `seed` is `None` until revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawRecord {
    pub format: String,
    pub draw_id: i64,
    pub purpose: String,
    /// `"sm3"` or `"sha256"`: the algorithm of the pool hash, the commitment and the selection.
    pub hash_alg: String,
    pub count: u32,
    pub request: RecordedRequest,
    pub rules: RecusalRules,
    pub pool: Vec<PoolEntry>,
    pub pool_hash: String,
    pub commitment: String,
    pub seed: Option<String>,
    pub picks: Vec<Pick>,
    pub excluded: Vec<ExcludedEntry>,
    pub committed_at: String,
    pub drawn_at: Option<String>,
}

impl DrawRecord {
    /// Step 2: a committed draw (no picks, seed sealed). Refuses a pool too small for `req.count`.
    /// The caller keeps `seed` secret (encrypted) until [`DrawRecord::reveal`].
    pub fn commit(
        draw_id: i64,
        alg: HashAlg,
        req: &DrawRequest,
        rules: &RecusalRules,
        eligibility: &Eligibility,
        seed: &[u8; 32],
        committed_at: OffsetDateTime,
    ) -> Result<DrawRecord, DrawError> {
        eligibility.require(req.count)?;
        if !is_strictly_ascending(&eligibility.pool) {
            return Err(DrawError::PoolNotSorted);
        }
        Ok(DrawRecord {
            format: RECORD_FORMAT.to_owned(),
            draw_id,
            purpose: req.purpose.clone(),
            hash_alg: alg.id().to_owned(),
            count: req.count,
            request: RecordedRequest {
                specialties: req.specialties.clone(),
                include_cities: req.include_cities.clone(),
                exclude_cities: req.exclude_cities.clone(),
            },
            rules: *rules,
            pool: eligibility.pool.clone(),
            pool_hash: pool_hash(alg, &eligibility.pool),
            commitment: commitment(alg, seed),
            seed: None,
            picks: vec![],
            excluded: eligibility
                .excluded
                .iter()
                .map(|e| ExcludedEntry { expert_id: e.expert_id, code: e.reason.code().to_owned() })
                .collect(),
            committed_at: crate::audit::format_at(committed_at),
            drawn_at: None,
        })
    }

    fn alg(&self) -> Result<HashAlg, DrawError> {
        HashAlg::parse(&self.hash_alg).ok_or_else(|| DrawError::UnknownAlgorithm(self.hash_alg.clone()))
    }

    fn check_seed(&self, seed: &[u8; 32]) -> Result<HashAlg, DrawError> {
        let alg = self.alg()?;
        if commitment(alg, seed) != self.commitment {
            return Err(DrawError::SeedMismatch);
        }
        Ok(alg)
    }

    /// Step 3: draws the group (positions 1..=count, status `drawn`). Returns the experts drawn.
    pub fn draw(&mut self, seed: &[u8; 32], drawn_at: OffsetDateTime) -> Result<Vec<i64>, DrawError> {
        let alg = self.check_seed(seed)?;
        if !self.picks.is_empty() {
            return Err(DrawError::AlreadyDrawn);
        }
        let ids = draw_sequence(alg, seed, &self.pool_hash, &self.purpose, &self.pool, self.count)?;
        self.picks = ids
            .iter()
            .zip(1u32..)
            .map(|(&expert_id, position)| Pick { expert_id, position, status: PickStatus::Drawn })
            .collect();
        self.drawn_at = Some(crate::audit::format_at(drawn_at));
        Ok(ids)
    }

    /// A member of the group declines: the pick becomes `declined` and the next element of the sequence
    /// is appended as a `replacement`, which is returned. `Ok(None)` when the pool is used up: the
    /// decline is recorded and the group stays one short.
    pub fn decline(&mut self, expert_id: i64, seed: &[u8; 32]) -> Result<Option<i64>, DrawError> {
        let alg = self.check_seed(seed)?;
        let Some(index) = self.picks.iter().position(|p| p.expert_id == expert_id && p.status != PickStatus::Declined)
        else {
            return Err(DrawError::NotInGroup { expert_id });
        };
        let next = u32::try_from(self.picks.len() + 1).map_err(|_| DrawError::RoundsExhausted)?;
        let replacement = if next as usize <= self.pool.len() {
            let ids = draw_sequence(alg, seed, &self.pool_hash, &self.purpose, &self.pool, next)?;
            ids.last().copied()
        } else {
            None
        };
        self.picks[index].status = PickStatus::Declined;
        if let Some(id) = replacement {
            self.picks.push(Pick { expert_id: id, position: next, status: PickStatus::Replacement });
        }
        Ok(replacement)
    }

    /// Step 4: publishes the seed (after checking it against the commitment).
    pub fn reveal(&mut self, seed: &[u8; 32]) -> Result<(), DrawError> {
        self.check_seed(seed)?;
        self.seed = Some(seed_hex(seed));
        Ok(())
    }

    /// What may be shown before the seal opens (the names stay sealed until the evaluation starts):
    /// the record without picks, seed and `drawn_at`. It proves the pool and the commitment were fixed;
    /// [`verify`] answers [`VerifyFailure::SeedNotRevealed`] for it.
    pub fn sealed(&self) -> DrawRecord {
        DrawRecord { picks: vec![], seed: None, drawn_at: None, ..self.clone() }
    }

    /// The current group: picks not declined, in position order.
    pub fn group(&self) -> Vec<i64> {
        self.picks.iter().filter(|p| p.status != PickStatus::Declined).map(|p| p.expert_id).collect()
    }
}

// ---- verification --------------------------------------------------------------------------------------

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

crate::org::string_enum! {
    /// Where a draw stands (P4, S4): committed (pool and seed commitment fixed) → drawn (names sealed)
    /// → revealed (the review started; seed public, anyone can re-run it).
    DrawStatus {
        Committed = "committed" => "已承诺，待抽取",
        Drawn = "drawn" => "已抽取，名单密封",
        Revealed = "revealed" => "评审已开始，已揭晓",
    }
}
