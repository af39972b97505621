//! Station filing (考核站备案, section 二 of the procedure, clauses S1–S5) as pure types and rules:
//!
//! - **S1, S2** — the annex-1 application (《湖南省专项职业能力考核站备案申报表》) as a parsed command
//!   ([`FilingApplication::parse`]): every form field, the facilities and assessor staffing tables, the five
//!   S1 conditions as a checklist with evidence ([`S1Condition`]), the attached materials
//!   ([`MaterialKind`], [`check_materials`]) and the applicant's commitment. All errors come at once, each
//!   naming its field (`facilities[2].name`, `conditions.experience.evidence`) in Chinese.
//! - **S2** — routing by territory ([`route`]): employers, schools and other units submit to the city
//!   center of their region; provincial departments, provincial trade bodies, central enterprises in Hunan
//!   and provincial enterprises submit directly to the province center.
//! - **S2–S5** and afterwards — the filing as an explicit state machine ([`FilingState`], [`FilingEvent`],
//!   [`transition`]): who acts next ([`next_actor`], [`todo()`]) and which events each state allows
//!   ([`allowed_events`]). Suspension and revocation after filing take the station off the public
//!   directory ([`FilingState::is_public`]).
//! - **S3** — the evaluation plan reaches the province at least *n* working days (policy
//!   `filing.evaluation_plan_lead_working_days`, 10) before the evaluation ([`check_plan_lead`]).
//! - **S4** — the six evaluation methods ([`EvaluationMethod`]), each group member's findings
//!   ([`MemberFindings::parse`]) and the group's conclusion ([`group_conclusion`]).
//! - **S5** — the institution code rendered from the policy template ([`institution_code`], default
//!   `HN{city2}{serial4}`).
//!
//! The store keeps the state and the history (every transition is a workflow event); this module only
//! answers whether a step is allowed and what it leads to.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{Calendar, CalendarError};
use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors};
use crate::ids::{HUNAN_CITIES, PersonName, Phone, RegionCode};
use crate::org::Nature;

// ---- S2: applicants and routing ------------------------------------------------------------------------

string_enum! {
    /// The kind of applicant, which decides where the application goes (S2, [`route`]).
    ApplicantCategory {
        Employer = "employer" => "用人单位（企业）",
        TechnicalSchool = "technical_school" => "技工院校",
        VocationalSchool = "vocational_school" => "职业院校",
        OtherUnit = "other_unit" => "其他单位",
        ProvincialDepartment = "provincial_department" => "省直部门",
        ProvincialTradeBody = "provincial_trade_body" => "省级行业组织",
        CentralEnterprise = "central_enterprise" => "中央在湘企业",
        ProvincialEnterprise = "provincial_enterprise" => "省属企业",
    }
}

string_enum! {
    /// The center that receives the application, accepts it and draws up the evaluation plan (S2, S3).
    Receiver {
        City = "city" => "市州鉴定中心",
        Province = "province" => "省鉴定中心",
    }
}

/// S2: "按属地原则，向所在市州鉴定中心提交……省直部门、行业和中央在湘、省属企业可直接向省鉴定中心递交申请".
pub fn route(category: ApplicantCategory) -> Receiver {
    match category {
        ApplicantCategory::Employer
        | ApplicantCategory::TechnicalSchool
        | ApplicantCategory::VocationalSchool
        | ApplicantCategory::OtherUnit => Receiver::City,
        ApplicantCategory::ProvincialDepartment
        | ApplicantCategory::ProvincialTradeBody
        | ApplicantCategory::CentralEnterprise
        | ApplicantCategory::ProvincialEnterprise => Receiver::Province,
    }
}

impl Receiver {
    /// The region code of the receiving center for an applicant located in `applicant_region`: the city
    /// of that region, or the province (430000). `None` when a city-routed applicant's region is not in a
    /// Hunan city (never for a parsed [`FilingApplication`]).
    pub fn center_region(self, applicant_region: &RegionCode) -> Option<RegionCode> {
        match self {
            Receiver::City => applicant_region.city(),
            Receiver::Province => Some(RegionCode::hunan_province()),
        }
    }
}

// ---- S2–S5: the state machine --------------------------------------------------------------------------

string_enum! {
    /// Where a filing stands. Each state names the clause that puts it there:
    ///
    /// - `draft` — S2: the applicant fills in annex 1; nobody else sees it.
    /// - `submitted` — S2: submitted to the receiving center ([`route`]), waiting to be accepted.
    /// - `returned` — S3: the receiving center sent it back with reasons; the applicant edits and resubmits.
    /// - `accepted` — S3: accepted ("市州鉴定中心受理申请"); the center draws up the evaluation plan.
    /// - `plan_submitted` — S3: the plan was reported to the province center ("报省鉴定中心备案审核"), at
    ///   least the policy's working days before the evaluation ([`check_plan_lead`]).
    /// - `plan_approved` — S3/S4: the province approved the plan; it draws the evaluation group next.
    ///   A plan sent back ([`FilingEvent::ReturnPlan`]) returns the filing to `accepted`.
    /// - `group_drawn` — S4: the expert evaluation group is drawn and evaluates by the six methods.
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
        GroupDrawn = "group_drawn" => "评估中",
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
            ApprovePlan | ReturnPlan | DrawGroup | Decide | Suspend | Reinstate | Revoke => Actor::Province,
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
    /// [`check_plan_lead`] first).
    SubmitPlan,
    /// S3: the province approves the plan.
    ApprovePlan,
    /// S3: the province sends the plan back to the receiving center to be redone.
    ReturnPlan { reason: String },
    /// S4: the province draws the expert evaluation group.
    DrawGroup,
    /// S4: the group's opinion is complete and signed.
    CompleteEvaluation,
    /// S5: the province files the station (`approve`) or refuses to.
    Decide { approve: bool },
    /// After S5: the province suspends a filed station.
    Suspend { reason: String },
    /// After S5: the province lifts a suspension.
    Reinstate,
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
            FilingEvent::CompleteEvaluation => FilingEventKind::CompleteEvaluation,
            FilingEvent::Decide { .. } => FilingEventKind::Decide,
            FilingEvent::Suspend { .. } => FilingEventKind::Suspend,
            FilingEvent::Reinstate => FilingEventKind::Reinstate,
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
            FilingEventKind::CompleteEvaluation => FilingEvent::CompleteEvaluation,
            FilingEventKind::Decide => FilingEvent::Decide { approve: approve.ok_or(RuleError::DecisionMissing)? },
            FilingEventKind::Suspend => FilingEvent::Suspend { reason },
            FilingEventKind::Reinstate => FilingEvent::Reinstate,
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

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail())
    }
}

impl std::error::Error for RuleError {}

impl From<RuleError> for FieldError {
    fn from(e: RuleError) -> Self {
        e.to_field_error()
    }
}

impl From<RuleError> for FieldErrors {
    fn from(e: RuleError) -> Self {
        FieldErrors::from(e.to_field_error())
    }
}

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
        (S::GroupDrawn, E::CompleteEvaluation) => S::Evaluated,
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

/// The ids of the events `state` allows (for UIs and the API), in [`FilingEventKind::ALL`] order.
pub fn allowed_events(state: FilingState) -> Vec<&'static str> {
    allowed_event_kinds(state).into_iter().map(FilingEventKind::id).collect()
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

/// The abstract party whose turn it is in `state`; `None` when nobody has to act (filed, rejected,
/// revoked). A suspension waits on the province (reinstate or revoke).
pub fn waiting_on(state: FilingState) -> Option<Actor> {
    use FilingState as S;
    match state {
        S::Draft | S::Returned => Some(Actor::Applicant),
        S::Submitted | S::Accepted => Some(Actor::ReceivingCenter),
        S::PlanSubmitted | S::PlanApproved | S::Evaluated | S::Suspended => Some(Actor::Province),
        S::GroupDrawn => Some(Actor::EvaluationGroup),
        S::Filed | S::Rejected | S::Revoked => None,
    }
}

/// The office whose turn it is in `state` for an application routed to `route`.
pub fn next_actor(state: FilingState, route: Receiver) -> Option<Office> {
    waiting_on(state).map(|a| a.office(route))
}

/// The to-do text of `state` for whoever must act next ([`next_actor`]).
pub fn todo_text(state: FilingState) -> Option<&'static str> {
    use FilingState as S;
    Some(match state {
        S::Draft => "填写并提交备案申请",
        S::Returned => "按退回意见修改并重新提交备案申请",
        S::Submitted => "受理备案申请",
        S::Accepted => "制定并上报评估方案",
        S::PlanSubmitted => "审核评估方案",
        S::PlanApproved => "抽取专家评议组",
        S::GroupDrawn => "填写评估意见",
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
    /// [`latest_plan_submission_day`] of the planned evaluation date.
    WorkingDaysBeforeEvaluation { policy_key: &'static str, clause: &'static str },
}

/// The deadline of `state`'s to-do, where the procedure gives one. Only S3 gives one (the evaluation
/// plan); every other step of section 二 has no time limit in the procedure.
pub fn deadline_rule(state: FilingState) -> Option<DeadlineRule> {
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

/// The to-do `state` hands out for an application routed to `route`.
pub fn todo(state: FilingState, route: Receiver) -> Option<Todo> {
    let actor = waiting_on(state)?;
    let text = todo_text(state)?;
    Some(Todo { actor, office: actor.office(route), text, deadline: deadline_rule(state) })
}

/// What waits in `state` once the group's seal is known (S4): while the drawn group is still sealed
/// the province acts — it starts the evaluation on the planned day, which opens the seal — and only
/// then is it the group's turn to record findings.
pub fn todo_now(state: FilingState, route: Receiver, seal_open: bool) -> Option<Todo> {
    if state == FilingState::GroupDrawn && !seal_open {
        return Some(Todo {
            actor: Actor::Province,
            office: Office::ProvinceCenter,
            text: "评估开始时公开专家评议组名单（开始评估）",
            deadline: None,
        });
    }
    todo(state, route)
}

// ---- S3: evaluation plan timing ------------------------------------------------------------------------

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

// ---- S4: evaluation by the expert group ----------------------------------------------------------------

string_enum! {
    /// S4: "通过听取报告、文件审核、技术抽查、访谈咨询、质询答辩和现场考察等方式进行评估".
    EvaluationMethod {
        HearingReport = "hearing_report" => "听取报告",
        DocumentReview = "document_review" => "文件审核",
        TechnicalSpotCheck = "technical_spot_check" => "技术抽查",
        Interview = "interview" => "访谈咨询",
        Questioning = "questioning" => "质询答辩",
        SiteVisit = "site_visit" => "现场考察",
    }
}

string_enum! {
    /// A member's (and the group's) conclusion on the applicant (S4).
    Conclusion {
        Pass = "pass" => "通过",
        Fail = "fail" => "不通过",
    }
}

/// A finding has at least this many characters.
pub const FINDING_MIN_CHARS: usize = 2;
/// A finding or a comment has at most this many characters.
pub const FINDING_MAX_CHARS: usize = 2000;

/// One method's finding as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingInput {
    /// An [`EvaluationMethod`] id.
    pub method: String,
    pub text: String,
}

/// One group member's findings as typed (S4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingsInput {
    pub findings: Vec<FindingInput>,
    /// A [`Conclusion`] id.
    pub conclusion: String,
    /// Optional overall comment.
    #[serde(default)]
    pub comment: String,
}

/// One group member's parsed findings: a finding for every one of the six methods, in
/// [`EvaluationMethod::ALL`] order, and a conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberFindings {
    findings: Vec<(EvaluationMethod, String)>,
    conclusion: Conclusion,
    comment: Option<String>,
}

impl MemberFindings {
    /// Errors: `findings[i].method` (`FINDING_METHOD_UNKNOWN`, `FINDING_METHOD_DUPLICATE`),
    /// `findings.<method>` (`FINDING_MISSING`, `FINDING_LENGTH`), `conclusion` (`CONCLUSION_REQUIRED`),
    /// `comment` (`COMMENT_TOO_LONG`).
    pub fn parse(input: &FindingsInput) -> Result<MemberFindings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut by_method: Vec<(EvaluationMethod, String)> = Vec::new();
        for (i, f) in input.findings.iter().enumerate() {
            let Some(method) = EvaluationMethod::parse(f.method.trim()) else {
                errors.push(FieldError::new(
                    format!("findings[{i}].method"),
                    "FINDING_METHOD_UNKNOWN",
                    format!("“{}”不是评估方式，应为{}之一", f.method.trim(), method_list()),
                ));
                continue;
            };
            if by_method.iter().any(|(m, _)| *m == method) {
                errors.push(FieldError::new(
                    format!("findings[{i}].method"),
                    "FINDING_METHOD_DUPLICATE",
                    format!("“{}”的评估意见重复填写", method.label()),
                ));
                continue;
            }
            by_method.push((method, f.text.clone()));
        }
        let mut findings = Vec::new();
        for method in EvaluationMethod::ALL {
            let field = format!("findings.{}", method.id());
            match by_method.iter().find(|(m, _)| m == method) {
                None => errors.push(FieldError::new(
                    field,
                    "FINDING_MISSING",
                    format!("请填写“{}”的评估意见", method.label()),
                )),
                Some((_, text)) => {
                    let label = format!("“{}”的评估意见", method.label());
                    if let Some(t) = errors.take(text_field(
                        &field,
                        text,
                        FINDING_MIN_CHARS,
                        FINDING_MAX_CHARS,
                        "FINDING_LENGTH",
                        &label,
                    )) {
                        findings.push((*method, t));
                    }
                }
            }
        }
        let conclusion = Conclusion::parse(input.conclusion.trim());
        if conclusion.is_none() {
            errors.push(FieldError::new("conclusion", "CONCLUSION_REQUIRED", "请选择评估结论：“通过”或“不通过”"));
        }
        let comment = input.comment.trim();
        if comment.chars().count() > FINDING_MAX_CHARS {
            errors.push(FieldError::new(
                "comment",
                "COMMENT_TOO_LONG",
                format!("综合意见不能超过 {FINDING_MAX_CHARS} 个字"),
            ));
        }
        match (errors.into_result(), conclusion) {
            (Ok(()), Some(conclusion)) => {
                Ok(MemberFindings { findings, conclusion, comment: (!comment.is_empty()).then(|| comment.to_owned()) })
            }
            (Err(e), _) => Err(e),
            // A missing conclusion always recorded an error above.
            (Ok(()), None) => Err(FieldErrors::new()),
        }
    }

    /// The six findings, in [`EvaluationMethod::ALL`] order.
    pub fn findings(&self) -> &[(EvaluationMethod, String)] {
        &self.findings
    }

    pub fn finding(&self, method: EvaluationMethod) -> &str {
        self.findings.iter().find(|(m, _)| *m == method).map(|(_, t)| t.as_str()).unwrap_or("")
    }

    pub fn conclusion(&self) -> Conclusion {
        self.conclusion
    }

    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }
}

fn method_list() -> String {
    EvaluationMethod::ALL.iter().map(|m| format!("“{}”", m.label())).collect::<Vec<_>>().join("、")
}

/// S4: the group's conclusion from its members' conclusions — `Pass` only with a strict majority of
/// `Pass`. **Assumption** (the procedure does not say how the group decides): a tie, and an empty group,
/// give `Fail`; the province still makes the filing decision (S5) with the group's result before it.
pub fn group_conclusion(findings: &[Conclusion]) -> Conclusion {
    let pass = findings.iter().filter(|c| **c == Conclusion::Pass).count();
    if pass * 2 > findings.len() { Conclusion::Pass } else { Conclusion::Fail }
}

// ---- S5: institution code ------------------------------------------------------------------------------

const TEMPLATE_FIELD: &str = "institution_code_template";

enum Piece {
    Literal(char),
    City2,
    Year,
    Serial(u32),
}

fn template_error(detail: String) -> FieldError {
    FieldError::new(TEMPLATE_FIELD, "INSTITUTION_CODE_TEMPLATE", detail)
}

fn parse_template(template: &str) -> Result<Vec<Piece>, FieldError> {
    let mut pieces = Vec::new();
    let mut chars = template.trim().chars();
    let mut serials = 0;
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => return Err(template_error("编号规则的花括号不匹配".into())),
                        Some(ch) => name.push(ch),
                    }
                }
                let piece = match name.as_str() {
                    "city2" => Piece::City2,
                    "yyyy" => Piece::Year,
                    _ => match name.strip_prefix("serial").and_then(|w| w.parse::<u32>().ok()) {
                        Some(width) if (1..=9).contains(&width) && name.len() == 7 => {
                            serials += 1;
                            Piece::Serial(width)
                        }
                        _ => {
                            return Err(FieldError::new(
                                TEMPLATE_FIELD,
                                "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN",
                                format!(
                                    "编号规则中的占位符 {{{name}}} 无法识别，只能使用 {{city2}}、{{serialN}}（N 为 1–9 位）和 {{yyyy}}"
                                ),
                            ));
                        }
                    },
                };
                pieces.push(piece);
            }
            '}' => return Err(template_error("编号规则的花括号不匹配".into())),
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => pieces.push(Piece::Literal(c)),
            other => return Err(template_error(format!("编号规则只能包含字母、数字、“-”和“_”，不能包含“{other}”"))),
        }
    }
    if serials != 1 {
        return Err(template_error("编号规则须包含且只包含一个流水号占位符，如 {serial4}".into()));
    }
    Ok(pieces)
}

/// S5: whether `template` is one [`institution_code_for_year`] can render (the policy page checks a
/// new version with it before publishing).
pub fn check_institution_code_template(template: &str) -> Result<(), FieldError> {
    parse_template(template).map(|_| ())
}

/// S5: the institution code of a filed station from the policy template
/// (`number.institution_code_template`, default `HN{city2}{serial4}`). Placeholders: `{city2}` (the
/// two digits of the station's Hunan city, "01"…"13", "31"), `{serialN}` (the serial, zero-padded to N
/// digits, exactly one) and `{yyyy}` (refused here: use [`institution_code_for_year`]). A serial of 0 or
/// one that does not fit its width is refused (`INSTITUTION_CODE_SERIAL_OVERFLOW`).
pub fn institution_code(template: &str, city_two_digits: &str, serial: u32) -> Result<String, FieldError> {
    render_code(template, city_two_digits, serial, None)
}

/// [`institution_code`] for templates that may contain `{yyyy}`: the year of the filing decision.
pub fn institution_code_for_year(
    template: &str,
    city_two_digits: &str,
    serial: u32,
    year: i32,
) -> Result<String, FieldError> {
    render_code(template, city_two_digits, serial, Some(year))
}

fn render_code(template: &str, city2: &str, serial: u32, year: Option<i32>) -> Result<String, FieldError> {
    let pieces = parse_template(template)?;
    let city_ok = city2.len() == 2 && HUNAN_CITIES.iter().any(|(code, _)| code.get(2..4) == Some(city2));
    if !city_ok {
        return Err(FieldError::new(
            "region_code",
            "INSTITUTION_CODE_CITY",
            format!("“{city2}”不是湖南省市州代码的两位数字（如长沙市为 01）"),
        ));
    }
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Literal(c) => out.push(c),
            Piece::City2 => out.push_str(city2),
            Piece::Year => match year {
                Some(y) if (1000..=9999).contains(&y) => out.push_str(&y.to_string()),
                _ => {
                    return Err(FieldError::new(
                        TEMPLATE_FIELD,
                        "INSTITUTION_CODE_YEAR_REQUIRED",
                        "编号规则含 {yyyy}，须提供四位备案年份",
                    ));
                }
            },
            Piece::Serial(width) => {
                let max = 10u64.pow(width) - 1;
                if serial == 0 || u64::from(serial) > max {
                    return Err(FieldError::new(
                        "serial",
                        "INSTITUTION_CODE_SERIAL_OVERFLOW",
                        format!("流水号 {serial} 超出编号规则的 {width} 位范围（1–{max}）"),
                    ));
                }
                out.push_str(&format!("{serial:0width$}", width = width as usize));
            }
        }
    }
    Ok(out)
}

// ---- S1, S2: the annex-1 application -------------------------------------------------------------------

string_enum! {
    /// S1: the five conditions an applicant must meet, each affirmed with evidence on the form.
    S1Condition {
        LegalPerson = "legal_person" => "独立法人资格与良好信用",
        Experience = "experience" => "考核培训经验",
        Offices = "offices" => "办公用房和办公设施",
        StaffAndVenues = "staff_and_venues" => "专职人员、专家团队、场地和设施设备",
        ManagementRules = "management_rules" => "管理规章制度",
    }
}

impl S1Condition {
    /// The clause's own words (S1, items 1–5).
    pub fn text(self) -> &'static str {
        match self {
            S1Condition::LegalPerson => "具备独立法人资格，且管理规范、信用良好，无违法违规失信等不良记录",
            S1Condition::Experience => "在所申请的考核项目方面有较丰富的考核培训经验",
            S1Condition::Offices => "有满足工作需要的办公用房和办公设施",
            S1Condition::StaffAndVenues => {
                "有与申请考核项目相适应的专职工作人员、专家团队及符合考核要求的场地和设施设备"
            }
            S1Condition::ManagementRules => {
                "有完善的管理规章制度，包括财务管理制度、档案管理制度、考务管理制度、质量管理制度等"
            }
        }
    }
}

string_enum! {
    /// Annex 1 "材料附件目录": the four kinds of attached materials.
    MaterialKind {
        QualificationProof = "qualification_proof" => "机构资质证明",
        VenueEquipmentList = "venue_equipment_list" => "考核项目场地、设备清单",
        AssessorRoster = "assessor_roster" => "考评人员名册与资质证明",
        ManagementRules = "management_rules" => "管理运行制度和管理人员名册",
    }
}

/// Annex 1: every kind of material is attached at least once. Errors: `materials.<kind>`
/// (`MATERIAL_MISSING`).
pub fn check_materials(attached: &[MaterialKind]) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    for kind in MaterialKind::ALL {
        if !attached.contains(kind) {
            errors.push(FieldError::new(
                format!("materials.{}", kind.id()),
                "MATERIAL_MISSING",
                format!("请上传附件材料“{}”", kind.label()),
            ));
        }
    }
    errors.into_result()
}

/// Default minimum of assessor staffing rows: one assessment panel (policy `exam.panel_min_assessors`,
/// whose first version is 3). The store passes the version in force to [`FilingApplication::parse_with`].
pub const DEFAULT_MIN_ASSESSORS: usize = 3;
/// Upper bound on the rows of each table (projects, facilities, assessors).
pub const MAX_ROWS: usize = 200;

/// A row of the facilities/equipment/venue table (设施设备、场地) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilityInput {
    pub name: String,
    /// Specification and quantity, e.g. "商用燃气灶 6 台" or "200 平方米".
    pub specification: String,
    pub purpose: String,
}

impl FacilityInput {
    /// Every cell empty: the row is ignored (a form's spare row), keeping the other rows' indexes.
    pub fn is_blank(&self) -> bool {
        [&self.name, &self.specification, &self.purpose].iter().all(|s| s.trim().is_empty())
    }
}

/// A row of the assessor staffing table (考评人员配置情况) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessorInput {
    pub name: String,
    /// Qualification and card number (考评员证卡编号 or other proof).
    pub qualification: String,
    /// One of the projects applied for.
    pub project: String,
}

impl AssessorInput {
    /// Every cell empty: the row is ignored (a form's spare row), keeping the other rows' indexes.
    pub fn is_blank(&self) -> bool {
        [&self.name, &self.qualification, &self.project].iter().all(|s| s.trim().is_empty())
    }
}

/// One S1 condition on the checklist as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionInput {
    /// An [`S1Condition`] id.
    pub condition: String,
    pub affirmed: bool,
    pub evidence: String,
}

/// The annex-1 form as typed (also the draft the store keeps before submission).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationInput {
    pub institution_name: String,
    /// A [`Nature`] id.
    pub nature: String,
    /// An [`ApplicantCategory`] id.
    pub category: String,
    pub person_in_charge_name: String,
    pub person_in_charge_phone: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub address: String,
    /// GB/T 2260 code of the Hunan city or county where the institution is.
    pub region_code: String,
    pub projects: Vec<String>,
    pub facilities: Vec<FacilityInput>,
    pub assessors: Vec<AssessorInput>,
    pub conditions: Vec<ConditionInput>,
    pub legal_representative: String,
    /// The legal representative confirmed the commitment (本人承诺以上所填内容及所提供材料真实有效……).
    pub commitment_confirmed: bool,
}

/// A name and phone (负责人, 联系人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactPerson {
    pub name: PersonName,
    pub phone: Phone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facility {
    pub name: String,
    pub specification: String,
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessorRow {
    pub name: PersonName,
    pub qualification: String,
    pub project: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionEvidence {
    pub condition: S1Condition,
    pub evidence: String,
}

/// A parsed annex-1 application (S1, S2): every field present and well-formed, every S1 condition
/// affirmed with evidence, the commitment confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilingApplication {
    institution_name: String,
    nature: Nature,
    category: ApplicantCategory,
    person_in_charge: ContactPerson,
    contact: ContactPerson,
    address: String,
    region: RegionCode,
    projects: Vec<String>,
    facilities: Vec<Facility>,
    assessors: Vec<AssessorRow>,
    conditions: Vec<ConditionEvidence>,
    legal_representative: PersonName,
}

/// Trimmed text of `min..=max` characters; the code is used for both empty and out-of-range input.
fn text_field(
    field: &str,
    raw: &str,
    min: usize,
    max: usize,
    code: &'static str,
    label: &str,
) -> Result<String, FieldError> {
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(FieldError::new(field, code, format!("请填写{label}")));
    }
    if n < min || n > max {
        return Err(FieldError::new(field, code, format!("{label}应为 {min} 至 {max} 个字")));
    }
    Ok(t.to_owned())
}

fn too_many(field: &str, label: &str) -> FieldError {
    FieldError::new(field, "ROWS_TOO_MANY", format!("{label}最多 {MAX_ROWS} 行，请合并或另附材料"))
}

fn contact(errors: &mut FieldErrors, prefix: &str, name: &str, phone: &str) -> Option<ContactPerson> {
    let name = errors.take(PersonName::parse(name).map_err(|e| e.for_field(format!("{prefix}.name"))));
    let phone = errors.take(Phone::parse(phone).map_err(|e| e.for_field(format!("{prefix}.phone"))));
    Some(ContactPerson { name: name?, phone: phone? })
}

impl FilingApplication {
    /// Parse with the default minimum of [`DEFAULT_MIN_ASSESSORS`] assessor rows.
    pub fn parse(input: &ApplicationInput) -> Result<FilingApplication, FieldErrors> {
        Self::parse_with(input, DEFAULT_MIN_ASSESSORS)
    }

    /// Parse the form, reporting every error at once. Fields: `institution_name`, `nature`, `category`,
    /// `person_in_charge.name|phone`, `contact.name|phone`, `address`, `region_code`, `projects`,
    /// `projects[i]`, `facilities`, `facilities[i].name|specification|purpose`, `assessors`,
    /// `assessors[i].name|qualification|project`, `conditions[i].condition`,
    /// `conditions.<id>.affirmed|evidence`, `commitment.legal_representative`, `commitment.confirmed`.
    pub fn parse_with(input: &ApplicationInput, min_assessors: usize) -> Result<FilingApplication, FieldErrors> {
        let mut e = FieldErrors::new();

        let institution_name = e.take(text_field(
            "institution_name",
            &input.institution_name,
            2,
            100,
            "INSTITUTION_NAME_LENGTH",
            "机构名称",
        ));
        let nature = Nature::parse(input.nature.trim());
        if nature.is_none() {
            let list: Vec<&str> = Nature::ALL.iter().map(|n| n.label()).collect();
            e.push(FieldError::new("nature", "NATURE_UNKNOWN", format!("请选择单位性质：{}", list.join("、"))));
        }
        let category = ApplicantCategory::parse(input.category.trim());
        if category.is_none() {
            let list: Vec<&str> = ApplicantCategory::ALL.iter().map(|c| c.label()).collect();
            e.push(FieldError::new(
                "category",
                "APPLICANT_CATEGORY_UNKNOWN",
                format!("请选择申请单位类别：{}", list.join("、")),
            ));
        }
        let person_in_charge =
            contact(&mut e, "person_in_charge", &input.person_in_charge_name, &input.person_in_charge_phone);
        let contact_person = contact(&mut e, "contact", &input.contact_name, &input.contact_phone);
        let address = e.take(text_field("address", &input.address, 5, 200, "ADDRESS_LENGTH", "详细地址"));
        let region = e.take(parse_region(&input.region_code));

        let projects = parse_projects(&mut e, &input.projects);
        let facilities = parse_facilities(&mut e, &input.facilities);
        // Assessors name a project row as typed (a row with its own error is not reported twice); with no
        // project at all, only the missing projects are reported.
        let declared: Vec<&str> = input.projects.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
        let assessors = parse_assessors(&mut e, &input.assessors, &declared, min_assessors);
        let conditions = parse_conditions(&mut e, &input.conditions);

        let legal_representative = e.take(
            PersonName::parse(&input.legal_representative)
                .map_err(|err| err.for_field("commitment.legal_representative")),
        );
        if !input.commitment_confirmed {
            e.push(FieldError::new(
                "commitment.confirmed",
                "COMMITMENT_NOT_CONFIRMED",
                "须由法定代表人确认承诺：所填内容及所提供材料真实有效",
            ));
        }

        let parsed = (|| {
            Some(FilingApplication {
                institution_name: institution_name?,
                nature: nature?,
                category: category?,
                person_in_charge: person_in_charge?,
                contact: contact_person?,
                address: address?,
                region: region?,
                projects,
                facilities,
                assessors,
                conditions,
                legal_representative: legal_representative?,
            })
        })();
        match (e.into_result(), parsed) {
            (Ok(()), Some(app)) => Ok(app),
            (Err(errors), _) => Err(errors),
            // Every `None` above recorded its error.
            (Ok(()), None) => Err(FieldErrors::new()),
        }
    }

    pub fn institution_name(&self) -> &str {
        &self.institution_name
    }
    pub fn nature(&self) -> Nature {
        self.nature
    }
    pub fn category(&self) -> ApplicantCategory {
        self.category
    }
    pub fn person_in_charge(&self) -> &ContactPerson {
        &self.person_in_charge
    }
    pub fn contact(&self) -> &ContactPerson {
        &self.contact
    }
    pub fn address(&self) -> &str {
        &self.address
    }
    /// The Hunan city or county code of the institution.
    pub fn region(&self) -> &RegionCode {
        &self.region
    }
    /// The Hunan city the institution is in (its data scope and the `{city2}` of its institution code).
    pub fn city(&self) -> RegionCode {
        // `parse_region` proved the region lies in a Hunan city.
        self.region.city().unwrap_or_else(|| self.region.clone())
    }
    /// The projects applied for, trimmed, in the order given, without duplicates.
    pub fn projects(&self) -> &[String] {
        &self.projects
    }
    pub fn facilities(&self) -> &[Facility] {
        &self.facilities
    }
    pub fn assessors(&self) -> &[AssessorRow] {
        &self.assessors
    }
    /// The five S1 conditions with their evidence, in [`S1Condition::ALL`] order.
    pub fn conditions(&self) -> &[ConditionEvidence] {
        &self.conditions
    }
    pub fn legal_representative(&self) -> &PersonName {
        &self.legal_representative
    }
    /// S2: where the application goes.
    pub fn receiver(&self) -> Receiver {
        route(self.category)
    }
    /// S2: the region code of the receiving center (the city, or 430000 for the province).
    pub fn receiving_center_region(&self) -> RegionCode {
        self.receiver().center_region(&self.region).unwrap_or_else(RegionCode::hunan_province)
    }
}

/// A Hunan city or county code (not the province itself, not another province).
fn parse_region(raw: &str) -> Result<RegionCode, FieldError> {
    let code = RegionCode::parse(raw)?;
    if code.is_hunan() && !code.is_hunan_province() && code.city().is_some() {
        Ok(code)
    } else {
        Err(FieldError::new(
            "region_code",
            "REGION_NOT_HUNAN_COUNTY",
            "所在地区应为湖南省的市州或县（市、区）行政区划代码",
        ))
    }
}

fn parse_projects(e: &mut FieldErrors, raw: &[String]) -> Vec<String> {
    if raw.iter().all(|p| p.trim().is_empty()) {
        e.push(FieldError::new("projects", "PROJECTS_REQUIRED", "请至少填写一个申报考核项目"));
        return Vec::new();
    }
    if raw.len() > MAX_ROWS {
        e.push(too_many("projects", "申报考核项目"));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, p) in raw.iter().enumerate().filter(|(_, p)| !p.trim().is_empty()) {
        let field = format!("projects[{i}]");
        let Some(name) = e.take(text_field(&field, p, 2, 50, "PROJECT_NAME_LENGTH", "考核项目名称")) else {
            continue;
        };
        if out.contains(&name) {
            e.push(FieldError::new(field, "PROJECT_DUPLICATE", format!("考核项目“{name}”重复填写")));
            continue;
        }
        out.push(name);
    }
    out
}

fn parse_facilities(e: &mut FieldErrors, rows: &[FacilityInput]) -> Vec<Facility> {
    if rows.iter().all(FacilityInput::is_blank) {
        e.push(FieldError::new("facilities", "FACILITIES_REQUIRED", "请至少填写一行设施设备、场地"));
        return Vec::new();
    }
    if rows.len() > MAX_ROWS {
        e.push(too_many("facilities", "设施设备、场地"));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        let name = e.take(text_field(
            &format!("facilities[{i}].name"),
            &r.name,
            2,
            100,
            "FACILITY_NAME_LENGTH",
            "设施设备或场地名称",
        ));
        let specification = e.take(text_field(
            &format!("facilities[{i}].specification"),
            &r.specification,
            1,
            200,
            "FACILITY_SPECIFICATION_LENGTH",
            "规格和数量",
        ));
        let purpose = e.take(text_field(
            &format!("facilities[{i}].purpose"),
            &r.purpose,
            2,
            200,
            "FACILITY_PURPOSE_LENGTH",
            "用途",
        ));
        if let (Some(name), Some(specification), Some(purpose)) = (name, specification, purpose) {
            out.push(Facility { name, specification, purpose });
        }
    }
    out
}

fn parse_assessors(e: &mut FieldErrors, rows: &[AssessorInput], projects: &[&str], min: usize) -> Vec<AssessorRow> {
    let filled = rows.iter().filter(|r| !r.is_blank()).count();
    if filled < min {
        e.push(FieldError::new(
            "assessors",
            "ASSESSORS_TOO_FEW",
            format!("考评人员至少应有 {min} 人（一个考评组），现填写 {filled} 人"),
        ));
    }
    if rows.len() > MAX_ROWS {
        e.push(too_many("assessors", "考评人员配置"));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| !r.is_blank()) {
        let name = e.take(PersonName::parse(&r.name).map_err(|err| err.for_field(format!("assessors[{i}].name"))));
        let qualification = e.take(text_field(
            &format!("assessors[{i}].qualification"),
            &r.qualification,
            2,
            50,
            "ASSESSOR_QUALIFICATION_LENGTH",
            "资质或证卡编号",
        ));
        let project = r.project.trim();
        let project_field = format!("assessors[{i}].project");
        let project = if project.is_empty() {
            e.push(FieldError::new(project_field, "ASSESSOR_PROJECT_NOT_APPLIED", "请填写该考评人员对应的考核项目"));
            None
        } else if projects.is_empty() || projects.contains(&project) {
            Some(project.to_owned())
        } else {
            e.push(FieldError::new(
                project_field,
                "ASSESSOR_PROJECT_NOT_APPLIED",
                format!("“{project}”不在本次申报的考核项目中"),
            ));
            None
        };
        if let (Some(name), Some(qualification), Some(project)) = (name, qualification, project) {
            out.push(AssessorRow { name, qualification, project });
        }
    }
    out
}

fn parse_conditions(e: &mut FieldErrors, rows: &[ConditionInput]) -> Vec<ConditionEvidence> {
    let mut seen: BTreeSet<S1Condition> = BTreeSet::new();
    let mut given: Vec<(S1Condition, &ConditionInput)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let Some(c) = S1Condition::parse(r.condition.trim()) else {
            e.push(FieldError::new(
                format!("conditions[{i}].condition"),
                "CONDITION_UNKNOWN",
                format!("“{}”不是备案条件", r.condition.trim()),
            ));
            continue;
        };
        if !seen.insert(c) {
            e.push(FieldError::new(
                format!("conditions[{i}].condition"),
                "CONDITION_DUPLICATE",
                format!("备案条件“{}”重复填写", c.label()),
            ));
            continue;
        }
        given.push((c, r));
    }
    let mut out = Vec::new();
    for c in S1Condition::ALL {
        let prefix = format!("conditions.{}", c.id());
        let row = given.iter().find(|(g, _)| g == c).map(|(_, r)| *r);
        if !row.is_some_and(|r| r.affirmed) {
            e.push(FieldError::new(
                format!("{prefix}.affirmed"),
                "CONDITION_NOT_AFFIRMED",
                format!("须确认具备备案条件：{}", c.text()),
            ));
        }
        let evidence = row.map(|r| r.evidence.as_str()).unwrap_or("");
        let label = format!("“{}”的证明材料或说明", c.label());
        if let Some(evidence) = e.take(text_field(
            &format!("{prefix}.evidence"),
            evidence,
            2,
            FINDING_MAX_CHARS,
            "CONDITION_EVIDENCE_LENGTH",
            &label,
        )) && row.is_some_and(|r| r.affirmed)
        {
            out.push(ConditionEvidence { condition: *c, evidence });
        }
    }
    out
}
