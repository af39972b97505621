//! S4: each member's findings by the six methods and the group's conclusion.

use super::*;

fn findings_input() -> FindingsInput {
    FindingsInput {
        findings: EvaluationMethod::ALL
            .iter()
            .rev()
            .map(|m| FindingInput { method: m.id().into(), text: format!("{}情况良好", m.label()) })
            .collect(),
        conclusion: "pass".into(),
        comment: "  同意备案  ".into(),
    }
}

#[test]
fn s4_a_member_records_all_six_methods_and_a_conclusion() {
    let f = MemberFindings::parse(&findings_input()).expect("valid");
    let methods: Vec<_> = f.findings().iter().map(|(m, _)| *m).collect();
    assert_eq!(methods, EvaluationMethod::ALL.to_vec(), "stored in the clause's order");
    assert_eq!(f.finding(EvaluationMethod::SiteVisit), "现场考察情况良好");
    assert_eq!(f.conclusion(), Conclusion::Pass);
    assert_eq!(f.comment(), Some("同意备案"));
    let labels: Vec<_> = EvaluationMethod::ALL.iter().map(|m| m.label()).collect();
    assert_eq!(labels, ["听取报告", "文件审核", "技术抽查", "访谈咨询", "质询答辩", "现场考察"]);

    let mut no_comment = findings_input();
    no_comment.comment = "   ".into();
    assert_eq!(MemberFindings::parse(&no_comment).expect("valid").comment(), None);
}

#[test]
fn s4_a_missing_or_short_finding_or_conclusion_is_refused() {
    type Case = (&'static str, fn(&mut FindingsInput), &'static str, &'static str);
    let cases: Vec<Case> = vec![
        (
            "missing method",
            |f| f.findings.retain(|x| x.method != "site_visit"),
            "findings.site_visit",
            "FINDING_MISSING",
        ),
        ("short text", |f| f.findings[0].text = " 好 ".into(), "findings.site_visit", "FINDING_LENGTH"),
        ("empty text", |f| f.findings[5].text = String::new(), "findings.hearing_report", "FINDING_LENGTH"),
        ("too long", |f| f.findings[1].text = "长".repeat(2001), "findings.questioning", "FINDING_LENGTH"),
        (
            "unknown method",
            |f| f.findings.push(FindingInput { method: "survey".into(), text: "问卷调查".into() }),
            "findings[6].method",
            "FINDING_METHOD_UNKNOWN",
        ),
        (
            "duplicate method",
            |f| f.findings.push(FindingInput { method: "interview".into(), text: "再次访谈".into() }),
            "findings[6].method",
            "FINDING_METHOD_DUPLICATE",
        ),
        ("no conclusion", |f| f.conclusion = String::new(), "conclusion", "CONCLUSION_REQUIRED"),
        ("bad conclusion", |f| f.conclusion = "maybe".into(), "conclusion", "CONCLUSION_REQUIRED"),
        ("long comment", |f| f.comment = "长".repeat(2001), "comment", "COMMENT_TOO_LONG"),
    ];
    for (name, mutate, field, code) in cases {
        let mut input = findings_input();
        mutate(&mut input);
        let errors = MemberFindings::parse(&input).expect_err(name);
        assert_eq!(errors.0.len(), 1, "{name}: {errors}");
        let e = errors.get(field).unwrap_or_else(|| panic!("{name}: no {field} in {errors}"));
        assert_eq!(e.code, code, "{name}");
        assert!(!e.detail.is_empty() && !e.detail.is_ascii(), "{name}: {}", e.detail);
    }

    let all_bad = MemberFindings::parse(&FindingsInput::default()).expect_err("empty");
    assert_eq!(all_bad.0.len(), 7, "six missing findings and the conclusion: {all_bad}");
    assert_eq!(
        all_bad.get("findings.technical_spot_check").map(|e| e.detail.as_str()),
        Some("请填写“技术抽查”的评估意见")
    );
}

#[test]
fn s4_the_group_concludes_by_strict_majority_and_a_tie_fails() {
    use Conclusion::{Fail, Pass};
    let cases: [(&[Conclusion], Conclusion); 8] = [
        (&[Pass, Pass, Fail], Pass),
        (&[Pass, Fail, Fail], Fail),
        (&[Pass, Fail], Fail),
        (&[Pass, Pass, Fail, Fail], Fail),
        (&[Pass, Pass, Pass, Fail, Fail], Pass),
        (&[Pass], Pass),
        (&[Fail], Fail),
        (&[], Fail),
    ];
    for (members, want) in cases {
        assert_eq!(group_conclusion(members), want, "{members:?}");
    }
    assert_eq!((Pass.label(), Fail.label()), ("通过", "不通过"));
}
