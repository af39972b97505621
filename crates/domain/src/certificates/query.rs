//! C2: "省鉴定中心……提供证书信息网上查询服务". The public asks with the certificate number **and** the
//! holder's name, both required; there is no listing and no partial match. A wrong name and an unknown
//! number get the same answer ([`NOT_FOUND`]), so the query cannot be used to learn which numbers exist
//! or whose they are. The answer shows the holder's name, the masked ID number, project, station, issue
//! date and status (有效 / 已注销) — never the full ID number.

use serde::{Deserialize, Serialize};

use crate::enums::string_enum;
use crate::error::{FieldError, FieldErrors};

string_enum! {
    /// How a public query ended (the query log keeps only this, the channel and the time).
    QueryOutcome {
        Found = "found" => "查询到证书",
        NotFound = "not_found" => "未查询到",
        Invalid = "invalid" => "填写有误",
        Limited = "limited" => "请求过于频繁被拒绝",
    }
}

string_enum! {
    /// Where a public query came from.
    QueryChannel {
        Page = "page" => "网页",
        Api = "api" => "API",
    }
}

/// The one answer for "no such number", "wrong name" and "not yet reported".
pub const NOT_FOUND: &str = "未查询到与该证书编号和姓名相符的证书，请核对证书编号和姓名后重试";

/// The longest certificate number the query accepts.
pub const NUMBER_MAX: usize = 32;

/// The query as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CertificateQueryInput {
    pub number: String,
    pub name: String,
}

/// A query that passed its checks: the number without spaces, upper case; the name as names are
/// stored ([`crate::ids::PersonName`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateQuery {
    pub number: String,
    pub name: String,
}

impl CertificateQuery {
    /// Both fields required, every error at once.
    pub fn parse(input: &CertificateQueryInput) -> Result<CertificateQuery, FieldErrors> {
        let mut errs = FieldErrors::new();
        let number: String = input.number.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        let number = errs.take(if number.is_empty() {
            Err(FieldError::new("number", "REQUIRED", "请填写证书编号"))
        } else if number.len() > NUMBER_MAX || !number.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            Err(FieldError::new("number", "NUMBER_FORMAT", "证书编号应由数字和字母组成，请按证书上印制的编号填写"))
        } else {
            Ok(number)
        });
        let name = errs.take(if input.name.trim().is_empty() {
            Err(FieldError::new("name", "REQUIRED", "请填写持证人姓名"))
        } else {
            crate::ids::PersonName::parse(&input.name).map(|n| n.as_str().to_owned())
        });
        errs.into_result()?;
        match (number, name) {
            (Some(number), Some(name)) => Ok(CertificateQuery { number, name }),
            _ => Err(FieldErrors::new()),
        }
    }

    /// Whether a stored certificate answers this query: the number and the name both equal, compared
    /// without an early exit so the time taken does not tell which of the two differed.
    pub fn matches(&self, number: &str, holder_name: &str) -> bool {
        let a = constant_time_eq(self.number.as_bytes(), number.as_bytes());
        let b = constant_time_eq(self.name.as_bytes(), holder_name.as_bytes());
        a & b
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (x, y) in a.iter().zip(b) {
        diff |= usize::from(x ^ y);
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(number: &str, name: &str) -> Result<CertificateQuery, FieldErrors> {
        CertificateQuery::parse(&CertificateQueryInput { number: number.into(), name: name.into() })
    }

    #[test]
    fn c2_both_number_and_name_are_required() {
        let e = q("", "").unwrap_err();
        assert_eq!(e.get("number").unwrap().code, "REQUIRED");
        assert_eq!(e.get("name").unwrap().code, "REQUIRED");
        assert_eq!(q("4301260001000001", " ").unwrap_err().get("name").unwrap().code, "REQUIRED");
        assert_eq!(q(" ", "张三").unwrap_err().get("number").unwrap().code, "REQUIRED");
    }

    #[test]
    fn c2_no_wildcards_or_partial_numbers_get_through() {
        for bad in ["4301%", "43012600_1", "*", "4301260001000001' OR 1=1", &"1".repeat(33)] {
            assert_eq!(q(bad, "张三").unwrap_err().get("number").unwrap().code, "NUMBER_FORMAT", "{bad}");
        }
        assert!(q("张三", "4301").is_err());
    }

    #[test]
    fn c2_the_number_is_read_as_printed_and_matched_whole() {
        let query = q(" 4301 2600 0100 0001 ", "张三").unwrap();
        assert_eq!(query.number, "4301260001000001");
        assert!(query.matches("4301260001000001", "张三"));
        assert!(!query.matches("4301260001000001", "张四"), "wrong name");
        assert!(!query.matches("4301260001000002", "张三"), "another number");
        assert!(!query.matches("430126000100000", "张三"), "a prefix is not a match");
        assert!(!query.matches("43012600010000011", "张三"), "nor a longer number");
        let lower = q("hn-0001", "Li Lei").unwrap();
        assert_eq!(lower.number, "HN-0001");
    }
}
