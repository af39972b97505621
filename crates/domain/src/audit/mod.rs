//! Audit trail (GB/T 22239-2019 level-3 security audit; hashes per GB/T 39786-2021): an append-only,
//! hash-chained log. Each entry carries the hash of the one before it, so altering, removing or
//! reordering an entry breaks the chain at that entry. The encoding and chain rule are specified in
//! `docs/AUDIT.md` so that anyone can re-verify an exported chain without kaohe.
//!
//! Cutting entries off the end leaves a shorter chain that is still valid: only a chain head
//! (seq and hash of the last entry) published outside the database, e.g. daily, reveals it
//! ([`verify_chain_to_head`]).
//!
//! The vocabulary of the trail — every audited action, its target and the caches it makes stale — is
//! in [`actions`]; this file keeps the entries, their encoding and the chain.

mod actions;

pub use actions::*;

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, UtcOffset};

use crate::crypto::{HashAlg, hash};

/// Prefix of every encoded entry: names the format and its version.
pub const ENCODING_MAGIC: &[u8; 14] = b"KAOHE-AUDIT-V1";

/// `prev_hash` of the first entry (seq 1): 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One record of the audit trail as stored and exported (one JSON object per line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1, 2, 3, … without gaps.
    pub seq: i64,
    /// UTC, exactly `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds), see [`format_at`].
    pub at: String,
    /// User name, or `"system"`.
    pub actor: String,
    /// Dotted action id, e.g. `"auth.login_failed"` (an [`AuditAction`] id; kept as text so that any
    /// exported chain verifies, whatever this version knows).
    pub action: String,
    /// An [`AuditTarget`] id.
    pub target_kind: String,
    pub target_id: String,
    /// Compact JSON text. Never personal ID numbers.
    pub detail: String,
    pub ip: String,
    /// `"sm3"` or `"sha256"`: the algorithm of this entry's `hash`.
    pub hash_alg: String,
    /// Lower-hex `hash` of the previous entry, or [`GENESIS_HASH`].
    pub prev_hash: String,
    /// Lower-hex hash of [`encode`]`(self)` under `hash_alg`.
    pub hash: String,
}

/// What the caller supplies; [`seal`] adds seq, algorithm and hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub detail: String,
    pub ip: String,
}

/// Formats a time as the audit timestamp: converted to UTC, truncated to microseconds,
/// `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
pub fn format_at(at: OffsetDateTime) -> String {
    let t = at.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// The canonical bytes that are hashed (docs/AUDIT.md): `ENCODING_MAGIC`, `seq` as 8-byte big-endian
/// two's complement, then `at, actor, action, target_kind, target_id, detail, ip, hash_alg, prev_hash`,
/// each as a 4-byte big-endian byte length followed by its UTF-8 bytes. The `hash` field is not encoded.
pub fn encode(entry: &AuditEntry) -> Vec<u8> {
    let fields = [
        &entry.at,
        &entry.actor,
        &entry.action,
        &entry.target_kind,
        &entry.target_id,
        &entry.detail,
        &entry.ip,
        &entry.hash_alg,
        &entry.prev_hash,
    ];
    let len = ENCODING_MAGIC.len() + 8 + fields.iter().map(|f| 4 + f.len()).sum::<usize>();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(ENCODING_MAGIC);
    out.extend_from_slice(&entry.seq.to_be_bytes());
    for field in fields {
        // A field over 4 GiB cannot be stored in a row; saturating keeps encode total.
        let n = u32::try_from(field.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&n.to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

/// Lower-hex `alg` digest of [`encode`]`(entry)`.
pub fn compute_hash(alg: HashAlg, entry: &AuditEntry) -> String {
    hex::encode(hash(alg, &encode(entry)))
}

/// Seals a draft as the entry after `prev` (or as seq 1 with the genesis `prev_hash`).
pub fn seal(alg: HashAlg, prev: Option<&AuditEntry>, draft: NewAuditEntry) -> AuditEntry {
    let (seq, prev_hash) = match prev {
        Some(p) => (p.seq + 1, p.hash.clone()),
        None => (1, GENESIS_HASH.to_owned()),
    };
    let mut entry = AuditEntry {
        seq,
        at: format_at(draft.at),
        actor: draft.actor,
        action: draft.action,
        target_kind: draft.target_kind,
        target_id: draft.target_id,
        detail: draft.detail,
        ip: draft.ip,
        hash_alg: alg.id().to_owned(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = compute_hash(alg, &entry);
    entry
}

/// Where and why a chain fails to verify. `seq` is the seq of the entry at which the break was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: BreakReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreakReason {
    /// The entry's content no longer hashes to its `hash`.
    Altered,
    /// The entry with seq `expected` is absent: the chain jumps from `expected - 1` to this entry.
    Missing { expected: i64 },
    /// The entry stands where seq `expected` should be, and `expected` comes later (or came before).
    OutOfOrder { expected: i64 },
    /// `prev_hash` is not the previous entry's `hash` (or the genesis value for seq 1).
    PrevMismatch,
    /// `hash_alg` is not an algorithm id this verifier knows.
    UnknownAlgorithm,
    /// The chain ends before the published head's seq `head_seq` (entries cut off the end).
    Truncated { head_seq: i64 },
    /// The entry at the published head's seq has another hash (the chain was rewritten).
    HeadMismatch,
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seq = self.seq;
        match &self.reason {
            BreakReason::Altered => {
                write!(f, "audit chain broken at seq {seq}: entry altered (hash does not recompute)")
            }
            BreakReason::Missing { expected } => {
                write!(f, "audit chain broken at seq {seq}: entry seq {expected} is missing before it")
            }
            BreakReason::OutOfOrder { expected } => {
                write!(f, "audit chain broken at seq {seq}: entry out of order (found where seq {expected} belongs)")
            }
            BreakReason::PrevMismatch => {
                write!(f, "audit chain broken at seq {seq}: prev_hash does not match the previous entry's hash")
            }
            BreakReason::UnknownAlgorithm => {
                write!(f, "audit chain broken at seq {seq}: unknown hash algorithm")
            }
            BreakReason::Truncated { head_seq } => {
                write!(f, "audit chain truncated: last entry is seq {seq}, published head is seq {head_seq}")
            }
            BreakReason::HeadMismatch => {
                write!(f, "audit chain rewritten: entry seq {seq} does not match the published head hash")
            }
        }
    }
}

impl std::error::Error for ChainBreak {}

/// Verifies a whole chain given in seq order, from seq 1. Returns the number of entries checked.
/// Each entry is checked with its own `hash_alg`, so a chain may switch suite midway.
pub fn verify_chain<'a>(entries: impl IntoIterator<Item = &'a AuditEntry>) -> Result<u64, ChainBreak> {
    verify_chain_from(0, GENESIS_HASH, entries)
}

/// Verifies a window of a chain that starts right after entry `prev_seq` whose hash is `prev_hash`
/// (from an earlier window, or `(0, GENESIS_HASH)` for the start). For paging through big tables:
/// carry the last entry's seq and hash into the next call.
pub fn verify_chain_from<'a>(
    prev_seq: i64,
    prev_hash: &str,
    entries: impl IntoIterator<Item = &'a AuditEntry>,
) -> Result<u64, ChainBreak> {
    let entries: Vec<&AuditEntry> = entries.into_iter().collect();
    let mut expected_prev_hash = prev_hash;
    let mut expected = prev_seq;
    let mut count: u64 = 0;
    for (i, entry) in entries.iter().enumerate() {
        expected = expected.saturating_add(1);
        let brk = |reason| ChainBreak { seq: entry.seq, reason };
        if entry.seq != expected {
            let comes_later = entries[i + 1..].iter().any(|e| e.seq == expected);
            return Err(if entry.seq > expected && !comes_later {
                brk(BreakReason::Missing { expected })
            } else {
                brk(BreakReason::OutOfOrder { expected })
            });
        }
        let Some(alg) = HashAlg::parse(&entry.hash_alg) else {
            return Err(brk(BreakReason::UnknownAlgorithm));
        };
        if entry.prev_hash != expected_prev_hash {
            return Err(brk(BreakReason::PrevMismatch));
        }
        if compute_hash(alg, entry) != entry.hash {
            return Err(brk(BreakReason::Altered));
        }
        expected_prev_hash = &entry.hash;
        count += 1;
    }
    Ok(count)
}

/// The seq and hash of a chain's last entry: published outside the database (e.g. daily) so that
/// truncation or a wholesale rewrite can be detected later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

impl ChainHead {
    pub fn of(entry: &AuditEntry) -> Self {
        Self { seq: entry.seq, hash: entry.hash.clone() }
    }
}

/// Verifies a whole chain (as [`verify_chain`]) and that it still contains a previously published head:
/// the entry with `head.seq` exists and has `head.hash`.
pub fn verify_chain_to_head<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    head: &ChainHead,
) -> Result<u64, ChainBreak> {
    let entries: Vec<&AuditEntry> = entries.into_iter().collect();
    let count = verify_chain(entries.iter().copied())?;
    match entries.iter().find(|e| e.seq == head.seq) {
        Some(e) if e.hash == head.hash => Ok(count),
        Some(e) => Err(ChainBreak { seq: e.seq, reason: BreakReason::HeadMismatch }),
        None => Err(ChainBreak {
            seq: entries.last().map_or(0, |e| e.seq),
            reason: BreakReason::Truncated { head_seq: head.seq },
        }),
    }
}
