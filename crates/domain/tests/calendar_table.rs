//! S3 and E3 count "10 working days": the calendar against every holiday and make-up working day of
//! 2021–2026, read from `data/cn-statutory-calendar.json` independently of the code under test.

use std::collections::{BTreeMap, BTreeSet};

use domain::calendar::{Calendar, CalendarError};
use time::macros::{date, format_description};
use time::{Date, Weekday};

const DATA: &str = include_str!("../../../data/cn-statutory-calendar.json");

/// Holiday days (with their names) and make-up working days, straight from the JSON.
struct Table {
    holidays: BTreeMap<Date, String>,
    workdays: BTreeSet<Date>,
}

fn day(s: &str) -> Date {
    Date::parse(s, format_description!("[year]-[month]-[day]")).expect(s)
}

fn table() -> Table {
    let json: serde_json::Value = serde_json::from_str(DATA).expect("calendar JSON");
    let years = json["years"].as_object().expect("years");
    let mut holidays = BTreeMap::new();
    let mut workdays = BTreeSet::new();
    for year in 2021..=2026 {
        let arr = &years[&year.to_string()];
        for h in arr["holidays"].as_array().expect("holidays") {
            let name = h["name"].as_str().expect("name");
            let mut d = day(h["start"].as_str().expect("start"));
            let end = day(h["end"].as_str().expect("end"));
            while d <= end {
                holidays.insert(d, name.to_owned());
                d = d.next_day().expect("next");
            }
        }
        for w in arr["workdays"].as_array().expect("workdays") {
            workdays.insert(day(w["date"].as_str().expect("date")));
        }
    }
    Table { holidays, workdays }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[test]
fn s3_every_statutory_holiday_day_of_2021_to_2026_is_not_a_working_day() {
    let calendar = Calendar::embedded();
    let table = table();
    assert_eq!(table.holidays.len(), 178, "holiday days announced for 2021–2026");
    for (d, name) in &table.holidays {
        assert_eq!(calendar.is_working_day(*d), Ok(false), "{d} {name}");
        assert_eq!(calendar.holiday_name(*d), Some(name.as_str()), "{d}");
    }
}

#[test]
fn s3_every_make_up_working_day_of_2021_to_2026_is_a_working_day_although_a_weekend() {
    let calendar = Calendar::embedded();
    let table = table();
    assert_eq!(table.workdays.len(), 40);
    for d in &table.workdays {
        assert!(is_weekend(*d), "{d} is a weekend in the data");
        assert_eq!(calendar.is_working_day(*d), Ok(true), "{d}");
        assert!(calendar.makeup_for(*d).is_some(), "{d}");
    }
}

#[test]
fn e3_every_day_of_2021_to_2026_follows_the_rule_weekday_outside_holidays_or_make_up_day() {
    let calendar = Calendar::embedded();
    let table = table();
    let mut d = date!(2021 - 01 - 01);
    let mut working = 0;
    while d <= date!(2026 - 12 - 31) {
        let expected = table.workdays.contains(&d) || (!is_weekend(d) && !table.holidays.contains_key(&d));
        assert_eq!(calendar.is_working_day(d), Ok(expected), "{d}");
        working += i64::from(expected);
        d = d.next_day().expect("next");
    }
    assert_eq!(
        calendar.working_days_between(date!(2020 - 12 - 31), date!(2026 - 12 - 31)),
        Err(CalendarError::UnknownYear(2020))
    );
    assert_eq!(
        calendar.working_days_between(date!(2021 - 01 - 01), date!(2026 - 12 - 31)),
        Ok(working),
        "2021-01-01 is 元旦, so leaving it out of (a, b] changes nothing"
    );
}

#[test]
fn s3_ordinary_weekdays_are_working_days_and_ordinary_weekends_are_not() {
    let calendar = Calendar::embedded();
    for d in [date!(2026 - 03 - 10), date!(2025 - 07 - 01), date!(2021 - 11 - 19), date!(2024 - 12 - 31)] {
        assert!(!is_weekend(d));
        assert_eq!(calendar.is_working_day(d), Ok(true), "{d}");
        assert_eq!(calendar.holiday_name(d), None);
    }
    for d in [date!(2026 - 03 - 14), date!(2026 - 03 - 15), date!(2023 - 08 - 05), date!(2022 - 11 - 27)] {
        assert!(is_weekend(d));
        assert_eq!(calendar.is_working_day(d), Ok(false), "{d}");
    }
}

#[test]
fn s3_a_holiday_announced_for_2023_starting_on_2022_12_31_counts_for_that_day() {
    let calendar = Calendar::embedded();
    assert_eq!(calendar.holiday_name(date!(2022 - 12 - 31)), Some("元旦"));
    assert_eq!(calendar.is_working_day(date!(2022 - 12 - 31)), Ok(false));
    assert_eq!(calendar.is_working_day(date!(2023 - 01 - 02)), Ok(false));
    assert_eq!(calendar.is_working_day(date!(2023 - 01 - 03)), Ok(true));
}

#[test]
fn e3_ten_working_days_after_2026_09_29_is_2026_10_19_across_the_national_day_holiday() {
    let calendar = Calendar::embedded();
    assert_eq!(calendar.add_working_days(date!(2026 - 09 - 29), 10), Ok(date!(2026 - 10 - 19)));
    // 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12 … 10-16, 10-19.
    assert_eq!(calendar.add_working_days(date!(2026 - 09 - 29), 4), Ok(date!(2026 - 10 - 10)));
    assert_eq!(calendar.add_working_days(date!(2026 - 09 - 29), 0), Ok(date!(2026 - 09 - 29)));
    assert_eq!(calendar.add_working_days(date!(2026 - 10 - 03), 0), Ok(date!(2026 - 10 - 03)));
    assert_eq!(calendar.add_working_days(date!(2026 - 09 - 30), 1), Ok(date!(2026 - 10 - 08)));
}

#[test]
fn e3_latest_plan_date_for_an_exam_on_2026_10_19_is_ten_working_days_before_on_2026_09_29() {
    let calendar = Calendar::embedded();
    assert_eq!(calendar.subtract_working_days(date!(2026 - 10 - 19), 10), Ok(date!(2026 - 09 - 29)));
    assert_eq!(calendar.subtract_working_days(date!(2026 - 10 - 08), 1), Ok(date!(2026 - 09 - 30)));
    assert_eq!(calendar.subtract_working_days(date!(2026 - 10 - 05), 0), Ok(date!(2026 - 10 - 05)));
    // Across a year boundary inside the known years: 2026-01-04 is a make-up Sunday.
    assert_eq!(calendar.subtract_working_days(date!(2026 - 01 - 05), 1), Ok(date!(2026 - 01 - 04)));
    assert_eq!(calendar.subtract_working_days(date!(2026 - 01 - 04), 1), Ok(date!(2025 - 12 - 31)));
}

#[test]
fn s3_working_days_between_counts_the_half_open_interval_and_is_negative_backwards() {
    let calendar = Calendar::embedded();
    let (a, b) = (date!(2026 - 09 - 29), date!(2026 - 10 - 19));
    assert_eq!(calendar.working_days_between(a, b), Ok(10));
    assert_eq!(calendar.working_days_between(b, a), Ok(-10));
    assert_eq!(calendar.working_days_between(a, a), Ok(0));
    assert_eq!(calendar.working_days_between(date!(2026 - 09 - 30), date!(2026 - 10 - 07)), Ok(0));
    assert_eq!(calendar.working_days_between(date!(2026 - 09 - 30), date!(2026 - 10 - 08)), Ok(1));
    // Across years 2025 → 2026: 12-31 is excluded, 01-01..01-03 off, 01-04 make-up, 01-05 Monday.
    assert_eq!(calendar.working_days_between(date!(2025 - 12 - 31), date!(2026 - 01 - 05)), Ok(2));
}

#[test]
fn s3_a_date_in_2027_is_unknown_with_the_exact_chinese_message_never_a_guess() {
    let calendar = Calendar::embedded();
    let err = calendar.is_working_day(date!(2027 - 03 - 10)).expect_err("2027 not loaded");
    assert_eq!(err, CalendarError::UnknownYear(2027));
    assert_eq!(err.to_string(), "2027 年节假日安排尚未录入");
    assert_eq!(err.code(), "CALENDAR_YEAR_UNKNOWN");
    assert_eq!(calendar.add_working_days(date!(2027 - 01 - 04), 0), Err(CalendarError::UnknownYear(2027)));
    assert_eq!(calendar.subtract_working_days(date!(2027 - 01 - 04), 1), Err(CalendarError::UnknownYear(2027)));
    assert_eq!(calendar.is_working_day(date!(2020 - 06 - 01)), Err(CalendarError::UnknownYear(2020)));
    assert_eq!(Calendar::new().is_working_day(date!(2026 - 03 - 10)), Err(CalendarError::UnknownYear(2026)));
}

#[test]
fn e3_adding_working_days_from_2026_into_2027_is_an_error_not_a_guess() {
    let calendar = Calendar::embedded();
    // 2026-12-31 is a Thursday: one working day after 12-30 is still in 2026.
    assert_eq!(calendar.add_working_days(date!(2026 - 12 - 30), 1), Ok(date!(2026 - 12 - 31)));
    assert_eq!(calendar.add_working_days(date!(2026 - 12 - 30), 2), Err(CalendarError::UnknownYear(2027)));
    assert_eq!(calendar.add_working_days(date!(2026 - 12 - 21), 10), Err(CalendarError::UnknownYear(2027)));
    assert_eq!(
        calendar.working_days_between(date!(2026 - 12 - 30), date!(2027 - 01 - 05)),
        Err(CalendarError::UnknownYear(2027))
    );
    assert_eq!(
        calendar.subtract_working_days(date!(2021 - 01 - 04), 1),
        Err(CalendarError::UnknownYear(2020)),
        "2021-01-01..03 is 元旦, so the previous working day is in 2020"
    );
}

#[test]
fn v1_the_province_center_can_enter_the_2027_arrangement_and_dates_become_known() {
    let mut calendar = Calendar::embedded();
    let json = r#"{"years": {"2027": {"holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}], "workdays": []}}}"#;
    let arr = Calendar::from_json(json).expect("json").year(2027).cloned().expect("2027");
    calendar.set_year(2027, arr).expect("valid");
    assert_eq!(calendar.years(), vec![2021, 2022, 2023, 2024, 2025, 2026, 2027]);
    assert_eq!(calendar.add_working_days(date!(2026 - 12 - 30), 2), Ok(date!(2027 - 01 - 04)));
    let text = calendar.to_json();
    assert!(text.contains("\"2027-01-03\""), "{text}");
    assert!(text.contains("\"for\": \"元旦\""), "{text}");
    assert_eq!(Calendar::from_json(&text), Ok(calendar));
}

#[test]
fn v1_malformed_calendar_json_is_an_error() {
    assert!(matches!(Calendar::from_json("{"), Err(CalendarError::Json(_))));
    let weekday_makeup =
        r#"{"years": {"2026": {"holidays": [], "workdays": [{"date": "2026-09-29", "for": "国庆节"}]}}}"#;
    let err = Calendar::from_json(weekday_makeup).expect_err("Tuesday");
    assert_eq!(err.code(), "CALENDAR_MAKEUP_NOT_WEEKEND");
}
