//! Number templates (S5 institution codes, C1 certificate numbers, E3 admission tickets): one parser that
//! refuses what cannot render, one renderer that never truncates, and the certificate default of
//! docs/FACTS.md ("43" + city + 2-digit year + 4-digit project code + 6-digit serial).

use domain::FieldError;
use domain::numbering::{
    CITY_INVALID, NumberParts, NumberTemplate, PLACEHOLDER_NOT_SUPPLIED, PLACEHOLDER_UNKNOWN, PROJECT_INVALID, Part,
    Placeholder, SERIAL_OVERFLOW, TEMPLATE_INVALID, YEAR_INVALID,
};
use domain::policy::{def, keys};

const FIELD: &str = "certificate_number_template";

fn parse(text: &str) -> Result<NumberTemplate, FieldError> {
    NumberTemplate::parse(FIELD, text)
}

/// Changsha, 2026, project 12, serial 42.
fn parts() -> NumberParts<'static> {
    NumberParts { city2: Some("01"), year: Some(2026), project: Some(12), serial: 42 }
}

#[test]
fn c1_the_certificate_default_renders_province_city_year_project_serial() {
    let template = def(keys::CERTIFICATE_NUMBER_TEMPLATE).expect("defined").default;
    assert_eq!(template, "43{city2}{yy}{project4}{serial6}");
    let t = parse(template).expect("the default parses");
    assert_eq!(
        t.placeholders().collect::<Vec<_>>(),
        [Placeholder::City2, Placeholder::Year2, Placeholder::Project(4), Placeholder::Serial(6)]
    );
    assert_eq!(t.render(&parts()).as_deref(), Ok("4301260012000042"));
    assert_eq!(t.render(&parts()).map(|n| n.len()), Ok(16));
    assert_eq!(t.supplied_by(&[Part::City, Part::Year, Part::Project, Part::Serial], "证书编号"), Ok(()));
    // The policy publishes it.
    let policy = def(keys::CERTIFICATE_NUMBER_TEMPLATE).expect("defined");
    assert_eq!(policy.parse_input(template).as_deref(), Ok(template));
}

#[test]
fn s5_c1_e3_every_placeholder_renders_as_the_table_says() {
    let cases: [(&str, NumberParts, &str); 10] = [
        ("HN{city2}{serial4}", parts(), "HN010042"),
        ("{yyyy}-{serial3}", parts(), "2026-042"),
        ("{yy}{serial2}", parts(), "2642"),
        ("{yy}{serial1}", NumberParts { year: Some(2000), serial: 7, ..parts() }, "007"),
        ("{yy}{serial1}", NumberParts { year: Some(2009), serial: 7, ..parts() }, "097"),
        ("P{project1}_{serial9}", NumberParts { project: Some(3), ..parts() }, "P3_000000042"),
        ("{project6}{serial6}", NumberParts { project: Some(999_999), serial: 999_999, ..parts() }, "999999999999"),
        ("{project2}{serial1}", NumberParts { project: Some(0), serial: 1, ..parts() }, "001"),
        ("ZK{city2}{yyyy}{serial5}", NumberParts { city2: Some("31"), ..parts() }, "ZK31202600042"),
        // Only the parts a template uses are needed.
        ("X{serial3}", NumberParts { serial: 5, ..NumberParts::default() }, "X005"),
    ];
    for (template, p, want) in cases {
        assert_eq!(parse(template).and_then(|t| t.render(&p)).as_deref(), Ok(want), "{template}");
    }
    let t = parse("  HN{city2}{serial4}\t").expect("surrounding spaces ignored");
    assert_eq!((t.as_str(), t.to_string().as_str()), ("HN{city2}{serial4}", "HN{city2}{serial4}"));
}

#[test]
fn s5_c1_e3_a_template_that_cannot_render_is_refused_naming_the_field() {
    let cases = [
        ("{city}{serial4}", PLACEHOLDER_UNKNOWN),
        ("{city3}{serial4}", PLACEHOLDER_UNKNOWN),
        ("{y}{serial4}", PLACEHOLDER_UNKNOWN),
        ("{yyy}{serial4}", PLACEHOLDER_UNKNOWN),
        ("{project}{serial4}", PLACEHOLDER_UNKNOWN),
        ("{project0}{serial4}", PLACEHOLDER_UNKNOWN),
        ("{project10}{serial4}", PLACEHOLDER_UNKNOWN),
        ("{serial}", PLACEHOLDER_UNKNOWN),
        ("{serial0}", PLACEHOLDER_UNKNOWN),
        ("{serial10}", PLACEHOLDER_UNKNOWN),
        ("{serial04}", PLACEHOLDER_UNKNOWN),
        ("{serial4x}", PLACEHOLDER_UNKNOWN),
        ("{Serial4}", PLACEHOLDER_UNKNOWN),
        ("{}{serial4}", PLACEHOLDER_UNKNOWN),
        ("{ serial4 }", PLACEHOLDER_UNKNOWN),
        ("HN{city2}", TEMPLATE_INVALID),
        ("", TEMPLATE_INVALID),
        ("   ", TEMPLATE_INVALID),
        ("{serial2}{serial4}", TEMPLATE_INVALID),
        ("{city2{serial4}", TEMPLATE_INVALID),
        ("HN}{serial4}", TEMPLATE_INVALID),
        ("HN{serial4", TEMPLATE_INVALID),
        ("HN {serial4}", TEMPLATE_INVALID),
        ("HN\t{serial4}", TEMPLATE_INVALID),
        ("湘{serial4}", TEMPLATE_INVALID),
        ("HN/{serial4}", TEMPLATE_INVALID),
    ];
    for (template, code) in cases {
        let err = parse(template).expect_err(template);
        assert_eq!((err.field.as_str(), err.code), (FIELD, code), "{template:?}: {}", err.detail);
        assert!(err.detail.contains("编号规则"), "{template:?}: {}", err.detail);
    }
    let err = parse("{city}{serial4}").expect_err("unknown");
    assert!(err.detail.contains("{city}") && err.detail.contains("{projectN}"), "{}", err.detail);
    let err = parse("HN {serial4}").expect_err("space");
    assert!(err.detail.contains("“ ”"), "{}", err.detail);
    let err = parse("{serial2}{serial4}").expect_err("two serials");
    assert!(err.detail.contains("只包含一个流水号"), "{}", err.detail);
}

#[test]
fn s5_c1_e3_a_value_wider_than_its_placeholder_is_refused_never_truncated() {
    type Case = (&'static str, NumberParts<'static>, &'static str, &'static str);
    let cases: Vec<Case> = vec![
        ("{serial4}", NumberParts { serial: 10_000, ..parts() }, "serial", SERIAL_OVERFLOW),
        ("{serial4}", NumberParts { serial: 0, ..parts() }, "serial", SERIAL_OVERFLOW),
        ("{serial9}", NumberParts { serial: 1_000_000_000, ..parts() }, "serial", SERIAL_OVERFLOW),
        ("{serial9}", NumberParts { serial: u64::MAX, ..parts() }, "serial", SERIAL_OVERFLOW),
        ("{project4}{serial4}", NumberParts { project: Some(10_000), ..parts() }, "project_code", PROJECT_INVALID),
        ("{project4}{serial4}", NumberParts { project: None, ..parts() }, "project_code", PROJECT_INVALID),
        ("{yy}{serial4}", NumberParts { year: None, ..parts() }, FIELD, YEAR_INVALID),
        ("{yyyy}{serial4}", NumberParts { year: Some(999), ..parts() }, FIELD, YEAR_INVALID),
        ("{yy}{serial4}", NumberParts { year: Some(10_000), ..parts() }, FIELD, YEAR_INVALID),
        ("{city2}{serial4}", NumberParts { city2: None, ..parts() }, "region_code", CITY_INVALID),
        ("{city2}{serial4}", NumberParts { city2: Some("14"), ..parts() }, "region_code", CITY_INVALID),
        // A city given is checked even where the template does not print it.
        ("{serial4}", NumberParts { city2: Some("1"), ..parts() }, "region_code", CITY_INVALID),
    ];
    for (template, p, field, code) in cases {
        let err = parse(template).expect("parses").render(&p).expect_err(template);
        assert_eq!((err.field.as_str(), err.code), (field, code), "{template} {p:?}: {}", err.detail);
        assert!(!err.detail.is_ascii(), "{}", err.detail);
    }
    let err = parse("{serial4}").expect("parses").render(&NumberParts { serial: 12_345, ..parts() });
    assert_eq!(err.map_err(|e| e.detail), Err("流水号 12345 超出编号规则的 4 位范围（1–9999）".to_owned()));
}

#[test]
fn s5_c1_a_kind_of_number_uses_only_the_placeholders_its_step_fills() {
    let t = parse("HN{city2}{project4}{serial4}").expect("parses");
    let err = t.supplied_by(&[Part::City, Part::Year, Part::Serial], "考核站机构编码").expect_err("no project");
    assert_eq!((err.field.as_str(), err.code), (FIELD, PLACEHOLDER_NOT_SUPPLIED));
    assert_eq!(
        err.detail,
        "考核站机构编码的编号规则不能使用占位符 {project4}，只能使用 {city2}、{yyyy}、{yy}、{serialN}"
    );
    assert_eq!(t.supplied_by(&[Part::Serial, Part::Project, Part::City], "证书编号"), Ok(()));
    let err = parse("{yyyy}{serial4}").and_then(|t| t.supplied_by(&[Part::Serial], "准考证号")).expect_err("no year");
    assert!(err.detail.contains("{yyyy}"), "{}", err.detail);
}

#[test]
fn i9_16_the_filing_reference_reads_bei_year_serial_and_allows_chinese_only_there() {
    assert_eq!(
        domain::numbering::filing_reference(domain::numbering::FILING_REFERENCE_DEFAULT, 2026, 1).as_deref(),
        Ok("备2026-0001")
    );
    assert_eq!(domain::numbering::filing_reference("备{yy}{serial3}", 2027, 12).as_deref(), Ok("备27012"));
    // The reference has no city or project: a template naming them is refused before it is published.
    let err = domain::numbering::check_filing_reference_template("value", "备{city2}{serial4}").expect_err("city");
    assert_eq!(err.code, PLACEHOLDER_NOT_SUPPLIED, "{}", err.detail);
    // Institution codes and certificate numbers stay ASCII.
    assert_eq!(parse("湘{serial4}").expect_err("hanzi").code, TEMPLATE_INVALID);
}
