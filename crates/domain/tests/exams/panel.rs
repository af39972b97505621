//! E4: who may sit on a panel, whether a panel is legal, and proposals that never break a rule — each
//! rule refused with its reason, and a proptest over random populations checking every proposal against
//! the rules and every "no legal panel" against a brute-force search.

use domain::exams::*;
use proptest::prelude::*;
use time::Date;
use time::macros::date;

const STATION: i64 = 100;
const EXAM: Date = date!(2026 - 06 - 15);

fn assessor(id: i64) -> Assessor {
    Assessor {
        person_id: id,
        key: format!("p{id}"),
        name: format!("考评员{id}"),
        active: true,
        card_valid_until: date!(2028 - 12 - 31),
        projects: vec!["0001".into()],
        city: Some("430100".into()),
        employer: Some(1000 + id),
        past_employers: vec![],
        relatives: vec![],
    }
}

fn session() -> PanelSession {
    PanelSession {
        station_org_id: STATION,
        project_code: "0001".into(),
        first_day: EXAM,
        candidates: vec![
            PanelCandidate { key: "k1".into(), employer: Some(500), trainers: vec!["p77".into()] },
            PanelCandidate { key: "k2".into(), employer: None, trainers: vec![] },
        ],
        history: vec![],
        cities: vec![],
        spec_min_panel: 3,
    }
}

fn codes(r: &[MemberRefusal]) -> Vec<&'static str> {
    r.iter().map(MemberRefusal::code).collect()
}

#[test]
fn e4_a_member_is_refused_for_each_rule_with_its_reason() {
    let rules = PanelRules::default();
    let s = session();
    assert!(member_refusals(&assessor(1), &s, &rules).is_empty());
    type Change = Box<dyn Fn(&mut Assessor, &mut PanelSession)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|a, _| a.active = false), "ASSESSOR_INACTIVE"),
        (Box::new(|a, _| a.card_valid_until = date!(2026 - 06 - 14)), "ASSESSOR_CARD_EXPIRED"),
        (Box::new(|a, _| a.projects = vec!["0002".into()]), "ASSESSOR_NOT_QUALIFIED"),
        (Box::new(|_, s| s.cities = vec!["430200".into()]), "ASSESSOR_OUT_OF_REGION"),
        (Box::new(|a, s| (a.city, s.cities) = (None, vec!["430100".into()])), "ASSESSOR_OUT_OF_REGION"),
        (Box::new(|a, _| a.relatives = vec!["k2".into()]), "RECUSAL_RELATIVE"),
        (Box::new(|a, _| a.employer = Some(STATION)), "RECUSAL_STATION_EMPLOYER"),
        (Box::new(|a, _| a.past_employers = vec![STATION]), "RECUSAL_STATION_EMPLOYER"),
        (Box::new(|a, _| a.employer = Some(500)), "RECUSAL_CANDIDATE_EMPLOYER"),
        (Box::new(|a, _| a.past_employers = vec![500]), "RECUSAL_CANDIDATE_EMPLOYER"),
        // The same person (blind index p77) taught under another registry record: recused by the person.
        (Box::new(|a, _| a.key = "p77".into()), "RECUSAL_TRAINER"),
        (
            Box::new(|a, s| {
                s.history = (0..3)
                    .map(|i| PastPanel {
                        first_day: date!(2026 - 01 - 10) + time::Duration::days(i),
                        assessors: vec![a.person_id, 9],
                    })
                    .collect();
            }),
            "ROTATION_LIMIT",
        ),
    ];
    for (change, code) in cases {
        let (mut a, mut s) = (assessor(1), session());
        change(&mut a, &mut s);
        let r = member_refusals(&a, &s, &rules);
        assert_eq!(codes(&r), [code], "{r:?}");
        let detail = r[0].detail(&rules);
        assert!(!detail.is_empty() && !detail.is_ascii(), "a Chinese reason: {detail}");
    }
    // The card's last day is the exam day: still valid. Two panels in a row: still allowed (max 3).
    let mut a = assessor(1);
    a.card_valid_until = EXAM;
    let mut s = session();
    s.history = vec![PastPanel { first_day: date!(2026 - 01 - 10), assessors: vec![1] }; 2];
    assert!(member_refusals(&a, &s, &rules).is_empty());
    // The organizer's city is the region: an assessor of that city sits; the registry row's id alone
    // (77 as a person id) is not the trainer — the person's blind index is.
    let mut s2 = session();
    s2.cities = region_cities(PanelRegion::Organizer, &Organizer::City("430100".into()));
    assert!(member_refusals(&assessor(1), &s2, &rules).is_empty());
    assert!(member_refusals(&Assessor { person_id: 77, ..assessor(1) }, &s2, &rules).is_empty());
    // A break resets the count: served, skipped one, served twice.
    s.history = vec![
        PastPanel { first_day: date!(2026 - 01 - 10), assessors: vec![1] },
        PastPanel { first_day: date!(2026 - 02 - 10), assessors: vec![1] },
        PastPanel { first_day: date!(2026 - 03 - 10), assessors: vec![2] },
        PastPanel { first_day: date!(2026 - 04 - 10), assessors: vec![1] },
        PastPanel { first_day: date!(2026 - 05 - 10), assessors: vec![1] },
    ];
    assert_eq!(consecutive_at_station(1, &s.history), 2);
    // Every reason at once.
    let mut bad = assessor(1);
    bad.active = false;
    bad.employer = Some(STATION);
    assert_eq!(codes(&member_refusals(&bad, &session(), &rules)), ["ASSESSOR_INACTIVE", "RECUSAL_STATION_EMPLOYER"]);
}

#[test]
fn e4_a_panel_needs_its_size_a_head_a_supervisor_and_a_third_replaced() {
    let rules = PanelRules::default();
    let pool: Vec<Assessor> = (1..=6).map(assessor).collect();
    let sups = vec![
        Supervisor { person_id: 50, name: "督导甲".into(), active: true, employer: Some(900) },
        Supervisor { person_id: 51, name: "督导乙".into(), active: true, employer: Some(STATION) },
    ];
    let mut s = session();
    let ok = Panel { head: 1, assessors: vec![1, 2, 3], supervisor: Some(50) };
    assert_eq!(check_panel(&ok, &pool, &sups, &s, &rules), Ok(()));

    let problems = |p: &Panel, s: &PanelSession| -> Vec<&'static str> {
        check_panel(p, &pool, &sups, s, &rules).err().unwrap_or_default().iter().map(PanelProblem::code).collect()
    };
    assert_eq!(problems(&Panel { head: 1, assessors: vec![1, 2], supervisor: Some(50) }, &s), ["PANEL_TOO_SMALL"]);
    assert_eq!(
        problems(&Panel { head: 9, assessors: vec![1, 2, 3], supervisor: Some(50) }, &s),
        ["PANEL_HEAD_NOT_MEMBER"]
    );
    assert_eq!(problems(&Panel { head: 1, assessors: vec![1, 2, 3], supervisor: None }, &s), ["PANEL_NO_SUPERVISOR"]);
    assert_eq!(
        problems(&Panel { head: 1, assessors: vec![1, 2, 3], supervisor: Some(51) }, &s),
        ["RECUSAL_SUPERVISOR_STATION"]
    );
    assert_eq!(
        problems(&Panel { head: 1, assessors: vec![1, 2, 2, 3], supervisor: Some(50) }, &s),
        ["PANEL_DUPLICATE"]
    );
    // The specification may ask for more than the policy: 5.
    s.spec_min_panel = 5;
    assert_eq!(problems(&ok, &s), ["PANEL_TOO_SMALL"]);
    s.spec_min_panel = 3;
    // The previous panel was 1, 2, 3: at least one of them replaced (1/3 of 3, rounded up).
    s.history = vec![PastPanel { first_day: date!(2026 - 05 - 10), assessors: vec![1, 2, 3] }];
    assert_eq!(max_kept(&s, &rules), Some(2));
    assert_eq!(problems(&ok, &s), ["ROTATION_TOO_FEW_REPLACED"]);
    let e = check_panel(&ok, &pool, &sups, &s, &rules).expect_err("refused")[0].to_field_error(&rules);
    assert!(e.detail.contains("最多保留 2 人") && e.detail.contains("现保留 3 人"), "{}", e.detail);
    assert_eq!(
        check_panel(&Panel { head: 1, assessors: vec![1, 2, 4], supervisor: Some(50) }, &pool, &sups, &s, &rules),
        Ok(())
    );
    // A refused member names the person and every reason.
    let mut with_bad = pool.clone();
    with_bad[3].employer = Some(STATION);
    let e =
        check_panel(&Panel { head: 1, assessors: vec![1, 2, 4], supervisor: Some(50) }, &with_bad, &sups, &s, &rules)
            .expect_err("refused");
    assert_eq!(e[0].detail(&rules), "考评员考评员4不能选派：须回避：本人现在该考核站任职");
}

#[test]
fn e4_rules_read_from_policy_fractions() {
    assert_eq!(PanelRules::fraction("1/3"), Some((1, 3)));
    assert_eq!(PanelRules::fraction(" 2 / 5 "), Some((2, 5)));
    for bad in ["", "1", "3/2", "1/0", "a/b"] {
        assert_eq!(PanelRules::fraction(bad), None, "{bad}");
    }
}

#[test]
fn e4_no_legal_panel_counts_every_reason() {
    let rules = PanelRules::default();
    let mut pool: Vec<Assessor> = (1..=4).map(assessor).collect();
    pool[0].employer = Some(STATION);
    pool[1].projects.clear();
    let e = propose_assessors(&[1, 2, 3, 4], &pool, &session(), &rules).expect_err("only two legal");
    assert_eq!((e.need, e.fresh), (3, 2));
    let d = e.detail(&rules);
    assert!(
        d.contains("需要 3 名")
            && d.contains("只有 2 名")
            && d.contains("在考核站任职1 人")
            && d.contains("无本项目考评资格1 人"),
        "{d}"
    );
}

/// A random population: assessors with random qualification, employers, relatives, activity and card
/// dates; candidates with random employers and trainers; a random history at the station.
fn population() -> impl Strategy<Value = (Vec<Assessor>, PanelSession, PanelRules, Vec<usize>)> {
    let person = (any::<bool>(), 0u8..10, 0u8..6, 0u8..4, 0u8..8, any::<bool>(), 0u8..3);
    (
        prop::collection::vec(person, 3..10),
        prop::collection::vec((0u8..6, 0u8..12), 1..5),
        prop::collection::vec(prop::collection::vec(0usize..10, 0..5), 0..5),
        (2u32..5, 1u32..4, 1u32..4, 2u32..5),
        prop::collection::vec(any::<prop::sample::Index>(), 10),
        (0u8..3, prop::collection::vec(0u8..14, 0..3)),
    )
        .prop_map(|(people, cands, history, (min, spec_min, max_consecutive, den), shuffle, (region, extra))| {
            let pool: Vec<Assessor> = people
                .iter()
                .enumerate()
                .map(|(i, (active, emp, qual, rel, card, past_station, city))| {
                    let id = i64::try_from(i).unwrap_or(0) + 1;
                    Assessor {
                        person_id: id,
                        // Registry row ids and people differ: person id + 100 is the blind index.
                        key: format!("p{}", id + 100),
                        name: format!("考评员{id}"),
                        active: *active || *emp % 3 != 0,
                        card_valid_until: if *card == 0 { date!(2026 - 01 - 01) } else { date!(2028 - 01 - 01) },
                        projects: if *qual == 0 { vec![] } else { vec!["0001".into()] },
                        city: match city {
                            0 => Some("430100".into()),
                            1 => Some("430200".into()),
                            _ => Some("430300".into()),
                        },
                        employer: Some(match emp {
                            0 => STATION,
                            e => 500 + i64::from(*e),
                        }),
                        past_employers: if *past_station && *emp == 1 { vec![STATION] } else { vec![] },
                        relatives: if *rel == 0 { vec![format!("c{}", i % 4)] } else { vec![] },
                    }
                })
                .collect();
            let n = pool.len();
            let candidates = cands
                .iter()
                .enumerate()
                .map(|(j, (emp, trainer))| PanelCandidate {
                    key: format!("c{j}"),
                    employer: (*emp > 0).then(|| 500 + i64::from(*emp)),
                    // A trainer is one of the assessors (as a person) or someone outside the pool.
                    trainers: std::iter::once(*trainer)
                        .chain(extra.iter().copied().filter(|_| j == 0))
                        .map(|t| format!("p{}", i64::from(t) + 101))
                        .collect(),
                })
                .collect();
            let history = history
                .into_iter()
                .enumerate()
                .map(|(k, members)| {
                    let mut a: Vec<i64> =
                        members.into_iter().filter(|m| *m < n).map(|m| i64::try_from(m).unwrap_or(0) + 1).collect();
                    a.sort_unstable();
                    a.dedup();
                    PastPanel {
                        first_day: date!(2025 - 01 - 01) + time::Duration::days(i64::try_from(k).unwrap_or(0) * 30),
                        assessors: a,
                    }
                })
                .collect();
            let s = PanelSession {
                station_org_id: STATION,
                project_code: "0001".into(),
                first_day: EXAM,
                candidates,
                history,
                cities: match region {
                    0 => vec![],
                    1 => region_cities(PanelRegion::Organizer, &Organizer::City("430100".into())),
                    _ => vec!["430100".into(), "430200".into()],
                },
                spec_min_panel: spec_min,
            };
            let rules = PanelRules { min_assessors: min, max_consecutive, min_replaced: (1, den) };
            // A random order of the pool (Fisher–Yates with the sampled indexes).
            let mut order: Vec<usize> = (0..n).collect();
            for (i, idx) in shuffle.iter().enumerate().take(n).rev() {
                let j = idx.index(i + 1);
                order.swap(i, j);
            }
            (pool, s, rules, order)
        })
}

/// Whether any set of `need` assessors from the pool is legal (brute force over subsets; pools are
/// small).
fn some_legal_panel_exists(pool: &[Assessor], s: &PanelSession, rules: &PanelRules) -> bool {
    let need = usize::try_from(needed(s, rules)).unwrap_or(usize::MAX);
    let n = pool.len();
    (0u32..(1 << n)).filter(|m| usize::try_from(m.count_ones()).unwrap_or(0) == need).any(|mask| {
        let chosen: Vec<i64> = (0..n).filter(|i| mask & (1 << i) != 0).map(|i| pool[i].person_id).collect();
        check_assessors(chosen[0], &chosen, pool, s, rules).is_ok()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// E4: a proposed panel never breaks a rule; when none is proposed, none exists, and the refusal says
    /// how many are needed and how many there are.
    #[test]
    fn e4_a_proposed_panel_never_breaks_a_rule_and_a_refusal_means_none_exists((pool, s, rules, order) in population()) {
        let order: Vec<i64> = order.iter().map(|i| pool[*i].person_id).collect();
        match propose_assessors(&order, &pool, &s, &rules) {
            Ok((head, chosen)) => {
                prop_assert_eq!(head, chosen[0]);
                prop_assert_eq!(check_assessors(head, &chosen, &pool, &s, &rules), Ok(()));
                for id in &chosen {
                    prop_assert!(order.contains(id));
                    // Region and trainer recusal, checked here by their own words, not through the rules.
                    let a = pool.iter().find(|a| a.person_id == *id).expect("in the pool");
                    prop_assert!(s.cities.is_empty() || a.city.as_ref().is_some_and(|c| s.cities.contains(c)),
                        "{} drawn from outside {:?}", id, s.cities);
                    prop_assert!(!s.candidates.iter().any(|c| c.trainers.contains(&a.key)),
                        "{} taught a candidate", id);
                }
            }
            Err(e) => {
                prop_assert!(!some_legal_panel_exists(&pool, &s, &rules), "a legal panel exists but none was proposed: {:?}", e);
                let d = e.detail(&rules);
                let want = format!("需要 {} 名", needed(&s, &rules));
                prop_assert!(d.contains(&want), "{}", d);
            }
        }
    }
}
