//! P3, P4, P8 and P1: an assessment project as an explicit state machine. [`ProjectState`] says where a
//! project stands, [`ProjectEvent`] is a step with its data (reasons, the route, dates), [`transition`]
//! is the whole table (every state × every event is table-tested), [`Actor`] says who performs a step
//! and [`todo()`] whose turn it is.
//!
//! **Two ways in.** A developed project (P3, [`ProjectOrigin::Developed`]) starts as a `draft` of its
//! development unit. An adopted project (P1, [`ProjectOrigin::Adopted`]) is recorded by the province as
//! `adoption_submitted` and enters the catalog on the province's approval.
//!
//! **Routing (P3, as S2).** "原则上由市州鉴定中心受理开发申请，经市州鉴定中心初审同意后，汇总报省鉴定中心
//! 审定": a development unit submits to the city center of its region; provincial bodies (provincial
//! departments and trade bodies, central enterprises in Hunan, provincial enterprises) go straight to
//! the province, as station filings do ([`route`], the S2 rule reused). The route travels with the
//! submission ([`ProjectEvent::Submit`]): a city-routed project lands in `submitted` (the city's
//! preliminary review), a province-routed one directly in `forwarded` — there is no preliminary review
//! by the province of its own, and no separate "received by the province" state: `forwarded` means
//! "with the province" whichever way it came. So every actor is concrete: `submitted` waits on the city
//! center only, and [`todo()`] needs no route.
//!
//! **Returns.** The city returns from `submitted`; the province returns from `forwarded` (before the
//! review) and from `reviewed` (after it, e.g. when the experts ask for changes). A returned project
//! is edited by its unit and submitted again along its route; every return carries its reasons and the
//! store keeps them in the history.
//!
//! **Review (P4).** The province draws the expert group (`review_drawn`, names sealed; the draw's
//! purpose is [`crate::draws::PROJECT_REVIEW_PURPOSE`]), opens the seal (`reviewing`), the members file
//! their opinions ([`super::ReviewOpinion`]) and the last one completes the review (`reviewed`); the
//! province decides: `established` (a project code is given, [`super::project_code`]) or `rejected`.
//!
//! **Catalog (P8, F2).** An established project is published with its publication date and piloted
//! (`pilot`); the pilot lasts at most the policy's months ([`super::pilot_end`]); the province rolls it
//! out province-wide (`in_force`) or stops it (`stopped`). An in-force project may also be stopped (the
//! catalog is updated as projects change, F2). An adopted project is approved straight into `pilot` or
//! `in_force` with its publication date in Hunan.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::audit::AuditAction;
use crate::enums::string_enum;
use crate::error::FieldError;
use crate::org::Role;
pub use crate::stations::{ApplicantCategory, Receiver, route};

string_enum! {
    /// How a project enters the catalog.
    ProjectOrigin {
        /// P2, P3: developed by a development unit and reviewed by experts (P4).
        Developed = "developed" => "开发",
        /// P1: published by the national center or another province and adopted directly.
        Adopted = "adopted" => "直接采用",
    }
}

impl ProjectOrigin {
    /// The state a new project of this origin is created in: a developed project's `draft`, an adopted
    /// project's `adoption_submitted`.
    pub fn initial_state(self) -> ProjectState {
        match self {
            ProjectOrigin::Developed => ProjectState::Draft,
            ProjectOrigin::Adopted => ProjectState::AdoptionSubmitted,
        }
    }
}

string_enum! {
    /// Where a project stands. Each state names the clause that puts it there:
    ///
    /// - `draft` — P3: the development unit writes the feasibility report and the specification;
    ///   private to that unit until submitted.
    /// - `submitted` — P3: with the city center of the unit's region for the preliminary review (初审).
    /// - `returned` — P3/P4: sent back with reasons (by the city, or by the province before or after the
    ///   expert review); the unit edits and submits again.
    /// - `forwarded` — P3: with the province (forwarded by the city after its preliminary review, or
    ///   submitted directly by a provincial body); the province draws the expert group next.
    /// - `review_drawn` — P4: the expert group is drawn from the committee, its names sealed.
    /// - `reviewing` — P4: the seal is open; each member files an opinion.
    /// - `reviewed` — P4: every opinion is in; the province decides.
    /// - `established` — P4: the province established the project and gave it a project code; it is
    ///   published next.
    /// - `rejected` — P4/P1: the province decided not to establish it (or not to adopt it), with reasons
    ///   (final).
    /// - `pilot` — P8: published with its publication date; the pilot lasts at most the policy's months.
    /// - `in_force` — P8: rolled out province-wide (or adopted as such, P1).
    /// - `stopped` — P8/F2: the pilot (or the project) was stopped (final, stays in the catalog's history).
    /// - `adoption_submitted` — P1: the province recorded a project published by the national center or
    ///   another province, with its provenance and evidence; it waits for approval.
    ProjectState {
        Draft = "draft" => "草稿",
        Submitted = "submitted" => "待市州初审",
        Returned = "returned" => "已退回",
        Forwarded = "forwarded" => "待省鉴定中心论证评审",
        ReviewDrawn = "review_drawn" => "待开始论证评审",
        Reviewing = "reviewing" => "论证评审中",
        Reviewed = "reviewed" => "待设立决定",
        Established = "established" => "已设立待发布",
        Rejected = "rejected" => "不予设立",
        Pilot = "pilot" => "试点中",
        InForce = "in_force" => "全省推行",
        Stopped = "stopped" => "已停止",
        AdoptionSubmitted = "adoption_submitted" => "采用待审批",
    }
}

impl ProjectState {
    /// No event is allowed any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, ProjectState::Rejected | ProjectState::Stopped)
    }

    /// P3: seen only by its own development unit (a draft never submitted).
    pub fn is_private_to_unit(self) -> bool {
        self == ProjectState::Draft
    }

    /// The specification may be edited: by the development unit before submission and after a return,
    /// by the province while an adoption waits for approval.
    pub fn is_editable(self) -> bool {
        matches!(self, ProjectState::Draft | ProjectState::Returned | ProjectState::AdoptionSubmitted)
    }

    /// Which way into the catalog a project in this state came, where the state tells it (`None` for
    /// the shared states from `rejected` on).
    pub fn origin(self) -> Option<ProjectOrigin> {
        use ProjectState as S;
        match self {
            S::AdoptionSubmitted => Some(ProjectOrigin::Adopted),
            S::Draft
            | S::Submitted
            | S::Returned
            | S::Forwarded
            | S::ReviewDrawn
            | S::Reviewing
            | S::Reviewed
            | S::Established => Some(ProjectOrigin::Developed),
            S::Rejected | S::Pilot | S::InForce | S::Stopped => None,
        }
    }
}

string_enum! {
    /// The kinds of [`ProjectEvent`], without their data: the ids the API and the UI use.
    ProjectEventKind {
        Submit = "submit" => "提交开发申请",
        CityReturn = "city_return" => "市州退回开发申请",
        Forward = "forward" => "初审通过报省",
        ProvinceReturn = "province_return" => "省鉴定中心退回开发申请",
        DrawReview = "draw_review" => "抽取论证评审专家组",
        OpenReview = "open_review" => "开始论证评审",
        CompleteReview = "complete_review" => "形成论证评审意见",
        Establish = "establish" => "设立考核项目",
        Reject = "reject" => "不予设立",
        RejectAdoption = "reject_adoption" => "不予采用",
        Publish = "publish" => "发布并开展试点",
        RollOut = "roll_out" => "全省推行",
        Stop = "stop" => "停止考核项目",
        ApproveAdoption = "approve_adoption" => "批准采用",
    }
}

string_enum! {
    /// Who performs an event. Every actor is a concrete office: the route decides only where a
    /// submission lands (see the module doc).
    Actor {
        DevelopmentUnit = "development_unit" => "开发单位",
        CityCenter = "city_center" => "市州鉴定中心",
        Province = "province" => "省鉴定中心",
        ReviewGroup = "review_group" => "论证评审专家组",
    }
}

impl Actor {
    /// The roles whose holders act for this party (the store also checks their data scope: the unit's
    /// own projects, the city's own region).
    pub fn roles(self) -> &'static [Role] {
        match self {
            Actor::DevelopmentUnit => &[Role::DevunitStaff],
            Actor::CityCenter => &[Role::CityAdmin, Role::CityStaff],
            Actor::Province => &[Role::ProvinceAdmin, Role::ProvinceStaff],
            Actor::ReviewGroup => &[Role::Expert],
        }
    }
}

impl ProjectEventKind {
    /// Who performs an event of this kind.
    pub fn actor(self) -> Actor {
        use ProjectEventKind::*;
        match self {
            Submit => Actor::DevelopmentUnit,
            CityReturn | Forward => Actor::CityCenter,
            ProvinceReturn | DrawReview | OpenReview | Establish | Reject | Publish | RollOut | Stop
            | ApproveAdoption | RejectAdoption => Actor::Province,
            CompleteReview => Actor::ReviewGroup,
        }
    }

    /// Whether the event carries a reason that must be given ([`REASON_MIN_CHARS`]).
    pub fn needs_reason(self) -> bool {
        use ProjectEventKind::*;
        matches!(self, CityReturn | ProvinceReturn | Reject | Stop | RejectAdoption)
    }

    /// Whether the event carries the publication date ([`ProjectEvent::publication`]).
    pub fn needs_publication_date(self) -> bool {
        matches!(self, ProjectEventKind::Publish | ProjectEventKind::ApproveAdoption)
    }

    /// The audit trail's action for a step of this kind.
    pub fn audit_action(self) -> AuditAction {
        use ProjectEventKind::*;
        match self {
            Submit => AuditAction::ProjectSubmitted,
            CityReturn => AuditAction::ProjectCityReturned,
            Forward => AuditAction::ProjectForwarded,
            ProvinceReturn => AuditAction::ProjectProvinceReturned,
            DrawReview => AuditAction::ProjectReviewDrawn,
            OpenReview => AuditAction::ProjectReviewOpened,
            CompleteReview => AuditAction::ProjectReviewCompleted,
            Establish => AuditAction::ProjectEstablished,
            Reject => AuditAction::ProjectRejected,
            Publish => AuditAction::ProjectPublished,
            RollOut => AuditAction::ProjectRolledOut,
            Stop => AuditAction::ProjectStopped,
            ApproveAdoption => AuditAction::ProjectAdoptionApproved,
            RejectAdoption => AuditAction::ProjectAdoptionRejected,
        }
    }
}

/// A step of the project procedure. Reasons are checked by [`transition`] (at least
/// [`REASON_MIN_CHARS`] characters after trimming, at most [`REASON_MAX_CHARS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProjectEvent {
    /// P3: the development unit submits (or resubmits after a return) along its route ([`route`]): to
    /// the city center (→ `submitted`) or directly to the province (→ `forwarded`).
    Submit { route: Receiver },
    /// P3: the city center sends the application back with reasons.
    CityReturn { reason: String },
    /// P3: the city center's preliminary review passed; forwarded to the province.
    Forward,
    /// P3/P4: the province sends the application back to the unit with reasons (before or after the
    /// expert review).
    ProvinceReturn { reason: String },
    /// P4: the province draws the expert group from the committee (names sealed).
    DrawReview,
    /// P4: the province opens the seal; the members file their opinions.
    OpenReview,
    /// P4: every member's opinion is in.
    CompleteReview,
    /// P4: the province establishes the project (the store gives it its project code).
    Establish,
    /// P4: the province decides not to establish the project.
    Reject { reason: String },
    /// P8: the province publishes the project on `publication`; its pilot starts that day.
    Publish {
        #[serde(with = "crate::calendar::ymd")]
        publication: Date,
    },
    /// P8: the province rolls the piloted project out province-wide.
    RollOut,
    /// P8/F2: the province stops the project (a pilot that does not go on, or a project withdrawn).
    Stop { reason: String },
    /// P1: the province approves an adoption, published in Hunan on `publication`, into a pilot
    /// (`pilot: true`) or straight into force.
    ApproveAdoption {
        #[serde(with = "crate::calendar::ymd")]
        publication: Date,
        pilot: bool,
    },
    /// P1: the province decides not to adopt the project.
    RejectAdoption { reason: String },
}

impl ProjectEvent {
    pub fn kind(&self) -> ProjectEventKind {
        use ProjectEvent as E;
        use ProjectEventKind as K;
        match self {
            E::Submit { .. } => K::Submit,
            E::CityReturn { .. } => K::CityReturn,
            E::Forward => K::Forward,
            E::ProvinceReturn { .. } => K::ProvinceReturn,
            E::DrawReview => K::DrawReview,
            E::OpenReview => K::OpenReview,
            E::CompleteReview => K::CompleteReview,
            E::Establish => K::Establish,
            E::Reject { .. } => K::Reject,
            E::Publish { .. } => K::Publish,
            E::RollOut => K::RollOut,
            E::Stop { .. } => K::Stop,
            E::ApproveAdoption { .. } => K::ApproveAdoption,
            E::RejectAdoption { .. } => K::RejectAdoption,
        }
    }

    pub fn id(&self) -> &'static str {
        self.kind().id()
    }

    /// The Chinese label; a submission names where it goes, an approved adoption how it enters.
    pub fn label(&self) -> &'static str {
        match self {
            ProjectEvent::Submit { route: Receiver::City } => "提交市州鉴定中心初审",
            ProjectEvent::Submit { route: Receiver::Province } => "直接报省鉴定中心审定",
            ProjectEvent::ApproveAdoption { pilot: true, .. } => "批准采用并开展试点",
            ProjectEvent::ApproveAdoption { pilot: false, .. } => "批准采用并全省推行",
            other => other.kind().label(),
        }
    }

    pub fn actor(&self) -> Actor {
        self.kind().actor()
    }

    /// The reason given with a return, a rejection or a stop, trimmed.
    pub fn reason(&self) -> Option<&str> {
        match self {
            ProjectEvent::CityReturn { reason }
            | ProjectEvent::ProvinceReturn { reason }
            | ProjectEvent::Reject { reason }
            | ProjectEvent::Stop { reason }
            | ProjectEvent::RejectAdoption { reason } => Some(reason.trim()),
            _ => None,
        }
    }

    /// The publication date of a publication or an approved adoption (P8: the pilot runs from it).
    pub fn publication(&self) -> Option<Date> {
        match self {
            ProjectEvent::Publish { publication } | ProjectEvent::ApproveAdoption { publication, .. } => {
                Some(*publication)
            }
            _ => None,
        }
    }

    /// Build an event from an API or form request: the kind's id, the reason (used only by the kinds
    /// that take one), the publication date as typed (`YYYY-MM-DD`, used by `publish` and
    /// `approve_adoption`, where it is required), whether an adoption is piloted (required by
    /// `approve_adoption`) and the project's route (used by `submit`; the store knows it from the
    /// development unit).
    pub fn from_parts(
        kind: &str,
        reason: &str,
        publication: &str,
        pilot: Option<bool>,
        route: Receiver,
    ) -> Result<ProjectEvent, TransitionError> {
        let kind = ProjectEventKind::parse(kind.trim())
            .ok_or_else(|| TransitionError::UnknownEvent(kind.trim().to_owned()))?;
        let reason = reason.trim().to_owned();
        let date = || parse_date(publication).ok_or(TransitionError::PublicationDateRequired { event: kind });
        use ProjectEvent as E;
        use ProjectEventKind as K;
        Ok(match kind {
            K::Submit => E::Submit { route },
            K::CityReturn => E::CityReturn { reason },
            K::Forward => E::Forward,
            K::ProvinceReturn => E::ProvinceReturn { reason },
            K::DrawReview => E::DrawReview,
            K::OpenReview => E::OpenReview,
            K::CompleteReview => E::CompleteReview,
            K::Establish => E::Establish,
            K::Reject => E::Reject { reason },
            K::Publish => E::Publish { publication: date()? },
            K::RollOut => E::RollOut,
            K::Stop => E::Stop { reason },
            K::ApproveAdoption => {
                let publication = date()?;
                E::ApproveAdoption { publication, pilot: pilot.ok_or(TransitionError::AdoptionModeRequired)? }
            }
            K::RejectAdoption => E::RejectAdoption { reason },
        })
    }
}

/// A date typed as `YYYY-MM-DD`.
pub(crate) fn parse_date(raw: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), format).ok()
}

/// A reason has at least this many characters (after trimming).
pub const REASON_MIN_CHARS: usize = 2;
/// A reason has at most this many characters.
pub const REASON_MAX_CHARS: usize = 1000;

/// Why a step was refused: a stable [`code`](TransitionError::code), the [`field`](TransitionError::field)
/// it concerns and a Chinese [`detail`](TransitionError::detail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// `PROJECT_EVENT_NOT_ALLOWED`: the event does not apply in this state.
    NotAllowed { state: ProjectState, event: ProjectEventKind },
    /// `PROJECT_CLOSED`: the project ended (rejected or stopped); nothing applies any more.
    Closed { state: ProjectState, event: ProjectEventKind },
    /// `PROJECT_REASON_REQUIRED`: a return, rejection (of a project or an adoption) or stop without a
    /// reason.
    ReasonRequired { event: ProjectEventKind },
    /// `PROJECT_REASON_TOO_LONG`.
    ReasonTooLong { event: ProjectEventKind },
    /// `PROJECT_EVENT_UNKNOWN`: not an event id ([`ProjectEvent::from_parts`]).
    UnknownEvent(String),
    /// `PROJECT_PUBLICATION_DATE_REQUIRED`: a publication or approved adoption without a valid date.
    PublicationDateRequired { event: ProjectEventKind },
    /// `PROJECT_ADOPTION_MODE_REQUIRED`: an approved adoption without "pilot" or "in force".
    AdoptionModeRequired,
}

impl TransitionError {
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } => "PROJECT_EVENT_NOT_ALLOWED",
            TransitionError::Closed { .. } => "PROJECT_CLOSED",
            TransitionError::ReasonRequired { .. } => "PROJECT_REASON_REQUIRED",
            TransitionError::ReasonTooLong { .. } => "PROJECT_REASON_TOO_LONG",
            TransitionError::UnknownEvent(_) => "PROJECT_EVENT_UNKNOWN",
            TransitionError::PublicationDateRequired { .. } => "PROJECT_PUBLICATION_DATE_REQUIRED",
            TransitionError::AdoptionModeRequired => "PROJECT_ADOPTION_MODE_REQUIRED",
        }
    }

    /// The request field the error is reported against.
    pub fn field(&self) -> &'static str {
        match self {
            TransitionError::NotAllowed { .. } | TransitionError::Closed { .. } | TransitionError::UnknownEvent(_) => {
                "event"
            }
            TransitionError::ReasonRequired { .. } | TransitionError::ReasonTooLong { .. } => "reason",
            TransitionError::PublicationDateRequired { .. } => "publication_date",
            TransitionError::AdoptionModeRequired => "pilot",
        }
    }

    pub fn detail(&self) -> String {
        match self {
            TransitionError::NotAllowed { state, event } => {
                let allowed: Vec<String> =
                    allowed_event_kinds(*state).iter().map(|k| format!("“{}”", k.label())).collect();
                let others = if allowed.is_empty() {
                    "此状态下没有可执行的操作".to_owned()
                } else {
                    format!("此状态下只能执行{}", allowed.join("或"))
                };
                format!("当前状态为“{}”，不能执行“{}”；{}", state.label(), event.label(), others)
            }
            TransitionError::Closed { state, event } => {
                format!("当前状态为“{}”，该考核项目的流程已结束，不能再执行“{}”", state.label(), event.label())
            }
            TransitionError::ReasonRequired { event } => {
                format!("{}须填写理由（至少 {REASON_MIN_CHARS} 个字）", event.label())
            }
            TransitionError::ReasonTooLong { event } => {
                format!("{}的理由不能超过 {REASON_MAX_CHARS} 个字", event.label())
            }
            TransitionError::UnknownEvent(id) => format!("没有“{id}”这一考核项目操作"),
            TransitionError::PublicationDateRequired { event } => {
                format!("{}须填写发布日期（格式为 YYYY-MM-DD，如 2026-03-01）", event.label())
            }
            TransitionError::AdoptionModeRequired => "批准采用须选择“开展试点”或“全省推行”".to_owned(),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(self.field(), self.code(), self.detail())
    }
}

crate::error::refusal!(TransitionError);

/// The next state for an event kind, ignoring its data (the route of a submission and the mode of an
/// adoption are resolved by [`transition`]); `None` when the event does not apply. This is the table.
fn target(state: ProjectState, kind: ProjectEventKind) -> Option<ProjectState> {
    use ProjectEventKind as E;
    use ProjectState as S;
    Some(match (state, kind) {
        // Placeholder for the city route; `transition` sends a province-routed submission to `Forwarded`.
        (S::Draft | S::Returned, E::Submit) => S::Submitted,
        (S::Submitted, E::CityReturn) => S::Returned,
        (S::Submitted, E::Forward) => S::Forwarded,
        (S::Forwarded | S::Reviewed, E::ProvinceReturn) => S::Returned,
        (S::Forwarded, E::DrawReview) => S::ReviewDrawn,
        (S::ReviewDrawn, E::OpenReview) => S::Reviewing,
        (S::Reviewing, E::CompleteReview) => S::Reviewed,
        (S::Reviewed, E::Establish) => S::Established,
        (S::Reviewed, E::Reject) | (S::AdoptionSubmitted, E::RejectAdoption) => S::Rejected,
        (S::Established, E::Publish) => S::Pilot,
        (S::Pilot, E::RollOut) => S::InForce,
        (S::Pilot | S::InForce, E::Stop) => S::Stopped,
        // Placeholder for a piloted adoption; `transition` sends the other to `InForce`.
        (S::AdoptionSubmitted, E::ApproveAdoption) => S::Pilot,
        _ => return None,
    })
}

/// The event kinds `state` allows, in [`ProjectEventKind::ALL`] order.
pub fn allowed_event_kinds(state: ProjectState) -> Vec<ProjectEventKind> {
    ProjectEventKind::ALL.iter().copied().filter(|k| target(state, *k).is_some()).collect()
}

/// Apply `event` to a project in `state`: the next state, or why the step is refused. Pure; the store
/// records the event (actor, time, reason, dates) and checks that the caller is the event's [`Actor`].
pub fn transition(state: ProjectState, event: &ProjectEvent) -> Result<ProjectState, TransitionError> {
    let kind = event.kind();
    let Some(next) = target(state, kind) else {
        return Err(if state.is_terminal() {
            TransitionError::Closed { state, event: kind }
        } else {
            TransitionError::NotAllowed { state, event: kind }
        });
    };
    if let Some(reason) = event.reason() {
        let n = reason.chars().count();
        if n < REASON_MIN_CHARS {
            return Err(TransitionError::ReasonRequired { event: kind });
        }
        if n > REASON_MAX_CHARS {
            return Err(TransitionError::ReasonTooLong { event: kind });
        }
    }
    Ok(match event {
        ProjectEvent::Submit { route: Receiver::Province } => ProjectState::Forwarded,
        ProjectEvent::ApproveAdoption { pilot: false, .. } => ProjectState::InForce,
        _ => next,
    })
}

/// The party whose turn it is in `state`; `None` when nobody has to act (in force, rejected, stopped).
fn waiting_on(state: ProjectState) -> Option<Actor> {
    use ProjectState as S;
    match state {
        S::Draft | S::Returned => Some(Actor::DevelopmentUnit),
        S::Submitted => Some(Actor::CityCenter),
        S::Forwarded | S::ReviewDrawn | S::Reviewed | S::Established | S::Pilot | S::AdoptionSubmitted => {
            Some(Actor::Province)
        }
        S::Reviewing => Some(Actor::ReviewGroup),
        S::InForce | S::Rejected | S::Stopped => None,
    }
}

/// The to-do text of `state` for whoever must act next.
fn todo_text(state: ProjectState) -> Option<&'static str> {
    use ProjectState as S;
    Some(match state {
        S::Draft => "填写并提交考核项目开发申请（可行性分析报告和考核规范）",
        S::Returned => "按退回意见修改并重新提交考核项目开发申请",
        S::Submitted => "初审考核项目开发申请（通过后报省鉴定中心，或退回开发单位）",
        S::Forwarded => "抽取论证评审专家组（或退回开发单位）",
        S::ReviewDrawn => "开始论证评审，开启密封的专家组名单",
        S::Reviewing => "填写论证评审意见",
        S::Reviewed => "根据专家组意见作出是否设立考核项目的决定",
        S::Established => "发布考核项目并组织开展考核试点",
        S::Pilot => "试点期满前决定全省推行或停止该考核项目",
        S::AdoptionSubmitted => "审批拟直接采用的考核项目",
        S::InForce | S::Rejected | S::Stopped => return None,
    })
}

/// A deadline the procedure sets for a state's to-do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeadlineRule {
    /// P8: the pilot ends at most the policy's months (`policy_key`) after the publication date; the
    /// due date is [`pilot_end`](super::pilot_end) of the publication date, and kaohe reminds the
    /// province [`reminder_date`](super::reminder_date) (`reminder_key` days) before it.
    PilotEnd { policy_key: &'static str, reminder_key: &'static str, clause: &'static str },
}

/// The deadline of `state`'s to-do, where the procedure gives one: only the pilot's (P8). No other
/// step of section 一 has a time limit in the procedure.
fn deadline_rule(state: ProjectState) -> Option<DeadlineRule> {
    (state == ProjectState::Pilot).then_some(DeadlineRule::PilotEnd {
        policy_key: crate::policy::keys::PILOT_MAX_MONTHS,
        reminder_key: crate::policy::keys::PILOT_REMINDER_DAYS,
        clause: "P8",
    })
}

/// One entry of a to-do list: who acts, what to do and its deadline rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Todo {
    pub actor: Actor,
    pub text: &'static str,
    pub deadline: Option<DeadlineRule>,
}

/// What waits in `state`: whose turn it is, what to do and the procedure's deadline rule; `None` when
/// nobody has to act (in force, rejected, stopped). Unlike a station filing's, it needs no route: the
/// route decides only where a submission lands (module doc). While the review is under way
/// (`reviewing`) each member's own to-do is a [`crate::workflow::SubjectKind::ProjectReview`].
pub fn todo(state: ProjectState) -> Option<Todo> {
    let actor = waiting_on(state)?;
    let text = todo_text(state)?;
    Some(Todo { actor, text, deadline: deadline_rule(state) })
}
