//! P4: the project code (考核项目代码) a project receives when the province establishes it (or approves
//! its adoption, P1), rendered from the policy template `number.project_code_template` (default
//! `{serial4}`: 0001, 0002, …) by [`crate::numbering`] with the store's gap-free serial.
//!
//! The code is **digits only**: the certificate number (C1, `43{city2}{yy}{project4}{serial6}`) takes
//! it through `{projectN}` as a number ([`ProjectCode::number`]), zero-padded to N digits; a code wider
//! than N is refused there (`NUMBER_PROJECT_INVALID`), never truncated. So a template is published only
//! when it renders digits (literal digits, `{yyyy}`, `{yy}`, `{serialN}`) and at most
//! [`PROJECT_CODE_MAX_DIGITS`] of them ([`check_project_code_template`]); with the default `{serial4}`
//! every code has exactly the 4 digits the default certificate template's `{project4}` expects. A
//! project has no city of its own (the catalog is provincial), so `{city2}` and `{projectN}` are refused.

use serde::Serialize;

use crate::error::FieldError;
use crate::numbering::{self, NumberParts, NumberTemplate, Part};

/// The field a template error is reported against.
pub const PROJECT_CODE_TEMPLATE_FIELD: &str = "project_code_template";
/// The default template (policy `number.project_code_template`).
pub const PROJECT_CODE_DEFAULT: &str = "{serial4}";
/// The widest project code: what `{projectN}` (N ≤ 9) can take.
pub const PROJECT_CODE_MAX_DIGITS: usize = 9;

/// What establishing a project supplies to its code.
const SUPPLIED: &[Part] = &[Part::Year, Part::Serial];

/// A project code: 1–9 ASCII digits, as rendered (leading zeros kept).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ProjectCode(String);

impl ProjectCode {
    /// A stored or typed code: 1–9 digits (`PROJECT_CODE_FORMAT` on `project_code`).
    pub fn parse(raw: &str) -> Result<ProjectCode, FieldError> {
        let t = raw.trim();
        if t.is_empty() || t.len() > PROJECT_CODE_MAX_DIGITS || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                "project_code",
                "PROJECT_CODE_FORMAT",
                format!("考核项目代码应为 1 至 {PROJECT_CODE_MAX_DIGITS} 位数字"),
            ));
        }
        Ok(ProjectCode(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as the certificate number's `{projectN}` takes it ([`NumberParts::project`]).
    pub fn number(&self) -> u32 {
        // At most 9 digits: always below u32::MAX.
        self.0.parse().unwrap_or(u32::MAX)
    }
}

impl std::fmt::Display for ProjectCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The numbering error under this clause's stable codes.
fn project_error(mut e: FieldError) -> FieldError {
    e.code = match e.code {
        numbering::TEMPLATE_INVALID => "PROJECT_CODE_TEMPLATE",
        numbering::PLACEHOLDER_UNKNOWN | numbering::PLACEHOLDER_NOT_SUPPLIED => "PROJECT_CODE_PLACEHOLDER_UNKNOWN",
        numbering::YEAR_INVALID => "PROJECT_CODE_YEAR_REQUIRED",
        numbering::SERIAL_OVERFLOW => "PROJECT_CODE_SERIAL_OVERFLOW",
        other => other,
    };
    e
}

fn template(text: &str) -> Result<NumberTemplate, FieldError> {
    let t = NumberTemplate::parse(PROJECT_CODE_TEMPLATE_FIELD, text).map_err(project_error)?;
    t.supplied_by(SUPPLIED, "考核项目代码").map_err(project_error)?;
    if !t.is_numeric() {
        return Err(FieldError::new(
            PROJECT_CODE_TEMPLATE_FIELD,
            "PROJECT_CODE_TEMPLATE",
            "考核项目代码只能由数字组成（证书编号按数字引用项目代码），编号规则中的固定部分只能是数字",
        ));
    }
    if t.width() > PROJECT_CODE_MAX_DIGITS {
        return Err(FieldError::new(
            PROJECT_CODE_TEMPLATE_FIELD,
            "PROJECT_CODE_TEMPLATE",
            format!("考核项目代码最多 {PROJECT_CODE_MAX_DIGITS} 位数字，该编号规则为 {} 位", t.width()),
        ));
    }
    Ok(t)
}

/// P4: whether `template` is one [`project_code`] can render (the policy checks a new version with it
/// before publishing).
pub fn check_project_code_template(template: &str) -> Result<(), FieldError> {
    self::template(template).map(|_| ())
}

/// P4: the code of a project established (or adopted) in `year` with the catalog's next `serial`. A
/// serial of 0 or wider than the template's `{serialN}` is refused (`PROJECT_CODE_SERIAL_OVERFLOW`),
/// never truncated.
pub fn project_code(template: &str, serial: u32, year: i32) -> Result<ProjectCode, FieldError> {
    let parts = NumberParts { city2: None, year: Some(year), project: None, serial: serial.into() };
    let text = self::template(template)?.render(&parts).map_err(project_error)?;
    Ok(ProjectCode(text))
}
