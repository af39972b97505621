//! S3: the evaluation plan's lead in working days, around holidays and into an unloaded year.

use super::*;

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
