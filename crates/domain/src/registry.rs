//! E8–E10: the registries of assessors (考评员), supervisors (督导员) and trainers (培训师) kept by the
//! province center — who they are, their card, the projects an assessor may assess, where they work and
//! worked, whom they declared as relatives — as the exam panels (E4, [`crate::exams::panel`]) read them.
//!
//! - [`parse_person`]: a person as typed into the form, the API or a spreadsheet row, every error at once
//!   as a [`FieldError`] naming its field.
//! - Card numbers: typed when the card was issued before kaohe, otherwise issued from the policy's
//!   template of the kind ([`PersonKind::template_key`], through [`crate::numbering`]) with the store's
//!   gap-free serial; the card is valid `registry.card_validity_years` from its issue ([`valid_until`]).
//! - [`PersonStatus`] and [`StatusChange`]: suspend, reactivate, revoke (revocation is final).
//!
//! **Employers and the panel.** An employer is kept once, by its [`normalise_name`]d name (trimmed,
//! runs of spaces one space, full-width forms half-width), in the store's `registry_employers` table,
//! with the id of its kaohe organisation when it is one (e.g. a filed station). The panel's
//! `employer: Option<i64>` and `past_employers` are ids of that table (never an organisation id), so
//! "works for the station" and "works for a candidate's employer" compare like with like: the panel
//! step maps the station's organisation and each candidate's employer name to the same table
//! (`Store::employer_key_of_org`, `Store::employer_key_of_name`). [`RegisteredPerson::assessor`] and
//! [`RegisteredPerson::supervisor`] are the conversion the panel uses.

use crate::enums::string_enum;
use crate::exams::panel::{Assessor, Supervisor};
use crate::ids::{IdNumber, PersonName, Phone, RegionCode};
use crate::numbering::{NumberParts, NumberTemplate, Part};
use crate::org::Role;
use crate::policy::keys;
use crate::text::normalise_name;
use crate::{FieldError, FieldErrors};
use time::Date;

string_enum! {
    /// The kinds of registered person (E8, E9, E10).
    PersonKind {
        Assessor = "assessor" => "考评员",
        Supervisor = "supervisor" => "督导员",
        Trainer = "trainer" => "培训师",
    }
}

impl PersonKind {
    /// What their card is called.
    pub fn card_label(self) -> &'static str {
        match self {
            PersonKind::Assessor => "考评员证",
            PersonKind::Supervisor => "督导员资格证",
            PersonKind::Trainer => "培训师证书",
        }
    }

    /// The policy key of the card number template.
    pub fn template_key(self) -> &'static str {
        match self {
            PersonKind::Assessor => keys::ASSESSOR_CARD_TEMPLATE,
            PersonKind::Supervisor => keys::SUPERVISOR_CARD_TEMPLATE,
            PersonKind::Trainer => keys::TRAINER_CERTIFICATE_TEMPLATE,
        }
    }

    /// The role of the account a person of this kind signs in with (trainers have none yet).
    pub fn account_role(self) -> Option<Role> {
        match self {
            PersonKind::Assessor => Some(Role::Assessor),
            PersonKind::Supervisor => Some(Role::Supervisor),
            PersonKind::Trainer => None,
        }
    }

    /// By id (`assessor`) or label (`考评员`), as a spreadsheet may hold it.
    pub fn from_text(s: &str) -> Option<PersonKind> {
        let s = s.trim();
        PersonKind::ALL.iter().copied().find(|k| k.id() == s || k.label() == s)
    }
}

string_enum! {
    /// A registered person's standing: only `active` people sit on panels.
    PersonStatus {
        Active = "active" => "有效",
        Suspended = "suspended" => "暂停",
        Revoked = "revoked" => "注销",
    }
}

string_enum! {
    /// A change of standing, always with a reason.
    StatusChange {
        Suspend = "suspend" => "暂停",
        Reactivate = "reactivate" => "恢复",
        Revoke = "revoke" => "注销",
    }
}

/// The standing after `change`, or why it cannot happen (field `change`).
pub fn change_status(from: PersonStatus, change: StatusChange) -> Result<PersonStatus, FieldError> {
    use PersonStatus::*;
    match (from, change) {
        (Active, StatusChange::Suspend) => Ok(Suspended),
        (Suspended, StatusChange::Reactivate) => Ok(Active),
        (Active | Suspended, StatusChange::Revoke) => Ok(Revoked),
        (Revoked, _) => Err(FieldError::new("change", "PERSON_REVOKED", "已注销的人员不能再变更状态")),
        (s, c) => Err(FieldError::new(
            "change",
            "STATUS_CHANGE_INVALID",
            format!("状态为“{}”时不能“{}”", s.label(), c.label()),
        )),
    }
}

/// A reason for a change of standing: required, at most 200 characters.
pub fn parse_reason(raw: &str) -> Result<String, FieldError> {
    let r = raw.trim();
    crate::text::check("reason", "原因", r)?;
    match r.chars().count() {
        0 => Err(FieldError::new("reason", "REQUIRED", "请填写原因")),
        201.. => Err(FieldError::new("reason", "TOO_LONG", "原因不能超过 200 个字")),
        _ => Ok(r.to_owned()),
    }
}

string_enum! {
    /// How a declared relative is related (E4 recusal: 近亲属).
    Kinship {
        Spouse = "spouse" => "配偶",
        Parent = "parent" => "父母",
        Child = "child" => "子女",
        Sibling = "sibling" => "兄弟姐妹",
        Other = "other" => "其他近亲属",
    }
}

/// An employer's name, [`normalise_name`]d: 2–100 characters on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerName(String);

impl EmployerName {
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        crate::text::single_line(field, "工作单位", s)?;
        let n = normalise_name(s);
        match n.chars().count() {
            0 => Err(FieldError::new(field, "REQUIRED", "请填写工作单位")),
            1 | 101.. => Err(FieldError::new(field, "EMPLOYER_LENGTH", "工作单位应为 2 至 100 个字")),
            _ => Ok(EmployerName(n)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A card number typed by staff (a card issued before kaohe): 4–30 letters, digits, `-` or `_`, upper-cased.
pub fn parse_card_number(raw: &str) -> Result<String, FieldError> {
    let s = normalise_name(raw).to_ascii_uppercase();
    let ok = (4..=30).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if ok {
        Ok(s)
    } else {
        Err(FieldError::new("card_number", "CARD_NUMBER_FORMAT", "证书编号应为 4 至 30 位字母、数字、- 或 _"))
    }
}

/// Catalog project codes as typed (separated by 、，,|；; or spaces): digits only, deduplicated, sorted.
pub fn parse_project_codes(raw: &str) -> Result<Vec<String>, FieldError> {
    let mut v: Vec<String> = raw
        .split(['、', '，', ',', '|', '；', ';', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(bad) = v.iter().find(|c| c.len() > 9 || !c.bytes().all(|b| b.is_ascii_digit())) {
        return Err(FieldError::new(
            "projects",
            "PROJECT_CODE_FORMAT",
            format!("考核项目代码「{bad}」格式不正确，应为目录中的数字代码，多个用顿号分隔"),
        ));
    }
    v.sort();
    v.dedup();
    Ok(v)
}

/// A person as typed into the form, the API or a spreadsheet row.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct PersonInput {
    /// `assessor`, `supervisor` or `trainer` (or the Chinese label).
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    /// City region code (GB/T 2260), e.g. 430100.
    #[serde(default)]
    pub city_code: String,
    /// The current employer's name (filled from the organisation when `employer_org_id` is given).
    #[serde(default)]
    pub employer_name: String,
    /// The current employer when it is an organisation in kaohe.
    pub employer_org_id: Option<i64>,
    /// Blank: issued from the policy's template on creation.
    #[serde(default)]
    pub card_number: String,
    /// `YYYY-MM-DD`; blank: the policy's validity from today.
    #[serde(default)]
    pub card_valid_until: String,
    /// Catalog project codes (assessors only), separated by 、.
    #[serde(default)]
    pub projects: String,
    #[serde(default)]
    pub note: String,
}

/// A parsed person, before the store checks the catalog, uniqueness and the employer's organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub kind: PersonKind,
    pub name: PersonName,
    pub id_number: IdNumber,
    pub phone: Phone,
    pub city: RegionCode,
    pub employer: Option<EmployerName>,
    pub employer_org_id: Option<i64>,
    pub card_number: Option<String>,
    pub card_valid_until: Option<Date>,
    pub projects: Vec<String>,
    pub note: String,
}

/// Parse a person: every error at once, each naming its field.
pub fn parse_person(input: &PersonInput) -> Result<Person, FieldErrors> {
    let mut errs = FieldErrors::new();
    let kind = errs.take(
        PersonKind::from_text(&input.kind)
            .ok_or_else(|| FieldError::new("kind", "KIND_INVALID", "人员类别应为 考评员、督导员 或 培训师")),
    );
    let name = errs.take(PersonName::parse(&input.name));
    let id_number = errs.take(IdNumber::parse(&input.id_number));
    let phone = errs.take(Phone::parse(&input.phone));
    let city = errs.take(RegionCode::parse_hunan_city(input.city_code.trim()).map_err(|e| e.for_field("city_code")));
    let employer = match (input.employer_name.trim().is_empty(), input.employer_org_id) {
        // The organisation's own name is filled by the store.
        (true, Some(_)) => None,
        _ => errs.take(EmployerName::parse("employer_name", &input.employer_name)),
    };
    let card_number = match input.card_number.trim() {
        "" => None,
        raw => errs.take(parse_card_number(raw)),
    };
    let card_valid_until = match input.card_valid_until.trim() {
        "" => None,
        raw => errs.take(parse_ymd(raw).ok_or_else(|| {
            FieldError::new("card_valid_until", "DATE_FORMAT", "证书有效期至应为日期，格式 YYYY-MM-DD")
        })),
    };
    let projects = errs.take(parse_project_codes(&input.projects)).unwrap_or_default();
    match kind {
        Some(PersonKind::Assessor) if projects.is_empty() && errs.get("projects").is_none() => {
            errs.push(FieldError::new("projects", "REQUIRED", "请填写考评员可考评的考核项目代码"))
        }
        Some(PersonKind::Supervisor | PersonKind::Trainer) if !projects.is_empty() => {
            errs.push(FieldError::new("projects", "PROJECTS_ASSESSORS_ONLY", "只有考评员登记可考评的考核项目"))
        }
        _ => {}
    }
    let note = input.note.trim().to_owned();
    if let Err(e) = crate::text::check("note", "备注", &note) {
        errs.push(e);
    }
    match (kind, name, id_number, phone, city) {
        (Some(kind), Some(name), Some(id_number), Some(phone), Some(city)) if errs.is_empty() => Ok(Person {
            kind,
            name,
            id_number,
            phone,
            city,
            employer,
            employer_org_id: input.employer_org_id,
            card_number,
            card_valid_until,
            projects,
            note,
        }),
        _ => Err(errs),
    }
}

/// A date typed as `YYYY-MM-DD`.
fn parse_ymd(s: &str) -> Option<Date> {
    Date::parse(s.trim(), &time::format_description::well_known::Iso8601::DATE).ok()
}

/// A card template may use the city, the year and the serial (no project: one card covers several).
pub fn check_card_template(raw: &str, kind: PersonKind) -> Result<NumberTemplate, FieldError> {
    let t = NumberTemplate::parse("value", raw)?;
    t.supplied_by(&[Part::City, Part::Year, Part::Serial], kind.card_label())?;
    Ok(t)
}

/// The card number of the kind for a holder in `city`, issued in `year`, with the serial.
pub fn card_number(
    template: &str,
    kind: PersonKind,
    city: &RegionCode,
    year: i32,
    serial: u64,
) -> Result<String, FieldError> {
    let t = check_card_template(template, kind)?;
    t.render(&NumberParts { city2: city.city_two_digits(), year: Some(year), project: None, serial })
}

/// The last valid day of a card issued on `issued` for `years` years: the day before the anniversary.
pub fn valid_until(issued: Date, years: u32) -> Date {
    let year = issued.year() + years as i32;
    // 29 February issues end on 28 February of a common year.
    let end = Date::from_calendar_date(year, issued.month(), issued.day())
        .or_else(|_| Date::from_calendar_date(year, issued.month(), 28))
        .unwrap_or(issued);
    end.previous_day().unwrap_or(end)
}

/// A registered person as the panel reads them: the store's rows, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredPerson {
    pub person_id: i64,
    pub kind: PersonKind,
    pub name: String,
    pub status: PersonStatus,
    pub card_valid_until: Date,
    pub projects: Vec<String>,
    pub city: String,
    /// `registry_employers` id of the current employer.
    pub employer: Option<i64>,
    /// `registry_employers` ids of former employers.
    pub past_employers: Vec<i64>,
    /// Blind indexes of declared relatives' ID numbers.
    pub relatives: Vec<String>,
    /// Blind index of the person's own ID number (the same person across kinds: E4 trainer recusal).
    pub key: String,
}

impl RegisteredPerson {
    /// As an assessor of [`crate::exams::panel`].
    pub fn assessor(&self) -> Assessor {
        Assessor {
            person_id: self.person_id,
            key: self.key.clone(),
            name: self.name.clone(),
            active: self.status == PersonStatus::Active && self.kind == PersonKind::Assessor,
            card_valid_until: self.card_valid_until,
            projects: self.projects.clone(),
            city: Some(self.city.clone()),
            employer: self.employer,
            past_employers: self.past_employers.clone(),
            relatives: self.relatives.clone(),
        }
    }

    /// As a supervisor of [`crate::exams::panel`].
    pub fn supervisor(&self) -> Supervisor {
        Supervisor {
            person_id: self.person_id,
            name: self.name.clone(),
            active: self.status == PersonStatus::Active && self.kind == PersonKind::Supervisor,
            employer: self.employer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> PersonInput {
        PersonInput {
            kind: "assessor".into(),
            name: "张三".into(),
            id_number: "110102199101010078".into(),
            phone: "13800000000".into(),
            city_code: "430100".into(),
            employer_name: "  长沙　湘菜（集团）  ".into(),
            projects: "0001、0002，0001".into(),
            ..Default::default()
        }
    }

    #[test]
    fn e8_an_assessor_parses_with_employer_normalised_and_projects_sorted() {
        let p = parse_person(&input()).expect("valid");
        assert_eq!(p.kind, PersonKind::Assessor);
        assert_eq!(p.employer.as_ref().map(EmployerName::as_str), Some("长沙 湘菜(集团)"));
        assert_eq!(p.projects, ["0001", "0002"]);
        assert_eq!(p.card_number, None);
        let p = parse_person(&PersonInput { kind: "督导员".into(), projects: String::new(), ..input() }).expect("ok");
        assert_eq!(p.kind, PersonKind::Supervisor);
    }

    #[test]
    fn e8_every_bad_field_is_named_at_once() {
        let bad = PersonInput {
            kind: "teacher".into(),
            name: "x".into(),
            id_number: "36042619910102009X".into(),
            phone: "12".into(),
            city_code: "110100".into(),
            employer_name: String::new(),
            card_number: "卡1".into(),
            card_valid_until: "2026/1/1".into(),
            projects: "A1".into(),
            ..Default::default()
        };
        let errs = parse_person(&bad).expect_err("invalid");
        let mut fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "card_number",
                "card_valid_until",
                "city_code",
                "employer_name",
                "id_number",
                "kind",
                "name",
                "phone",
                "projects"
            ]
        );
        let e = parse_person(&PersonInput { projects: String::new(), ..input() }).expect_err("no projects");
        assert!(e.get("projects").is_some());
        let e = parse_person(&PersonInput { kind: "trainer".into(), ..input() }).expect_err("trainer with projects");
        assert_eq!(e.0[0].code, "PROJECTS_ASSESSORS_ONLY");
    }

    #[test]
    fn e8_status_changes_and_revocation_is_final() {
        use PersonStatus::*;
        use StatusChange::*;
        let table = [
            (Active, Suspend, Some(Suspended)),
            (Active, Reactivate, None),
            (Active, Revoke, Some(Revoked)),
            (Suspended, Suspend, None),
            (Suspended, Reactivate, Some(Active)),
            (Suspended, Revoke, Some(Revoked)),
            (Revoked, Suspend, None),
            (Revoked, Reactivate, None),
            (Revoked, Revoke, None),
        ];
        for (from, change, to) in table {
            assert_eq!(change_status(from, change).ok(), to, "{from} {change}");
        }
        assert!(parse_reason("  ").is_err());
        assert_eq!(parse_reason(" 违反考场纪律 ").as_deref(), Ok("违反考场纪律"));
    }

    #[test]
    fn e8_cards_are_numbered_by_the_policy_template_and_valid_for_its_years() {
        let city = RegionCode::parse_hunan_city("430100").expect("city");
        assert_eq!(
            card_number("KP43{city2}{yy}{serial4}", PersonKind::Assessor, &city, 2026, 7).as_deref(),
            Ok("KP4301260007")
        );
        assert!(card_number("KP{project4}{serial4}", PersonKind::Assessor, &city, 2026, 1).is_err());
        assert_eq!(valid_until(date!(2026 - 03 - 01), 3), date!(2029 - 02 - 28));
        assert_eq!(valid_until(date!(2024 - 02 - 29), 1), date!(2025 - 02 - 27));
        assert_eq!(parse_card_number(" kp-2026-01 ").as_deref(), Ok("KP-2026-01"));
    }

    #[test]
    fn e4_a_registered_person_feeds_the_panel() {
        let p = RegisteredPerson {
            person_id: 4,
            kind: PersonKind::Assessor,
            name: "李四".into(),
            status: PersonStatus::Suspended,
            card_valid_until: date!(2027 - 01 - 01),
            projects: vec!["0001".into()],
            city: "430100".into(),
            employer: Some(2),
            past_employers: vec![3],
            relatives: vec!["idx".into()],
            key: "self".into(),
        };
        let a = p.assessor();
        assert_eq!(a.key, "self", "the person's own blind index: trainer recusal matches the person");
        assert!(!a.active, "a suspended assessor does not sit");
        assert_eq!((a.employer, a.past_employers.as_slice(), a.city.as_deref()), (Some(2), &[3][..], Some("430100")));
        let s = RegisteredPerson { kind: PersonKind::Supervisor, status: PersonStatus::Active, ..p }.supervisor();
        assert!(s.active && s.employer == Some(2));
    }
}
