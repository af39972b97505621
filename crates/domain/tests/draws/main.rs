//! Provable random draws (P4, P5, S4, E4): every recusal and filter rule names its reason, a draw that
//! cannot be filled says why, the draw is a deterministic function of (seed, pool hash, purpose) whose
//! replacements never change earlier picks, verification catches every kind of tampering, and
//! docs/DRAWS.md (worked example, Python verifier) agrees with the code.

use domain::crypto::{HashAlg, hash};
use domain::draws::{
    Applicant, COMMIT_MAGIC, Candidate, DrawError, DrawRecord, DrawRequest, DrawStatus, Eligibility, ExclusionCode,
    ExclusionReason, POOL_MAGIC, PastEmployment, Pick, PickStatus, PoolEntry, RECORD_FORMAT, RecusalRules,
    SELECT_MAGIC, VerifyFailure, commitment, draw_sequence, eligible, generate_seed, parse_seed_hex, pool_encoding,
    pool_hash, replacement, select_index, verify,
};
use proptest::prelude::*;
use time::Date;
use time::macros::{date, datetime};

const DRAWS_MD: &str = include_str!("../../../../docs/DRAWS.md");

mod docs;
mod eligibility;
mod record;
mod selection;

// ---- fixtures ------------------------------------------------------------------------------------------

const APPLICANT_ORG: i64 = 900;
const TODAY: Date = date!(2026 - 12 - 01);

fn expert(id: i64, specialties: &[&str], city: &str, employer: Option<i64>) -> Candidate {
    Candidate {
        expert_id: id,
        specialties: specialties.iter().map(|s| s.to_string()).collect(),
        city: city.into(),
        active: true,
        employer_org_id: employer,
        past_employers: vec![],
        declared_conflict_org_ids: vec![],
    }
}

fn request(count: u32) -> DrawRequest {
    DrawRequest {
        purpose: "station_filing:12".into(),
        count,
        specialties: vec!["烹饪".into(), "茶艺".into()],
        include_cities: vec![],
        exclude_cities: vec!["433100".into()],
    }
}

fn applicant() -> Applicant {
    Applicant { org_id: APPLICANT_ORG, city: Some("430100".into()) }
}

const RULES: RecusalRules = RecusalRules { lookback_years: 3, same_city: true };

/// The worked example of docs/DRAWS.md: 8 candidates, 5 eligible.
fn example_candidates() -> Vec<Candidate> {
    let mut c104 = expert(104, &["烹饪"], "430400", None);
    c104.past_employers = vec![PastEmployment { org_id: APPLICANT_ORG, until: date!(2024 - 06 - 30) }];
    let mut c107 = expert(107, &["烹饪"], "430700", Some(504));
    c107.declared_conflict_org_ids = vec![APPLICANT_ORG];
    let mut c110 = expert(110, &["茶艺"], "431000", Some(506));
    // Left more than 3 full years before 2026-12-01: no longer recused.
    c110.past_employers = vec![PastEmployment { org_id: APPLICANT_ORG, until: date!(2023 - 11 - 30) }];
    vec![
        expert(108, &["面点", "烹饪"], "430900", Some(505)),
        expert(101, &["烹饪"], "430200", Some(501)),
        expert(102, &["烹饪", "茶艺", "烹饪"], "430300", Some(502)),
        expert(103, &["茶艺"], "430100", None),
        c104,
        expert(105, &["面点"], "430500", Some(507)),
        expert(106, &["茶艺"], "430600", Some(503)),
        c107,
        c110,
    ]
}

fn example_seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    for (i, b) in seed.iter_mut().enumerate() {
        *b = i as u8 + 1;
    }
    seed
}

/// The worked example's record: committed, drawn, the second member declined and replaced, seed revealed.
fn example_record(alg: HashAlg) -> DrawRecord {
    let seed = example_seed();
    let elig = eligible(&example_candidates(), &request(3), &applicant(), &RULES, TODAY);
    let mut r = DrawRecord::commit(1, alg, &request(3), &RULES, &elig, &seed, datetime!(2026-12-01 09:00:00 +08:00))
        .expect("commit");
    let group = r.draw(&seed, datetime!(2026-12-01 09:05:00 +08:00)).expect("draw");
    r.decline(group[1], &seed).expect("decline").expect("a replacement");
    r.reveal(&seed).expect("reveal");
    r
}

fn reason_of(c: Candidate, req: &DrawRequest, rules: &RecusalRules) -> Option<ExclusionReason> {
    let e = eligible(&[c], req, &applicant(), rules, TODAY);
    e.excluded.first().map(|x| x.reason)
}

fn plain_request() -> DrawRequest {
    DrawRequest { purpose: "p".into(), count: 1, specialties: vec![], include_cities: vec![], exclude_cities: vec![] }
}
