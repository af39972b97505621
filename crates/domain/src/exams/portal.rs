//! Candidate self-service (issue 12): a person registers a `candidate` account with their own ID number
//! (one account per ID number — the store keeps the blind index unique), sees the sessions open to them,
//! applies, and the station confirms or declines; a confirmed candidate prints an admission ticket
//! (准考证) whose number comes from the policy's template and whose QR code leads to a verification page.
//!
//! **An application** ([`application_transition`]):
//!
//! | from | event | to |
//! |---|---|---|
//! | applied | confirm (the station) | confirmed |
//! | applied | decline (the station, reason) | declined |
//! | applied, confirmed | withdraw (the candidate, before the exam's first day) | withdrawn |
//!
//! A session takes applications while its station has opened it to them (开放网上报名), its plan is
//! still the station's (draft or returned: the organizer approves the plan with the confirmed
//! candidates, E3) and its first day is still ahead ([`check_open`]); a person already among the
//! session's candidates, or with an application standing, may not apply again. The station confirms or
//! declines only while the plan is its own, too.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors, refusal};
use crate::ids::{IdNumber, PersonName, Phone, Username};
use crate::numbering::Part;
use crate::password::PasswordPolicy;

/// A candidate's sign-up as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CandidateSignUpInput {
    pub username: String,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub password: String,
    pub password_confirm: String,
}

/// A sign-up that passed every check. `Debug` never shows the password or the ID number.
#[derive(Clone, PartialEq, Eq)]
pub struct CandidateSignUp {
    pub username: Username,
    pub name: PersonName,
    pub id_number: IdNumber,
    pub phone: Phone,
    pub password: String,
}

impl std::fmt::Debug for CandidateSignUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CandidateSignUp").field("username", &self.username).finish_non_exhaustive()
    }
}

impl CandidateSignUp {
    /// Every error at once, each naming its field; the password under the security policy in force.
    pub fn parse(input: &CandidateSignUpInput, policy: &PasswordPolicy, today: Date) -> Result<Self, FieldErrors> {
        let mut errs = FieldErrors::new();
        let username = errs.take(Username::parse(&input.username));
        let name = errs.take(PersonName::parse(&input.name));
        let id_number = errs.take(IdNumber::parse_on(&input.id_number, today));
        let phone = errs.take(Phone::parse(&input.phone));
        let password = errs.take(policy.check(&input.password));
        if password.is_some() && input.password != input.password_confirm {
            errs.push(FieldError::new("password_confirm", "PASSWORD_MISMATCH", "两次输入的密码不一致"));
        }
        errs.into_result()?;
        match (username, name, id_number, phone) {
            (Some(username), Some(name), Some(id_number), Some(phone)) => {
                Ok(CandidateSignUp { username, name, id_number, phone, password: input.password.clone() })
            }
            _ => Err(FieldErrors::new()),
        }
    }
}

/// `ID_NUMBER_REGISTERED`: one candidate account per ID number.
pub fn id_number_registered() -> FieldError {
    FieldError::new(
        "id_number",
        "ID_NUMBER_REGISTERED",
        "该身份证号码已注册考生账号，请直接登录；如忘记密码，请联系考核站或鉴定中心重置",
    )
}

/// Why a session does not take an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyRefusal {
    /// `SESSION_NOT_OPEN`: the station has not opened the session to applications.
    NotOpen,
    /// `SESSION_CLOSED`: the plan has gone to the organizer (or was cancelled): the list is fixed.
    Closed,
    /// `SESSION_STARTED`: the first day has come.
    Started { first_day: Date },
    /// `CANDIDATE_ALREADY_IN_SESSION`.
    AlreadyIn,
}

impl ApplyRefusal {
    pub fn detail(&self) -> String {
        match self {
            Self::NotOpen => "该场考核未开放网上报名".to_owned(),
            Self::Closed => "该场考核的考核计划已报送（或已取消），考生名单已确定，报名已截止".to_owned(),
            Self::Started { first_day } => format!("该场考核已于 {first_day} 开考，报名已截止"),
            Self::AlreadyIn => "您已在该场考核的考生名单中（或已报名），无需重复报名".to_owned(),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        let code = match self {
            Self::NotOpen => "SESSION_NOT_OPEN",
            Self::Closed => "SESSION_CLOSED",
            Self::Started { .. } => "SESSION_STARTED",
            Self::AlreadyIn => "CANDIDATE_ALREADY_IN_SESSION",
        };
        FieldError::new("session", code, self.detail())
    }
}

refusal!(ApplyRefusal);

/// Whether a person may apply to a session today: opened by its station, its plan still the station's
/// (`editable`: draft or returned), its first day ahead, and the person not yet on it.
pub fn check_open(
    open: bool,
    editable: bool,
    first_day: Date,
    today: Date,
    already_in: bool,
) -> Result<(), ApplyRefusal> {
    if !editable {
        Err(ApplyRefusal::Closed)
    } else if !open {
        Err(ApplyRefusal::NotOpen)
    } else if today >= first_day {
        Err(ApplyRefusal::Started { first_day })
    } else if already_in {
        Err(ApplyRefusal::AlreadyIn)
    } else {
        Ok(())
    }
}

string_enum! {
    /// Where a candidate's application stands.
    ApplicationStatus {
        Applied = "applied" => "待考核站确认",
        Confirmed = "confirmed" => "已确认",
        Declined = "declined" => "未通过",
        Withdrawn = "withdrawn" => "已撤回",
    }
}

/// What happens to an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationEvent {
    Confirm,
    Decline {
        reason: String,
    },
    /// The candidate withdraws; `started` when the exam's first day has come.
    Withdraw {
        started: bool,
    },
}

/// `APPLICATION_STATE`, `REASON_REQUIRED` or `SESSION_STARTED`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationRefusal {
    NotAllowed { status: ApplicationStatus, event: &'static str },
    ReasonRequired,
    Started,
}

impl ApplicationRefusal {
    pub fn detail(&self) -> String {
        match self {
            Self::NotAllowed { status, event } => format!("报名当前为“{}”，不能{event}", status.label()),
            Self::ReasonRequired => "不予确认须填写理由，考生可以看到".to_owned(),
            Self::Started => "考核已开始，不能撤回报名".to_owned(),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        match self {
            Self::NotAllowed { .. } => FieldError::new("", "APPLICATION_STATE", self.detail()),
            Self::ReasonRequired => FieldError::new("reason", "REASON_REQUIRED", self.detail()),
            Self::Started => FieldError::new("", "SESSION_STARTED", self.detail()),
        }
    }
}

refusal!(ApplicationRefusal);

/// The application's next status after `event` (see the module's table).
pub fn application_transition(
    status: ApplicationStatus,
    event: &ApplicationEvent,
) -> Result<ApplicationStatus, ApplicationRefusal> {
    use ApplicationStatus::*;
    match (status, event) {
        (Applied, ApplicationEvent::Confirm) => Ok(Confirmed),
        (Applied, ApplicationEvent::Decline { reason }) if reason.trim().is_empty() => {
            Err(ApplicationRefusal::ReasonRequired)
        }
        (Applied, ApplicationEvent::Decline { .. }) => Ok(Declined),
        (Applied | Confirmed, ApplicationEvent::Withdraw { started: true }) => Err(ApplicationRefusal::Started),
        (Applied | Confirmed, ApplicationEvent::Withdraw { started: false }) => Ok(Withdrawn),
        _ => Err(ApplicationRefusal::NotAllowed {
            status,
            event: match event {
                ApplicationEvent::Confirm => "确认",
                ApplicationEvent::Decline { .. } => "不予确认",
                ApplicationEvent::Withdraw { .. } => "撤回",
            },
        }),
    }
}

/// The parts the ticket-numbering step supplies to the ticket number template (a policy template, seeded
/// by the migration that stores tickets).
pub const TICKET_PARTS: &[Part] = &[Part::City, Part::Year, Part::Project, Part::Serial];

/// The ticket serial's counter: one gap-free sequence per organizer's city (`"00"` for the province)
/// and year of the exam.
pub fn ticket_serial_key(city2: &str, year: i32) -> String {
    format!("ticket:{city2}:{year}")
}

/// `TICKET_NOT_READY`: a ticket is printed only for a confirmed candidate of an approved session.
pub fn check_ticket(approved: bool, confirmed: bool) -> Result<(), FieldError> {
    let why = match (approved, confirmed) {
        (true, true) => return Ok(()),
        (false, _) => "考核计划尚未批准，暂不能打印准考证",
        (true, false) => "报名尚未经考核站确认，暂不能打印准考证",
    };
    Err(FieldError::new("", "TICKET_NOT_READY", why))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn input() -> CandidateSignUpInput {
        CandidateSignUpInput {
            username: "zhangsan".into(),
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
            phone: "13812345678".into(),
            password: "Kaohe#2026".into(),
            password_confirm: "Kaohe#2026".into(),
        }
    }

    #[test]
    fn a_candidate_signs_up_with_their_own_id_number() {
        let s = CandidateSignUp::parse(&input(), &PasswordPolicy::default(), TODAY).unwrap();
        assert_eq!(s.id_number.as_str(), "11010519491231002X");
        let shown = format!("{s:?}");
        assert!(!shown.contains("1101051949") && !shown.contains("Kaohe#2026"), "{shown}");
    }

    #[test]
    fn a_bad_sign_up_names_every_field() {
        let bad = CandidateSignUpInput {
            username: "1x".into(),
            name: "".into(),
            id_number: "110105194912310021".into(),
            phone: "123".into(),
            password: "short".into(),
            password_confirm: "other".into(),
        };
        let e = CandidateSignUp::parse(&bad, &PasswordPolicy::default(), TODAY).unwrap_err();
        for field in ["username", "name", "id_number", "phone", "password"] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
        let mismatch = CandidateSignUpInput { password_confirm: "Kaohe#2027".into(), ..input() };
        let e = CandidateSignUp::parse(&mismatch, &PasswordPolicy::default(), TODAY).unwrap_err();
        assert_eq!(e.get("password_confirm").unwrap().code, "PASSWORD_MISMATCH");
        assert_eq!(id_number_registered().code, "ID_NUMBER_REGISTERED");
    }

    #[test]
    fn a_session_takes_applications_while_open_editable_and_ahead() {
        let day = date!(2026 - 12 - 20);
        assert_eq!(check_open(true, true, day, TODAY, false), Ok(()));
        assert_eq!(check_open(false, true, day, TODAY, false), Err(ApplyRefusal::NotOpen));
        assert_eq!(check_open(true, false, day, TODAY, false), Err(ApplyRefusal::Closed));
        assert_eq!(check_open(false, false, day, TODAY, false).unwrap_err().to_field_error().code, "SESSION_CLOSED");
        assert_eq!(check_open(true, true, TODAY, TODAY, false), Err(ApplyRefusal::Started { first_day: TODAY }));
        assert_eq!(
            check_open(true, true, day, TODAY, true).unwrap_err().to_field_error().code,
            "CANDIDATE_ALREADY_IN_SESSION"
        );
    }

    #[test]
    fn every_application_state_and_event() {
        use ApplicationStatus::*;
        let decline = ApplicationEvent::Decline { reason: "不符合报考条件".into() };
        let withdraw = ApplicationEvent::Withdraw { started: false };
        let late = ApplicationEvent::Withdraw { started: true };
        let table = [
            (Applied, ApplicationEvent::Confirm, Ok(Confirmed)),
            (Applied, decline.clone(), Ok(Declined)),
            (Applied, withdraw.clone(), Ok(Withdrawn)),
            (Applied, late.clone(), Err("SESSION_STARTED")),
            (Confirmed, ApplicationEvent::Confirm, Err("APPLICATION_STATE")),
            (Confirmed, decline.clone(), Err("APPLICATION_STATE")),
            (Confirmed, withdraw.clone(), Ok(Withdrawn)),
            (Confirmed, late.clone(), Err("SESSION_STARTED")),
            (Declined, ApplicationEvent::Confirm, Err("APPLICATION_STATE")),
            (Declined, withdraw.clone(), Err("APPLICATION_STATE")),
            (Withdrawn, ApplicationEvent::Confirm, Err("APPLICATION_STATE")),
            (Withdrawn, withdraw.clone(), Err("APPLICATION_STATE")),
        ];
        for (from, event, want) in table {
            let got = application_transition(from, &event).map_err(|r| r.to_field_error().code);
            assert_eq!(got, want, "{from:?} {event:?}");
        }
        let blank = application_transition(Applied, &ApplicationEvent::Decline { reason: " ".into() });
        assert_eq!(blank.unwrap_err().to_field_error().code, "REASON_REQUIRED");
    }

    #[test]
    fn a_ticket_is_printed_only_for_a_confirmed_candidate_of_an_approved_session() {
        assert!(check_ticket(true, true).is_ok());
        assert!(check_ticket(false, true).unwrap_err().detail.contains("计划尚未批准"));
        assert!(check_ticket(true, false).unwrap_err().detail.contains("尚未经考核站确认"));
        assert_ne!(ticket_serial_key("01", 2026), ticket_serial_key("00", 2026));
    }
}
