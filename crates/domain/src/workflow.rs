//! Workflow events and deadlines: every transition of a procedure writes an event (who, when, from, to,
//! comment); an event may hand the next step to someone with a deadline in working days (S3, E3), which
//! feeds each user's to-do list (我的待办). Every event and every draw names its subject by a
//! [`SubjectKind`] and the subject's id.

use crate::calendar::{Calendar, CalendarError};
use crate::enums::string_enum;
use serde::Serialize;
use time::Date;

string_enum! {
    /// What a workflow event, a to-do, an attachment or a draw is about.
    SubjectKind {
        /// A station filing (S1–S5), id = the filing's id. A filing's evaluation-group draw (S4) has
        /// this subject too.
        Filing = "filing" => "备案申请",
        /// One evaluation-group member's findings on a filing (S4), id = `filing_id:user_id`: the
        /// member's own to-do, kept off the filing's timeline.
        FilingFindings = "filing_findings" => "评估意见",
        /// An assessment project (P1–P8), id = the project's id. The project's P4 review draw has this
        /// subject too.
        Project = "project" => "考核项目",
        /// One review-group member's opinion on a project (P4), id = `project_id:user_id`: the member's
        /// own to-do, kept off the project's timeline.
        ProjectReview = "project_review" => "项目评审意见",
        /// The working-day calendar (S3, E3), id = the year: the reminder to enter next year's holidays.
        Calendar = "calendar" => "工作日历",
        /// A user name whose failed sign-ins from every address passed the policy's hourly ceiling,
        /// id = the user name: the security administrator's alert (issue 8 item 5).
        Account = "account" => "账号安全",
        /// A request to use papers for an exam and its custody ledger (E2), id = the release's id.
        PaperRelease = "paper_release" => "试卷使用申请",
        /// An exam session's plan (E1, E3), id = the session's id: the submitted plan is the organizer's
        /// to-do, a returned one the station's.
        ExamSession = "exam_session" => "考核计划",
    }
}

/// How a deadline reads on the to-do list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Working days left after today, today included when it is a working day.
    Remaining {
        working_days: i64,
    },
    DueToday,
    Overdue {
        working_days: i64,
    },
    /// The calendar of a year in between is not loaded.
    Unknown {
        reason: String,
    },
}

impl DeadlineStatus {
    pub fn of(cal: &Calendar, today: Date, due: Date) -> Self {
        if due == today {
            return DeadlineStatus::DueToday;
        }
        match cal.working_days_between(today, due) {
            Ok(n) if due > today => DeadlineStatus::Remaining { working_days: n },
            Ok(n) => DeadlineStatus::Overdue { working_days: -n },
            Err(e) => DeadlineStatus::Unknown { reason: e.to_string() },
        }
    }

    pub fn text(&self) -> String {
        match self {
            DeadlineStatus::Remaining { working_days } => format!("还剩 {working_days} 个工作日"),
            DeadlineStatus::DueToday => "今日到期".to_string(),
            DeadlineStatus::Overdue { working_days } => format!("已逾期 {working_days} 个工作日"),
            DeadlineStatus::Unknown { reason } => reason.clone(),
        }
    }

    pub fn is_overdue(&self) -> bool {
        matches!(self, DeadlineStatus::Overdue { .. })
    }
}

/// A due date `n` working days after `from`.
pub fn due_after(cal: &Calendar, from: Date, n: u32) -> Result<Date, CalendarError> {
    cal.add_working_days(from, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn s4_subject_kinds_are_stored_by_their_ids() {
        let ids: Vec<&str> = SubjectKind::ALL.iter().map(|k| k.id()).collect();
        assert_eq!(
            ids,
            [
                "filing",
                "filing_findings",
                "project",
                "project_review",
                "calendar",
                "account",
                "paper_release",
                "exam_session"
            ]
        );
        assert_eq!(SubjectKind::Filing.label(), "备案申请");
        // A filing's draw is about the filing: there is no separate kind for it.
        assert!("station_filing".parse::<SubjectKind>().is_err());
    }

    #[test]
    fn deadline_reads_as_working_days_left_or_overdue() {
        let cal = Calendar::embedded();
        // 2026-09-29 + 10 working days = 2026-10-19 across the National Day holiday.
        let due = due_after(&cal, date!(2026 - 09 - 29), 10).expect("known year");
        assert_eq!(due, date!(2026 - 10 - 19));
        assert_eq!(DeadlineStatus::of(&cal, date!(2026 - 09 - 29), due).text(), "还剩 10 个工作日");
        assert_eq!(DeadlineStatus::of(&cal, due, due), DeadlineStatus::DueToday);
        let late = DeadlineStatus::of(&cal, date!(2026 - 10 - 21), due);
        assert!(late.is_overdue(), "{late:?}");
        assert_eq!(late.text(), "已逾期 2 个工作日");
        assert!(matches!(
            DeadlineStatus::of(&cal, date!(2026 - 12 - 30), date!(2027 - 01 - 08)),
            DeadlineStatus::Unknown { .. }
        ));
    }
}
