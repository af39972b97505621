//! P2, P6: items, their content blob and their review path.

use super::*;

fn single() -> ItemInput {
    ItemInput {
        kind: "single_choice".into(),
        task: 1,
        difficulty: "medium".into(),
        points: 2,
        stem: "湘菜小炒肉的主要调味是（　）。".into(),
        options: vec!["酸甜".into(), "香辣".into(), "清淡".into(), "麻辣".into()],
        answer: "b".into(),
        scoring: vec![],
    }
}

fn practical() -> ItemInput {
    ItemInput {
        kind: "practical".into(),
        task: 2,
        difficulty: "hard".into(),
        points: 30,
        stem: "在 40 分钟内完成剁椒鱼头一份。".into(),
        answer: String::new(),
        options: vec![],
        scoring: vec![
            ScoringInput { description: "原料初加工规范".into(), points: 10 },
            ScoringInput { description: "火候与口味".into(), points: 20 },
        ],
    }
}

#[test]
fn p6_each_kind_parses_into_its_answer() {
    let s = Item::parse(&single()).expect("single");
    assert_eq!(s.content.answer, Answer::SingleChoice { label: 'B' });
    assert_eq!((s.kind, s.task, s.difficulty, s.points), (ItemKind::SingleChoice, 1, Difficulty::Medium, 2));

    let m = Item::parse(&ItemInput { kind: "multiple_choice".into(), answer: "D，a、C".into(), ..single() })
        .expect("multiple");
    assert_eq!(m.content.answer, Answer::MultipleChoice { labels: vec!['A', 'C', 'D'] });

    for (text, correct) in [("正确", true), ("错误", false), ("√", true), ("×", false)] {
        let tf = ItemInput { kind: "true_false".into(), options: vec![], answer: text.into(), ..single() };
        assert_eq!(Item::parse(&tf).expect(text).content.answer, Answer::TrueFalse { correct });
    }

    let short =
        ItemInput {
            kind: "short_answer".into(), options: vec![], answer: " 先焯水后煸炒。 ".into(), ..single()
        };
    assert_eq!(
        Item::parse(&short).expect("short").content.answer,
        Answer::ShortAnswer { reference: "先焯水后煸炒。".into() }
    );

    let p = Item::parse(&practical()).expect("practical");
    let Answer::Practical { scoring } = &p.content.answer else { panic!("practical") };
    assert_eq!(scoring.iter().map(|s| s.points).sum::<u32>(), 30);
}

#[test]
fn p6_every_error_names_its_field_all_at_once() {
    let bad = ItemInput {
        kind: "essay".into(),
        task: 0,
        difficulty: "很难".into(),
        points: 0,
        stem: "  ".into(),
        ..ItemInput::default()
    };
    let e = Item::parse(&bad).unwrap_err();
    assert_eq!(fields(&e), ["kind", "task", "difficulty", "points", "stem"]);
    assert!(e.get("kind").unwrap().detail.contains("单项选择题"));

    let options = ItemInput {
        options: vec!["甲".into(), "".into(), "丙".into(), "x".repeat(501)],
        answer: "E".into(),
        ..single()
    };
    let e = Item::parse(&options).unwrap_err();
    assert_eq!(fields(&e), ["options[1]", "options[3]", "answer"]);
    assert_eq!(e.get("options[1]").unwrap().detail, "请填写选项 B");
    assert!(e.get("options[3]").unwrap().detail.contains("500"), "{e}");
    assert!(e.get("answer").unwrap().detail.contains("超出选项范围"), "{e}");

    let one = ItemInput { options: vec!["甲".into()], answer: "A".into(), ..single() };
    assert_eq!(fields(&Item::parse(&one).unwrap_err()), ["options"]);
    let nine = ItemInput { options: (0..9).map(|i| format!("选项{i}")).collect(), ..single() };
    assert!(Item::parse(&nine).unwrap_err().get("options").unwrap().detail.contains("现有 9 个"));
    let two_answers = ItemInput { answer: "AB".into(), ..single() };
    assert_eq!(Item::parse(&two_answers).unwrap_err().get("answer").unwrap().detail, "单项选择题只能有一个答案");
    let multi_one = ItemInput { kind: "multiple_choice".into(), answer: "A".into(), ..single() };
    assert!(Item::parse(&multi_one).unwrap_err().get("answer").unwrap().detail.contains("至少有两个"));
    let multi_dup = ItemInput { kind: "multiple_choice".into(), answer: "A,A".into(), ..single() };
    assert!(Item::parse(&multi_dup).unwrap_err().get("answer").unwrap().detail.contains("重复"));
    let tf_options = ItemInput { kind: "true_false".into(), answer: "对的".into(), ..single() };
    assert_eq!(fields(&Item::parse(&tf_options).unwrap_err()), ["options", "answer"]);
    let short_empty = ItemInput { kind: "short_answer".into(), options: vec![], answer: "".into(), ..single() };
    assert_eq!(Item::parse(&short_empty).unwrap_err().get("answer").unwrap().detail, "请填写参考答案");
    let long_stem = ItemInput { stem: "题".repeat(2001), ..single() };
    assert!(Item::parse(&long_stem).unwrap_err().get("stem").unwrap().detail.contains("2000"));
}

#[test]
fn p6_a_practical_item_needs_scoring_points_adding_up_to_its_points() {
    let mut sum = practical();
    sum.points = 25;
    let e = Item::parse(&sum).unwrap_err();
    assert_eq!(e.get("scoring").unwrap().detail, "评分要点分值合计 30 分，应等于本题分值 25 分");

    let mut bad = practical();
    bad.scoring[1].points = 0;
    bad.scoring[0].description = String::new();
    bad.answer = "见评分要点".into();
    let e = Item::parse(&bad).unwrap_err();
    assert_eq!(fields(&e), ["answer", "scoring[0].description", "scoring[1].points"]);

    let none = ItemInput { scoring: vec![], ..practical() };
    assert_eq!(fields(&Item::parse(&none).unwrap_err()), ["scoring"]);
    let scoring_on_choice = ItemInput { scoring: practical().scoring, ..single() };
    assert_eq!(fields(&Item::parse(&scoring_on_choice).unwrap_err()), ["scoring"]);
}

#[test]
fn p6_the_content_is_one_canonical_json_blob_and_reads_back() {
    for input in [single(), practical()] {
        let item = Item::parse(&input).expect("item");
        let blob = item.content.canonical_json();
        assert_eq!(ItemContent::from_json(&blob).expect("back"), item.content);
        assert_eq!(blob, item.content.clone().canonical_json(), "equal content, equal bytes");
        let text = String::from_utf8(blob).expect("utf-8");
        assert!(text.starts_with("{\"stem\":"), "{text}");
        // Metadata stays out of the confidential blob.
        assert!(!text.contains("difficulty") && !text.contains("\"task\""), "{text}");
    }
    let blob = Item::parse(&single()).unwrap().content.canonical_json();
    assert!(String::from_utf8(blob).unwrap().ends_with(r#""answer":{"type":"single_choice","label":"B"}}"#));
}

/// The whole transition table: every status × every event.
#[test]
fn p6_the_review_path_table_every_status_and_event() {
    use ItemStatus::*;
    let ret = ItemEvent::Return { reason: "题干有歧义".into() };
    let events = [ItemEvent::Submit, ItemEvent::Approve, ret.clone(), ItemEvent::Retire, ItemEvent::Revise];
    // Expected outcome per (status, event): Some((status, version delta)) or None (refused).
    type Outcome = Option<(ItemStatus, u32)>;
    let table: [(ItemStatus, [Outcome; 5]); 5] = [
        (Draft, [Some((Submitted, 0)), None, None, Some((Retired, 0)), Some((Draft, 1))]),
        (Submitted, [None, Some((Approved, 0)), Some((Returned, 0)), None, None]),
        (Approved, [None, None, None, Some((Retired, 0)), Some((Draft, 1))]),
        (Returned, [Some((Submitted, 0)), None, None, Some((Retired, 0)), Some((Draft, 1))]),
        (Retired, [None, None, None, None, None]),
    ];
    assert_eq!(table.len(), ItemStatus::ALL.len());
    for (status, outcomes) in table {
        let from = ItemState { status, version: 3 };
        for (event, want) in events.iter().zip(outcomes) {
            let got = transition(from, event);
            match want {
                Some((to, delta)) => {
                    assert_eq!(got, Ok(ItemState { status: to, version: 3 + delta }), "{status} {event:?}")
                }
                None => {
                    let e = got.expect_err("refused");
                    assert!(e.to_string().starts_with(&format!("试题当前状态为“{}”", status.label())), "{e}");
                }
            }
        }
    }
    let blank = ItemEvent::Return { reason: " ".into() };
    assert_eq!(
        transition(ItemState { status: Submitted, version: 1 }, &blank),
        Err(ItemTransitionError::ReasonRequired)
    );
}

#[test]
fn p6_each_step_names_its_actor_and_its_audit_action() {
    use domain::audit::{AuditAction, AuditTarget};
    let events = [
        ItemEvent::Submit,
        ItemEvent::Approve,
        ItemEvent::Return { reason: "r".into() },
        ItemEvent::Retire,
        ItemEvent::Revise,
    ];
    let actors: Vec<ItemActor> = events.iter().map(ItemEvent::actor).collect();
    use ItemActor::*;
    assert_eq!(actors, [Author, Province, Province, Province, Author]);
    let actions: Vec<AuditAction> = events.iter().map(ItemEvent::audit_action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::QuestionItemSubmitted,
            AuditAction::QuestionItemApproved,
            AuditAction::QuestionItemReturned,
            AuditAction::QuestionItemRetired,
            AuditAction::QuestionItemRevised
        ]
    );
    for a in actions {
        assert_eq!(a.target(), AuditTarget::QuestionItem);
        assert!(a.changes().is_empty(), "{a}: confidential, never cached");
    }
}

#[test]
fn p6_a_new_item_is_written_submitted_returned_revised_and_approved_as_version_two() {
    let mut s = ItemState::NEW;
    for e in [
        ItemEvent::Submit,
        ItemEvent::Return { reason: "答案有误".into() },
        ItemEvent::Revise,
        ItemEvent::Submit,
        ItemEvent::Approve,
    ] {
        s = transition(s, &e).expect("allowed");
    }
    assert_eq!(s, ItemState { status: ItemStatus::Approved, version: 2 });
    // Editing an approved item opens version 3 in draft; version 2 stays as it was.
    assert_eq!(transition(s, &ItemEvent::Revise), Ok(ItemState { status: ItemStatus::Draft, version: 3 }));
}

#[test]
fn p2_kinds_difficulties_and_statuses_have_stable_ids_and_chinese_labels() {
    assert_eq!(
        ItemKind::ALL.iter().map(|k| k.label()).collect::<Vec<_>>(),
        ["单项选择题", "多项选择题", "判断题", "简答题", "实操题"]
    );
    assert_eq!(Difficulty::ALL.iter().map(|d| d.id()).collect::<Vec<_>>(), ["easy", "medium", "hard"]);
    assert_eq!(ItemStatus::Approved.label(), "已入库");
    assert_eq!("retired".parse::<ItemStatus>(), Ok(ItemStatus::Retired));
    assert!("deleted".parse::<ItemStatus>().is_err());
    assert_eq!(ItemKind::PAPER_ORDER.len(), ItemKind::ALL.len());
}
