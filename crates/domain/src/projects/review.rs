//! P4: the expert group's review ("专家组对拟开发项目的可行性分析报告、考核规范进行评议并提出专业意见，省鉴定
//! 中心根据专家意见确定是否设立"). Each member files one opinion once the seal is open
//! ([`ReviewOpinion::parse`]): a conclusion ([`ReviewConclusion`]) and comments. When every opinion is in,
//! the group's conclusion is the majority ([`group_conclusion`]); a tie between the most frequent
//! conclusions goes to the **stricter** of them (disagree over revise over agree), so a split group
//! never reads as more favourable than half of it. The province decides; the group's conclusion is what
//! it decides on, not the decision itself.

use serde::{Deserialize, Serialize};

use super::text_block;
use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors};

/// Comments have at most this many characters.
pub const COMMENTS_MAX_CHARS: usize = 2000;

string_enum! {
    /// A member's (and the group's) conclusion, from the most to the least favourable.
    ReviewConclusion {
        Agree = "agree" => "同意立项",
        Revise = "revise" => "修改后立项",
        Disagree = "disagree" => "不同意立项",
    }
}

impl ReviewConclusion {
    /// How strict the conclusion is: agree 0, revise 1, disagree 2 (ties go to the larger).
    pub fn strictness(self) -> u8 {
        match self {
            ReviewConclusion::Agree => 0,
            ReviewConclusion::Revise => 1,
            ReviewConclusion::Disagree => 2,
        }
    }
}

/// A member's opinion as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OpinionInput {
    /// A [`ReviewConclusion`] id.
    pub conclusion: String,
    pub comments: String,
}

/// A member's parsed opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewOpinion {
    pub conclusion: ReviewConclusion,
    pub comments: String,
}

impl ReviewOpinion {
    /// Parse an opinion, reporting both fields at once: `conclusion` (`REVIEW_CONCLUSION_UNKNOWN`),
    /// `comments` (`REVIEW_COMMENTS_LENGTH`, required, 2–2000 characters).
    pub fn parse(input: &OpinionInput) -> Result<ReviewOpinion, FieldErrors> {
        let mut e = FieldErrors::new();
        let conclusion = ReviewConclusion::parse(input.conclusion.trim());
        if conclusion.is_none() {
            let list: Vec<String> = ReviewConclusion::ALL.iter().map(|c| format!("“{}”", c.label())).collect();
            e.push(FieldError::new(
                "conclusion",
                "REVIEW_CONCLUSION_UNKNOWN",
                format!("请选择评审结论：{}", list.join("、")),
            ));
        }
        let comments = e.take(text_block(
            "comments",
            &input.comments,
            2,
            COMMENTS_MAX_CHARS,
            "REVIEW_COMMENTS_LENGTH",
            "评审意见",
        ));
        e.into_result()?;
        match (conclusion, comments) {
            (Some(conclusion), Some(comments)) => Ok(ReviewOpinion { conclusion, comments }),
            _ => Err(FieldErrors::new()),
        }
    }
}

/// How many members concluded each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReviewTally {
    pub agree: usize,
    pub revise: usize,
    pub disagree: usize,
}

impl ReviewTally {
    pub fn of(conclusions: &[ReviewConclusion]) -> ReviewTally {
        let mut t = ReviewTally::default();
        for c in conclusions {
            *t.count_mut(*c) += 1;
        }
        t
    }

    fn count_mut(&mut self, c: ReviewConclusion) -> &mut usize {
        match c {
            ReviewConclusion::Agree => &mut self.agree,
            ReviewConclusion::Revise => &mut self.revise,
            ReviewConclusion::Disagree => &mut self.disagree,
        }
    }

    pub fn count(&self, c: ReviewConclusion) -> usize {
        match c {
            ReviewConclusion::Agree => self.agree,
            ReviewConclusion::Revise => self.revise,
            ReviewConclusion::Disagree => self.disagree,
        }
    }

    pub fn total(&self) -> usize {
        self.agree + self.revise + self.disagree
    }
}

/// P4: the group's conclusion once every opinion is in — the most frequent conclusion; among equally
/// frequent ones the stricter ([`ReviewConclusion::strictness`]). `None` for no opinion at all.
pub fn group_conclusion(conclusions: &[ReviewConclusion]) -> Option<ReviewConclusion> {
    let tally = ReviewTally::of(conclusions);
    ReviewConclusion::ALL
        .iter()
        .copied()
        .filter(|c| tally.count(*c) > 0)
        .max_by_key(|c| (tally.count(*c), c.strictness()))
}
