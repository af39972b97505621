//! E5: "考评组长负责填写考评情况报告，考评员签字确认；督导员填写督导报告。" The two reports of a session's
//! panel, as pure rules:
//!
//! - the **assessor report** (考评情况报告) is filed by the panel's head; every assessor of the panel (the
//!   head included) signs it from their own account; filing it again (a corrected text) clears the
//!   signatures, so nobody's signature stands under a text they did not see;
//! - the **supervision report** (督导报告) is filed by the panel's supervisor, with the incidents of the
//!   exam days (time, what happened, what was done);
//! - both may be filed from the exam's first day on, and only while the score register is still the
//!   station's (entering or returned): once it is submitted or confirmed they are part of what was
//!   decided and are locked ([`report_refusal`]).
//!
//! The register counts both as gates of its submission (`RegisterGates`).

use serde::{Deserialize, Serialize};
use time::{Date, PrimitiveDateTime, macros::format_description};

use super::{PanelRole, RegisterStatus};
use crate::error::{FieldError, FieldErrors};

/// Longest text of a report's summary, in characters.
pub const SUMMARY_MAX: usize = 4000;
/// Most incidents one supervision report lists.
pub const INCIDENTS_MAX: usize = 50;

/// One incident as typed (time `YYYY-MM-DD HH:MM`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentInput {
    #[serde(default)]
    pub at: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub action: String,
}

/// One incident as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// `YYYY-MM-DD HH:MM`, Asia/Shanghai.
    pub at: String,
    pub description: String,
    pub action: String,
}

/// Which report a step is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Assessor,
    Supervision,
}

impl ReportKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Assessor => "考评情况报告",
            Self::Supervision => "督导报告",
        }
    }
}

/// What a panel member does to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStep {
    File(ReportKind),
    Sign,
}

/// The facts a report step depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportFacts<'a> {
    /// The caller's roles on the session's panel (empty: not on it).
    pub roles: &'a [PanelRole],
    pub today: Date,
    pub first_day: Date,
    /// `None` before the first score made a register.
    pub register: Option<RegisterStatus>,
    pub assessor_report_filed: bool,
    pub signed_by_me: bool,
}

/// The summary trimmed: required, at most [`SUMMARY_MAX`] characters.
pub fn parse_summary(raw: &str) -> Result<String, FieldErrors> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new("summary", "REPORT_SUMMARY_REQUIRED", "请填写报告正文").into());
    }
    if s.chars().count() > SUMMARY_MAX {
        return Err(FieldError::new(
            "summary",
            "REPORT_SUMMARY_TOO_LONG",
            format!("报告正文不能超过 {SUMMARY_MAX} 字"),
        )
        .into());
    }
    Ok(s.to_owned())
}

/// The incidents as kept: blank rows dropped; each kept one has a time on one of the exam's days
/// (`first..=last`) and a description; every error at once, named `incidents[i].field`.
pub fn parse_incidents(rows: &[IncidentInput], first: Date, last: Date) -> Result<Vec<Incident>, FieldErrors> {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]");
    let mut errs = FieldErrors::new();
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let (at, description, action) = (r.at.trim(), r.description.trim(), r.action.trim());
        if at.is_empty() && description.is_empty() && action.is_empty() {
            continue;
        }
        let n = i + 1;
        match PrimitiveDateTime::parse(at, fmt) {
            Ok(t) if t.date() < first || t.date() > last => errs.push(FieldError::new(
                format!("incidents[{i}].at"),
                "INCIDENT_OUTSIDE_EXAM",
                format!("第 {n} 条情况的时间应在考核日期 {first} 至 {last} 之内"),
            )),
            Ok(_) => {}
            Err(_) => errs.push(FieldError::new(
                format!("incidents[{i}].at"),
                "INCIDENT_TIME_INVALID",
                format!("第 {n} 条情况的时间应为“YYYY-MM-DD HH:MM”，如 {first} 09:30"),
            )),
        }
        if description.is_empty() {
            errs.push(FieldError::new(
                format!("incidents[{i}].description"),
                "INCIDENT_DESCRIPTION_REQUIRED",
                format!("请填写第 {n} 条情况的经过"),
            ));
        }
        if description.chars().count() > 1000 || action.chars().count() > 1000 {
            errs.push(FieldError::new(
                format!("incidents[{i}].description"),
                "INCIDENT_TOO_LONG",
                format!("第 {n} 条情况的经过与处理各不能超过 1000 字"),
            ));
        }
        out.push(Incident { at: at.to_owned(), description: description.to_owned(), action: action.to_owned() });
    }
    if out.len() > INCIDENTS_MAX {
        errs.push(FieldError::new(
            "incidents",
            "INCIDENTS_TOO_MANY",
            format!("一份督导报告最多记录 {INCIDENTS_MAX} 条情况"),
        ));
    }
    errs.into_result()?;
    Ok(out)
}

/// Why a report step is refused: `(code, detail)`; `None`: allowed. The caller answers a step of
/// someone not on the panel as not found before asking.
pub fn report_refusal(step: ReportStep, f: &ReportFacts<'_>) -> Option<(&'static str, String)> {
    let is = |r: PanelRole| f.roles.contains(&r);
    let allowed_role = match step {
        ReportStep::File(ReportKind::Assessor) => is(PanelRole::Head),
        ReportStep::File(ReportKind::Supervision) => is(PanelRole::Supervisor),
        ReportStep::Sign => is(PanelRole::Head) || is(PanelRole::Assessor),
    };
    if !allowed_role {
        return Some(match step {
            ReportStep::File(ReportKind::Assessor) => ("REPORT_NOT_HEAD", "考评情况报告由考评组长填写".to_owned()),
            ReportStep::File(ReportKind::Supervision) => {
                ("REPORT_NOT_SUPERVISOR", "督导报告由本场考核的督导员填写".to_owned())
            }
            ReportStep::Sign => ("REPORT_NOT_ASSESSOR", "只有考评组的考评员签署考评情况报告".to_owned()),
        });
    }
    if f.today < f.first_day {
        return Some(("REPORT_BEFORE_EXAM", format!("考核尚未开始，{} 起方可填写、签署报告", f.first_day)));
    }
    if let Some(s @ (RegisterStatus::Submitted | RegisterStatus::Confirmed)) = f.register {
        return Some(("REPORT_LOCKED", format!("成绩登分册已{}，报告随登分册一并锁定，不能再修改或签署", s.label())));
    }
    match step {
        ReportStep::Sign if !f.assessor_report_filed => {
            Some(("REPORT_NOT_FILED", "考评组长尚未填写考评情况报告，填写后方可签署".to_owned()))
        }
        ReportStep::Sign if f.signed_by_me => Some(("REPORT_SIGNED", "您已签署本场考核的考评情况报告".to_owned())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const HEAD: &[PanelRole] = &[PanelRole::Head];
    const ASSESSOR: &[PanelRole] = &[PanelRole::Assessor];
    const SUPERVISOR: &[PanelRole] = &[PanelRole::Supervisor];

    fn facts(roles: &'static [PanelRole]) -> ReportFacts<'static> {
        ReportFacts {
            roles,
            today: date!(2026 - 06 - 15),
            first_day: date!(2026 - 06 - 15),
            register: Some(RegisterStatus::Entering),
            assessor_report_filed: true,
            signed_by_me: false,
        }
    }

    fn code(step: ReportStep, f: &ReportFacts<'_>) -> Option<&'static str> {
        report_refusal(step, f).map(|r| r.0)
    }

    #[test]
    fn e5_each_report_is_filed_by_its_own_panel_member() {
        let (a, s) = (ReportStep::File(ReportKind::Assessor), ReportStep::File(ReportKind::Supervision));
        assert_eq!(code(a, &facts(HEAD)), None);
        assert_eq!(code(a, &facts(ASSESSOR)), Some("REPORT_NOT_HEAD"));
        assert_eq!(code(a, &facts(SUPERVISOR)), Some("REPORT_NOT_HEAD"));
        assert_eq!(code(s, &facts(SUPERVISOR)), None);
        assert_eq!(code(s, &facts(HEAD)), Some("REPORT_NOT_SUPERVISOR"));
        assert_eq!(code(ReportStep::Sign, &facts(HEAD)), None);
        assert_eq!(code(ReportStep::Sign, &facts(ASSESSOR)), None);
        assert_eq!(code(ReportStep::Sign, &facts(SUPERVISOR)), Some("REPORT_NOT_ASSESSOR"));
    }

    #[test]
    fn e5_reports_wait_for_the_exam_and_lock_with_the_register() {
        let a = ReportStep::File(ReportKind::Assessor);
        let early = ReportFacts { today: date!(2026 - 06 - 14), ..facts(HEAD) };
        assert_eq!(code(a, &early), Some("REPORT_BEFORE_EXAM"));
        for (status, locked) in [
            (None, false),
            (Some(RegisterStatus::Entering), false),
            (Some(RegisterStatus::Returned), false),
            (Some(RegisterStatus::Submitted), true),
            (Some(RegisterStatus::Confirmed), true),
        ] {
            let f = ReportFacts { register: status, ..facts(HEAD) };
            assert_eq!(code(a, &f) == Some("REPORT_LOCKED"), locked, "{status:?}");
            assert_eq!(code(ReportStep::Sign, &f) == Some("REPORT_LOCKED"), locked, "{status:?}");
        }
    }

    #[test]
    fn e5_a_signature_needs_a_filed_report_and_is_given_once() {
        let unfiled = ReportFacts { assessor_report_filed: false, ..facts(ASSESSOR) };
        assert_eq!(code(ReportStep::Sign, &unfiled), Some("REPORT_NOT_FILED"));
        let signed = ReportFacts { signed_by_me: true, ..facts(ASSESSOR) };
        assert_eq!(code(ReportStep::Sign, &signed), Some("REPORT_SIGNED"));
    }

    #[test]
    fn e5_the_summary_is_required_and_bounded() {
        assert_eq!(parse_summary("  考核顺利完成。 ").unwrap(), "考核顺利完成。");
        assert_eq!(parse_summary(" ").unwrap_err().0[0].code, "REPORT_SUMMARY_REQUIRED");
        assert_eq!(parse_summary(&"字".repeat(SUMMARY_MAX + 1)).unwrap_err().0[0].code, "REPORT_SUMMARY_TOO_LONG");
    }

    #[test]
    fn e5_incidents_name_each_bad_field_and_skip_blank_rows() {
        let (first, last) = (date!(2026 - 06 - 15), date!(2026 - 06 - 16));
        let row = |at: &str, d: &str| IncidentInput { at: at.into(), description: d.into(), action: String::new() };
        let ok = parse_incidents(&[row("2026-06-15 09:40", "一名考生迟到"), IncidentInput::default()], first, last);
        assert_eq!(ok.unwrap().len(), 1);
        let bad = parse_incidents(
            &[row("2026-06-17 09:00", "x"), row("6月15日", "y"), row("2026-06-16 10:00", " ")],
            first,
            last,
        )
        .unwrap_err();
        let got: Vec<(&str, &str)> = bad.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("incidents[0].at", "INCIDENT_OUTSIDE_EXAM"),
                ("incidents[1].at", "INCIDENT_TIME_INVALID"),
                ("incidents[2].description", "INCIDENT_DESCRIPTION_REQUIRED"),
            ]
        );
    }
}
