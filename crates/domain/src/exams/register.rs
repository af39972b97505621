//! E5, E6: the score register (成绩登分册) of a session. The station enters the scores and submits the
//! register with the materials once every gate of E5 holds — every candidate scored (or marked absent),
//! the assessor report filed by the head and signed by every assessor, the supervision report filed; the
//! organizer reviews it and confirms it (the scores are locked) or returns it with a reason. A confirmed
//! score is never edited: a correction is a new version of the register with its reason, taken by the
//! organizer and audited.
//!
//! | from | event | to |
//! |---|---|---|
//! | entering, returned | edit a score | the same (the station's) |
//! | entering, returned | submit (every gate held) | submitted |
//! | submitted | confirm | confirmed (locked) |
//! | submitted | return (reason) | returned |
//! | confirmed | correct (reason) | confirmed, version + 1 |
//!
//! Anything else is refused with what the register's state allows; a submission with a gate missing
//! names every missing gate.

use serde::{Deserialize, Serialize};

use crate::enums::string_enum;
use crate::error::{FieldError, refusal};

string_enum! {
    /// Where a score register stands.
    RegisterStatus {
        Entering = "entering" => "登分中",
        Submitted = "submitted" => "待审核确认",
        Returned = "returned" => "已退回",
        Confirmed = "confirmed" => "已确认",
    }
}

/// A register's status and version (from 1; a correction adds one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterState {
    pub status: RegisterStatus,
    pub version: u32,
}

impl RegisterState {
    pub const NEW: RegisterState = RegisterState { status: RegisterStatus::Entering, version: 1 };
}

/// The facts E5 gates a submission on (the store counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RegisterGates {
    /// Candidates without a score (nor marked absent).
    pub unscored: u32,
    pub assessor_report_filed: bool,
    /// Assessors of the panel who have not signed the assessor report.
    pub unsigned: u32,
    pub supervision_report_filed: bool,
}

/// What happens to a register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterEvent {
    EditScore,
    Submit(RegisterGates),
    Confirm,
    Return { reason: String },
    Correct { reason: String },
}

impl RegisterEvent {
    fn name(&self) -> &'static str {
        match self {
            Self::EditScore => "修改成绩",
            Self::Submit(_) => "提交成绩登分册",
            Self::Confirm => "审核确认",
            Self::Return { .. } => "退回",
            Self::Correct { .. } => "更正成绩",
        }
    }
}

/// Why a register event is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterRefusal {
    /// `REGISTER_LOCKED` for a score edit on a confirmed register, `REGISTER_STATE` otherwise.
    NotAllowed { status: RegisterStatus, event: &'static str },
    /// `REGISTER_GATES`: every gate that does not hold, in words.
    Gates(Vec<String>),
    /// `REASON_REQUIRED`.
    ReasonRequired { event: &'static str },
}

impl RegisterRefusal {
    pub fn detail(&self) -> String {
        match self {
            Self::NotAllowed { status: RegisterStatus::Confirmed, event } if *event == "修改成绩" => {
                "成绩登分册已确认，成绩已锁定；如需更正，请由组织考核的鉴定中心填写更正理由，形成新版本".to_owned()
            }
            Self::NotAllowed { status, event } => format!("成绩登分册当前为“{}”，不能{event}", status.label()),
            Self::Gates(missing) => format!("尚不能提交成绩登分册：{}", missing.join("；")),
            Self::ReasonRequired { event } => format!("{event}须填写理由"),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        let (field, code) = match self {
            Self::NotAllowed { status: RegisterStatus::Confirmed, event } if *event == "修改成绩" => {
                ("scores", "REGISTER_LOCKED")
            }
            Self::NotAllowed { .. } => ("", "REGISTER_STATE"),
            Self::Gates(_) => ("", "REGISTER_GATES"),
            Self::ReasonRequired { .. } => ("reason", "REASON_REQUIRED"),
        };
        FieldError::new(field, code, self.detail())
    }
}

refusal!(RegisterRefusal);

/// The gates of E5 that do not hold, in words (empty: the register may be submitted).
pub fn missing_gates(g: &RegisterGates) -> Vec<String> {
    let mut out = Vec::new();
    if g.unscored > 0 {
        out.push(format!("还有 {} 名考生未登记成绩（缺考的请标记缺考）", g.unscored));
    }
    if !g.assessor_report_filed {
        out.push("考评组组长尚未填写考评情况报告".to_owned());
    }
    if g.unsigned > 0 {
        out.push(format!("还有 {} 名考评员未在考评情况报告上签名", g.unsigned));
    }
    if !g.supervision_report_filed {
        out.push("质量督导员尚未填写考核现场督导报告".to_owned());
    }
    out
}

/// The register's next state after `event` (see the module's table).
pub fn register_transition(state: RegisterState, event: &RegisterEvent) -> Result<RegisterState, RegisterRefusal> {
    use RegisterStatus::*;
    let to = |status| Ok(RegisterState { status, version: state.version });
    let refused = || Err(RegisterRefusal::NotAllowed { status: state.status, event: event.name() });
    match (state.status, event) {
        (Entering | Returned, RegisterEvent::EditScore) => Ok(state),
        (Entering | Returned, RegisterEvent::Submit(g)) => {
            let missing = missing_gates(g);
            if missing.is_empty() { to(Submitted) } else { Err(RegisterRefusal::Gates(missing)) }
        }
        (Submitted, RegisterEvent::Confirm) => to(Confirmed),
        (Submitted, RegisterEvent::Return { reason }) | (Confirmed, RegisterEvent::Correct { reason })
            if reason.trim().is_empty() =>
        {
            Err(RegisterRefusal::ReasonRequired { event: event.name() })
        }
        (Submitted, RegisterEvent::Return { .. }) => to(Returned),
        (Confirmed, RegisterEvent::Correct { .. }) => {
            Ok(RegisterState { status: Confirmed, version: state.version.saturating_add(1) })
        }
        _ => refused(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegisterStatus::*;

    fn st(status: RegisterStatus) -> RegisterState {
        RegisterState { status, version: 1 }
    }

    const ALL_HELD: RegisterGates =
        RegisterGates { unscored: 0, assessor_report_filed: true, unsigned: 0, supervision_report_filed: true };

    #[test]
    fn e6_the_register_moves_only_as_the_table_says() {
        let reason = || "第 3 号考生实操成绩录入有误".to_string();
        let events = [
            RegisterEvent::EditScore,
            RegisterEvent::Submit(ALL_HELD),
            RegisterEvent::Confirm,
            RegisterEvent::Return { reason: reason() },
            RegisterEvent::Correct { reason: reason() },
        ];
        for status in RegisterStatus::ALL {
            for e in &events {
                let got = register_transition(st(*status), e).map(|s| (s.status, s.version));
                let want = match (status, e) {
                    (Entering | Returned, RegisterEvent::EditScore) => Some((*status, 1)),
                    (Entering | Returned, RegisterEvent::Submit(_)) => Some((Submitted, 1)),
                    (Submitted, RegisterEvent::Confirm) => Some((Confirmed, 1)),
                    (Submitted, RegisterEvent::Return { .. }) => Some((Returned, 1)),
                    (Confirmed, RegisterEvent::Correct { .. }) => Some((Confirmed, 2)),
                    _ => None,
                };
                assert_eq!(got.ok(), want, "{status} {e:?}");
            }
        }
    }

    #[test]
    fn e6_a_confirmed_score_is_locked_and_a_correction_needs_its_reason() {
        let e = register_transition(st(Confirmed), &RegisterEvent::EditScore).expect_err("locked");
        assert_eq!(e.to_field_error().code, "REGISTER_LOCKED");
        assert!(e.detail().contains("已锁定"), "{}", e.detail());
        let e = register_transition(st(Confirmed), &RegisterEvent::Correct { reason: " ".into() }).expect_err("reason");
        assert_eq!((e.to_field_error().field.as_str(), e.to_field_error().code), ("reason", "REASON_REQUIRED"));
        let e =
            register_transition(st(Submitted), &RegisterEvent::Return { reason: String::new() }).expect_err("reason");
        assert_eq!(e.to_field_error().code, "REASON_REQUIRED");
    }

    #[test]
    fn e5_a_submission_names_every_missing_gate() {
        let g =
            RegisterGates { unscored: 2, assessor_report_filed: false, unsigned: 1, supervision_report_filed: false };
        let e = register_transition(st(Entering), &RegisterEvent::Submit(g)).expect_err("gates");
        let RegisterRefusal::Gates(missing) = &e else { panic!("{e:?}") };
        assert_eq!(missing.len(), 4);
        assert!(e.detail().contains("2 名考生未登记成绩") && e.detail().contains("1 名考评员未在考评情况报告上签名"));
        assert_eq!(e.to_field_error().code, "REGISTER_GATES");
        for one in [
            RegisterGates { unscored: 1, ..ALL_HELD },
            RegisterGates { assessor_report_filed: false, ..ALL_HELD },
            RegisterGates { unsigned: 1, ..ALL_HELD },
            RegisterGates { supervision_report_filed: false, ..ALL_HELD },
        ] {
            assert_eq!(missing_gates(&one).len(), 1, "{one:?}");
        }
    }
}
