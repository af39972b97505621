//! Encoding, commitment and selection (P4, S4): a deterministic, unbiased sequence of (seed, pool hash,
//! purpose) whose replacements never change earlier picks.

use super::*;

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
