//! Eligibility and recusal (S4, E4, P5): every rule names its reason, in the documented order.

use super::*;

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
    assert_eq!(e.excluded[0].reason.code(), ExclusionCode::EmployedByApplicant);
    assert_eq!(e.excluded[0].reason.code().id(), "EMPLOYED_BY_APPLICANT");
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
    assert_eq!(reason.code().id(), "FORMERLY_EMPLOYED_BY_APPLICANT");
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
        assert_eq!(want.code(), ExclusionCode::ALL[i], "the codes are in rule order");
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
    let ids: Vec<&str> = ExclusionCode::ALL.iter().map(|c| c.id()).collect();
    assert_eq!(
        ids,
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
    for code in ExclusionCode::ALL {
        let text = code.label();
        assert_eq!(ExclusionCode::parse(code.id()), Some(*code));
        assert_eq!(serde_json::to_string(code).expect("json"), format!("\"{code}\""), "stored as its code");
        assert!(text.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)), "{code}: {text}");
        assert!(DRAWS_MD.contains(&format!("`{code}`")), "docs/DRAWS.md must name {code}");
        assert!(DRAWS_MD.contains(text), "docs/DRAWS.md must give the text {text}");
    }
    assert_eq!(ExclusionCode::parse("NOPE"), None);
    assert!("inactive".parse::<ExclusionCode>().is_err(), "codes are exact");
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
    let excluded: Vec<(i64, &str)> = e.excluded.iter().map(|x| (x.expert_id, x.reason.code().id())).collect();
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
            excluded_by_reason: vec![(ExclusionCode::DeclaredConflict, 1), (ExclusionCode::SameCityAsApplicant, 4)]
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
