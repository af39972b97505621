//! S5: the institution code of a filed station, rendered from the policy template
//! (`number.institution_code_template`, default `HN{city2}{serial4}`) by [`crate::numbering`]. A station's
//! code takes its city (`{city2}`), the year of the filing decision (`{yyyy}`, `{yy}`) and the per-city
//! serial (`{serialN}`); it has no project, so `{projectN}` is refused when the template is published.
//! Errors keep the codes this clause has always answered with (`INSTITUTION_CODE_…`).

use crate::error::FieldError;
use crate::numbering::{self, NumberParts, NumberTemplate, Part};

/// The field a template error is reported against.
pub const INSTITUTION_CODE_TEMPLATE_FIELD: &str = "institution_code_template";

/// What a filing decision supplies to the institution code.
const SUPPLIED: &[Part] = &[Part::City, Part::Year, Part::Serial];

/// The template as the institution code uses it: parsed, and only with placeholders a decision fills.
fn template(text: &str) -> Result<NumberTemplate, FieldError> {
    let t = NumberTemplate::parse(INSTITUTION_CODE_TEMPLATE_FIELD, text).map_err(institution_error)?;
    t.supplied_by(SUPPLIED, "考核站机构编码").map_err(institution_error)?;
    Ok(t)
}

/// The numbering error under this clause's stable code.
fn institution_error(mut e: FieldError) -> FieldError {
    e.code = match e.code {
        numbering::TEMPLATE_INVALID => "INSTITUTION_CODE_TEMPLATE",
        numbering::PLACEHOLDER_UNKNOWN | numbering::PLACEHOLDER_NOT_SUPPLIED | numbering::PROJECT_INVALID => {
            "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"
        }
        numbering::YEAR_INVALID => "INSTITUTION_CODE_YEAR_REQUIRED",
        numbering::SERIAL_OVERFLOW => "INSTITUTION_CODE_SERIAL_OVERFLOW",
        numbering::CITY_INVALID => "INSTITUTION_CODE_CITY",
        other => other,
    };
    e
}

/// S5: whether `template` is one [`institution_code_for_year`] can render (the policy checks a new
/// version with it before publishing).
pub fn check_institution_code_template(template: &str) -> Result<(), FieldError> {
    self::template(template).map(|_| ())
}

/// S5: the institution code of a station in the Hunan city `city_two_digits` ("01"…"13", "31"), filed in
/// `year` with the per-city `serial`. A serial of 0 or one wider than the template's `{serialN}` is
/// refused (`INSTITUTION_CODE_SERIAL_OVERFLOW`), never truncated.
pub fn institution_code_for_year(
    template: &str,
    city_two_digits: &str,
    serial: u32,
    year: i32,
) -> Result<String, FieldError> {
    let parts = NumberParts { city2: Some(city_two_digits), year: Some(year), project: None, serial: serial.into() };
    self::template(template)?.render(&parts).map_err(institution_error)
}
