//! E3: "考核站应在考核前10个工作日向市州鉴定中心报送考务方案……" — the exam plan a station submits
//! (dates, venue, expected candidates, the plan itself) and its lead time: the plan reaches the organizer
//! no later than the policy's number of working days (`exam.plan_lead_working_days`, 10) before the
//! exam's first day, counted on the statutory calendar (holidays and make-up working days).
//!
//! **How the days are counted** (as S3 counts the evaluation plan): the latest submission day is the
//! `lead`-th working day strictly before the exam's first day ([`latest_submission`]); a plan submitted
//! on that day or earlier is on time. Exam on Monday 2026-06-15, lead 10: the latest day is Monday
//! 2026-06-01 (the Dragon Boat holiday 2026-06-19 is after the exam and does not count).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{Calendar, CalendarError};
use crate::error::{FieldError, FieldErrors, refusal};

/// The most days an exam session may last (a multi-day practical, say).
pub const MAX_EXAM_DAYS: i64 = 15;
/// The most candidates one session plans for.
pub const MAX_EXPECTED_CANDIDATES: u32 = 1000;
/// The longest venue and plan texts.
pub const VENUE_MAX_CHARS: usize = 200;
pub const PLAN_MAX_CHARS: usize = 5000;

/// The exam plan as typed (form or API body).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ExamPlanInput {
    /// The catalog project's code.
    #[serde(default)]
    pub project_code: String,
    /// First exam day, `YYYY-MM-DD`.
    #[serde(default)]
    pub first_day: String,
    /// Last exam day, `YYYY-MM-DD` (the first day when blank).
    #[serde(default)]
    pub last_day: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub expected_candidates: String,
    /// 机考 (computer-based): decides the organizer with the pilot (E1).
    #[serde(default)]
    pub computer_based: bool,
    /// The plan itself: schedule, staff, seating, paper custody, emergencies.
    #[serde(default)]
    pub plan: String,
}

/// A parsed exam plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamPlan {
    pub project_code: String,
    pub first_day: Date,
    pub last_day: Date,
    pub venue: String,
    pub expected_candidates: u32,
    pub computer_based: bool,
    pub plan: String,
}

fn date(field: &str, label: &str, raw: &str) -> Result<Date, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new(field, "REQUIRED", format!("请填写{label}")));
    }
    crate::projects::machine::parse_date(raw).ok_or_else(|| {
        FieldError::new(field, "DATE_INVALID", format!("{label}应为 YYYY-MM-DD 格式的日期，如 2026-06-15"))
    })
}

fn text(field: &str, label: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    crate::text::check(field, label, raw)?;
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(FieldError::new(field, "REQUIRED", format!("请填写{label}")));
    }
    if n > max {
        return Err(FieldError::new(field, "TOO_LONG", format!("{label}不得超过 {max} 个字（现有 {n} 个字）")));
    }
    Ok(t.to_owned())
}

impl ExamPlan {
    /// Parses the plan, every error at once, each naming its field. `today` bounds the first day (an
    /// exam is planned for a day after today).
    pub fn parse(input: &ExamPlanInput, today: Date) -> Result<ExamPlan, FieldErrors> {
        let mut errs = FieldErrors::new();
        let project_code = errs.take(match input.project_code.trim() {
            "" => Err(FieldError::new("project_code", "REQUIRED", "请选择考核项目")),
            c if c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') && c.len() <= 20 => Ok(c.to_owned()),
            _ => Err(FieldError::new("project_code", "PROJECT_CODE_INVALID", "考核项目代码应为目录中的项目代码")),
        });
        let first = errs.take(date("first_day", "考核开始日期", &input.first_day).and_then(|d| {
            if d > today {
                Ok(d)
            } else {
                Err(FieldError::new("first_day", "EXAM_DATE_NOT_FUTURE", format!("考核开始日期应晚于今天（{today}）")))
            }
        }));
        let last = match input.last_day.trim() {
            "" => first.map(Ok),
            raw => Some(date("last_day", "考核结束日期", raw)),
        };
        let last = last.and_then(|r| errs.take(r));
        if let (Some(f), Some(l)) = (first, last) {
            if l < f {
                errs.push(FieldError::new("last_day", "EXAM_DAYS_REVERSED", "考核结束日期不能早于开始日期"));
            } else if (l - f).whole_days() >= MAX_EXAM_DAYS {
                errs.push(FieldError::new(
                    "last_day",
                    "EXAM_TOO_LONG",
                    format!("一次考核最长 {MAX_EXAM_DAYS} 天，请分为多次考核"),
                ));
            }
        }
        let venue = errs.take(text("venue", "考核地点", &input.venue, VENUE_MAX_CHARS));
        let expected = errs.take(match input.expected_candidates.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_EXPECTED_CANDIDATES).contains(&n) => Ok(n),
            _ if input.expected_candidates.trim().is_empty() => {
                Err(FieldError::new("expected_candidates", "REQUIRED", "请填写计划考生人数"))
            }
            _ => Err(FieldError::new(
                "expected_candidates",
                "EXPECTED_CANDIDATES_INVALID",
                format!("计划考生人数应为 1–{MAX_EXPECTED_CANDIDATES} 的整数"),
            )),
        });
        let plan = errs.take(text("plan", "考务方案", &input.plan, PLAN_MAX_CHARS));
        match (project_code, first, last, venue, expected, plan) {
            (
                Some(project_code),
                Some(first_day),
                Some(last_day),
                Some(venue),
                Some(expected_candidates),
                Some(plan),
            ) if errs.is_empty() => Ok(ExamPlan {
                project_code,
                first_day,
                last_day,
                venue,
                expected_candidates,
                computer_based: input.computer_based,
                plan,
            }),
            _ => Err(errs),
        }
    }
}

/// E3: the last day a plan for an exam starting on `first_day` may be submitted: the `lead`-th working
/// day strictly before it.
pub fn latest_submission(cal: &Calendar, first_day: Date, lead: u32) -> Result<Date, CalendarError> {
    cal.subtract_working_days(first_day, lead)
}

/// Why a plan is refused for its timing (`PLAN_LATE`, field `first_day`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLate {
    pub first_day: Date,
    pub lead: u32,
    pub latest: Date,
    pub submitted_on: Date,
}

impl PlanLate {
    pub fn detail(&self) -> String {
        format!(
            "考务方案须在考核开始日（{}）前至少 {} 个工作日报送，即不晚于 {}；今天（{}）报送已不足，请调整考核日期",
            self.first_day, self.lead, self.latest, self.submitted_on
        )
    }

    pub fn to_field_error(&self) -> FieldError {
        FieldError::new("first_day", "PLAN_LATE", self.detail())
    }
}

refusal!(PlanLate);

/// E3: whether a plan submitted on `submitted_on` for an exam starting on `first_day` is on time under
/// a lead of `lead` working days. A year the calendar does not know yet is the calendar's error (the
/// province enters that year's holidays first).
pub fn check_lead_time(
    cal: &Calendar,
    submitted_on: Date,
    first_day: Date,
    lead: u32,
) -> Result<Result<(), PlanLate>, CalendarError> {
    let latest = latest_submission(cal, first_day, lead)?;
    Ok(if submitted_on <= latest { Ok(()) } else { Err(PlanLate { first_day, lead, latest, submitted_on }) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> ExamPlanInput {
        ExamPlanInput {
            project_code: "0001".into(),
            first_day: "2026-06-15".into(),
            last_day: "2026-06-16".into(),
            venue: "长沙市岳麓区麓谷大道 100 号实训楼".into(),
            expected_candidates: "40".into(),
            computer_based: false,
            plan: "上午理论考试，下午操作技能考核；考评组 3 人，督导员 1 人。".into(),
        }
    }

    #[test]
    fn e3_a_complete_plan_parses() {
        let p = ExamPlan::parse(&input(), date!(2026 - 05 - 20)).expect("valid");
        assert_eq!(
            (p.first_day, p.last_day, p.expected_candidates),
            (date!(2026 - 06 - 15), date!(2026 - 06 - 16), 40)
        );
        let mut one_day = input();
        one_day.last_day = String::new();
        assert_eq!(ExamPlan::parse(&one_day, date!(2026 - 05 - 20)).expect("valid").last_day, date!(2026 - 06 - 15));
    }

    #[test]
    fn e3_every_bad_field_is_named_at_once() {
        let bad = ExamPlanInput {
            project_code: String::new(),
            first_day: "2026/06/15".into(),
            last_day: String::new(),
            venue: " ".into(),
            expected_candidates: "0".into(),
            computer_based: false,
            plan: String::new(),
        };
        let e = ExamPlan::parse(&bad, date!(2026 - 05 - 20)).expect_err("invalid");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["project_code", "first_day", "venue", "expected_candidates", "plan"]);
        assert!(e.0[1].detail.contains("YYYY-MM-DD"));
    }

    #[test]
    fn e3_dates_past_reversed_or_too_long_are_refused() {
        let today = date!(2026 - 06 - 15);
        let code = |i: &ExamPlanInput| ExamPlan::parse(i, today).expect_err("refused").0[0].code;
        assert_eq!(code(&input()), "EXAM_DATE_NOT_FUTURE");
        let mut reversed = input();
        reversed.last_day = "2026-06-14".into();
        assert_eq!(
            ExamPlan::parse(&reversed, date!(2026 - 05 - 01)).expect_err("reversed").0[0].code,
            "EXAM_DAYS_REVERSED"
        );
        let mut long = input();
        long.last_day = "2026-06-30".into();
        assert_eq!(ExamPlan::parse(&long, date!(2026 - 05 - 01)).expect_err("long").0[0].code, "EXAM_TOO_LONG");
    }

    #[test]
    fn e3_the_plan_is_due_the_leadth_working_day_before_the_exam() {
        let cal = Calendar::embedded();
        // 2026-06-15 (Monday), 10 working days: 06-01 (Monday); no holiday in between.
        assert_eq!(latest_submission(&cal, date!(2026 - 06 - 15), 10).expect("known"), date!(2026 - 06 - 01));
        assert_eq!(check_lead_time(&cal, date!(2026 - 06 - 01), date!(2026 - 06 - 15), 10).expect("known"), Ok(()));
        let late =
            check_lead_time(&cal, date!(2026 - 06 - 02), date!(2026 - 06 - 15), 10).expect("known").expect_err("late");
        assert_eq!(late.latest, date!(2026 - 06 - 01));
        let e = late.to_field_error();
        assert_eq!((e.field.as_str(), e.code), ("first_day", "PLAN_LATE"));
        assert!(e.detail.contains("2026-06-01") && e.detail.contains("10 个工作日"), "{}", e.detail);
        // Across 国庆节 (10-01..07) and 中秋节 (09-25..27): the make-up Saturday 10-10 counts, the
        // holidays do not — 10-10, 10-09, 10-08, 09-30, 09-29, 09-28, 09-24, 09-23, 09-22, 09-21.
        assert_eq!(latest_submission(&cal, date!(2026 - 10 - 12), 10).expect("known"), date!(2026 - 09 - 21));
    }
}
