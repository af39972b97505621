//! P6: spreadsheet rows of the import template, errors naming the column.

use super::*;

fn cells<'a>(pairs: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    pairs.to_vec()
}

#[test]
fn p6_the_template_has_the_chinese_headers_in_order() {
    assert_eq!(
        template_headers(),
        [
            "题型",
            "所属工作任务",
            "难度",
            "分值",
            "题干",
            "选项A",
            "选项B",
            "选项C",
            "选项D",
            "选项E",
            "选项F",
            "选项G",
            "选项H",
            "答案",
            "评分要点"
        ]
    );
}

#[test]
fn p6_a_good_row_of_each_kind_parses_into_an_item() {
    let single = cells(&[
        ("题型", "单选题"),
        ("所属工作任务", "1"),
        ("难度", "中"),
        ("分值", "2.0"),
        ("题干", "辣椒原产于（　）。"),
        ("选项A", "美洲"),
        ("选项B", "亚洲"),
        ("答案", "A"),
    ]);
    let input = parse_row(&single).expect("single");
    assert_eq!((input.kind.as_str(), input.task, input.points, input.options.len()), ("single_choice", 1, 2, 2));
    assert!(Item::parse(&input).is_ok());

    let tf = cells(&[
        ("题型", "判断题"),
        ("所属工作任务", "2"),
        ("难度", "易"),
        ("分值", "1"),
        ("题干", "刀具用后应消毒。"),
        ("答案", "正确"),
    ]);
    assert_eq!(parse_row(&tf).expect("tf").answer, "正确");

    let practical = cells(&[
        ("题型", "实操题"),
        ("所属工作任务", "3"),
        ("难度", "难"),
        ("分值", "30"),
        ("题干", "完成剁椒鱼头一份。"),
        ("评分要点", "原料初加工规范|10\n火候与口味｜20分\n"),
    ]);
    let input = parse_row(&practical).expect("practical");
    assert_eq!(
        input.scoring,
        vec![
            ScoringInput { description: "原料初加工规范".into(), points: 10 },
            ScoringInput { description: "火候与口味".into(), points: 20 },
        ]
    );
}

#[test]
fn p6_a_bad_row_names_the_column_of_every_error() {
    let bad = cells(&[("题型", "论述题"), ("所属工作任务", "一"), ("难度", "较难"), ("分值", ""), ("题干", "x")]);
    let e = parse_row(&bad).unwrap_err();
    assert_eq!(fields(&e), ["题型", "所属工作任务", "难度", "分值"]);
    assert_eq!(e.get("所属工作任务").unwrap().detail, "所属工作任务序号应为正整数，“一”不是");
    assert_eq!(e.get("分值").unwrap().detail, "请填写分值");

    let gap = cells(&[
        ("题型", "单项选择题"),
        ("所属工作任务", "1"),
        ("难度", "中"),
        ("分值", "2"),
        ("题干", "题"),
        ("选项A", "甲"),
        ("选项C", "丙"),
        ("答案", "A"),
    ]);
    let e = parse_row(&gap).unwrap_err();
    assert_eq!(fields(&e), ["选项B"]);

    // Errors found by the item rules come back under the column's header.
    let answer = cells(&[
        ("题型", "单项选择题"),
        ("所属工作任务", "1"),
        ("难度", "中"),
        ("分值", "2"),
        ("题干", "题"),
        ("选项A", "甲"),
        ("选项B", ""),
        ("选项C", ""),
        ("答案", "F"),
    ]);
    let e = parse_row(&answer).unwrap_err();
    assert_eq!(fields(&e), ["选项A", "答案"], "{e}");

    let long_option = "长".repeat(501);
    let option = cells(&[
        ("题型", "多项选择题"),
        ("所属工作任务", "1"),
        ("难度", "中"),
        ("分值", "2"),
        ("题干", "题"),
        ("选项A", "甲"),
        ("选项B", &long_option),
        ("答案", "AB"),
    ]);
    assert_eq!(fields(&parse_row(&option).unwrap_err()), ["选项B"]);

    let scoring = cells(&[
        ("题型", "实操题"),
        ("所属工作任务", "1"),
        ("难度", "中"),
        ("分值", "30"),
        ("题干", "题"),
        ("评分要点", "刀工\n火候|0"),
    ]);
    let e = parse_row(&scoring).unwrap_err();
    assert_eq!(e.0[0].field, "评分要点");
    assert_eq!(e.0[0].detail, "第 1 行评分要点应写成“描述|分值”，如“刀工均匀|10”");

    let zero = cells(&[
        ("题型", "实操题"),
        ("所属工作任务", "1"),
        ("难度", "中"),
        ("分值", "30"),
        ("题干", "题"),
        ("评分要点", "刀工|30\n火候|0"),
    ]);
    let e = parse_row(&zero).unwrap_err();
    assert_eq!(fields(&e), ["评分要点"]);
    assert_eq!(e.0[0].detail, "第 2 行：第 2 个评分要点的分值应为 1 至 100 分");
}
