//! Issue 8 item 11: codes checked against the published tables — GB/T 2260 region codes typed into a
//! form must be in force, a credit code's registration authority and type must be GB 32100's and its
//! positions 3–8 a real region, and an ID number from an unknown county is accepted with a warning.

use domain::ids::{
    CREDIT_CODE_AUTHORITIES, CreditCode, ID_UNKNOWN_COUNTY_WARNING, IdNumber, RegionCode, credit_code_check_char,
    division, id_number_check_char,
};
use time::macros::date;

fn credit(first17: &str) -> String {
    format!("{first17}{}", credit_code_check_char(first17).expect("alphabet"))
}

fn id(first17: &str) -> String {
    format!("{first17}{}", id_number_check_char(first17).expect("17 digits"))
}

#[test]
fn gbt2260_a_region_code_that_was_never_assigned_is_refused_naming_the_field() {
    for code in ["430199", "431400", "990100", "439900"] {
        let err = RegionCode::parse(code).expect_err(code);
        assert_eq!((err.field.as_str(), err.code), ("region_code", "REGION_CODE_UNKNOWN"), "{code}");
        assert!(err.detail.contains(code) && err.detail.contains("GB/T 2260"), "{}", err.detail);
    }
}

#[test]
fn gbt2260_a_retired_region_code_is_refused_in_a_form_naming_its_successor_era() {
    let err = RegionCode::parse("430122").expect_err("望城县 became 望城区 in 2011");
    assert_eq!((err.field.as_str(), err.code), ("region_code", "REGION_CODE_RETIRED"));
    assert!(err.detail.contains("望城县") && err.detail.contains("2011"), "{}", err.detail);
    assert!(RegionCode::parse("430112").is_ok(), "望城区");
}

#[test]
fn gbt2260_codes_in_force_across_china_are_accepted() {
    for (code, name) in [
        ("430000", "湖南省"),
        ("430104", "岳麓区"),
        ("430182", "宁乡市"),
        ("433127", "永顺县"),
        ("110101", "东城区"),
        ("440300", "深圳市"),
        ("659012", "白杨市"),
    ] {
        let parsed = RegionCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(parsed.division_name(), name);
    }
    assert_eq!(division("430124").and_then(|d| d.retired_after), Some(2017));
    assert_eq!(division("430199"), None);
}

#[test]
fn gb32100_the_registration_authority_must_be_one_of_the_standard() {
    for head in ["B1", "01", "Z1", "X1"] {
        let code = format!("{head}430100MA4L000001");
        let err = CreditCode::parse(&code).expect_err(&code);
        // Z and other letters outside the alphabet are format errors; the rest name position 1.
        let expected = if head.starts_with(['Z']) { "CREDIT_CODE_FORMAT" } else { "CREDIT_CODE_AUTHORITY" };
        assert_eq!((err.field.as_str(), err.code), ("credit_code", expected), "{code}");
    }
    let err = CreditCode::parse(&credit("B1430100MA4L00000")).expect_err("B is no authority");
    assert!(err.detail.contains("第 1 位"), "{}", err.detail);
}

#[test]
fn gb32100_the_organisation_type_must_be_assigned_under_its_authority() {
    for head in ["94", "99", "Y2", "14", "54", "A2", "N4"] {
        let code = credit(&format!("{head}430100MA4L00000"));
        let err = CreditCode::parse(&code).expect_err(&code);
        assert_eq!((err.field.as_str(), err.code), ("credit_code", "CREDIT_CODE_TYPE"), "{code}");
        assert!(err.detail.contains("第 2 位"), "{}", err.detail);
        // A pilot code with a wrong check character is no excuse for a wrong type.
        assert_eq!(CreditCode::parse_with_warning(&code).map(|_| ()).expect_err(&code).code, "CREDIT_CODE_TYPE");
    }
    let mut pairs = 0;
    for (authority, _, kinds) in CREDIT_CODE_AUTHORITIES {
        for kind in kinds.chars() {
            let code = credit(&format!("{authority}{kind}430100MA4L00000"));
            assert!(CreditCode::parse(&code).is_ok(), "{code}");
            pairs += 1;
        }
    }
    assert_eq!(pairs, 36, "the GB 32100 table has 36 authority/type pairs");
}

#[test]
fn gb32100_positions_3_to_8_must_be_a_real_region() {
    let code = credit("91430199MA4L00000");
    let err = CreditCode::parse(&code).expect_err(&code);
    assert_eq!((err.field.as_str(), err.code), ("credit_code", "CREDIT_CODE_REGION"));
    assert!(err.detail.contains("430199"), "{}", err.detail);
    // A code keeps the region it was issued in, even a retired one; national authorities use 100000.
    for body in ["91430124MA4L00000", "11100000MB0000000", "91310115MA1K3BTP2"] {
        assert!(CreditCode::parse(&credit(body)).is_ok(), "{body}");
    }
}

#[test]
fn gb11643_an_id_number_from_an_unknown_county_is_accepted_with_a_warning_never_refused() {
    let today = date!(2026 - 06 - 01);
    let unknown = IdNumber::parse_on(&id("43019919800515004"), today).expect("never refused for its county");
    assert!(unknown.unknown_county());
    for known in ["43012419800515004", "43010419800515004", "11010519491231002"] {
        let parsed = IdNumber::parse_on(&id(known), today).expect(known);
        assert!(!parsed.unknown_county(), "{known}: retired and current counties are known");
    }
    assert_eq!(ID_UNKNOWN_COUNTY_WARNING, "身份证号码的地址码未在行政区划代码表中（可能为已撤销的旧代码），请核对。");
}

#[test]
fn i9_8_the_picker_lists_current_divisions_level_by_level_and_codes_read_as_names() {
    use domain::ids::{children, region_display, region_name};
    let provinces = children(None);
    assert!(provinces.contains(&("430000", "湖南省")) && provinces.len() >= 31, "{}", provinces.len());
    let cities = children(Some("430000"));
    assert_eq!(cities.len(), 14);
    assert_eq!(cities[0], ("430100", "长沙市"));
    assert_eq!(cities[13], ("433100", "湘西土家族苗族自治州"));
    let counties = children(Some("430100"));
    assert!(counties.contains(&("430104", "岳麓区")));
    assert!(!counties.iter().any(|(c, _)| *c == "430122"), "retired 望城县 is not offered");
    assert!(children(Some("430104")).is_empty());
    assert_eq!(region_name("430102"), "长沙市芙蓉区");
    assert_eq!(region_display("430102"), "430102 长沙市芙蓉区");
    assert_eq!(region_display("430100"), "430100 长沙市");
    assert_eq!(region_display(""), "");
    assert_eq!(region_display("999999"), "999999");
}
