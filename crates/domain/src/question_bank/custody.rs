//! E2: the custody ledger of a paper released to an exam. A center requests copies of a paper, the
//! province approves, and every step after that — printed, sealed, handed over, opened before two
//! candidate witnesses, and the leftover copies returned or destroyed — is recorded with the person
//! responsible and the count ([`CustodyLedger::record`]). The counts reconcile at every step:
//!
//! | step | count must be |
//! |---|---|
//! | requested | at least 1 |
//! | approved | 1 … the copies requested |
//! | printed | = approved |
//! | sealed | = printed |
//! | handed over | = sealed (and to whom) |
//! | opened | = handed over (two distinct witnesses) |
//! | returned or destroyed | leftover copies; `used` (answered by candidates) + leftover = opened |
//!
//! A count that does not reconcile stops the chain with a message naming the step and the missing (or
//! surplus) copies; the ledger is closed after the returned or destroyed step.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::audit::AuditAction;
use crate::enums::string_enum;

string_enum! {
    /// The steps of a release (E2), in order; the last is `returned` or `destroyed`.
    CustodyStep {
        Requested = "requested" => "申请用卷",
        Approved = "approved" => "省中心批准",
        Printed = "printed" => "印制",
        Sealed = "sealed" => "封存",
        HandedOver = "handed_over" => "交接",
        Opened = "opened" => "启封",
        Returned = "returned" => "回收",
        Destroyed = "destroyed" => "销毁",
    }
}

impl CustodyStep {
    /// What the step's count is called: 印制份数, 封存份数 ….
    pub fn count_label(self) -> &'static str {
        match self {
            CustodyStep::Requested => "申请份数",
            CustodyStep::Approved => "批准份数",
            CustodyStep::Printed => "印制份数",
            CustodyStep::Sealed => "封存份数",
            CustodyStep::HandedOver => "交接份数",
            CustodyStep::Opened => "启封份数",
            CustodyStep::Returned => "回收份数",
            CustodyStep::Destroyed => "销毁份数",
        }
    }

    /// The audit record the step writes: the request and the approval have their own, every custody
    /// step after them is a `paper.custody_recorded` naming the step.
    pub fn audit_action(self) -> AuditAction {
        match self {
            CustodyStep::Requested => AuditAction::PaperReleaseRequested,
            CustodyStep::Approved => AuditAction::PaperReleaseApproved,
            _ => AuditAction::PaperCustodyRecorded,
        }
    }

    /// Whether the province's question bank office takes the step: it approves and allocates the paper
    /// (E2: 省鉴定中心统一调配), prints, seals and hands the sealed copies over; the requesting center
    /// records the opening before the candidates and the return or destruction of the leftovers.
    pub fn by_province(self) -> bool {
        matches!(self, CustodyStep::Approved | CustodyStep::Printed | CustodyStep::Sealed | CustodyStep::HandedOver)
    }

    /// The steps that may follow this one.
    pub fn next(self) -> &'static [CustodyStep] {
        use CustodyStep::*;
        match self {
            Requested => &[Approved],
            Approved => &[Printed],
            Printed => &[Sealed],
            Sealed => &[HandedOver],
            HandedOver => &[Opened],
            Opened => &[Returned, Destroyed],
            Returned | Destroyed => &[],
        }
    }
}

/// One step as recorded (the store adds when, and the release it belongs to: paper and exam).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyEntry {
    pub step: CustodyStep,
    /// The person responsible for the step, by name.
    pub responsible: String,
    /// The copies of the step (for returned/destroyed: the leftover copies).
    pub copies: u32,
    /// Handed over: to whom.
    pub recipient: String,
    /// Opened: the two candidate witnesses.
    pub witnesses: Vec<String>,
    /// Returned/destroyed: the copies answered by candidates.
    pub used: u32,
}

impl CustodyEntry {
    /// A step with its person and count; the other fields empty.
    pub fn new(step: CustodyStep, responsible: &str, copies: u32) -> CustodyEntry {
        CustodyEntry {
            step,
            responsible: responsible.to_owned(),
            copies,
            recipient: String::new(),
            witnesses: vec![],
            used: 0,
        }
    }
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustodyError {
    /// The step does not follow the last one recorded (`expected` lists what may come next; empty when
    /// the ledger is closed).
    OutOfOrder { step: CustodyStep, expected: Vec<CustodyStep> },
    /// No person responsible named.
    ResponsibleMissing { step: CustodyStep },
    /// A count of zero where copies are needed.
    NoCopies { step: CustodyStep },
    /// Approved more than requested.
    OverApproved { approved: u32, requested: u32 },
    /// The count of `step` differs from `against`'s count.
    Mismatch { step: CustodyStep, copies: u32, against: CustodyStep, expected: u32 },
    /// Used + leftover differs from the copies opened.
    Unreconciled { step: CustodyStep, used: u32, copies: u32, opened: u32 },
    /// Handed over without naming the recipient.
    RecipientMissing,
    /// Opened without two distinct, named candidate witnesses.
    Witnesses,
}

impl fmt::Display for CustodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfOrder { step, expected } if expected.is_empty() => {
                write!(f, "试卷保管流程已结束，不能再登记“{}”", step.label())
            }
            Self::OutOfOrder { step, expected } => {
                let names: Vec<&str> = expected.iter().map(|s| s.label()).collect();
                write!(f, "当前应登记“{}”，不能登记“{}”", names.join("”或“"), step.label())
            }
            Self::ResponsibleMissing { step } => write!(f, "请填写“{}”环节的责任人", step.label()),
            Self::NoCopies { step } => write!(f, "{}应至少为 1 份", step.count_label()),
            Self::OverApproved { approved, requested } => {
                write!(f, "批准份数（{approved}）多于申请份数（{requested}）")
            }
            Self::Mismatch { step, copies, against, expected } if copies < expected => write!(
                f,
                "{}（{copies}）少于{}（{expected}），缺 {} 份，须查明后方可继续",
                step.count_label(),
                against.count_label(),
                expected - copies
            ),
            Self::Mismatch { step, copies, against, expected } => write!(
                f,
                "{}（{copies}）多于{}（{expected}），多 {} 份，须查明后方可继续",
                step.count_label(),
                against.count_label(),
                copies - expected
            ),
            Self::Unreconciled { step, used, copies, opened } => {
                let sum = u64::from(*used) + u64::from(*copies);
                let (word, diff) = if sum < u64::from(*opened) {
                    ("缺", u64::from(*opened) - sum)
                } else {
                    ("多", sum - u64::from(*opened))
                };
                write!(
                    f,
                    "考生使用份数（{used}）与{}（{copies}）合计 {sum} 份，与启封份数（{opened}）不符，{word} {diff} 份，须查明后方可继续",
                    step.count_label()
                )
            }
            Self::RecipientMissing => f.write_str("请填写试卷交接的接收人"),
            Self::Witnesses => f.write_str("启封须有两名考生代表见证，请填写两名不同的见证人姓名"),
        }
    }
}

impl std::error::Error for CustodyError {}

/// The steps recorded so far for one release, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CustodyLedger {
    pub entries: Vec<CustodyEntry>,
}

impl CustodyLedger {
    fn copies_of(&self, step: CustodyStep) -> u32 {
        self.entries.iter().find(|e| e.step == step).map_or(0, |e| e.copies)
    }

    /// The steps that may be recorded next.
    pub fn next_steps(&self) -> &'static [CustodyStep] {
        match self.entries.last().map(|e| e.step) {
            None => &[CustodyStep::Requested],
            Some(last) => last.next(),
        }
    }

    /// Whether the leftover copies are returned or destroyed (nothing more to record).
    pub fn is_closed(&self) -> bool {
        !self.entries.is_empty() && self.next_steps().is_empty()
    }

    /// Checks `entry` against the ledger (order, person, counts) and appends it.
    pub fn record(&mut self, entry: CustodyEntry) -> Result<(), CustodyError> {
        use CustodyStep::*;
        let step = entry.step;
        let expected = self.next_steps();
        if !expected.contains(&step) {
            return Err(CustodyError::OutOfOrder { step, expected: expected.to_vec() });
        }
        if entry.responsible.trim().is_empty() {
            return Err(CustodyError::ResponsibleMissing { step });
        }
        let same_as = |against: CustodyStep| {
            let expected = self.copies_of(against);
            if entry.copies == expected {
                Ok(())
            } else {
                Err(CustodyError::Mismatch { step, copies: entry.copies, against, expected })
            }
        };
        match step {
            Requested | Approved if entry.copies == 0 => return Err(CustodyError::NoCopies { step }),
            Requested => {}
            Approved => {
                let requested = self.copies_of(Requested);
                if entry.copies > requested {
                    return Err(CustodyError::OverApproved { approved: entry.copies, requested });
                }
            }
            Printed => same_as(Approved)?,
            Sealed => same_as(Printed)?,
            HandedOver => {
                same_as(Sealed)?;
                if entry.recipient.trim().is_empty() {
                    return Err(CustodyError::RecipientMissing);
                }
            }
            Opened => {
                same_as(HandedOver)?;
                let names: Vec<&str> = entry.witnesses.iter().map(|w| w.trim()).collect();
                if names.len() != 2 || names.iter().any(|n| n.is_empty()) || names[0] == names[1] {
                    return Err(CustodyError::Witnesses);
                }
            }
            Returned | Destroyed => {
                let opened = self.copies_of(Opened);
                if u64::from(entry.used) + u64::from(entry.copies) != u64::from(opened) {
                    return Err(CustodyError::Unreconciled { step, used: entry.used, copies: entry.copies, opened });
                }
            }
        }
        self.entries.push(entry);
        Ok(())
    }
}
