//! Station filing (S1–S5): the whole transition table (every state × every event), a city-routed and a
//! province-routed path, return and resubmission, suspension and revocation, the S3 plan lead around the
//! 2026 National Day holiday and into the unloaded year 2027, the S4 findings and group conclusion, S5
//! institution codes, and the annex-1 application with every kind of bad field.

use domain::calendar::{Calendar, CalendarError};
use domain::ids::RegionCode;
use domain::org::Nature;
use domain::policy::{def, keys};
use domain::stations::{
    Actor, ApplicantCategory, ApplicationInput, AssessorInput, Conclusion, ConditionInput, DEFAULT_MIN_ASSESSORS,
    DeadlineRule, EVALUATION_DATE_FIELD, EvaluationMethod, FacilityInput, FilingApplication, FilingEvent,
    FilingEventKind, FilingState, FindingInput, FindingsInput, MAX_ROWS, MaterialKind, MemberFindings, Office,
    PlanTiming, REASON_MAX_CHARS, Receiver, RuleError, S1Condition, allowed_event_kinds, allowed_events,
    check_materials, check_plan_lead, deadline_rule, group_conclusion, institution_code, institution_code_for_year,
    latest_plan_submission_day, next_actor, route, todo, todo_text, transition, waiting_on,
};
use domain::{FieldError, FieldErrors};
use time::macros::date;
use time::{Date, Duration};

// ---- the transition table ------------------------------------------------------------------------------

/// Every event with sample data: a decision both ways, reasons that are long enough.
fn sample_events() -> Vec<FilingEvent> {
    vec![
        FilingEvent::Submit,
        FilingEvent::Return { reason: "缺少场地清单".into() },
        FilingEvent::Accept,
        FilingEvent::SubmitPlan,
        FilingEvent::ApprovePlan,
        FilingEvent::ReturnPlan { reason: "评估方式不全".into() },
        FilingEvent::DrawGroup,
        FilingEvent::CompleteEvaluation,
        FilingEvent::Decide { approve: true },
        FilingEvent::Decide { approve: false },
        FilingEvent::Suspend { reason: "考务违规，待调查".into() },
        FilingEvent::Reinstate,
        FilingEvent::Revoke { reason: "经查实存在严重违规".into() },
    ]
}

/// The table written out independently of the module: (state, event, next state). Every pair not listed
/// is refused.
fn expected_table() -> Vec<(FilingState, FilingEvent, FilingState)> {
    use FilingEvent as E;
    use FilingState as S;
    let events = sample_events();
    let ev = |i: usize| events[i].clone();
    vec![
        (S::Draft, E::Submit, S::Submitted),
        (S::Submitted, ev(1), S::Returned),
        (S::Submitted, E::Accept, S::Accepted),
        (S::Returned, E::Submit, S::Submitted),
        (S::Accepted, E::SubmitPlan, S::PlanSubmitted),
        (S::PlanSubmitted, E::ApprovePlan, S::PlanApproved),
        (S::PlanSubmitted, ev(5), S::Accepted),
        (S::PlanApproved, E::DrawGroup, S::GroupDrawn),
        (S::GroupDrawn, E::CompleteEvaluation, S::Evaluated),
        (S::Evaluated, E::Decide { approve: true }, S::Filed),
        (S::Evaluated, E::Decide { approve: false }, S::Rejected),
        (S::Filed, ev(10), S::Suspended),
        (S::Filed, ev(12), S::Revoked),
        (S::Suspended, E::Reinstate, S::Filed),
        (S::Suspended, ev(12), S::Revoked),
    ]
}

#[test]
fn s2_s5_every_state_and_event_follows_the_table() {
    let table = expected_table();
    let mut allowed = 0;
    let mut refused = 0;
    for state in FilingState::ALL {
        for event in sample_events() {
            let expected = table.iter().find(|(s, e, _)| s == state && *e == event).map(|(_, _, n)| *n);
            match (transition(*state, &event), expected) {
                (Ok(next), Some(want)) => {
                    assert_eq!(next, want, "{} + {}", state.id(), event.id());
                    allowed += 1;
                }
                (Err(err), None) => {
                    let want = if state.is_terminal() { "FILING_CLOSED" } else { "FILING_EVENT_NOT_ALLOWED" };
                    assert_eq!(err.code(), want, "{} + {}", state.id(), event.id());
                    assert_eq!(err.field(), "event");
                    assert!(err.detail().contains(state.label()), "{}", err.detail());
                    assert!(err.detail().contains(event.kind().label()), "{}", err.detail());
                    refused += 1;
                }
                (got, want) => panic!("{} + {}: got {got:?}, want {want:?}", state.id(), event.id()),
            }
        }
    }
    assert_eq!(allowed, table.len());
    assert_eq!(allowed + refused, FilingState::ALL.len() * sample_events().len());
}

#[test]
fn s2_s5_allowed_events_list_exactly_the_table() {
    let table = expected_table();
    for state in FilingState::ALL {
        let mut want: Vec<&str> = Vec::new();
        for kind in FilingEventKind::ALL {
            if table.iter().any(|(s, e, _)| s == state && e.kind() == *kind) {
                want.push(kind.id());
            }
        }
        assert_eq!(allowed_events(*state), want, "{}", state.id());
        assert_eq!(allowed_event_kinds(*state).len(), want.len());
        assert_eq!(allowed_events(*state).is_empty(), state.is_terminal(), "{}", state.id());
    }
    assert_eq!(allowed_events(FilingState::Submitted), vec!["return", "accept"]);
    assert_eq!(allowed_events(FilingState::Suspended), vec!["reinstate", "revoke"]);
}

#[test]
fn s3_a_refusal_names_the_state_and_what_is_allowed() {
    let err = transition(FilingState::Accepted, &FilingEvent::Submit).expect_err("not allowed");
    assert_eq!(err, RuleError::NotAllowed { state: FilingState::Accepted, event: FilingEventKind::Submit });
    assert_eq!(err.detail(), "当前状态为“已受理”，不能执行“提交备案申请”；此状态下只能执行“上报评估方案”");
    let fe: FieldError = err.into();
    assert_eq!((fe.field.as_str(), fe.code), ("event", "FILING_EVENT_NOT_ALLOWED"));

    let err = transition(FilingState::Submitted, &FilingEvent::DrawGroup).expect_err("not allowed");
    assert!(err.detail().ends_with("此状态下只能执行“退回备案申请”或“受理备案申请”"), "{}", err.detail());

    let err = transition(FilingState::Revoked, &FilingEvent::Reinstate).expect_err("closed");
    assert_eq!(err.code(), "FILING_CLOSED");
    assert_eq!(err.detail(), "当前状态为“已撤销”，备案流程已结束，不能再执行“恢复备案”");
    let errors: FieldErrors = transition(FilingState::Rejected, &FilingEvent::Submit).expect_err("closed").into();
    assert_eq!(errors.0[0].code, "FILING_CLOSED");
}

#[test]
fn s3_returns_suspensions_and_revocations_need_a_reason() {
    let with = |kind: FilingEventKind, reason: &str| match kind {
        FilingEventKind::Return => FilingEvent::Return { reason: reason.into() },
        FilingEventKind::ReturnPlan => FilingEvent::ReturnPlan { reason: reason.into() },
        FilingEventKind::Suspend => FilingEvent::Suspend { reason: reason.into() },
        _ => FilingEvent::Revoke { reason: reason.into() },
    };
    let cases = [
        (FilingState::Submitted, FilingEventKind::Return),
        (FilingState::PlanSubmitted, FilingEventKind::ReturnPlan),
        (FilingState::Filed, FilingEventKind::Suspend),
        (FilingState::Suspended, FilingEventKind::Revoke),
    ];
    for (state, kind) in cases {
        assert!(kind.needs_reason());
        for bad in ["", "   ", "缺", " 缺 "] {
            let err = transition(state, &with(kind, bad)).expect_err("reason too short");
            assert_eq!(err, RuleError::ReasonRequired { event: kind }, "{} {bad:?}", kind.id());
            assert_eq!(err.field(), "reason");
            assert!(err.detail().contains(kind.label()) && err.detail().contains("至少 2 个字"), "{}", err.detail());
        }
        assert!(transition(state, &with(kind, "缺件")).is_ok(), "{}", kind.id());
        let long = "长".repeat(REASON_MAX_CHARS + 1);
        assert_eq!(transition(state, &with(kind, &long)).map_err(|e| e.code()), Err("FILING_REASON_TOO_LONG"));
    }
    let with_reason: Vec<_> = FilingEventKind::ALL.iter().filter(|k| k.needs_reason()).collect();
    assert_eq!(with_reason.len(), 4);
    // The state is checked before the reason: a reasonless return of a draft is refused for its state.
    let err = transition(FilingState::Draft, &FilingEvent::Return { reason: String::new() }).expect_err("state");
    assert_eq!(err.code(), "FILING_EVENT_NOT_ALLOWED");
}

#[test]
fn s2_s5_events_build_from_api_parts() {
    assert_eq!(FilingEvent::from_parts("accept", "", None), Ok(FilingEvent::Accept));
    assert_eq!(
        FilingEvent::from_parts(" return ", " 缺少名册 ", None),
        Ok(FilingEvent::Return { reason: "缺少名册".into() })
    );
    assert_eq!(FilingEvent::from_parts("decide", "", Some(false)), Ok(FilingEvent::Decide { approve: false }));
    assert_eq!(FilingEvent::from_parts("decide", "", None), Err(RuleError::DecisionMissing));
    assert_eq!(RuleError::DecisionMissing.field(), "approve");
    let err = FilingEvent::from_parts("approve", "", None).expect_err("unknown");
    assert_eq!((err.code(), err.field()), ("FILING_EVENT_UNKNOWN", "event"));
    assert!(err.detail().contains("approve"));
    for kind in FilingEventKind::ALL {
        let event = FilingEvent::from_parts(kind.id(), "理由充分", Some(true)).expect("every kind builds");
        assert_eq!(event.kind(), *kind);
        assert_eq!(event.id(), kind.id());
        assert_eq!(FilingEventKind::parse(kind.id()), Some(*kind));
    }
    assert_eq!(FilingEvent::Decide { approve: true }.label(), "准予备案");
    assert_eq!(FilingEvent::Decide { approve: false }.label(), "不予备案");
    let json = serde_json::to_string(&FilingEvent::Suspend { reason: "整改".into() }).expect("json");
    assert_eq!(json, r#"{"kind":"suspend","reason":"整改"}"#);
}

#[test]
fn s2_s5_every_event_has_its_actor() {
    use FilingEventKind as K;
    let want = [
        (K::Submit, Actor::Applicant),
        (K::Return, Actor::ReceivingCenter),
        (K::Accept, Actor::ReceivingCenter),
        (K::SubmitPlan, Actor::ReceivingCenter),
        (K::ApprovePlan, Actor::Province),
        (K::ReturnPlan, Actor::Province),
        (K::DrawGroup, Actor::Province),
        (K::CompleteEvaluation, Actor::EvaluationGroup),
        (K::Decide, Actor::Province),
        (K::Suspend, Actor::Province),
        (K::Reinstate, Actor::Province),
        (K::Revoke, Actor::Province),
    ];
    assert_eq!(want.len(), K::ALL.len());
    for (kind, actor) in want {
        assert_eq!(kind.actor(), actor, "{}", kind.id());
    }
    assert_eq!(Actor::ReceivingCenter.office(Receiver::City), Office::CityCenter);
    assert_eq!(Actor::ReceivingCenter.office(Receiver::Province), Office::ProvinceCenter);
    assert_eq!(Actor::Province.office(Receiver::City), Office::ProvinceCenter);
}

// ---- routing and paths ---------------------------------------------------------------------------------

#[test]
fn s2_employers_and_schools_go_to_their_city_the_provincial_bodies_to_the_province() {
    use ApplicantCategory as C;
    let want = [
        (C::Employer, Receiver::City),
        (C::TechnicalSchool, Receiver::City),
        (C::VocationalSchool, Receiver::City),
        (C::OtherUnit, Receiver::City),
        (C::ProvincialDepartment, Receiver::Province),
        (C::ProvincialTradeBody, Receiver::Province),
        (C::CentralEnterprise, Receiver::Province),
        (C::ProvincialEnterprise, Receiver::Province),
    ];
    assert_eq!(want.len(), C::ALL.len());
    for (category, receiver) in want {
        assert_eq!(route(category), receiver, "{}", category.label());
        assert_eq!(C::parse(category.id()), Some(category));
    }
    assert_eq!(C::Employer.label(), "用人单位（企业）");
    assert_eq!(C::CentralEnterprise.label(), "中央在湘企业");
    let county = RegionCode::parse("430104").expect("岳麓区");
    assert_eq!(Receiver::City.center_region(&county).map(|r| r.to_string()).as_deref(), Some("430100"));
    assert_eq!(Receiver::Province.center_region(&county), Some(RegionCode::hunan_province()));
}

/// Walk `events` from a draft, checking the office whose turn it is before each step.
fn walk(route: Receiver, steps: &[(FilingEvent, Office)]) -> FilingState {
    let mut state = FilingState::Draft;
    for (event, office) in steps {
        assert_eq!(next_actor(state, route), Some(*office), "{} before {}", state.id(), event.id());
        assert_eq!(event.actor().office(route), *office, "{}", event.id());
        state = transition(state, event).unwrap_or_else(|e| panic!("{}: {e}", event.id()));
    }
    state
}

#[test]
fn s2_s5_a_city_routed_applicant_is_filed() {
    let route = route(ApplicantCategory::VocationalSchool);
    assert_eq!(route, Receiver::City);
    let state = walk(
        route,
        &[
            (FilingEvent::Submit, Office::Applicant),
            (FilingEvent::Accept, Office::CityCenter),
            (FilingEvent::SubmitPlan, Office::CityCenter),
            (FilingEvent::ApprovePlan, Office::ProvinceCenter),
            (FilingEvent::DrawGroup, Office::ProvinceCenter),
            (FilingEvent::CompleteEvaluation, Office::EvaluationGroup),
            (FilingEvent::Decide { approve: true }, Office::ProvinceCenter),
        ],
    );
    assert_eq!(state, FilingState::Filed);
    assert!(state.is_public());
    assert_eq!(next_actor(state, route), None);
    assert_eq!(todo(state, route), None);
}

#[test]
fn s2_s5_a_province_routed_applicant_is_received_by_the_province() {
    let route = route(ApplicantCategory::ProvincialEnterprise);
    assert_eq!(route, Receiver::Province);
    let state = walk(
        route,
        &[
            (FilingEvent::Submit, Office::Applicant),
            (FilingEvent::Accept, Office::ProvinceCenter),
            (FilingEvent::SubmitPlan, Office::ProvinceCenter),
            (FilingEvent::ApprovePlan, Office::ProvinceCenter),
            (FilingEvent::DrawGroup, Office::ProvinceCenter),
            (FilingEvent::CompleteEvaluation, Office::EvaluationGroup),
            (FilingEvent::Decide { approve: false }, Office::ProvinceCenter),
        ],
    );
    assert_eq!(state, FilingState::Rejected);
    assert!(!state.is_public() && state.is_terminal());
    assert_eq!(next_actor(state, route), None);
}

#[test]
fn s3_a_returned_application_is_edited_and_resubmitted() {
    let route = Receiver::City;
    let mut state = transition(FilingState::Draft, &FilingEvent::Submit).expect("submit");
    assert!(!state.is_editable());
    state = transition(state, &FilingEvent::Return { reason: "请补充考评人员资质证明".into() }).expect("return");
    assert_eq!(state, FilingState::Returned);
    assert!(state.is_editable());
    assert_eq!(next_actor(state, route), Some(Office::Applicant));
    assert_eq!(todo_text(state), Some("按退回意见修改并重新提交备案申请"));
    state = transition(state, &FilingEvent::Submit).expect("resubmit");
    assert_eq!(state, FilingState::Submitted);
    assert_eq!(next_actor(state, route), Some(Office::CityCenter));
    state = transition(state, &FilingEvent::Accept).expect("accept");
    assert_eq!(state, FilingState::Accepted);
}

#[test]
fn s3_a_returned_plan_goes_back_to_the_receiving_center() {
    let state = transition(FilingState::PlanSubmitted, &FilingEvent::ReturnPlan { reason: "缺少现场考察安排".into() })
        .expect("return plan");
    assert_eq!(state, FilingState::Accepted);
    assert_eq!(next_actor(state, Receiver::City), Some(Office::CityCenter));
    assert_eq!(next_actor(state, Receiver::Province), Some(Office::ProvinceCenter));
    assert_eq!(transition(state, &FilingEvent::SubmitPlan), Ok(FilingState::PlanSubmitted));
}

#[test]
fn s5_suspension_and_revocation_take_the_station_off_the_directory() {
    let suspended =
        transition(FilingState::Filed, &FilingEvent::Suspend { reason: "考务违规，暂停整改".into() }).expect("suspend");
    assert_eq!(suspended, FilingState::Suspended);
    assert!(!suspended.is_public());
    assert_eq!(waiting_on(suspended), Some(Actor::Province));
    assert_eq!(transition(suspended, &FilingEvent::Reinstate), Ok(FilingState::Filed));
    let revoked = transition(suspended, &FilingEvent::Revoke { reason: "整改不到位".into() }).expect("revoke");
    assert_eq!(revoked, FilingState::Revoked);
    assert!(!revoked.is_public() && revoked.is_terminal());
    assert!(allowed_events(revoked).is_empty());
    let public: Vec<_> = FilingState::ALL.iter().filter(|s| s.is_public()).collect();
    assert_eq!(public, vec![&FilingState::Filed]);
}

#[test]
fn s3_s4_every_open_state_has_a_todo_and_only_the_plan_has_a_deadline() {
    let want = [
        (FilingState::Draft, Some("填写并提交备案申请")),
        (FilingState::Submitted, Some("受理备案申请")),
        (FilingState::Returned, Some("按退回意见修改并重新提交备案申请")),
        (FilingState::Accepted, Some("制定并上报评估方案")),
        (FilingState::PlanSubmitted, Some("审核评估方案")),
        (FilingState::PlanApproved, Some("抽取专家评议组")),
        (FilingState::GroupDrawn, Some("填写评估意见")),
        (FilingState::Evaluated, Some("作出备案决定")),
        (FilingState::Filed, None),
        (FilingState::Rejected, None),
        (FilingState::Suspended, Some("处理暂停备案的考核站（恢复或撤销备案）")),
        (FilingState::Revoked, None),
    ];
    assert_eq!(want.len(), FilingState::ALL.len());
    for (state, text) in want {
        assert_eq!(todo_text(state), text, "{}", state.id());
        assert_eq!(waiting_on(state).is_some(), text.is_some(), "{}", state.id());
        let t = todo(state, Receiver::City);
        assert_eq!(t.map(|t| t.text), text);
        // Whoever must act next can act: some allowed event is theirs.
        if let Some(actor) = waiting_on(state) {
            assert!(allowed_event_kinds(state).iter().any(|k| k.actor() == actor), "{}", state.id());
        }
    }
    let rule = DeadlineRule::WorkingDaysBeforeEvaluation { policy_key: keys::EVALUATION_PLAN_LEAD_DAYS, clause: "S3" };
    assert_eq!(deadline_rule(FilingState::Accepted), Some(rule));
    assert_eq!(todo(FilingState::Accepted, Receiver::City).and_then(|t| t.deadline), Some(rule));
    for state in FilingState::ALL.iter().filter(|s| **s != FilingState::Accepted) {
        assert_eq!(deadline_rule(*state), None, "{}", state.id());
    }
    assert!(def(keys::EVALUATION_PLAN_LEAD_DAYS).is_some());
}

#[test]
fn s2_s5_state_ids_round_trip() {
    for s in FilingState::ALL {
        assert_eq!(FilingState::parse(s.id()), Some(*s));
        let json = serde_json::to_string(s).expect("json");
        assert_eq!(json, format!("\"{}\"", s.id()));
    }
    assert_eq!(FilingState::ALL.len(), 12);
    assert_eq!(FilingState::parse("plan_rejected"), None);
}

// ---- S3: plan timing -----------------------------------------------------------------------------------

const LEAD: u32 = 10;

fn too_late(latest: Date, earliest: Date) -> Result<(), PlanTiming> {
    Err(PlanTiming::TooLate {
        latest_submission_day: latest,
        earliest_evaluation_date: earliest,
        lead_working_days: LEAD,
    })
}

#[test]
fn s3_plan_lead_table_around_the_2026_national_day_holiday() {
    let cal = Calendar::embedded();
    // (submitted, evaluation, expected). 2026: 中秋 09-25..27, 国庆 10-01..07, make-up days 09-20 (Sun)
    // and 10-10 (Sat).
    let cases: Vec<(Date, Date, Result<(), PlanTiming>)> = vec![
        // 09-30, 10-08, 10-09, 10-10, 10-12 … 10-16, 10-19: the tenth working day is 10-19.
        (date!(2026 - 09 - 29), date!(2026 - 10 - 19), Ok(())),
        (date!(2026 - 09 - 29), date!(2026 - 10 - 20), Ok(())),
        (date!(2026 - 09 - 29), date!(2026 - 10 - 16), too_late(date!(2026 - 09 - 28), date!(2026 - 10 - 19))),
        // An evaluation on Sunday 10-18 needs the plan by the same day as one on Friday 10-16.
        (date!(2026 - 09 - 29), date!(2026 - 10 - 18), too_late(date!(2026 - 09 - 28), date!(2026 - 10 - 19))),
        (date!(2026 - 09 - 28), date!(2026 - 10 - 16), Ok(())),
        // Submitted during the holiday: counting starts after it.
        (date!(2026 - 10 - 03), date!(2026 - 10 - 20), Ok(())),
        (date!(2026 - 10 - 03), date!(2026 - 10 - 19), too_late(date!(2026 - 09 - 29), date!(2026 - 10 - 20))),
        // Submitted on the make-up Saturday 10-10: 10-12 … 10-16, 10-19 … 10-23.
        (date!(2026 - 10 - 10), date!(2026 - 10 - 23), Ok(())),
        (date!(2026 - 10 - 10), date!(2026 - 10 - 22), too_late(date!(2026 - 10 - 09), date!(2026 - 10 - 23))),
        // Across 中秋: 09-28, 09-29, 09-30, 10-08, 10-09, 10-10, 10-12 … 10-15.
        (date!(2026 - 09 - 24), date!(2026 - 10 - 15), Ok(())),
        (date!(2026 - 09 - 24), date!(2026 - 10 - 14), too_late(date!(2026 - 09 - 23), date!(2026 - 10 - 15))),
        // An evaluation on a holiday: the lead counts to the last working day before it (09-30).
        (date!(2026 - 09 - 29), date!(2026 - 10 - 05), too_late(date!(2026 - 09 - 16), date!(2026 - 10 - 19))),
    ];
    for (submitted, evaluation, want) in cases {
        assert_eq!(check_plan_lead(&cal, submitted, evaluation, LEAD), want, "{submitted} → {evaluation}");
    }
}

#[test]
fn s3_plan_reported_nine_working_days_ahead_is_refused() {
    let cal = Calendar::embedded();
    assert_eq!(cal.working_days_between(date!(2026 - 09 - 29), date!(2026 - 10 - 16)), Ok(9));
    let err = check_plan_lead(&cal, date!(2026 - 09 - 29), date!(2026 - 10 - 16), LEAD).expect_err("9 days");
    assert_eq!(err.code(), "EVALUATION_PLAN_TOO_LATE");
    let fe = err.to_field_error();
    assert_eq!(fe.field, EVALUATION_DATE_FIELD);
    assert_eq!(fe.field, "evaluation_date");
    assert_eq!(fe.code, "EVALUATION_PLAN_TOO_LATE");
    assert!(fe.detail.contains("2026-10-19"), "{}", fe.detail);
    assert!(fe.detail.contains("2026-09-28"), "{}", fe.detail);
    assert!(fe.detail.contains("10 个工作日"), "{}", fe.detail);
    assert_eq!(err.to_string(), fe.detail);
}

#[test]
fn s3_plan_reported_ten_working_days_ahead_is_accepted() {
    let cal = Calendar::embedded();
    assert_eq!(cal.working_days_between(date!(2026 - 09 - 29), date!(2026 - 10 - 19)), Ok(10));
    assert_eq!(check_plan_lead(&cal, date!(2026 - 09 - 29), date!(2026 - 10 - 19), LEAD), Ok(()));
    assert_eq!(latest_plan_submission_day(&cal, date!(2026 - 10 - 19), LEAD), Ok(date!(2026 - 09 - 29)));
}

#[test]
fn s3_the_latest_day_and_the_earliest_date_are_exact_for_every_pair_in_autumn_2026() {
    let cal = Calendar::embedded();
    let mut refused = 0;
    let start = date!(2026 - 09 - 01);
    for s in 0..80 {
        let submitted = start + Duration::days(s);
        for gap in 1..30 {
            let evaluation = submitted + Duration::days(gap);
            match check_plan_lead(&cal, submitted, evaluation, LEAD) {
                Ok(()) => {}
                Err(PlanTiming::TooLate { latest_submission_day, earliest_evaluation_date, .. }) => {
                    refused += 1;
                    // The earliest date is accepted, the day before it is not.
                    assert_eq!(check_plan_lead(&cal, submitted, earliest_evaluation_date, LEAD), Ok(()));
                    let before = earliest_evaluation_date - Duration::days(1);
                    assert!(check_plan_lead(&cal, submitted, before, LEAD).is_err(), "{submitted} {before}");
                    // The latest day is a working day from which the evaluation is in time; the next
                    // working day after it is too late, and so is the actual submission day.
                    assert_eq!(cal.is_working_day(latest_submission_day), Ok(true));
                    assert_eq!(check_plan_lead(&cal, latest_submission_day, evaluation, LEAD), Ok(()));
                    let next = cal.add_working_days(latest_submission_day, 1).expect("2026");
                    assert!(check_plan_lead(&cal, next, evaluation, LEAD).is_err(), "{next} {evaluation}");
                    assert!(latest_submission_day < submitted);
                }
                Err(other) => panic!("{submitted} {evaluation}: {other:?}"),
            }
        }
    }
    assert!(refused > 500, "{refused}");
}

#[test]
fn s3_an_evaluation_not_after_the_submission_is_refused() {
    let cal = Calendar::embedded();
    for evaluation in [date!(2026 - 10 - 12), date!(2026 - 10 - 09)] {
        let err = check_plan_lead(&cal, date!(2026 - 10 - 12), evaluation, LEAD).expect_err("not after");
        assert_eq!(
            err,
            PlanTiming::NotAfterSubmission { submitted_on: date!(2026 - 10 - 12), evaluation_date: evaluation }
        );
        let fe = err.to_field_error();
        assert_eq!((fe.field.as_str(), fe.code), ("evaluation_date", "EVALUATION_DATE_NOT_AFTER_SUBMISSION"));
        assert!(fe.detail.contains("2026-10-12"), "{}", fe.detail);
    }
}

#[test]
fn s3_a_plan_reaching_into_2027_reports_the_unloaded_year() {
    let cal = Calendar::embedded();
    let err = check_plan_lead(&cal, date!(2026 - 12 - 21), date!(2027 - 01 - 15), LEAD).expect_err("2027");
    assert_eq!(err, PlanTiming::Calendar(CalendarError::UnknownYear(2027)));
    assert_eq!(err.code(), "CALENDAR_YEAR_UNKNOWN");
    let fe = err.to_field_error();
    assert_eq!((fe.field.as_str(), fe.code), ("evaluation_date", "CALENDAR_YEAR_UNKNOWN"));
    assert_eq!(fe.detail, "2027 年节假日安排尚未录入");
    // A lead whose count runs into 2027 cannot be judged either.
    let err = check_plan_lead(&cal, date!(2026 - 12 - 28), date!(2027 - 01 - 04), LEAD).expect_err("2027");
    assert_eq!(err.code(), "CALENDAR_YEAR_UNKNOWN");
    // Ten working days that all lie in 2026 need no 2027 arrangement.
    assert_eq!(check_plan_lead(&cal, date!(2026 - 11 - 02), date!(2027 - 01 - 20), LEAD), Ok(()));
    // Once 2027 is entered, the same plan is judged.
    let mut cal = cal;
    cal.set_year(2027, Default::default()).expect("a year without holidays");
    assert!(check_plan_lead(&cal, date!(2026 - 12 - 21), date!(2027 - 01 - 15), LEAD).is_ok());
}

#[test]
fn s3_the_lead_is_policy_not_a_constant() {
    let cal = Calendar::embedded();
    let policy = def(keys::EVALUATION_PLAN_LEAD_DAYS).expect("defined");
    assert_eq!(policy.default, "10");
    assert_eq!(check_plan_lead(&cal, date!(2026 - 09 - 30), date!(2026 - 10 - 08), 1), Ok(()));
    assert_eq!(
        check_plan_lead(&cal, date!(2026 - 09 - 29), date!(2026 - 10 - 16), 9),
        Ok(()),
        "nine working days suffice under a nine-day policy"
    );
    let err = check_plan_lead(&cal, date!(2026 - 09 - 29), date!(2026 - 10 - 19), 11).expect_err("11");
    assert!(err.to_string().contains("11 个工作日"), "{err}");
}

// ---- S4: findings and the group's conclusion -----------------------------------------------------------

fn findings_input() -> FindingsInput {
    FindingsInput {
        findings: EvaluationMethod::ALL
            .iter()
            .rev()
            .map(|m| FindingInput { method: m.id().into(), text: format!("{}情况良好", m.label()) })
            .collect(),
        conclusion: "pass".into(),
        comment: "  同意备案  ".into(),
    }
}

#[test]
fn s4_a_member_records_all_six_methods_and_a_conclusion() {
    let f = MemberFindings::parse(&findings_input()).expect("valid");
    let methods: Vec<_> = f.findings().iter().map(|(m, _)| *m).collect();
    assert_eq!(methods, EvaluationMethod::ALL.to_vec(), "stored in the clause's order");
    assert_eq!(f.finding(EvaluationMethod::SiteVisit), "现场考察情况良好");
    assert_eq!(f.conclusion(), Conclusion::Pass);
    assert_eq!(f.comment(), Some("同意备案"));
    let labels: Vec<_> = EvaluationMethod::ALL.iter().map(|m| m.label()).collect();
    assert_eq!(labels, ["听取报告", "文件审核", "技术抽查", "访谈咨询", "质询答辩", "现场考察"]);

    let mut no_comment = findings_input();
    no_comment.comment = "   ".into();
    assert_eq!(MemberFindings::parse(&no_comment).expect("valid").comment(), None);
}

#[test]
fn s4_a_missing_or_short_finding_or_conclusion_is_refused() {
    type Case = (&'static str, fn(&mut FindingsInput), &'static str, &'static str);
    let cases: Vec<Case> = vec![
        (
            "missing method",
            |f| f.findings.retain(|x| x.method != "site_visit"),
            "findings.site_visit",
            "FINDING_MISSING",
        ),
        ("short text", |f| f.findings[0].text = " 好 ".into(), "findings.site_visit", "FINDING_LENGTH"),
        ("empty text", |f| f.findings[5].text = String::new(), "findings.hearing_report", "FINDING_LENGTH"),
        ("too long", |f| f.findings[1].text = "长".repeat(2001), "findings.questioning", "FINDING_LENGTH"),
        (
            "unknown method",
            |f| f.findings.push(FindingInput { method: "survey".into(), text: "问卷调查".into() }),
            "findings[6].method",
            "FINDING_METHOD_UNKNOWN",
        ),
        (
            "duplicate method",
            |f| f.findings.push(FindingInput { method: "interview".into(), text: "再次访谈".into() }),
            "findings[6].method",
            "FINDING_METHOD_DUPLICATE",
        ),
        ("no conclusion", |f| f.conclusion = String::new(), "conclusion", "CONCLUSION_REQUIRED"),
        ("bad conclusion", |f| f.conclusion = "maybe".into(), "conclusion", "CONCLUSION_REQUIRED"),
        ("long comment", |f| f.comment = "长".repeat(2001), "comment", "COMMENT_TOO_LONG"),
    ];
    for (name, mutate, field, code) in cases {
        let mut input = findings_input();
        mutate(&mut input);
        let errors = MemberFindings::parse(&input).expect_err(name);
        assert_eq!(errors.0.len(), 1, "{name}: {errors}");
        let e = errors.get(field).unwrap_or_else(|| panic!("{name}: no {field} in {errors}"));
        assert_eq!(e.code, code, "{name}");
        assert!(!e.detail.is_empty() && !e.detail.is_ascii(), "{name}: {}", e.detail);
    }

    let all_bad = MemberFindings::parse(&FindingsInput::default()).expect_err("empty");
    assert_eq!(all_bad.0.len(), 7, "six missing findings and the conclusion: {all_bad}");
    assert_eq!(
        all_bad.get("findings.technical_spot_check").map(|e| e.detail.as_str()),
        Some("请填写“技术抽查”的评估意见")
    );
}

#[test]
fn s4_the_group_concludes_by_strict_majority_and_a_tie_fails() {
    use Conclusion::{Fail, Pass};
    let cases: [(&[Conclusion], Conclusion); 8] = [
        (&[Pass, Pass, Fail], Pass),
        (&[Pass, Fail, Fail], Fail),
        (&[Pass, Fail], Fail),
        (&[Pass, Pass, Fail, Fail], Fail),
        (&[Pass, Pass, Pass, Fail, Fail], Pass),
        (&[Pass], Pass),
        (&[Fail], Fail),
        (&[], Fail),
    ];
    for (members, want) in cases {
        assert_eq!(group_conclusion(members), want, "{members:?}");
    }
    assert_eq!((Pass.label(), Fail.label()), ("通过", "不通过"));
}

// ---- S5: institution code ------------------------------------------------------------------------------

#[test]
fn s5_the_default_template_renders_hn_city_serial() {
    let template = def(keys::INSTITUTION_CODE_TEMPLATE).expect("defined").default;
    assert_eq!(template, "HN{city2}{serial4}");
    assert_eq!(institution_code(template, "01", 7).as_deref(), Ok("HN010007"));
    assert_eq!(institution_code(template, "31", 9999).as_deref(), Ok("HN319999"));
    assert_eq!(institution_code(template, "13", 1).as_deref(), Ok("HN130001"));
    assert_eq!(institution_code("HN-{city2}-{serial6}", "07", 42).as_deref(), Ok("HN-07-000042"));
    assert_eq!(institution_code_for_year("HN{yyyy}{city2}{serial3}", "07", 12, 2026).as_deref(), Ok("HN202607012"));
    assert_eq!(institution_code_for_year(template, "01", 7, 2026).as_deref(), Ok("HN010007"));
}

#[test]
fn s5_a_serial_overflowing_its_width_is_refused() {
    for serial in [10_000, u32::MAX, 0] {
        let err = institution_code("HN{city2}{serial4}", "01", serial).expect_err("overflow");
        assert_eq!((err.field.as_str(), err.code), ("serial", "INSTITUTION_CODE_SERIAL_OVERFLOW"), "{serial}");
        assert!(err.detail.contains("4 位"), "{}", err.detail);
    }
    assert!(institution_code("HN{serial9}", "01", 999_999_999).is_ok());
    assert!(institution_code("HN{serial9}", "01", 1_000_000_000).is_err());
}

#[test]
fn s5_a_bad_template_or_city_is_refused() {
    let cases = [
        ("HN{city}{serial4}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{city2}{serial}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{city2}{serial10}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{city2}{serial04x}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{yy}{serial4}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{city2}", "INSTITUTION_CODE_TEMPLATE"),
        ("HN{serial2}{serial4}", "INSTITUTION_CODE_TEMPLATE"),
        ("HN{city2{serial4}", "INSTITUTION_CODE_TEMPLATE"),
        ("HN}{serial4}", "INSTITUTION_CODE_TEMPLATE"),
        ("HN{serial4", "INSTITUTION_CODE_TEMPLATE"),
        ("湘{city2}{serial4}", "INSTITUTION_CODE_TEMPLATE"),
        ("", "INSTITUTION_CODE_TEMPLATE"),
        ("HN{yyyy}{serial4}", "INSTITUTION_CODE_YEAR_REQUIRED"),
    ];
    for (template, code) in cases {
        let err = institution_code(template, "01", 7).expect_err(template);
        assert_eq!(err.code, code, "{template}");
        assert!(!err.detail.is_ascii(), "{}", err.detail);
    }
    let err = institution_code("HN{city}{serial4}", "01", 7).expect_err("unknown");
    assert_eq!(err.field, "institution_code_template");
    assert!(err.detail.contains("{city}"), "{}", err.detail);
    for city in ["14", "00", "1", "001", "ab", "43"] {
        let err = institution_code("HN{city2}{serial4}", city, 7).expect_err(city);
        assert_eq!((err.field.as_str(), err.code), ("region_code", "INSTITUTION_CODE_CITY"), "{city}");
    }
    assert!(institution_code_for_year("HN{yyyy}{serial4}", "01", 7, 99).is_err());
}

#[test]
fn s5_every_hunan_city_has_its_two_digits() {
    for city in RegionCode::hunan_cities() {
        let two = city.city_two_digits().expect("a city");
        assert_eq!(institution_code("HN{city2}{serial4}", two, 1), Ok(format!("HN{two}0001")));
    }
}

// ---- S1, S2: the annex-1 application -------------------------------------------------------------------

fn valid_input() -> ApplicationInput {
    let facility = |name: &str, spec: &str, purpose: &str| FacilityInput {
        name: name.into(),
        specification: spec.into(),
        purpose: purpose.into(),
    };
    let assessor = |name: &str, card: &str, project: &str| AssessorInput {
        name: name.into(),
        qualification: card.into(),
        project: project.into(),
    };
    ApplicationInput {
        institution_name: "长沙市岳麓区米粉职业培训学校".into(),
        nature: "private_non_enterprise".into(),
        category: "other_unit".into(),
        person_in_charge_name: "张三".into(),
        person_in_charge_phone: "13800138000".into(),
        contact_name: "李四".into(),
        contact_phone: "0731-84567890".into(),
        address: "湖南省长沙市岳麓区麓山南路 1 号".into(),
        region_code: "430104".into(),
        projects: vec!["米粉制作".into(), " 湘菜烹饪 ".into()],
        facilities: vec![
            facility("实操教室", "200 平方米", "米粉制作实操考核"),
            facility("商用燃气灶", "6 台", "湘菜烹饪实操考核"),
            facility("理论考场", "40 座", "理论知识考试"),
        ],
        assessors: vec![
            assessor("王五", "ZX-2024-0001", "米粉制作"),
            assessor("赵六", "ZX-2024-0002", "米粉制作"),
            assessor("阿依古丽·买买提", "ZX-2024-0003", "湘菜烹饪"),
        ],
        conditions: S1Condition::ALL
            .iter()
            .map(|c| ConditionInput {
                condition: c.id().into(),
                affirmed: true,
                evidence: format!("见附件：{}", c.label()),
            })
            .collect(),
        legal_representative: "张三".into(),
        commitment_confirmed: true,
    }
}

#[test]
fn s1_s2_a_complete_application_parses() {
    let app = FilingApplication::parse(&valid_input()).expect("valid");
    assert_eq!(app.institution_name(), "长沙市岳麓区米粉职业培训学校");
    assert_eq!(app.nature(), Nature::PrivateNonEnterprise);
    assert_eq!(app.category(), ApplicantCategory::OtherUnit);
    assert_eq!(app.person_in_charge().name.as_str(), "张三");
    assert_eq!(app.contact().phone.as_str(), "0731-84567890");
    assert_eq!(app.region().as_str(), "430104");
    assert_eq!(app.city().as_str(), "430100");
    assert_eq!(app.projects(), ["米粉制作", "湘菜烹饪"]);
    assert_eq!(app.facilities().len(), 3);
    assert_eq!(app.assessors()[2].name.as_str(), "阿依古丽·买买提");
    assert_eq!(app.assessors()[2].project, "湘菜烹饪");
    let conditions: Vec<_> = app.conditions().iter().map(|c| c.condition).collect();
    assert_eq!(conditions, S1Condition::ALL.to_vec());
    assert_eq!(app.legal_representative().as_str(), "张三");
    assert_eq!(app.receiver(), Receiver::City);
    assert_eq!(app.receiving_center_region().as_str(), "430100");

    let mut provincial = valid_input();
    provincial.category = "central_enterprise".into();
    let app = FilingApplication::parse(&provincial).expect("valid");
    assert_eq!(app.receiver(), Receiver::Province);
    assert_eq!(app.receiving_center_region().as_str(), "430000");
    assert_eq!(app.city().as_str(), "430100", "the city still decides the institution code");

    let mut city_level = valid_input();
    city_level.region_code = "433100".into();
    assert_eq!(FilingApplication::parse(&city_level).expect("a city code").city().as_str(), "433100");
}

#[test]
fn s1_s2_the_input_round_trips_as_json_and_missing_keys_default() {
    let input = valid_input();
    let json = serde_json::to_string(&input).expect("json");
    let back: ApplicationInput = serde_json::from_str(&json).expect("back");
    assert_eq!(back, input);
    let partial: ApplicationInput = serde_json::from_str(r#"{"institution_name":"甲单位"}"#).expect("partial");
    assert_eq!(partial.institution_name, "甲单位");
    assert!(partial.projects.is_empty() && !partial.commitment_confirmed);
}

#[test]
fn s1_s2_spare_blank_rows_are_ignored_and_keep_the_other_indexes() {
    let mut input = valid_input();
    input.facilities.insert(1, FacilityInput::default());
    input.assessors.push(AssessorInput { name: " ".into(), ..Default::default() });
    input.projects.push("  ".into());
    let app = FilingApplication::parse(&input).expect("blank rows ignored");
    assert_eq!(app.facilities().len(), 3);
    assert_eq!(app.assessors().len(), 3);
    assert_eq!(app.projects().len(), 2);

    input.facilities[3].purpose = "x".into();
    let errors = FilingApplication::parse(&input).expect_err("bad row");
    assert_eq!(errors.0.len(), 1);
    assert_eq!(errors.0[0].field, "facilities[3].purpose", "the index of the row as sent");

    let mut input = valid_input();
    input.assessors[2] = AssessorInput::default();
    let errors = FilingApplication::parse(&input).expect_err("two assessors");
    assert_eq!(errors.get("assessors").map(|e| e.code), Some("ASSESSORS_TOO_FEW"));
}

type Mutation = fn(&mut ApplicationInput);

#[test]
fn s1_s2_every_kind_of_bad_field_is_named_with_a_chinese_reason() {
    let cases: Vec<(&str, Mutation, &str, &str)> = vec![
        ("empty name", |i| i.institution_name = "  ".into(), "institution_name", "INSTITUTION_NAME_LENGTH"),
        ("short name", |i| i.institution_name = "甲".into(), "institution_name", "INSTITUTION_NAME_LENGTH"),
        ("long name", |i| i.institution_name = "长".repeat(101), "institution_name", "INSTITUTION_NAME_LENGTH"),
        ("nature", |i| i.nature = "company".into(), "nature", "NATURE_UNKNOWN"),
        ("category", |i| i.category = String::new(), "category", "APPLICANT_CATEGORY_UNKNOWN"),
        ("category label", |i| i.category = "省属企业".into(), "category", "APPLICANT_CATEGORY_UNKNOWN"),
        ("charge name", |i| i.person_in_charge_name = "张".into(), "person_in_charge.name", "NAME_LENGTH"),
        ("charge phone", |i| i.person_in_charge_phone = "12345".into(), "person_in_charge.phone", "PHONE_FORMAT"),
        ("contact name", |i| i.contact_name = "Li3".into(), "contact.name", "NAME_FORMAT"),
        ("contact phone", |i| i.contact_phone = String::new(), "contact.phone", "PHONE_FORMAT"),
        ("address", |i| i.address = "长沙".into(), "address", "ADDRESS_LENGTH"),
        ("region format", |i| i.region_code = "4301".into(), "region_code", "REGION_CODE_FORMAT"),
        ("region elsewhere", |i| i.region_code = "440300".into(), "region_code", "REGION_NOT_HUNAN_COUNTY"),
        ("region province", |i| i.region_code = "430000".into(), "region_code", "REGION_NOT_HUNAN_COUNTY"),
        ("region no city", |i| i.region_code = "439900".into(), "region_code", "REGION_NOT_HUNAN_COUNTY"),
        ("no projects", |i| i.projects.clear(), "projects", "PROJECTS_REQUIRED"),
        ("short project", |i| i.projects.push("米".into()), "projects[2]", "PROJECT_NAME_LENGTH"),
        ("long project", |i| i.projects.push("长".repeat(51)), "projects[2]", "PROJECT_NAME_LENGTH"),
        ("duplicate project", |i| i.projects.push("米粉制作 ".into()), "projects[2]", "PROJECT_DUPLICATE"),
        (
            "too many projects",
            |i| i.projects.extend((i.projects.len()..=MAX_ROWS).map(|n| format!("项目{n}"))),
            "projects",
            "ROWS_TOO_MANY",
        ),
        ("no facilities", |i| i.facilities.clear(), "facilities", "FACILITIES_REQUIRED"),
        ("facility name", |i| i.facilities[2].name = String::new(), "facilities[2].name", "FACILITY_NAME_LENGTH"),
        (
            "facility spec",
            |i| i.facilities[0].specification = " ".into(),
            "facilities[0].specification",
            "FACILITY_SPECIFICATION_LENGTH",
        ),
        (
            "facility purpose",
            |i| i.facilities[1].purpose = "x".into(),
            "facilities[1].purpose",
            "FACILITY_PURPOSE_LENGTH",
        ),
        ("two assessors", |i| i.assessors.truncate(2), "assessors", "ASSESSORS_TOO_FEW"),
        ("assessor name", |i| i.assessors[1].name = "王".into(), "assessors[1].name", "NAME_LENGTH"),
        (
            "assessor card",
            |i| i.assessors[0].qualification = String::new(),
            "assessors[0].qualification",
            "ASSESSOR_QUALIFICATION_LENGTH",
        ),
        (
            "assessor project",
            |i| i.assessors[2].project = "茶艺".into(),
            "assessors[2].project",
            "ASSESSOR_PROJECT_NOT_APPLIED",
        ),
        (
            "assessor no project",
            |i| i.assessors[2].project = String::new(),
            "assessors[2].project",
            "ASSESSOR_PROJECT_NOT_APPLIED",
        ),
        (
            "condition not affirmed",
            |i| i.conditions[1].affirmed = false,
            "conditions.experience.affirmed",
            "CONDITION_NOT_AFFIRMED",
        ),
        (
            "condition evidence",
            |i| i.conditions[2].evidence = "有".into(),
            "conditions.offices.evidence",
            "CONDITION_EVIDENCE_LENGTH",
        ),
        (
            "condition unknown",
            |i| {
                i.conditions.push(ConditionInput {
                    condition: "credit".into(),
                    affirmed: true,
                    evidence: "良好".into(),
                })
            },
            "conditions[5].condition",
            "CONDITION_UNKNOWN",
        ),
        (
            "condition duplicate",
            |i| {
                let again = i.conditions[0].clone();
                i.conditions.push(again);
            },
            "conditions[5].condition",
            "CONDITION_DUPLICATE",
        ),
        (
            "representative",
            |i| i.legal_representative = String::new(),
            "commitment.legal_representative",
            "NAME_LENGTH",
        ),
        ("not confirmed", |i| i.commitment_confirmed = false, "commitment.confirmed", "COMMITMENT_NOT_CONFIRMED"),
    ];
    for (name, mutate, field, code) in cases {
        let mut input = valid_input();
        mutate(&mut input);
        let errors = FilingApplication::parse(&input).expect_err(name);
        assert_eq!(errors.0.len(), 1, "{name}: {errors}");
        let e = &errors.0[0];
        assert_eq!((e.field.as_str(), e.code), (field, code), "{name}: {}", e.detail);
        assert!(!e.detail.is_empty() && !e.detail.is_ascii(), "{name}: {}", e.detail);
    }
}

#[test]
fn s1_a_missing_condition_needs_both_the_affirmation_and_the_evidence() {
    let mut input = valid_input();
    input.conditions.retain(|c| c.condition != "management_rules");
    let errors = FilingApplication::parse(&input).expect_err("missing");
    let fields: Vec<_> = errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        fields,
        [
            ("conditions.management_rules.affirmed", "CONDITION_NOT_AFFIRMED"),
            ("conditions.management_rules.evidence", "CONDITION_EVIDENCE_LENGTH"),
        ]
    );
    assert!(errors.0[0].detail.contains("财务管理制度"), "the clause's words: {}", errors.0[0].detail);
}

#[test]
fn s1_s2_an_empty_form_reports_every_field_at_once() {
    let errors = FilingApplication::parse(&ApplicationInput::default()).expect_err("empty");
    let mut fields: Vec<String> = errors.0.iter().map(|e| e.field.clone()).collect();
    fields.sort_unstable();
    let mut want: Vec<String> = [
        "institution_name",
        "nature",
        "category",
        "person_in_charge.name",
        "person_in_charge.phone",
        "contact.name",
        "contact.phone",
        "address",
        "region_code",
        "projects",
        "facilities",
        "assessors",
        "commitment.legal_representative",
        "commitment.confirmed",
    ]
    .map(String::from)
    .to_vec();
    for c in S1Condition::ALL {
        want.push(format!("conditions.{}.affirmed", c.id()));
        want.push(format!("conditions.{}.evidence", c.id()));
    }
    want.sort_unstable();
    assert_eq!(fields, want);
}

#[test]
fn s1_the_panel_minimum_follows_the_policy_in_force() {
    assert_eq!(def(keys::PANEL_MIN_ASSESSORS).map(|d| d.default), Some("3"));
    assert_eq!(DEFAULT_MIN_ASSESSORS, 3);
    let errors = FilingApplication::parse_with(&valid_input(), 5).expect_err("five needed");
    let e = errors.get("assessors").expect("assessors");
    assert_eq!(e.code, "ASSESSORS_TOO_FEW");
    assert!(e.detail.contains("5 人") && e.detail.contains("3 人"), "{}", e.detail);
    assert!(FilingApplication::parse_with(&valid_input(), 1).is_ok());
}

#[test]
fn s2_annex_1_needs_all_four_kinds_of_materials() {
    assert_eq!(check_materials(MaterialKind::ALL), Ok(()));
    let errors = check_materials(&[MaterialKind::QualificationProof, MaterialKind::AssessorRoster]).expect_err("two");
    let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["materials.venue_equipment_list", "materials.management_rules"]);
    assert!(errors.0.iter().all(|e| e.code == "MATERIAL_MISSING"));
    assert_eq!(errors.0[1].detail, "请上传附件材料“管理运行制度和管理人员名册”");
    assert_eq!(check_materials(&[]).expect_err("none").0.len(), 4);
}
