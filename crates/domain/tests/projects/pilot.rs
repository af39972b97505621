//! P8: the pilot's last day (month ends, leap years), the reminder day, and whether a project may hold
//! an exam on a date — before publication, on the last pilot day, the day after, in force, stopped.

use super::*;

#[test]
fn p8_the_pilot_ends_on_the_corresponding_day_clamped_to_the_month_end() {
    for (publication, months, end) in [
        (date!(2026 - 03 - 01), 6, date!(2026 - 09 - 01)),
        (date!(2026 - 08 - 31), 6, date!(2027 - 02 - 28)),
        (date!(2027 - 08 - 31), 6, date!(2028 - 02 - 29)),
        (date!(2027 - 08 - 29), 6, date!(2028 - 02 - 29)),
        (date!(2026 - 12 - 15), 1, date!(2027 - 01 - 15)),
        (date!(2026 - 01 - 31), 1, date!(2026 - 02 - 28)),
        (date!(2026 - 03 - 31), 6, date!(2026 - 09 - 30)),
        (date!(2026 - 07 - 15), 6, date!(2027 - 01 - 15)),
        (date!(2026 - 02 - 28), 12, date!(2027 - 02 - 28)),
        (date!(2026 - 05 - 20), 36, date!(2029 - 05 - 20)),
        (date!(2026 - 05 - 20), 0, date!(2026 - 05 - 20)),
    ] {
        assert_eq!(pilot_end(publication, months), end, "{publication} + {months}");
    }
}

#[test]
fn p8_the_reminder_comes_the_policys_days_before_the_end() {
    assert_eq!(reminder_date(date!(2026 - 09 - 01), 30), date!(2026 - 08 - 02));
    assert_eq!(reminder_date(date!(2027 - 03 - 01), 1), date!(2027 - 02 - 28));
    assert_eq!(reminder_date(date!(2028 - 03 - 01), 1), date!(2028 - 02 - 29));
    let d = def(keys::PILOT_REMINDER_DAYS).expect("defined");
    assert_eq!((d.default, d.clause, d.assumption), ("30", "P8", true));
    assert!(d.parse_input("0").is_err() && d.parse_input("181").is_err());
    assert_eq!(def(keys::PILOT_MAX_MONTHS).expect("defined").default, "6");
}

#[test]
fn p8_a_pilot_may_hold_exams_up_to_and_including_its_last_day() {
    let published = date!(2026 - 08 - 31);
    let pilot = ProjectState::Pilot;
    assert_eq!(may_hold_exam(pilot, Some(published), 6, published), Ok(()));
    assert_eq!(may_hold_exam(pilot, Some(published), 6, date!(2027 - 02 - 28)), Ok(()));
    let refusal = may_hold_exam(pilot, Some(published), 6, date!(2027 - 03 - 01)).expect_err("expired");
    assert_eq!(refusal, ExamRefusal::PilotExpired { end: date!(2027 - 02 - 28) });
    assert_eq!((refusal.code(), refusal.field()), ("PROJECT_PILOT_EXPIRED", "exam_date"));
    assert_eq!(
        refusal.detail(),
        "该考核项目的试点期已于 2027-02-28 结束，须经省鉴定中心决定全省推行后方可继续开展考核"
    );
    let before = may_hold_exam(pilot, Some(published), 6, date!(2026 - 08 - 30)).expect_err("before");
    assert_eq!(before.code(), "PROJECT_NOT_YET_STARTED");
    assert_eq!(before.detail(), "该考核项目于 2026-08-31 发布，考核日期不能早于发布日期");
}

#[test]
fn p8_a_project_in_force_may_hold_exams_any_day_from_publication() {
    let published = date!(2026 - 03 - 01);
    assert_eq!(may_hold_exam(ProjectState::InForce, Some(published), 6, date!(2031 - 12 - 31)), Ok(()));
    assert_eq!(may_hold_exam(ProjectState::InForce, Some(published), 6, published), Ok(()));
    assert_eq!(
        may_hold_exam(ProjectState::InForce, Some(published), 6, date!(2026 - 02 - 28)).expect_err("before").code(),
        "PROJECT_NOT_YET_STARTED"
    );
}

#[test]
fn p8_stopped_and_unpublished_projects_may_not_hold_exams() {
    let on = date!(2026 - 06 - 01);
    let published = Some(date!(2026 - 03 - 01));
    let stopped = may_hold_exam(ProjectState::Stopped, published, 6, on).expect_err("stopped");
    assert_eq!((stopped.code(), stopped.field()), ("PROJECT_STOPPED", "project"));
    assert_eq!(stopped.detail(), "该考核项目已停止，不能开展考核");
    for state in ProjectState::ALL.iter().filter(|s| !s.is_public()) {
        let r = may_hold_exam(*state, published, 6, on).expect_err(state.id());
        assert_eq!(r, ExamRefusal::NotPublished { state: *state });
        assert!(r.detail().contains(state.label()), "{}", r.detail());
    }
    assert_eq!(
        may_hold_exam(ProjectState::Established, None, 6, on).expect_err("unpublished").detail(),
        "该考核项目尚未发布（当前状态为“已设立待发布”），不能开展考核"
    );
    // A pilot without a stored publication date reads as not published, never as open-ended.
    assert_eq!(may_hold_exam(ProjectState::Pilot, None, 6, on).expect_err("no date").code(), "PROJECT_NOT_PUBLISHED");
    let fe: FieldError = stopped.into();
    assert_eq!(fe.code, "PROJECT_STOPPED");
}

#[test]
fn p8_exam_eligibility_around_the_end_follows_pilot_end_for_every_day_of_a_year() {
    let mut publication: Date = date!(2027 - 01 - 01);
    while publication.year() == 2027 {
        let end = pilot_end(publication, 6);
        assert!(end > publication && (end - publication).whole_days() <= 184, "{publication} → {end}");
        assert_eq!(may_hold_exam(ProjectState::Pilot, Some(publication), 6, end), Ok(()));
        let next = end.next_day().expect("next day");
        assert!(may_hold_exam(ProjectState::Pilot, Some(publication), 6, next).is_err(), "{publication}");
        publication = publication.next_day().expect("next");
    }
}
