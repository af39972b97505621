//! P4: the project code from the policy template — digits only, the default four digits the
//! certificate's `{project4}` takes.

use super::*;

#[test]
fn p4_the_default_template_gives_four_digit_codes() {
    let d = def(keys::PROJECT_CODE_TEMPLATE).expect("defined");
    assert_eq!((d.default, d.clause, d.assumption), ("{serial4}", "P4", true));
    let code = project_code(d.default, 7, 2026).expect("renders");
    assert_eq!(code.as_str(), "0007");
    assert_eq!(code.number(), 7);
    assert_eq!(project_code(d.default, 9999, 2026).expect("last").as_str(), "9999");
    let e = project_code(d.default, 10_000, 2026).expect_err("overflow");
    assert_eq!((e.field.as_str(), e.code), ("serial", "PROJECT_CODE_SERIAL_OVERFLOW"));
    assert_eq!(project_code(d.default, 0, 2026).expect_err("zero").code, "PROJECT_CODE_SERIAL_OVERFLOW");
}

#[test]
fn p4_the_code_goes_into_the_certificate_number_as_its_digits() {
    use domain::numbering::{NumberParts, NumberTemplate};
    let code = project_code("{serial4}", 42, 2026).expect("code");
    let cert = NumberTemplate::parse("value", "43{city2}{yy}{project4}{serial6}").expect("certificate template");
    let number = cert
        .render(&NumberParts { city2: Some("01"), year: Some(2026), project: Some(code.number()), serial: 1 })
        .expect("renders");
    assert_eq!(number, "430126".to_owned() + "0042" + "000001");
    // A wider code does not fit {project4}: refused, never truncated.
    let wide = project_code("{yy}{serial4}", 42, 2026).expect("six digits");
    assert_eq!(wide.as_str(), "260042");
    let e = cert
        .render(&NumberParts { city2: Some("01"), year: Some(2026), project: Some(wide.number()), serial: 1 })
        .expect_err("too wide");
    assert_eq!(e.code, "NUMBER_PROJECT_INVALID");
}

#[test]
fn p4_only_digit_templates_that_fit_nine_digits_are_published() {
    for ok in ["{serial4}", "{yyyy}{serial4}", "9{serial3}", "{serial9}"] {
        assert_eq!(check_project_code_template(ok), Ok(()), "{ok}");
    }
    for (bad, code) in [
        ("P{serial4}", "PROJECT_CODE_TEMPLATE"),
        ("{serial4}-1", "PROJECT_CODE_TEMPLATE"),
        ("{city2}{serial4}", "PROJECT_CODE_PLACEHOLDER_UNKNOWN"),
        ("{project4}{serial2}", "PROJECT_CODE_PLACEHOLDER_UNKNOWN"),
        ("{yyyy}{serial6}", "PROJECT_CODE_TEMPLATE"),
        ("{serial4", "PROJECT_CODE_TEMPLATE"),
        ("1234", "PROJECT_CODE_TEMPLATE"),
    ] {
        let e = check_project_code_template(bad).expect_err(bad);
        assert_eq!((e.field.as_str(), e.code), ("project_code_template", code), "{bad}: {}", e.detail);
    }
    assert_eq!(
        check_project_code_template("{yyyy}{serial6}").expect_err("ten digits").detail,
        "考核项目代码最多 9 位数字，该编号规则为 10 位"
    );
}

#[test]
fn p4_a_stored_code_is_one_to_nine_digits() {
    assert_eq!(ProjectCode::parse(" 0042 ").expect("code").as_str(), "0042");
    for bad in ["", "12a4", "1234567890", "-1", "１２"] {
        assert_eq!(ProjectCode::parse(bad).expect_err(bad).code, "PROJECT_CODE_FORMAT", "{bad}");
    }
}
