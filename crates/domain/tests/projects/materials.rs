//! P7: training materials and exam guides.

use super::*;

fn example() -> MaterialInput {
    MaterialInput {
        kind: "textbook".into(),
        title: "武冈卤菜加工培训教程".into(),
        publisher: "湖南省职业技术培训研究室".into(),
        year: "2026".into(),
    }
}

#[test]
fn p7_a_material_parses_with_its_kind_title_publisher_and_year() {
    let m = TrainingMaterial::parse(&example(), 2026).expect("valid");
    assert_eq!((m.kind, m.year), (MaterialKind::Textbook, 2026));
    assert_eq!(m.kind.label(), "培训教材");
    assert_eq!(MaterialKind::ExamGuide.label(), "考试指南");
    let next = MaterialInput { year: "2027".into(), kind: "exam_guide".into(), ..example() };
    assert_eq!(TrainingMaterial::parse(&next, 2026).expect("in press").year, 2027);
}

#[test]
fn p7_every_bad_field_is_named_at_once() {
    let errors = TrainingMaterial::parse(&MaterialInput::default(), 2026).expect_err("empty");
    assert_eq!(fields_of(&errors), ["kind", "title", "publisher", "year"]);
    assert_eq!(errors.get("year").expect("year").detail, "请填写出版年份");
    for bad in ["1999", "2028", "二〇二六", "26"] {
        let input = MaterialInput { year: bad.into(), ..example() };
        let errors = TrainingMaterial::parse(&input, 2026).expect_err(bad);
        assert_eq!(errors.get("year").expect(bad).detail, "出版年份应为 2000 至 2027 年之间的四位年份", "{bad}");
    }
    let long = MaterialInput { title: "书".repeat(101), publisher: "社".repeat(101), ..example() };
    let errors = TrainingMaterial::parse(&long, 2026).expect_err("long");
    assert_eq!(fields_of(&errors), ["title", "publisher"]);
    assert_eq!(errors.get("title").expect("title").detail, "书名应为 1 至 100 个字");
}
