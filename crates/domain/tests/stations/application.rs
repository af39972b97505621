//! S1, S2: the annex-1 application with every kind of bad field, and its materials.

use super::*;

#[test]
fn s1_s2_a_complete_application_parses() {
    let app = FilingApplication::parse(&ApplicationInput::example()).expect("valid");
    assert_eq!(app.institution_name(), "长沙市岳麓区米粉职业培训学校");
    assert_eq!(app.nature(), Nature::PrivateNonEnterprise);
    assert_eq!(app.category(), ApplicantCategory::OtherUnit);
    assert_eq!(app.person_in_charge().name.as_str(), "张三");
    assert_eq!(app.contact().phone.as_str(), "0731-84567890");
    assert_eq!(app.region().as_str(), "430104");
    assert_eq!(app.city().as_str(), "430100");
    assert_eq!(app.projects(), ["米粉制作", "湘菜烹饪"]);
    let mut padded = ApplicationInput::example();
    padded.projects[1] = " 湘菜烹饪 ".into();
    padded.institution_name = format!("  {}  ", padded.institution_name);
    let trimmed = FilingApplication::parse(&padded).expect("valid");
    assert_eq!(trimmed.projects(), ["米粉制作", "湘菜烹饪"], "project names are trimmed");
    assert_eq!(trimmed.institution_name(), "长沙市岳麓区米粉职业培训学校");
    assert_eq!(app.facilities().len(), 3);
    assert_eq!(app.assessors()[2].name.as_str(), "阿依古丽·买买提");
    assert_eq!(app.assessors()[2].project, "湘菜烹饪");
    let conditions: Vec<_> = app.conditions().iter().map(|c| c.condition).collect();
    assert_eq!(conditions, S1Condition::ALL.to_vec());
    assert_eq!(app.legal_representative().as_str(), "张三");
    assert_eq!(app.receiver(), Receiver::City);
    assert_eq!(app.receiving_center_region().as_str(), "430100");

    let mut provincial = ApplicationInput::example();
    provincial.category = "central_enterprise".into();
    let app = FilingApplication::parse(&provincial).expect("valid");
    assert_eq!(app.receiver(), Receiver::Province);
    assert_eq!(app.receiving_center_region().as_str(), "430000");
    assert_eq!(app.city().as_str(), "430100", "the city still decides the institution code");

    let mut city_level = ApplicationInput::example();
    city_level.region_code = "433100".into();
    assert_eq!(FilingApplication::parse(&city_level).expect("a city code").city().as_str(), "433100");
}

#[test]
fn s1_s2_the_input_round_trips_as_json_and_missing_keys_default() {
    let input = ApplicationInput::example();
    let json = serde_json::to_string(&input).expect("json");
    let back: ApplicationInput = serde_json::from_str(&json).expect("back");
    assert_eq!(back, input);
    let partial: ApplicationInput = serde_json::from_str(r#"{"institution_name":"甲单位"}"#).expect("partial");
    assert_eq!(partial.institution_name, "甲单位");
    assert!(partial.projects.is_empty() && !partial.commitment_confirmed);
}

#[test]
fn s1_s2_spare_blank_rows_are_ignored_and_keep_the_other_indexes() {
    let mut input = ApplicationInput::example();
    input.facilities.insert(1, FacilityInput::default());
    input.assessors.push(AssessorInput { name: " ".into(), ..Default::default() });
    input.projects.push("  ".into());
    let app = FilingApplication::parse(&input).expect("blank rows ignored");
    assert_eq!(app.facilities().len(), 3);
    assert_eq!(app.assessors().len(), 3);
    assert_eq!(app.projects().len(), 2);

    input.facilities[3].purpose = "x".into();
    let errors = FilingApplication::parse(&input).expect_err("bad row");
    assert_eq!(errors.0.len(), 1);
    assert_eq!(errors.0[0].field, "facilities[3].purpose", "the index of the row as sent");

    let mut input = ApplicationInput::example();
    input.assessors[2] = AssessorInput::default();
    let errors = FilingApplication::parse(&input).expect_err("two assessors");
    assert_eq!(errors.get("assessors").map(|e| e.code), Some("ASSESSORS_TOO_FEW"));
}

type Mutation = fn(&mut ApplicationInput);

#[test]
fn s1_s2_every_kind_of_bad_field_is_named_with_a_chinese_reason() {
    let cases: Vec<(&str, Mutation, &str, &str)> = vec![
        ("empty name", |i| i.institution_name = "  ".into(), "institution_name", "INSTITUTION_NAME_LENGTH"),
        ("short name", |i| i.institution_name = "甲".into(), "institution_name", "INSTITUTION_NAME_LENGTH"),
        ("long name", |i| i.institution_name = "长".repeat(101), "institution_name", "INSTITUTION_NAME_LENGTH"),
        ("nature", |i| i.nature = "company".into(), "nature", "NATURE_UNKNOWN"),
        ("category", |i| i.category = String::new(), "category", "APPLICANT_CATEGORY_UNKNOWN"),
        ("category label", |i| i.category = "省属企业".into(), "category", "APPLICANT_CATEGORY_UNKNOWN"),
        ("charge name", |i| i.person_in_charge_name = "张".into(), "person_in_charge.name", "NAME_LENGTH"),
        ("charge phone", |i| i.person_in_charge_phone = "12345".into(), "person_in_charge.phone", "PHONE_FORMAT"),
        ("contact name", |i| i.contact_name = "Li3".into(), "contact.name", "NAME_FORMAT"),
        ("contact phone", |i| i.contact_phone = String::new(), "contact.phone", "PHONE_FORMAT"),
        ("address", |i| i.address = "长沙".into(), "address", "ADDRESS_LENGTH"),
        ("region format", |i| i.region_code = "4301".into(), "region_code", "REGION_CODE_FORMAT"),
        ("region elsewhere", |i| i.region_code = "440300".into(), "region_code", "REGION_NOT_HUNAN_COUNTY"),
        ("region province", |i| i.region_code = "430000".into(), "region_code", "REGION_NOT_HUNAN_COUNTY"),
        ("region never assigned", |i| i.region_code = "430199".into(), "region_code", "REGION_CODE_UNKNOWN"),
        ("no projects", |i| i.projects.clear(), "projects", "PROJECTS_REQUIRED"),
        ("short project", |i| i.projects.push("米".into()), "projects[2]", "PROJECT_NAME_LENGTH"),
        ("long project", |i| i.projects.push("长".repeat(51)), "projects[2]", "PROJECT_NAME_LENGTH"),
        ("duplicate project", |i| i.projects.push("米粉制作 ".into()), "projects[2]", "PROJECT_DUPLICATE"),
        (
            "too many projects",
            |i| i.projects.extend((i.projects.len()..=MAX_ROWS).map(|n| format!("项目{n}"))),
            "projects",
            "ROWS_TOO_MANY",
        ),
        ("no facilities", |i| i.facilities.clear(), "facilities", "FACILITIES_REQUIRED"),
        ("facility name", |i| i.facilities[2].name = String::new(), "facilities[2].name", "FACILITY_NAME_LENGTH"),
        (
            "facility spec",
            |i| i.facilities[0].specification = " ".into(),
            "facilities[0].specification",
            "FACILITY_SPECIFICATION_LENGTH",
        ),
        (
            "facility purpose",
            |i| i.facilities[1].purpose = "x".into(),
            "facilities[1].purpose",
            "FACILITY_PURPOSE_LENGTH",
        ),
        ("two assessors", |i| i.assessors.truncate(2), "assessors", "ASSESSORS_TOO_FEW"),
        ("assessor name", |i| i.assessors[1].name = "王".into(), "assessors[1].name", "NAME_LENGTH"),
        (
            "assessor card",
            |i| i.assessors[0].qualification = String::new(),
            "assessors[0].qualification",
            "ASSESSOR_QUALIFICATION_LENGTH",
        ),
        (
            "assessor project",
            |i| i.assessors[2].project = "茶艺".into(),
            "assessors[2].project",
            "ASSESSOR_PROJECT_NOT_APPLIED",
        ),
        (
            "assessor no project",
            |i| i.assessors[2].project = String::new(),
            "assessors[2].project",
            "ASSESSOR_PROJECT_NOT_APPLIED",
        ),
        (
            "condition not affirmed",
            |i| i.conditions[1].affirmed = false,
            "conditions.experience.affirmed",
            "CONDITION_NOT_AFFIRMED",
        ),
        (
            "condition evidence",
            |i| i.conditions[2].evidence = "有".into(),
            "conditions.offices.evidence",
            "CONDITION_EVIDENCE_LENGTH",
        ),
        (
            "condition unknown",
            |i| {
                i.conditions.push(ConditionInput {
                    condition: "credit".into(),
                    affirmed: true,
                    evidence: "良好".into(),
                })
            },
            "conditions[5].condition",
            "CONDITION_UNKNOWN",
        ),
        (
            "condition duplicate",
            |i| {
                let again = i.conditions[0].clone();
                i.conditions.push(again);
            },
            "conditions[5].condition",
            "CONDITION_DUPLICATE",
        ),
        (
            "representative",
            |i| i.legal_representative = String::new(),
            "commitment.legal_representative",
            "NAME_LENGTH",
        ),
        ("not confirmed", |i| i.commitment_confirmed = false, "commitment.confirmed", "COMMITMENT_NOT_CONFIRMED"),
    ];
    for (name, mutate, field, code) in cases {
        let mut input = ApplicationInput::example();
        mutate(&mut input);
        let errors = FilingApplication::parse(&input).expect_err(name);
        assert_eq!(errors.0.len(), 1, "{name}: {errors}");
        let e = &errors.0[0];
        assert_eq!((e.field.as_str(), e.code), (field, code), "{name}: {}", e.detail);
        assert!(!e.detail.is_empty() && !e.detail.is_ascii(), "{name}: {}", e.detail);
    }
}

#[test]
fn s1_a_missing_condition_needs_both_the_affirmation_and_the_evidence() {
    let mut input = ApplicationInput::example();
    input.conditions.retain(|c| c.condition != "management_rules");
    let errors = FilingApplication::parse(&input).expect_err("missing");
    let fields: Vec<_> = errors.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        fields,
        [
            ("conditions.management_rules.affirmed", "CONDITION_NOT_AFFIRMED"),
            ("conditions.management_rules.evidence", "CONDITION_EVIDENCE_LENGTH"),
        ]
    );
    assert!(errors.0[0].detail.contains("财务管理制度"), "the clause's words: {}", errors.0[0].detail);
}

#[test]
fn s1_s2_an_empty_form_reports_every_field_at_once() {
    let errors = FilingApplication::parse(&ApplicationInput::default()).expect_err("empty");
    let mut fields: Vec<String> = errors.0.iter().map(|e| e.field.clone()).collect();
    fields.sort_unstable();
    let mut want: Vec<String> = [
        "institution_name",
        "nature",
        "category",
        "person_in_charge.name",
        "person_in_charge.phone",
        "contact.name",
        "contact.phone",
        "address",
        "region_code",
        "projects",
        "facilities",
        "assessors",
        "commitment.legal_representative",
        "commitment.confirmed",
    ]
    .map(String::from)
    .to_vec();
    for c in S1Condition::ALL {
        want.push(format!("conditions.{}.affirmed", c.id()));
        want.push(format!("conditions.{}.evidence", c.id()));
    }
    want.sort_unstable();
    assert_eq!(fields, want);
}

#[test]
fn s1_the_panel_minimum_follows_the_policy_in_force() {
    assert_eq!(def(keys::PANEL_MIN_ASSESSORS).map(|d| d.default), Some("3"));
    assert_eq!(DEFAULT_MIN_ASSESSORS, 3);
    let errors = FilingApplication::parse_with(&ApplicationInput::example(), 5).expect_err("five needed");
    let e = errors.get("assessors").expect("assessors");
    assert_eq!(e.code, "ASSESSORS_TOO_FEW");
    assert!(e.detail.contains("5 人") && e.detail.contains("3 人"), "{}", e.detail);
    assert!(FilingApplication::parse_with(&ApplicationInput::example(), 1).is_ok());
}

#[test]
fn s2_annex_1_needs_all_four_kinds_of_materials() {
    assert_eq!(check_materials(MaterialKind::ALL), Ok(()));
    let errors = check_materials(&[MaterialKind::QualificationProof, MaterialKind::AssessorRoster]).expect_err("two");
    let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["materials.venue_equipment_list", "materials.management_rules"]);
    assert!(errors.0.iter().all(|e| e.code == "MATERIAL_MISSING"));
    assert_eq!(errors.0[1].detail, "请上传附件材料“管理运行制度和管理人员名册”");
    assert_eq!(check_materials(&[]).expect_err("none").0.len(), 4);
}

#[test]
fn i9_11_a_half_filled_draft_passes_the_draft_check_and_fails_submission_naming_each_missing_field() {
    let half = ApplicationInput {
        institution_name: "长沙市岳麓区米粉职业培训学校".into(),
        contact_name: "李四".into(),
        projects: vec!["米粉制作".into()],
        facilities: vec![FacilityInput { name: "实操教室".into(), ..Default::default() }],
        ..Default::default()
    };
    FilingApplication::check_draft(&half).expect("a half-filled draft is kept");
    assert!(FilingApplication::check_draft(&ApplicationInput::default()).is_ok(), "an empty draft too");

    let errors = FilingApplication::parse(&half).expect_err("incomplete at submission");
    let detail = |field: &str| errors.0.iter().find(|e| e.field == field).map(|e| e.detail.clone());
    assert_eq!(detail("person_in_charge.name").as_deref(), Some("请填写负责人姓名"));
    assert_eq!(detail("person_in_charge.phone").as_deref(), Some("请填写负责人电话"));
    assert_eq!(detail("contact.phone").as_deref(), Some("请填写联系人电话"));
    assert_eq!(detail("nature").as_deref(), Some("请选择单位性质"));
    assert_eq!(detail("category").as_deref(), Some("请选择申请单位类别"));
    assert_eq!(detail("region_code").as_deref(), Some("请选择所在地区"));
    assert_eq!(detail("address").as_deref(), Some("请填写详细地址"));
    assert_eq!(detail("facilities[0].purpose").as_deref(), Some("请填写用途"));
    assert_eq!(detail("commitment.legal_representative").as_deref(), Some("请填写法定代表人姓名"));
    assert!(detail("contact.name").is_none(), "what is filled in is fine");
}

#[test]
fn i9_11_the_draft_check_still_refuses_what_is_filled_in_wrongly() {
    let bad = ApplicationInput {
        institution_name: "甲".into(),
        contact_phone: "12345".into(),
        region_code: "440100".into(),
        projects: vec!["米粉制作".into(), "米粉制作".into()],
        assessors: vec![AssessorInput { name: "王".into(), ..Default::default() }],
        conditions: vec![ConditionInput { condition: "nonsense".into(), ..Default::default() }],
        ..Default::default()
    };
    let errors = FilingApplication::check_draft(&bad).expect_err("format errors stay");
    let mut fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "assessors[0].name",
            "conditions[0].condition",
            "contact.phone",
            "institution_name",
            "projects[1]",
            "region_code"
        ]
    );
    let too_many = ApplicationInput { projects: vec!["米粉制作".into(); MAX_ROWS + 1], ..Default::default() };
    let errors = FilingApplication::check_draft(&too_many).expect_err("too many rows");
    assert_eq!(errors.0[0].code, "ROWS_TOO_MANY");
}

#[test]
fn i9_7_blank_required_fields_say_please_fill_in_not_a_length_rule() {
    let errors = FilingApplication::parse(&ApplicationInput::default()).expect_err("empty");
    for e in &errors.0 {
        assert!(
            e.detail.starts_with("请填写")
                || e.detail.starts_with("请选择")
                || e.detail.starts_with("请至少")
                || e.detail.starts_with("须")
                || e.detail.starts_with("考评人员至少"),
            "{}: {}",
            e.field,
            e.detail
        );
        assert!(!e.detail.contains("应为"), "{}: {}", e.field, e.detail);
    }
    use domain::ids::{CreditCode, IdNumber, PersonName, Phone, Username};
    assert_eq!(PersonName::parse(" ").expect_err("blank").detail, "请填写姓名");
    assert_eq!(Phone::parse("").expect_err("blank").detail, "请填写电话");
    assert_eq!(RegionCode::parse("").expect_err("blank").detail, "请选择所在地区");
    assert_eq!(Username::parse("").expect_err("blank").detail, "请填写用户名");
    assert_eq!(IdNumber::parse("").expect_err("blank").detail, "请填写身份证号码");
    assert_eq!(CreditCode::parse("").expect_err("blank").detail, "请填写统一社会信用代码");
}
