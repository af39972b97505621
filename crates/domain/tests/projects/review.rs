//! P4: a member's opinion and the group's majority conclusion, ties going to the stricter conclusion.

use super::*;

use ReviewConclusion::{Agree, Disagree, Revise};

#[test]
fn p4_an_opinion_needs_a_conclusion_and_comments() {
    let ok = ReviewOpinion::parse(&OpinionInput { conclusion: "revise".into(), comments: " 权重需调整 ".into() })
        .expect("valid");
    assert_eq!((ok.conclusion, ok.comments.as_str()), (Revise, "权重需调整"));

    let errors = ReviewOpinion::parse(&OpinionInput::default()).expect_err("empty");
    assert_eq!(fields_of(&errors), ["conclusion", "comments"]);
    assert_eq!(
        errors.get("conclusion").expect("conclusion").detail,
        "请选择评审结论：“同意立项”、“修改后立项”、“不同意立项”"
    );
    assert_eq!(errors.get("comments").expect("comments").detail, "请填写评审意见");
    let long = OpinionInput { conclusion: "agree".into(), comments: "意".repeat(2001) };
    assert_eq!(codes_of(&ReviewOpinion::parse(&long).expect_err("long"), "comments"), ["REVIEW_COMMENTS_LENGTH"]);
    let just = OpinionInput { conclusion: "agree".into(), comments: "意".repeat(2000) };
    assert!(ReviewOpinion::parse(&just).is_ok());
    let unknown = OpinionInput { conclusion: "同意立项".into(), comments: "可以".into() };
    assert_eq!(
        codes_of(&ReviewOpinion::parse(&unknown).expect_err("label"), "conclusion"),
        ["REVIEW_CONCLUSION_UNKNOWN"]
    );
}

#[test]
fn p4_the_group_concludes_by_majority() {
    assert_eq!(group_conclusion(&[Agree, Agree, Revise, Disagree, Agree]), Some(Agree));
    assert_eq!(group_conclusion(&[Revise, Revise, Agree]), Some(Revise));
    assert_eq!(group_conclusion(&[Disagree, Disagree, Disagree, Agree, Agree]), Some(Disagree));
    assert_eq!(group_conclusion(&[Agree]), Some(Agree));
    assert_eq!(group_conclusion(&[]), None);
}

#[test]
fn p4_a_tie_goes_to_the_stricter_conclusion() {
    assert_eq!(group_conclusion(&[Agree, Agree, Revise, Revise]), Some(Revise));
    assert_eq!(group_conclusion(&[Agree, Disagree]), Some(Disagree));
    assert_eq!(group_conclusion(&[Revise, Disagree, Agree]), Some(Disagree));
    assert_eq!(group_conclusion(&[Agree, Agree, Revise, Revise, Disagree]), Some(Revise));
    // The order of the opinions never matters.
    assert_eq!(group_conclusion(&[Revise, Revise, Agree, Agree]), Some(Revise));
}

#[test]
fn p4_the_tally_counts_each_conclusion() {
    let t = ReviewTally::of(&[Agree, Revise, Agree, Disagree, Agree]);
    assert_eq!((t.agree, t.revise, t.disagree, t.total()), (3, 1, 1, 5));
    assert_eq!(t.count(Agree), 3);
    let labels: Vec<&str> = ReviewConclusion::ALL.iter().map(|c| c.label()).collect();
    assert_eq!(labels, ["同意立项", "修改后立项", "不同意立项"]);
}
