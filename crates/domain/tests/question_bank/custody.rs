//! E2: the custody ledger's order and counts.

use super::*;

fn full_chain() -> Vec<CustodyEntry> {
    vec![
        CustodyEntry::new(CustodyStep::Requested, "张敏", 60),
        CustodyEntry::new(CustodyStep::Approved, "李强", 50),
        CustodyEntry::new(CustodyStep::Printed, "王芳", 50),
        CustodyEntry::new(CustodyStep::Sealed, "王芳", 50),
        CustodyEntry {
            recipient: "赵磊（考核站）".into(), ..CustodyEntry::new(CustodyStep::HandedOver, "王芳", 50)
        },
        CustodyEntry {
            witnesses: vec!["考生甲".into(), "考生乙".into()],
            ..CustodyEntry::new(CustodyStep::Opened, "赵磊", 50)
        },
        CustodyEntry { used: 46, ..CustodyEntry::new(CustodyStep::Returned, "赵磊", 4) },
    ]
}

#[test]
fn e2_a_release_goes_through_every_step_and_closes() {
    let mut ledger = CustodyLedger::default();
    assert_eq!(ledger.next_steps(), [CustodyStep::Requested]);
    for e in full_chain() {
        assert!(!ledger.is_closed());
        ledger.record(e).expect("in order and reconciled");
    }
    assert!(ledger.is_closed());
    let e = ledger.record(CustodyEntry::new(CustodyStep::Destroyed, "赵磊", 4)).unwrap_err();
    assert_eq!(e.to_string(), "试卷保管流程已结束，不能再登记“销毁”");
}

/// Step order: from each point of the chain, only the next step is accepted.
#[test]
fn e2_step_order_table() {
    let chain = full_chain();
    for done in 0..chain.len() {
        let mut ledger = CustodyLedger::default();
        for e in &chain[..done] {
            ledger.record(e.clone()).expect("prefix");
        }
        for step in CustodyStep::ALL {
            let mut entry = chain[done.min(chain.len() - 1)].clone();
            entry.step = *step;
            let allowed = ledger.next_steps().contains(step);
            let got = ledger.clone().record(entry);
            if !allowed {
                assert!(matches!(got, Err(CustodyError::OutOfOrder { .. })), "after {done}: {step} {got:?}");
            }
        }
        let want: &[CustodyStep] = match done {
            6 => &[CustodyStep::Returned, CustodyStep::Destroyed],
            7 => &[],
            n => std::slice::from_ref(&CustodyStep::ALL[n]),
        };
        assert_eq!(ledger.next_steps(), want, "after {done} steps");
    }
}

#[test]
fn e2_a_missing_copy_stops_the_chain_naming_the_step() {
    let chain = full_chain();
    let mut ledger = CustodyLedger::default();
    for e in &chain[..3] {
        ledger.record(e.clone()).unwrap();
    }
    let short = CustodyEntry::new(CustodyStep::Sealed, "王芳", 48);
    assert_eq!(
        ledger.record(short).unwrap_err().to_string(),
        "封存份数（48）少于印制份数（50），缺 2 份，须查明后方可继续"
    );
    let over = CustodyEntry::new(CustodyStep::Sealed, "王芳", 51);
    assert_eq!(
        ledger.record(over).unwrap_err().to_string(),
        "封存份数（51）多于印制份数（50），多 1 份，须查明后方可继续"
    );
    assert_eq!(ledger.entries.len(), 3, "a refused step is not recorded");

    // Each counted step against the one before it.
    let cases: [(usize, u32, &str); 4] = [
        (2, 49, "印制份数（49）少于批准份数（50），缺 1 份"),
        (3, 47, "封存份数（47）少于印制份数（50），缺 3 份"),
        (4, 45, "交接份数（45）少于封存份数（50），缺 5 份"),
        (5, 40, "启封份数（40）少于交接份数（50），缺 10 份"),
    ];
    for (at, copies, want) in cases {
        let mut ledger = CustodyLedger::default();
        for e in &chain[..at] {
            ledger.record(e.clone()).unwrap();
        }
        let mut entry = chain[at].clone();
        entry.copies = copies;
        assert!(ledger.record(entry).unwrap_err().to_string().starts_with(want), "step {at}");
    }

    let mut ledger = CustodyLedger::default();
    for e in &chain[..6] {
        ledger.record(e.clone()).unwrap();
    }
    let lost = CustodyEntry { used: 45, ..CustodyEntry::new(CustodyStep::Destroyed, "赵磊", 4) };
    assert_eq!(
        ledger.record(lost).unwrap_err().to_string(),
        "考生使用份数（45）与销毁份数（4）合计 49 份，与启封份数（50）不符，缺 1 份，须查明后方可继续"
    );
    let ok = CustodyEntry { used: 45, ..CustodyEntry::new(CustodyStep::Destroyed, "赵磊", 5) };
    assert_eq!(ledger.record(ok), Ok(()));
}

#[test]
fn e2_every_step_names_its_responsible_person_and_the_opening_two_distinct_witnesses() {
    let chain = full_chain();
    let mut ledger = CustodyLedger::default();
    assert_eq!(
        ledger.record(CustodyEntry::new(CustodyStep::Requested, " ", 60)),
        Err(CustodyError::ResponsibleMissing { step: CustodyStep::Requested })
    );
    assert_eq!(
        ledger.record(CustodyEntry::new(CustodyStep::Requested, "张敏", 0)).unwrap_err().to_string(),
        "申请份数应至少为 1 份"
    );
    ledger.record(chain[0].clone()).unwrap();
    assert_eq!(
        ledger.record(CustodyEntry::new(CustodyStep::Approved, "李强", 61)),
        Err(CustodyError::OverApproved { approved: 61, requested: 60 })
    );
    for e in &chain[1..4] {
        ledger.record(e.clone()).unwrap();
    }
    assert_eq!(
        ledger.record(CustodyEntry::new(CustodyStep::HandedOver, "王芳", 50)),
        Err(CustodyError::RecipientMissing)
    );
    ledger.record(chain[4].clone()).unwrap();
    for witnesses in [vec![], vec!["考生甲"], vec!["考生甲", "考生甲 "], vec!["考生甲", ""], vec!["甲", "乙", "丙"]]
    {
        let e = CustodyEntry {
            witnesses: witnesses.iter().map(|w| w.to_string()).collect(),
            ..CustodyEntry::new(CustodyStep::Opened, "赵磊", 50)
        };
        assert_eq!(ledger.record(e), Err(CustodyError::Witnesses), "{witnesses:?}");
    }
}

#[test]
fn e2_each_step_writes_its_audit_action_and_only_the_approval_is_the_provinces() {
    use domain::audit::{AuditAction, AuditTarget};
    for step in CustodyStep::ALL {
        let want = match step {
            CustodyStep::Requested => AuditAction::PaperReleaseRequested,
            CustodyStep::Approved => AuditAction::PaperReleaseApproved,
            _ => AuditAction::PaperCustodyRecorded,
        };
        assert_eq!(step.audit_action(), want, "{step}");
        assert_eq!(want.target(), AuditTarget::Paper);
        let province = matches!(
            step,
            CustodyStep::Approved | CustodyStep::Printed | CustodyStep::Sealed | CustodyStep::HandedOver
        );
        assert_eq!(step.by_province(), province, "{step}");
        assert!(!step.count_label().is_ascii() && step.count_label().ends_with("份数"));
    }
}
