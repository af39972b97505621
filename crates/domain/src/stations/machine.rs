//! S2–S5 and afterwards: the filing as an explicit state machine. [`FilingState`] says where a filing
//! stands, [`FilingEvent`] is a step, [`transition`] is the whole table (every state × every event is
//! table-tested), [`Actor`] / [`Office`] say who performs a step, and [`todo()`] says whose turn it is
//! and what to do, with the deadline the procedure gives ([`DeadlineRule`], only S3 gives one).
//!
//! The evaluation (S4) is two steps: the province draws the group ([`FilingEvent::DrawGroup`], names
//! sealed) and on the planned day starts the evaluation ([`FilingEvent::StartEvaluation`], the seal
//! opens); only then do the members record findings, and the last one completes the evaluation
//! ([`FilingEvent::CompleteEvaluation`]).

use serde::{Deserialize, Serialize};

use super::routing::Receiver;
use crate::audit::AuditAction;
use crate::enums::string_enum;
use crate::error::FieldError;

string_enum! {
    /// Where a filing stands. Each state names the clause that puts it there:
    ///
    /// - `draft` — S2: the applicant fills in annex 1; nobody else sees it.
    /// - `submitted` — S2: submitted to the receiving center ([`route`](super::route)), waiting to be accepted.
    /// - `returned` — S3: the receiving center sent it back with reasons; the applicant edits and resubmits.
    /// - `accepted` — S3: accepted ("市州鉴定中心受理申请"); the center draws up the evaluation plan.
    /// - `plan_submitted` — S3: the plan was reported to the province center ("报省鉴定中心备案审核"), at
    ///   least the policy's working days before the evaluation ([`check_plan_lead`](super::check_plan_lead)).
    /// - `plan_approved` — S3/S4: the province approved the plan; it draws the evaluation group next.
    ///   A plan sent back ([`FilingEvent::ReturnPlan`]) returns the filing to `accepted`.
    /// - `group_drawn` — S4: the expert evaluation group is drawn, its names sealed; the province starts the
    ///   evaluation on the planned day ([`FilingEvent::StartEvaluation`]), which opens the seal.
    /// - `evaluating` — S4: the evaluation started; the group's members evaluate by the six methods and
    ///   record their findings.
    /// - `evaluated` — S4: the group issued its result ("出具评估结果"), signed; the province decides.
    /// - `filed` — S5: filed, with an institution code, in the station database and the public directory.
    /// - `rejected` — S3/S4: the province decided not to file (final; a new application starts afresh).
    /// - `suspended` — after S5: the province suspended the station (off the public directory).
    /// - `revoked` — after S5: the filing was revoked (final, off the public directory).
    FilingState {
        Draft = "draft" => "草稿",
        Submitted = "submitted" => "待受理",
        Returned = "returned" => "已退回",
        Accepted = "accepted" => "已受理",
        PlanSubmitted = "plan_submitted" => "评估方案待审核",
        PlanApproved = "plan_approved" => "评估方案已通过",
        GroupDrawn = "group_drawn" => "待开始评估",
        Evaluating = "evaluating" => "评估中",
        Evaluated = "evaluated" => "待备案决定",
        Filed = "filed" => "已备案",
        Rejected = "rejected" => "不予备案",
        Suspended = "suspended" => "已暂停",
        Revoked = "revoked" => "已撤销",
    }
}

impl FilingState {
    /// No event is allowed any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, FilingState::Rejected | FilingState::Revoked)
    }

    /// S5: listed in the public station directory (filed and neither suspended nor revoked).
    pub fn is_public(self) -> bool {
        self == FilingState::Filed
    }

    /// The applicant may edit the application (before submission and after a return).
    pub fn is_editable(self) -> bool {
        matches!(self, FilingState::Draft | FilingState::Returned)
    }
}

string_enum! {
    /// The kinds of [`FilingEvent`], without their data: the ids the API and the UI use.
    FilingEventKind {
        Submit = "submit" => "提交备案申请",
        Return = "return" => "退回备案申请",
        Accept = "accept" => "受理备案申请",
        SubmitPlan = "submit_plan" => "上报评估方案",
        ApprovePlan = "approve_plan" => "通过评估方案",
        ReturnPlan = "return_plan" => "退回评估方案",
        DrawGroup = "draw_group" => "抽取专家评议组",
        StartEvaluation = "start_evaluation" => "开始评估",
        CompleteEvaluation = "complete_evaluation" => "出具评估意见",
        Decide = "decide" => "作出备案决定",
        Suspend = "suspend" => "暂停备案",
        Reinstate = "reinstate" => "恢复备案",
        Revoke = "revoke" => "撤销备案",
    }
}

string_enum! {
    /// Which party performs an event, independent of the route.
    Actor {
        Applicant = "applicant" => "申请单位",
        ReceivingCenter = "receiving_center" => "受理中心",
        Province = "province" => "省鉴定中心",
        EvaluationGroup = "evaluation_group" => "专家评议组",
    }
}

string_enum! {
    /// The concrete office that acts once the route is known ([`Actor::office`]).
    Office {
        Applicant = "applicant" => "申请单位",
        CityCenter = "city_center" => "市州鉴定中心",
        ProvinceCenter = "province_center" => "省鉴定中心",
        EvaluationGroup = "evaluation_group" => "专家评议组",
    }
}

impl Actor {
    /// The receiving center is the city center for city-routed applicants and the province center for the
    /// others (S2).
    pub fn office(self, route: Receiver) -> Office {
        match (self, route) {
            (Actor::Applicant, _) => Office::Applicant,
            (Actor::ReceivingCenter, Receiver::City) => Office::CityCenter,
            (Actor::ReceivingCenter, Receiver::Province) | (Actor::Province, _) => Office::ProvinceCenter,
            (Actor::EvaluationGroup, _) => Office::EvaluationGroup,
        }
    }
}

impl FilingEventKind {
    /// Who performs an event of this kind.
    pub fn actor(self) -> Actor {
        use FilingEventKind::*;
        match self {
            Submit => Actor::Applicant,
            Return | Accept | SubmitPlan => Actor::ReceivingCenter,
            ApprovePlan | ReturnPlan | DrawGroup | StartEvaluation | Decide | Suspend | Reinstate | Revoke => {
                Actor::Province
            }
            CompleteEvaluation => Actor::EvaluationGroup,
        }
    }

    /// Whether the event carries a reason that must be given ([`REASON_MIN_CHARS`]).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            FilingEventKind::Return | FilingEventKind::ReturnPlan | FilingEventKind::Suspend | FilingEventKind::Revoke
        )
    }

    /// The audit trail's action for a step of this kind.
    pub fn audit_action(self) -> AuditAction {
        use FilingEventKind::*;
        match self {
            Submit => AuditAction::FilingSubmitted,
            Return => AuditAction::FilingReturned,
            Accept => AuditAction::FilingAccepted,
            SubmitPlan => AuditAction::FilingPlanSubmitted,
            ApprovePlan => AuditAction::FilingPlanApproved,
            ReturnPlan => AuditAction::FilingPlanReturned,
            DrawGroup => AuditAction::FilingGroupDrawn,
            StartEvaluation => AuditAction::FilingEvaluationStarted,
            CompleteEvaluation => AuditAction::FilingEvaluationCompleted,
            Decide => AuditAction::FilingDecided,
            Suspend => AuditAction::FilingSuspended,
            Reinstate => AuditAction::FilingReinstated,
            Revoke => AuditAction::FilingRevoked,
        }
    }
}

/// A step of the filing procedure. Reasons are checked by [`transition`] (at least [`REASON_MIN_CHARS`]
/// characters after trimming, at most [`REASON_MAX_CHARS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FilingEvent {
    /// S2: the applicant submits annex 1 (or resubmits it after a return).
    Submit,
    /// S3: the receiving center sends the application back with reasons.
    Return { reason: String },
    /// S3: the receiving center accepts the application.
    Accept,
    /// S3: the receiving center reports the evaluation plan to the province (the store checks
    /// [`check_plan_lead`](super::check_plan_lead) first).
    SubmitPlan,
    /// S3: the province approves the plan.
    ApprovePlan,
    /// S3: the province sends the plan back to the receiving center to be redone.
    ReturnPlan { reason: String },
    /// S4: the province draws the expert evaluation group (its names stay sealed).
    DrawGroup,
    /// S4: on the planned day the province starts the evaluation; the group's seal opens.
    StartEvaluation,
    /// S4: the group's opinion is complete and signed.
    CompleteEvaluation,
    /// S5: the province files the station (`approve`) or refuses to.
    Decide { approve: bool },
    /// After S5: the province suspends a filed station.
    Suspend { reason: String },
    /// After S5: the province lifts a suspension, with its reason (issue 9 item 16).
    Reinstate { reason: String },
    /// After S5: the province revokes the filing (final).
    Revoke { reason: String },
}

impl FilingEvent {
    pub fn kind(&self) -> FilingEventKind {
        match self {
            FilingEvent::Submit => FilingEventKind::Submit,
            FilingEvent::Return { .. } => FilingEventKind::Return,
            FilingEvent::Accept => FilingEventKind::Accept,
            FilingEvent::SubmitPlan => FilingEventKind::SubmitPlan,
            FilingEvent::ApprovePlan => FilingEventKind::ApprovePlan,
            FilingEvent::ReturnPlan { .. } => FilingEventKind::ReturnPlan,
            FilingEvent::DrawGroup => FilingEventKind::DrawGroup,
            FilingEvent::StartEvaluation => FilingEventKind::StartEvaluation,
            FilingEvent::CompleteEvaluation => FilingEventKind::CompleteEvaluation,
            FilingEvent::Decide { .. } => FilingEventKind::Decide,
            FilingEvent::Suspend { .. } => FilingEventKind::Suspend,
            FilingEvent::Reinstate { .. } => FilingEventKind::Reinstate,
            FilingEvent::Revoke { .. } => FilingEventKind::Revoke,
        }
    }

    pub fn id(&self) -> &'static str {
        self.kind().id()
    }

    /// The Chinese label; a decision reads 准予备案 or 不予备案.
    pub fn label(&self) -> &'static str {
        match self {
            FilingEvent::Decide { approve: true } => "准予备案",
            FilingEvent::Decide { approve: false } => "不予备案",
            other => other.kind().label(),
        }
    }

    pub fn actor(&self) -> Actor {
        self.kind().actor()
    }

    /// The reason given with a return, a plan return, a suspension or a revocation, trimmed.
    pub fn reason(&self) -> Option<&str> {
        match self {
            FilingEvent::Return { reason }
            | FilingEvent::ReturnPlan { reason }
            | FilingEvent::Suspend { reason }
            | FilingEvent::Reinstate { reason }
            | FilingEvent::Revoke { reason } => Some(reason.trim()),
            _ => None,
        }
    }

    /// Build an event from an API or form request: the kind's id, the reason (used only by the kinds
    /// that take one) and the decision (used only by `decide`, where it is required).
    pub fn from_parts(kind: &str, reason: &str, approve: Option<bool>) -> Result<FilingEvent, RuleError> {
        let kind =
            FilingEventKind::parse(kind.trim()).ok_or_else(|| RuleError::UnknownEvent(kind.trim().to_owned()))?;
        let reason = reason.trim().to_owned();
        Ok(match kind {
            FilingEventKind::Submit => FilingEvent::Submit,
            FilingEventKind::Return => FilingEvent::Return { reason },
            FilingEventKind::Accept => FilingEvent::Accept,
            FilingEventKind::SubmitPlan => FilingEvent::SubmitPlan,
            FilingEventKind::ApprovePlan => FilingEvent::ApprovePlan,
            FilingEventKind::ReturnPlan => FilingEvent::ReturnPlan { reason },
            FilingEventKind::DrawGroup => FilingEvent::DrawGroup,
            FilingEventKind::StartEvaluation => FilingEvent::StartEvaluation,
            FilingEventKind::CompleteEvaluation => FilingEvent::CompleteEvaluation,
            FilingEventKind::Decide => FilingEvent::Decide { approve: approve.ok_or(RuleError::DecisionMissing)? },
            FilingEventKind::Suspend => FilingEvent::Suspend { reason },
            FilingEventKind::Reinstate => FilingEvent::Reinstate { reason },
            FilingEventKind::Revoke => FilingEvent::Revoke { reason },
        })
    }
}

/// A reason has at least this many characters (after trimming).
pub const REASON_MIN_CHARS: usize = 2;
/// A reason has at most this many characters.
pub const REASON_MAX_CHARS: usize = 1000;

/// Why a step was refused. Like a [`FieldError`]: a stable [`code`](RuleError::code), the
/// [`field`](RuleError::field) it concerns and a Chinese [`detail`](RuleError::detail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// `FILING_EVENT_NOT_ALLOWED`: the event does not apply in this state.
    NotAllowed { state: FilingState, event: FilingEventKind },
    /// `FILING_CLOSED`: the filing ended (rejected or revoked); nothing applies any more.
    Closed { state: FilingState, event: FilingEventKind },
    /// `FILING_REASON_REQUIRED`: a return, plan return, suspension or revocation without a reason.
    ReasonRequired { event: FilingEventKind },
    /// `FILING_REASON_TOO_LONG`.
    ReasonTooLong { event: FilingEventKind },
    /// `FILING_EVENT_UNKNOWN`: not an event id ([`FilingEvent::from_parts`]).
    UnknownEvent(String),
    /// `FILING_DECISION_REQUIRED`: a decision without approve/reject ([`FilingEvent::from_parts`]).
    DecisionMissing,
}

impl RuleError {
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::NotAllowed { .. } => "FILING_EVENT_NOT_ALLOWED",
            RuleError::Closed { .. } => "FILING_CLOSED",
            RuleError::ReasonRequired { .. } => "FILING_REASON_REQUIRED",
            RuleError::ReasonTooLong { .. } => "FILING_REASON_TOO_LONG",
            RuleError::UnknownEvent(_) => "FILING_EVENT_UNKNOWN",
            RuleError::DecisionMissing => "FILING_DECISION_REQUIRED",
        }
    }

    /// The request field the error is reported against.
    pub fn field(&self) -> &'static str {
        match self {
            RuleError::NotAllowed { .. } | RuleError::Closed { .. } | RuleError::UnknownEvent(_) => "event",
            RuleError::ReasonRequired { .. } | RuleError::ReasonTooLong { .. } => "reason",
            RuleError::DecisionMissing => "approve",
        }
    }

    pub fn detail(&self) -> String {
        match self {
            RuleError::NotAllowed { state, event } => {
                let allowed: Vec<String> =
                    allowed_event_kinds(*state).iter().map(|k| format!("“{}”", k.label())).collect();
                let others = if allowed.is_empty() {
                    "此状态下没有可执行的操作".to_owned()
                } else {
                    format!("此状态下只能执行{}", allowed.join("或"))
                };
                format!("当前状态为“{}”，不能执行“{}”；{}", state.label(), event.label(), others)
            }
            RuleError::Closed { state, event } => {
                format!("当前状态为“{}”，备案流程已结束，不能再执行“{}”", state.label(), event.label())
            }
            RuleError::ReasonRequired { event } => {
                format!("{}须填写理由（至少 {REASON_MIN_CHARS} 个字）", event.label())
            }
            RuleError::ReasonTooLong { event } => {
                format!("{}的理由不能超过 {REASON_MAX_CHARS} 个字", event.label())
            }
            RuleError::UnknownEvent(id) => format!("没有“{id}”这一备案操作"),
            RuleError::DecisionMissing => "作出备案决定须选择“准予备案”或“不予备案”".to_owned(),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(self.field(), self.code(), self.detail())
    }
}

crate::error::refusal!(RuleError);

/// The next state for an event kind, ignoring its data (a decision's outcome is resolved by
/// [`transition`]); `None` when the event does not apply. This is the whole table.
fn target(state: FilingState, kind: FilingEventKind) -> Option<FilingState> {
    use FilingEventKind as E;
    use FilingState as S;
    Some(match (state, kind) {
        (S::Draft | S::Returned, E::Submit) => S::Submitted,
        (S::Submitted, E::Return) => S::Returned,
        (S::Submitted, E::Accept) => S::Accepted,
        (S::Accepted, E::SubmitPlan) => S::PlanSubmitted,
        (S::PlanSubmitted, E::ApprovePlan) => S::PlanApproved,
        (S::PlanSubmitted, E::ReturnPlan) => S::Accepted,
        (S::PlanApproved, E::DrawGroup) => S::GroupDrawn,
        (S::GroupDrawn, E::StartEvaluation) => S::Evaluating,
        (S::Evaluating, E::CompleteEvaluation) => S::Evaluated,
        // Placeholder for the approving outcome; `transition` maps a refusal to `Rejected`.
        (S::Evaluated, E::Decide) => S::Filed,
        (S::Filed, E::Suspend) => S::Suspended,
        (S::Suspended, E::Reinstate) => S::Filed,
        (S::Filed | S::Suspended, E::Revoke) => S::Revoked,
        _ => return None,
    })
}

/// The event kinds `state` allows, in [`FilingEventKind::ALL`] order.
pub fn allowed_event_kinds(state: FilingState) -> Vec<FilingEventKind> {
    FilingEventKind::ALL.iter().copied().filter(|k| target(state, *k).is_some()).collect()
}

/// Apply `event` to a filing in `state`: the next state, or why the step is refused. Pure; the store
/// records the event (actor, time, reason) and checks that the caller is the event's [`Actor`].
pub fn transition(state: FilingState, event: &FilingEvent) -> Result<FilingState, RuleError> {
    let kind = event.kind();
    let Some(next) = target(state, kind) else {
        return Err(if state.is_terminal() {
            RuleError::Closed { state, event: kind }
        } else {
            RuleError::NotAllowed { state, event: kind }
        });
    };
    if let Some(reason) = event.reason() {
        let n = reason.chars().count();
        if n < REASON_MIN_CHARS {
            return Err(RuleError::ReasonRequired { event: kind });
        }
        if n > REASON_MAX_CHARS {
            return Err(RuleError::ReasonTooLong { event: kind });
        }
    }
    Ok(match event {
        FilingEvent::Decide { approve: false } => FilingState::Rejected,
        _ => next,
    })
}

/// A city's assessment center by its one official name, as its organisation is seeded: the city's
/// name and 职业技能鉴定中心 (长沙市职业技能鉴定中心; issue 9 item 16).
pub fn city_center_name(city: &str) -> String {
    format!("{city}职业技能鉴定中心")
}

/// The abstract party whose turn it is in `state`; `None` when nobody has to act (filed, rejected,
/// revoked). A suspension waits on the province (reinstate or revoke).
fn waiting_on(state: FilingState) -> Option<Actor> {
    use FilingState as S;
    match state {
        S::Draft | S::Returned => Some(Actor::Applicant),
        S::Submitted | S::Accepted => Some(Actor::ReceivingCenter),
        S::PlanSubmitted | S::PlanApproved | S::GroupDrawn | S::Evaluated | S::Suspended => Some(Actor::Province),
        S::Evaluating => Some(Actor::EvaluationGroup),
        S::Filed | S::Rejected | S::Revoked => None,
    }
}

/// The to-do text of `state` for whoever must act next.
fn todo_text(state: FilingState) -> Option<&'static str> {
    use FilingState as S;
    Some(match state {
        S::Draft => "填写并提交备案申请",
        S::Returned => "按退回意见修改并重新提交备案申请",
        S::Submitted => "受理备案申请",
        S::Accepted => "制定并上报评估方案",
        S::PlanSubmitted => "审核评估方案",
        S::PlanApproved => "抽取专家评议组",
        S::GroupDrawn => "开始评估（评估日当天），公开专家评议组名单",
        S::Evaluating => "填写评估意见",
        S::Evaluated => "作出备案决定",
        S::Suspended => "处理暂停备案的考核站（恢复或撤销备案）",
        S::Filed | S::Rejected | S::Revoked => return None,
    })
}

/// A working-day deadline the procedure sets for a state's to-do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeadlineRule {
    /// S3: the plan reaches the province at least the policy's number of working days
    /// (`policy_key`) before the evaluation date; the due date is
    /// [`latest_plan_submission_day`](super::latest_plan_submission_day) of the planned evaluation date.
    WorkingDaysBeforeEvaluation { policy_key: &'static str, clause: &'static str },
}

/// The deadline of `state`'s to-do, where the procedure gives one. Only S3 gives one (the evaluation
/// plan); every other step of section 二 has no time limit in the procedure.
fn deadline_rule(state: FilingState) -> Option<DeadlineRule> {
    (state == FilingState::Accepted).then_some(DeadlineRule::WorkingDaysBeforeEvaluation {
        policy_key: crate::policy::keys::EVALUATION_PLAN_LEAD_DAYS,
        clause: "S3",
    })
}

/// One entry of a to-do list: who acts, what to do and its deadline rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Todo {
    pub actor: Actor,
    pub office: Office,
    pub text: &'static str,
    pub deadline: Option<DeadlineRule>,
}

/// What waits in `state` for an application routed to `route`: whose turn it is (the abstract
/// [`Actor`] and the concrete [`Office`]), what to do and the procedure's deadline rule. `None` when
/// nobody has to act (filed, rejected, revoked). Once the group is drawn (S4) the province starts the
/// evaluation on the planned day; only while it is under way do the members record findings.
pub fn todo(state: FilingState, route: Receiver) -> Option<Todo> {
    let actor = waiting_on(state)?;
    let text = todo_text(state)?;
    Some(Todo { actor, office: actor.office(route), text, deadline: deadline_rule(state) })
}
