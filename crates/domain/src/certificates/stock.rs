//! C1: "市州鉴定中心按照省鉴定中心统一的证书样式和编号规则印制空白证书". The city center records each print
//! batch of blank certificates by its print-serial range (印刷流水号: an optional upper-case letter prefix and
//! a fixed number of digits, e.g. `HN00000001`), the number of blanks and the day they were received.
//! Every blank is then unused (未使用), used (已使用: a certificate was printed on it) or voided (已作废, with a
//! reason: spoiled in printing, damaged, lost, or replaced when a certificate is reissued). The counts
//! reconcile at any time: printed = unused + used + voided ([`StockCounts::discrepancy`]).
//!
//! | from | event | to |
//! |---|---|---|
//! | unused | use (a certificate printed on it) | used |
//! | unused, used | void (reason) | voided |
//!
//! A voided blank is never used again; a used blank is voided only with a reason (a misprint or a
//! reissue), and the certificate it carried moves to a new blank.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors, refusal};

/// The most blanks one batch records.
pub const MAX_BATCH_BLANKS: u32 = 100_000;
/// The longest letter prefix of a print serial, and the most digits.
pub const MAX_PREFIX: usize = 4;
pub const MAX_DIGITS: usize = 12;

/// A print batch as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BlankBatchInput {
    /// The first blank's print serial, e.g. `HN00000001`.
    pub first_serial: String,
    /// How many blanks (consecutive serials from the first).
    pub count: String,
    /// The day the batch was received, `YYYY-MM-DD`.
    pub received_on: String,
}

/// A print batch that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlankBatch {
    pub prefix: String,
    /// The first serial's number and its digit count.
    pub first: u64,
    pub digits: usize,
    pub count: u32,
    pub received_on: Date,
}

/// Splits a print serial into its letter prefix, its number and its digit count.
pub fn split_serial(raw: &str) -> Option<(String, u64, usize)> {
    let s = raw.trim();
    let cut = s.find(|c: char| c.is_ascii_digit())?;
    let (prefix, digits) = s.split_at(cut);
    let prefix_ok = prefix.len() <= MAX_PREFIX && prefix.bytes().all(|b| b.is_ascii_uppercase());
    let digits_ok = (1..=MAX_DIGITS).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    if !(prefix_ok && digits_ok) {
        return None;
    }
    Some((prefix.to_owned(), digits.parse().ok()?, digits.len()))
}

impl BlankBatch {
    /// Parses a batch, every error at once; fields `first_serial`, `count`, `received_on` (not after
    /// `today`).
    pub fn parse(input: &BlankBatchInput, today: Date) -> Result<BlankBatch, FieldErrors> {
        let mut errs = FieldErrors::new();
        let first = errs.take(match input.first_serial.trim() {
            "" => Err(FieldError::new("first_serial", "REQUIRED", "请填写起始印刷流水号")),
            s => split_serial(s).ok_or_else(|| {
                FieldError::new(
                    "first_serial",
                    "SERIAL_FORMAT",
                    format!("印刷流水号应为不超过 {MAX_PREFIX} 位大写字母加 1–{MAX_DIGITS} 位数字，如 HN00000001"),
                )
            }),
        });
        let count = errs.take(match input.count.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_BATCH_BLANKS).contains(&n) => Ok(n),
            _ => Err(FieldError::new(
                "count",
                "COUNT_RANGE",
                format!("空白证书数量应为 1 至 {MAX_BATCH_BLANKS} 之间的整数"),
            )),
        });
        let received_on = errs.take(match crate::projects::machine::parse_date(input.received_on.trim()) {
            Some(d) if d <= today => Ok(d),
            Some(_) => Err(FieldError::new("received_on", "DATE_FUTURE", format!("入库日期不得晚于今天（{today}）"))),
            None => Err(FieldError::new("received_on", "DATE_INVALID", "入库日期应为 YYYY-MM-DD 格式的日期")),
        });
        if let (Some((prefix, first, digits)), Some(count)) = (&first, count) {
            let last = first + u64::from(count) - 1;
            if last.to_string().len() > *digits {
                errs.push(FieldError::new(
                    "count",
                    "SERIAL_OVERFLOW",
                    format!("自 {} 起的 {count} 张超出了 {digits} 位流水号的范围", render(prefix, *first, *digits)),
                ));
            }
        }
        errs.into_result()?;
        match (first, count, received_on) {
            (Some((prefix, first, digits)), Some(count), Some(received_on)) => {
                Ok(BlankBatch { prefix, first, digits, count, received_on })
            }
            _ => Err(FieldErrors::new()),
        }
    }

    /// The last blank's number.
    pub fn last(&self) -> u64 {
        self.first + u64::from(self.count) - 1
    }

    /// The print serial of the blank numbered `n`.
    pub fn serial(&self, n: u64) -> String {
        render(&self.prefix, n, self.digits)
    }

    /// Every print serial of the batch, first to last.
    pub fn serials(&self) -> impl Iterator<Item = String> + '_ {
        (self.first..=self.last()).map(|n| self.serial(n))
    }

    /// `HN00000001–HN00000500`.
    pub fn range_text(&self) -> String {
        format!("{}–{}", self.serial(self.first), self.serial(self.last()))
    }

    /// Whether two batches share a print serial (same prefix and width, overlapping numbers).
    pub fn overlaps(&self, other: &BlankBatch) -> bool {
        self.prefix == other.prefix
            && self.digits == other.digits
            && self.first <= other.last()
            && other.first <= self.last()
    }

    /// `BATCH_OVERLAP`: this batch shares serials with `other` (already recorded).
    pub fn overlap_error(&self, other: &BlankBatch) -> FieldError {
        FieldError::new(
            "first_serial",
            "BATCH_OVERLAP",
            format!("印刷流水号 {} 与已登记的批次 {} 重叠", self.range_text(), other.range_text()),
        )
    }
}

fn render(prefix: &str, n: u64, digits: usize) -> String {
    format!("{prefix}{n:0digits$}")
}

string_enum! {
    /// Where a blank certificate stands.
    BlankStatus {
        Unused = "unused" => "未使用",
        Used = "used" => "已使用",
        Voided = "voided" => "已作废",
    }
}

/// What happens to a blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlankEvent {
    Use,
    Void { reason: String },
}

/// `BLANK_STATE`: the blank's state does not allow the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlankRefusal {
    pub serial: String,
    pub status: BlankStatus,
    pub event: &'static str,
}

impl BlankRefusal {
    pub fn detail(&self) -> String {
        format!("空白证书 {} 当前为“{}”，不能{}", self.serial, self.status.label(), self.event)
    }

    pub fn to_field_error(&self) -> FieldError {
        FieldError::new("serial", "BLANK_STATE", self.detail())
    }
}

refusal!(BlankRefusal);

/// The blank's next state after `event` (see the module's table).
pub fn blank_transition(serial: &str, status: BlankStatus, event: &BlankEvent) -> Result<BlankStatus, BlankRefusal> {
    let next = match (status, event) {
        (BlankStatus::Unused, BlankEvent::Use) => Some(BlankStatus::Used),
        (BlankStatus::Unused | BlankStatus::Used, BlankEvent::Void { .. }) => Some(BlankStatus::Voided),
        _ => None,
    };
    next.ok_or_else(|| BlankRefusal {
        serial: serial.to_owned(),
        status,
        event: match event {
            BlankEvent::Use => "用于打印证书",
            BlankEvent::Void { .. } => "作废",
        },
    })
}

/// A city center's blank stock counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct StockCounts {
    /// Blanks recorded in batches.
    pub printed: u64,
    pub unused: u64,
    pub used: u64,
    pub voided: u64,
}

impl StockCounts {
    /// `None` when printed = unused + used + voided; otherwise the difference in words (a stock that
    /// does not reconcile is shown to staff, never hidden).
    pub fn discrepancy(&self) -> Option<String> {
        let accounted = self.unused + self.used + self.voided;
        (accounted != self.printed).then(|| {
            format!(
                "空白证书账实不符：入库 {} 张，未使用 {} 张、已使用 {} 张、已作废 {} 张，合计 {} 张",
                self.printed, self.unused, self.used, self.voided, accounted
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn input(first: &str, count: &str, on: &str) -> BlankBatchInput {
        BlankBatchInput { first_serial: first.into(), count: count.into(), received_on: on.into() }
    }

    #[test]
    fn c1_a_batch_is_a_range_of_print_serials() {
        let b = BlankBatch::parse(&input(" HN00000001 ", "500", "2026-12-01"), TODAY).unwrap();
        assert_eq!((b.prefix.as_str(), b.first, b.digits, b.count, b.last()), ("HN", 1, 8, 500, 500));
        assert_eq!(b.range_text(), "HN00000001–HN00000500");
        let all: Vec<String> = b.serials().collect();
        assert_eq!(all.len(), 500);
        assert_eq!(all[499], "HN00000500");
        let plain = BlankBatch::parse(&input("000123", "2", "2026-12-04"), TODAY).unwrap();
        assert_eq!(plain.serials().collect::<Vec<_>>(), ["000123", "000124"]);
    }

    #[test]
    fn c1_a_bad_batch_names_every_field() {
        let e = BlankBatch::parse(&input("hn-01", "0", "2026-12-05"), TODAY).unwrap_err();
        assert_eq!(e.get("first_serial").unwrap().code, "SERIAL_FORMAT");
        assert_eq!(e.get("count").unwrap().code, "COUNT_RANGE");
        assert_eq!(e.get("received_on").unwrap().code, "DATE_FUTURE");
        let e = BlankBatch::parse(&input("", "", ""), TODAY).unwrap_err();
        assert_eq!(e.get("first_serial").unwrap().code, "REQUIRED");
        assert_eq!(e.get("received_on").unwrap().code, "DATE_INVALID");
        for bad in ["HN", "ABCDE1", "HN1234567890123", "H N1", "1A"] {
            assert!(split_serial(bad).is_none(), "{bad}");
        }
        let e = BlankBatch::parse(&input("HN998", "5", "2026-12-01"), TODAY).unwrap_err();
        assert_eq!(e.get("count").unwrap().code, "SERIAL_OVERFLOW");
        assert!(e.get("count").unwrap().detail.contains("HN998"));
        assert!(BlankBatch::parse(&input("HN995", "5", "2026-12-01"), TODAY).is_ok());
    }

    #[test]
    fn c1_batches_sharing_a_serial_overlap() {
        let b = |first: &str, count: &str| BlankBatch::parse(&input(first, count, "2026-12-01"), TODAY).unwrap();
        let a = b("HN00000001", "100");
        assert!(a.overlaps(&b("HN00000100", "10")));
        assert!(b("HN00000100", "10").overlaps(&a));
        assert!(!a.overlaps(&b("HN00000101", "10")));
        assert!(!a.overlaps(&b("XT00000001", "100")), "another prefix is another series");
        assert!(!a.overlaps(&b("HN0000001", "100")), "another width is another series");
        let e = b("HN00000050", "100").overlap_error(&a);
        assert_eq!(e.code, "BATCH_OVERLAP");
        assert!(e.detail.contains("HN00000001–HN00000100"));
    }

    #[test]
    fn c1_every_blank_state_and_event() {
        use BlankStatus::*;
        let void = BlankEvent::Void { reason: "打印错位".into() };
        let table = [
            (Unused, BlankEvent::Use, Some(Used)),
            (Unused, void.clone(), Some(Voided)),
            (Used, BlankEvent::Use, None),
            (Used, void.clone(), Some(Voided)),
            (Voided, BlankEvent::Use, None),
            (Voided, void.clone(), None),
        ];
        for (from, event, want) in table {
            let got = blank_transition("HN00000001", from, &event);
            assert_eq!(got.as_ref().ok().copied(), want, "{from:?} {event:?}");
            if let Err(r) = got {
                assert_eq!(r.to_field_error().code, "BLANK_STATE");
                assert!(r.detail().contains("HN00000001"));
            }
        }
    }

    #[test]
    fn c1_stock_reconciles_or_says_by_how_much() {
        let ok = StockCounts { printed: 500, unused: 480, used: 18, voided: 2 };
        assert_eq!(ok.discrepancy(), None);
        let off = StockCounts { printed: 500, unused: 480, used: 18, voided: 1 };
        assert!(off.discrepancy().unwrap().contains("合计 499 张"));
    }
}
