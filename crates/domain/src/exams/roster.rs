//! The candidates of an exam session as a roster (考生名册): one candidate typed on a form, or many from
//! an .xlsx roster whose columns are [`ROSTER_COLUMNS`]. A roster is all-or-nothing: every row is
//! checked, and every error is reported at once as `第 N 行「列」…` (field `N:列`, N the spreadsheet's row
//! with the header as row 1), as the other imports do. An ID number may appear once in a roster and once
//! in a session: a second occurrence names the row it repeats, one already in the session says so.
//!
//! **Training record** (E4 recusal; F3 subsidy claims later): `training` names the class (培训班/课程名称,
//! free text) and `trainers` the people who taught it, by their registry numbers (培训师证书编号; a person
//! teaching under their assessor card may be named by that card's number instead), several separated by
//! 、 , ， ; ； or spaces ([`parse_trainer_numbers`]). The store resolves each number to a registry person
//! (any standing: a suspended trainer still taught the class); an unknown number is refused
//! ([`unknown_trainer`]; in a roster `第 N 行「授课培训师证书编号」：… 不在培训师库中`, all-or-nothing).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{FieldError, FieldErrors};
use crate::ids::{IdNumber, PersonName, Phone};

pub const COL_NAME: &str = "姓名";
pub const COL_ID_NUMBER: &str = "身份证号码";
pub const COL_PHONE: &str = "联系电话";
pub const COL_EMPLOYER: &str = "工作单位";
pub const COL_SUBSIDY: &str = "补贴类别";
pub const COL_TRAINING: &str = "培训情况";
pub const COL_TRAINERS: &str = "授课培训师证书编号";

/// The roster's required columns, in order (a roster from before the trainers' column still imports).
pub const ROSTER_COLUMNS: [&str; 6] = [COL_NAME, COL_ID_NUMBER, COL_PHONE, COL_EMPLOYER, COL_SUBSIDY, COL_TRAINING];

/// The roster template's columns: the required ones and the optional trainers' numbers.
pub const ROSTER_TEMPLATE_COLUMNS: [&str; 7] =
    [COL_NAME, COL_ID_NUMBER, COL_PHONE, COL_EMPLOYER, COL_SUBSIDY, COL_TRAINING, COL_TRAINERS];

/// The most trainers one candidate's training names.
pub const MAX_TRAINERS: usize = 10;

/// The most candidates one roster imports.
pub const MAX_ROSTER_ROWS: usize = 1000;
const TEXT_MAX: usize = 100;

/// One candidate as typed (a form, or a roster row).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CandidateInput {
    pub name: String,
    pub id_number: String,
    /// Optional.
    pub phone: String,
    /// Optional: the candidate's employer (recusal, E4).
    pub employer: String,
    /// Optional: the subsidy category (F3), as the policy names it.
    pub subsidy_category: String,
    /// Optional: the training class the candidate took (培训班/课程名称) — kept for subsidy claims.
    pub training: String,
    /// Optional: registry numbers (培训师证书编号, or an assessor card number) of those who taught the
    /// class, separated by 、 or , — E4 recusal (an assessor who taught a candidate does not assess them).
    pub trainers: String,
}

/// A candidate that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub name: PersonName,
    pub id_number: IdNumber,
    pub phone: Option<Phone>,
    pub employer: String,
    pub subsidy_category: String,
    pub training: String,
    /// The trainers' registry numbers, upper-cased, each once, in the order typed.
    pub trainers: Vec<String>,
}

/// The trainers' numbers as typed (separated by 、，,；; or spaces): each a card number's form
/// (`registry::parse_card_number`), each once, at most [`MAX_TRAINERS`]; field `trainers`.
pub fn parse_trainer_numbers(raw: &str) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(['、', '，', ',', '；', ';', ' ', '\u{3000}', '\n']).map(str::trim).filter(|p| !p.is_empty())
    {
        let n = crate::registry::parse_card_number(part).map_err(|_| {
            FieldError::new(
                "trainers",
                "TRAINER_NUMBER_FORMAT",
                format!("「{part}」不是证书编号（4 至 30 位字母、数字、- 或 _），多个用顿号分隔"),
            )
        })?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    if out.len() > MAX_TRAINERS {
        return Err(FieldError::new("trainers", "TOO_MANY_TRAINERS", format!("授课培训师最多填写 {MAX_TRAINERS} 名")));
    }
    Ok(out)
}

/// A trainer's number the registry does not know (field `trainers`).
pub fn unknown_trainer(number: &str) -> FieldError {
    FieldError::new("trainers", "TRAINER_UNKNOWN", format!("{number} 不在培训师库中"))
}

impl Candidate {
    /// The first of the candidate's trainers' numbers `known` does not know, as an error.
    pub fn check_trainers(&self, known: impl Fn(&str) -> bool) -> Result<(), FieldError> {
        match self.trainers.iter().find(|n| !known(n)) {
            Some(n) => Err(unknown_trainer(n)),
            None => Ok(()),
        }
    }
}

fn optional_text(field: &str, label: &str, raw: &str) -> Result<String, FieldError> {
    crate::text::single_line(field, label, raw)?;
    let t = raw.trim();
    if t.chars().count() > TEXT_MAX {
        return Err(FieldError::new(field, "TOO_LONG", format!("{label}不得超过 {TEXT_MAX} 个字")));
    }
    Ok(t.to_owned())
}

impl Candidate {
    /// Parses one candidate, every error at once; fields `name`, `id_number`, `phone`, `employer`,
    /// `subsidy_category`, `training`, `trainers` (their form only: the store checks the registry).
    pub fn parse(input: &CandidateInput, today: Date) -> Result<Candidate, FieldErrors> {
        let mut errs = FieldErrors::new();
        let name = errs.take(PersonName::parse(&input.name));
        let id_number = errs.take(IdNumber::parse_on(&input.id_number, today).map_err(|e| e.for_field("id_number")));
        let phone = match input.phone.trim() {
            "" => Some(None),
            p => errs.take(Phone::parse(p).map(Some)),
        };
        let employer = errs.take(optional_text("employer", COL_EMPLOYER, &input.employer));
        let subsidy_category = errs.take(optional_text("subsidy_category", COL_SUBSIDY, &input.subsidy_category));
        let training = errs.take(optional_text("training", COL_TRAINING, &input.training));
        let trainers = errs.take(parse_trainer_numbers(&input.trainers));
        match (name, id_number, phone, employer, subsidy_category, training, trainers) {
            (
                Some(name),
                Some(id_number),
                Some(phone),
                Some(employer),
                Some(subsidy_category),
                Some(training),
                Some(trainers),
            ) => Ok(Candidate { name, id_number, phone, employer, subsidy_category, training, trainers }),
            _ => Err(errs),
        }
    }
}

/// The column a candidate field is typed in.
fn column_of(field: &str) -> &'static str {
    match field {
        "name" => COL_NAME,
        "id_number" => COL_ID_NUMBER,
        "phone" => COL_PHONE,
        "employer" => COL_EMPLOYER,
        "subsidy_category" => COL_SUBSIDY,
        "trainers" => COL_TRAINERS,
        _ => COL_TRAINING,
    }
}

/// A roster row's error, as every import reports it: field `N:列`, detail `第 N 行「列」：…`.
fn at(line: usize, column: &str, e: FieldError) -> FieldError {
    let detail = format!("第 {line} 行「{column}」：{}", e.detail);
    FieldError::new(format!("{line}:{column}"), e.code, detail)
}

/// Parses a roster (rows in spreadsheet order, the header being row 1): all or nothing. `in_session`
/// answers whether an ID number is already a candidate of the session, `trainer_known` whether a
/// trainer's number is in the registry.
pub fn parse_roster(
    rows: &[CandidateInput],
    today: Date,
    in_session: impl Fn(&IdNumber) -> bool,
    trainer_known: impl Fn(&str) -> bool,
) -> Result<Vec<Candidate>, FieldErrors> {
    if rows.is_empty() {
        return Err(FieldError::new("file", "ROSTER_EMPTY", "名册中没有考生（第 1 行为表头，考生从第 2 行起）").into());
    }
    if rows.len() > MAX_ROSTER_ROWS {
        return Err(FieldError::new(
            "file",
            "ROSTER_TOO_LARGE",
            format!("一份名册最多 {MAX_ROSTER_ROWS} 名考生，请分批导入（现有 {} 行）", rows.len()),
        )
        .into());
    }
    let mut errs = FieldErrors::new();
    let mut first_line: BTreeMap<IdNumber, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let line = i + 2;
        match Candidate::parse(row, today) {
            Ok(c) => {
                if let Some(first) = first_line.get(&c.id_number) {
                    let e =
                        FieldError::new("id_number", "ROSTER_DUPLICATE", format!("与第 {first} 行的身份证号码重复"));
                    errs.push(at(line, COL_ID_NUMBER, e));
                } else if in_session(&c.id_number) {
                    let e =
                        FieldError::new("id_number", "CANDIDATE_ALREADY_IN_SESSION", "该考生已在本场考核的考生名单中");
                    errs.push(at(line, COL_ID_NUMBER, e));
                }
                if let Err(e) = c.check_trainers(&trainer_known) {
                    errs.push(at(line, COL_TRAINERS, e));
                }
                first_line.entry(c.id_number.clone()).or_insert(line);
                out.push(c);
            }
            Err(e) => {
                for fe in e.0 {
                    let column = column_of(&fe.field);
                    errs.push(at(line, column, fe));
                }
            }
        }
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

/// F3: each roster row whose subsidy category (补贴类别) is neither blank nor one of `eligible` (the
/// policy's list in force), as `第 N 行「补贴类别」：…` errors.
pub fn check_roster_categories(rows: &[CandidateInput], eligible: &[String]) -> FieldErrors {
    let mut errs = FieldErrors::new();
    for (i, row) in rows.iter().enumerate() {
        if let Err(e) = crate::certificates::check_category(&row.subsidy_category, eligible) {
            errs.push(at(i + 2, COL_SUBSIDY, e));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 03);

    /// An ID number with a correct check character: 430102 (长沙市芙蓉区), born `birth`, sequence `seq`.
    fn id(birth: &str, seq: &str) -> String {
        let body = format!("430102{birth}{seq}");
        let check = crate::ids::id_number_check_char(&body).expect("17 digits");
        format!("{body}{check}")
    }

    fn row(name: &str, id_number: &str) -> CandidateInput {
        CandidateInput { name: name.into(), id_number: id_number.into(), ..Default::default() }
    }

    #[test]
    fn f3_a_roster_category_outside_the_policy_is_named_by_row_and_column() {
        let eligible = vec!["脱贫劳动力".to_owned()];
        let mut rows = vec![row("张三", &id("19900101", "123")), row("李四", &id("19900101", "131"))];
        rows[0].subsidy_category = "脱贫劳动力".into();
        rows[1].subsidy_category = "在校学生".into();
        let errs = check_roster_categories(&rows, &eligible);
        assert_eq!(errs.0.len(), 1);
        assert_eq!((errs.0[0].field.as_str(), errs.0[0].code), ("3:补贴类别", "SUBSIDY_CATEGORY_UNKNOWN"));
        assert!(errs.0[0].detail.starts_with("第 3 行「补贴类别」"), "{}", errs.0[0].detail);
    }

    #[test]
    fn a_candidate_parses_with_optional_fields_blank() {
        let c = Candidate::parse(&row("李小龙", &id("19900101", "123")), TODAY).expect("valid");
        assert_eq!((c.name.as_str(), c.phone.is_none()), ("李小龙", true));
        let mut bad = row("李", "430102199001011234");
        bad.phone = "123".into();
        let e = Candidate::parse(&bad, TODAY).expect_err("invalid");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "id_number", "phone"]);
    }

    #[test]
    fn a_roster_is_all_or_nothing_naming_row_and_column() {
        let good = id("19900101", "123");
        let rows = vec![
            row("张三", &good),
            row("李四", "430102199001011230"),
            row("王五", &good),
            CandidateInput { phone: "0731".into(), ..row("赵六", &id("19850505", "456")) },
        ];
        let e = parse_roster(&rows, TODAY, |_| false, |_| true).expect_err("refused");
        let got: Vec<(&str, &str)> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            got,
            [("3:身份证号码", "ID_NUMBER_CHECK"), ("4:身份证号码", "ROSTER_DUPLICATE"), ("5:联系电话", "PHONE_FORMAT")]
        );
        assert!(e.0[1].detail.starts_with("第 4 行「身份证号码」：与第 2 行的身份证号码重复"), "{}", e.0[1].detail);
        // Already a candidate of the session.
        let e = parse_roster(&rows[..1], TODAY, |n| n.as_str() == good, |_| true).expect_err("in session");
        assert_eq!(e.0[0].code, "CANDIDATE_ALREADY_IN_SESSION");
        // Good rows pass, in order.
        let ok = parse_roster(&[row("张三", &good), row("赵六", &id("19850505", "456"))], TODAY, |_| false, |_| true)
            .expect("ok");
        assert_eq!(ok.len(), 2);
        assert_eq!(parse_roster(&[], TODAY, |_| false, |_| true).expect_err("empty").0[0].code, "ROSTER_EMPTY");
    }

    #[test]
    fn e4_a_training_record_names_its_trainers_by_registry_number_and_an_unknown_one_is_refused() {
        assert_eq!(
            parse_trainer_numbers(" px4301260001、kp43012600002, PX4301260001；DD-1 ").as_deref(),
            Ok(&["PX4301260001".to_owned(), "KP43012600002".to_owned(), "DD-1".to_owned()][..])
        );
        assert_eq!(parse_trainer_numbers("").as_deref(), Ok(&[][..]));
        let e = parse_trainer_numbers("PX4301260001、张老师").expect_err("a name is not a number");
        assert_eq!((e.field.as_str(), e.code), ("trainers", "TRAINER_NUMBER_FORMAT"));
        assert!(e.detail.contains("张老师"), "{}", e.detail);
        let many: Vec<String> = (0..=MAX_TRAINERS).map(|i| format!("PX{i:04}")).collect();
        assert_eq!(parse_trainer_numbers(&many.join("、")).expect_err("too many").code, "TOO_MANY_TRAINERS");
        // A roster: an unknown number names its row and column; a known one passes; all or nothing.
        let good = id("19900101", "123");
        let other = id("19850505", "456");
        let rows = vec![
            CandidateInput { trainers: "PX4301260001".into(), ..row("张三", &good) },
            CandidateInput { trainers: "PX4301260001、PX9999".into(), ..row("赵六", &other) },
        ];
        let known = |n: &str| n == "PX4301260001";
        let e = parse_roster(&rows, TODAY, |_| false, known).expect_err("refused");
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "3:授课培训师证书编号");
        assert_eq!(e.0[0].detail, "第 3 行「授课培训师证书编号」：PX9999 不在培训师库中");
        let ok = parse_roster(&rows[..1], TODAY, |_| false, known).expect("known");
        assert_eq!(ok[0].trainers, ["PX4301260001"]);
        // A bad form on the form names the field.
        let e =
            Candidate::parse(&CandidateInput { trainers: "!!".into(), ..row("张三", &good) }, TODAY).expect_err("bad");
        assert_eq!(e.0[0].field, "trainers");
    }
}
