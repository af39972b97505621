//! The printable paper's layout: sections by kind in the fixed order, numbered 一、二、….

use super::*;

#[test]
fn e2_a_paper_lays_out_sections_by_kind_in_order_with_continuous_numbers() {
    let b = example_b(HashAlg::Sha256);
    let v = paper_view(&b);
    assert_eq!((v.duration_minutes, v.total_points), (90, 40));
    let titles: Vec<&str> = v.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "一、判断题（共 2 题，每题 4 分，共 8 分）",
            "二、单项选择题（共 2 题，每题 5 分，共 10 分）",
            "三、实操题（共 1 题，每题 22 分，共 22 分）"
        ]
    );
    let numbers: Vec<u32> = v.sections.iter().flat_map(|s| s.items.iter().map(|i| i.number)).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    let ids: Vec<i64> = v.sections.iter().flat_map(|s| s.items.iter().map(|i| i.item_id)).collect();
    assert_eq!(ids, b.item_ids());
    assert_eq!(v.sections.iter().map(|s| s.points).sum::<u32>(), 40);
    assert_eq!(v.sections[1].items[0].version, b.pool_item(ids[2]).unwrap().version);
}

#[test]
fn e2_sections_follow_the_kind_order_not_the_blueprint_order_and_mixed_points_are_totalled() {
    let blueprint = Blueprint::parse(&BlueprintInput {
        duration_minutes: 60,
        total_points: 29,
        rows: vec![
            row(2, "practical", "any", 1, 22),
            row(1, "single_choice", "easy", 1, 2),
            row(1, "single_choice", "medium", 1, 3),
            row(1, "true_false", "hard", 1, 2),
        ],
    })
    .unwrap();
    let seed = [4u8; 32];
    let mut r = PaperRecord::commit(3, HashAlg::Sm3, &blueprint, &example_pool(), None, &seed, AT).unwrap();
    r.assemble(&seed, LATER).unwrap();
    let v = paper_view(&r);
    let kinds: Vec<ItemKind> = v.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [ItemKind::TrueFalse, ItemKind::SingleChoice, ItemKind::Practical]);
    assert_eq!(v.sections[1].title, "二、单项选择题（共 2 题，共 5 分）");
    assert_eq!(v.sections[0].items[0].item_id, 203);
    assert_eq!(v.sections[2].numeral, "三");
}
