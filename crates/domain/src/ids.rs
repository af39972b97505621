//! Identifiers and small values that reach the domain already parsed (parse, don't validate):
//! resident ID numbers (GB 11643-1999) of candidates, assessors and experts (E3–E6, masked in the public
//! query of C2), unified social credit codes (GB 32100-2015) of applicants and development units (S2, P3),
//! GB/T 2260 region codes and the 14 Hunan cities (S2 filing by territory, C1 certificate numbers),
//! phones and names (S2 annex 1 form fields), user names, and money in fen (F1 fees, F3 subsidies).
//! Each type's constructor is its only door and its error names the field.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month, OffsetDateTime};

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

/// Current date in Asia/Shanghai (a fixed UTC+8 offset; China has no daylight saving time).
pub fn today_shanghai() -> Date {
    OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8)).date()
}

// ---------------------------------------------------------------------------------------------
// Resident ID number
// ---------------------------------------------------------------------------------------------

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS: &[u8; 11] = b"10X98765432";
const ID_FIELD: &str = "id_number";

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

// ---------------------------------------------------------------------------------------------
// Unified social credit code
// ---------------------------------------------------------------------------------------------

/// The 31 characters of GB 32100-2015, index = value.
pub const CREDIT_CODE_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const CREDIT_FIELD: &str = "credit_code";

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

/// An 18-character unified social credit code: alphabet and region digits always checked; the check
/// character checked by [`CreditCode::parse`], or reported as a warning by
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

    /// Length, alphabet and region digits; returns the value and its computed check character.
    fn parse_format(s: &str) -> Result<(Self, char), FieldError> {
        let s = s.trim();
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

// ---------------------------------------------------------------------------------------------
// Region code
// ---------------------------------------------------------------------------------------------

/// Hunan province (GB/T 2260).
pub const PROVINCE: (&str, &str) = ("430000", "湖南省");

/// The 14 prefecture-level divisions of Hunan (GB/T 2260).
pub const HUNAN_CITIES: [(&str, &str); 14] = [
    ("430100", "长沙市"),
    ("430200", "株洲市"),
    ("430300", "湘潭市"),
    ("430400", "衡阳市"),
    ("430500", "邵阳市"),
    ("430600", "岳阳市"),
    ("430700", "常德市"),
    ("430800", "张家界市"),
    ("430900", "益阳市"),
    ("431000", "郴州市"),
    ("431100", "永州市"),
    ("431200", "怀化市"),
    ("431300", "娄底市"),
    ("433100", "湘西土家族苗族自治州"),
];

const REGION_FIELD: &str = "region_code";

/// A six-digit GB/T 2260 administrative division code with a valid province prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(REGION_FIELD, "REGION_CODE_FORMAT", "行政区划代码应为 6 位数字"));
        }
        if !is_province_prefix(&s[..2]) {
            return Err(FieldError::new(REGION_FIELD, "REGION_CODE_FORMAT", "行政区划代码前两位不是有效的省级代码"));
        }
        Ok(Self(s.to_owned()))
    }

    /// One of the 14 Hunan cities, nothing else (not the province, not a county).
    pub fn parse_hunan_city(s: &str) -> Result<Self, FieldError> {
        let code = Self::parse(s)?;
        if code.is_hunan_city() {
            Ok(code)
        } else {
            Err(FieldError::new(REGION_FIELD, "REGION_NOT_HUNAN_CITY", "不是湖南省的市州行政区划代码"))
        }
    }

    /// The province code 430000.
    pub fn hunan_province() -> Self {
        Self(PROVINCE.0.to_owned())
    }

    /// The 14 Hunan cities in GB/T 2260 order.
    pub fn hunan_cities() -> Vec<Self> {
        HUNAN_CITIES.iter().map(|(c, _)| Self((*c).to_owned())).collect()
    }

    pub fn is_hunan(&self) -> bool {
        self.0.starts_with("43")
    }

    pub fn is_hunan_province(&self) -> bool {
        self.0 == PROVINCE.0
    }

    pub fn is_hunan_city(&self) -> bool {
        HUNAN_CITIES.iter().any(|(c, _)| *c == self.0)
    }

    /// The Hunan city a city- or county-level code belongs to (first four digits + "00").
    pub fn city(&self) -> Option<RegionCode> {
        let candidate = format!("{}00", &self.0[..4]);
        HUNAN_CITIES.iter().any(|(c, _)| *c == candidate).then_some(Self(candidate))
    }

    pub fn city_name(&self) -> Option<&'static str> {
        self.city().and_then(|c| c.name())
    }

    /// The name of this code when it is the province or one of its cities.
    pub fn name(&self) -> Option<&'static str> {
        if self.is_hunan_province() {
            return Some(PROVINCE.1);
        }
        HUNAN_CITIES.iter().find(|(c, _)| *c == self.0).map(|(_, n)| *n)
    }

    /// Digits 3–4 of the Hunan city ("01".."13", "31"), used in certificate numbers.
    pub fn city_two_digits(&self) -> Option<&str> {
        self.city().map(|_| &self.0[2..4])
    }
}

string_value!(RegionCode);

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
        let normalised: String =
            s.trim().chars().map(|c| if matches!(c, '•' | '．' | '・') { NAME_DOT } else { c }).collect();
        // Latin names: runs of spaces become one space.
        let normalised = normalised.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = normalised.chars().count();
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
