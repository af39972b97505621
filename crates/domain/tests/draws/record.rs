//! The record and its verification (P4, S4): commit, draw, decline, reveal, export, and every kind of
//! tampering named.

use super::*;

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

#[test]
fn s4_draw_and_pick_statuses_are_stored_by_their_ids() {
    let picks: Vec<(&str, &str)> = PickStatus::ALL.iter().map(|s| (s.id(), s.label())).collect();
    assert_eq!(picks, [("drawn", "抽中"), ("declined", "已拒绝"), ("replacement", "递补")]);
    let draws: Vec<&str> = DrawStatus::ALL.iter().map(|s| s.id()).collect();
    assert_eq!(draws, ["committed", "drawn", "revealed"]);
    assert_eq!(DrawStatus::Drawn.label(), "已抽取，名单密封");
    for s in DrawStatus::ALL {
        assert_eq!(serde_json::to_string(s).expect("json"), format!("\"{}\"", s.id()));
        assert_eq!(s.id().parse::<DrawStatus>(), Ok(*s));
    }
    assert!("open".parse::<DrawStatus>().is_err(), "an unknown status is an error, never a default");
    assert!(serde_json::from_str::<PickStatus>("\"Drawn\"").is_err());
}
