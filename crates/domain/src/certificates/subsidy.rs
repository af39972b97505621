//! F3: "符合条件的人员参加培训并取得专项职业能力证书的，按规定享受职业培训补贴". A candidate becomes a subsidy claim
//! when they hold a valid certificate, have a training record, and their subsidy category is one the
//! policy makes eligible; nobody is claimed twice for the same project ([`claim_key`]). Claims are
//! batched per city center and period, approved or rejected (with a reason), and marked paid.
//!
//! | from | event | to |
//! |---|---|---|
//! | pending | approve | approved |
//! | pending | reject (reason) | rejected |
//! | approved | pay | paid |

use crate::enums::string_enum;
use crate::error::{FieldError, refusal};

/// The facts a claim is made on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubsidyFacts {
    /// The candidate's subsidy category as recorded at enrolment (blank: none).
    pub category: String,
    pub has_training_record: bool,
    /// The certificate stands (issued, not revoked).
    pub certificate_valid: bool,
    /// A claim for this person and project already exists (any status but rejected).
    pub already_claimed: bool,
}

/// Why a candidate is not a claim, every reason in words (empty: eligible). `eligible` are the
/// categories the policy in force names.
pub fn ineligibility(f: &SubsidyFacts, eligible: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if !f.certificate_valid {
        out.push("未取得有效的专项职业能力证书".to_owned());
    }
    if !f.has_training_record {
        out.push("没有参加培训的记录".to_owned());
    }
    let category = f.category.trim();
    if category.is_empty() {
        out.push("未登记补贴人员类别".to_owned());
    } else if !eligible.iter().any(|e| e.trim() == category) {
        out.push(format!("人员类别“{category}”不在补贴范围内"));
    }
    if f.already_claimed {
        out.push("该人员已就本项目申领过补贴".to_owned());
    }
    out
}

/// The key that makes a claim unique: one per person (blind index of the ID number) and project.
pub fn claim_key(person_key: &str, project_code: &str) -> String {
    format!("{person_key}:{project_code}")
}

string_enum! {
    /// Where a subsidy claim stands.
    ClaimStatus {
        Pending = "pending" => "待审核",
        Approved = "approved" => "已审核",
        Rejected = "rejected" => "不予补贴",
        Paid = "paid" => "已发放",
    }
}

/// What happens to a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimEvent {
    Approve,
    Reject { reason: String },
    Pay,
}

/// `CLAIM_STATE`, or `REASON_REQUIRED` for a rejection without a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimRefusal {
    NotAllowed { status: ClaimStatus, event: &'static str },
    ReasonRequired,
}

impl ClaimRefusal {
    pub fn detail(&self) -> String {
        match self {
            Self::NotAllowed { status, event } => format!("补贴申领当前为“{}”，不能{event}", status.label()),
            Self::ReasonRequired => "不予补贴须填写理由".to_owned(),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        match self {
            Self::NotAllowed { .. } => FieldError::new("", "CLAIM_STATE", self.detail()),
            Self::ReasonRequired => FieldError::new("reason", "REASON_REQUIRED", self.detail()),
        }
    }
}

refusal!(ClaimRefusal);

/// The claim's next status after `event` (see the module's table).
pub fn claim_transition(status: ClaimStatus, event: &ClaimEvent) -> Result<ClaimStatus, ClaimRefusal> {
    match (status, event) {
        (ClaimStatus::Pending, ClaimEvent::Approve) => Ok(ClaimStatus::Approved),
        (ClaimStatus::Pending, ClaimEvent::Reject { reason }) if reason.trim().is_empty() => {
            Err(ClaimRefusal::ReasonRequired)
        }
        (ClaimStatus::Pending, ClaimEvent::Reject { .. }) => Ok(ClaimStatus::Rejected),
        (ClaimStatus::Approved, ClaimEvent::Pay) => Ok(ClaimStatus::Paid),
        _ => Err(ClaimRefusal::NotAllowed {
            status,
            event: match event {
                ClaimEvent::Approve => "审核通过",
                ClaimEvent::Reject { .. } => "不予补贴",
                ClaimEvent::Pay => "登记发放",
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eligible() -> Vec<String> {
        vec!["脱贫劳动力".into(), "登记失业人员".into(), "农村转移就业劳动者".into()]
    }

    fn ok_facts() -> SubsidyFacts {
        SubsidyFacts {
            category: "登记失业人员".into(),
            has_training_record: true,
            certificate_valid: true,
            already_claimed: false,
        }
    }

    #[test]
    fn f3_a_trained_certificate_holder_in_an_eligible_category_is_a_claim() {
        assert!(ineligibility(&ok_facts(), &eligible()).is_empty());
        assert!(
            ineligibility(&SubsidyFacts { category: " 登记失业人员 ".into(), ..ok_facts() }, &eligible()).is_empty()
        );
    }

    #[test]
    fn f3_each_missing_condition_is_named() {
        let cases: [(&str, SubsidyFacts); 5] = [
            ("证书", SubsidyFacts { certificate_valid: false, ..ok_facts() }),
            ("培训", SubsidyFacts { has_training_record: false, ..ok_facts() }),
            ("未登记补贴人员类别", SubsidyFacts { category: "".into(), ..ok_facts() }),
            ("“在校学生”不在补贴范围内", SubsidyFacts { category: "在校学生".into(), ..ok_facts() }),
            ("已就本项目申领", SubsidyFacts { already_claimed: true, ..ok_facts() }),
        ];
        for (words, f) in cases {
            let why = ineligibility(&f, &eligible());
            assert_eq!(why.len(), 1, "{words}: {why:?}");
            assert!(why[0].contains(words), "{words}: {why:?}");
        }
        assert_eq!(ineligibility(&SubsidyFacts::default(), &eligible()).len(), 3);
        assert!(!ineligibility(&ok_facts(), &[]).is_empty(), "no eligible category: nobody is claimed");
    }

    #[test]
    fn f3_nobody_is_claimed_twice_for_the_same_project() {
        assert_eq!(claim_key("k1", "0001"), claim_key("k1", "0001"));
        assert_ne!(claim_key("k1", "0001"), claim_key("k1", "0002"));
        assert_ne!(claim_key("k1", "0001"), claim_key("k2", "0001"));
    }

    #[test]
    fn f3_every_claim_state_and_event() {
        use ClaimStatus::*;
        let reject = ClaimEvent::Reject { reason: "材料不全".into() };
        let table = [
            (Pending, ClaimEvent::Approve, Some(Approved)),
            (Pending, reject.clone(), Some(Rejected)),
            (Pending, ClaimEvent::Pay, None),
            (Approved, ClaimEvent::Approve, None),
            (Approved, reject.clone(), None),
            (Approved, ClaimEvent::Pay, Some(Paid)),
            (Rejected, ClaimEvent::Approve, None),
            (Rejected, ClaimEvent::Pay, None),
            (Paid, ClaimEvent::Pay, None),
            (Paid, reject.clone(), None),
        ];
        for (from, event, want) in table {
            let got = claim_transition(from, &event);
            assert_eq!(got.as_ref().ok().copied(), want, "{from:?} {event:?}");
            if let Err(r) = got {
                assert_eq!(r.to_field_error().code, "CLAIM_STATE");
            }
        }
        let blank = claim_transition(Pending, &ClaimEvent::Reject { reason: " ".into() }).unwrap_err();
        assert_eq!(blank.to_field_error().code, "REASON_REQUIRED");
    }
}
