//! Admission tickets (准考证, issue 12 part 2; E3's candidates): the ticket number from the policy's
//! template `number.admission_ticket_template` ([`TICKET_PARTS`]: city, year, project, serial), the
//! serial's counter ([`ticket_serial_scope`]), the unguessable verification token printed as a QR code
//! ([`new_ticket_token`], [`is_ticket_token`]) and the rules printed for candidates ([`TICKET_RULES`]).
//!
//! Every candidate on the roster gets a number and a token in the step that approves the plan: the
//! roster is fixed from then on (candidates are added only while the plan is the station's).

use crate::error::FieldError;
use crate::exams::portal::{TICKET_PARTS, ticket_serial_key};
use crate::numbering::{NumberParts, NumberTemplate, Part};

/// What the ticket-numbering step is called in a template's refusal.
pub const TICKET_WHAT: &str = "准考证号";

/// The rules for candidates printed on every ticket (考生须知).
pub const TICKET_RULES: &[&str] = &[
    "考生须持本准考证和本人有效居民身份证原件，按规定时间到指定地点参加考核，二者缺一不得入场。",
    "考生应提前 30 分钟到达考场，开考 15 分钟后不得入场。",
    "考生须服从考评人员和督导人员的安排，遵守考场纪律；违纪、作弊的，按有关规定处理。",
    "除考核规定的工具和材料外，不得将通讯工具及其他物品带入考场。",
    "本准考证须妥善保管，请勿涂改；扫描二维码可核验本准考证的真伪。",
];

/// Whether `template` may number tickets: only the parts the approval step supplies (checked when the
/// template is published, so no approval fails on it).
pub fn check_ticket_template(field: &'static str, template: &str) -> Result<NumberTemplate, FieldError> {
    let t = NumberTemplate::parse(field, template)?;
    t.supplied_by(TICKET_PARTS, TICKET_WHAT)?;
    Ok(t)
}

/// The counter whose serials number tickets: one gap-free sequence per number prefix the template can
/// tell apart — per city when it shows `{city2}` (else `43`, the whole province) and per year when it
/// shows the year (else `0`). So two tickets never share a number, whatever the template.
pub fn ticket_serial_scope(template: &NumberTemplate, city2: &str, year: i32) -> String {
    let uses = |part: Part| template.placeholders().any(|p| p.part() == part);
    let city = if uses(Part::City) { city2 } else { "43" };
    ticket_serial_key(city, if uses(Part::Year) { year } else { 0 })
}

/// The ticket number for a candidate of a session of `project` at a station in `city2`, in `year`.
pub fn ticket_number(
    template: &NumberTemplate,
    city2: &str,
    year: i32,
    project: u32,
    serial: u64,
) -> Result<String, FieldError> {
    template.render(&NumberParts { city2: Some(city2), year: Some(year), project: Some(project), serial })
}

/// A fresh verification token: 128 random bits as base64url without padding (22 characters).
pub fn new_ticket_token() -> Result<String, crate::crypto::CryptoError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|_| crate::crypto::CryptoError::Rng)?;
    Ok(base64url(&b))
}

/// Whether `s` can be a token at all (22 base64url characters): anything else is "not found" before
/// the database is asked.
pub fn is_ticket_token(s: &str) -> bool {
    s.len() == 22 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// RFC 4648 §5 without padding.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{def, keys};

    #[test]
    fn e3_the_default_ticket_template_numbers_by_city_year_project_and_serial() {
        let d = def(keys::ADMISSION_TICKET_TEMPLATE).unwrap();
        assert!(d.assumption, "the ticket template is an assumption to confirm (待确认)");
        let t = check_ticket_template("value", d.default).unwrap();
        assert_eq!(ticket_number(&t, "01", 2026, 12, 7).unwrap(), "ZK012600120007");
        assert_eq!(ticket_serial_scope(&t, "01", 2026), "ticket:01:2026");
        let no_city = NumberTemplate::parse("value", "ZK{yy}{serial6}").unwrap();
        assert_eq!(ticket_serial_scope(&no_city, "01", 2026), "ticket:43:2026");
        let bare = NumberTemplate::parse("value", "ZK{serial6}").unwrap();
        assert_eq!(ticket_serial_scope(&bare, "05", 2026), "ticket:43:0");
    }

    #[test]
    fn e3_a_ticket_template_is_refused_at_publication_when_it_cannot_render() {
        assert_eq!(check_ticket_template("value", "ZK{serial}").unwrap_err().code, "NUMBER_PLACEHOLDER_UNKNOWN");
        assert!(d_refuses("ZK{{city2}{serial4}"));
        assert!(def(keys::ADMISSION_TICKET_TEMPLATE).unwrap().parse_input("ZK{yyyy}{serial5}").is_ok());
        assert!(def(keys::ADMISSION_TICKET_TEMPLATE).unwrap().parse_input("ZK{yyyy}").is_err());
    }

    fn d_refuses(t: &str) -> bool {
        def(keys::ADMISSION_TICKET_TEMPLATE).unwrap().parse_input(t).is_err()
    }

    #[test]
    fn a_token_is_128_random_bits_in_base64url() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        let a = new_ticket_token().unwrap();
        let b = new_ticket_token().unwrap();
        assert!(is_ticket_token(&a) && is_ticket_token(&b), "{a} {b}");
        assert_ne!(a, b);
        assert!(!is_ticket_token("short") && !is_ticket_token(&format!("{}=", &a[..21])));
    }
}
