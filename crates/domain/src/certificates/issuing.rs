//! C1: "市州鉴定中心……向考核合格人员核发证书，并及时将证书数据上报省鉴定中心". A certificate is issued only to a
//! candidate who passed in a **confirmed** score register, and only when every gate of the session held
//! (the plan on time, a legal panel, the assessor report filed and signed by every assessor, the
//! supervision report filed, the register confirmed) — otherwise the refusal names every missing gate.
//! One certificate per candidate per project.
//!
//! **The number** follows the policy's template (`number.certificate_number_template`, FACTS.md default
//! `43{city2}{yy}{project4}{serial6}`) with a gap-free serial per city center and year of issue: the
//! store's counter key is [`serial_key`], taken inside the issuing transaction.
//!
//! **Its life** ([`certificate_transition`]):
//!
//! | from | event | to |
//! |---|---|---|
//! | valid, not reported | report (a batch to the province) | valid, reported |
//! | valid | revoke (reason) | revoked |
//! | valid | reissue (reason; same number, a new blank) | valid, reissues + 1 |
//!
//! Only reported certificates answer the public query (C2); a revoked one that was reported answers as
//! revoked. A revoked certificate takes no further event.

use serde::{Deserialize, Serialize};

use crate::enums::string_enum;
use crate::error::{FieldError, refusal};
use crate::numbering::{NumberParts, NumberTemplate, Part};

/// The facts a certificate is issued on (the store gathers them from the session and its register).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IssueFacts {
    /// The candidate passed in the register.
    pub passed: bool,
    pub register_confirmed: bool,
    /// The plan reached the organizer by its latest day (E3).
    pub plan_on_time: bool,
    /// The panel was appointed and legal (E4).
    pub panel_legal: bool,
    pub assessor_report_filed: bool,
    /// Assessors who have not signed the assessor report.
    pub unsigned: u32,
    pub supervision_report_filed: bool,
    /// The number of the candidate's certificate already issued for this project, if any.
    pub existing: Option<String>,
}

/// Why a certificate may not be issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueRefusal {
    /// `CERTIFICATE_GATES`: every gate that does not hold, in words.
    Gates(Vec<String>),
    /// `CERTIFICATE_DUPLICATE`: one certificate per candidate per project.
    Duplicate { number: String },
}

impl IssueRefusal {
    pub fn detail(&self) -> String {
        match self {
            Self::Gates(missing) => format!("不能核发证书：{}", missing.join("；")),
            Self::Duplicate { number } => {
                format!("该考生已取得本项目证书（证书编号 {number}），同一项目只核发一本证书")
            }
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        let code = match self {
            Self::Gates(_) => "CERTIFICATE_GATES",
            Self::Duplicate { .. } => "CERTIFICATE_DUPLICATE",
        };
        FieldError::new("candidate", code, self.detail())
    }
}

refusal!(IssueRefusal);

/// The gates that do not hold, in words (empty: the certificate may be issued).
pub fn missing_issue_gates(f: &IssueFacts) -> Vec<String> {
    let mut out = Vec::new();
    if !f.register_confirmed {
        out.push("成绩登分册尚未经组织考核的鉴定中心审核确认".to_owned());
    }
    if !f.passed {
        out.push("该考生考核成绩不合格".to_owned());
    }
    if !f.plan_on_time {
        out.push("考务方案未按期报送".to_owned());
    }
    if !f.panel_legal {
        out.push("考评组未经委派或组成不符合规定".to_owned());
    }
    if !f.assessor_report_filed {
        out.push("考评组组长尚未填写考评情况报告".to_owned());
    }
    if f.unsigned > 0 {
        out.push(format!("还有 {} 名考评员未在考评情况报告上签名", f.unsigned));
    }
    if !f.supervision_report_filed {
        out.push("质量督导员尚未填写考核现场督导报告".to_owned());
    }
    out
}

/// Whether a certificate may be issued on these facts: a duplicate first (nothing else matters then),
/// then every missing gate at once.
pub fn check_issue(f: &IssueFacts) -> Result<(), IssueRefusal> {
    if let Some(number) = &f.existing {
        return Err(IssueRefusal::Duplicate { number: number.clone() });
    }
    let missing = missing_issue_gates(f);
    if missing.is_empty() { Ok(()) } else { Err(IssueRefusal::Gates(missing)) }
}

/// The parts the issuing step supplies to the certificate number template (checked before the
/// template is published, so no issuing fails on it).
pub const CERTIFICATE_PARTS: &[Part] = &[Part::City, Part::Year, Part::Project, Part::Serial];

/// The serial counter's key: one gap-free sequence per city center and year of issue.
pub fn serial_key(city2: &str, year: i32) -> String {
    format!("certificate:{city2}:{year}")
}

/// The certificate's number: the template rendered with the city center's two digits, the year of
/// issue, the catalog project's code (digits, e.g. `0001`) and the serial.
pub fn certificate_number(
    template: &NumberTemplate,
    city2: &str,
    year: i32,
    project_code: &str,
    serial: u64,
) -> Result<String, FieldError> {
    let project = project_code.trim().parse::<u32>().map_err(|_| {
        FieldError::new(
            "project_code",
            crate::numbering::PROJECT_INVALID,
            format!("考核项目代码 {project_code} 不是数字，不能用于证书编号"),
        )
    })?;
    template.render(&NumberParts { city2: Some(city2), year: Some(year), project: Some(project), serial })
}

string_enum! {
    /// Whether a certificate stands.
    CertificateStatus {
        Valid = "valid" => "有效",
        Revoked = "revoked" => "已注销",
    }
}

/// A certificate's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateState {
    pub status: CertificateStatus,
    /// Reported to the province (publicly queryable from then on).
    pub reported: bool,
    /// How many times it was reissued on a new blank.
    pub reissues: u32,
}

impl CertificateState {
    pub const ISSUED: CertificateState =
        CertificateState { status: CertificateStatus::Valid, reported: false, reissues: 0 };

    /// C2: only reported certificates answer the public query.
    pub fn public(&self) -> bool {
        self.reported
    }
}

/// What happens to a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateEvent {
    Report,
    Revoke { reason: String },
    Reissue { reason: String },
}

impl CertificateEvent {
    fn name(&self) -> &'static str {
        match self {
            Self::Report => "上报",
            Self::Revoke { .. } => "注销",
            Self::Reissue { .. } => "补发",
        }
    }
}

/// `CERTIFICATE_STATE`, or `REASON_REQUIRED` for a revocation or reissue without a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateRefusal {
    NotAllowed { state: CertificateState, event: &'static str },
    ReasonRequired { event: &'static str },
}

impl CertificateRefusal {
    pub fn detail(&self) -> String {
        match self {
            Self::NotAllowed { state, event } if state.status == CertificateStatus::Revoked => {
                format!("证书已注销，不能{event}")
            }
            Self::NotAllowed { event, .. } => format!("证书已上报，不能重复{event}"),
            Self::ReasonRequired { event } => format!("{event}证书须填写理由"),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        match self {
            Self::NotAllowed { .. } => FieldError::new("", "CERTIFICATE_STATE", self.detail()),
            Self::ReasonRequired { .. } => FieldError::new("reason", "REASON_REQUIRED", self.detail()),
        }
    }
}

refusal!(CertificateRefusal);

/// The certificate's next state after `event` (see the module's table).
pub fn certificate_transition(
    state: CertificateState,
    event: &CertificateEvent,
) -> Result<CertificateState, CertificateRefusal> {
    let refuse = || CertificateRefusal::NotAllowed { state, event: event.name() };
    if state.status == CertificateStatus::Revoked {
        return Err(refuse());
    }
    match event {
        CertificateEvent::Report if state.reported => Err(refuse()),
        CertificateEvent::Report => Ok(CertificateState { reported: true, ..state }),
        CertificateEvent::Revoke { reason } | CertificateEvent::Reissue { reason } if reason.trim().is_empty() => {
            Err(CertificateRefusal::ReasonRequired { event: event.name() })
        }
        CertificateEvent::Revoke { .. } => Ok(CertificateState { status: CertificateStatus::Revoked, ..state }),
        CertificateEvent::Reissue { .. } => Ok(CertificateState { reissues: state.reissues + 1, ..state }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_held() -> IssueFacts {
        IssueFacts {
            passed: true,
            register_confirmed: true,
            plan_on_time: true,
            panel_legal: true,
            assessor_report_filed: true,
            unsigned: 0,
            supervision_report_filed: true,
            existing: None,
        }
    }

    #[test]
    fn c1_issued_only_when_every_gate_held() {
        assert_eq!(check_issue(&all_held()), Ok(()));
        type Breaker = fn(&mut IssueFacts);
        let gates: [(&str, Breaker); 7] = [
            ("审核确认", |f| f.register_confirmed = false),
            ("不合格", |f| f.passed = false),
            ("考务方案", |f| f.plan_on_time = false),
            ("考评组", |f| f.panel_legal = false),
            ("考评情况报告", |f| f.assessor_report_filed = false),
            ("2 名考评员未", |f| f.unsigned = 2),
            ("督导报告", |f| f.supervision_report_filed = false),
        ];
        for (words, break_it) in gates {
            let mut f = all_held();
            break_it(&mut f);
            let Err(IssueRefusal::Gates(missing)) = check_issue(&f) else { panic!("{words} must refuse") };
            assert_eq!(missing.len(), 1, "{words}: {missing:?}");
            assert!(missing[0].contains(words), "{words}: {missing:?}");
        }
        let none = IssueFacts::default();
        let Err(r) = check_issue(&none) else { panic!() };
        assert_eq!(r.to_field_error().code, "CERTIFICATE_GATES");
        assert_eq!(missing_issue_gates(&none).len(), 6, "every gate named at once (unsigned is 0)");
    }

    #[test]
    fn c1_one_certificate_per_candidate_per_project() {
        let f = IssueFacts { existing: Some("4301260001000001".into()), ..all_held() };
        let r = check_issue(&f).unwrap_err();
        assert_eq!(r.to_field_error().code, "CERTIFICATE_DUPLICATE");
        assert!(r.detail().contains("4301260001000001"));
    }

    #[test]
    fn c1_the_number_follows_the_policy_template_per_city_and_year() {
        let t = NumberTemplate::parse(
            "value",
            crate::policy::def(crate::policy::keys::CERTIFICATE_NUMBER_TEMPLATE).unwrap().default,
        )
        .unwrap();
        t.supplied_by(CERTIFICATE_PARTS, "证书编号").unwrap();
        assert_eq!(certificate_number(&t, "01", 2026, "0003", 17).unwrap(), "4301260003000017");
        assert_eq!(certificate_number(&t, "13", 2027, "12", 1).unwrap(), "4313270012000001");
        assert_eq!(certificate_number(&t, "01", 2026, "X1", 1).unwrap_err().field, "project_code");
        assert_eq!(certificate_number(&t, "01", 2026, "0001", 1_000_000).unwrap_err().code, "NUMBER_SERIAL_OVERFLOW");
        assert_eq!(certificate_number(&t, "99", 2026, "0001", 1).unwrap_err().field, "region_code");
        assert_eq!(serial_key("01", 2026), "certificate:01:2026");
        assert_ne!(serial_key("01", 2026), serial_key("02", 2026));
        assert_ne!(serial_key("01", 2026), serial_key("01", 2027));
    }

    #[test]
    fn c1_every_certificate_state_and_event() {
        use CertificateStatus::*;
        let st = |status, reported, reissues| CertificateState { status, reported, reissues };
        let revoke = CertificateEvent::Revoke { reason: "以欺骗手段取得".into() };
        let reissue = CertificateEvent::Reissue { reason: "证书遗失".into() };
        let table = [
            (st(Valid, false, 0), CertificateEvent::Report, Some(st(Valid, true, 0))),
            (st(Valid, true, 0), CertificateEvent::Report, None),
            (st(Valid, false, 0), revoke.clone(), Some(st(Revoked, false, 0))),
            (st(Valid, true, 1), revoke.clone(), Some(st(Revoked, true, 1))),
            (st(Valid, true, 0), reissue.clone(), Some(st(Valid, true, 1))),
            (st(Valid, false, 2), reissue.clone(), Some(st(Valid, false, 3))),
            (st(Revoked, true, 0), CertificateEvent::Report, None),
            (st(Revoked, false, 0), CertificateEvent::Report, None),
            (st(Revoked, true, 0), revoke.clone(), None),
            (st(Revoked, true, 0), reissue.clone(), None),
        ];
        for (from, event, want) in table {
            let got = certificate_transition(from, &event);
            assert_eq!(got.as_ref().ok().copied(), want, "{from:?} {event:?}");
            if let Err(r) = got {
                assert_eq!(r.to_field_error().code, "CERTIFICATE_STATE", "{from:?} {event:?}");
            }
        }
        let blank = CertificateEvent::Revoke { reason: "  ".into() };
        assert_eq!(
            certificate_transition(CertificateState::ISSUED, &blank).unwrap_err().to_field_error().code,
            "REASON_REQUIRED"
        );
    }

    #[test]
    fn c2_only_reported_certificates_are_public() {
        assert!(!CertificateState::ISSUED.public());
        let reported = certificate_transition(CertificateState::ISSUED, &CertificateEvent::Report).unwrap();
        assert!(reported.public());
        let revoked =
            certificate_transition(reported, &CertificateEvent::Revoke { reason: "弄虚作假".into() }).unwrap();
        assert!(revoked.public() && revoked.status == CertificateStatus::Revoked, "shown publicly as revoked");
    }
}
