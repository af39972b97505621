//! F1: "收费标准按照……初级工 C 类标准执行……市州鉴定中心收取的考核费用实行收支两条线管理，全额上缴同级财政".
//! Each candidate's fee is recorded against the policy's standard (`fee.assessment_fee`, 150.00 元 by
//! default): paid in full, waived with a reason, or refunded with a reason. A city center keeps a ledger
//! of what it collected and what it remitted to the treasury; for any period the ledger reconciles as
//! **collected − refunded = remitted + outstanding**, and no remittance exceeds what is outstanding.
//!
//! | from | event | to |
//! |---|---|---|
//! | due | pay (the standard amount) | paid |
//! | due | waive (reason) | waived |
//! | paid | refund (reason) | refunded |

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors, refusal};
use crate::ids::Money;

string_enum! {
    /// Where a candidate's fee stands.
    FeeStatus {
        Due = "due" => "待缴费",
        Paid = "paid" => "已缴费",
        Waived = "waived" => "已减免",
        Refunded = "refunded" => "已退费",
    }
}

/// What happens to a fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeeEvent {
    Pay { amount: Money },
    Waive { reason: String },
    Refund { reason: String },
}

/// Why a fee event is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeeRefusal {
    /// `FEE_STATE`.
    NotAllowed { status: FeeStatus, event: &'static str },
    /// `FEE_AMOUNT`: the amount is not the standard.
    Amount { standard: Money, given: Money },
    /// `REASON_REQUIRED`.
    ReasonRequired { event: &'static str },
}

impl FeeRefusal {
    pub fn detail(&self) -> String {
        match self {
            Self::NotAllowed { status, event } => format!("该考生的考核费当前为“{}”，不能{event}", status.label()),
            Self::Amount { standard, given } => {
                format!("缴费金额应为收费标准 {}，填写的是 {}", standard.yuan_text(), given.yuan_text())
            }
            Self::ReasonRequired { event } => format!("{event}须填写理由"),
        }
    }

    pub fn to_field_error(&self) -> FieldError {
        let (field, code) = match self {
            Self::NotAllowed { .. } => ("", "FEE_STATE"),
            Self::Amount { .. } => ("amount", "FEE_AMOUNT"),
            Self::ReasonRequired { .. } => ("reason", "REASON_REQUIRED"),
        };
        FieldError::new(field, code, self.detail())
    }
}

refusal!(FeeRefusal);

/// The fee's next status after `event`; `standard` is the policy's fee in force on the exam day.
pub fn fee_transition(status: FeeStatus, standard: Money, event: &FeeEvent) -> Result<FeeStatus, FeeRefusal> {
    let name = match event {
        FeeEvent::Pay { .. } => "登记缴费",
        FeeEvent::Waive { .. } => "减免",
        FeeEvent::Refund { .. } => "退费",
    };
    match (status, event) {
        (FeeStatus::Due, FeeEvent::Pay { amount }) if *amount != standard => {
            Err(FeeRefusal::Amount { standard, given: *amount })
        }
        (FeeStatus::Due, FeeEvent::Pay { .. }) => Ok(FeeStatus::Paid),
        (FeeStatus::Due, FeeEvent::Waive { reason }) | (FeeStatus::Paid, FeeEvent::Refund { reason })
            if reason.trim().is_empty() =>
        {
            Err(FeeRefusal::ReasonRequired { event: name })
        }
        (FeeStatus::Due, FeeEvent::Waive { .. }) => Ok(FeeStatus::Waived),
        (FeeStatus::Paid, FeeEvent::Refund { .. }) => Ok(FeeStatus::Refunded),
        _ => Err(FeeRefusal::NotAllowed { status, event: name }),
    }
}

/// A city center's ledger over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Reconciliation {
    /// Fees received (every payment in the period).
    pub collected: Money,
    /// Fees paid back.
    pub refunded: Money,
    /// Remitted to the treasury.
    pub remitted: Money,
}

impl Reconciliation {
    /// Collected less refunded: what belongs to the treasury.
    pub fn net(&self) -> Money {
        Money::from_fen(self.collected.fen() - self.refunded.fen())
    }

    /// Held by the center and not yet remitted.
    pub fn outstanding(&self) -> Money {
        Money::from_fen(self.net().fen() - self.remitted.fen())
    }

    /// `None` when the ledger balances (nothing remitted beyond what was collected); otherwise why not.
    pub fn discrepancy(&self) -> Option<String> {
        (self.outstanding().fen() < 0).then(|| {
            format!(
                "收支不符：实收 {}（已收 {}，退费 {}），已上缴 {}，上缴多于实收 {}",
                self.net().yuan_text(),
                self.collected.yuan_text(),
                self.refunded.yuan_text(),
                self.remitted.yuan_text(),
                Money::from_fen(-self.outstanding().fen()).yuan_text()
            )
        })
    }

    /// A remittance of `amount`: more than nothing and at most what is outstanding (`REMITTANCE_AMOUNT`).
    pub fn check_remittance(&self, amount: Money) -> Result<(), FieldError> {
        if amount.fen() <= 0 {
            return Err(FieldError::new("amount", "REMITTANCE_AMOUNT", "上缴金额应大于 0"));
        }
        if amount > self.outstanding() {
            return Err(FieldError::new(
                "amount",
                "REMITTANCE_AMOUNT",
                format!("上缴金额 {} 超过尚未上缴的 {}", amount.yuan_text(), self.outstanding().yuan_text()),
            ));
        }
        Ok(())
    }
}

/// A reconciliation period: a month (`2026-11`), a quarter (`2026-Q4`) or a year (`2026`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub first: Date,
    pub last: Date,
}

impl Period {
    /// Parses `field`'s text, e.g. `2026-11`, `2026-Q4` or `2026`.
    pub fn parse(field: &str, raw: &str) -> Result<Period, FieldError> {
        let bad = || FieldError::new(field, "PERIOD_FORMAT", "期间应为年份（2026）、季度（2026-Q4）或月份（2026-11）");
        let raw = raw.trim();
        let (year, rest) = raw.split_once('-').map_or((raw, None), |(y, r)| (y, Some(r)));
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y)).ok_or_else(bad)?;
        let (first_month, months) = match rest {
            None => (1, 12),
            Some(q) if q.len() == 2 && (q.starts_with('Q') || q.starts_with('q')) => {
                let n: u8 = q[1..].parse().ok().filter(|n| (1..=4).contains(n)).ok_or_else(bad)?;
                (3 * n - 2, 3)
            }
            Some(m) if m.len() == 2 => (m.parse().ok().filter(|m| (1..=12).contains(m)).ok_or_else(bad)?, 1),
            Some(_) => return Err(bad()),
        };
        let first =
            Date::from_calendar_date(year, Month::try_from(first_month).map_err(|_| bad())?, 1).map_err(|_| bad())?;
        let last_month = Month::try_from(first_month + months - 1).map_err(|_| bad())?;
        let last = Date::from_calendar_date(year, last_month, last_month.length(year)).map_err(|_| bad())?;
        Ok(Period { first, last })
    }

    pub fn contains(&self, d: Date) -> bool {
        self.first <= d && d <= self.last
    }
}

/// A date typed as `YYYY-MM-DD`, required, not after `today`.
pub(super) fn past_date(field: &str, label: &str, raw: &str, today: Date) -> Result<Date, FieldError> {
    if raw.trim().is_empty() {
        return Err(FieldError::new(field, "REQUIRED", format!("请填写{label}")));
    }
    let d = crate::projects::machine::parse_date(raw).ok_or_else(|| {
        FieldError::new(field, "DATE_INVALID", format!("{label}应为 YYYY-MM-DD 格式的日期，如 2026-06-15"))
    })?;
    if d > today {
        return Err(FieldError::new(field, "DATE_IN_FUTURE", format!("{label}不能晚于今天（{today}）")));
    }
    Ok(d)
}

/// A one-line number (票据号, 缴款凭证号): required, at most 50 characters.
pub(super) fn number_text(field: &str, label: &str, raw: &str) -> Result<String, FieldError> {
    crate::text::single_line(field, label, raw)?;
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(FieldError::new(field, "REQUIRED", format!("请填写{label}")));
    }
    if n > NUMBER_MAX_CHARS {
        return Err(FieldError::new(
            field,
            "TOO_LONG",
            format!("{label}不得超过 {NUMBER_MAX_CHARS} 个字（现有 {n} 个字）"),
        ));
    }
    Ok(t.to_owned())
}

/// The longest receipt or voucher number.
pub const NUMBER_MAX_CHARS: usize = 50;

/// A required amount in yuan, named `field`.
fn amount(field: &str, label: &str, raw: &str) -> Result<Money, FieldError> {
    if raw.trim().is_empty() {
        return Err(FieldError::new(field, "REQUIRED", format!("请填写{label}")));
    }
    Money::parse_yuan(raw).map_err(|e| e.for_field(field))
}

/// What staff type to record a candidate's payment (登记缴费).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PaymentInput {
    /// The day the fee was received, `YYYY-MM-DD`.
    #[serde(default)]
    pub paid_on: String,
    /// The amount in yuan (must be the standard).
    #[serde(default)]
    pub amount: String,
    /// The receipt's number (票据号).
    #[serde(default)]
    pub receipt_number: String,
}

/// A payment as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub paid_on: Date,
    pub amount: Money,
    pub receipt_number: String,
}

impl PaymentInput {
    /// Every field checked at once, each error naming its field; the amount against the standard is
    /// [`fee_transition`]'s.
    pub fn parse(&self, today: Date) -> Result<Payment, FieldErrors> {
        let mut errs = FieldErrors::new();
        let paid_on = errs.take(past_date("paid_on", "缴费日期", &self.paid_on, today));
        let amount = errs.take(amount("amount", "缴费金额", &self.amount));
        let receipt_number = errs.take(number_text("receipt_number", "票据号", &self.receipt_number));
        match (paid_on, amount, receipt_number) {
            (Some(paid_on), Some(amount), Some(receipt_number)) if errs.is_empty() => {
                Ok(Payment { paid_on, amount, receipt_number })
            }
            _ => Err(errs),
        }
    }
}

/// What staff type to waive a fee (减免).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WaiveInput {
    #[serde(default)]
    pub reason: String,
}

/// What staff type to refund a paid fee (退费).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RefundInput {
    /// The day the fee was paid back, `YYYY-MM-DD`.
    #[serde(default)]
    pub refunded_on: String,
    #[serde(default)]
    pub reason: String,
}

/// A refund as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub refunded_on: Date,
    pub reason: String,
}

impl RefundInput {
    /// The date (not after today, not before `paid_on`) and the reason, every error at once.
    pub fn parse(&self, paid_on: Option<Date>, today: Date) -> Result<Refund, FieldErrors> {
        let mut errs = FieldErrors::new();
        let refunded_on =
            errs.take(past_date("refunded_on", "退费日期", &self.refunded_on, today).and_then(|d| match paid_on {
                Some(p) if d < p => Err(FieldError::new(
                    "refunded_on",
                    "REFUND_BEFORE_PAYMENT",
                    format!("退费日期不能早于缴费日期（{p}）"),
                )),
                _ => Ok(d),
            }));
        let reason = errs.take(super::parse_reason("退费", &self.reason));
        match (refunded_on, reason) {
            (Some(refunded_on), Some(reason)) if errs.is_empty() => Ok(Refund { refunded_on, reason }),
            _ => Err(errs),
        }
    }
}

/// What the city center types to record a remittance to the treasury (上缴财政).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RemittanceInput {
    /// The day it was remitted, `YYYY-MM-DD`.
    #[serde(default)]
    pub remitted_on: String,
    /// The amount in yuan.
    #[serde(default)]
    pub amount: String,
    /// The number of the payment voucher (缴款书号).
    #[serde(default)]
    pub voucher_number: String,
    /// A note (optional).
    #[serde(default)]
    pub note: String,
}

/// A remittance as parsed; whether the ledger allows it is [`Reconciliation::check_remittance`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remittance {
    pub remitted_on: Date,
    pub amount: Money,
    pub voucher_number: String,
    pub note: String,
}

impl RemittanceInput {
    pub fn parse(&self, today: Date) -> Result<Remittance, FieldErrors> {
        let mut errs = FieldErrors::new();
        let remitted_on = errs.take(past_date("remitted_on", "上缴日期", &self.remitted_on, today));
        let amount = errs.take(amount("amount", "上缴金额", &self.amount));
        let voucher_number = errs.take(number_text("voucher_number", "缴款凭证号", &self.voucher_number));
        let note = errs.take(crate::text::single_line("note", "备注", &self.note).and_then(|()| {
            let t = self.note.trim();
            let n = t.chars().count();
            if n > super::REASON_MAX_CHARS {
                Err(FieldError::new(
                    "note",
                    "TOO_LONG",
                    format!("备注不得超过 {} 个字（现有 {n} 个字）", super::REASON_MAX_CHARS),
                ))
            } else {
                Ok(t.to_owned())
            }
        }));
        match (remitted_on, amount, voucher_number, note) {
            (Some(remitted_on), Some(amount), Some(voucher_number), Some(note)) if errs.is_empty() => {
                Ok(Remittance { remitted_on, amount, voucher_number, note })
            }
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const STD: Money = Money::from_fen(15000);

    #[test]
    fn f1_every_fee_state_and_event() {
        use FeeStatus::*;
        let pay = FeeEvent::Pay { amount: STD };
        let waive = FeeEvent::Waive { reason: "建档立卡脱贫人口".into() };
        let refund = FeeEvent::Refund { reason: "考核取消".into() };
        let table = [
            (Due, pay.clone(), Some(Paid)),
            (Due, waive.clone(), Some(Waived)),
            (Due, refund.clone(), None),
            (Paid, pay.clone(), None),
            (Paid, waive.clone(), None),
            (Paid, refund.clone(), Some(Refunded)),
            (Waived, pay.clone(), None),
            (Waived, refund.clone(), None),
            (Refunded, pay.clone(), None),
            (Refunded, refund.clone(), None),
        ];
        for (from, event, want) in table {
            let got = fee_transition(from, STD, &event);
            assert_eq!(got.as_ref().ok().copied(), want, "{from:?} {event:?}");
            if let Err(r) = got {
                assert_eq!(r.to_field_error().code, "FEE_STATE");
            }
        }
    }

    #[test]
    fn f1_the_fee_is_the_standard_and_waivers_and_refunds_give_reasons() {
        let short = fee_transition(FeeStatus::Due, STD, &FeeEvent::Pay { amount: Money::from_fen(10000) }).unwrap_err();
        assert_eq!(short.to_field_error().code, "FEE_AMOUNT");
        assert!(short.detail().contains("150.00 元") && short.detail().contains("100.00 元"));
        let e = fee_transition(FeeStatus::Due, STD, &FeeEvent::Waive { reason: " ".into() }).unwrap_err();
        assert_eq!(e.to_field_error().code, "REASON_REQUIRED");
        let e = fee_transition(FeeStatus::Paid, STD, &FeeEvent::Refund { reason: "".into() }).unwrap_err();
        assert_eq!(e.to_field_error().field, "reason");
    }

    #[test]
    fn f1_collected_equals_remitted_plus_outstanding() {
        let r = Reconciliation {
            collected: Money::from_fen(150_000),
            refunded: Money::from_fen(15_000),
            remitted: Money::from_fen(100_000),
        };
        assert_eq!(r.net(), Money::from_fen(135_000));
        assert_eq!(r.outstanding(), Money::from_fen(35_000));
        assert_eq!(r.net().fen(), r.remitted.fen() + r.outstanding().fen());
        assert_eq!(r.discrepancy(), None);
        assert!(r.check_remittance(Money::from_fen(35_000)).is_ok());
        let over = r.check_remittance(Money::from_fen(35_001)).unwrap_err();
        assert!(over.detail.contains("350.00 元"), "{}", over.detail);
        assert_eq!(r.check_remittance(Money::ZERO).unwrap_err().code, "REMITTANCE_AMOUNT");
        let bad = Reconciliation { remitted: Money::from_fen(140_000), ..r };
        assert!(bad.discrepancy().unwrap().contains("50.00 元"));
    }

    #[test]
    fn f1_payments_refunds_and_remittances_name_every_bad_field() {
        let today = date!(2026 - 12 - 04);
        let ok = PaymentInput { paid_on: "2026-12-01".into(), amount: "150".into(), receipt_number: " HN0001 ".into() };
        assert_eq!(
            ok.parse(today).unwrap(),
            Payment { paid_on: date!(2026 - 12 - 01), amount: STD, receipt_number: "HN0001".into() }
        );
        let bad = PaymentInput { paid_on: "2026-12-05".into(), amount: "1.234".into(), receipt_number: "".into() };
        let e = bad.parse(today).unwrap_err();
        let codes: Vec<(&str, &str)> = e.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(codes, [("paid_on", "DATE_IN_FUTURE"), ("amount", "MONEY_FORMAT"), ("receipt_number", "REQUIRED")]);
        let r = RefundInput { refunded_on: "2026-11-30".into(), reason: "".into() };
        let e = r.parse(Some(date!(2026 - 12 - 01)), today).unwrap_err();
        let codes: Vec<(&str, &str)> = e.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(codes, [("refunded_on", "REFUND_BEFORE_PAYMENT"), ("reason", "REASON_REQUIRED")]);
        let m = RemittanceInput {
            remitted_on: "2026-12-04".into(),
            amount: "300.00".into(),
            voucher_number: "FS-2026-001".into(),
            note: String::new(),
        };
        assert_eq!(m.parse(today).unwrap().amount, Money::from_fen(30_000));
        let e = RemittanceInput::default().parse(today).unwrap_err();
        assert_eq!(e.0.len(), 3, "{e:?}");
    }

    #[test]
    fn f1_periods_are_months_quarters_or_years() {
        let p = Period::parse("period", "2026-11").unwrap();
        assert_eq!((p.first, p.last), (date!(2026 - 11 - 01), date!(2026 - 11 - 30)));
        let q = Period::parse("period", "2026-Q1").unwrap();
        assert_eq!((q.first, q.last), (date!(2026 - 01 - 01), date!(2026 - 03 - 31)));
        let feb = Period::parse("period", "2028-02").unwrap();
        assert_eq!(feb.last, date!(2028 - 02 - 29));
        let y = Period::parse("period", " 2026 ").unwrap();
        assert_eq!((y.first, y.last), (date!(2026 - 01 - 01), date!(2026 - 12 - 31)));
        assert!(y.contains(date!(2026 - 12 - 31)) && !y.contains(date!(2027 - 01 - 01)));
        for bad in ["", "26", "2026-13", "2026-Q5", "2026-1", "2026-11-01", "abcd"] {
            assert_eq!(Period::parse("period", bad).unwrap_err().code, "PERIOD_FORMAT", "{bad}");
        }
    }
}
