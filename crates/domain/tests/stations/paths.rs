//! S2: routing by territory, and whole paths through the machine for a city-routed and a
//! province-routed applicant, with the office whose turn it is before each step.

use super::*;

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
        assert_eq!(next_office(state, route), Some(*office), "{} before {}", state.id(), event.id());
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
            (FilingEvent::StartEvaluation, Office::ProvinceCenter),
            (FilingEvent::CompleteEvaluation, Office::EvaluationGroup),
            (FilingEvent::Decide { approve: true }, Office::ProvinceCenter),
        ],
    );
    assert_eq!(state, FilingState::Filed);
    assert!(state.is_public());
    assert_eq!(next_office(state, route), None);
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
            (FilingEvent::StartEvaluation, Office::ProvinceCenter),
            (FilingEvent::CompleteEvaluation, Office::EvaluationGroup),
            (FilingEvent::Decide { approve: false }, Office::ProvinceCenter),
        ],
    );
    assert_eq!(state, FilingState::Rejected);
    assert!(!state.is_public() && state.is_terminal());
    assert_eq!(next_office(state, route), None);
}

#[test]
fn s3_a_returned_application_is_edited_and_resubmitted() {
    let route = Receiver::City;
    let mut state = transition(FilingState::Draft, &FilingEvent::Submit).expect("submit");
    assert!(!state.is_editable());
    state = transition(state, &FilingEvent::Return { reason: "请补充考评人员资质证明".into() }).expect("return");
    assert_eq!(state, FilingState::Returned);
    assert!(state.is_editable());
    assert_eq!(next_office(state, route), Some(Office::Applicant));
    assert_eq!(todo(state, route).map(|t| t.text), Some("按退回意见修改并重新提交备案申请"));
    state = transition(state, &FilingEvent::Submit).expect("resubmit");
    assert_eq!(state, FilingState::Submitted);
    assert_eq!(next_office(state, route), Some(Office::CityCenter));
    state = transition(state, &FilingEvent::Accept).expect("accept");
    assert_eq!(state, FilingState::Accepted);
}

#[test]
fn s3_a_returned_plan_goes_back_to_the_receiving_center() {
    let state = transition(FilingState::PlanSubmitted, &FilingEvent::ReturnPlan { reason: "缺少现场考察安排".into() })
        .expect("return plan");
    assert_eq!(state, FilingState::Accepted);
    assert_eq!(next_office(state, Receiver::City), Some(Office::CityCenter));
    assert_eq!(next_office(state, Receiver::Province), Some(Office::ProvinceCenter));
    assert_eq!(transition(state, &FilingEvent::SubmitPlan), Ok(FilingState::PlanSubmitted));
}
