//! Unified social credit codes (GB 32100-2015): the alphabet and check character, the registration
//! authority and organisation type of positions 1–2 (the standard's table), and the registering
//! authority's GB/T 2260 region in positions 3–8.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::region::division;
use crate::error::FieldError;

/// The 31 characters of GB 32100-2015, index = value.
pub const CREDIT_CODE_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const CREDIT_FIELD: &str = "credit_code";

/// GB 32100-2015 table of registration authorities (position 1) and, under each, the organisation
/// types (position 2) assigned to it.
pub const CREDIT_CODE_AUTHORITIES: [(char, &str, &str); 12] = [
    ('1', "机构编制", "1239"),
    ('2', "外交", "19"),
    ('3', "司法行政", "123459"),
    ('4', "文化", "19"),
    ('5', "民政", "1239"),
    ('6', "旅游", "129"),
    ('7', "宗教", "129"),
    ('8', "工会", "19"),
    ('9', "工商", "123"),
    ('A', "中央军委改革和编制办公室", "19"),
    ('N', "农业", "1239"),
    ('Y', "其他", "1"),
];

/// Positions 3–8 of codes given by a national registration authority (not a GB/T 2260 division).
const NATIONAL_REGION: &str = "100000";

fn credit_value(c: u8) -> Option<u32> {
    CREDIT_CODE_ALPHABET.bytes().position(|a| a == c).map(|p| p as u32)
}

/// The GB 32100-2015 check character of the first 17 characters; `None` unless they are 17
/// characters of the alphabet.
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.bytes().zip(CREDIT_WEIGHTS) {
        sum += credit_value(c)? * w;
    }
    let idx = ((31 - sum % 31) % 31) as usize;
    CREDIT_CODE_ALPHABET.as_bytes().get(idx).map(|b| char::from(*b))
}

/// An 18-character unified social credit code: alphabet, registration authority and type, and region
/// always checked; the check character checked by [`CreditCode::parse`], or reported as a warning by
/// [`CreditCode::parse_with_warning`] for early pilot-region codes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

impl CreditCode {
    /// Strict: a wrong check character is refused (`CREDIT_CODE_CHECK`).
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let (code, expected) = Self::parse_format(s)?;
        match check_error(&code, expected) {
            None => Ok(code),
            Some(e) => Err(e),
        }
    }

    /// Accept a well-formed code whose check character is wrong, returning a
    /// `CREDIT_CODE_CHECK_WARNING` for the province center to confirm.
    pub fn parse_with_warning(s: &str) -> Result<(Self, Option<FieldError>), FieldError> {
        let (code, expected) = Self::parse_format(s)?;
        let warning = check_error(&code, expected).map(|_| {
            FieldError::new(
                CREDIT_FIELD,
                "CREDIT_CODE_CHECK_WARNING",
                format!("统一社会信用代码校验码与计算值 {expected} 不符，按早期试点代码接受，请核实"),
            )
        });
        Ok((code, warning))
    }

    /// Length, alphabet, authority and type, region; returns the value and its computed check character.
    fn parse_format(s: &str) -> Result<(Self, char), FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(FieldError::new(CREDIT_FIELD, "CREDIT_CODE_LENGTH", "请填写统一社会信用代码"));
        }
        if s.chars().count() != 18 {
            return Err(FieldError::new(CREDIT_FIELD, "CREDIT_CODE_LENGTH", "统一社会信用代码应为 18 位"));
        }
        let upper = s.to_ascii_uppercase();
        let b = upper.as_bytes();
        let in_alphabet = b.iter().all(|c| credit_value(*c).is_some());
        let region_digits = b[2..8].iter().all(u8::is_ascii_digit);
        let expected = match upper.get(..17).and_then(credit_code_check_char) {
            Some(c) if in_alphabet && region_digits => c,
            _ => {
                return Err(FieldError::new(
                    CREDIT_FIELD,
                    "CREDIT_CODE_FORMAT",
                    "统一社会信用代码只能由数字和大写字母（不含 I、O、Z、S、V）组成，第 3–8 位为行政区划代码",
                ));
            }
        };
        let (authority, kind) = (char::from(b[0]), char::from(b[1]));
        let Some((_, authority_name, kinds)) = CREDIT_CODE_AUTHORITIES.iter().find(|(a, _, _)| *a == authority) else {
            return Err(FieldError::new(
                CREDIT_FIELD,
                "CREDIT_CODE_AUTHORITY",
                format!("统一社会信用代码第 1 位（登记管理部门代码）“{authority}”不是 GB 32100 规定的代码"),
            ));
        };
        if !kinds.contains(kind) {
            return Err(FieldError::new(
                CREDIT_FIELD,
                "CREDIT_CODE_TYPE",
                format!(
                    "统一社会信用代码第 2 位（机构类别代码）“{kind}”不是登记管理部门“{authority_name}”下的机构类别"
                ),
            ));
        }
        let region = &upper[2..8];
        if region != NATIONAL_REGION && division(region).is_none() {
            return Err(FieldError::new(
                CREDIT_FIELD,
                "CREDIT_CODE_REGION",
                format!("统一社会信用代码第 3–8 位（登记管理机关行政区划码）{region} 不在 GB/T 2260 行政区划代码表中"),
            ));
        }
        Ok((Self(upper), expected))
    }

    /// Positions 3–8: the registering authority's region code.
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }

    /// Whether the check character is right (false only for codes accepted with a warning).
    pub fn has_valid_check(&self) -> bool {
        credit_code_check_char(&self.0[..17]).is_some_and(|c| self.0.ends_with(c))
    }
}

fn check_error(code: &CreditCode, expected: char) -> Option<FieldError> {
    if code.0.ends_with(expected) {
        None
    } else {
        Some(FieldError::new(CREDIT_FIELD, "CREDIT_CODE_CHECK", format!("统一社会信用代码校验码错误，应为 {expected}")))
    }
}

string_value!(CreditCode);
