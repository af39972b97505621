//! P1: an adoption — its source, original code and date, a complete specification under its original
//! name, the evidence, and the provenance shown on the public page.

use super::*;

const TODAY: Date = date!(2026 - 06 - 01);

#[test]
fn p1_the_example_adoption_parses_with_its_provenance() {
    let a = Adoption::parse(&AdoptionInput::example(), TODAY).expect("valid");
    assert_eq!(a.provenance.source, AdoptionSource::National);
    assert_eq!(a.provenance.province, None);
    assert_eq!(a.provenance.publisher(), "人社部职业技能鉴定中心");
    assert_eq!(
        a.provenance.describe(),
        "采用人社部职业技能鉴定中心于 2023-05-10 公布的考核项目（原项目代码 ZX-2023-0107）"
    );
    assert_eq!(a.specification.name().as_str(), "中式面点制作");
    let json = serde_json::to_value(&a.provenance).expect("json");
    assert_eq!(json["original_publication_date"], "2023-05-10");
    assert_eq!(json["source"], "national");
}

#[test]
fn p1_another_province_is_named_and_hunan_is_refused() {
    let from = |province: &str| AdoptionInput {
        source: "other_province".into(),
        province: province.into(),
        ..AdoptionInput::example()
    };
    let a = Adoption::parse(&from(" 广西壮族自治区 "), TODAY).expect("Guangxi");
    assert_eq!(a.provenance.province.as_deref(), Some("广西壮族自治区"));
    assert_eq!(a.provenance.publisher(), "广西壮族自治区");
    assert_eq!(OTHER_PROVINCES.len(), 30);
    assert!(!OTHER_PROVINCES.contains(&"湖南省"));
    for bad in ["", "湖南省", "广东", "台湾省"] {
        let errors = Adoption::parse(&from(bad), TODAY).expect_err(bad);
        assert_eq!(codes_of(&errors, "province"), ["ADOPTION_PROVINCE_UNKNOWN"], "{bad}");
    }
    let errors = Adoption::parse(&from("湖南省"), TODAY).expect_err("Hunan");
    assert!(errors.get("province").expect("province").detail.contains("开发申请程序"));
    // The national center needs no province; one typed anyway is ignored.
    let national = AdoptionInput { province: "广东省".into(), ..AdoptionInput::example() };
    assert_eq!(Adoption::parse(&national, TODAY).expect("national").provenance.province, None);
}

#[test]
fn p1_an_adopted_project_keeps_its_original_name() {
    let mut input = AdoptionInput::example();
    input.specification.name = "西式面点师".into();
    let a = Adoption::parse(&input, TODAY).expect("the name rule is not applied");
    assert_eq!(a.specification.name().as_str(), "西式面点师");
    input.specification.name = "西式 面点".into();
    let errors = Adoption::parse(&input, TODAY).expect_err("characters still checked");
    assert_eq!(codes_of(&errors, "specification.name"), ["PROJECT_NAME_CHARACTERS"]);
}

#[test]
fn p1_every_bad_field_is_named_at_once_with_the_specification_under_its_prefix() {
    let mut input = AdoptionInput {
        source: "province".into(),
        original_code: "ZX 2023/107".into(),
        original_publication_date: "2026-06-02".into(),
        evidence: String::new(),
        ..AdoptionInput::example()
    };
    input.specification.tasks[0].weight = "31".into();
    let errors = Adoption::parse(&input, TODAY).expect_err("bad");
    assert_eq!(
        fields_of(&errors),
        ["source", "original_code", "original_publication_date", "specification.tasks", "evidence"]
    );
    assert_eq!(errors.get("original_publication_date").expect("date").detail, "原发布日期不能晚于今天（2026-06-01）");
    assert_eq!(errors.get("original_code").expect("code").detail, "原项目代码应为 1 至 30 位字母、数字或“-”");
    assert_eq!(errors.get("specification.tasks").expect("weights").detail, "各工作任务的权重合计应为 100%，现为 101%");
    assert_eq!(errors.get("evidence").expect("evidence").detail, "请填写考核规范和题（卷）库的证明材料说明");
    let odd_date = AdoptionInput { original_publication_date: "2023/05/10".into(), ..AdoptionInput::example() };
    assert_eq!(
        codes_of(&Adoption::parse(&odd_date, TODAY).expect_err("format"), "original_publication_date"),
        ["ADOPTION_PUBLICATION_DATE"]
    );
    let today = AdoptionInput { original_publication_date: "2026-06-01".into(), ..AdoptionInput::example() };
    assert!(Adoption::parse(&today, TODAY).is_ok(), "published today");
}
