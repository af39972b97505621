//! The question bank in the store (issue 11: P2, P6, E2), on SQLite and, with
//! `KAOHE_TEST_DATABASE_URL`, on PostgreSQL: content never stored in clear, every edit a new version,
//! the review path with its refusals, the all-or-nothing import naming row and column, assembly that
//! honours the blueprint and the overlap cap and re-derives from its record, the shortage refusal
//! naming the row, only the question bank officer reading content or papers, and the audit records.

use domain::org::{DataScope, Principal, Role};
use domain::projects::{ProjectOrigin, ProjectState, Receiver, SpecificationInput};
use domain::question_bank::{
    Answer, BlueprintInput, BlueprintRowInput, ItemInput, ItemStatus, ScoringInput, verify_paper,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, Statement};
use store::entity::{audit_log, project};
use store::question_bank::{ItemQuery, ItemStep, PaperUse};
use store::{Ctx, PageReq, StoreError};
use testkit::TestApp;

struct World {
    app: TestApp,
    project: i64,
    /// The province's question bank officer.
    qb: Principal,
    /// A city center's question bank officer: writes, does not review.
    qb_city: Principal,
    prov: Principal,
    city: Principal,
}

fn ctx(who: &str) -> Ctx {
    Ctx { actor: who.into(), ip: "127.0.0.1".into() }
}

/// An established project (adopted, in force) with the example specification's three work tasks.
pub async fn bank_project(app: &TestApp, name: &str) -> i64 {
    let spec = SpecificationInput { name: name.into(), ..SpecificationInput::example() };
    let at = store::now();
    project::ActiveModel {
        origin: Set(ProjectOrigin::Adopted),
        state: Set(ProjectState::InForce),
        name: Set(name.into()),
        devunit_org_id: Set(None),
        receiver: Set(Receiver::Province),
        receiving_region: Set(None),
        code: Set(Some(format!("T{}", name.chars().count()))),
        specification: Set(serde_json::to_string(&spec).expect("spec")),
        created_by: Set("test".into()),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("project")
    .id
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let province = app.org_id("430000").await;
    let changsha = app.org_id("430100").await;
    app.create_user("qbank", &[Role::QbankOfficer], province).await;
    app.create_user("prov", &[Role::ProvinceStaff], province).await;
    app.create_user("city", &[Role::CityStaff], changsha).await;
    let project = bank_project(&app, "武冈卤菜加工").await;
    World {
        qb: app.principal("qbank").await,
        // An officer of a city center's bank (the role may be granted there, P6) writes but neither
        // reviews nor assembles; the web test `p6_a_city_centers_officer_…` grants one for real.
        qb_city: Principal {
            username: "qb_city".into(),
            org_id: changsha,
            scope: DataScope::City("430100".into()),
            ..app.principal("qbank").await
        },
        prov: app.principal("prov").await,
        city: app.principal("city").await,
        project,
        app,
    }
}

fn single(task: u32, difficulty: &str, stem: &str) -> ItemInput {
    ItemInput {
        kind: "single_choice".into(),
        task,
        difficulty: difficulty.into(),
        points: 2,
        stem: stem.into(),
        options: vec!["八角".into(), "味精".into(), "食盐".into(), "白糖".into()],
        answer: "A".into(),
        scoring: vec![],
    }
}

fn true_false(task: u32, stem: &str) -> ItemInput {
    ItemInput {
        kind: "true_false".into(),
        task,
        difficulty: "easy".into(),
        points: 1,
        stem: stem.into(),
        answer: "正确".into(),
        ..Default::default()
    }
}

impl World {
    /// An item written, submitted and approved by the province's officer.
    async fn approved(&self, input: &ItemInput) -> i64 {
        let c = ctx("qbank");
        let id = self.app.store.create_item(&self.qb, self.project, input, &c).await.expect("create");
        self.app.store.item_step(&self.qb, id, ItemStep::Submit, "", &c).await.expect("submit");
        self.app.store.item_step(&self.qb, id, ItemStep::Approve, "", &c).await.expect("approve");
        id
    }

    async fn actions(&self, action: &str) -> Vec<audit_log::Model> {
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq(action))
            .all(&self.app.store.db)
            .await
            .expect("audit")
    }

    async fn blueprint(&self, rows: &[(u32, &str, &str, u32, u32)]) -> Result<(), StoreError> {
        let input = BlueprintInput {
            duration_minutes: 60,
            total_points: rows.iter().map(|r| r.3 * r.4).sum(),
            rows: rows
                .iter()
                .map(|(task, kind, difficulty, count, points_each)| BlueprintRowInput {
                    task: *task,
                    kind: (*kind).into(),
                    difficulty: (*difficulty).into(),
                    count: *count,
                    points_each: *points_each,
                })
                .collect(),
        };
        self.app.store.save_blueprint(&self.qb, self.project, &input, &ctx("qbank")).await
    }
}

fn field_codes(e: &StoreError) -> Vec<(String, String)> {
    match e {
        StoreError::Invalid(f) => f.0.iter().map(|e| (e.field.clone(), e.code.to_string())).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn p6_content_is_encrypted_and_every_edit_is_a_new_version() {
    let w = world().await;
    let s = &w.app.store;
    let stem = "卤水调制时，下列哪一种香辛料最能体现武冈卤菜的特色香味？";
    let id = s.create_item(&w.qb, w.project, &single(2, "medium", stem), &ctx("qbank")).await.expect("create");

    // The raw row holds neither the stem nor an option in clear.
    let row =
        s.db.query_one_raw(Statement::from_string(
            s.backend(),
            format!("SELECT content_enc FROM qbank_item_versions WHERE item_id = {id}"),
        ))
        .await
        .expect("raw")
        .expect("row");
    let raw: String = row.try_get("", "content_enc").expect("content_enc");
    assert!(!raw.contains(stem) && !raw.contains("八角") && !raw.contains("卤水"), "{raw}");
    assert!(raw.starts_with("sm4-gcm:"), "encrypted with the deployment's cipher: {raw}");

    let content = s.item_content(&w.qb, id, 1, &ctx("qbank")).await.expect("content");
    assert_eq!(content.stem, stem);
    assert_eq!(content.answer, Answer::SingleChoice { label: 'A' });

    // An edit is version 2; version 1 is kept as it was.
    let mut edited = single(2, "hard", "卤制牛肉时，下列哪一种香辛料用量最需控制？");
    edited.answer = "C".into();
    assert_eq!(s.revise_item(&w.qb, id, &edited, &ctx("qbank")).await.expect("revise"), 2);
    let v1 = s.item_content(&w.qb, id, 1, &ctx("qbank")).await.expect("v1");
    assert_eq!(v1.stem, stem);
    let v2 = s.item_content(&w.qb, id, 2, &ctx("qbank")).await.expect("v2");
    assert_eq!(v2.answer, Answer::SingleChoice { label: 'C' });
    let detail = s.item_detail(&w.qb, id).await.expect("detail");
    assert_eq!(detail.summary.version, 2);
    assert_eq!(detail.versions.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(detail.summary.difficulty, domain::question_bank::Difficulty::Hard);

    // The work task must be one of the specification's three (field `task`).
    let e = s.create_item(&w.qb, w.project, &single(4, "easy", "题干"), &ctx("qbank")).await.expect_err("task 4");
    assert_eq!(field_codes(&e), [("task".to_string(), "ITEM_TASK".to_string())]);
    // A project not established cannot hold items.
    let draft = bank_project(&w.app, "黄金茶制作").await;
    let sql = format!("UPDATE projects SET state = 'draft' WHERE id = {draft}");
    s.db.execute_unprepared(&sql).await.expect("draft");
    let e = s.create_item(&w.qb, draft, &single(1, "easy", "题干"), &ctx("qbank")).await.expect_err("draft project");
    assert_eq!(field_codes(&e), [("project_id".to_string(), "QBANK_PROJECT".to_string())]);

    // Views are audited with the person; no record carries the content.
    let viewed = w.actions("question_item.viewed").await;
    assert_eq!(viewed.len(), 3);
    assert!(viewed.iter().all(|a| a.actor == "qbank" && a.detail.contains(&w.qb.display_name)));
    let all = audit_log::Entity::find().all(&s.db).await.expect("audit");
    assert!(all.iter().all(|a| !a.detail.contains("八角") && !a.detail.contains(stem)));
    assert_eq!(w.actions("question_item.created").await.len(), 1);
    assert_eq!(w.actions("question_item.revised").await.len(), 1);
}

#[tokio::test]
async fn p6_the_review_path_keeps_the_approved_version_until_its_successor_is_approved() {
    let w = world().await;
    let s = &w.app.store;
    let (c, cc) = (ctx("qbank"), ctx("qb_city"));
    let id = s.create_item(&w.qb_city, w.project, &true_false(1, "米粉浸泡时间越长越好。"), &cc).await.expect("create");
    // Approving a draft is refused (409); a city officer does not review (403).
    let e = s.item_step(&w.qb, id, ItemStep::Approve, "", &c).await.expect_err("draft");
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    s.item_step(&w.qb_city, id, ItemStep::Submit, "", &cc).await.expect("submit");
    let e = s.item_step(&w.qb_city, id, ItemStep::Approve, "", &cc).await.expect_err("city reviews");
    assert!(matches!(e, StoreError::Forbidden), "{e:?}");
    // Under review it cannot be edited.
    let e = s.revise_item(&w.qb_city, id, &true_false(1, "改"), &cc).await.expect_err("submitted");
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    // A return needs its reason.
    let e = s.item_step(&w.qb, id, ItemStep::Return, "  ", &c).await.expect_err("no reason");
    assert_eq!(field_codes(&e), [("reason".to_string(), "REQUIRED".to_string())]);
    s.item_step(&w.qb, id, ItemStep::Return, "题干表述不严谨", &c).await.expect("return");
    let d = s.item_detail(&w.qb, id).await.expect("detail");
    assert_eq!(d.summary.status, ItemStatus::Returned);
    assert_eq!(d.versions[0].return_reason.as_deref(), Some("题干表述不严谨"));
    s.item_step(&w.qb_city, id, ItemStep::Submit, "", &cc).await.expect("again");
    s.item_step(&w.qb, id, ItemStep::Approve, "", &c).await.expect("approve");
    assert_eq!(s.item_detail(&w.qb, id).await.expect("d").summary.bank_version, Some(1));

    // The revision is a draft; version 1 stays in the bank until version 2 is approved.
    s.revise_item(&w.qb_city, id, &true_false(1, "米粉浸泡时间应根据米的品种和气温确定。"), &cc).await.expect("revise");
    let d = s.item_detail(&w.qb, id).await.expect("detail");
    assert_eq!((d.summary.version, d.summary.status, d.summary.bank_version), (2, ItemStatus::Draft, Some(1)));
    assert_eq!(d.versions[1].status, ItemStatus::Approved);
    s.item_step(&w.qb_city, id, ItemStep::Submit, "", &cc).await.expect("submit v2");
    s.item_step(&w.qb, id, ItemStep::Approve, "", &c).await.expect("approve v2");
    let d = s.item_detail(&w.qb, id).await.expect("detail");
    assert_eq!(d.summary.bank_version, Some(2));
    assert_eq!(d.versions[1].status, ItemStatus::Retired, "superseded");
    // Approving twice: the second is told it moved on.
    let e = s.item_step(&w.qb, id, ItemStep::Approve, "", &c).await.expect_err("twice");
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    // Retired: out of the bank, kept for history.
    s.item_step(&w.qb, id, ItemStep::Retire, "", &c).await.expect("retire");
    let d = s.item_detail(&w.qb, id).await.expect("detail");
    assert_eq!((d.summary.status, d.summary.bank_version), (ItemStatus::Retired, None));
    assert_eq!(d.versions.len(), 2);

    // Scope: the city officer sees its own organisation's items only; the province sees all.
    let own = s.create_item(&w.qb, w.project, &true_false(2, "省中心试题。"), &c).await.expect("province item");
    assert!(matches!(s.item_detail(&w.qb_city, own).await, Err(StoreError::NotFound)));
    let list = s.list_items(&w.qb_city, &ItemQuery::default(), PageReq::default()).await.expect("list");
    assert_eq!(list.items.iter().map(|i| i.id).collect::<Vec<_>>(), [id]);
    let list = s.list_items(&w.prov, &ItemQuery::default(), PageReq::default()).await.expect("list");
    assert_eq!(list.total, 2);
    let q = ItemQuery { status: Some(ItemStatus::Draft), task: Some(2), ..Default::default() };
    let list = s.list_items(&w.qb, &q, PageReq::default()).await.expect("filtered");
    assert_eq!(list.items.iter().map(|i| i.id).collect::<Vec<_>>(), [own]);

    for (action, n) in [
        ("question_item.submitted", 3),
        ("question_item.returned", 1),
        ("question_item.approved", 2),
        ("question_item.retired", 1),
    ] {
        assert_eq!(w.actions(action).await.len(), n, "{action}");
    }
}

fn row(cells: &[(&str, &str)]) -> Vec<(String, String)> {
    cells.iter().map(|(h, v)| ((*h).to_string(), (*v).to_string())).collect()
}

#[tokio::test]
async fn p6_import_is_all_or_nothing_and_names_row_and_column() {
    let w = world().await;
    let s = &w.app.store;
    let good = row(&[
        ("题型", "单项选择题"),
        ("所属工作任务", "1"),
        ("难度", "易"),
        ("分值", "2"),
        ("题干", "卤菜原料验收时，首先应检查什么？"),
        ("选项A", "感官性状"),
        ("选项B", "包装颜色"),
        ("答案", "A"),
    ]);
    let bad_answer = row(&[
        ("题型", "判断题"),
        ("所属工作任务", "2"),
        ("难度", "中"),
        ("分值", "1"),
        ("题干", "卤水可以无限期反复使用。"),
        ("答案", "也许"),
    ]);
    let bad_task = row(&[
        ("题型", "简答题"),
        ("所属工作任务", "9"),
        ("难度", "难"),
        ("分值", "10"),
        ("题干", "简述卤制火候的控制要点。"),
        ("答案", "先大火烧开，后小火慢卤。"),
    ]);
    let e =
        s.import_items(&w.qb, w.project, &[good.clone(), bad_answer, bad_task], &ctx("qbank")).await.expect_err("bad");
    let fields: Vec<String> = field_codes(&e).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["3:答案", "4:所属工作任务"]);
    let none = s.list_items(&w.qb, &ItemQuery::default(), PageReq::default()).await.expect("list");
    assert_eq!(none.total, 0, "nothing half-saved");

    let practical = row(&[
        ("题型", "实操题"),
        ("所属工作任务", "2"),
        ("难度", "中"),
        ("分值", "20"),
        ("题干", "按给定配方调制卤水 5 千克并卤制鸭翅。"),
        ("评分要点", "配料称量准确|8\n火候控制得当|12"),
    ]);
    let n = s.import_items(&w.qb, w.project, &[good, practical], &ctx("qbank")).await.expect("import");
    assert_eq!(n, 2);
    assert_eq!(w.actions("question_item.imported").await.len(), 1);
    // Only the question bank officer writes.
    let e = s.import_items(&w.prov, w.project, &[], &ctx("prov")).await.expect_err("prov");
    assert!(matches!(e, StoreError::Forbidden));

    // The export carries content and is audited.
    let out = s.export_items(&w.qb, &ItemQuery::default(), &ctx("qbank")).await.expect("export");
    assert_eq!(out.len(), 2);
    assert_eq!(w.actions("question_item.exported").await.len(), 1);
    assert!(matches!(s.export_items(&w.prov, &ItemQuery::default(), &ctx("prov")).await, Err(StoreError::Forbidden)));
}

#[tokio::test]
async fn e2_assembly_honours_the_blueprint_and_the_overlap_cap_and_re_derives() {
    let w = world().await;
    let s = &w.app.store;
    let c = ctx("qbank");
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(w.approved(&true_false(1, &format!("判断题第 {i} 题：原料应先验收后使用。"))).await);
    }
    for i in 0..4 {
        ids.push(w.approved(&single(2, "medium", &format!("单选题第 {i} 题：卤水香辛料的作用是什么？"))).await);
    }
    // A draft is not in the bank.
    s.create_item(&w.qb, w.project, &true_false(1, "草稿题。"), &c).await.expect("draft");

    // No blueprint yet.
    let e = s.assemble_paper(&w.qb, w.project, None, &c).await.expect_err("no blueprint");
    assert!(matches!(&e, StoreError::Conflict(f) if f.code == "BLUEPRINT_MISSING"), "{e:?}");
    // The blueprint's tasks are the specification's.
    let e = w.blueprint(&[(5, "true_false", "any", 1, 1)]).await.expect_err("task 5");
    assert_eq!(field_codes(&e)[0].0, "rows[0].task");

    w.blueprint(&[(1, "true_false", "any", 3, 2), (2, "single_choice", "medium", 2, 5)]).await.expect("blueprint");
    let a = s.assemble_paper(&w.qb, w.project, None, &c).await.expect("paper A");
    let pa = s.paper(&w.qb, a).await.expect("paper");
    assert_eq!(pa.summary.label, "A");
    assert_eq!(pa.record.picks.len(), 2);
    assert_eq!(pa.record.picks[0].item_ids.len(), 3);
    assert_eq!(pa.record.picks[1].item_ids.len(), 2);
    assert!(pa.record.picks[0].item_ids.iter().all(|i| ids[..6].contains(i)));
    assert!(pa.record.picks[1].item_ids.iter().all(|i| ids[6..].contains(i)));
    assert_eq!(pa.record.pool.len(), 10, "approved bank versions only");
    assert!(pa.record.seed.is_none() && pa.verified.is_none(), "sealed until revealed");

    // Paper B: 6 true/false and 4 single choice in the bank; B takes 3 + 2 outside A → no overlap.
    let b = s.assemble_paper(&w.qb, w.project, Some(a), &c).await.expect("paper B");
    let pb = s.paper(&w.qb, b).await.expect("B");
    assert_eq!(pb.summary.label, "B");
    let shared = pb.record.item_ids().iter().filter(|i| pa.record.item_ids().contains(i)).count();
    assert_eq!(shared, 0);
    // A blueprint B cannot fill without sharing more than 20 %: 4 single choice of 4 → all shared.
    w.blueprint(&[(1, "true_false", "any", 1, 2), (2, "single_choice", "medium", 4, 2)]).await.expect("bp2");
    let a2 = s.assemble_paper(&w.qb, w.project, None, &c).await.expect("A2");
    let e = s.assemble_paper(&w.qb, w.project, Some(a2), &c).await.expect_err("overlap");
    assert!(matches!(&e, StoreError::Conflict(f) if f.code == "PAPER_OVERLAP" && f.detail.contains("20%")), "{e:?}");
    // Shortage names the row.
    w.blueprint(&[(1, "true_false", "any", 1, 2), (2, "single_choice", "hard", 1, 2)]).await.expect("bp3");
    let e = s.assemble_paper(&w.qb, w.project, None, &c).await.expect_err("shortage");
    assert!(
        matches!(&e, StoreError::Conflict(f) if f.code == "PAPER_SHORTAGE" && f.detail.starts_with("第 2 行")),
        "{e:?}"
    );

    // Revealed, the record re-derives; a tampered copy does not.
    s.reveal_paper(&w.qb, b, &c).await.expect("reveal");
    let pb = s.paper(&w.qb, b).await.expect("B");
    assert!(matches!(pb.verified, Some(Ok(()))), "{:?}", pb.verified);
    verify_paper(&pb.record).expect("verifies");
    let mut tampered = pb.record.clone();
    tampered.picks[0].item_ids.reverse();
    assert!(verify_paper(&tampered).is_err());
    assert!(matches!(s.reveal_paper(&w.qb, b, &c).await, Err(StoreError::Conflict(_))));

    // The printable paper: every item with its content, audited as a print.
    let printed = s.paper_content(&w.qb, a, PaperUse::Print, &c).await.expect("print");
    assert_eq!(printed.items.len(), 5);
    assert_eq!(printed.view.sections.len(), 2);
    s.paper_content(&w.qb, a, PaperUse::Key, &c).await.expect("key");
    assert_eq!(w.actions("paper.printed").await.len(), 2);
    assert_eq!(w.actions("paper.assembled").await.len(), 3);
    assert_eq!(w.actions("paper.seed_revealed").await.len(), 1);
}

#[tokio::test]
async fn p6_e2_nobody_but_the_qbank_officer_reads_an_item_or_a_paper() {
    let w = world().await;
    let s = &w.app.store;
    let id = w.approved(&true_false(1, "米粉制作前应检查设备卫生。")).await;
    w.blueprint(&[(1, "true_false", "any", 1, 1)]).await.expect("bp");
    let a = s.assemble_paper(&w.qb, w.project, None, &ctx("qbank")).await.expect("A");

    // The province's staff see metadata, never content; a city's staff nothing at all.
    assert!(s.item_detail(&w.prov, id).await.is_ok());
    assert!(matches!(s.item_content(&w.prov, id, 1, &ctx("prov")).await, Err(StoreError::Forbidden)));
    assert!(matches!(s.item_detail(&w.city, id).await, Err(StoreError::Forbidden)));
    assert!(matches!(s.item_content(&w.city, id, 1, &ctx("city")).await, Err(StoreError::Forbidden)));
    let sealed = s.paper(&w.prov, a).await.expect("sealed record");
    assert!(sealed.record.picks.is_empty() && sealed.record.seed.is_none());
    assert!(matches!(s.paper_content(&w.prov, a, PaperUse::View, &ctx("prov")).await, Err(StoreError::Forbidden)));
    assert!(matches!(s.paper(&w.city, a).await, Err(StoreError::Forbidden)));
    // Only the province's officer assembles and reviews.
    assert!(matches!(s.assemble_paper(&w.qb_city, w.project, None, &ctx("qb_city")).await, Err(StoreError::Forbidden)));
    assert!(matches!(s.assemble_paper(&w.prov, w.project, None, &ctx("prov")).await, Err(StoreError::Forbidden)));
    assert!(matches!(s.reveal_paper(&w.prov, a, &ctx("prov")).await, Err(StoreError::Forbidden)));
    // A missing item is 404 to a reader, 403 to a role that reads none.
    assert!(matches!(s.item_detail(&w.qb, 9999).await, Err(StoreError::NotFound)));
    assert!(matches!(s.item_detail(&w.city, 9999).await, Err(StoreError::Forbidden)));
    let _ = ScoringInput::default();
}
