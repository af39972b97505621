//! E8–E10: the province center's training courses for assessors, supervisors and trainers — a course
//! (kind, title, dates, place; for assessors the catalog projects it qualifies for), its trainees
//! (enrolled with the facts the registry needs), attendance and the result. A trainee who attended and
//! passed gets the kind's card (numbered by the policy's template, `crate::registry::card_number`) and
//! enters the registry, or has their record renewed there.

use crate::enums::string_enum;
use crate::registry::parse_project_codes;
use crate::{FieldError, FieldErrors};
use time::Date;

string_enum! {
    /// A trainee's result: none yet, passed or failed.
    TrainingResult {
        Pending = "pending" => "待定",
        Passed = "passed" => "合格",
        Failed = "failed" => "不合格",
    }
}

/// A course as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct CourseInput {
    /// `assessor`, `supervisor` or `trainer`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub start_date: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub location: String,
    /// Catalog project codes (assessor courses), separated by 、.
    #[serde(default)]
    pub projects: String,
}

/// A parsed course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub kind: crate::registry::PersonKind,
    pub title: String,
    pub start_date: Date,
    pub end_date: Date,
    pub location: String,
    pub projects: Vec<String>,
}

fn text(field: &str, label: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    crate::text::single_line(field, label, raw)?;
    let t = raw.trim();
    match t.chars().count() {
        0 => Err(FieldError::new(field, "REQUIRED", format!("请填写{label}"))),
        n if n > max => Err(FieldError::new(field, "TOO_LONG", format!("{label}不能超过 {max} 个字"))),
        _ => Ok(t.to_owned()),
    }
}

fn date(field: &str, label: &str, raw: &str) -> Result<Date, FieldError> {
    Date::parse(raw.trim(), &time::format_description::well_known::Iso8601::DATE)
        .map_err(|_| FieldError::new(field, "DATE_FORMAT", format!("{label}应为日期，格式 YYYY-MM-DD")))
}

/// Parse a course: every error at once, each naming its field.
pub fn parse_course(input: &CourseInput) -> Result<Course, FieldErrors> {
    let mut errs = FieldErrors::new();
    let kind = errs.take(
        crate::registry::PersonKind::from_text(&input.kind)
            .ok_or_else(|| FieldError::new("kind", "KIND_INVALID", "培训类别应为 考评员、督导员 或 培训师")),
    );
    let title = errs.take(text("title", "培训班名称", &input.title, 100));
    let start = errs.take(date("start_date", "开班日期", &input.start_date));
    let end = errs.take(date("end_date", "结业日期", &input.end_date));
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errs.push(FieldError::new("end_date", "END_BEFORE_START", "结业日期不能早于开班日期"));
    }
    let location = errs.take(text("location", "培训地点", &input.location, 100));
    let projects = errs.take(parse_project_codes(&input.projects)).unwrap_or_default();
    match kind {
        Some(crate::registry::PersonKind::Assessor) if projects.is_empty() && errs.get("projects").is_none() => {
            errs.push(FieldError::new("projects", "REQUIRED", "考评员培训班请填写培训的考核项目代码"))
        }
        Some(crate::registry::PersonKind::Supervisor | crate::registry::PersonKind::Trainer)
            if !projects.is_empty() =>
        {
            errs.push(FieldError::new("projects", "PROJECTS_ASSESSORS_ONLY", "只有考评员培训班登记考核项目"))
        }
        _ => {}
    }
    match (kind, title, start, end, location) {
        (Some(kind), Some(title), Some(start_date), Some(end_date), Some(location)) if errs.is_empty() => {
            Ok(Course { kind, title, start_date, end_date, location, projects })
        }
        _ => Err(errs),
    }
}

/// Whether a result may be recorded: only after the course has ended, and a pass only for a trainee who
/// attended (field `result`).
pub fn check_result(course_end: Date, today: Date, attended: bool, result: TrainingResult) -> Result<(), FieldError> {
    if result != TrainingResult::Pending && today < course_end {
        return Err(FieldError::new("result", "COURSE_NOT_ENDED", format!("培训班 {course_end} 结业后才能登记结果")));
    }
    if result == TrainingResult::Passed && !attended {
        return Err(FieldError::new("result", "NOT_ATTENDED", "未出勤的学员不能登记为合格"));
    }
    Ok(())
}

/// The projects a passing trainee of a course is qualified for: those already held and the course's.
pub fn merged_projects(held: &[String], course: &[String]) -> Vec<String> {
    let mut v: Vec<String> = held.iter().chain(course).cloned().collect();
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> CourseInput {
        CourseInput {
            kind: "assessor".into(),
            title: "2026 年第一期考评员培训班".into(),
            start_date: "2026-03-01".into(),
            end_date: "2026-03-05".into(),
            location: "长沙市".into(),
            projects: "0001".into(),
        }
    }

    #[test]
    fn e8_a_course_parses_and_every_bad_field_is_named() {
        assert_eq!(parse_course(&input()).expect("valid").projects, ["0001"]);
        let bad = CourseInput {
            kind: "x".into(),
            title: " ".into(),
            start_date: "2026-03-05".into(),
            end_date: "2026-03-01".into(),
            location: String::new(),
            projects: "a".into(),
        };
        let e = parse_course(&bad).expect_err("invalid");
        let mut fields: Vec<&str> = e.0.iter().map(|e| e.field.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["end_date", "kind", "location", "projects", "title"]);
        assert!(
            parse_course(&CourseInput { projects: String::new(), ..input() }).is_err(),
            "an assessor course names projects"
        );
        assert!(parse_course(&CourseInput { kind: "trainer".into(), ..input() }).is_err());
    }

    #[test]
    fn e8_a_pass_needs_the_course_ended_and_attendance() {
        let end = date!(2026 - 03 - 05);
        assert_eq!(
            check_result(end, date!(2026 - 03 - 04), true, TrainingResult::Passed).unwrap_err().code,
            "COURSE_NOT_ENDED"
        );
        assert_eq!(check_result(end, end, false, TrainingResult::Passed).unwrap_err().code, "NOT_ATTENDED");
        assert!(check_result(end, end, false, TrainingResult::Failed).is_ok());
        assert!(check_result(end, date!(2026 - 03 - 01), false, TrainingResult::Pending).is_ok());
        assert_eq!(merged_projects(&["0002".into()], &["0001".into(), "0002".into()]), ["0001", "0002"]);
    }
}
