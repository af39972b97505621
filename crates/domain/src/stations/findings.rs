//! S4: the expert group evaluates "通过听取报告、文件审核、技术抽查、访谈咨询、质询答辩和现场考察等方式"
//! ([`EvaluationMethod`]); each member records a finding for every method and a conclusion
//! ([`MemberFindings::parse`]), and the group's conclusion is the strict majority ([`group_conclusion`]).

use serde::{Deserialize, Serialize};

use super::text_block;
use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors};

string_enum! {
    /// S4: "通过听取报告、文件审核、技术抽查、访谈咨询、质询答辩和现场考察等方式进行评估".
    EvaluationMethod {
        HearingReport = "hearing_report" => "听取报告",
        DocumentReview = "document_review" => "文件审核",
        TechnicalSpotCheck = "technical_spot_check" => "技术抽查",
        Interview = "interview" => "访谈咨询",
        Questioning = "questioning" => "质询答辩",
        SiteVisit = "site_visit" => "现场考察",
    }
}

string_enum! {
    /// A member's (and the group's) conclusion on the applicant (S4).
    Conclusion {
        Pass = "pass" => "通过",
        Fail = "fail" => "不通过",
    }
}

/// A finding has at least this many characters.
pub const FINDING_MIN_CHARS: usize = 2;
/// A finding or a comment has at most this many characters.
pub const FINDING_MAX_CHARS: usize = 2000;

/// One method's finding as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct FindingInput {
    /// An [`EvaluationMethod`] id.
    pub method: String,
    pub text: String,
}

/// One group member's findings as typed (S4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(example = json!(FindingsInput::example())))]
pub struct FindingsInput {
    pub findings: Vec<FindingInput>,
    /// A [`Conclusion`] id.
    pub conclusion: String,
    /// Optional overall comment.
    #[serde(default)]
    pub comment: String,
}

impl FindingsInput {
    /// Complete, valid findings: one for each of the six methods and the conclusion `pass`.
    pub fn example() -> FindingsInput {
        FindingsInput {
            findings: EvaluationMethod::ALL
                .iter()
                .map(|m| FindingInput { method: m.id().into(), text: format!("{}：符合要求", m.label()) })
                .collect(),
            conclusion: Conclusion::Pass.id().into(),
            comment: String::new(),
        }
    }
}

/// One group member's parsed findings: a finding for every one of the six methods, in
/// [`EvaluationMethod::ALL`] order, and a conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberFindings {
    findings: Vec<(EvaluationMethod, String)>,
    conclusion: Conclusion,
    comment: Option<String>,
}

impl MemberFindings {
    /// Errors: `findings[i].method` (`FINDING_METHOD_UNKNOWN`, `FINDING_METHOD_DUPLICATE`),
    /// `findings.<method>` (`FINDING_MISSING`, `FINDING_LENGTH`), `conclusion` (`CONCLUSION_REQUIRED`),
    /// `comment` (`COMMENT_TOO_LONG`).
    pub fn parse(input: &FindingsInput) -> Result<MemberFindings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut by_method: Vec<(EvaluationMethod, String)> = Vec::new();
        for (i, f) in input.findings.iter().enumerate() {
            let Some(method) = EvaluationMethod::parse(f.method.trim()) else {
                errors.push(FieldError::new(
                    format!("findings[{i}].method"),
                    "FINDING_METHOD_UNKNOWN",
                    format!("“{}”不是评估方式，应为{}之一", f.method.trim(), method_list()),
                ));
                continue;
            };
            if by_method.iter().any(|(m, _)| *m == method) {
                errors.push(FieldError::new(
                    format!("findings[{i}].method"),
                    "FINDING_METHOD_DUPLICATE",
                    format!("“{}”的评估意见重复填写", method.label()),
                ));
                continue;
            }
            by_method.push((method, f.text.clone()));
        }
        let mut findings = Vec::new();
        for method in EvaluationMethod::ALL {
            let field = format!("findings.{}", method.id());
            match by_method.iter().find(|(m, _)| m == method) {
                None => errors.push(FieldError::new(
                    field,
                    "FINDING_MISSING",
                    format!("请填写“{}”的评估意见", method.label()),
                )),
                Some((_, text)) => {
                    let label = format!("“{}”的评估意见", method.label());
                    if let Some(t) = errors.take(text_block(
                        &field,
                        text,
                        FINDING_MIN_CHARS,
                        FINDING_MAX_CHARS,
                        "FINDING_LENGTH",
                        &label,
                    )) {
                        findings.push((*method, t));
                    }
                }
            }
        }
        let conclusion = Conclusion::parse(input.conclusion.trim());
        if conclusion.is_none() {
            errors.push(FieldError::new("conclusion", "CONCLUSION_REQUIRED", "请选择评估结论：“通过”或“不通过”"));
        }
        let comment = input.comment.trim();
        if comment.chars().count() > FINDING_MAX_CHARS {
            errors.push(FieldError::new(
                "comment",
                "COMMENT_TOO_LONG",
                format!("综合意见不能超过 {FINDING_MAX_CHARS} 个字"),
            ));
        }
        match (errors.into_result(), conclusion) {
            (Ok(()), Some(conclusion)) => {
                Ok(MemberFindings { findings, conclusion, comment: (!comment.is_empty()).then(|| comment.to_owned()) })
            }
            (Err(e), _) => Err(e),
            // A missing conclusion always recorded an error above.
            (Ok(()), None) => Err(FieldErrors::new()),
        }
    }

    /// The six findings, in [`EvaluationMethod::ALL`] order.
    pub fn findings(&self) -> &[(EvaluationMethod, String)] {
        &self.findings
    }

    pub fn finding(&self, method: EvaluationMethod) -> &str {
        self.findings.iter().find(|(m, _)| *m == method).map(|(_, t)| t.as_str()).unwrap_or("")
    }

    pub fn conclusion(&self) -> Conclusion {
        self.conclusion
    }

    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }
}

fn method_list() -> String {
    EvaluationMethod::ALL.iter().map(|m| format!("“{}”", m.label())).collect::<Vec<_>>().join("、")
}

/// S4: the group's conclusion from its members' conclusions — `Pass` only with a strict majority of
/// `Pass`. **Assumption** (the procedure does not say how the group decides): a tie, and an empty group,
/// give `Fail`; the province still makes the filing decision (S5) with the group's result before it.
pub fn group_conclusion(findings: &[Conclusion]) -> Conclusion {
    let pass = findings.iter().filter(|c| **c == Conclusion::Pass).count();
    if pass * 2 > findings.len() { Conclusion::Pass } else { Conclusion::Fail }
}
