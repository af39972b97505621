//! P8: the pilot ("试点期原则上不超过6个月，从考核项目发布之日起计算") and whether a project may hold an exam on
//! a date (the exam procedure calls [`may_hold_exam`]).
//!
//! **How the period is counted.** As the Civil Code counts periods in months (民法典第二百零一条、第二百零
//! 二条: the day of publication itself is not counted, and the period's last day is the corresponding
//! day of the month *n* months later, or that month's last day when it has no corresponding day), the
//! pilot of a project published on `publication` runs **up to and including** [`pilot_end`]:
//!
//! | publication | months | last pilot day |
//! |---|---|---|
//! | 2026-03-01 | 6 | 2026-09-01 |
//! | 2026-08-31 | 6 | 2027-02-28 (February has no 31st) |
//! | 2027-08-29 | 6 | 2028-02-29 (leap year) |
//! | 2026-12-15 | 1 | 2027-01-15 |
//!
//! An exam on the last pilot day is allowed; from the next day a project still in pilot may not hold one
//! until the province rolls it out province-wide ([`ExamRefusal::PilotExpired`]). The months are the
//! policy's (`project.pilot_max_months`, 6), read by the store at the publication date's version. kaohe
//! reminds the province [`reminder_date`] — the policy's days (`project.pilot_reminder_days`, 30)
//! before the last day.

use std::fmt;

use time::{Date, Duration, Month};

use super::machine::ProjectState;
use crate::error::FieldError;

/// P8: the last day of a pilot that started on `publication` and lasts at most `max_months` months: the
/// corresponding day `max_months` months later, clamped to that month's last day (see the module doc).
pub fn pilot_end(publication: Date, max_months: u32) -> Date {
    let months =
        i64::from(publication.year()) * 12 + i64::from(u8::from(publication.month()) - 1) + i64::from(max_months);
    let year = i32::try_from(months.div_euclid(12)).unwrap_or(i32::MAX);
    let month_number = u8::try_from(months.rem_euclid(12) + 1).unwrap_or(12);
    let month = Month::try_from(month_number).unwrap_or(Month::December);
    let day = publication.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

/// P8: the day kaohe reminds the province that the pilot ends on `end`: `days_before` days earlier
/// (`project.pilot_reminder_days`). A reminder day before the publication is the caller's to clamp
/// (remind at once).
pub fn reminder_date(end: Date, days_before: u32) -> Date {
    end.checked_sub(Duration::days(i64::from(days_before))).unwrap_or(Date::MIN)
}

/// Why a project may not hold an exam on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExamRefusal {
    /// `PROJECT_NOT_PUBLISHED`: the project is not in the catalog (not yet established and published,
    /// rejected, or waiting for an adoption's approval).
    NotPublished { state: ProjectState },
    /// `PROJECT_NOT_YET_STARTED`: the exam date is before the publication date.
    NotYetStarted { publication: Date },
    /// `PROJECT_PILOT_EXPIRED`: the project is still in pilot and the pilot ended before the exam date.
    PilotExpired { end: Date },
    /// `PROJECT_STOPPED`: the province stopped the project.
    Stopped,
}

impl ExamRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            ExamRefusal::NotPublished { .. } => "PROJECT_NOT_PUBLISHED",
            ExamRefusal::NotYetStarted { .. } => "PROJECT_NOT_YET_STARTED",
            ExamRefusal::PilotExpired { .. } => "PROJECT_PILOT_EXPIRED",
            ExamRefusal::Stopped => "PROJECT_STOPPED",
        }
    }

    /// `project` for the project's own state, `exam_date` when the date is the problem.
    pub fn field(&self) -> &'static str {
        match self {
            ExamRefusal::NotPublished { .. } | ExamRefusal::Stopped => "project",
            ExamRefusal::NotYetStarted { .. } | ExamRefusal::PilotExpired { .. } => "exam_date",
        }
    }

    pub fn detail(&self) -> String {
        match self {
            ExamRefusal::NotPublished { state } => {
                format!("该考核项目尚未发布（当前状态为“{}”），不能开展考核", state.label())
            }
            ExamRefusal::NotYetStarted { publication } => {
                format!("该考核项目于 {publication} 发布，考核日期不能早于发布日期")
            }
            ExamRefusal::PilotExpired { end } => {
                format!("该考核项目的试点期已于 {end} 结束，须经省鉴定中心决定全省推行后方可继续开展考核")
            }
            ExamRefusal::Stopped => "该考核项目已停止，不能开展考核".to_owned(),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(self.field(), self.code(), self.detail())
    }
}

impl fmt::Display for ExamRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail())
    }
}

impl std::error::Error for ExamRefusal {}

impl From<ExamRefusal> for FieldError {
    fn from(e: ExamRefusal) -> Self {
        e.to_field_error()
    }
}

/// P8: whether a project in `state`, published on `publication`, may hold an exam `on` a date, with a
/// pilot of `max_months` months. In pilot: from the publication date up to and including
/// [`pilot_end`]. In force: any date on or after the publication date. Stopped or not published: never.
/// A pilot or in-force project without a publication date (never stored so) reads as not published.
pub fn may_hold_exam(
    state: ProjectState,
    publication: Option<Date>,
    max_months: u32,
    on: Date,
) -> Result<(), ExamRefusal> {
    match state {
        ProjectState::Stopped => return Err(ExamRefusal::Stopped),
        ProjectState::Pilot | ProjectState::InForce => {}
        _ => return Err(ExamRefusal::NotPublished { state }),
    }
    let publication = publication.ok_or(ExamRefusal::NotPublished { state })?;
    if on < publication {
        return Err(ExamRefusal::NotYetStarted { publication });
    }
    if state == ProjectState::Pilot {
        let end = pilot_end(publication, max_months);
        if on > end {
            return Err(ExamRefusal::PilotExpired { end });
        }
    }
    Ok(())
}
