//! S2–S5: the state machine — every state × every event, reasons, events from API parts, actors, the
//! to-do of every state, and the evaluation that is started before it completes (S4).

use super::*;

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
        FilingEvent::StartEvaluation,
        FilingEvent::CompleteEvaluation,
        FilingEvent::Decide { approve: true },
        FilingEvent::Decide { approve: false },
        FilingEvent::Suspend { reason: "考务违规，待调查".into() },
        FilingEvent::Reinstate { reason: "整改到位，恢复备案".into() },
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
        (S::GroupDrawn, E::StartEvaluation, S::Evaluating),
        (S::Evaluating, E::CompleteEvaluation, S::Evaluated),
        (S::Evaluated, E::Decide { approve: true }, S::Filed),
        (S::Evaluated, E::Decide { approve: false }, S::Rejected),
        (S::Filed, ev(11), S::Suspended),
        (S::Filed, ev(13), S::Revoked),
        (S::Suspended, ev(12), S::Filed),
        (S::Suspended, ev(13), S::Revoked),
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
        assert_eq!(allowed_ids(*state), want, "{}", state.id());
        assert_eq!(allowed_event_kinds(*state).len(), want.len());
        assert_eq!(allowed_event_kinds(*state).is_empty(), state.is_terminal(), "{}", state.id());
    }
    assert_eq!(allowed_ids(FilingState::Submitted), vec!["return", "accept"]);
    assert_eq!(allowed_ids(FilingState::GroupDrawn), vec!["start_evaluation"]);
    assert_eq!(allowed_ids(FilingState::Evaluating), vec!["complete_evaluation"]);
    assert_eq!(allowed_ids(FilingState::Suspended), vec!["reinstate", "revoke"]);
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

    let err =
        transition(FilingState::Revoked, &FilingEvent::Reinstate { reason: "整改到位".into() }).expect_err("closed");
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
    assert_eq!(FilingEvent::from_parts("start_evaluation", "", None), Ok(FilingEvent::StartEvaluation));
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
        (K::StartEvaluation, Actor::Province),
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

#[test]
fn s5_suspension_and_revocation_take_the_station_off_the_directory() {
    let suspended =
        transition(FilingState::Filed, &FilingEvent::Suspend { reason: "考务违规，暂停整改".into() }).expect("suspend");
    assert_eq!(suspended, FilingState::Suspended);
    assert!(!suspended.is_public());
    assert_eq!(todo(suspended, Receiver::City).map(|t| t.actor), Some(Actor::Province));
    assert_eq!(transition(suspended, &FilingEvent::Reinstate { reason: "整改到位".into() }), Ok(FilingState::Filed));
    let revoked = transition(suspended, &FilingEvent::Revoke { reason: "整改不到位".into() }).expect("revoke");
    assert_eq!(revoked, FilingState::Revoked);
    assert!(!revoked.is_public() && revoked.is_terminal());
    assert!(allowed_event_kinds(revoked).is_empty());
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
        (FilingState::GroupDrawn, Some("开始评估（评估日当天），公开专家评议组名单")),
        (FilingState::Evaluating, Some("填写评估意见")),
        (FilingState::Evaluated, Some("作出备案决定")),
        (FilingState::Filed, None),
        (FilingState::Rejected, None),
        (FilingState::Suspended, Some("处理暂停备案的考核站（恢复或撤销备案）")),
        (FilingState::Revoked, None),
    ];
    assert_eq!(want.len(), FilingState::ALL.len());
    for (state, text) in want {
        for route in Receiver::ALL {
            let t = todo(state, *route);
            assert_eq!(t.map(|t| t.text), text, "{}", state.id());
            // Whoever must act next can act: some allowed event is theirs, performed by the same office.
            if let Some(t) = t {
                assert_eq!(t.office, t.actor.office(*route));
                assert!(
                    allowed_event_kinds(state)
                        .iter()
                        .any(|k| k.actor() == t.actor && k.actor().office(*route) == t.office),
                    "{}",
                    state.id()
                );
            }
        }
    }
    let rule = DeadlineRule::WorkingDaysBeforeEvaluation { policy_key: keys::EVALUATION_PLAN_LEAD_DAYS, clause: "S3" };
    assert_eq!(todo(FilingState::Accepted, Receiver::City).and_then(|t| t.deadline), Some(rule));
    for state in FilingState::ALL.iter().filter(|s| **s != FilingState::Accepted) {
        assert_eq!(todo(*state, Receiver::City).and_then(|t| t.deadline), None, "{}", state.id());
    }
    assert!(def(keys::EVALUATION_PLAN_LEAD_DAYS).is_some());
}

#[test]
fn s4_evaluation_cannot_complete_before_it_starts() {
    // The group is drawn and sealed: completing the evaluation is refused, naming the step that is due.
    let err = transition(FilingState::GroupDrawn, &FilingEvent::CompleteEvaluation).expect_err("not started");
    assert_eq!(
        err,
        RuleError::NotAllowed { state: FilingState::GroupDrawn, event: FilingEventKind::CompleteEvaluation }
    );
    assert_eq!(err.detail(), "当前状态为“待开始评估”，不能执行“出具评估意见”；此状态下只能执行“开始评估”");
    // Whose turn: the province, on the evaluation day — not the group.
    for route in Receiver::ALL {
        let t = todo(FilingState::GroupDrawn, *route).expect("a to-do");
        assert_eq!((t.actor, t.office), (Actor::Province, Office::ProvinceCenter));
        assert!(t.text.starts_with("开始评估（评估日当天）"), "{}", t.text);
    }
    // The province starts it; only now do the members evaluate, and the evaluation can complete.
    let started = transition(FilingState::GroupDrawn, &FilingEvent::StartEvaluation).expect("start");
    assert_eq!(started, FilingState::Evaluating);
    assert_eq!((started.id(), started.label()), ("evaluating", "评估中"));
    assert_eq!(FilingState::GroupDrawn.label(), "待开始评估");
    assert_eq!(next_office(started, Receiver::City), Some(Office::EvaluationGroup));
    assert_eq!(todo(started, Receiver::Province).map(|t| t.text), Some("填写评估意见"));
    // An evaluation starts once.
    let again = transition(started, &FilingEvent::StartEvaluation).expect_err("started already");
    assert_eq!(again.code(), "FILING_EVENT_NOT_ALLOWED");
    assert_eq!(transition(started, &FilingEvent::CompleteEvaluation), Ok(FilingState::Evaluated));
    // Starting needs a drawn group.
    assert_eq!(
        transition(FilingState::PlanApproved, &FilingEvent::StartEvaluation).map_err(|e| e.code()),
        Err("FILING_EVENT_NOT_ALLOWED")
    );
    assert_eq!(FilingEventKind::StartEvaluation.label(), "开始评估");
    assert!(!FilingEventKind::StartEvaluation.needs_reason());
}

#[test]
fn s2_s5_every_step_has_its_own_audit_action_on_the_filing() {
    let mut seen = Vec::new();
    for kind in FilingEventKind::ALL {
        let action = kind.audit_action();
        assert_eq!(action.target(), AuditTarget::Filing, "{}", kind.id());
        assert!(action.id().starts_with("filing."), "{}", action.id());
        assert!(!seen.contains(&action), "{} shares {}", kind.id(), action.id());
        seen.push(action);
    }
    assert_eq!(FilingEventKind::Submit.audit_action(), AuditAction::FilingSubmitted);
    assert_eq!(FilingEventKind::StartEvaluation.audit_action().id(), "filing.evaluation_started");
    assert_eq!(FilingEventKind::CompleteEvaluation.audit_action().id(), "filing.evaluation_completed");
}

#[test]
fn s2_s5_state_ids_round_trip() {
    for s in FilingState::ALL {
        assert_eq!(FilingState::parse(s.id()), Some(*s));
        let json = serde_json::to_string(s).expect("json");
        assert_eq!(json, format!("\"{}\"", s.id()));
    }
    assert_eq!(FilingState::ALL.len(), 13);
    assert_eq!(FilingState::parse("plan_rejected"), None);
}

#[test]
fn i9_16_reinstating_takes_a_reason_like_suspending() {
    let blank = FilingEvent::from_parts("reinstate", "  ", None).expect("an event");
    let err = transition(FilingState::Suspended, &blank).expect_err("no reason");
    assert_eq!((err.code(), err.field()), ("FILING_REASON_REQUIRED", "reason"));
    assert_eq!(err.detail(), "恢复备案须填写理由（至少 2 个字）");
    let given = FilingEvent::from_parts("reinstate", " 整改到位 ", None).expect("an event");
    assert_eq!(given.reason(), Some("整改到位"));
    assert_eq!(transition(FilingState::Suspended, &given), Ok(FilingState::Filed));
}
