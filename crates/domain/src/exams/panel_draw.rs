//! E4: "kaohe proposes a legal panel by provable random draw from qualified assessors" — the same
//! commitment scheme and public record as the expert draws (docs/DRAWS.md), over a pool of the
//! session's **legal** assessors (no recusal, qualified, card valid, active; [`panel_pool`]), ascending
//! by registry person id. The committed record draws the needed number; then [`settle_drawn`] declines,
//! in drawn order, every member of the station's previous panel beyond the share that may be kept
//! (rotation), each decline taking the next of the same committed sequence as its replacement — so the
//! group standing is exactly what [`super::propose_assessors`] takes from the drawn order, and anyone
//! can recompute it from the published record. The first standing pick is the head (组长).

use std::collections::BTreeSet;

use super::{Assessor, PanelRules, PanelSession, max_kept, member_refusals, needed};
use crate::draws::{DrawError, DrawRecord, PickStatus, PoolEntry};

/// The purpose prefix of a panel draw: `exam_panel:{session id}`.
pub const EXAM_PANEL_PURPOSE: &str = "exam_panel";

/// The draw's pool: every legal assessor for the session, ascending by person id, with the facts the
/// rules read (`city`, `employer`: the registry employer key, empty if none).
pub fn panel_pool(pool: &[Assessor], s: &PanelSession, rules: &PanelRules) -> Vec<PoolEntry> {
    let mut legal: Vec<&Assessor> = pool.iter().filter(|a| member_refusals(a, s, rules).is_empty()).collect();
    legal.sort_by_key(|a| a.person_id);
    legal.dedup_by_key(|a| a.person_id);
    legal
        .into_iter()
        .map(|a| PoolEntry {
            expert_id: a.person_id,
            facts: vec![
                ("city".to_owned(), a.city.clone().unwrap_or_default()),
                ("employer".to_owned(), a.employer.map(|e| e.to_string()).unwrap_or_default()),
            ],
        })
        .collect()
}

/// After `record.draw` (count = [`needed`]): declines, in drawn order, every previous-panel member
/// beyond [`max_kept`] (replacements included as they come). Answers the head and the assessors in
/// drawn order, or `NotEnough` when the sequence runs out first.
pub fn settle_drawn(
    record: &mut DrawRecord,
    seed: &[u8; 32],
    s: &PanelSession,
    rules: &PanelRules,
) -> Result<(i64, Vec<i64>), DrawError> {
    let previous: BTreeSet<i64> = s.history.last().map(|p| p.assessors.iter().copied().collect()).unwrap_or_default();
    let cap = max_kept(s, rules);
    let mut kept = 0usize;
    let mut i = 0;
    while i < record.picks.len() {
        let pick = &record.picks[i];
        i += 1;
        if pick.status == PickStatus::Declined || !previous.contains(&pick.expert_id) {
            continue;
        }
        if cap.is_some_and(|c| kept >= c) {
            let id = pick.expert_id;
            record.decline(id, seed)?;
        } else {
            kept += 1;
        }
    }
    let group = record.group();
    let need = needed(s, rules);
    match group.first() {
        Some(head) if group.len() >= need as usize => Ok((*head, group)),
        _ => Err(DrawError::NotEnough { eligible: group.len(), needed: need, excluded_by_reason: vec![] }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::HashAlg;
    use crate::draws::{DrawRequest, Eligibility, RecusalRules, draw_sequence, verify};
    use crate::exams::{PastPanel, propose_assessors};
    use time::OffsetDateTime;
    use time::macros::date;

    fn assessor(id: i64) -> Assessor {
        Assessor {
            person_id: id,
            key: format!("a{id}"),
            name: format!("考评员{id}"),
            active: true,
            card_valid_until: date!(2030 - 01 - 01),
            projects: vec!["0001".into()],
            city: Some("430100".into()),
            employer: Some(1000 + id),
            past_employers: vec![],
            relatives: vec![],
        }
    }

    #[test]
    fn e4_a_drawn_panel_verifies_publicly_and_equals_the_greedy_proposal_over_the_drawn_order() {
        let rules = PanelRules::default();
        let mut pool: Vec<Assessor> = (1..=9).map(assessor).collect();
        pool[8].employer = Some(100); // works for the station: recused, not in the pool
        for seed_byte in 0u8..40 {
            let s = PanelSession {
                station_org_id: 100,
                project_code: "0001".into(),
                first_day: date!(2026 - 06 - 15),
                candidates: vec![],
                history: vec![PastPanel { first_day: date!(2026 - 03 - 01), assessors: vec![1, 2, 3] }],
                cities: vec![],
                spec_min_panel: 3,
            };
            let entries = panel_pool(&pool, &s, &rules);
            assert!(!entries.iter().any(|e| e.expert_id == 9), "the recused assessor is not in the pool");
            let seed = [seed_byte; 32];
            let req = DrawRequest {
                purpose: format!("{EXAM_PANEL_PURPOSE}:7"),
                count: needed(&s, &rules),
                specialties: vec![],
                include_cities: vec![],
                exclude_cities: vec![],
            };
            let eligibility = Eligibility { pool: entries.clone(), excluded: vec![] };
            let at = OffsetDateTime::UNIX_EPOCH;
            let rr = RecusalRules { lookback_years: 0, same_city: false };
            let mut record = DrawRecord::commit(7, HashAlg::Sm3, &req, &rr, &eligibility, &seed, at).expect("commit");
            record.draw(&seed, at).expect("draw");
            let (head, group) = settle_drawn(&mut record, &seed, &s, &rules).expect("a legal panel exists");
            record.reveal(&seed).expect("reveal");
            assert_eq!(verify(&record), Ok(()), "anyone can recompute the record");
            let order =
                draw_sequence(HashAlg::Sm3, &seed, &record.pool_hash, &req.purpose, &entries, 8).expect("order");
            assert_eq!(propose_assessors(&order, &pool, &s, &rules), Ok((head, group.clone())), "seed {seed_byte}");
            assert!(group.iter().filter(|a| [1, 2, 3].contains(*a)).count() <= 2, "a third replaced");
        }
    }
}
