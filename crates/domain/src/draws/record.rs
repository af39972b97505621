//! The draw as recorded, stored and exported ([`DrawRecord`], format `kaohe-draw-v1`, docs/DRAWS.md):
//! committed (pool and seed commitment fixed), drawn, declines replaced from the same sequence, and the
//! seed revealed when the review starts. The statuses of a draw and of each pick are [`DrawStatus`] and
//! [`PickStatus`].

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::RECORD_FORMAT;
use super::eligibility::{DrawRequest, Eligibility, ExclusionCode, PoolEntry, RecusalRules};
use super::selection::{DrawError, commitment, draw_sequence, is_strictly_ascending, pool_hash, seed_hex};
use crate::crypto::HashAlg;
use crate::enums::string_enum;

/// The filters of the request as recorded (count and purpose are top-level fields of the record).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub specialties: Vec<String>,
    pub include_cities: Vec<String>,
    pub exclude_cities: Vec<String>,
}

string_enum! {
    /// Where a drawn expert stands: `drawn` (positions 1..=count), `replacement` (positions after
    /// count), or `declined` (either, after the expert declined). Stored on each group member too.
    PickStatus {
        Drawn = "drawn" => "抽中",
        Declined = "declined" => "已拒绝",
        Replacement = "replacement" => "递补",
    }
}

string_enum! {
    /// Where a draw stands: committed (pool and seed commitment fixed), drawn (names sealed), revealed
    /// (the review started: seed public, names open).
    DrawStatus {
        Committed = "committed" => "已承诺，待抽取",
        Drawn = "drawn" => "已抽取，名单密封",
        Revealed = "revealed" => "评审已开始，已揭晓",
    }
}

/// One element of the draw sequence as recorded. `position` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pick {
    pub expert_id: i64,
    pub position: u32,
    pub status: PickStatus,
}

/// An excluded candidate as recorded: its code (see [`ExclusionReason::code`](super::ExclusionReason::code)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedEntry {
    pub expert_id: i64,
    pub code: ExclusionCode,
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
                .map(|e| ExcludedEntry { expert_id: e.expert_id, code: e.reason.code() })
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
    /// [`verify`](super::verify) answers [`VerifyFailure::SeedNotRevealed`](super::VerifyFailure::SeedNotRevealed)
    /// for it.
    pub fn sealed(&self) -> DrawRecord {
        DrawRecord { picks: vec![], seed: None, drawn_at: None, ..self.clone() }
    }

    /// The current group: picks not declined, in position order.
    pub fn group(&self) -> Vec<i64> {
        self.picks.iter().filter(|p| p.status != PickStatus::Declined).map(|p| p.expert_id).collect()
    }
}
