//! Identifier parsing: GB 11643-1999 ID numbers and GB 32100-2015 credit codes (check characters by
//! property, public vectors from docs/FACTS.md), and the small values of the S2 filing form, F1 fees and
//! accounts.

use domain::ids::{
    CREDIT_CODE_ALPHABET, CREDIT_CODE_AUTHORITIES, CreditCode, Gender, HUNAN_CITIES, IdNumber, Money, PROVINCE,
    PersonName, Phone, RegionCode, Username, credit_code_check_char, id_number_check_char,
};
use domain::password::PasswordPolicy;
use proptest::prelude::*;
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 06 - 01);

const ID_PROVINCES: [&str; 36] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83", "91",
];

fn id_number_strategy() -> impl Strategy<Value = String> {
    let first_day = date!(1900 - 01 - 01).to_julian_day();
    let last_day = TODAY.to_julian_day();
    (proptest::sample::select(ID_PROVINCES.to_vec()), 0u32..10_000, first_day..=last_day, 0u32..1_000).prop_map(
        |(province, county, julian, seq)| {
            let birth = Date::from_julian_day(julian).expect("in range");
            let body = format!(
                "{province}{county:04}{:04}{:02}{:02}{seq:03}",
                birth.year(),
                u8::from(birth.month()),
                birth.day()
            );
            let check = id_number_check_char(&body).expect("17 digits");
            format!("{body}{check}")
        },
    )
}

/// Real registering regions: current and retired GB/T 2260 codes, and the national level.
const CREDIT_REGIONS: [&str; 9] =
    ["110000", "110101", "120000", "310115", "430104", "430124", "433101", "440300", "100000"];

fn credit_code_strategy() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = CREDIT_CODE_ALPHABET.chars().collect();
    let any_char = proptest::sample::select(alphabet);
    let head: Vec<String> = CREDIT_CODE_AUTHORITIES
        .iter()
        .flat_map(|(a, _, kinds)| kinds.chars().map(move |k| format!("{a}{k}")))
        .collect();
    (
        proptest::sample::select(head),
        proptest::sample::select(CREDIT_REGIONS.to_vec()),
        proptest::collection::vec(any_char, 9),
    )
        .prop_map(|(head, region, tail)| {
            let body: String = format!("{head}{region}{}", tail.into_iter().collect::<String>());
            let check = credit_code_check_char(&body).expect("alphabet");
            format!("{body}{check}")
        })
}

fn with_check(first17: &str) -> String {
    format!("{first17}{}", id_number_check_char(first17).expect("17 digits"))
}

fn replace_at(s: &str, pos: usize, c: char) -> String {
    s.chars().enumerate().map(|(i, o)| if i == pos { c } else { o }).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn gb11643_every_valid_id_number_round_trips(id in id_number_strategy()) {
        let parsed = IdNumber::parse_on(&id, TODAY).expect("valid by construction");
        prop_assert_eq!(parsed.as_str(), id.as_str());
        prop_assert_eq!(IdNumber::parse_on(parsed.as_str(), TODAY), Ok(parsed.clone()));
        prop_assert_eq!(IdNumber::parse_on(&id.to_lowercase(), TODAY), Ok(parsed));
    }

    #[test]
    fn gb11643_every_single_character_change_is_refused(
        id in id_number_strategy(),
        pos in 0usize..18,
        replacement in proptest::sample::select("0123456789X".chars().collect::<Vec<_>>()),
    ) {
        prop_assume!(id.chars().nth(pos) != Some(replacement));
        let changed = replace_at(&id, pos, replacement);
        prop_assert!(IdNumber::parse_on(&changed, TODAY).is_err(), "{} accepted", changed);
    }

    #[test]
    fn gb32100_every_valid_credit_code_round_trips(code in credit_code_strategy()) {
        let parsed = CreditCode::parse(&code).expect("valid by construction");
        prop_assert_eq!(parsed.as_str(), code.as_str());
        prop_assert_eq!(CreditCode::parse(parsed.as_str()), Ok(parsed.clone()));
        prop_assert_eq!(CreditCode::parse_with_warning(&code), Ok((parsed, None)));
    }

    #[test]
    fn gb32100_every_single_character_change_is_refused(
        code in credit_code_strategy(),
        pos in 0usize..18,
        replacement in proptest::sample::select(CREDIT_CODE_ALPHABET.chars().collect::<Vec<_>>()),
    ) {
        prop_assume!(code.chars().nth(pos) != Some(replacement));
        let changed = replace_at(&code, pos, replacement);
        prop_assert!(CreditCode::parse(&changed).is_err(), "{} accepted", changed);
    }
}

// --- GB 11643-1999 resident ID numbers -------------------------------------------------------

#[test]
fn gb11643_public_valid_vectors_from_facts_are_accepted() {
    for id in
        ["360426199101010071", "44011320141005001X", "110102199101010078", "412723199010050012", "11010519491231002X"]
    {
        let parsed = IdNumber::parse(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(parsed.as_str(), id);
        assert_eq!(parsed.to_string(), id);
    }
}

#[test]
fn gb11643_public_invalid_vector_names_the_expected_check_character_3() {
    let err = IdNumber::parse("36042619910102009X").expect_err("wrong check character");
    assert_eq!(err.field, "id_number");
    assert_eq!(err.code, "ID_NUMBER_CHECK");
    assert_eq!(err.detail, "身份证号码校验码错误，应为 3");
    assert!(IdNumber::parse("360426199101020093").is_ok());
}

#[test]
fn check_character_functions_answer_none_for_input_that_is_not_seventeen_valid_characters() {
    assert_eq!(id_number_check_char("36042619910102009"), Some('3'));
    assert_eq!(id_number_check_char("3604261991010200"), None);
    assert_eq!(id_number_check_char("3604261991010200X"), None);
    assert_eq!(credit_code_check_char("91110000600037341"), Some('L'));
    assert_eq!(credit_code_check_char("9111000060003734I"), None);
    assert_eq!(credit_code_check_char("9111000060003734"), None);
}

#[test]
fn gb11643_lower_case_x_and_surrounding_spaces_are_accepted_and_stored_upper_case() {
    let parsed = IdNumber::parse("  44011320141005001x ").expect("valid");
    assert_eq!(parsed.as_str(), "44011320141005001X");
}

#[test]
fn gb11643_wrong_length_bad_characters_and_unknown_province_have_distinct_codes() {
    let code = |s: &str| IdNumber::parse_on(s, TODAY).expect_err(s).code;
    assert_eq!(code("36042619910101007"), "ID_NUMBER_LENGTH");
    assert_eq!(code("3604261991010100711"), "ID_NUMBER_LENGTH");
    assert_eq!(code(""), "ID_NUMBER_LENGTH");
    assert_eq!(code("36042619910101007Y"), "ID_NUMBER_FORMAT");
    assert_eq!(code("3604261991010100X1"), "ID_NUMBER_FORMAT");
    assert_eq!(code("36042619910101007一"), "ID_NUMBER_FORMAT");
    // 99 is not a province code; the check character is right.
    assert_eq!(code(&with_check("99042619910101007")), "ID_NUMBER_FORMAT");
    let err = IdNumber::parse_on("36042619910101007", TODAY).expect_err("short");
    assert_eq!(err.detail, "身份证号码应为 18 位");
}

#[test]
fn gb11643_retired_county_codes_like_430124_ningxiang_county_are_still_accepted() {
    // 430124 宁乡县 became 430182 宁乡市; IDs issued before keep the old code.
    let id = IdNumber::parse_on(&with_check("43012419800515004"), TODAY).expect("retired county");
    assert_eq!(id.address_code(), "430124");
}

#[test]
fn gb11643_impossible_birth_dates_are_refused() {
    for body in ["43010219900230123", "43010219901301123", "43010218991231123"] {
        let id = with_check(body);
        let err = IdNumber::parse_on(&id, TODAY).expect_err(&id);
        assert_eq!(err.code, "ID_NUMBER_BIRTH_DATE", "{id}");
        assert_eq!(err.detail, "身份证号码中的出生日期无效");
    }
}

#[test]
fn gb11643_a_birth_date_after_today_is_refused_and_today_itself_is_accepted() {
    let id = "430102203001011237";
    let err = IdNumber::parse_on(id, TODAY).expect_err("born 2030");
    assert_eq!(err.code, "ID_NUMBER_BIRTH_DATE");
    assert_eq!(err.detail, "身份证号码中的出生日期晚于今天");
    let born = IdNumber::parse_on(id, date!(2030 - 01 - 01)).expect("born today");
    assert_eq!(born.birth_date(), date!(2030 - 01 - 01));
    assert!(IdNumber::parse(id).is_err(), "the real today is before 2030");
}

#[test]
fn gb11643_seventeenth_digit_odd_is_male_and_even_is_female() {
    let male = IdNumber::parse("110102199101010078").expect("valid");
    assert_eq!(male.gender(), Gender::Male);
    assert_eq!(male.gender().label(), "男");
    assert_eq!(male.birth_date(), date!(1991 - 01 - 01));
    let female = IdNumber::parse("11010519491231002X").expect("valid");
    assert_eq!(female.gender(), Gender::Female);
    assert_eq!(female.birth_date(), date!(1949 - 12 - 31));
}

#[test]
fn c2_masked_id_shows_first_three_eleven_stars_last_four_and_debug_never_shows_the_number() {
    let id = IdNumber::parse("43010219900105123X").expect("valid");
    assert_eq!(id.masked(), "430***********123X");
    let debug = format!("{id:?}");
    assert!(debug.contains("430***********123X"), "{debug}");
    assert!(!debug.contains("43010219900105123X"), "{debug}");
    assert!(!format!("{:?}", Some(&id)).contains("19900105"));
}

#[test]
fn gb11643_serde_writes_the_full_number_and_reading_parses_it() {
    let id = IdNumber::parse("11010519491231002X").expect("valid");
    assert_eq!(serde_json::to_string(&id).expect("json"), "\"11010519491231002X\"");
    let back: IdNumber = serde_json::from_str("\"11010519491231002x\"").expect("parse");
    assert_eq!(back, id);
    assert!(serde_json::from_str::<IdNumber>("\"36042619910102009X\"").is_err());
    assert_eq!("11010519491231002X".parse::<IdNumber>(), Ok(id));
}

// --- GB 32100-2015 unified social credit codes -----------------------------------------------

#[test]
fn gb32100_public_valid_vectors_from_facts_are_accepted() {
    for code in ["91110000600037341L", "91310115MA1K3BTP2B", "9144030071526726XG", "121200004013590816"] {
        let parsed = CreditCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(parsed.as_str(), code);
        assert!(parsed.has_valid_check());
    }
    assert_eq!(CreditCode::parse("91310115MA1K3BTP2B").expect("valid").region_code(), "310115");
}

#[test]
fn gb32100_public_invalid_vector_is_refused_naming_the_expected_check_character_l() {
    let err = CreditCode::parse("91110000600037341N").expect_err("wrong check");
    assert_eq!(err.field, "credit_code");
    assert_eq!(err.code, "CREDIT_CODE_CHECK");
    assert_eq!(err.detail, "统一社会信用代码校验码错误，应为 L");
}

#[test]
fn gb32100_early_pilot_code_with_wrong_check_is_accepted_with_a_warning_for_the_province_center() {
    let (code, warning) = CreditCode::parse_with_warning("91110000600037341N").expect("format ok");
    assert_eq!(code.as_str(), "91110000600037341N");
    assert!(!code.has_valid_check());
    let warning = warning.expect("a warning");
    assert_eq!(warning.code, "CREDIT_CODE_CHECK_WARNING");
    assert!(warning.detail.contains('L'), "{}", warning.detail);
    // The warning path does not relax the format.
    let err = CreditCode::parse_with_warning("911100006000373I1L").expect_err("I is not allowed");
    assert_eq!(err.code, "CREDIT_CODE_FORMAT");
}

#[test]
fn gb32100_lower_case_is_read_as_upper_case_and_bad_length_or_letters_have_distinct_codes() {
    let parsed = CreditCode::parse(" 91310115ma1k3btp2b ").expect("valid");
    assert_eq!(parsed.as_str(), "91310115MA1K3BTP2B");
    let code = |s: &str| CreditCode::parse(s).expect_err(s).code;
    assert_eq!(code("91110000600037341"), "CREDIT_CODE_LENGTH");
    assert_eq!(code("91110000600037341LL"), "CREDIT_CODE_LENGTH");
    assert_eq!(code("9111000060003734OL"), "CREDIT_CODE_FORMAT");
    assert_eq!(code("911A0000600037341L"), "CREDIT_CODE_FORMAT");
    assert_eq!(code("91110000600037341统"), "CREDIT_CODE_FORMAT");
}

// --- GB/T 2260 region codes and the 14 Hunan cities (S2, C1) ---------------------------------

#[test]
fn s2_the_fourteen_hunan_cities_parse_as_cities_with_their_names_and_c1_two_digits() {
    let expected_digits = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "31"];
    for ((code, name), digits) in HUNAN_CITIES.iter().zip(expected_digits) {
        let city = RegionCode::parse_hunan_city(code).expect(code);
        assert!(city.is_hunan_city());
        assert_eq!(city.city_name(), Some(*name));
        assert_eq!(city.city(), Some(city.clone()));
        assert_eq!(city.city_two_digits(), Some(digits));
    }
    assert_eq!(RegionCode::hunan_cities().len(), 14);
    assert_eq!(PROVINCE, ("430000", "湖南省"));
}

#[test]
fn s2_a_county_code_belongs_to_its_city_and_the_province_is_not_a_city() {
    let xiangxi_county = RegionCode::parse("433127").expect("永顺县");
    assert_eq!(xiangxi_county.city().map(|c| c.to_string()), Some("433100".to_owned()));
    assert_eq!(xiangxi_county.city_name(), Some("湘西土家族苗族自治州"));
    assert_eq!(xiangxi_county.city_two_digits(), Some("31"));
    assert!(!xiangxi_county.is_hunan_city());

    let province = RegionCode::parse("430000").expect("province");
    assert!(province.is_hunan_province());
    assert_eq!(province.name(), Some("湖南省"));
    assert_eq!(province.city(), None);
    assert_eq!(province.city_two_digits(), None);

    let beijing = RegionCode::parse("110101").expect("东城区");
    assert_eq!(beijing.city(), None);
    assert!(!beijing.is_hunan());
}

#[test]
fn s2_only_the_fourteen_hunan_cities_pass_parse_hunan_city() {
    for s in ["430000", "430102", "110100"] {
        let err = RegionCode::parse_hunan_city(s).expect_err(s);
        assert_eq!(err.code, "REGION_NOT_HUNAN_CITY");
        assert_eq!(err.detail, "不是湖南省的市州行政区划代码");
    }
    for s in ["43010", "4301000", "43010a", ""] {
        let err = RegionCode::parse(s).expect_err(s);
        assert_eq!((err.field.as_str(), err.code), ("region_code", "REGION_CODE_FORMAT"), "{s}");
    }
}

// --- S2 annex 1: phones and names ------------------------------------------------------------

#[test]
fn s2_mobile_and_landline_phones_are_accepted_with_spaces_removed() {
    for (input, stored) in [
        ("13800138000", "13800138000"),
        ("199 0000 1111", "19900001111"),
        ("0731-84567890", "0731-84567890"),
        ("073184567890", "073184567890"),
        ("010-12345678", "010-12345678"),
        ("0744-8234567", "0744-8234567"),
        ("0731-84567890-1234", "0731-84567890-1234"),
        ("0731 8456 7890", "073184567890"),
    ] {
        let phone = Phone::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(phone.as_str(), stored);
    }
    assert!(Phone::parse("13800138000").expect("mobile").is_mobile());
    assert!(!Phone::parse("0731-84567890").expect("landline").is_mobile());
}

#[test]
fn s2_malformed_phones_are_refused_with_an_example_in_the_message() {
    for input in [
        "12800138000",
        "1380013800",
        "138001380001",
        "0731-845678",
        "0731-845678901",
        "00731-84567890",
        "0731-84567890-1234567",
        "84567890",
        "0731--84567890",
        "+8613800138000",
        "",
    ] {
        let err = Phone::parse(input).expect_err(input);
        assert_eq!((err.field.as_str(), err.code), ("phone", "PHONE_FORMAT"), "{input}");
    }
    let err = Phone::parse("123").expect_err("short");
    assert_eq!(err.detail, "请填写 11 位手机号或带区号的固定电话，如 0731-84567890");
}

#[test]
fn s2_names_in_chinese_with_minority_dots_or_in_latin_letters_are_accepted() {
    for (input, stored) in [
        ("张三", "张三"),
        (" 欧阳修 ", "欧阳修"),
        ("阿沛·阿旺晋美", "阿沛·阿旺晋美"),
        ("阿沛•阿旺晋美", "阿沛·阿旺晋美"),
        ("阿沛．阿旺晋美", "阿沛·阿旺晋美"),
        ("䶮勇", "䶮勇"),
        ("John Smith", "John Smith"),
        ("John   Smith", "John Smith"),
    ] {
        let name = PersonName::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(name.as_str(), stored);
    }
}

#[test]
fn s2_names_with_digits_symbols_or_wrong_length_are_refused() {
    for input in ["张", "", " ", &"张".repeat(31)] {
        assert_eq!(PersonName::parse(input).expect_err(input).code, "NAME_LENGTH", "{input}");
    }
    for input in ["张三1", "张三!", "·张三", "张三·", "张··三", "张三Smith", "John_Smith", "张 三"] {
        let err = PersonName::parse(input).expect_err(input);
        assert_eq!((err.field.as_str(), err.code), ("name", "NAME_FORMAT"), "{input}");
    }
}

// --- Accounts ---------------------------------------------------------------------------------

#[test]
fn usernames_are_three_to_thirty_two_ascii_characters_starting_with_a_letter() {
    for ok in ["abc", "zhang.san", "city_admin-01", &format!("a{}", "b".repeat(31))] {
        assert_eq!(Username::parse(ok).expect(ok).as_str(), ok);
    }
    for (bad, code) in [
        ("ab", "USERNAME_LENGTH"),
        (&*format!("a{}", "b".repeat(32)), "USERNAME_LENGTH"),
        ("1abc", "USERNAME_FORMAT"),
        ("_abc", "USERNAME_FORMAT"),
        ("zhang san", "USERNAME_FORMAT"),
        ("张三丰", "USERNAME_FORMAT"),
    ] {
        let err = Username::parse(bad).expect_err(bad);
        assert_eq!((err.field.as_str(), err.code), ("username", code), "{bad}");
    }
}

#[test]
fn v1_default_password_policy_needs_eight_characters_of_three_classes() {
    let policy = PasswordPolicy::default();
    assert_eq!(policy, PasswordPolicy { min_length: 8, min_classes: 3 });
    assert_eq!(policy.check("Abcdef1!"), Ok(()));
    assert_eq!(policy.check("abcdef12"), Err(weak(3)));
    assert_eq!(policy.check("abcdefgh"), Err(weak(3)));
    assert_eq!(policy.check("Abcdef12"), Ok(()));
    assert_eq!(policy.check("abcde1!#"), Ok(()));
    let err = policy.check("Ab1!").expect_err("short");
    assert_eq!(err.field, "password");
    assert_eq!(err.code, "PASSWORD_TOO_SHORT");
    assert_eq!(err.detail, "密码至少 8 位");
}

#[test]
fn v1_password_policy_messages_carry_the_policy_numbers() {
    let policy = PasswordPolicy { min_length: 12, min_classes: 4 };
    assert_eq!(policy.check("Abcdef1!").expect_err("short").detail, "密码至少 12 位");
    assert_eq!(policy.check("Abcdefgh1234"), Err(weak(4)));
    assert_eq!(policy.check("Abcdefgh123!"), Ok(()));
}

fn weak(n: usize) -> domain::FieldError {
    domain::FieldError::new(
        "password",
        "PASSWORD_TOO_WEAK",
        format!("密码须包含大写字母、小写字母、数字、符号中的至少 {n} 类"),
    )
}

// --- F1 fees: money in fen ----------------------------------------------------------------------

#[test]
fn f1_amounts_in_yuan_with_up_to_two_decimals_are_read_as_fen() {
    for (input, fen) in [("150", 15000), ("150.5", 15050), ("150.00", 15000), ("0", 0), (" 0.01 ", 1)] {
        assert_eq!(Money::parse_yuan(input).expect(input).fen(), fen, "{input}");
    }
    for bad in ["-1", "150.001", "150.", ".5", "1,500", "一百", "", "1e3", "99999999999999999999"] {
        let err = Money::parse_yuan(bad).expect_err(bad);
        assert_eq!((err.field.as_str(), err.code), ("amount", "MONEY_FORMAT"), "{bad}");
    }
}

#[test]
fn f1_fee_of_150_yuan_displays_with_two_decimals_and_adds_up() {
    let theory = Money::from_fen(6000);
    let practical = Money::from_fen(6600);
    let administration = Money::from_fen(2400);
    let fee = theory + practical + administration;
    assert_eq!(fee, Money::parse_yuan("150").expect("150"));
    assert_eq!(fee.to_string(), "150.00");
    assert_eq!(fee.yuan_text(), "150.00 元");
    assert_eq!(Money::from_fen(5).to_string(), "0.05");
    assert_eq!(Money::from_fen(-150).to_string(), "-1.50");
    assert_eq!([fee, fee].into_iter().sum::<Money>(), Money::from_fen(30000));
    assert_eq!(fee.checked_times(3), Some(Money::from_fen(45000)));
    assert_eq!(serde_json::to_string(&fee).expect("json"), "\"150.00\"");
    assert_eq!(serde_json::from_str::<Money>("\"150.5\"").expect("json"), Money::from_fen(15050));
}
