//! E1, E3: an exam session (考核场次) from the station's plan to the organizer's approval, as a state
//! machine. The station drafts the plan (`draft`), submits it on time (`submitted`, the lead time is
//! [`super::check_lead_time`]); the organizer decided by E1 approves it (`approved`) or returns it with
//! reasons (`returned`), and a returned plan is edited and submitted again. Before approval the station
//! may cancel the session with a reason (`cancelled`, final).
//!
//! | from | event | to | actor |
//! |---|---|---|---|
//! | draft, returned | edit (plan or candidates) | the same | station |
//! | draft, returned | submit | submitted | station |
//! | submitted | approve | approved | organizer |
//! | submitted | return (reasons) | returned | organizer |
//! | draft, submitted, returned | cancel (reason) | cancelled | station |
//!
//! The roster is part of the plan the organizer approves: candidates are added, imported and removed
//! only while the plan is the station's (`draft`, `returned`). The later states of a session (panel, the
//! exam held, the score register) extend [`SessionState`] and this table.

use crate::audit::AuditAction;
use crate::enums::string_enum;
use crate::error::{FieldError, refusal};

string_enum! {
    /// Where an exam session stands.
    SessionState {
        Draft = "draft" => "草拟",
        Submitted = "submitted" => "已报送",
        Approved = "approved" => "已批准",
        Returned = "returned" => "已退回",
        Cancelled = "cancelled" => "已取消",
    }
}

impl SessionState {
    /// The plan and its candidates are the station's to change.
    pub fn is_editable(self) -> bool {
        matches!(self, SessionState::Draft | SessionState::Returned)
    }
}

string_enum! {
    /// Who takes a session's step.
    SessionActor {
        /// The station's staff (`session.plan`).
        Station = "station" => "考核站",
        /// The organizer decided by E1 (`session.decide`, the province or the station's city center).
        Organizer = "organizer" => "组织考核的鉴定中心",
    }
}

string_enum! {
    /// The kinds of [`SessionEvent`], by id (API and forms name them so).
    SessionEventKind {
        Edit = "edit" => "修改考核计划",
        Submit = "submit" => "报送考核计划",
        Approve = "approve" => "批准考核计划",
        Return = "return" => "退回考核计划",
        Cancel = "cancel" => "取消考核",
    }
}

impl SessionEventKind {
    pub fn actor(self) -> SessionActor {
        match self {
            SessionEventKind::Approve | SessionEventKind::Return => SessionActor::Organizer,
            _ => SessionActor::Station,
        }
    }

    pub fn audit_action(self) -> AuditAction {
        match self {
            SessionEventKind::Edit => AuditAction::ExamSessionUpdated,
            SessionEventKind::Submit => AuditAction::ExamSessionSubmitted,
            SessionEventKind::Approve => AuditAction::ExamSessionApproved,
            SessionEventKind::Return => AuditAction::ExamSessionReturned,
            SessionEventKind::Cancel => AuditAction::ExamSessionCancelled,
        }
    }
}

/// A step of a session, with its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    Edit,
    Submit,
    Approve,
    Return { reasons: String },
    Cancel { reason: String },
}

impl SessionEvent {
    pub fn kind(&self) -> SessionEventKind {
        match self {
            SessionEvent::Edit => SessionEventKind::Edit,
            SessionEvent::Submit => SessionEventKind::Submit,
            SessionEvent::Approve => SessionEventKind::Approve,
            SessionEvent::Return { .. } => SessionEventKind::Return,
            SessionEvent::Cancel { .. } => SessionEventKind::Cancel,
        }
    }

    pub fn actor(&self) -> SessionActor {
        self.kind().actor()
    }

    pub fn audit_action(&self) -> AuditAction {
        self.kind().audit_action()
    }

    /// The reason a return or a cancellation carries.
    pub fn reason(&self) -> Option<&str> {
        match self {
            SessionEvent::Return { reasons } => Some(reasons),
            SessionEvent::Cancel { reason } => Some(reason),
            _ => None,
        }
    }
}

string_enum! {
    /// How a candidate came onto a session's list.
    CandidateSource {
        /// From an .xlsx roster.
        Roster = "roster" => "名册导入",
        /// Typed on the form by the station.
        Manual = "manual" => "逐个添加",
        /// Applied through candidate self-service (confirmed by the station; issue 12, next part).
        Applied = "applied" => "考生报名",
    }
}

string_enum! {
    /// Where a candidate of a session stands (self-service applications start `applied`).
    CandidateState {
        Applied = "applied" => "待考核站确认",
        Confirmed = "confirmed" => "已列入名单",
    }
}

/// The most characters of a reason.
pub const REASON_MAX_CHARS: usize = 1000;

/// Why a session's step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionRefusal {
    /// `SESSION_STATE` (409): the state does not allow the step.
    NotAllowed { state: SessionState, event: SessionEventKind },
    /// `REASON_REQUIRED` (field `reason`).
    ReasonRequired { event: SessionEventKind },
    /// `TOO_LONG` (field `reason`).
    ReasonTooLong { chars: usize },
}

impl SessionRefusal {
    pub fn detail(&self) -> String {
        match self {
            Self::NotAllowed { state, event } => {
                format!("考核计划当前为“{}”，不能{}", state.label(), event.label())
            }
            Self::ReasonRequired { event } => format!("{}须填写理由", event.label()),
            Self::ReasonTooLong { chars } => format!("理由不得超过 {REASON_MAX_CHARS} 个字（现有 {chars} 个字）"),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAllowed { .. } => "SESSION_STATE",
            Self::ReasonRequired { .. } => "REASON_REQUIRED",
            Self::ReasonTooLong { .. } => "TOO_LONG",
        }
    }

    /// A conflict with the session's state (409) rather than a bad input (422).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Self::NotAllowed { .. })
    }

    pub fn to_field_error(&self) -> FieldError {
        let field = if self.is_conflict() { "state" } else { "reason" };
        FieldError::new(field, self.code(), self.detail())
    }
}

refusal!(SessionRefusal);

/// The session's next state after `event` (see the module's table).
pub fn transition(state: SessionState, event: &SessionEvent) -> Result<SessionState, SessionRefusal> {
    use SessionState::*;
    let kind = event.kind();
    let target = match (state, kind) {
        (Draft | Returned, SessionEventKind::Edit) => state,
        (Draft | Returned, SessionEventKind::Submit) => Submitted,
        (Submitted, SessionEventKind::Approve) => Approved,
        (Submitted, SessionEventKind::Return) => Returned,
        (Draft | Submitted | Returned, SessionEventKind::Cancel) => Cancelled,
        _ => return Err(SessionRefusal::NotAllowed { state, event: kind }),
    };
    if let Some(reason) = event.reason() {
        let n = reason.trim().chars().count();
        if n == 0 {
            return Err(SessionRefusal::ReasonRequired { event: kind });
        }
        if n > REASON_MAX_CHARS {
            return Err(SessionRefusal::ReasonTooLong { chars: n });
        }
    }
    Ok(target)
}

/// The events a session in `state` allows.
pub fn allowed_events(state: SessionState) -> Vec<SessionEventKind> {
    let sample = |k: SessionEventKind| match k {
        SessionEventKind::Edit => SessionEvent::Edit,
        SessionEventKind::Submit => SessionEvent::Submit,
        SessionEventKind::Approve => SessionEvent::Approve,
        SessionEventKind::Return => SessionEvent::Return { reasons: "-".into() },
        SessionEventKind::Cancel => SessionEvent::Cancel { reason: "-".into() },
    };
    SessionEventKind::ALL.iter().copied().filter(|k| transition(state, &sample(*k)).is_ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use SessionState::*;

    fn events() -> Vec<SessionEvent> {
        vec![
            SessionEvent::Edit,
            SessionEvent::Submit,
            SessionEvent::Approve,
            SessionEvent::Return { reasons: "考务方案未写明监考人员".into() },
            SessionEvent::Cancel { reason: "场地临时无法使用".into() },
        ]
    }

    #[test]
    fn e3_a_session_moves_only_as_the_table_says() {
        for state in SessionState::ALL {
            for e in events() {
                let want = match (state, e.kind()) {
                    (Draft | Returned, SessionEventKind::Edit) => Some(*state),
                    (Draft | Returned, SessionEventKind::Submit) => Some(Submitted),
                    (Submitted, SessionEventKind::Approve) => Some(Approved),
                    (Submitted, SessionEventKind::Return) => Some(Returned),
                    (Draft | Submitted | Returned, SessionEventKind::Cancel) => Some(Cancelled),
                    _ => None,
                };
                let got = transition(*state, &e);
                assert_eq!(got.as_ref().ok().copied(), want, "{state} {e:?}");
                if let Err(r) = got {
                    assert_eq!(r.code(), "SESSION_STATE");
                    assert!(r.detail().contains(state.label()), "{}", r.detail());
                }
            }
        }
    }

    #[test]
    fn e3_returns_and_cancellations_need_their_reason_and_name_their_actor() {
        let e = transition(Submitted, &SessionEvent::Return { reasons: " ".into() }).expect_err("reason");
        assert_eq!((e.to_field_error().field.as_str(), e.code()), ("reason", "REASON_REQUIRED"));
        let e =
            transition(Draft, &SessionEvent::Cancel { reason: "x".repeat(REASON_MAX_CHARS + 1) }).expect_err("long");
        assert_eq!(e.code(), "TOO_LONG");
        assert_eq!(SessionEvent::Approve.actor(), SessionActor::Organizer);
        assert_eq!(SessionEvent::Return { reasons: "x".into() }.actor(), SessionActor::Organizer);
        for e in [SessionEvent::Edit, SessionEvent::Submit, SessionEvent::Cancel { reason: "x".into() }] {
            assert_eq!(e.actor(), SessionActor::Station, "{e:?}");
        }
        assert_eq!(SessionEvent::Submit.audit_action(), AuditAction::ExamSessionSubmitted);
        assert_eq!(
            allowed_events(Submitted),
            [SessionEventKind::Approve, SessionEventKind::Return, SessionEventKind::Cancel]
        );
        assert!(allowed_events(Approved).is_empty() && allowed_events(Cancelled).is_empty());
        assert!(Draft.is_editable() && Returned.is_editable() && !Submitted.is_editable() && !Approved.is_editable());
    }
}
