//! Number templates (编号规则): the policy's rule for numbers that must never repeat — the institution
//! code of a filed station (S5, `number.institution_code_template`, default `HN{city2}{serial4}`), the
//! certificate number (C1, `number.certificate_number_template`, default `43{city2}{yy}{project4}{serial6}`
//! after docs/FACTS.md "Numbering") and, later, the admission-ticket number (E3).
//!
//! A template is letters, digits, `-` and `_` with placeholders in braces:
//!
//! | placeholder | renders | supplied as |
//! |---|---|---|
//! | `{city2}` | the two digits of the Hunan city ("01"…"13", "31") | [`NumberParts::city2`] |
//! | `{yyyy}` | the four-digit year | [`NumberParts::year`] |
//! | `{yy}` | the year's last two digits | [`NumberParts::year`] |
//! | `{projectN}` | the project code, zero-padded to N digits (N = 1–9) | [`NumberParts::project`] |
//! | `{serialN}` | the serial, zero-padded to N digits (N = 1–9), exactly one per template | [`NumberParts::serial`] |
//!
//! [`NumberTemplate::parse`] refuses anything else (unknown placeholders, bad widths, no serial or two,
//! unmatched braces, spaces and other characters) with a Chinese [`FieldError`] naming the field;
//! [`NumberTemplate::supplied_by`] refuses placeholders a kind of number cannot fill (an institution code
//! has no project); [`NumberTemplate::render`] refuses a value that does not fit its width — a number is
//! never truncated. The serial itself comes from the store's gap-free counter.

use std::fmt;

use crate::error::FieldError;
use crate::ids::HUNAN_CITIES;

/// `NUMBER_TEMPLATE_INVALID`: unmatched braces, a character other than letters, digits, `-` and `_`, or
/// not exactly one serial.
pub const TEMPLATE_INVALID: &str = "NUMBER_TEMPLATE_INVALID";
/// `NUMBER_PLACEHOLDER_UNKNOWN`: a placeholder that is not in the table, or a width outside 1–9.
pub const PLACEHOLDER_UNKNOWN: &str = "NUMBER_PLACEHOLDER_UNKNOWN";
/// `NUMBER_PLACEHOLDER_NOT_SUPPLIED`: a placeholder this kind of number cannot fill.
pub const PLACEHOLDER_NOT_SUPPLIED: &str = "NUMBER_PLACEHOLDER_NOT_SUPPLIED";
/// `NUMBER_CITY_INVALID`: no city for `{city2}`, or not the two digits of a Hunan city.
pub const CITY_INVALID: &str = "NUMBER_CITY_INVALID";
/// `NUMBER_YEAR_INVALID`: no year for `{yyyy}` or `{yy}`, or not a four-digit year.
pub const YEAR_INVALID: &str = "NUMBER_YEAR_INVALID";
/// `NUMBER_PROJECT_INVALID`: no project code for `{projectN}`, or wider than N digits.
pub const PROJECT_INVALID: &str = "NUMBER_PROJECT_INVALID";
/// `NUMBER_SERIAL_OVERFLOW`: a serial of 0 or wider than its N digits.
pub const SERIAL_OVERFLOW: &str = "NUMBER_SERIAL_OVERFLOW";

/// The widest `{projectN}` and `{serialN}`.
pub const MAX_WIDTH: u32 = 9;

/// What a placeholder takes from the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    City,
    Year,
    Project,
    Serial,
}

impl Part {
    /// The placeholders that take this part, as written in a template.
    fn placeholders(self) -> &'static str {
        match self {
            Part::City => "{city2}",
            Part::Year => "{yyyy}、{yy}",
            Part::Project => "{projectN}",
            Part::Serial => "{serialN}",
        }
    }
}

/// One placeholder of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// `{city2}`.
    City2,
    /// `{yyyy}`.
    Year4,
    /// `{yy}`.
    Year2,
    /// `{projectN}`, N digits.
    Project(u32),
    /// `{serialN}`, N digits.
    Serial(u32),
}

impl Placeholder {
    fn parse(name: &str) -> Option<Placeholder> {
        let width = |rest: &str| match rest.as_bytes() {
            [d @ b'1'..=b'9'] => Some(u32::from(d - b'0')),
            _ => None,
        };
        match name {
            "city2" => Some(Placeholder::City2),
            "yyyy" => Some(Placeholder::Year4),
            "yy" => Some(Placeholder::Year2),
            _ => {
                if let Some(rest) = name.strip_prefix("project") {
                    width(rest).map(Placeholder::Project)
                } else {
                    width(name.strip_prefix("serial")?).map(Placeholder::Serial)
                }
            }
        }
    }

    pub fn part(self) -> Part {
        match self {
            Placeholder::City2 => Part::City,
            Placeholder::Year4 | Placeholder::Year2 => Part::Year,
            Placeholder::Project(_) => Part::Project,
            Placeholder::Serial(_) => Part::Serial,
        }
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Placeholder::City2 => f.write_str("{city2}"),
            Placeholder::Year4 => f.write_str("{yyyy}"),
            Placeholder::Year2 => f.write_str("{yy}"),
            Placeholder::Project(n) => write!(f, "{{project{n}}}"),
            Placeholder::Serial(n) => write!(f, "{{serial{n}}}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Placeholder(Placeholder),
}

/// A parsed number template: renders every number of its kind ([`NumberTemplate::render`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberTemplate {
    field: &'static str,
    text: String,
    pieces: Vec<Piece>,
}

/// What a number is made of; a template uses some of it. Only the parts its placeholders use are
/// needed, but a city given is always checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberParts<'a> {
    /// The two digits of a Hunan city, "01"…"13" or "31" (`RegionCode::city_two_digits`).
    pub city2: Option<&'a str>,
    /// A four-digit year (of the decision, the issue, the exam).
    pub year: Option<i32>,
    /// The project's code in the catalog.
    pub project: Option<u32>,
    /// The serial from the store's counter, from 1.
    pub serial: u64,
}

const PLACEHOLDER_LIST: &str = "{city2}、{yyyy}、{yy}、{projectN} 和 {serialN}（N 为 1–9 位）";

impl NumberTemplate {
    /// Parse `text` (surrounding spaces ignored); errors are reported against `field`.
    pub fn parse(field: &'static str, text: &str) -> Result<NumberTemplate, FieldError> {
        Self::parse_with(field, text, false)
    }

    /// Like [`NumberTemplate::parse`], with Chinese characters allowed in the literal text: numbers
    /// read by people only, never printed on a certificate or keyed into another system (the filing
    /// reference `备{yyyy}-{serial4}`, issue 9 item 16).
    pub fn parse_with_hanzi(field: &'static str, text: &str) -> Result<NumberTemplate, FieldError> {
        Self::parse_with(field, text, true)
    }

    fn parse_with(field: &'static str, text: &str, hanzi: bool) -> Result<NumberTemplate, FieldError> {
        let invalid = |detail: String| FieldError::new(field, TEMPLATE_INVALID, detail);
        let text = text.trim();
        let mut pieces: Vec<Piece> = Vec::new();
        let mut chars = text.chars();
        let mut serials = 0;
        while let Some(c) = chars.next() {
            match c {
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some('{') | None => return Err(invalid("编号规则的花括号不匹配".into())),
                            Some(ch) => name.push(ch),
                        }
                    }
                    let Some(placeholder) = Placeholder::parse(&name) else {
                        return Err(FieldError::new(
                            field,
                            PLACEHOLDER_UNKNOWN,
                            format!("编号规则中的占位符 {{{name}}} 无法识别，只能使用 {PLACEHOLDER_LIST}"),
                        ));
                    };
                    serials += usize::from(placeholder.part() == Part::Serial);
                    pieces.push(Piece::Placeholder(placeholder));
                }
                '}' => return Err(invalid("编号规则的花括号不匹配".into())),
                c if c.is_ascii_alphanumeric() || c == '-' || c == '_' || (hanzi && is_hanzi(c)) => {
                    match pieces.last_mut() {
                        Some(Piece::Literal(s)) => s.push(c),
                        _ => pieces.push(Piece::Literal(c.to_string())),
                    }
                }
                other => return Err(invalid(format!("编号规则只能包含字母、数字、“-”和“_”，不能包含“{other}”"))),
            }
        }
        if serials != 1 {
            return Err(invalid("编号规则须包含且只包含一个流水号占位符，如 {serial4}".into()));
        }
        Ok(NumberTemplate { field, text: text.to_owned(), pieces })
    }

    /// The template as published (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The placeholders, in template order.
    pub fn placeholders(&self) -> impl Iterator<Item = Placeholder> + '_ {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Placeholder(x) => Some(*x),
            Piece::Literal(_) => None,
        })
    }

    /// Whether every number it renders is digits only: its literal text is digits (a project code,
    /// which the certificate number's `{projectN}` takes as a number).
    pub fn is_numeric(&self) -> bool {
        self.pieces.iter().all(|p| match p {
            Piece::Literal(s) => s.bytes().all(|b| b.is_ascii_digit()),
            Piece::Placeholder(_) => true,
        })
    }

    /// The number of characters every number it renders has: the literal text plus each placeholder's
    /// width (`{city2}` 2, `{yyyy}` 4, `{yy}` 2, `{projectN}` and `{serialN}` N).
    pub fn width(&self) -> usize {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Literal(s) => s.chars().count(),
                Piece::Placeholder(Placeholder::City2 | Placeholder::Year2) => 2,
                Piece::Placeholder(Placeholder::Year4) => 4,
                Piece::Placeholder(Placeholder::Project(n) | Placeholder::Serial(n)) => *n as usize,
            })
            .sum()
    }

    /// Whether every placeholder takes one of the `supplied` parts — what the step that numbers `what`
    /// (e.g. "考核站机构编码") can fill. Checked before a template is published, so no later step fails.
    pub fn supplied_by(&self, supplied: &[Part], what: &str) -> Result<(), FieldError> {
        match self.placeholders().find(|p| !supplied.contains(&p.part())) {
            None => Ok(()),
            Some(p) => {
                let mut parts = supplied.to_vec();
                parts.sort_unstable();
                let usable: Vec<&str> = parts.iter().map(|p| p.placeholders()).collect();
                Err(FieldError::new(
                    self.field,
                    PLACEHOLDER_NOT_SUPPLIED,
                    format!("{what}的编号规则不能使用占位符 {p}，只能使用 {}", usable.join("、")),
                ))
            }
        }
    }

    /// The number for `parts`. Errors: `region_code` ([`CITY_INVALID`]), the template's field
    /// ([`YEAR_INVALID`]), `project_code` ([`PROJECT_INVALID`]), `serial` ([`SERIAL_OVERFLOW`]).
    pub fn render(&self, parts: &NumberParts<'_>) -> Result<String, FieldError> {
        if let Some(city2) = parts.city2 {
            check_city(city2)?;
        }
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(s) => out.push_str(s),
                Piece::Placeholder(Placeholder::City2) => {
                    let Some(city2) = parts.city2 else {
                        return Err(FieldError::new("region_code", CITY_INVALID, "编号规则含 {city2}，须提供市州代码"));
                    };
                    out.push_str(city2);
                }
                Piece::Placeholder(p @ (Placeholder::Year4 | Placeholder::Year2)) => {
                    let year = parts.year.filter(|y| (1000..=9999).contains(y)).ok_or_else(|| {
                        FieldError::new(self.field, YEAR_INVALID, format!("编号规则含 {p}，须提供四位年份"))
                    })?;
                    if *p == Placeholder::Year4 {
                        out.push_str(&year.to_string());
                    } else {
                        out.push_str(&format!("{:02}", year % 100));
                    }
                }
                Piece::Placeholder(Placeholder::Project(width)) => {
                    let max = 10u64.pow(*width) - 1;
                    let code = parts.project.ok_or_else(|| {
                        FieldError::new("project_code", PROJECT_INVALID, "编号规则含考核项目代码，须提供项目代码")
                    })?;
                    if u64::from(code) > max {
                        return Err(FieldError::new(
                            "project_code",
                            PROJECT_INVALID,
                            format!("考核项目代码 {code} 超出编号规则的 {width} 位"),
                        ));
                    }
                    out.push_str(&format!("{code:0width$}", width = *width as usize));
                }
                Piece::Placeholder(Placeholder::Serial(width)) => {
                    let max = 10u64.pow(*width) - 1;
                    let serial = parts.serial;
                    if serial == 0 || serial > max {
                        return Err(FieldError::new(
                            "serial",
                            SERIAL_OVERFLOW,
                            format!("流水号 {serial} 超出编号规则的 {width} 位范围（1–{max}）"),
                        ));
                    }
                    out.push_str(&format!("{serial:0width$}", width = *width as usize));
                }
            }
        }
        Ok(out)
    }
}

impl fmt::Display for NumberTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A CJK unified ideograph (the common block).
fn is_hanzi(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The default template of a filing's reference number (issue 9 item 16): `备2026-0001`.
pub const FILING_REFERENCE_DEFAULT: &str = "备{yyyy}-{serial4}";

/// The reference number of a station filing (issue 9 item 16), given at its first submission: the
/// policy's template (`number.filing_reference_template`, Chinese allowed, only `{yyyy}`, `{yy}` and
/// `{serialN}`) with the year's next gap-free serial.
pub fn filing_reference(template: &str, year: i32, serial: u32) -> Result<String, FieldError> {
    let t = check_filing_reference_template("value", template)?;
    t.render(&NumberParts { city2: None, year: Some(year), project: None, serial: serial.into() })
}

/// A filing reference template that renders: parsed with Chinese allowed, year and serial only.
pub fn check_filing_reference_template(field: &'static str, template: &str) -> Result<NumberTemplate, FieldError> {
    let t = NumberTemplate::parse_with_hanzi(field, template)?;
    t.supplied_by(&[Part::Year, Part::Serial], "备案申请编号")?;
    Ok(t)
}

fn check_city(city2: &str) -> Result<(), FieldError> {
    let known = city2.len() == 2 && HUNAN_CITIES.iter().any(|(code, _)| code.get(2..4) == Some(city2));
    if known {
        Ok(())
    } else {
        Err(FieldError::new(
            "region_code",
            CITY_INVALID,
            format!("“{city2}”不是湖南省市州代码的两位数字（如长沙市为 01）"),
        ))
    }
}
