//! Resident ID numbers (GB 11643-1999): format, birth date, check character, and whether the address
//! code is a GB/T 2260 county at all (an unknown one is a warning for staff, never a refusal: old codes
//! stay valid for life).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use super::region::division;
use super::today_shanghai;
use crate::error::FieldError;

/// Province-level codes (first two digits of GB/T 2260 and of an ID number's address code).
const PROVINCE_PREFIXES: [&str; 35] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83",
];
/// Accepted as the first two digits of an ID number in addition to the province codes.
const ID_EXTRA_PREFIXES: [&str; 1] = ["91"];

fn is_province_prefix(p: &str) -> bool {
    PROVINCE_PREFIXES.contains(&p)
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS: &[u8; 11] = b"10X98765432";
const ID_FIELD: &str = "id_number";

/// What staff read beside an ID number whose address code is not in the table ([`IdNumber::unknown_county`]).
pub const ID_UNKNOWN_COUNTY_WARNING: &str = "身份证号码的地址码未在行政区划代码表中（可能为已撤销的旧代码），请核对。";

/// The GB 11643-1999 check character of the first 17 characters; `None` unless they are 17 digits.
pub fn id_number_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(ID_WEIGHTS).map(|(c, w)| u32::from(c - b'0') * w).sum();
    ID_CHECK_CHARS.get((sum % 11) as usize).map(|c| char::from(*c))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// An 18-character resident ID number with a real, past birth date and a correct check character.
/// `Debug` prints only the masked form: ID numbers are sensitive personal information (PIPL).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber(String);

impl IdNumber {
    /// Parse against today's date in Asia/Shanghai.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::parse_on(s, today_shanghai())
    }

    /// Parse against a given "today" (birth dates after it are refused).
    pub fn parse_on(s: &str, today: Date) -> Result<Self, FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(FieldError::new(ID_FIELD, "ID_NUMBER_LENGTH", "请填写身份证号码"));
        }
        if s.chars().count() != 18 {
            return Err(FieldError::new(ID_FIELD, "ID_NUMBER_LENGTH", "身份证号码应为 18 位"));
        }
        let upper = s.to_ascii_uppercase();
        let b = upper.as_bytes();
        let body_ok = b[..17].iter().all(u8::is_ascii_digit);
        let last_ok = b[17].is_ascii_digit() || b[17] == b'X';
        if !body_ok || !last_ok {
            return Err(FieldError::new(ID_FIELD, "ID_NUMBER_FORMAT", "身份证号码应为 17 位数字加 1 位数字或 X"));
        }
        let prefix = &upper[..2];
        if !is_province_prefix(prefix) && !ID_EXTRA_PREFIXES.contains(&prefix) {
            return Err(FieldError::new(ID_FIELD, "ID_NUMBER_FORMAT", "身份证号码前两位不是有效的省级行政区划代码"));
        }
        let birth = birth_date_of(&upper)
            .ok_or_else(|| FieldError::new(ID_FIELD, "ID_NUMBER_BIRTH_DATE", "身份证号码中的出生日期无效"))?;
        if birth > today {
            return Err(FieldError::new(ID_FIELD, "ID_NUMBER_BIRTH_DATE", "身份证号码中的出生日期晚于今天"));
        }
        let expected = id_number_check_char(&upper[..17]).unwrap_or('?');
        if char::from(b[17]) != expected {
            return Err(FieldError::new(ID_FIELD, "ID_NUMBER_CHECK", format!("身份证号码校验码错误，应为 {expected}")));
        }
        Ok(Self(upper))
    }

    pub fn birth_date(&self) -> Date {
        // The constructor proved the date real; the fallback is unreachable.
        birth_date_of(&self.0).unwrap_or(Date::MIN)
    }

    /// The 17th character (sequence code) is odd for men and even for women.
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 { Gender::Male } else { Gender::Female }
    }

    /// The six-digit address code (may be a retired county code, which is still valid on an ID).
    pub fn address_code(&self) -> &str {
        &self.0[..6]
    }

    /// The address code is in no GB/T 2260 table, current or historic: accepted (an ID number is valid
    /// for life and the table may lack an old county), but staff should look at it
    /// ([`ID_UNKNOWN_COUNTY_WARNING`]). Numbers with an extra prefix (`91`) carry no county code.
    pub fn unknown_county(&self) -> bool {
        let prefix = &self.0[..2];
        !ID_EXTRA_PREFIXES.contains(&prefix) && division(self.address_code()).is_none()
    }

    /// First 3 characters, 11 `*`, last 4: `430***********123X`.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[..3], "*".repeat(11), &self.0[14..])
    }
}

/// `YYYYMMDD` at positions 7–14, from 1900-01-01.
fn birth_date_of(id: &str) -> Option<Date> {
    let year: i32 = id.get(6..10)?.parse().ok()?;
    let month: u8 = id.get(10..12)?.parse().ok()?;
    let day: u8 = id.get(12..14)?.parse().ok()?;
    if year < 1900 {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdNumber").field(&self.masked()).finish()
    }
}

string_value!(IdNumber);
