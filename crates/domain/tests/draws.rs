//! Provable random draws (P4, P5, S4, E4): every recusal and filter rule names its reason, a draw that
//! cannot be filled says why, the draw is a deterministic function of (seed, pool hash, purpose) whose
//! replacements never change earlier picks, verification catches every kind of tampering, and
//! docs/DRAWS.md (worked example, Python verifier) agrees with the code.

use domain::crypto::{HashAlg, hash};
use domain::draws::{
    Applicant, COMMIT_MAGIC, Candidate, DrawError, DrawRecord, DrawRequest, Eligibility, ExclusionReason, POOL_MAGIC,
    PastEmployment, Pick, PickStatus, PoolEntry, RECORD_FORMAT, RecusalRules, SELECT_MAGIC, VerifyFailure, code_text,
    commitment, draw_sequence, eligible, generate_seed, parse_seed_hex, pool_encoding, pool_hash, replacement,
    select_index, verify,
};
use proptest::prelude::*;
use time::Date;
use time::macros::{date, datetime};

const DRAWS_MD: &str = include_str!("../../../docs/DRAWS.md");

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

// ---- eligibility and recusal (S4, E4) ------------------------------------------------------------------

#[test]
fn p5_an_inactive_expert_is_excluded_as_inactive() {
    let mut c = expert(1, &["烹饪"], "430200", None);
    c.active = false;
    assert_eq!(reason_of(c, &plain_request(), &RULES), Some(ExclusionReason::Inactive));
}

#[test]
fn s4_an_expert_without_a_requested_specialty_is_excluded() {
    let req = DrawRequest { specialties: vec!["茶艺".into()], ..plain_request() };
    let c = expert(1, &["烹饪", "面点"], "430200", None);
    assert_eq!(reason_of(c, &req, &RULES), Some(ExclusionReason::SpecialtyMismatch));
    // One requested specialty is enough; none requested means any.
    let c = expert(1, &["烹饪", "茶艺"], "430200", None);
    assert_eq!(reason_of(c.clone(), &req, &RULES), None);
    assert_eq!(reason_of(expert(1, &[], "430200", None), &plain_request(), &RULES), None);
}

#[test]
fn s4_an_expert_outside_the_included_cities_is_excluded() {
    let req = DrawRequest { include_cities: vec!["430200".into(), "430300".into()], ..plain_request() };
    assert_eq!(reason_of(expert(1, &[], "430400", None), &req, &RULES), Some(ExclusionReason::RegionNotIncluded));
    assert_eq!(reason_of(expert(1, &[], "430300", None), &req, &RULES), None);
}

#[test]
fn s4_an_expert_in_an_excluded_city_is_excluded() {
    let req = DrawRequest { exclude_cities: vec!["433100".into()], ..plain_request() };
    assert_eq!(reason_of(expert(1, &[], "433100", None), &req, &RULES), Some(ExclusionReason::RegionExcluded));
}

#[test]
fn s4_a_recused_expert_employed_by_the_applicant_is_listed_with_the_reason() {
    let e = eligible(&[expert(7, &[], "430200", Some(APPLICANT_ORG))], &plain_request(), &applicant(), &RULES, TODAY);
    assert!(e.pool.is_empty());
    assert_eq!(e.excluded.len(), 1);
    assert_eq!(e.excluded[0].expert_id, 7);
    assert_eq!(e.excluded[0].reason, ExclusionReason::EmployedByApplicant);
    assert_eq!(e.excluded[0].reason.code(), "EMPLOYED_BY_APPLICANT");
    assert_eq!(e.excluded[0].reason.text(), "现任职于申请单位");
}

#[test]
fn s4_a_former_employee_within_the_lookback_is_recused_naming_the_latest_end() {
    let mut c = expert(1, &[], "430200", Some(501));
    c.past_employers = vec![
        PastEmployment { org_id: APPLICANT_ORG, until: date!(2020 - 01 - 31) },
        PastEmployment { org_id: APPLICANT_ORG, until: date!(2025 - 03 - 31) },
        PastEmployment { org_id: 777, until: date!(2026 - 11 - 30) },
    ];
    let reason = reason_of(c, &plain_request(), &RULES);
    assert_eq!(reason, Some(ExclusionReason::FormerlyEmployedByApplicant { until: date!(2025 - 03 - 31) }));
    let reason = reason.expect("a reason");
    assert_eq!(reason.code(), "FORMERLY_EMPLOYED_BY_APPLICANT");
    assert_eq!(reason.to_string(), "回避期内曾任职于申请单位（任职至 2025-03-31）");
}

#[test]
fn s4_the_lookback_ends_exactly_lookback_years_after_the_last_day_employed() {
    let with_until = |until: Date| {
        let mut c = expert(1, &[], "430200", None);
        c.past_employers = vec![PastEmployment { org_id: APPLICANT_ORG, until }];
        reason_of(c, &plain_request(), &RULES)
    };
    // Today 2026-12-01, 3 years: left exactly 3 years ago (2023-12-01) is eligible again…
    assert_eq!(with_until(date!(2023 - 12 - 01)), None);
    assert_eq!(with_until(date!(2023 - 11 - 30)), None);
    // …one day less than 3 years ago is still recused.
    assert_eq!(
        with_until(date!(2023 - 12 - 02)),
        Some(ExclusionReason::FormerlyEmployedByApplicant { until: date!(2023 - 12 - 02) })
    );
    // 29 February counts back to 28 February.
    let leap = |until: Date| {
        let mut c = expert(1, &[], "430200", None);
        c.past_employers = vec![PastEmployment { org_id: APPLICANT_ORG, until }];
        eligible(&[c], &plain_request(), &applicant(), &RULES, date!(2028 - 02 - 29)).pool.len()
    };
    assert_eq!(leap(date!(2025 - 02 - 28)), 1);
    assert_eq!(leap(date!(2025 - 03 - 01)), 0);
    // A look-back of 0 years recuses nobody who has left.
    let zero = RecusalRules { lookback_years: 0, same_city: false };
    let mut c = expert(1, &[], "430200", None);
    c.past_employers = vec![PastEmployment { org_id: APPLICANT_ORG, until: TODAY }];
    assert_eq!(reason_of(c, &plain_request(), &zero), None);
}

#[test]
fn s4_a_declared_conflict_is_recused() {
    let mut c = expert(1, &[], "430200", None);
    c.declared_conflict_org_ids = vec![12, APPLICANT_ORG];
    assert_eq!(reason_of(c, &plain_request(), &RULES), Some(ExclusionReason::DeclaredConflict));
}

#[test]
fn s4_same_city_is_recused_only_where_the_policy_says_so() {
    let c = expert(1, &[], "430100", None);
    assert_eq!(reason_of(c.clone(), &plain_request(), &RULES), Some(ExclusionReason::SameCityAsApplicant));
    let off = RecusalRules { same_city: false, ..RULES };
    assert_eq!(reason_of(c.clone(), &plain_request(), &off), None);
    // An applicant without a city (a provincial body) recuses nobody by city.
    let provincial = Applicant { org_id: APPLICANT_ORG, city: None };
    assert!(eligible(&[c], &plain_request(), &provincial, &RULES, TODAY).excluded.is_empty());
}

#[test]
fn s4_the_first_failing_rule_in_the_documented_order_is_the_reason() {
    // Fails every rule at once.
    let mut c = expert(1, &["面点"], "430100", Some(APPLICANT_ORG));
    c.active = false;
    c.past_employers = vec![PastEmployment { org_id: APPLICANT_ORG, until: TODAY }];
    c.declared_conflict_org_ids = vec![APPLICANT_ORG];
    let mut req = DrawRequest {
        specialties: vec!["茶艺".into()],
        include_cities: vec!["430200".into()],
        exclude_cities: vec!["430100".into()],
        ..plain_request()
    };
    let order = [
        ExclusionReason::Inactive,
        ExclusionReason::SpecialtyMismatch,
        ExclusionReason::RegionNotIncluded,
        ExclusionReason::RegionExcluded,
        ExclusionReason::EmployedByApplicant,
        ExclusionReason::FormerlyEmployedByApplicant { until: TODAY },
        ExclusionReason::DeclaredConflict,
        ExclusionReason::SameCityAsApplicant,
    ];
    // Fix one rule at a time: the reason moves down the list.
    for (i, want) in order.iter().enumerate() {
        assert_eq!(reason_of(c.clone(), &req, &RULES).as_ref(), Some(want), "rule {}", i + 1);
        assert_eq!(want.code(), ExclusionReason::CODES[i]);
        match i {
            0 => c.active = true,
            1 => req.specialties = vec!["面点".into()],
            2 => req.include_cities = vec![],
            3 => req.exclude_cities = vec![],
            4 => c.employer_org_id = None,
            5 => c.past_employers.clear(),
            6 => c.declared_conflict_org_ids.clear(),
            _ => {}
        }
    }
}

#[test]
fn s4_every_reason_has_a_stable_code_and_chinese_text() {
    assert_eq!(
        ExclusionReason::CODES,
        [
            "INACTIVE",
            "SPECIALTY_MISMATCH",
            "REGION_NOT_INCLUDED",
            "REGION_EXCLUDED",
            "EMPLOYED_BY_APPLICANT",
            "FORMERLY_EMPLOYED_BY_APPLICANT",
            "DECLARED_CONFLICT",
            "SAME_CITY_AS_APPLICANT",
        ]
    );
    for code in ExclusionReason::CODES {
        let text = code_text(code).expect("text");
        assert!(text.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)), "{code}: {text}");
        assert!(DRAWS_MD.contains(&format!("`{code}`")), "docs/DRAWS.md must name {code}");
        assert!(DRAWS_MD.contains(text), "docs/DRAWS.md must give the text {text}");
    }
    assert_eq!(code_text("NOPE"), None);
    assert_eq!(ExclusionReason::SameCityAsApplicant.text(), "与申请单位同一市州");
    assert_eq!(ExclusionReason::DeclaredConflict.text(), "声明回避");
}

#[test]
fn s4_the_pool_records_the_facts_the_filters_used_sorted_by_expert_id() {
    let e = eligible(&example_candidates(), &request(3), &applicant(), &RULES, TODAY);
    let ids: Vec<i64> = e.pool.iter().map(|p| p.expert_id).collect();
    assert_eq!(ids, [101, 102, 106, 108, 110]);
    let facts = |i: usize| -> Vec<(&str, &str)> { e.pool[i].facts.iter().map(|(k, v)| (&**k, &**v)).collect() };
    assert_eq!(facts(1), [("city", "430300"), ("employer", "502"), ("specialties", "烹饪|茶艺")]);
    assert_eq!(facts(3), [("city", "430900"), ("employer", "505"), ("specialties", "烹饪|面点")]);
    let excluded: Vec<(i64, &str)> = e.excluded.iter().map(|x| (x.expert_id, x.reason.code())).collect();
    assert_eq!(
        excluded,
        [
            (103, "SAME_CITY_AS_APPLICANT"),
            (104, "FORMERLY_EMPLOYED_BY_APPLICANT"),
            (105, "SPECIALTY_MISMATCH"),
            (107, "DECLARED_CONFLICT")
        ]
    );
    let none = eligible(&[expert(5, &["茶艺"], "430200", None)], &plain_request(), &applicant(), &RULES, TODAY);
    assert_eq!(none.pool[0].facts[1], ("employer".to_owned(), String::new()));
}

#[test]
fn s4_a_draw_that_cannot_be_filled_says_how_many_were_eligible_and_why_the_rest_were_not() {
    let mut candidates: Vec<Candidate> = (1..=3).map(|i| expert(i, &["烹饪"], "430200", None)).collect();
    candidates.extend((4..=7).map(|i| expert(i, &["烹饪"], "430100", None)));
    let mut c = expert(8, &["烹饪"], "430300", None);
    c.declared_conflict_org_ids = vec![APPLICANT_ORG];
    candidates.push(c);
    let e = eligible(&candidates, &plain_request(), &applicant(), &RULES, TODAY);
    let err = e.require(5).expect_err("too few");
    assert_eq!(
        err,
        DrawError::NotEnough {
            eligible: 3,
            needed: 5,
            excluded_by_reason: vec![("DECLARED_CONFLICT", 1), ("SAME_CITY_AS_APPLICANT", 4)]
        }
    );
    assert_eq!(
        err.to_string(),
        "符合条件的专家仅 3 人，需要 5 人；其余排除原因：声明回避 1 人、与申请单位同一市州 4 人"
    );
    assert_eq!(e.require(3), Ok(()));
    assert_eq!(e.require(0), Err(DrawError::ZeroCount));
    // Nobody eligible, nobody excluded.
    let empty = Eligibility::default();
    assert_eq!(empty.require(2).expect_err("empty").to_string(), "没有符合条件的专家，需要 2 人");
    // The record refuses to commit such a draw.
    let err = DrawRecord::commit(1, HashAlg::Sm3, &request(9), &RULES, &e, &[1; 32], datetime!(2026-12-01 0:00 UTC));
    assert!(matches!(err, Err(DrawError::NotEnough { eligible: 3, needed: 9, .. })));
}

// ---- encoding, commitment, selection (P4, S4) ----------------------------------------------------------

fn pool_of(ids: &[i64]) -> Vec<PoolEntry> {
    ids.iter()
        .map(|&id| PoolEntry { expert_id: id, facts: vec![("city".into(), format!("43{:04}", id % 10000))] })
        .collect()
}

#[test]
fn s4_the_pool_encoding_is_magic_count_then_length_prefixed_entries() {
    let pool = vec![PoolEntry { expert_id: -2, facts: vec![("k".into(), "值".into())] }];
    let bytes = pool_encoding(&pool);
    let mut want = POOL_MAGIC.to_vec();
    want.extend_from_slice(&[0, 0, 0, 1]);
    want.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]);
    want.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, b'k', 0, 0, 0, 3]);
    want.extend_from_slice("值".as_bytes());
    assert_eq!(bytes, want);
    assert_eq!(pool_encoding(&[]), [POOL_MAGIC.as_slice(), &[0, 0, 0, 0]].concat());
    // Length prefixes keep the boundary between key and value.
    let a = vec![PoolEntry { expert_id: 1, facts: vec![("ab".into(), "c".into())] }];
    let b = vec![PoolEntry { expert_id: 1, facts: vec![("a".into(), "bc".into())] }];
    assert_ne!(pool_hash(HashAlg::Sm3, &a), pool_hash(HashAlg::Sm3, &b));
    assert_eq!(pool_hash(HashAlg::Sha256, &a), hex::encode(hash(HashAlg::Sha256, &pool_encoding(&a))));
}

#[test]
fn s4_the_commitment_is_the_hash_of_magic_and_seed() {
    let seed = example_seed();
    for alg in [HashAlg::Sm3, HashAlg::Sha256] {
        let want = hex::encode(hash(alg, &[COMMIT_MAGIC.as_slice(), &seed].concat()));
        assert_eq!(commitment(alg, &seed), want);
    }
    assert_ne!(commitment(HashAlg::Sm3, &seed), commitment(HashAlg::Sha256, &seed));
}

#[test]
fn s4_seeds_come_from_the_os_and_round_trip_as_lower_hex() {
    let a = generate_seed().expect("rng");
    let b = generate_seed().expect("rng");
    assert_ne!(a, b);
    assert_eq!(parse_seed_hex(&hex::encode(a)), Some(a));
    assert_eq!(parse_seed_hex(&hex::encode(a).to_uppercase()), None);
    assert_eq!(parse_seed_hex("00"), None);
}

#[test]
fn s4_rejection_sampling_rejects_exactly_the_biased_tail() {
    // 2^64 mod 3 = 1, mod 5 = 1, mod 6 = 4: the last 1, 1, 4 values of x are rejected.
    assert_eq!(select_index(u64::MAX, 3), None);
    assert_eq!(select_index(u64::MAX - 1, 3), Some(((u64::MAX - 1) % 3) as usize));
    assert_eq!(select_index(u64::MAX, 5), None);
    assert_eq!(select_index(u64::MAX - 1, 5), Some(((u64::MAX - 1) % 5) as usize));
    for x in (u64::MAX - 3)..=u64::MAX {
        assert_eq!(select_index(x, 6), None);
    }
    assert_eq!(select_index(u64::MAX - 4, 6), Some(((u64::MAX - 4) % 6) as usize));
    // Powers of two never reject; one remaining expert is chosen (a round is still used).
    assert_eq!(select_index(u64::MAX, 8), Some(7));
    assert_eq!(select_index(u64::MAX, 1), Some(0));
    assert_eq!(select_index(0, 0), None);
    assert_eq!(select_index(17, 5), Some(2));
}

#[test]
fn s4_the_draw_is_deterministic_and_depends_on_seed_purpose_and_pool() {
    let pool = pool_of(&(1..=40).collect::<Vec<_>>());
    let h = pool_hash(HashAlg::Sm3, &pool);
    let seed = example_seed();
    let run = |seed: &[u8; 32], purpose: &str, pool: &[PoolEntry], h: &str| {
        draw_sequence(HashAlg::Sm3, seed, h, purpose, pool, 5).expect("draw")
    };
    let base = run(&seed, "station_filing:12", &pool, &h);
    assert_eq!(base, run(&seed, "station_filing:12", &pool, &h));
    let mut other_seed = seed;
    other_seed[31] ^= 1;
    assert_ne!(base, run(&other_seed, "station_filing:12", &pool, &h));
    assert_ne!(base, run(&seed, "station_filing:13", &pool, &h));
    // Same ids, one fact changed: another pool hash, another draw.
    let mut pool2 = pool.clone();
    pool2[0].facts[0].1 = "439999".into();
    let h2 = pool_hash(HashAlg::Sm3, &pool2);
    assert_ne!(base, run(&seed, "station_filing:12", &pool2, &h2));
    // The algorithm is part of it too.
    let hs = pool_hash(HashAlg::Sha256, &pool);
    assert_ne!(base, draw_sequence(HashAlg::Sha256, &seed, &hs, "station_filing:12", &pool, 5).expect("draw"));
}

#[test]
fn s4_the_draw_refuses_a_pool_that_is_unsorted_mismatched_or_too_small() {
    let seed = example_seed();
    let pool = pool_of(&[1, 2, 3]);
    let h = pool_hash(HashAlg::Sha256, &pool);
    let unsorted = pool_of(&[2, 1, 3]);
    let dup = pool_of(&[1, 1, 3]);
    for bad in [&unsorted, &dup] {
        let hb = pool_hash(HashAlg::Sha256, bad);
        assert_eq!(draw_sequence(HashAlg::Sha256, &seed, &hb, "p", bad, 1), Err(DrawError::PoolNotSorted));
    }
    assert_eq!(draw_sequence(HashAlg::Sm3, &seed, &h, "p", &pool, 1), Err(DrawError::PoolHashMismatch));
    assert!(matches!(
        draw_sequence(HashAlg::Sha256, &seed, &h, "p", &pool, 4),
        Err(DrawError::NotEnough { eligible: 3, needed: 4, .. })
    ));
    assert_eq!(draw_sequence(HashAlg::Sha256, &seed, &h, "p", &pool, 3).expect("all").len(), 3);
    assert_eq!(draw_sequence(HashAlg::Sha256, &seed, &h, "p", &pool, 0), Ok(vec![]));
}

#[test]
fn s4_the_kth_replacement_is_element_count_plus_k_of_the_same_sequence() {
    let pool = pool_of(&(10..30).collect::<Vec<_>>());
    let h = pool_hash(HashAlg::Sm3, &pool);
    let seed = example_seed();
    let seq = draw_sequence(HashAlg::Sm3, &seed, &h, "exam_panel:3", &pool, 8).expect("draw");
    for k in 1..=3u32 {
        let r = replacement(HashAlg::Sm3, &seed, &h, "exam_panel:3", &pool, 5, k).expect("replacement");
        assert_eq!(r, seq[(5 + k - 1) as usize]);
    }
    assert_eq!(replacement(HashAlg::Sm3, &seed, &h, "exam_panel:3", &pool, 5, 0), Err(DrawError::ZeroCount));
}

proptest! {
    #[test]
    fn s4_sequences_have_no_duplicates_stay_in_the_pool_and_replacements_never_change_earlier_picks(
        ids in proptest::collection::btree_set(-1000i64..100_000, 1..40),
        seed in proptest::array::uniform32(any::<u8>()),
        purpose in "[a-z_]{1,12}:[0-9]{1,4}",
        sm3 in any::<bool>(),
        cut in 0usize..40,
    ) {
        let alg = if sm3 { HashAlg::Sm3 } else { HashAlg::Sha256 };
        let ids: Vec<i64> = ids.into_iter().collect();
        let pool = pool_of(&ids);
        let h = pool_hash(alg, &pool);
        let full = draw_sequence(alg, &seed, &h, &purpose, &pool, ids.len() as u32).expect("full");
        // The whole sequence is a permutation of the pool.
        let mut sorted = full.clone();
        sorted.sort_unstable();
        prop_assert_eq!(&sorted, &ids);
        // Any shorter sequence is a prefix of the longer one.
        let k = cut.min(ids.len());
        let short = draw_sequence(alg, &seed, &h, &purpose, &pool, k as u32).expect("short");
        prop_assert_eq!(&short[..], &full[..k]);
    }

    #[test]
    fn s4_every_candidate_ends_in_exactly_one_list(
        raw in proptest::collection::vec(
            (any::<bool>(), 0usize..3, 0usize..4, proptest::option::of(0i64..3), proptest::option::of(2018i32..2027), any::<bool>()),
            0..30,
        ),
        same_city in any::<bool>(),
        lookback in 0u32..6,
    ) {
        let specs = ["烹饪", "茶艺", "面点"];
        let cities = ["430100", "430200", "430300", "433100"];
        let candidates: Vec<Candidate> = raw
            .iter()
            .enumerate()
            .map(|(i, &(active, s, city, employer, left, conflict))| Candidate {
                expert_id: (i as i64) * 7 % 31 + 100 * (i as i64),
                specialties: vec![specs[s].to_owned()],
                city: cities[city].to_owned(),
                active,
                employer_org_id: employer.map(|e| if e == 0 { APPLICANT_ORG } else { e }),
                past_employers: left
                    .map(|y| PastEmployment { org_id: APPLICANT_ORG, until: Date::from_calendar_date(y, time::Month::June, 30).expect("date") })
                    .into_iter()
                    .collect(),
                declared_conflict_org_ids: if conflict { vec![APPLICANT_ORG] } else { vec![] },
            })
            .collect();
        let req = request(1);
        let rules = RecusalRules { lookback_years: lookback, same_city };
        let e = eligible(&candidates, &req, &applicant(), &rules, TODAY);
        prop_assert_eq!(e.pool.len() + e.excluded.len(), candidates.len());
        let mut all: Vec<i64> = e.pool.iter().map(|p| p.expert_id).chain(e.excluded.iter().map(|x| x.expert_id)).collect();
        all.sort_unstable();
        let mut want: Vec<i64> = candidates.iter().map(|c| c.expert_id).collect();
        want.sort_unstable();
        prop_assert_eq!(all, want);
        prop_assert!(e.pool.windows(2).all(|w| w[0].expert_id < w[1].expert_id));
        prop_assert!(e.excluded.windows(2).all(|w| w[0].expert_id < w[1].expert_id));
        let total: usize = e.excluded_by_reason().iter().map(|(_, n)| n).sum();
        prop_assert_eq!(total, e.excluded.len());
    }
}

// ---- the record and verification (P4, S4) --------------------------------------------------------------

#[test]
fn s4_a_record_goes_commit_draw_decline_replace_reveal_and_verifies() {
    let seed = example_seed();
    let elig = eligible(&example_candidates(), &request(3), &applicant(), &RULES, TODAY);
    let mut r = DrawRecord::commit(
        4,
        HashAlg::Sm3,
        &request(3),
        &RULES,
        &elig,
        &seed,
        datetime!(2026-12-01 09:00:00.1234567 +08:00),
    )
    .expect("commit");
    assert_eq!(r.format, RECORD_FORMAT);
    assert_eq!(r.hash_alg, "sm3");
    assert_eq!(r.committed_at, "2026-12-01T01:00:00.123456Z");
    assert_eq!(r.seed, None);
    assert!(r.picks.is_empty());
    assert_eq!(r.excluded.len(), 4);
    assert_eq!(verify(&r), Err(VerifyFailure::SeedNotRevealed));

    // A wrong seed is refused at every step.
    let wrong = [9u8; 32];
    assert_eq!(r.clone().draw(&wrong, datetime!(2026-12-01 0:00 UTC)), Err(DrawError::SeedMismatch));
    assert_eq!(r.clone().reveal(&wrong), Err(DrawError::SeedMismatch));

    let group = r.draw(&seed, datetime!(2026-12-01 09:05:00 +08:00)).expect("draw");
    assert_eq!(group.len(), 3);
    assert_eq!(r.drawn_at.as_deref(), Some("2026-12-01T01:05:00.000000Z"));
    assert_eq!(r.draw(&seed, datetime!(2026-12-01 0:00 UTC)), Err(DrawError::AlreadyDrawn));
    let full = draw_sequence(HashAlg::Sm3, &seed, &r.pool_hash, &r.purpose, &r.pool, 5).expect("full");
    assert_eq!(group, full[..3]);

    // Two declines: the replacements are elements 4 and 5; then the pool is used up.
    let r1 = r.decline(group[0], &seed).expect("decline");
    assert_eq!(r1, Some(full[3]));
    assert_eq!(r.decline(group[0], &seed), Err(DrawError::NotInGroup { expert_id: group[0] }));
    assert_eq!(r.decline(999, &seed), Err(DrawError::NotInGroup { expert_id: 999 }));
    let r2 = r.decline(full[3], &seed).expect("decline a replacement");
    assert_eq!(r2, Some(full[4]));
    assert_eq!(r.decline(group[2], &seed), Ok(None));
    assert_eq!(r.group(), vec![group[1], full[4]]);
    let statuses: Vec<(u32, PickStatus)> = r.picks.iter().map(|p| (p.position, p.status)).collect();
    assert_eq!(
        statuses,
        [
            (1, PickStatus::Declined),
            (2, PickStatus::Drawn),
            (3, PickStatus::Declined),
            (4, PickStatus::Declined),
            (5, PickStatus::Replacement)
        ]
    );
    assert_eq!(verify(&r), Err(VerifyFailure::SeedNotRevealed));
    // Before the seal opens only the sealed view is shown: no picks, no seed.
    let sealed = r.sealed();
    assert!(sealed.picks.is_empty() && sealed.seed.is_none() && sealed.drawn_at.is_none());
    assert_eq!((sealed.pool_hash.as_str(), sealed.commitment.as_str()), (r.pool_hash.as_str(), r.commitment.as_str()));
    assert_eq!(verify(&sealed), Err(VerifyFailure::SeedNotRevealed));
    r.reveal(&seed).expect("reveal");
    assert_eq!(r.seed.as_deref(), Some(hex::encode(seed).as_str()));
    assert_eq!(verify(&r), Ok(()));
}

#[test]
fn s4_the_record_exports_as_json_and_reads_back() {
    let r = example_record(HashAlg::Sha256);
    let text = serde_json::to_string(&r).expect("json");
    assert!(
        text.starts_with(r#"{"format":"kaohe-draw-v1","draw_id":1,"purpose":"station_filing:12","hash_alg":"sha256","#)
    );
    assert!(
        text.contains(r#"{"expert_id":101,"facts":[["city","430200"],["employer","501"],["specialties","烹饪"]]}"#)
    );
    assert!(text.contains(r#""status":"declined""#) && text.contains(r#""status":"replacement""#));
    assert!(text.contains(r#"{"expert_id":103,"code":"SAME_CITY_AS_APPLICANT"}"#));
    assert!(text.contains(r#""rules":{"lookback_years":3,"same_city":true}"#));
    let back: DrawRecord = serde_json::from_str(&text).expect("read back");
    assert_eq!(back, r);
    assert_eq!(verify(&back), Ok(()));
    // Before the reveal the seed is exported as null.
    let mut sealed = r.clone();
    sealed.seed = None;
    assert!(serde_json::to_string(&sealed).expect("json").contains(r#""seed":null"#));
}

#[test]
fn s4_verification_names_the_first_thing_tampered_with() {
    for alg in [HashAlg::Sm3, HashAlg::Sha256] {
        let good = example_record(alg);
        assert_eq!(verify(&good), Ok(()));
        let check = |edit: &dyn Fn(&mut DrawRecord), want: &dyn Fn(&VerifyFailure) -> bool| {
            let mut r = good.clone();
            edit(&mut r);
            let got = verify(&r).expect_err("tampered record must fail");
            assert!(want(&got), "{alg}: {got:?}");
        };
        check(&|r| r.format = "kaohe-draw-v2".into(), &|f| matches!(f, VerifyFailure::UnsupportedFormat(_)));
        check(&|r| r.hash_alg = "md5".into(), &|f| matches!(f, VerifyFailure::UnknownAlgorithm(_)));
        check(&|r| r.pool.swap(0, 1), &|f| *f == VerifyFailure::PoolNotSorted);
        check(&|r| r.excluded[0].expert_id = 101, &|f| *f == VerifyFailure::ExcludedInPool { expert_id: 101 });
        // A pool entry changed, added or removed.
        check(&|r| r.pool[2].facts[0].1 = "430100".into(), &|f| matches!(f, VerifyFailure::PoolHashMismatch { .. }));
        check(&|r| drop(r.pool.remove(4)), &|f| matches!(f, VerifyFailure::PoolHashMismatch { .. }));
        check(&|r| r.pool.push(PoolEntry { expert_id: 200, facts: vec![] }), &|f| {
            matches!(f, VerifyFailure::PoolHashMismatch { .. })
        });
        check(&|r| r.pool_hash = r.pool_hash.to_uppercase(), &|f| matches!(f, VerifyFailure::PoolHashMismatch { .. }));
        // The seed.
        check(&|r| r.seed = None, &|f| *f == VerifyFailure::SeedNotRevealed);
        check(&|r| r.seed = Some("01".into()), &|f| *f == VerifyFailure::MalformedSeed);
        check(&|r| r.seed = r.seed.as_ref().map(|s| s.to_uppercase()), &|f| *f == VerifyFailure::MalformedSeed);
        check(&|r| r.seed = Some(hex::encode([7u8; 32])), &|f| *f == VerifyFailure::CommitmentMismatch);
        check(&|r| r.commitment = commitment(alg, &[7u8; 32]), &|f| *f == VerifyFailure::CommitmentMismatch);
        // The picks.
        let expected_2 = good.picks[1].expert_id;
        check(
            &|r| r.picks[1].expert_id = if r.picks[1].expert_id == 101 { 102 } else { 101 },
            &|f| matches!(f, VerifyFailure::PickMismatch { position: 2, expected, .. } if *expected == expected_2),
        );
        check(&|r| r.picks.swap(0, 2), &|f| *f == VerifyFailure::PickPosition { index: 0, recorded: 3 });
        check(
            &|r| {
                let (a, b) = (r.picks[0].expert_id, r.picks[2].expert_id);
                (r.picks[0].expert_id, r.picks[2].expert_id) = (b, a);
            },
            &|f| matches!(f, VerifyFailure::PickMismatch { position: 1, .. }),
        );
        check(&|r| r.picks[3].status = PickStatus::Drawn, &|f| *f == VerifyFailure::PickStatus { position: 4 });
        check(&|r| r.picks[0].status = PickStatus::Replacement, &|f| *f == VerifyFailure::PickStatus { position: 1 });
        check(&|r| r.picks.truncate(2), &|f| *f == VerifyFailure::TooFewPicks { recorded: 2, count: 3 });
        // An extra replacement without a decline.
        check(
            &|r| {
                let next = draw_sequence(alg, &example_seed(), &r.pool_hash, &r.purpose, &r.pool, 5).expect("5");
                r.picks.push(Pick { expert_id: next[4], position: 5, status: PickStatus::Replacement });
            },
            &|f| *f == VerifyFailure::TooManyPicks { recorded: 5, allowed: 4 },
        );
        // Un-declining the declined pick (hiding the decline) leaves one pick too many.
        check(&|r| r.picks[1].status = PickStatus::Drawn, &|f| {
            *f == VerifyFailure::TooManyPicks { recorded: 4, allowed: 3 }
        });
        // A different purpose re-runs to different picks.
        check(&|r| r.purpose = "station_filing:13".into(), &|f| matches!(f, VerifyFailure::PickMismatch { .. }));
    }
}

#[test]
fn s4_verification_failures_read_in_chinese() {
    let cases = [
        (VerifyFailure::SeedNotRevealed, "随机种子尚未公开"),
        (VerifyFailure::CommitmentMismatch, "承诺值不符"),
        (VerifyFailure::PoolHashMismatch { recorded: "a".into(), computed: "b".into() }, "专家池被改动"),
        (
            VerifyFailure::PickMismatch { position: 2, expected: 106, recorded: 110 },
            "第 2 位抽取结果不符：按种子重新抽取应为专家 106，记录为专家 110",
        ),
        (VerifyFailure::UnknownAlgorithm("md5".into()), "未知的摘要算法"),
        (VerifyFailure::TooFewPicks { recorded: 2, count: 3 }, "少于应抽取的 3 人"),
    ];
    for (f, words) in cases {
        assert!(f.to_string().contains(words), "{f}");
    }
}

// ---- docs/DRAWS.md cannot drift ------------------------------------------------------------------------

/// `xxd -g 1`-style dump: offset, 16 bytes in hex, printable ASCII.
fn hex_dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let ascii: String =
            chunk.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' }).collect();
        out.push_str(&format!("{:08x}: {:<47}  {}\n", i * 16, hex.join(" "), ascii));
    }
    out
}

/// The selection input of round `r`, built independently of the library from the document's words.
fn select_input(seed: &[u8; 32], pool_hash_hex: &str, purpose: &str, r: u32) -> Vec<u8> {
    let mut v = SELECT_MAGIC.to_vec();
    v.extend_from_slice(seed);
    v.extend_from_slice(&hex::decode(pool_hash_hex).expect("hex"));
    v.extend_from_slice(&(purpose.len() as u32).to_be_bytes());
    v.extend_from_slice(purpose.as_bytes());
    v.extend_from_slice(&r.to_be_bytes());
    v
}

/// The rounds table of the worked example, one Markdown row per round, computed independently.
fn rounds_table(alg: HashAlg, r: &DrawRecord) -> String {
    let seed = example_seed();
    let mut remaining: Vec<i64> = r.pool.iter().map(|p| p.expert_id).collect();
    let mut out = String::new();
    let mut round = 0u32;
    for position in 1..=r.picks.len() {
        loop {
            let d = hash(alg, &select_input(&seed, &r.pool_hash, &r.purpose, round));
            let x = u64::from_be_bytes(d[..8].try_into().expect("8 bytes"));
            let n = remaining.len() as u64;
            let limit = ((1u128 << 64) / n as u128) * n as u128;
            let first8 = hex::encode(&d[..8]);
            if (x as u128) < limit {
                let i = (x % n) as usize;
                let list: Vec<String> = remaining.iter().map(|id| id.to_string()).collect();
                let chosen = remaining.remove(i);
                out.push_str(&format!(
                    "| {round} | `{first8}` | {x} | {n} | [{}] | {i} | {chosen} (position {position}) |\n",
                    list.join(", ")
                ));
                round += 1;
                break;
            }
            out.push_str(&format!("| {round} | `{first8}` | {x} | {n} | rejected | | |\n"));
            round += 1;
        }
    }
    out
}

fn doc_block(lang: &str, after: &str) -> &'static str {
    let from = DRAWS_MD.find(after).unwrap_or_else(|| panic!("docs/DRAWS.md has no {after:?}"));
    let open = format!("```{lang}\n");
    let start = from + DRAWS_MD[from..].find(&open).expect("code block") + open.len();
    let len = DRAWS_MD[start..].find("```").expect("end of block");
    &DRAWS_MD[start..start + len]
}

#[test]
fn the_worked_example_in_draws_md_is_what_the_code_computes() {
    let sha = example_record(HashAlg::Sha256);
    let sm3 = example_record(HashAlg::Sm3);
    for (r, alg) in [(&sha, HashAlg::Sha256), (&sm3, HashAlg::Sm3)] {
        assert!(DRAWS_MD.contains(&r.pool_hash), "docs/DRAWS.md must give the {alg} pool hash {}", r.pool_hash);
        assert!(DRAWS_MD.contains(&r.commitment), "docs/DRAWS.md must give the {alg} commitment {}", r.commitment);
        let table = rounds_table(alg, r);
        assert!(DRAWS_MD.contains(&table), "docs/DRAWS.md must contain the {alg} rounds:\n{table}");
        assert_eq!(verify(r), Ok(()));
    }
    assert_eq!(sha.pool_hash, EXAMPLE_SHA256_POOL_HASH, "update docs/DRAWS.md and the constants together");
    assert_eq!(sm3.pool_hash, EXAMPLE_SM3_POOL_HASH, "update docs/DRAWS.md and the constants together");
    assert_eq!(sha.commitment, EXAMPLE_SHA256_COMMITMENT);
    assert_eq!(sm3.commitment, EXAMPLE_SM3_COMMITMENT);
    let ids = |r: &DrawRecord| r.picks.iter().map(|p| (p.expert_id, p.status)).collect::<Vec<_>>();
    assert_eq!(ids(&sha), EXAMPLE_SHA256_PICKS);
    assert_eq!(ids(&sm3), EXAMPLE_SM3_PICKS);

    let dump = hex_dump(&pool_encoding(&sha.pool));
    assert!(DRAWS_MD.contains(&dump), "docs/DRAWS.md must contain the pool encoding dump:\n{dump}");
    let input = hex_dump(&select_input(&example_seed(), &sha.pool_hash, &sha.purpose, 0));
    assert!(DRAWS_MD.contains(&input), "docs/DRAWS.md must contain the round-0 input dump:\n{input}");

    // The example export in the document is the SHA-256 record, field for field.
    let shown: serde_json::Value = serde_json::from_str(doc_block("json", "## Worked example")).expect("json");
    assert_eq!(shown, serde_json::to_value(&sha).expect("json"));
    // The export and the document give the members in the documented order.
    let block = doc_block("json", "## Worked example");
    let text = serde_json::to_string(&sha).expect("json");
    for shown in [block, text.as_str()] {
        let at: Vec<usize> = EXPORT_ORDER
            .iter()
            .map(|k| shown.find(&format!("\"{k}\":")).unwrap_or_else(|| panic!("{k} missing")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "members out of order: {at:?}");
    }
    assert_eq!(shown_keys(&sha), EXPORT_ORDER.len());
    // The table of members in section 5 too.
    let at: Vec<usize> = EXPORT_ORDER
        .iter()
        .map(|k| DRAWS_MD.find(&format!("| `{k}` |")).unwrap_or_else(|| panic!("table row {k} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "table rows out of order: {at:?}");
}

fn shown_keys(r: &DrawRecord) -> usize {
    serde_json::to_value(r).expect("json").as_object().expect("object").len()
}

const EXPORT_ORDER: [&str; 15] = [
    "format",
    "draw_id",
    "purpose",
    "hash_alg",
    "count",
    "request",
    "rules",
    "pool",
    "pool_hash",
    "commitment",
    "seed",
    "picks",
    "excluded",
    "committed_at",
    "drawn_at",
];

const EXAMPLE_SHA256_POOL_HASH: &str = "ec6440d92edf5538d035062e85e9a8ec60fe95e623ec55e24941808512afb1b4";
const EXAMPLE_SM3_POOL_HASH: &str = "fdf57f950f7f6c38cacf34ea932de4d655d0045724f54c5e177bb101de0b7271";
const EXAMPLE_SHA256_COMMITMENT: &str = "0bf48198594be33faaf7de3ff2e387e437a58acbbd1793722511bb2507256a67";
const EXAMPLE_SM3_COMMITMENT: &str = "e1ccfde459acde5de33ec4fd1abea81a8250dfe4f593873adb24a4a3137fe164";
const EXAMPLE_SHA256_PICKS: [(i64, PickStatus); 4] =
    [(106, PickStatus::Drawn), (108, PickStatus::Declined), (101, PickStatus::Drawn), (102, PickStatus::Replacement)];
const EXAMPLE_SM3_PICKS: [(i64, PickStatus); 4] =
    [(108, PickStatus::Drawn), (102, PickStatus::Declined), (106, PickStatus::Drawn), (101, PickStatus::Replacement)];

/// The Python verifier printed in docs/DRAWS.md, run on exports of good and tampered records.
/// Skipped (with a note) where python3 is absent.
#[test]
fn the_python_verifier_in_draws_md_agrees_with_the_code() {
    let script = doc_block("python", "## Verifying an export without kaohe");
    let dir = std::env::temp_dir().join(format!("kaohe-draws-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let script_path = dir.join("verify_draw.py");
    std::fs::write(&script_path, script).expect("write script");

    let run = |r: &DrawRecord, name: &str| -> Option<(bool, String)> {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(r).expect("json")).expect("write export");
        let out = std::process::Command::new("python3").arg(&script_path).arg(&path).output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        Some((out.status.success(), text))
    };

    let sm3_available = std::process::Command::new("python3")
        .args(["-c", "import hashlib; hashlib.new('sm3')"])
        .status()
        .is_ok_and(|s| s.success());
    let mut algs = vec![HashAlg::Sha256];
    if sm3_available {
        algs.push(HashAlg::Sm3);
    }
    for alg in algs {
        let good = example_record(alg);
        let Some((ok, out)) = run(&good, "good.json") else {
            eprintln!("python3 not found: the Python verifier in docs/DRAWS.md was not run");
            return;
        };
        assert!(ok, "{alg}: {out}");
        assert!(out.starts_with("ok"), "{out}");

        // A bigger draw with two declines, one of them a replacement.
        let seed = [0x5a; 32];
        let candidates: Vec<Candidate> = (1..=30).map(|i| expert(i * 3, &["烹饪"], "430200", Some(i))).collect();
        let req = DrawRequest { count: 5, ..request(5) };
        let elig = eligible(&candidates, &req, &applicant(), &RULES, TODAY);
        let mut big =
            DrawRecord::commit(2, alg, &req, &RULES, &elig, &seed, datetime!(2026-12-01 0:00 UTC)).expect("commit");
        let g = big.draw(&seed, datetime!(2026-12-01 0:01 UTC)).expect("draw");
        let r1 = big.decline(g[3], &seed).expect("decline").expect("replacement");
        big.decline(r1, &seed).expect("decline").expect("replacement");
        big.reveal(&seed).expect("reveal");
        assert_eq!(verify(&big), Ok(()));
        let (ok, out) = run(&big, "big.json").expect("python");
        assert!(ok, "{alg}: {out}");

        let mut pick = good.clone();
        pick.picks[2].expert_id = good.picks[3].expert_id;
        let (ok, out) = run(&pick, "pick.json").expect("python");
        assert!(!ok && out.contains("position 3"), "{alg}: {out}");

        let mut pool = good.clone();
        pool.pool[1].facts[2].1 = "烹饪".into();
        let (ok, out) = run(&pool, "pool.json").expect("python");
        assert!(!ok && out.contains("pool_hash"), "{alg}: {out}");

        let mut seed_bad = good.clone();
        seed_bad.seed = Some(hex::encode([7u8; 32]));
        let (ok, out) = run(&seed_bad, "seed.json").expect("python");
        assert!(!ok && out.contains("commitment"), "{alg}: {out}");

        let mut sealed = good.clone();
        sealed.seed = None;
        let (ok, out) = run(&sealed, "sealed.json").expect("python");
        assert!(!ok && out.contains("not revealed"), "{alg}: {out}");

        let mut extra = good.clone();
        extra.picks[1].status = PickStatus::Drawn;
        let (ok, out) = run(&extra, "extra.json").expect("python");
        assert!(!ok && out.contains("number of picks"), "{alg}: {out}");
    }
    if !sm3_available {
        eprintln!("python3 has no SM3 in hashlib: the SM3 record was not run through the Python verifier");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
