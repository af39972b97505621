//! Identifiers and small values that reach the domain already parsed (parse, don't validate):
//! resident ID numbers (GB 11643-1999) of candidates, assessors and experts (E3–E6, masked in the public
//! query of C2), unified social credit codes (GB 32100-2015) of applicants and development units (S2, P3),
//! GB/T 2260 region codes and the 14 Hunan cities (S2 filing by territory, C1 certificate numbers),
//! phones and names (S2 annex 1 form fields), user names, and money in fen (F1 fees, F3 subsidies).
//! Each type's constructor is its only door and its error names the field.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, OffsetDateTime};

use crate::error::FieldError;

/// Display, `as_str`, `AsRef<str>`, `FromStr` and serde as a plain string for a type with a
/// `String` inner field and a `parse(&str) -> Result<Self, FieldError>` constructor.
macro_rules! string_value {
    ($ty:ident) => {
        impl $ty {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl FromStr for $ty {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                Self::parse(s)
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(|e| serde::de::Error::custom(e.detail))
            }
        }
    };
}

mod credit_code;
mod id_number;
mod region;

pub use credit_code::*;
pub use id_number::*;
pub use region::*;

/// Current date in Asia/Shanghai (a fixed UTC+8 offset; China has no daylight saving time).
pub fn today_shanghai() -> Date {
    shanghai_date(OffsetDateTime::now_utc())
}

/// The date of a moment in Asia/Shanghai (a decision day, the day a draw was committed).
pub fn shanghai_date(t: OffsetDateTime) -> Date {
    t.to_offset(time::macros::offset!(+8)).date()
}

// ---------------------------------------------------------------------------------------------
// Phone
// ---------------------------------------------------------------------------------------------

/// A mainland mobile number (`1[3-9]` + 9 digits) or a landline with area code and optional
/// extension (`0731-84567890`, `073184567890`, `010-12345678-123`). Spaces are removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

fn all_digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// `0` + 2–3 digit area code, whose first digit is not 0.
fn is_area_code(s: &str) -> bool {
    s.starts_with('0') && !s[1..].starts_with('0') && all_digits(s, 3, 4)
}

/// Area code immediately followed by a 7–8 digit number: `0` + 9–11 digits.
fn is_landline_without_dash(s: &str) -> bool {
    s.starts_with('0') && !s[1..].starts_with('0') && all_digits(s, 10, 12)
}

fn is_phone(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && all_digits(s, 11, 11) {
        return true;
    }
    let parts: Vec<&str> = s.split('-').collect();
    let ext = |p: &str| all_digits(p, 1, 6);
    match parts.as_slice() {
        [whole] => is_landline_without_dash(whole),
        [a, b] if a.len() <= 4 => is_area_code(a) && all_digits(b, 7, 8),
        [whole, e] => is_landline_without_dash(whole) && ext(e),
        [a, n, e] => is_area_code(a) && all_digits(n, 7, 8) && ext(e),
        _ => false,
    }
}

impl Phone {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(FieldError::new("phone", "PHONE_FORMAT", "请填写电话"));
        }
        if is_phone(&compact) {
            Ok(Self(compact))
        } else {
            Err(FieldError::new("phone", "PHONE_FORMAT", "请填写 11 位手机号或带区号的固定电话，如 0731-84567890"))
        }
    }

    pub fn is_mobile(&self) -> bool {
        self.0.starts_with('1')
    }
}

string_value!(Phone);

// ---------------------------------------------------------------------------------------------
// Person name
// ---------------------------------------------------------------------------------------------

const NAME_DOT: char = '·';

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'      // CJK Unified Ideographs
        | '\u{3400}'..='\u{4DBF}'    // Extension A
        | '\u{20000}'..='\u{2EBEF}'  // Extensions B–F, I (rare characters in names)
        | '\u{30000}'..='\u{323AF}') // Extensions G–H
}

/// A person's name: 2–30 characters, either Chinese characters with `·` between parts of a minority
/// name (`•`, `．` and `・` are read as `·`), or Latin letters separated by single spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        crate::text::single_line("name", "姓名", s)?;
        let normalised: String =
            s.trim().chars().map(|c| if matches!(c, '•' | '．' | '・') { NAME_DOT } else { c }).collect();
        // Latin names: runs of spaces become one space.
        let normalised = normalised.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = normalised.chars().count();
        if len == 0 {
            return Err(FieldError::new("name", "NAME_LENGTH", "请填写姓名"));
        }
        if !(2..=30).contains(&len) {
            return Err(FieldError::new("name", "NAME_LENGTH", "姓名应为 2 至 30 个字符"));
        }
        let chinese = normalised.chars().all(|c| is_cjk(c) || c == NAME_DOT)
            && !normalised.starts_with(NAME_DOT)
            && !normalised.ends_with(NAME_DOT)
            && !normalised.contains("··");
        let latin = normalised.chars().all(|c| c.is_ascii_alphabetic() || c == ' ');
        if chinese || latin {
            Ok(Self(normalised))
        } else {
            Err(FieldError::new("name", "NAME_FORMAT", "姓名只能由汉字（少数民族姓名可用“·”分隔）或英文字母组成"))
        }
    }
}

string_value!(PersonName);

// ---------------------------------------------------------------------------------------------
// Username
// ---------------------------------------------------------------------------------------------

/// A login name: 3–32 ASCII letters, digits, `_`, `.` or `-`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let len = s.chars().count();
        if len == 0 {
            return Err(FieldError::new("username", "USERNAME_LENGTH", "请填写用户名"));
        }
        if !(3..=32).contains(&len) {
            return Err(FieldError::new("username", "USERNAME_LENGTH", "用户名应为 3 至 32 个字符"));
        }
        let starts_with_letter = s.starts_with(|c: char| c.is_ascii_alphabetic());
        let allowed = s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if starts_with_letter && allowed {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new(
                "username",
                "USERNAME_FORMAT",
                "用户名只能由英文字母、数字、下划线、点和连字符组成，且以字母开头",
            ))
        }
    }
}

string_value!(Username);

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

/// An amount of money in fen (1 元 = 100 分). Serialized as the yuan string `"150.00"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_fen(fen: i64) -> Self {
        Self(fen)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// A non-negative amount in yuan with at most two decimals: `150`, `150.5`, `150.00`.
    pub fn parse_yuan(s: &str) -> Result<Self, FieldError> {
        parse_yuan_digits(s.trim()).map(Self).ok_or_else(|| {
            FieldError::new("amount", "MONEY_FORMAT", "金额应为不小于 0 的数字，最多两位小数，如 150 或 150.50")
        })
    }

    /// `"150.00 元"`.
    pub fn yuan_text(self) -> String {
        format!("{self} 元")
    }

    /// This amount `n` times (a per-person fee for `n` people); `None` on overflow.
    pub fn checked_times(self, n: i64) -> Option<Money> {
        self.0.checked_mul(n).map(Money)
    }
}

fn parse_yuan_digits(s: &str) -> Option<i64> {
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let whole_ok = !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit());
    let frac_ok = (!s.contains('.') || !frac.is_empty()) && frac.len() <= 2 && frac.bytes().all(|b| b.is_ascii_digit());
    if !whole_ok || !frac_ok {
        return None;
    }
    let yuan: i64 = whole.parse().ok()?;
    let mut fen: i64 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    if frac.len() == 1 {
        fen *= 10;
    }
    yuan.checked_mul(100)?.checked_add(fen)
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl FromStr for Money {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        Self::parse_yuan(s)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let (negative, digits) = match s.trim().strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.trim()),
        };
        let fen = parse_yuan_digits(digits).ok_or_else(|| serde::de::Error::custom("金额格式错误"))?;
        Ok(Money(if negative { -fen } else { fen }))
    }
}
