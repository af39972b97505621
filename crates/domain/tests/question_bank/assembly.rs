//! E2, P2: provable assembly honours the blueprint, refuses a row the bank cannot fill, keeps a parallel
//! paper within the overlap cap, and re-derives from its record; every kind of tampering is named.

use proptest::prelude::*;

use super::*;

fn assert_honours_blueprint(r: &PaperRecord) {
    let ids = r.item_ids();
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), ids.len(), "no item twice: {ids:?}");
    assert_eq!(r.picks.len(), r.blueprint.rows.len());
    for (row, picks) in r.blueprint.rows.iter().zip(&r.picks) {
        assert_eq!(picks.item_ids.len(), row.count as usize);
        for id in &picks.item_ids {
            assert!(r.pool_item(*id).expect("in the pool").fits(row), "item {id} does not fit {row:?}");
        }
    }
}

#[test]
fn e2_a_paper_honours_its_blueprint_and_re_derives_from_its_record() {
    for alg in [HashAlg::Sha256, HashAlg::Sm3] {
        let a = example_a(alg);
        assert_honours_blueprint(&a);
        assert_eq!(verify_paper(&a), Ok(()));
        assert_eq!(a.purpose, "paper:7");
        assert_eq!(a.format, "kaohe-paper-v1");
        // Deterministic: the same seed gives the same paper; another seed (almost surely) another one.
        assert_eq!(example_a(alg), a);
        let seed = [9u8; 32];
        let mut other = PaperRecord::commit(7, alg, &example_blueprint(), &example_pool(), None, &seed, AT).unwrap();
        other.assemble(&seed, LATER).unwrap();
        assert_honours_blueprint(&other);
    }
}

#[test]
fn e2_the_seed_must_match_the_commitment_and_a_paper_is_assembled_once() {
    let seed = seed_from(1);
    let mut r =
        PaperRecord::commit(7, HashAlg::Sha256, &example_blueprint(), &example_pool(), None, &seed, AT).unwrap();
    assert_eq!(r.assemble(&[0u8; 32], LATER), Err(PaperError::SeedMismatch));
    assert!(r.picks.is_empty());
    r.assemble(&seed, LATER).unwrap();
    assert_eq!(r.assemble(&seed, LATER), Err(PaperError::AlreadyAssembled));
    assert_eq!(r.reveal(&[0u8; 32]), Err(PaperError::SeedMismatch));
    // Before the reveal the record does not verify yet; the sealed record says nothing of the paper.
    assert_eq!(verify_paper(&r), Err(PaperVerifyFailure::SeedNotRevealed));
    let sealed = r.sealed();
    assert!(sealed.picks.is_empty() && sealed.seed.is_none() && sealed.assembled_at.is_none());
    assert_eq!(sealed.commitment, r.commitment);
}

#[test]
fn e2_a_row_the_bank_cannot_fill_refuses_assembly_naming_the_row() {
    let blueprint = Blueprint::parse(&BlueprintInput {
        duration_minutes: 60,
        total_points: 31,
        rows: vec![row(1, "true_false", "easy", 1, 1), row(1, "single_choice", "medium", 5, 6)],
    })
    .unwrap();
    let e = PaperRecord::commit(7, HashAlg::Sm3, &blueprint, &example_pool(), None, &[1; 32], AT).unwrap_err();
    assert_eq!(e.to_string(), "第 2 行：工作任务 1 单项选择题（中）需要 5 道，题库仅有 3 道");

    // Items taken by an earlier row are not available to a later one.
    let blueprint = Blueprint::parse(&BlueprintInput {
        duration_minutes: 60,
        total_points: 5,
        rows: vec![row(1, "true_false", "easy", 2, 1), row(1, "true_false", "any", 3, 1)],
    })
    .unwrap();
    let e = PaperRecord::commit(7, HashAlg::Sm3, &blueprint, &example_pool(), None, &[1; 32], AT).unwrap_err();
    assert_eq!(e.to_string(), "第 2 行：工作任务 1 判断题（不限难度）需要 3 道，题库仅有 2 道");
}

#[test]
fn e2_a_parallel_paper_avoids_the_other_and_fills_from_it_only_when_a_row_lacks_items() {
    for alg in [HashAlg::Sha256, HashAlg::Sm3] {
        let a = example_a(alg);
        let b = example_b(alg);
        assert_honours_blueprint(&b);
        assert_eq!(verify_paper(&b), Ok(()));
        let a_ids = a.item_ids();
        // Rows 1 and 3 have enough items outside A: none of A's. Row 2 (3 items, A took 2) reuses one.
        assert!(b.picks[0].item_ids.iter().all(|id| !a_ids.contains(id)));
        assert!(b.picks[2].item_ids.iter().all(|id| !a_ids.contains(id)));
        let shared: Vec<i64> = b.picks[1].item_ids.iter().copied().filter(|id| a_ids.contains(id)).collect();
        assert_eq!(shared.len(), 1);
        assert_eq!(check_overlap(&b.picks.iter().map(|p| p.item_ids.clone()).collect::<Vec<_>>(), &a_ids, 20), Ok(1));
    }
}

#[test]
fn e2_a_parallel_paper_over_the_cap_is_refused_with_the_actual_share() {
    let a = example_a(HashAlg::Sha256);
    let parallel = |cap| Some(ParallelOf { paper_id: 7, item_ids: a.item_ids(), overlap_max_percent: cap });
    let e = PaperRecord::commit(8, HashAlg::Sha256, &example_blueprint(), &example_pool(), parallel(19), &[3; 32], AT)
        .unwrap_err();
    assert_eq!(e, PaperError::OverlapTooHigh { shared: 1, total: 5, max_percent: 19 });
    assert_eq!(e.to_string(), "平行卷与另一套试卷重复 1 道，占本卷 5 道的 20%，超过上限 19%，请先补充题库");
    assert!(
        PaperRecord::commit(8, HashAlg::Sha256, &example_blueprint(), &example_pool(), parallel(20), &[3; 32], AT)
            .is_ok()
    );
    assert_eq!(percent_text(1, 3), "33.3");
    assert_eq!(percent_text(2, 3), "66.7");
    assert_eq!(percent_text(0, 0), "0");
    // The policy that sets the cap.
    let def = domain::policy::def(domain::policy::keys::PARALLEL_OVERLAP_MAX_PERCENT).expect("policy");
    assert_eq!(
        (def.key, def.default, def.clause, def.assumption),
        ("qbank.parallel_overlap_max_percent", "20", "E2", true)
    );
}

#[test]
fn e2_verification_names_the_first_thing_tampered_with() {
    use PaperVerifyFailure as F;
    let good = example_b(HashAlg::Sha256);
    let check = |f: &dyn Fn(&mut PaperRecord), want: &dyn Fn(&PaperVerifyFailure) -> bool| {
        let mut r = good.clone();
        f(&mut r);
        let got = verify_paper(&r).expect_err("tampered");
        assert!(want(&got), "{got:?}");
        assert!(!got.to_string().is_ascii(), "Chinese: {got}");
    };
    check(&|r| r.format = "kaohe-paper-v0".into(), &|e| matches!(e, F::UnsupportedFormat(_)));
    check(&|r| r.hash_alg = "md5".into(), &|e| matches!(e, F::UnknownAlgorithm(_)));
    check(&|r| r.purpose = "paper:9".into(), &|e| *e == F::PurposeMismatch);
    check(&|r| r.blueprint.total_points = 41, &|e| matches!(e, F::BlueprintInvalid(_)));
    check(&|r| r.blueprint.duration_minutes = 120, &|e| matches!(e, F::BlueprintHashMismatch { .. }));
    check(&|r| r.pool.swap(0, 1), &|e| *e == F::PoolNotSorted);
    check(&|r| r.pool[0].difficulty = Difficulty::Hard, &|e| matches!(e, F::PoolHashMismatch { .. }));
    check(&|r| r.seed = None, &|e| *e == F::SeedNotRevealed);
    check(&|r| r.seed = Some("XYZ".into()), &|e| *e == F::MalformedSeed);
    check(&|r| r.seed = Some(hex::encode([7u8; 32])), &|e| *e == F::CommitmentMismatch);
    check(&|r| r.picks[1].row = 3, &|e| *e == F::PickRows);
    check(&|r| r.picks.pop().map_or((), drop), &|e| *e == F::PickRows);
    check(&|r| r.picks[1].item_ids.reverse(), &|e| matches!(e, F::PickMismatch { row: 2, .. }));
    check(&|r| r.parallel_of = None, &|e| matches!(e, F::PickMismatch { .. }));
    check(&|r| r.parallel_of.as_mut().unwrap().overlap_max_percent = 10, &|e| {
        *e == F::OverlapTooHigh { shared: 1, total: 5, max_percent: 10 }
    });
    let mismatch = {
        let mut r = good.clone();
        r.picks[1].item_ids.reverse();
        verify_paper(&r).unwrap_err().to_string()
    };
    assert!(mismatch.starts_with("第 2 行组卷结果不符：按种子重新组卷应为试题 "), "{mismatch}");
}

#[test]
fn e2_the_record_round_trips_through_json() {
    let b = example_b(HashAlg::Sm3);
    let json = serde_json::to_string(&b).unwrap();
    let back: PaperRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, b);
    assert_eq!(verify_paper(&back), Ok(()));
}

fn arb_pool() -> impl Strategy<Value = Vec<PoolItem>> {
    proptest::collection::vec((1u32..=2, 0usize..5, 0usize..3), 5..40).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (task, k, d))| item(i as i64 * 3 + 1, 1, task, ItemKind::ALL[k], Difficulty::ALL[d]))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever the bank and the seed: either the commit refuses (and then so would any seed), or the
    /// paper honours the blueprint and verifies; a parallel paper respects its cap.
    #[test]
    fn e2_any_bank_and_seed_give_a_paper_that_honours_the_blueprint_or_a_refusal(pool in arb_pool(), seed in any::<[u8; 32]>(), cap in 0u32..=100) {
        let blueprint = Blueprint::parse(&BlueprintInput {
            duration_minutes: 60,
            total_points: 12,
            rows: vec![row(1, "true_false", "easy", 1, 2), row(1, "true_false", "any", 2, 2), row(2, "single_choice", "any", 2, 3)],
        }).unwrap();
        let Ok(mut a) = PaperRecord::commit(1, HashAlg::Sha256, &blueprint, &pool, None, &seed, AT) else {
            prop_assert!(PaperRecord::commit(1, HashAlg::Sha256, &blueprint, &pool, None, &[0; 32], AT).is_err());
            return Ok(());
        };
        a.assemble(&seed, LATER).unwrap();
        a.reveal(&seed).unwrap();
        assert_honours_blueprint(&a);
        prop_assert_eq!(verify_paper(&a), Ok(()));
        let parallel = ParallelOf { paper_id: 1, item_ids: a.item_ids(), overlap_max_percent: cap };
        let seed_b = [seed[0] ^ 0xff; 32];
        if let Ok(mut b) = PaperRecord::commit(2, HashAlg::Sha256, &blueprint, &pool, Some(parallel.clone()), &seed_b, AT) {
            b.assemble(&seed_b, LATER).unwrap();
            b.reveal(&seed_b).unwrap();
            assert_honours_blueprint(&b);
            prop_assert_eq!(verify_paper(&b), Ok(()));
            let shared = b.item_ids().iter().filter(|id| parallel.item_ids.contains(id)).count();
            prop_assert!(shared * 100 <= cap as usize * 5);
        }
    }
}
