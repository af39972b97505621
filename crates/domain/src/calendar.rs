//! Working days for the deadlines of S3 (evaluation plan reported at least 10 working days ahead) and
//! E3 (exam plan submitted at least 10 working days ahead): statutory holidays and make-up working days
//! (调休上班日) per announced year, loaded from `data/cn-statutory-calendar.json` and editable by the
//! province center. A date in a year whose arrangement is not loaded is never guessed: it is
//! [`CalendarError::UnknownYear`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Month, Weekday};

use crate::error::FieldError;

time::serde::format_description!(pub ymd, Date, "[year]-[month]-[day]");

/// The arrangements announced for 2021–2026, shipped with the program as defaults.
const EMBEDDED_JSON: &str = include_str!("../../../data/cn-statutory-calendar.json");

/// A statutory holiday: every day from `start` to `end` inclusive is a day off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub name: String,
    #[serde(with = "ymd")]
    pub start: Date,
    #[serde(with = "ymd")]
    pub end: Date,
}

impl Holiday {
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }
}

/// A weekend day worked in exchange for a holiday (调休上班日).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakeupDay {
    #[serde(with = "ymd")]
    pub date: Date,
    #[serde(rename = "for")]
    pub for_name: String,
}

/// One year's announcement by the General Office of the State Council.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearArrangement {
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    #[serde(default)]
    pub workdays: Vec<MakeupDay>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{0} 年节假日安排尚未录入")]
    UnknownYear(i32),
    #[error("节假日数据无法读取：{0}")]
    Json(String),
    #[error("{0}")]
    Invalid(FieldError),
}

impl CalendarError {
    /// The stable API code.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::UnknownYear(_) => "CALENDAR_YEAR_UNKNOWN",
            CalendarError::Json(_) => "CALENDAR_JSON",
            CalendarError::Invalid(e) => e.code,
        }
    }

    /// The error reported against a form field (e.g. the exam date whose deadline could not be computed).
    pub fn to_field_error(&self, field: &str) -> FieldError {
        match self {
            CalendarError::Invalid(e) => e.clone().for_field(field),
            other => FieldError::new(field, other.code(), other.to_string()),
        }
    }
}

/// The JSON file: `{"_about": "...", "years": {"2026": {...}}}`.
#[derive(Serialize, Deserialize)]
struct CalendarFile {
    #[serde(rename = "_about", default, skip_serializing_if = "Option::is_none")]
    about: Option<String>,
    years: BTreeMap<i32, YearArrangement>,
}

/// Statutory holidays and make-up working days, keyed by the year of the announcement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    about: Option<String>,
    years: BTreeMap<i32, YearArrangement>,
}

impl Calendar {
    /// An empty calendar: every year is unknown.
    pub fn new() -> Self {
        Self::default()
    }

    /// The arrangements shipped with the program (2021–2026). The unit test
    /// `embedded_calendar_parses_and_validates` proves the file loads; were it ever broken, the calendar
    /// would be empty and every date would report an unknown year rather than a guess.
    pub fn embedded() -> Self {
        Self::from_json(EMBEDDED_JSON).unwrap_or_default()
    }

    /// Parse and validate every year (see [`Calendar::set_year`]).
    pub fn from_json(json: &str) -> Result<Self, CalendarError> {
        let file: CalendarFile = serde_json::from_str(json).map_err(|e| CalendarError::Json(e.to_string()))?;
        let mut calendar = Calendar { about: file.about, years: BTreeMap::new() };
        for (year, arrangement) in file.years {
            calendar.set_year(year, arrangement).map_err(CalendarError::Invalid)?;
        }
        Ok(calendar)
    }

    /// The same JSON shape as the data file.
    pub fn to_json(&self) -> String {
        let file = CalendarFile { about: self.about.clone(), years: self.years.clone() };
        // Dates of years accepted by `set_year` always format; the map keys are integers.
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Load or replace the arrangement announced for `year`, after checking that every holiday ends on
    /// or after its start, every date lies in `year` or adjoins it (December before, January after),
    /// make-up working days fall on weekends, and nothing overlaps (within the year or with other years).
    pub fn set_year(&mut self, year: i32, arr: YearArrangement) -> Result<(), FieldError> {
        validate_year(year, &arr)?;
        for (other_year, other) in self.years.iter().filter(|(y, _)| **y != year) {
            check_no_clash(&arr, other, *other_year)?;
        }
        self.years.insert(year, arr);
        Ok(())
    }

    /// The announcement years loaded, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    pub fn year(&self, y: i32) -> Option<&YearArrangement> {
        self.years.get(&y)
    }

    /// A calendar year is known when the arrangement announced for it is loaded.
    pub fn is_known_year(&self, y: i32) -> bool {
        self.years.contains_key(&y)
    }

    fn ensure_known(&self, d: Date) -> Result<(), CalendarError> {
        if self.is_known_year(d.year()) { Ok(()) } else { Err(CalendarError::UnknownYear(d.year())) }
    }

    /// The arrangements that may mention `d`: its own year's and its neighbours' (dates adjoin a year by
    /// at most a month).
    fn arrangements_near(&self, d: Date) -> impl Iterator<Item = &YearArrangement> {
        let y = d.year();
        self.years.range(y.saturating_sub(1)..=y.saturating_add(1)).map(|(_, a)| a)
    }

    /// The name of the holiday `d` falls in, if any.
    pub fn holiday_name(&self, d: Date) -> Option<&str> {
        self.arrangements_near(d).flat_map(|a| a.holidays.iter()).find(|h| h.contains(d)).map(|h| h.name.as_str())
    }

    /// The holiday a make-up working day `d` is worked for, if `d` is one.
    pub fn makeup_for(&self, d: Date) -> Option<&str> {
        self.arrangements_near(d).flat_map(|a| a.workdays.iter()).find(|m| m.date == d).map(|m| m.for_name.as_str())
    }

    /// Monday–Friday outside every holiday, or a listed make-up working day.
    pub fn is_working_day(&self, d: Date) -> Result<bool, CalendarError> {
        self.ensure_known(d)?;
        if self.makeup_for(d).is_some() {
            return Ok(true);
        }
        if self.holiday_name(d).is_some() {
            return Ok(false);
        }
        Ok(!matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
    }

    /// The `n`-th working day strictly after `d` (`d` itself when `n` = 0).
    pub fn add_working_days(&self, d: Date, n: u32) -> Result<Date, CalendarError> {
        self.ensure_known(d)?;
        let mut current = d;
        let mut left = n;
        while left > 0 {
            current = current.next_day().ok_or(CalendarError::UnknownYear(current.year() + 1))?;
            if self.is_working_day(current)? {
                left -= 1;
            }
        }
        Ok(current)
    }

    /// The `n`-th working day strictly before `d` (`d` itself when `n` = 0). For a working day `d`,
    /// `working_days_between(subtract_working_days(d, n), d) == n`.
    pub fn subtract_working_days(&self, d: Date, n: u32) -> Result<Date, CalendarError> {
        self.ensure_known(d)?;
        let mut current = d;
        let mut left = n;
        while left > 0 {
            current = current.previous_day().ok_or(CalendarError::UnknownYear(current.year() - 1))?;
            if self.is_working_day(current)? {
                left -= 1;
            }
        }
        Ok(current)
    }

    /// The number of working days in (a, b]; negative when b is before a.
    pub fn working_days_between(&self, a: Date, b: Date) -> Result<i64, CalendarError> {
        if b < a {
            return self.working_days_between(b, a).map(|n| -n);
        }
        self.ensure_known(a)?;
        let mut count = 0;
        let mut current = a;
        while current < b {
            current = current.next_day().ok_or(CalendarError::UnknownYear(current.year() + 1))?;
            if self.is_working_day(current)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

fn invalid(field: &str, code: &'static str, detail: String) -> FieldError {
    FieldError::new(field, code, detail)
}

/// A year's dates lie from 1 December of the year before to 31 January of the year after.
fn year_window(year: i32) -> Result<(Date, Date), FieldError> {
    let first = Date::from_calendar_date(year.saturating_sub(1), Month::December, 1);
    let last = Date::from_calendar_date(year.saturating_add(1), Month::January, 31);
    match (first, last) {
        (Ok(first), Ok(last)) => Ok((first, last)),
        _ => Err(invalid("year", "CALENDAR_YEAR_RANGE", format!("年份 {year} 超出范围"))),
    }
}

fn validate_year(year: i32, arr: &YearArrangement) -> Result<(), FieldError> {
    let (first, last) = year_window(year)?;
    let outside = |field: &str, d: Date| {
        invalid(field, "CALENDAR_DATE_OUTSIDE_YEAR", format!("{d} 不在 {year} 年及其相邻的 12 月、1 月内"))
    };
    for h in &arr.holidays {
        if h.name.trim().is_empty() {
            return Err(invalid("holidays", "CALENDAR_NAME_EMPTY", "节假日名称不能为空".into()));
        }
        if h.start > h.end {
            return Err(invalid(
                "holidays",
                "CALENDAR_HOLIDAY_RANGE",
                format!("{}的结束日期 {} 早于开始日期 {}", h.name, h.end, h.start),
            ));
        }
        for d in [h.start, h.end] {
            if d < first || d > last {
                return Err(outside("holidays", d));
            }
        }
    }
    let mut holidays: Vec<&Holiday> = arr.holidays.iter().collect();
    holidays.sort_by_key(|h| h.start);
    for pair in holidays.windows(2) {
        if pair[1].start <= pair[0].end {
            return Err(overlap(&pair[0].name, &pair[1].name));
        }
    }
    for (i, m) in arr.workdays.iter().enumerate() {
        if m.for_name.trim().is_empty() {
            return Err(invalid("workdays", "CALENDAR_NAME_EMPTY", "调休上班日须注明对应节日".into()));
        }
        if m.date < first || m.date > last {
            return Err(outside("workdays", m.date));
        }
        if !matches!(m.date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            return Err(invalid(
                "workdays",
                "CALENDAR_MAKEUP_NOT_WEEKEND",
                format!("调休上班日 {} 不是周六或周日", m.date),
            ));
        }
        if arr.workdays[..i].iter().any(|p| p.date == m.date) {
            return Err(invalid("workdays", "CALENDAR_OVERLAP", format!("调休上班日 {} 重复", m.date)));
        }
        if let Some(h) = arr.holidays.iter().find(|h| h.contains(m.date)) {
            return Err(makeup_in_holiday(m.date, &h.name));
        }
    }
    Ok(())
}

/// `new` (for its own year) must not clash with the arrangement already loaded for `other_year`.
fn check_no_clash(new: &YearArrangement, other: &YearArrangement, other_year: i32) -> Result<(), FieldError> {
    for h in &new.holidays {
        if let Some(o) = other.holidays.iter().find(|o| h.start <= o.end && o.start <= h.end) {
            return Err(overlap(&h.name, &format!("{other_year} 年的{}", o.name)));
        }
        if let Some(m) = other.workdays.iter().find(|m| h.contains(m.date)) {
            return Err(makeup_in_holiday(m.date, &h.name));
        }
    }
    for m in &new.workdays {
        if other.workdays.iter().any(|o| o.date == m.date) {
            return Err(invalid(
                "workdays",
                "CALENDAR_OVERLAP",
                format!("调休上班日 {} 已在 {other_year} 年的安排中", m.date),
            ));
        }
        if let Some(h) = other.holidays.iter().find(|h| h.contains(m.date)) {
            return Err(makeup_in_holiday(m.date, &h.name));
        }
    }
    Ok(())
}

fn overlap(a: &str, b: &str) -> FieldError {
    invalid("holidays", "CALENDAR_OVERLAP", format!("{a}与{b}的日期重叠"))
}

fn makeup_in_holiday(d: Date, holiday: &str) -> FieldError {
    invalid("workdays", "CALENDAR_OVERLAP", format!("调休上班日 {d} 落在{holiday}假期内"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn embedded_calendar_parses_and_validates() {
        let calendar = Calendar::from_json(EMBEDDED_JSON).expect("embedded calendar must load");
        assert_eq!(calendar.years(), vec![2021, 2022, 2023, 2024, 2025, 2026]);
        assert_eq!(Calendar::embedded(), calendar);
    }

    #[test]
    fn to_json_round_trips() {
        let calendar = Calendar::embedded();
        let again = Calendar::from_json(&calendar.to_json()).expect("round trip");
        assert_eq!(again, calendar);
    }

    #[test]
    fn a_makeup_day_on_a_weekday_is_refused() {
        let arr = YearArrangement {
            holidays: vec![],
            workdays: vec![MakeupDay { date: date!(2026 - 09 - 29), for_name: "国庆节".into() }],
        };
        let err = Calendar::new().set_year(2026, arr).expect_err("weekday make-up day");
        assert_eq!(err.code, "CALENDAR_MAKEUP_NOT_WEEKEND");
    }

    #[test]
    fn holidays_ending_before_they_start_or_overlapping_are_refused() {
        let h = |name: &str, start, end| Holiday { name: name.into(), start, end };
        let backwards = YearArrangement {
            holidays: vec![h("国庆节", date!(2026 - 10 - 07), date!(2026 - 10 - 01))],
            workdays: vec![],
        };
        let err = Calendar::new().set_year(2026, backwards).expect_err("backwards");
        assert_eq!(err.code, "CALENDAR_HOLIDAY_RANGE");

        let overlapping = YearArrangement {
            holidays: vec![
                h("中秋节", date!(2026 - 09 - 25), date!(2026 - 10 - 01)),
                h("国庆节", date!(2026 - 10 - 01), date!(2026 - 10 - 07)),
            ],
            workdays: vec![],
        };
        let err = Calendar::new().set_year(2026, overlapping).expect_err("overlap");
        assert_eq!(err.code, "CALENDAR_OVERLAP");

        let far = YearArrangement {
            holidays: vec![h("国庆节", date!(2025 - 10 - 01), date!(2025 - 10 - 07))],
            workdays: vec![],
        };
        let err = Calendar::new().set_year(2026, far).expect_err("outside");
        assert_eq!(err.code, "CALENDAR_DATE_OUTSIDE_YEAR");
    }

    #[test]
    fn a_year_clashing_with_a_loaded_year_is_refused() {
        let new_year = |start, end| YearArrangement {
            holidays: vec![Holiday { name: "元旦".into(), start, end }],
            workdays: vec![],
        };
        let mut calendar = Calendar::new();
        calendar.set_year(2026, new_year(date!(2026 - 01 - 01), date!(2026 - 01 - 03))).expect("2026");
        let err = calendar
            .set_year(2025, new_year(date!(2025 - 12 - 31), date!(2026 - 01 - 02)))
            .expect_err("overlaps 2026's 元旦");
        assert_eq!(err.code, "CALENDAR_OVERLAP");

        let mut calendar = Calendar::embedded();
        calendar
            .set_year(2027, new_year(date!(2026 - 12 - 31), date!(2027 - 01 - 03)))
            .expect("an adjoining December date is allowed");
        assert_eq!(calendar.holiday_name(date!(2026 - 12 - 31)), Some("元旦"));
        assert_eq!(calendar.is_working_day(date!(2026 - 12 - 31)), Ok(false));
    }

    #[test]
    fn unknown_year_error_carries_its_code_to_a_field() {
        let e = CalendarError::UnknownYear(2027).to_field_error("exam_date");
        assert_eq!(e.code, "CALENDAR_YEAR_UNKNOWN");
        assert_eq!(e.detail, "2027 年节假日安排尚未录入");
    }
}

crate::enums::string_enum! {
    /// Where a year's holiday arrangement came from (S3, E3).
    CalendarSource {
        /// Shipped with kaohe (the State Council notices 2021–2026).
        Builtin = "builtin" => "系统预置（国务院办公厅通知）",
        /// Entered by the province center on the calendar page.
        Entered = "entered" => "省鉴定中心录入",
    }
}
