//! E5, E6: a candidate's scores and whether they pass. Scores are typed with at most one decimal
//! (`85`, `85.5`) and kept in tenths of a point, so no floating point decides a pass. The pass rule is
//! the specification's (P3): every part the method includes (theory, practical) is scored and reaches
//! its own pass mark; the total is the parts weighted by their shares, rounded half up to a tenth, and
//! shown, not used to pass (a candidate who fails one part fails).

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, FieldErrors};
use crate::projects::{AssessmentMethod, AssessmentPart};

/// A score in tenths of a point (`855` = 85.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tenths(pub u32);

impl Tenths {
    /// `0`–`100`, at most one decimal; the field named in the error.
    pub fn parse(field: &str, label: &str, raw: &str) -> Result<Tenths, FieldError> {
        let raw = raw.trim();
        let bad = || {
            FieldError::new(field, "SCORE_INVALID", format!("{label}应为 0–100 的分数，最多一位小数，如 85 或 85.5"))
        };
        let (whole, tenth) = match raw.split_once('.') {
            Some((w, t)) if t.len() == 1 => (w, t),
            Some(_) => return Err(bad()),
            None => (raw, "0"),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !tenth.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let v = whole
            .parse::<u32>()
            .map_err(|_| bad())?
            .saturating_mul(10)
            .saturating_add(tenth.parse::<u32>().map_err(|_| bad())?);
        if v > 1000 { Err(bad()) } else { Ok(Tenths(v)) }
    }

    /// `85.5`, `90`.
    pub fn text(self) -> String {
        if self.0.is_multiple_of(10) { format!("{}", self.0 / 10) } else { format!("{}.{}", self.0 / 10, self.0 % 10) }
    }
}

/// A candidate's scores as typed; a blank part is "not scored" (absent, 缺考).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ScoreInput {
    #[serde(default)]
    pub theory: String,
    #[serde(default)]
    pub practical: String,
}

/// The outcome of a candidate under the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub theory: Option<Tenths>,
    pub practical: Option<Tenths>,
    /// Weighted by the shares, in tenths, rounded half up.
    pub total: Tenths,
    pub passed: bool,
}

fn part(errs: &mut FieldErrors, field: &str, label: &str, raw: &str, spec: Option<AssessmentPart>) -> Option<Tenths> {
    match (spec, raw.trim()) {
        (None, "") => None,
        (None, _) => {
            errs.push(FieldError::new(field, "SCORE_NOT_IN_METHOD", format!("本项目的考核方式不含{label}，请留空")));
            None
        }
        (Some(_), "") => None,
        (Some(_), t) => errs.take(Tenths::parse(field, label, t)),
    }
}

/// E5: scores a candidate under the method: every error at once; a part the method includes left blank
/// counts as absent (not passed).
pub fn score(method: &AssessmentMethod, input: &ScoreInput) -> Result<Outcome, FieldErrors> {
    let mut errs = FieldErrors::new();
    let theory = part(&mut errs, "theory", "理论知识考试成绩", &input.theory, method.theory);
    let practical = part(&mut errs, "practical", "操作技能考核成绩", &input.practical, method.practical);
    errs.clone().into_result()?;
    let weighted = |s: Option<Tenths>, p: Option<AssessmentPart>| -> u64 {
        match (s, p) {
            (Some(s), Some(p)) => u64::from(s.0) * u64::from(p.share),
            _ => 0,
        }
    };
    // Shares sum to 100: (Σ score × share) / 100, half up.
    let sum = weighted(theory, method.theory) + weighted(practical, method.practical);
    let total = Tenths(u32::try_from((sum + 50) / 100).unwrap_or(u32::MAX));
    let reaches = |s: Option<Tenths>, p: Option<AssessmentPart>| match p {
        None => true,
        Some(p) => s.is_some_and(|s| s.0 >= p.pass_mark * 10),
    };
    let passed = reaches(theory, method.theory) && reaches(practical, method.practical);
    Ok(Outcome { theory, practical, total, passed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(theory: Option<(u32, u32)>, practical: Option<(u32, u32)>) -> AssessmentMethod {
        let p = |(share, pass_mark)| AssessmentPart { share, pass_mark, minutes: 60 };
        AssessmentMethod { theory: theory.map(p), practical: practical.map(p) }
    }

    fn input(t: &str, p: &str) -> ScoreInput {
        ScoreInput { theory: t.into(), practical: p.into() }
    }

    #[test]
    fn e5_scores_parse_in_tenths_and_refuse_anything_else() {
        assert_eq!(Tenths::parse("theory", "成绩", "85.5"), Ok(Tenths(855)));
        assert_eq!(Tenths::parse("theory", "成绩", " 100 "), Ok(Tenths(1000)));
        assert_eq!(Tenths(855).text(), "85.5");
        assert_eq!(Tenths(900).text(), "90");
        for bad in ["100.1", "-1", "85.55", "八十", "1e2", ".5", "85."] {
            let e = Tenths::parse("theory", "理论成绩", bad).expect_err(bad);
            assert_eq!((e.field.as_str(), e.code), ("theory", "SCORE_INVALID"), "{bad}");
        }
    }

    #[test]
    fn e5_each_part_must_reach_its_own_pass_mark() {
        let m = method(Some((30, 60)), Some((70, 60)));
        let o = score(&m, &input("59.5", "95")).expect("valid");
        assert!(!o.passed, "theory below 60 fails even with a high total");
        assert_eq!(o.total, Tenths(844)); // 59.5×0.3 + 95×0.7 = 84.35 → 84.4 (half up)
        assert!(score(&m, &input("60", "60")).expect("valid").passed);
        let absent = score(&m, &input("", "80")).expect("absent theory is not an error");
        assert!(!absent.passed && absent.theory.is_none());
    }

    #[test]
    fn e5_a_part_outside_the_method_is_refused_and_errors_come_at_once() {
        let practical_only = method(None, Some((100, 60)));
        let e = score(&practical_only, &input("70", "abc")).expect_err("refused");
        let codes: Vec<(&str, &str)> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(codes, [("theory", "SCORE_NOT_IN_METHOD"), ("practical", "SCORE_INVALID")]);
        assert!(score(&practical_only, &input("", "60")).expect("valid").passed);
    }
}
