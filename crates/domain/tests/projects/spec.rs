//! P3: the specification — the name rule (FACTS.md), weights, shares, fields, every error at once, and
//! the draft check that keeps a half-filled specification.

use super::*;

fn name_error(raw: &str) -> FieldError {
    ProjectName::parse(raw).expect_err(raw)
}

#[test]
fn p3_the_example_specification_parses_with_every_part() {
    let spec = Specification::parse(&SpecificationInput::example()).expect("valid");
    assert_eq!(spec.name().as_str(), "武冈卤菜加工");
    assert_eq!(spec.tasks().len(), 3);
    assert_eq!(spec.tasks().iter().map(|t| t.weight).sum::<u32>(), 100);
    let theory = spec.method().theory.expect("theory part");
    let practical = spec.method().practical.expect("practical part");
    assert_eq!((theory.share, theory.pass_mark, theory.minutes), (30, 60, 60));
    assert_eq!((practical.share, practical.pass_mark, practical.minutes), (70, 60, 120));
    assert_eq!(
        spec.method().describe(),
        "理论知识考试 30%（60 分钟，60 分合格）＋操作技能考核 70%（120 分钟，60 分合格）"
    );
    assert_eq!(spec.min_panel_size(), 3);
    assert_eq!(spec.fields(), ["食品加工", "烹饪"]);
}

#[test]
fn p3_name_ending_in_gong_yuan_or_shi_is_refused_with_the_rule_explained() {
    for (raw, last) in [("面点师", '师'), ("茶艺员", '员'), ("电焊工", '工'), ("凤凰旅拍（摄影师）", '师')]
    {
        let e = name_error(raw);
        assert_eq!((e.field.as_str(), e.code), ("name", NAME_RULE), "{raw}");
        assert_eq!(
            e.detail,
            format!(
                "项目名称不能以“{last}”结尾：项目名称应为“产品或服务＋动作”，如“拉面制作”“社区绿化”，\
                 不以“工”“员”“师”结尾（那是职业或岗位名称）"
            ),
            "{raw}"
        );
    }
}

#[test]
fn p3_product_and_verb_names_from_facts_are_accepted() {
    for raw in
        ["拉面制作", "社区绿化", "黄金茶制作", "湘西苗绣", "凤凰旅拍（旅拍摄影）", "馥郁香型白酒酿制", "Python程序设计"]
    {
        assert_eq!(ProjectName::parse(&format!(" {raw} ")).expect(raw).as_str(), raw);
    }
    // 加工 and 施工 are verbs, not occupations (武冈卤菜加工 is a real Hunan project, FACTS.md).
    for raw in ["武冈卤菜加工", "园林景观施工", "凤凰旅拍（银饰加工）"] {
        assert!(ProjectName::parse(raw).is_ok(), "{raw}");
    }
    for raw in ["卤菜加工工", "木工", "施工员"] {
        assert_eq!(ProjectName::parse(raw).expect_err(raw).code, NAME_RULE, "{raw}");
    }
    // 工, 员 or 师 inside the name is fine: only the ending names an occupation.
    assert!(ProjectName::parse("师傅带徒技艺传承").is_ok());
    assert!(ProjectName::parse("员工餐制作").is_ok());
}

#[test]
fn p3_name_length_characters_and_brackets_are_checked() {
    assert_eq!(name_error("").detail, "请填写项目名称");
    assert_eq!(name_error("茶").code, "PROJECT_NAME_LENGTH");
    let long = "茶".repeat(31);
    assert_eq!(name_error(&long).detail, "项目名称应为 2 至 30 个字，现为 31 个字");
    assert!(ProjectName::parse(&"茶".repeat(30)).is_ok());
    for (raw, c) in [("拉面 制作", ' '), ("拉面(制作)", '('), ("拉面、制作", '、'), ("拉面-制作", '-')]
    {
        let e = name_error(raw);
        assert_eq!(e.code, "PROJECT_NAME_CHARACTERS", "{raw}");
        assert!(e.detail.contains(&format!("不能包含“{c}”")), "{raw}: {}", e.detail);
    }
    for raw in ["（旅拍）摄影", "凤凰旅拍（旅拍摄影", "凤凰旅拍旅拍摄影）", "凤凰旅拍（）", "凤凰（旅（拍））"]
    {
        assert_eq!(name_error(raw).code, "PROJECT_NAME_BRACKETS", "{raw}");
    }
    assert_eq!(name_error("拉面\n制作").code, "INPUT_LINE_BREAK");
}

#[test]
fn p1_an_adopted_name_keeps_its_ending_but_not_bad_characters() {
    let rule = NameRule::LengthAndCharacters;
    assert_eq!(ProjectName::parse_with("name", "西式面点师", rule).expect("kept").as_str(), "西式面点师");
    assert_eq!(ProjectName::parse_with("name", "面点 师", rule).expect_err("space").code, "PROJECT_NAME_CHARACTERS");
}

#[test]
fn p3_weights_must_sum_to_100_and_the_error_says_the_current_sum() {
    let mut input = SpecificationInput::example();
    input.tasks[2].weight = "15".into();
    let errors = Specification::parse(&input).expect_err("95 %");
    assert_eq!(errors.0.len(), 1, "{errors}");
    let e = errors.get("tasks").expect("on tasks");
    assert_eq!(e.code, "SPEC_TASK_WEIGHTS_SUM");
    assert_eq!(e.detail, "各工作任务的权重合计应为 100%，现为 95%");

    input.tasks[2].weight = "25".into();
    let errors = Specification::parse(&input).expect_err("105 %");
    assert_eq!(errors.get("tasks").expect("on tasks").detail, "各工作任务的权重合计应为 100%，现为 105%");
}

#[test]
fn p3_each_weight_is_a_whole_percentage_from_1_to_100() {
    for bad in ["0", "101", "33.3", "三十", "-5"] {
        let mut input = SpecificationInput::example();
        input.tasks[0].weight = bad.into();
        let errors = Specification::parse(&input).expect_err(bad);
        let e = errors.get("tasks[0].weight").expect(bad);
        assert_eq!((e.code, e.detail.as_str()), ("SPEC_TASK_WEIGHT", "权重（%）应为 1 至 100 之间的整数"), "{bad}");
        // A bad weight is not summed as well.
        assert!(errors.get("tasks").is_none(), "{bad}: {errors}");
    }
    let mut one = SpecificationInput::example();
    one.tasks = vec![TaskInput { weight: "100".into(), ..one.tasks[0].clone() }];
    assert_eq!(Specification::parse(&one).expect("one task of 100 %").tasks().len(), 1);
}

#[test]
fn p3_tasks_number_1_to_30_and_blank_rows_are_ignored() {
    let mut input = SpecificationInput::example();
    input.tasks.insert(1, TaskInput::default());
    let spec = Specification::parse(&input).expect("a blank row is a spare row");
    assert_eq!(spec.tasks().len(), 3);

    let mut none = SpecificationInput::example();
    none.tasks = vec![TaskInput::default()];
    let errors = Specification::parse(&none).expect_err("no task");
    assert_eq!(codes_of(&errors, "tasks"), ["SPEC_TASKS_REQUIRED"]);
    assert_eq!(errors.get("tasks").expect("tasks").detail, "请至少填写一项工作任务");

    let mut many = SpecificationInput::example();
    many.tasks = vec![many.tasks[0].clone(); MAX_TASKS + 1];
    let errors = Specification::parse(&many).expect_err("31 tasks");
    assert_eq!(codes_of(&errors, "tasks"), ["ROWS_TOO_MANY"]);
    assert_eq!(errors.get("tasks").expect("tasks").detail, "工作任务最多 30 项");
}

#[test]
fn p3_an_empty_specification_names_every_missing_field_at_once() {
    let errors = Specification::parse(&SpecificationInput::default()).expect_err("empty");
    assert_eq!(
        fields_of(&errors),
        [
            "name",
            "definition",
            "target_group",
            "tasks",
            "method.theory_share",
            "method.practical_share",
            "min_panel_size",
            "fields"
        ]
    );
    assert_eq!(errors.get("definition").expect("definition").detail, "请填写项目定义");
    assert_eq!(errors.get("target_group").expect("target").detail, "请填写适用对象");
    assert_eq!(errors.get("method.theory_share").expect("share").detail, "请填写理论知识考试占比（%）");
    assert_eq!(errors.get("min_panel_size").expect("panel").detail, "请填写考评组最少人数");
    assert_eq!(errors.get("fields").expect("fields").detail, "请至少填写一个专业领域（用于匹配专家和考评员）");
}

#[test]
fn p3_a_task_row_with_several_bad_cells_names_each_by_its_path() {
    let mut input = SpecificationInput::example();
    input.tasks[2] =
        TaskInput { name: "检".into(), norms: String::new(), knowledge: "包装".into(), weight: "x".into() };
    let errors = Specification::parse(&input).expect_err("bad row");
    assert_eq!(fields_of(&errors), ["tasks[2].name", "tasks[2].norms", "tasks[2].weight"]);
    assert_eq!(errors.get("tasks[2].norms").expect("norms").detail, "请填写操作规范");
    assert_eq!(errors.get("tasks[2].name").expect("name").detail, "工作任务名称应为 2 至 50 个字");
}

#[test]
fn p3_shares_sum_to_100_either_may_be_0_but_not_both() {
    let with = |t: &str, p: &str| SpecificationInput {
        theory_share: t.into(),
        practical_share: p.into(),
        ..SpecificationInput::example()
    };
    let errors = Specification::parse(&with("30", "60")).expect_err("90 %");
    let e = errors.get("method").expect("on method");
    assert_eq!(
        (e.code, e.detail.as_str()),
        ("SPEC_SHARES_SUM", "理论知识考试与操作技能考核的占比合计应为 100%，现为 90%")
    );
    let errors = Specification::parse(&with("0", "0")).expect_err("nothing assessed");
    assert_eq!(codes_of(&errors, "method"), ["SPEC_SHARES_SUM"]);

    // Practical only: the theory part's minutes may be left blank or 0, and the part is absent.
    let practical_only =
        SpecificationInput { theory_minutes: "0".into(), theory_pass_mark: String::new(), ..with("0", "100") };
    let spec = Specification::parse(&practical_only).expect("practical only");
    assert_eq!(spec.method().theory, None);
    assert_eq!(spec.method().practical.expect("practical").share, 100);
    // …but minutes typed for a part with share 0 are a contradiction.
    let errors = Specification::parse(&with("0", "100")).expect_err("60 minutes of nothing");
    assert_eq!(codes_of(&errors, "method.theory_minutes"), ["SPEC_MINUTES"]);
    assert!(errors.get("method.theory_minutes").expect("minutes").detail.contains("理论知识考试占比为 0"));
}

#[test]
fn p3_pass_marks_default_to_60_and_durations_are_required_for_each_part() {
    let input = SpecificationInput {
        theory_pass_mark: String::new(),
        practical_pass_mark: " ".into(),
        ..SpecificationInput::example()
    };
    let spec = Specification::parse(&input).expect("blank pass marks");
    assert_eq!(spec.method().theory.expect("theory").pass_mark, DEFAULT_PASS_MARK);
    assert_eq!(spec.method().practical.expect("practical").pass_mark, 60);

    let bad = SpecificationInput {
        theory_pass_mark: "101".into(),
        practical_minutes: String::new(),
        theory_minutes: "601".into(),
        ..SpecificationInput::example()
    };
    let errors = Specification::parse(&bad).expect_err("bad marks and minutes");
    assert_eq!(fields_of(&errors), ["method.theory_pass_mark", "method.theory_minutes", "method.practical_minutes"]);
    assert_eq!(
        errors.get("method.theory_pass_mark").expect("mark").detail,
        "理论知识考试合格分数线应为 1 至 100 之间的整数"
    );
    assert_eq!(errors.get("method.practical_minutes").expect("minutes").detail, "请填写操作技能考核时长（分钟）");
}

#[test]
fn p3_panel_size_is_1_to_20() {
    for (raw, ok) in [("1", true), ("20", true), ("0", false), ("21", false), ("三", false)] {
        let input = SpecificationInput { min_panel_size: raw.into(), ..SpecificationInput::example() };
        assert_eq!(Specification::parse(&input).is_ok(), ok, "{raw}");
    }
}

#[test]
fn p4_fields_are_1_to_10_distinct_names_of_at_most_30_characters() {
    let with = |fields: Vec<String>| SpecificationInput { fields, ..SpecificationInput::example() };
    let errors = Specification::parse(&with(vec!["烹饪".into(), "".into(), "烹饪".into()])).expect_err("repeated");
    assert_eq!(codes_of(&errors, "fields[2]"), ["SPEC_FIELD_DUPLICATE"]);
    assert_eq!(errors.get("fields[2]").expect("dup").detail, "专业领域“烹饪”重复填写");
    let errors = Specification::parse(&with(vec!["茶".repeat(31)])).expect_err("too long");
    assert_eq!(errors.get("fields[0]").expect("long").detail, "专业领域应为 1 至 30 个字");
    let errors = Specification::parse(&with((0..=MAX_FIELDS).map(|i| format!("领域{i}")).collect())).expect_err("11");
    assert_eq!(codes_of(&errors, "fields"), ["ROWS_TOO_MANY"]);
    let spec = Specification::parse(&with(vec![" 茶叶加工 ".into(), "".into()])).expect("one field");
    assert_eq!(spec.fields(), ["茶叶加工"]);
}

#[test]
fn p3_a_half_filled_draft_is_kept_and_submission_names_what_is_missing() {
    let half = SpecificationInput {
        name: "黄金茶制作".into(),
        tasks: vec![TaskInput { name: "鲜叶采摘".into(), weight: "40".into(), ..TaskInput::default() }],
        theory_share: "30".into(),
        fields: vec!["茶叶加工".into()],
        ..SpecificationInput::default()
    };
    Specification::check_draft(&half, NameRule::ProductAndVerb).expect("a half-filled draft is kept");
    assert!(Specification::check_draft(&SpecificationInput::default(), NameRule::ProductAndVerb).is_ok());
    let errors = Specification::parse(&half).expect_err("incomplete");
    assert_eq!(
        fields_of(&errors),
        [
            "definition",
            "target_group",
            "tasks[0].norms",
            "tasks[0].knowledge",
            "method.practical_share",
            "method.theory_minutes",
            "min_panel_size"
        ]
    );
}

#[test]
fn p3_the_draft_check_still_refuses_what_is_filled_in_wrongly() {
    let bad = SpecificationInput {
        name: "茶艺师".into(),
        tasks: vec![TaskInput { weight: "150".into(), ..TaskInput::default() }],
        theory_share: "abc".into(),
        min_panel_size: "99".into(),
        fields: vec!["茶".repeat(40)],
        ..SpecificationInput::default()
    };
    let errors = Specification::check_draft(&bad, NameRule::ProductAndVerb).expect_err("format errors stay");
    assert_eq!(fields_of(&errors), ["name", "tasks[0].weight", "method.theory_share", "min_panel_size", "fields[0]"]);
    assert_eq!(errors.get("name").expect("name").code, NAME_RULE);
    // An adopted project's draft keeps its name.
    let adopted = SpecificationInput { name: "茶艺师".into(), ..SpecificationInput::default() };
    assert!(Specification::check_draft(&adopted, NameRule::LengthAndCharacters).is_ok());
    // Sums wait for submission; too many rows do not.
    let mut sums = SpecificationInput::example();
    sums.tasks[0].weight = "10".into();
    sums.theory_share = "10".into();
    assert!(Specification::check_draft(&sums, NameRule::ProductAndVerb).is_ok());
    let many = SpecificationInput { tasks: vec![TaskInput::default(); MAX_TASKS + 1], ..SpecificationInput::default() };
    let errors = Specification::check_draft(&many, NameRule::ProductAndVerb).expect_err("too many rows");
    assert_eq!(codes_of(&errors, "tasks"), ["ROWS_TOO_MANY"]);
}

#[test]
fn p3_the_specification_input_reads_missing_json_fields_as_blank() {
    let input: SpecificationInput =
        serde_json::from_str(r#"{"name":"拉面制作","tasks":[{"name":"和面"}]}"#).expect("json");
    assert_eq!(input.name, "拉面制作");
    assert_eq!(input.tasks[0].weight, "");
    assert!(Specification::check_draft(&input, NameRule::ProductAndVerb).is_ok());
}
