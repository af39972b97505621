//! S5: the institution code from the policy template (through `domain::numbering`), with the codes this
//! clause has always answered with.

use super::*;

/// The code of a station in `city2` with `serial`, filed in 2026.
fn code(template: &str, city2: &str, serial: u32) -> Result<String, FieldError> {
    institution_code_for_year(template, city2, serial, 2026)
}

#[test]
fn s5_the_default_template_renders_hn_city_serial() {
    let template = def(keys::INSTITUTION_CODE_TEMPLATE).expect("defined").default;
    assert_eq!(template, "HN{city2}{serial4}");
    assert_eq!(check_institution_code_template(template), Ok(()));
    assert_eq!(code(template, "01", 7).as_deref(), Ok("HN010007"));
    assert_eq!(code(template, "31", 9999).as_deref(), Ok("HN319999"));
    assert_eq!(code(template, "13", 1).as_deref(), Ok("HN130001"));
    assert_eq!(code("HN-{city2}-{serial6}", "07", 42).as_deref(), Ok("HN-07-000042"));
    assert_eq!(institution_code_for_year("HN{yyyy}{city2}{serial3}", "07", 12, 2026).as_deref(), Ok("HN202607012"));
    assert_eq!(institution_code_for_year("HN{yy}{city2}{serial3}", "07", 12, 2031).as_deref(), Ok("HN3107012"));
    assert_eq!(institution_code_for_year(template, "01", 7, 2030).as_deref(), Ok("HN010007"), "no year, none used");
    assert_eq!(code("  HN{city2}{serial4} ", "01", 7).as_deref(), Ok("HN010007"), "surrounding spaces ignored");
}

#[test]
fn s5_a_serial_overflowing_its_width_is_refused() {
    for serial in [10_000, u32::MAX, 0] {
        let err = code("HN{city2}{serial4}", "01", serial).expect_err("overflow");
        assert_eq!((err.field.as_str(), err.code), ("serial", "INSTITUTION_CODE_SERIAL_OVERFLOW"), "{serial}");
        assert!(err.detail.contains("4 位"), "{}", err.detail);
    }
    assert!(code("HN{serial9}", "01", 999_999_999).is_ok());
    assert!(code("HN{serial9}", "01", 1_000_000_000).is_err());
}

#[test]
fn s5_a_bad_template_or_city_is_refused() {
    let cases = [
        ("HN{city}{serial4}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{city2}{serial}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{city2}{serial10}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{city2}{serial04x}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{yyy}{serial4}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        // A station has no project: a certificate's placeholder cannot be filled by a filing decision.
        ("HN{project4}{serial4}", "INSTITUTION_CODE_PLACEHOLDER_UNKNOWN"),
        ("HN{city2}", "INSTITUTION_CODE_TEMPLATE"),
        ("HN{serial2}{serial4}", "INSTITUTION_CODE_TEMPLATE"),
        ("HN{city2{serial4}", "INSTITUTION_CODE_TEMPLATE"),
        ("HN}{serial4}", "INSTITUTION_CODE_TEMPLATE"),
        ("HN{serial4", "INSTITUTION_CODE_TEMPLATE"),
        ("湘{city2}{serial4}", "INSTITUTION_CODE_TEMPLATE"),
        ("HN {city2}{serial4}", "INSTITUTION_CODE_TEMPLATE"),
        ("", "INSTITUTION_CODE_TEMPLATE"),
    ];
    for (template, want) in cases {
        let err = code(template, "01", 7).expect_err(template);
        assert_eq!(err.code, want, "{template}");
        assert!(!err.detail.is_ascii(), "{}", err.detail);
        assert_eq!(check_institution_code_template(template).map_err(|e| e.code), Err(want), "{template}");
    }
    let err = code("HN{city}{serial4}", "01", 7).expect_err("unknown");
    assert_eq!(err.field, "institution_code_template");
    assert!(err.detail.contains("{city}"), "{}", err.detail);
    let err = code("HN{project4}{serial4}", "01", 7).expect_err("no project");
    assert_eq!(err.field, "institution_code_template");
    assert!(err.detail.contains("考核站机构编码") && err.detail.contains("{project4}"), "{}", err.detail);
    for city in ["14", "00", "1", "001", "ab", "43"] {
        let err = code("HN{city2}{serial4}", city, 7).expect_err(city);
        assert_eq!((err.field.as_str(), err.code), ("region_code", "INSTITUTION_CODE_CITY"), "{city}");
    }
    for year in [99, 10_000, -2026] {
        let err = institution_code_for_year("HN{yyyy}{serial4}", "01", 7, year).expect_err("not four digits");
        assert_eq!((err.field.as_str(), err.code), ("institution_code_template", "INSTITUTION_CODE_YEAR_REQUIRED"));
    }
}

#[test]
fn s5_every_hunan_city_has_its_two_digits() {
    for city in RegionCode::hunan_cities() {
        let two = city.city_two_digits().expect("a city");
        assert_eq!(code("HN{city2}{serial4}", two, 1), Ok(format!("HN{two}0001")));
    }
}
