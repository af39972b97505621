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
//!
//! A batch ([`BatchStatus`]) is built pending; approving it approves its pending claims (at least one
//! claim must stand, `SUBSIDY_BATCH_EMPTY`); paying it (date, voucher) pays its approved claims.
//!
//! | from | event | to |
//! |---|---|---|
//! | pending | approve | approved |
//! | approved | pay | paid |

use super::fees::{Period, number_text, past_date};
use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors, refusal};
use serde::Deserialize;
use time::Date;

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

string_enum! {
    /// Where a batch of claims stands.
    BatchStatus {
        Pending = "pending" => "待审核",
        Approved = "approved" => "已审核",
        Paid = "paid" => "已发放",
    }
}

/// What happens to a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchEvent {
    /// Approve the batch (its pending claims with it); `standing` counts its claims not rejected.
    Approve {
        standing: usize,
    },
    Pay,
}

/// The batch's next status after `event`: `SUBSIDY_BATCH_STATE` (409) or `SUBSIDY_BATCH_EMPTY`.
pub fn batch_transition(status: BatchStatus, event: BatchEvent) -> Result<BatchStatus, FieldError> {
    match (status, event) {
        (BatchStatus::Pending, BatchEvent::Approve { standing: 0 }) => {
            Err(FieldError::new("", "SUBSIDY_BATCH_EMPTY", "该批次的申领均已不予补贴，没有可审核通过的申领"))
        }
        (BatchStatus::Pending, BatchEvent::Approve { .. }) => Ok(BatchStatus::Approved),
        (BatchStatus::Approved, BatchEvent::Pay) => Ok(BatchStatus::Paid),
        (_, event) => Err(FieldError::new(
            "",
            "SUBSIDY_BATCH_STATE",
            format!(
                "该批次当前为“{}”，不能{}",
                status.label(),
                match event {
                    BatchEvent::Approve { .. } => "审核通过",
                    BatchEvent::Pay => "登记发放",
                }
            ),
        )),
    }
}

/// What the city center types to build a batch: the period of the certificates' issue dates.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BatchInput {
    /// `2026`, `2026-Q4` or `2026-11` (field `period`).
    #[serde(default)]
    pub period: String,
}

impl BatchInput {
    /// The period and its text as typed (trimmed, upper-case Q); field `period`.
    pub fn parse(&self) -> Result<(Period, String), FieldErrors> {
        let raw = self.period.trim().to_uppercase();
        if raw.is_empty() {
            return Err(FieldError::new("period", "REQUIRED", "请填写发证期间，如 2026-Q4 或 2026-11").into());
        }
        Ok((Period::parse("period", &raw)?, raw))
    }
}

/// What the city center types when the subsidy was paid (登记发放).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SubsidyPayInput {
    /// The day it was paid, `YYYY-MM-DD`.
    #[serde(default)]
    pub paid_on: String,
    /// The payment voucher's number (拨付凭证号).
    #[serde(default)]
    pub voucher_number: String,
}

/// A payment as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsidyPayment {
    pub paid_on: Date,
    pub voucher_number: String,
}

impl SubsidyPayInput {
    /// The date (not after today, not before the batch's approval on `approved_on`) and the voucher
    /// number, every error at once.
    pub fn parse(&self, approved_on: Option<Date>, today: Date) -> Result<SubsidyPayment, FieldErrors> {
        let mut errs = FieldErrors::new();
        let paid_on =
            errs.take(past_date("paid_on", "发放日期", &self.paid_on, today).and_then(|d| match approved_on {
                Some(a) if d < a => Err(FieldError::new(
                    "paid_on",
                    "SUBSIDY_PAID_BEFORE_APPROVAL",
                    format!("发放日期不能早于批次审核通过的日期（{a}）"),
                )),
                _ => Ok(d),
            }));
        let voucher_number = errs.take(number_text("voucher_number", "拨付凭证号", &self.voucher_number));
        match (paid_on, voucher_number) {
            (Some(paid_on), Some(voucher_number)) if errs.is_empty() => Ok(SubsidyPayment { paid_on, voucher_number }),
            _ => Err(errs),
        }
    }
}

/// F3: a candidate's subsidy category as typed on the roster or the form: blank, or one of the
/// categories the policy in force names (`subsidy_category`, `SUBSIDY_CATEGORY_UNKNOWN`).
pub fn check_category(category: &str, eligible: &[String]) -> Result<(), FieldError> {
    let c = category.trim();
    if c.is_empty() || eligible.iter().any(|e| e.trim() == c) {
        return Ok(());
    }
    Err(FieldError::new(
        "subsidy_category",
        "SUBSIDY_CATEGORY_UNKNOWN",
        format!("补贴类别“{c}”不在政策规定的人员类别中（{}），不享受补贴的请留空", eligible.join("、")),
    ))
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
    fn f3_every_batch_state_and_event() {
        use BatchStatus::*;
        let approve = BatchEvent::Approve { standing: 2 };
        let table = [
            (Pending, approve, Some(Approved)),
            (Pending, BatchEvent::Pay, None),
            (Approved, approve, None),
            (Approved, BatchEvent::Pay, Some(Paid)),
            (Paid, approve, None),
            (Paid, BatchEvent::Pay, None),
        ];
        for (from, event, want) in table {
            let got = batch_transition(from, event);
            assert_eq!(got.as_ref().ok().copied(), want, "{from:?} {event:?}");
            if let Err(e) = got {
                assert_eq!(e.code, "SUBSIDY_BATCH_STATE");
            }
        }
        let e = batch_transition(Pending, BatchEvent::Approve { standing: 0 }).unwrap_err();
        assert_eq!(e.code, "SUBSIDY_BATCH_EMPTY");
    }

    #[test]
    fn f3_the_inputs_name_their_fields() {
        let today = time::macros::date!(2026 - 12 - 04);
        let (p, text) = BatchInput { period: " 2026-q4 ".into() }.parse().expect("quarter");
        assert_eq!(
            (p.first, p.last, text.as_str()),
            (time::macros::date!(2026 - 10 - 01), time::macros::date!(2026 - 12 - 31), "2026-Q4")
        );
        for bad in ["", "2026-13", "上季度"] {
            let e = BatchInput { period: bad.into() }.parse().expect_err(bad);
            assert_eq!(e.0[0].field, "period", "{bad}");
        }
        let ok = SubsidyPayInput { paid_on: "2026-12-03".into(), voucher_number: "BF-1".into() };
        assert_eq!(ok.parse(Some(time::macros::date!(2026 - 12 - 01)), today).expect("ok").voucher_number, "BF-1");
        let e = ok.parse(Some(today), today).expect_err("before approval");
        assert_eq!((e.0[0].field.as_str(), e.0[0].code), ("paid_on", "SUBSIDY_PAID_BEFORE_APPROVAL"));
        let e = SubsidyPayInput { paid_on: "2027-01-01".into(), voucher_number: " ".into() }
            .parse(None, today)
            .expect_err("both");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["paid_on", "voucher_number"]);
    }

    #[test]
    fn f3_a_category_is_blank_or_one_the_policy_names() {
        assert!(check_category("", &eligible()).is_ok());
        assert!(check_category(" 脱贫劳动力 ", &eligible()).is_ok());
        let e = check_category("在校学生", &eligible()).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("subsidy_category", "SUBSIDY_CATEGORY_UNKNOWN"));
        assert!(e.detail.contains("在校学生") && e.detail.contains("登记失业人员"), "{}", e.detail);
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
