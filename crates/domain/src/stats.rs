//! R1, R2: the statistics of the province center (every city) and of a city center (its own): the
//! period a dashboard covers — a year, optionally narrowed to a range of its months — and the pass
//! rate's arithmetic. The figures themselves are counted by the store (`store::stats`).

use crate::{FieldError, FieldErrors};
use time::{Date, Month};

/// The earliest and latest year a dashboard accepts.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// What a dashboard's filter typed: the year and, optionally, its first and last month.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct StatsPeriodInput {
    pub year: Option<String>,
    pub from_month: Option<String>,
    pub to_month: Option<String>,
}

/// The period of a dashboard: the months `from..=to` of `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsPeriod {
    pub year: i32,
    pub from: u8,
    pub to: u8,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn month(field: &str, label: &str, raw: Option<&str>, default: u8) -> Result<u8, FieldError> {
    match raw {
        None => Ok(default),
        Some(m) => m
            .parse::<u8>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| FieldError::new(field, "MONTH_INVALID", format!("「{label}」应为 1 至 12 的月份"))),
    }
}

impl StatsPeriodInput {
    /// The period typed; the year `this_year` when none is; every bad field named at once.
    pub fn parse(&self, this_year: i32) -> Result<StatsPeriod, FieldErrors> {
        let mut errs = FieldErrors::new();
        let year = match blank(&self.year) {
            None => Some(this_year),
            Some(y) => errs.take(
                y.parse::<i32>()
                    .ok()
                    .filter(|y| YEARS.contains(y))
                    .ok_or_else(|| FieldError::new("year", "YEAR_INVALID", "「年度」应为四位年份，如 2026")),
            ),
        };
        let from = errs.take(month("from_month", "起始月份", blank(&self.from_month), 1));
        let to = errs.take(month("to_month", "截止月份", blank(&self.to_month), 12));
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            errs.push(FieldError::new("to_month", "MONTH_RANGE", "「截止月份」不能早于「起始月份」"));
        }
        errs.into_result()?;
        match (year, from, to) {
            (Some(year), Some(from), Some(to)) => Ok(StatsPeriod { year, from, to }),
            _ => Err(FieldErrors::from(FieldError::new("year", "YEAR_INVALID", "「年度」应为四位年份，如 2026"))),
        }
    }
}

impl StatsPeriod {
    /// A whole year.
    pub fn year(year: i32) -> StatsPeriod {
        StatsPeriod { year, from: 1, to: 12 }
    }

    fn first_of(year: i32, m: u8) -> Date {
        let month = Month::try_from(m).unwrap_or(Month::January);
        Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN)
    }

    /// The first day of month `m` (1–12) of the period's year.
    pub fn month_start(&self, m: u8) -> Date {
        Self::first_of(self.year, m)
    }

    /// The first day of the period.
    pub fn first(&self) -> Date {
        self.month_start(self.from)
    }

    /// The day after the period (its end, exclusive).
    pub fn end(&self) -> Date {
        if self.to >= 12 { Self::first_of(self.year + 1, 1) } else { self.month_start(self.to + 1) }
    }

    /// The last day of the period.
    pub fn last(&self) -> Date {
        self.end().previous_day().unwrap_or(self.end())
    }

    /// The months of the period, in order.
    pub fn months(&self) -> impl Iterator<Item = u8> + use<> {
        self.from..=self.to
    }

    /// How the period reads on a page: `2026 年` or `2026 年 3—6 月`.
    pub fn label(&self) -> String {
        match (self.from, self.to) {
            (1, 12) => format!("{} 年", self.year),
            (f, t) if f == t => format!("{} 年 {f} 月", self.year),
            (f, t) => format!("{} 年 {f}—{t} 月", self.year),
        }
    }
}

/// The pass rate in tenths of a percent (`passed / assessed`, rounded half up); none when nobody was
/// assessed.
pub fn pass_rate_permille(passed: u64, assessed: u64) -> Option<u64> {
    (assessed > 0).then(|| (passed * 1000 + assessed / 2) / assessed)
}

/// The pass rate as a page shows it: `66.7%`, or `—` when nobody was assessed.
pub fn pass_rate_text(passed: u64, assessed: u64) -> String {
    match pass_rate_permille(passed, assessed) {
        Some(r) => format!("{}.{}%", r / 10, r % 10),
        None => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(y: &str, f: &str, t: &str) -> StatsPeriodInput {
        StatsPeriodInput { year: Some(y.into()), from_month: Some(f.into()), to_month: Some(t.into()) }
    }

    #[test]
    fn a_year_and_its_months() {
        let p = input("2026", "", "").parse(2025).unwrap();
        assert_eq!(p, StatsPeriod::year(2026));
        assert_eq!((p.first().to_string(), p.last().to_string()), ("2026-01-01".into(), "2026-12-31".into()));
        assert_eq!(p.end().to_string(), "2027-01-01");
        assert_eq!(p.label(), "2026 年");
        let q = input("2024", "2", "2").parse(2026).unwrap();
        assert_eq!((q.first().to_string(), q.last().to_string()), ("2024-02-01".into(), "2024-02-29".into()));
        assert_eq!(q.label(), "2024 年 2 月");
        assert_eq!(input("2026", "3", "6").parse(2026).unwrap().months().collect::<Vec<_>>(), [3, 4, 5, 6]);
        assert_eq!(StatsPeriodInput::default().parse(2031).unwrap(), StatsPeriod::year(2031));
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = input("26", "0", "13").parse(2026).unwrap_err();
        let fields: Vec<(&str, &str)> = e.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(fields, [("year", "YEAR_INVALID"), ("from_month", "MONTH_INVALID"), ("to_month", "MONTH_INVALID")]);
        let e = input("2026", "7", "3").parse(2026).unwrap_err();
        assert_eq!(e.get("to_month").map(|e| e.code), Some("MONTH_RANGE"));
    }

    #[test]
    fn pass_rates_round_half_up() {
        assert_eq!(pass_rate_permille(2, 3), Some(667));
        assert_eq!(pass_rate_permille(1, 8), Some(125));
        assert_eq!(pass_rate_permille(0, 0), None);
        assert_eq!(pass_rate_text(3, 3), "100.0%");
        assert_eq!(pass_rate_text(0, 0), "—");
    }
}
