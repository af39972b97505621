//! S3: the evaluation plan reaches the province center at least *n* working days (policy
//! `filing.evaluation_plan_lead_working_days`, 10) before the evaluation ([`check_plan_lead`]); when it
//! does not, the refusal names the latest submission day and the earliest evaluation date
//! ([`PlanTiming::TooLate`], [`latest_plan_submission_day`]).

use std::fmt;

use time::Date;

use crate::calendar::{Calendar, CalendarError};
use crate::error::FieldError;

/// Why an evaluation plan's timing is refused (S3). Reported against the field `evaluation_date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanTiming {
    /// `EVALUATION_PLAN_TOO_LATE`: the evaluation is fewer than the required working days after the day
    /// the plan reaches the province.
    TooLate {
        /// The last working day from which `evaluation_date` is still far enough ahead (a submission on
        /// the non-working days right after it is also in time).
        latest_submission_day: Date,
        /// The first date far enough after the submission day.
        earliest_evaluation_date: Date,
        lead_working_days: u32,
    },
    /// `EVALUATION_DATE_NOT_AFTER_SUBMISSION`: the evaluation date is not after the submission day.
    NotAfterSubmission { submitted_on: Date, evaluation_date: Date },
    /// A date in a year whose holiday arrangement is not loaded (the calendar's own error and code).
    Calendar(CalendarError),
}

/// The field every [`PlanTiming`] is reported against.
pub const EVALUATION_DATE_FIELD: &str = "evaluation_date";

impl PlanTiming {
    pub fn code(&self) -> &'static str {
        match self {
            PlanTiming::TooLate { .. } => "EVALUATION_PLAN_TOO_LATE",
            PlanTiming::NotAfterSubmission { .. } => "EVALUATION_DATE_NOT_AFTER_SUBMISSION",
            PlanTiming::Calendar(e) => e.code(),
        }
    }

    pub fn detail(&self) -> String {
        match self {
            PlanTiming::TooLate { latest_submission_day, earliest_evaluation_date, lead_working_days } => format!(
                "评估方案须于评估前 {lead_working_days} 个工作日报省鉴定中心：评估日期最早为 {}；\
                 如按原评估日期，评估方案最迟应于 {} 上报",
                ymd(*earliest_evaluation_date),
                ymd(*latest_submission_day),
            ),
            PlanTiming::NotAfterSubmission { submitted_on, evaluation_date } => {
                format!("评估日期 {} 须晚于评估方案上报日期 {}", ymd(*evaluation_date), ymd(*submitted_on))
            }
            PlanTiming::Calendar(e) => e.to_string(),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        match self {
            PlanTiming::Calendar(e) => e.to_field_error(EVALUATION_DATE_FIELD),
            other => FieldError::new(EVALUATION_DATE_FIELD, other.code(), other.detail()),
        }
    }
}

impl fmt::Display for PlanTiming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail())
    }
}

impl std::error::Error for PlanTiming {}

impl From<CalendarError> for PlanTiming {
    fn from(e: CalendarError) -> Self {
        PlanTiming::Calendar(e)
    }
}

fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// S3: a plan reaching the province on `submitted_on` for an evaluation on `evaluation_date` is in time
/// when `evaluation_date >= cal.add_working_days(submitted_on, lead_working_days)`.
pub fn check_plan_lead(
    cal: &Calendar,
    submitted_on: Date,
    evaluation_date: Date,
    lead_working_days: u32,
) -> Result<(), PlanTiming> {
    if evaluation_date <= submitted_on {
        return Err(PlanTiming::NotAfterSubmission { submitted_on, evaluation_date });
    }
    let earliest_evaluation_date = cal.add_working_days(submitted_on, lead_working_days)?;
    if evaluation_date >= earliest_evaluation_date {
        return Ok(());
    }
    let latest_submission_day = latest_plan_submission_day(cal, evaluation_date, lead_working_days)?;
    Err(PlanTiming::TooLate { latest_submission_day, earliest_evaluation_date, lead_working_days })
}

/// S3: the last working day on which a plan for an evaluation on `evaluation_date` may reach the
/// province (the due date of the `accepted` to-do once the evaluation date is known): the
/// `lead_working_days`-th working day before the evaluation date — counted from the last working day on
/// or before it, so that an evaluation on a weekend or holiday still has the full lead after the
/// submission day. For every day `d` up to the result, `check_plan_lead(cal, d, evaluation_date, n)`
/// accepts the plan; from the next working day on it refuses it.
pub fn latest_plan_submission_day(
    cal: &Calendar,
    evaluation_date: Date,
    lead_working_days: u32,
) -> Result<Date, CalendarError> {
    let last_working_day = if cal.is_working_day(evaluation_date)? {
        evaluation_date
    } else {
        cal.subtract_working_days(evaluation_date, 1)?
    };
    cal.subtract_working_days(last_working_day, lead_working_days)
}

/// S3: the evaluation takes place on the day its plan reported at least the lead time ahead — never
/// earlier, or the province could sign off an evaluation nobody was told about in time. An earlier
/// evaluation needs a new plan that meets the lead time. Refused with `EVALUATION_NOT_YET_DUE`, naming
/// the planned day.
pub fn check_evaluation_start(evaluation_date: Date, today: Date) -> Result<(), FieldError> {
    if today >= evaluation_date {
        return Ok(());
    }
    Err(FieldError::new(
        EVALUATION_DATE_FIELD,
        "EVALUATION_NOT_YET_DUE",
        format!(
            "评估方案确定的评估日期为 {}，在此之前不能开始评估；如需提前评估，须重新报送满足提前期的评估方案",
            ymd(evaluation_date)
        ),
    ))
}

#[cfg(test)]
mod start_tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn s3_the_evaluation_starts_on_its_planned_day_or_later_never_before() {
        let planned = date!(2026 - 10 - 19);
        let early = check_evaluation_start(planned, date!(2026 - 10 - 16)).expect_err("before the planned day");
        assert_eq!((early.field.as_str(), early.code), ("evaluation_date", "EVALUATION_NOT_YET_DUE"));
        assert!(early.detail.contains("2026-10-19"), "{}", early.detail);
        assert!(check_evaluation_start(planned, planned).is_ok());
        assert!(check_evaluation_start(planned, date!(2026 - 10 - 20)).is_ok(), "a late start is the province's call");
    }
}
