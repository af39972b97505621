//! P3, P4, P8, P1: the state machine — every state × every event, both routes, returns at each step,
//! reasons and dates, events from API parts, actors and audit actions, the to-do of every state, and
//! the public catalog (F2).

use super::*;

/// Every event with sample data: both routes, both adoption modes, reasons that are long enough.
fn sample_events() -> Vec<ProjectEvent> {
    let publication = date!(2026 - 03 - 01);
    vec![
        ProjectEvent::Submit { route: Receiver::City },
        ProjectEvent::Submit { route: Receiver::Province },
        ProjectEvent::CityReturn { reason: "可行性分析报告缺少市场调研数据".into() },
        ProjectEvent::Forward,
        ProjectEvent::ProvinceReturn { reason: "考核规范的工作任务划分不清".into() },
        ProjectEvent::DrawReview,
        ProjectEvent::OpenReview,
        ProjectEvent::CompleteReview,
        ProjectEvent::Establish,
        ProjectEvent::Reject { reason: "与已有项目重复".into() },
        ProjectEvent::Publish { publication },
        ProjectEvent::RollOut,
        ProjectEvent::Stop { reason: "试点效果不佳".into() },
        ProjectEvent::ApproveAdoption { publication, pilot: true },
        ProjectEvent::ApproveAdoption { publication, pilot: false },
        ProjectEvent::RejectAdoption { reason: "不符合我省产业发展需要".into() },
    ]
}

/// The table written out independently of the module: (state, event index, next state). Every pair not
/// listed is refused.
fn expected_table() -> Vec<(ProjectState, usize, ProjectState)> {
    use ProjectState as S;
    vec![
        (S::Draft, 0, S::Submitted),
        (S::Draft, 1, S::Forwarded),
        (S::Returned, 0, S::Submitted),
        (S::Returned, 1, S::Forwarded),
        (S::Submitted, 2, S::Returned),
        (S::Submitted, 3, S::Forwarded),
        (S::Forwarded, 4, S::Returned),
        (S::Forwarded, 5, S::ReviewDrawn),
        (S::ReviewDrawn, 6, S::Reviewing),
        (S::Reviewing, 7, S::Reviewed),
        (S::Reviewed, 4, S::Returned),
        (S::Reviewed, 8, S::Established),
        (S::Reviewed, 9, S::Rejected),
        (S::Established, 10, S::Pilot),
        (S::Pilot, 11, S::InForce),
        (S::Pilot, 12, S::Stopped),
        (S::InForce, 12, S::Stopped),
        (S::AdoptionSubmitted, 15, S::Rejected),
        (S::AdoptionSubmitted, 13, S::Pilot),
        (S::AdoptionSubmitted, 14, S::InForce),
    ]
}

#[test]
fn p3_p4_p8_p1_every_state_and_event_follows_the_table() {
    let events = sample_events();
    let table = expected_table();
    let mut allowed = 0;
    let mut refused = 0;
    for state in ProjectState::ALL {
        for (i, event) in events.iter().enumerate() {
            let expected = table.iter().find(|(s, e, _)| s == state && *e == i).map(|(_, _, n)| *n);
            match (transition(*state, event), expected) {
                (Ok(next), Some(want)) => {
                    assert_eq!(next, want, "{} + {}", state.id(), event.label());
                    allowed += 1;
                }
                (Err(err), None) => {
                    let want = if state.is_terminal() { "PROJECT_CLOSED" } else { "PROJECT_EVENT_NOT_ALLOWED" };
                    assert_eq!(err.code(), want, "{} + {}", state.id(), event.id());
                    assert_eq!(err.field(), "event");
                    assert!(err.detail().contains(state.label()), "{}", err.detail());
                    assert!(err.detail().contains(event.kind().label()), "{}", err.detail());
                    refused += 1;
                }
                (got, want) => panic!("{} + {}: got {got:?}, want {want:?}", state.id(), event.label()),
            }
        }
    }
    assert_eq!(allowed, table.len());
    assert_eq!(allowed + refused, ProjectState::ALL.len() * events.len());
    // Every kind is used somewhere and every state but the final ones allows something.
    for kind in ProjectEventKind::ALL {
        assert!(ProjectState::ALL.iter().any(|s| allowed_event_kinds(*s).contains(kind)), "{kind}");
    }
    for s in ProjectState::ALL {
        assert_eq!(allowed_event_kinds(*s).is_empty(), s.is_terminal(), "{s}");
    }
}

#[test]
fn p3_a_refused_step_says_what_the_state_allows() {
    let err = transition(ProjectState::Submitted, &ProjectEvent::Establish).expect_err("not yet");
    assert_eq!(
        err.detail(),
        "当前状态为“待市州初审”，不能执行“设立考核项目”；此状态下只能执行“市州退回开发申请”或“初审通过报省”"
    );
    let err = transition(ProjectState::Stopped, &ProjectEvent::RollOut).expect_err("closed");
    assert_eq!(err.detail(), "当前状态为“已停止”，该考核项目的流程已结束，不能再执行“全省推行”");
    assert_eq!(err.to_field_error().code, "PROJECT_CLOSED");
}

#[test]
fn p3_a_city_routed_project_goes_through_the_city_with_returns_on_the_way() {
    use ProjectEvent as E;
    let city = E::Submit { route: Receiver::City };
    let steps = [
        (city.clone(), ProjectState::Submitted),
        (E::CityReturn { reason: "请补充可行性分析报告".into() }, ProjectState::Returned),
        (city.clone(), ProjectState::Submitted),
        (E::Forward, ProjectState::Forwarded),
        (E::ProvinceReturn { reason: "权重与操作规范不一致".into() }, ProjectState::Returned),
        (city, ProjectState::Submitted),
        (E::Forward, ProjectState::Forwarded),
        (E::DrawReview, ProjectState::ReviewDrawn),
        (E::OpenReview, ProjectState::Reviewing),
        (E::CompleteReview, ProjectState::Reviewed),
        (E::ProvinceReturn { reason: "按专家组意见修改考核规范".into() }, ProjectState::Returned),
    ];
    let mut state = ProjectOrigin::Developed.initial_state();
    assert_eq!(state, ProjectState::Draft);
    for (event, want) in steps {
        state = transition(state, &event).unwrap_or_else(|e| panic!("{}: {e}", event.label()));
        assert_eq!(state, want, "{}", event.label());
    }
}

#[test]
fn p3_a_provincial_body_submits_straight_to_the_province_as_in_s2() {
    use domain::projects::{ApplicantCategory, route};
    for category in ApplicantCategory::ALL {
        let submit = ProjectEvent::Submit { route: route(*category) };
        let landed = transition(ProjectState::Draft, &submit).expect("submit");
        let want = match category {
            ApplicantCategory::ProvincialDepartment
            | ApplicantCategory::ProvincialTradeBody
            | ApplicantCategory::CentralEnterprise
            | ApplicantCategory::ProvincialEnterprise => ProjectState::Forwarded,
            _ => ProjectState::Submitted,
        };
        assert_eq!(landed, want, "{category}");
    }
    assert_eq!(ProjectEvent::Submit { route: Receiver::City }.label(), "提交市州鉴定中心初审");
    assert_eq!(ProjectEvent::Submit { route: Receiver::Province }.label(), "直接报省鉴定中心审定");
}

#[test]
fn p4_p8_an_established_project_is_published_piloted_and_rolled_out_or_stopped() {
    let established = transition(ProjectState::Reviewed, &ProjectEvent::Establish).expect("establish");
    let pilot =
        transition(established, &ProjectEvent::Publish { publication: date!(2026 - 03 - 01) }).expect("publish");
    assert_eq!(pilot, ProjectState::Pilot);
    assert_eq!(transition(pilot, &ProjectEvent::RollOut), Ok(ProjectState::InForce));
    let stop = ProjectEvent::Stop { reason: "试点期满未达推广条件".into() };
    assert_eq!(transition(pilot, &stop), Ok(ProjectState::Stopped));
    assert_eq!(transition(ProjectState::InForce, &stop), Ok(ProjectState::Stopped));
}

#[test]
fn p1_an_adoption_is_approved_into_pilot_or_force_or_rejected() {
    let start = ProjectOrigin::Adopted.initial_state();
    assert_eq!(start, ProjectState::AdoptionSubmitted);
    let d = date!(2026 - 05 - 01);
    let piloted = ProjectEvent::ApproveAdoption { publication: d, pilot: true };
    let in_force = ProjectEvent::ApproveAdoption { publication: d, pilot: false };
    assert_eq!(transition(start, &piloted), Ok(ProjectState::Pilot));
    assert_eq!(transition(start, &in_force), Ok(ProjectState::InForce));
    assert_eq!(piloted.label(), "批准采用并开展试点");
    assert_eq!(in_force.label(), "批准采用并全省推行");
    assert_eq!(piloted.publication(), Some(d));
    let reject = ProjectEvent::RejectAdoption { reason: "不符合我省产业发展需要".into() };
    assert_eq!(transition(start, &reject), Ok(ProjectState::Rejected));
    assert_eq!(reject.label(), "不予采用");
    // An adoption is refused as an adoption, a developed project as not established.
    assert!(transition(start, &ProjectEvent::Reject { reason: "不符合需要".into() }).is_err());
    // An adoption is not reviewed by experts.
    assert!(transition(start, &ProjectEvent::DrawReview).is_err());
}

#[test]
fn p3_returns_rejections_and_stops_need_a_reason() {
    for (state, event) in [
        (ProjectState::Submitted, ProjectEvent::CityReturn { reason: " 否 ".into() }),
        (ProjectState::Forwarded, ProjectEvent::ProvinceReturn { reason: String::new() }),
        (ProjectState::Reviewed, ProjectEvent::Reject { reason: "x".into() }),
        (ProjectState::Pilot, ProjectEvent::Stop { reason: "  ".into() }),
        (ProjectState::AdoptionSubmitted, ProjectEvent::RejectAdoption { reason: "无".into() }),
    ] {
        let err = transition(state, &event).expect_err(event.id());
        assert_eq!((err.code(), err.field()), ("PROJECT_REASON_REQUIRED", "reason"), "{}", event.id());
        assert!(event.kind().needs_reason());
        assert!(err.detail().starts_with(event.kind().label()), "{}", err.detail());
    }
    let long = ProjectEvent::Reject { reason: "长".repeat(REASON_MAX_CHARS + 1) };
    assert_eq!(transition(ProjectState::Reviewed, &long).expect_err("long").code(), "PROJECT_REASON_TOO_LONG");
    let ok = ProjectEvent::Reject { reason: "长".repeat(REASON_MAX_CHARS) };
    assert_eq!(transition(ProjectState::Reviewed, &ok), Ok(ProjectState::Rejected));
    assert_eq!(ProjectEvent::CityReturn { reason: " 缺材料 ".into() }.reason(), Some("缺材料"));
}

#[test]
fn p3_events_are_built_from_api_parts() {
    let city = Receiver::City;
    assert_eq!(ProjectEvent::from_parts("submit", "", "", None, city), Ok(ProjectEvent::Submit { route: city }));
    assert_eq!(
        ProjectEvent::from_parts(" city_return ", " 缺材料 ", "", None, city),
        Ok(ProjectEvent::CityReturn { reason: "缺材料".into() })
    );
    assert_eq!(
        ProjectEvent::from_parts("publish", "", "2026-03-01", None, city),
        Ok(ProjectEvent::Publish { publication: date!(2026 - 03 - 01) })
    );
    assert_eq!(
        ProjectEvent::from_parts("approve_adoption", "", "2026-03-01", Some(false), city),
        Ok(ProjectEvent::ApproveAdoption { publication: date!(2026 - 03 - 01), pilot: false })
    );
    let err = ProjectEvent::from_parts("publish", "", "2026-02-30", None, city).expect_err("no such day");
    assert_eq!((err.code(), err.field()), ("PROJECT_PUBLICATION_DATE_REQUIRED", "publication_date"));
    assert_eq!(err.detail(), "发布并开展试点须填写发布日期（格式为 YYYY-MM-DD，如 2026-03-01）");
    let err = ProjectEvent::from_parts("approve_adoption", "", "2026-03-01", None, city).expect_err("mode");
    assert_eq!((err.code(), err.field()), ("PROJECT_ADOPTION_MODE_REQUIRED", "pilot"));
    let err = ProjectEvent::from_parts("decide", "", "", None, city).expect_err("unknown");
    assert_eq!(err, TransitionError::UnknownEvent("decide".into()));
    assert_eq!(err.detail(), "没有“decide”这一考核项目操作");
    for kind in ProjectEventKind::ALL {
        assert_eq!(
            kind.needs_publication_date(),
            matches!(kind, ProjectEventKind::Publish | ProjectEventKind::ApproveAdoption)
        );
    }
}

#[test]
fn p3_events_are_stored_as_tagged_json_with_plain_dates() {
    let e = ProjectEvent::ApproveAdoption { publication: date!(2026 - 03 - 01), pilot: true };
    let json = serde_json::to_string(&e).expect("json");
    assert_eq!(json, r#"{"kind":"approve_adoption","publication":"2026-03-01","pilot":true}"#);
    assert_eq!(serde_json::from_str::<ProjectEvent>(&json).expect("back"), e);
    let s = serde_json::to_string(&ProjectEvent::Submit { route: Receiver::Province }).expect("json");
    assert_eq!(s, r#"{"kind":"submit","route":"province"}"#);
    for e in sample_events() {
        let back: ProjectEvent = serde_json::from_str(&serde_json::to_string(&e).expect("json")).expect("back");
        assert_eq!(back, e);
        assert_eq!(e.id(), e.kind().id());
    }
}

#[test]
fn p3_p4_each_event_names_its_actor_and_its_audit_action() {
    use ProjectEventKind as K;
    for kind in ProjectEventKind::ALL {
        let want = match kind {
            K::Submit => Actor::DevelopmentUnit,
            K::CityReturn | K::Forward => Actor::CityCenter,
            K::CompleteReview => Actor::ReviewGroup,
            _ => Actor::Province,
        };
        assert_eq!(kind.actor(), want, "{kind}");
        let action = kind.audit_action();
        assert_eq!(action.target(), AuditTarget::Project, "{kind}");
        assert!(action.id().starts_with("project."), "{kind}");
    }
    let mut actions: Vec<AuditAction> = ProjectEventKind::ALL.iter().map(|k| k.audit_action()).collect();
    actions.sort();
    actions.dedup();
    assert_eq!(actions.len(), ProjectEventKind::ALL.len(), "one action per kind");
    assert_eq!(K::Submit.audit_action().id(), "project.submitted");
    assert_eq!(K::Publish.audit_action().id(), "project.published");
    assert_eq!(AuditTarget::Project.label(), "考核项目");
    assert_eq!(Actor::DevelopmentUnit.roles(), [domain::org::Role::DevunitStaff]);
    assert_eq!(Actor::ReviewGroup.roles(), [domain::org::Role::Expert]);
}

#[test]
fn p3_p8_every_state_says_whose_turn_it_is() {
    use ProjectState as S;
    let cases = [
        (S::Draft, Some(Actor::DevelopmentUnit)),
        (S::Returned, Some(Actor::DevelopmentUnit)),
        (S::Submitted, Some(Actor::CityCenter)),
        (S::Forwarded, Some(Actor::Province)),
        (S::ReviewDrawn, Some(Actor::Province)),
        (S::Reviewing, Some(Actor::ReviewGroup)),
        (S::Reviewed, Some(Actor::Province)),
        (S::Established, Some(Actor::Province)),
        (S::Rejected, None),
        (S::Pilot, Some(Actor::Province)),
        (S::InForce, None),
        (S::Stopped, None),
        (S::AdoptionSubmitted, Some(Actor::Province)),
    ];
    assert_eq!(cases.len(), ProjectState::ALL.len());
    for (state, actor) in cases {
        let t = todo(state);
        assert_eq!(t.map(|t| t.actor), actor, "{state}");
        if let Some(t) = t {
            assert!(!t.text.is_ascii(), "{state}");
            // Whoever's turn it is may perform one of the state's events.
            assert!(allowed_event_kinds(state).iter().any(|k| k.actor() == t.actor), "{state}");
        }
    }
    // Only the pilot has a deadline: its end, with the reminder before it (P8).
    for state in ProjectState::ALL {
        let deadline = todo(*state).and_then(|t| t.deadline);
        assert_eq!(deadline.is_some(), *state == S::Pilot, "{state}");
    }
    assert_eq!(
        todo(S::Pilot).and_then(|t| t.deadline),
        Some(DeadlineRule::PilotEnd {
            policy_key: keys::PILOT_MAX_MONTHS,
            reminder_key: keys::PILOT_REMINDER_DAYS,
            clause: "P8"
        })
    );
}

#[test]
fn p3_only_a_draft_is_private_and_only_drafts_returns_and_pending_adoptions_are_editable() {
    for s in ProjectState::ALL {
        assert_eq!(s.is_private_to_unit(), *s == ProjectState::Draft, "{s}");
        let editable = matches!(s, ProjectState::Draft | ProjectState::Returned | ProjectState::AdoptionSubmitted);
        assert_eq!(s.is_editable(), editable, "{s}");
    }
    assert_eq!(ProjectState::Reviewing.origin(), Some(ProjectOrigin::Developed));
    assert_eq!(ProjectState::AdoptionSubmitted.origin(), Some(ProjectOrigin::Adopted));
    assert_eq!(ProjectState::Pilot.origin(), None);
}

#[test]
fn f2_only_published_projects_are_in_the_public_catalog() {
    assert_eq!(public_states(), [ProjectState::Pilot, ProjectState::InForce, ProjectState::Stopped]);
    for s in ProjectState::ALL {
        let want = match s {
            ProjectState::Pilot => Some(CatalogStatus::Pilot),
            ProjectState::InForce => Some(CatalogStatus::InForce),
            ProjectState::Stopped => Some(CatalogStatus::Stopped),
            _ => None,
        };
        assert_eq!(s.catalog_status(), want, "{s}");
        assert_eq!(s.is_public(), want.is_some(), "{s}");
    }
    let labels: Vec<&str> = CatalogStatus::ALL.iter().map(|c| c.label()).collect();
    assert_eq!(labels, ["试点中", "全省推行", "已停止"]);
    assert!(CatalogStatus::Pilot.is_current() && CatalogStatus::InForce.is_current());
    assert!(!CatalogStatus::Stopped.is_current());
}
