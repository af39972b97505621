//! P2, E2: blueprints add up, rows are distinct and ordered so the assembly's counts never depend on the seed.

use super::*;

fn input(rows: Vec<BlueprintRowInput>, total: u32) -> BlueprintInput {
    BlueprintInput { duration_minutes: 90, total_points: total, rows }
}

#[test]
fn e2_a_blueprint_parses_and_counts_its_items() {
    let b = example_blueprint();
    assert_eq!(b.item_count(), 5);
    assert_eq!(b.rows[0].difficulty, None);
    assert_eq!(b.rows[1].describe(), "工作任务 1 单项选择题（中）");
    assert_eq!(b.rows[0].describe(), "工作任务 1 判断题（不限难度）");
    assert_eq!(Blueprint::parse(&b.to_input()), Ok(b));
    // Empty difficulty reads as any.
    let any = Blueprint::parse(&input(vec![row(1, "true_false", "", 10, 1)], 10)).expect("any");
    assert_eq!(any.rows[0].difficulty_id(), "any");
}

#[test]
fn p2_the_rows_must_add_up_to_the_total_and_the_message_shows_both() {
    let e = Blueprint::parse(&input(
        vec![row(1, "true_false", "easy", 10, 1), row(1, "single_choice", "medium", 5, 2)],
        100,
    ))
    .unwrap_err();
    assert_eq!(fields(&e), ["total_points"]);
    assert_eq!(e.0[0].detail, "各行题量乘以每题分值合计 20 分，与试卷总分 100 分不符");
}

#[test]
fn p2_every_bad_field_is_named_with_its_row() {
    let e = Blueprint::parse_with(
        &BlueprintInput {
            duration_minutes: 0,
            total_points: 0,
            rows: vec![row(4, "essay", "very", 0, 101), row(1, "true_false", "easy", 1, 1)],
        },
        Some(3),
    )
    .unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "duration_minutes",
            "total_points",
            "rows[0].task",
            "rows[0].kind",
            "rows[0].difficulty",
            "rows[0].count",
            "rows[0].points_each"
        ]
    );
    assert_eq!(e.get("rows[0].task").unwrap().detail, "第 1 行：工作任务应为 1 至 3 中的序号");
    assert_eq!(fields(&Blueprint::parse(&input(vec![], 10)).unwrap_err()), ["rows"]);
}

#[test]
fn e2_duplicate_rows_and_a_specific_row_after_an_any_row_are_refused() {
    let dup = Blueprint::parse(&input(vec![row(1, "true_false", "easy", 1, 1), row(1, "true_false", "easy", 1, 1)], 2))
        .unwrap_err();
    assert_eq!(dup.0[0].field, "rows[1].kind");
    assert_eq!(dup.0[0].detail, "第 2 行：与第 1 行重复，请合并为一行");

    let order =
        Blueprint::parse(&input(vec![row(1, "true_false", "any", 1, 1), row(1, "true_false", "hard", 1, 1)], 2))
            .unwrap_err();
    assert_eq!(order.0[0].field, "rows[1].difficulty");
    assert!(order.0[0].detail.contains("第 1 行"), "{order}");

    // The other way round, and other tasks or kinds, are fine.
    assert!(
        Blueprint::parse(&input(vec![row(1, "true_false", "hard", 1, 1), row(1, "true_false", "any", 1, 1)], 2))
            .is_ok()
    );
    assert!(
        Blueprint::parse(&input(vec![row(1, "true_false", "any", 1, 1), row(2, "true_false", "hard", 1, 1)], 2))
            .is_ok()
    );
}
