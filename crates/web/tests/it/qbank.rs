//! The question bank through HTTP (issue 11: P2, P6, E2): an item written on the pages, reviewed over
//! the API, its content shown to the question bank officer only (each view audited) and never to the
//! province's other staff; bad input beside its field; the .xlsx import all-or-nothing with 第 N 行「列」;
//! a blueprint, paper A, the sealed record for others, the seed revealed and the record re-derived; the
//! A4 paper and answer key for the officer alone.

use crate::support::error_fields;
use domain::org::{Principal, Role};
use domain::projects::{ProjectOrigin, ProjectState, Receiver, SpecificationInput};
use domain::question_bank::{BlueprintInput, BlueprintRowInput, ItemInput};
use http::{Method, StatusCode};
use serde_json::json;
use store::Ctx;
use store::question_bank::ItemStep;
use store::sea_orm::{ActiveModelTrait, Set};
use testkit::TestApp;

/// An established project (adopted, in force) with the example specification's three work tasks.
pub async fn bank_project(app: &TestApp) -> i64 {
    let spec = SpecificationInput { name: "武冈卤菜加工".into(), ..SpecificationInput::example() };
    let at = store::now();
    store::entity::project::ActiveModel {
        origin: Set(ProjectOrigin::Adopted),
        state: Set(ProjectState::InForce),
        name: Set("武冈卤菜加工".into()),
        devunit_org_id: Set(None),
        receiver: Set(Receiver::Province),
        receiving_region: Set(None),
        code: Set(Some("Q001".into())),
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

fn true_false(stem: &str) -> ItemInput {
    ItemInput {
        kind: "true_false".into(),
        task: 1,
        difficulty: "easy".into(),
        points: 1,
        stem: stem.into(),
        answer: "正确".into(),
        ..Default::default()
    }
}

/// The project, an approved item, its blueprint (one true/false item) and paper A — for the
/// authorization matrix too.
pub async fn bank_with_paper(app: &TestApp) -> (i64, i64, i64) {
    // The system acts with every role; its items are written in the province center's name.
    let p = Principal { org_id: app.org_id("430000").await, ..Principal::system() };
    let c = Ctx::system();
    let s = &app.store;
    let project = bank_project(app).await;
    let item = s.create_item(&p, project, &true_false("卤制前原料应清洗干净。"), &c).await.expect("item");
    s.item_step(&p, item, ItemStep::Submit, "", &c).await.expect("submit");
    s.item_step(&p, item, ItemStep::Approve, "", &c).await.expect("approve");
    let bp = BlueprintInput {
        duration_minutes: 30,
        total_points: 1,
        rows: vec![BlueprintRowInput {
            task: 1,
            kind: "true_false".into(),
            difficulty: "any".into(),
            count: 1,
            points_each: 1,
        }],
    };
    s.save_blueprint(&p, project, &bp, &c).await.expect("blueprint");
    let paper = s.assemble_paper(&p, project, None, &c).await.expect("paper");
    (project, item, paper)
}

async fn world() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    let province = app.org_id("430000").await;
    app.create_user("tiku", &[Role::QbankOfficer], province).await;
    app.create_user("sheng", &[Role::ProvinceStaff], province).await;
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    let project = bank_project(&app).await;
    (app, project)
}

async fn audit_count(app: &TestApp, action: &str) -> usize {
    use store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    store::entity::audit_log::Entity::find()
        .filter(store::entity::audit_log::Column::Action.eq(action))
        .all(&app.store.db)
        .await
        .expect("audit")
        .len()
}

#[tokio::test]
async fn p6_an_item_is_written_on_the_page_reviewed_over_the_api_and_read_by_the_officer_alone() {
    let (app, project) = world().await;
    let mut tiku = app.web_session("tiku").await;
    let stem = "米粉榨制前，米浆的含水量过高会导致粉条断条。";
    let form = app.web_get(&mut tiku, "/qbank/items/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let pid = project.to_string();
    let fields = [
        ("project_id", pid.as_str()),
        ("kind", "true_false"),
        ("task", "2"),
        ("difficulty", "medium"),
        ("points", "1"),
        ("stem", stem),
        ("answer", "正确"),
    ];
    let r = app.web_post(&mut tiku, "/qbank/items", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let at = r.location();
    let id: i64 = at.rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");
    let page = app.web_get(&mut tiku, &at).await;
    assert!(page.body.contains(stem) && page.body.contains("试题已保存为草稿"), "{}", page.body);
    assert_eq!(audit_count(&app, "question_item.viewed").await, 1);

    // The province's staff see the metadata, never the content; a city's staff nothing at all.
    let mut sheng = app.web_session("sheng").await;
    let list = app.web_get(&mut sheng, "/qbank/items").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&format!("/qbank/items/{id}")) && !list.body.contains(stem));
    let other = app.web_get(&mut sheng, &at).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(!other.body.contains(stem) && other.body.contains("只有题库管理员可以查看"));
    let mut cs = app.web_session("cs_staff").await;
    assert_eq!(app.web_get(&mut cs, "/qbank/items").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.web_get(&mut cs, &at).await.status, StatusCode::FORBIDDEN);

    // Review over the API; a return needs its reason.
    let t = app.token("tiku").await;
    let act = |kind: &str, reason: &str| json!({ "kind": kind, "reason": reason });
    let path = format!("/api/v1/qbank/items/{id}/actions");
    assert_eq!(app.post_json(&path, Some(&t), &act("submit", "")).await.status, StatusCode::NO_CONTENT);
    let r = app.post_json(&path, Some(&t), &act("return", "")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&r.json()), ["reason"]);
    assert_eq!(app.post_json(&path, Some(&t), &act("approve", "")).await.status, StatusCode::NO_CONTENT);
    let r = app.post_json(&path, Some(&t), &act("approve", "")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let got = app.get(&format!("/api/v1/qbank/items/{id}"), Some(&t)).await.json();
    assert_eq!(got["item"]["status"], "approved");
    assert_eq!(got["item"]["bank_version"], 1);
    let content = app.get(&format!("/api/v1/qbank/items/{id}/versions/1"), Some(&t)).await;
    assert_eq!(content.status, StatusCode::OK);
    assert_eq!(content.json()["stem"], stem);
    assert_eq!(content.json()["answer"], "正确");
    let ts = app.token("sheng").await;
    assert_eq!(app.get(&format!("/api/v1/qbank/items/{id}/versions/1"), Some(&ts)).await.status, StatusCode::FORBIDDEN);
    let meta = app.get(&format!("/api/v1/qbank/items/{id}"), Some(&ts)).await;
    assert_eq!(meta.status, StatusCode::OK);
    assert!(!meta.body.contains(stem));
    assert_eq!(app.post_json(&path, Some(&ts), &act("retire", "")).await.status, StatusCode::FORBIDDEN);

    // A revision through the page is version 2; version 1 stays in the bank.
    let edit = app.web_get(&mut tiku, &format!("{at}/edit")).await;
    assert!(edit.body.contains(stem));
    let revised = [
        ("kind", "true_false"),
        ("task", "2"),
        ("difficulty", "hard"),
        ("points", "1"),
        ("stem", "米浆含水量过低时，米粉成品易发硬。"),
        ("answer", "正确"),
    ];
    let r = app.web_post(&mut tiku, &format!("{at}/edit"), &revised).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let got = app.get(&format!("/api/v1/qbank/items/{id}"), Some(&t)).await.json();
    assert_eq!((got["item"]["version"].as_u64(), got["item"]["bank_version"].as_u64()), (Some(2), Some(1)));
}

#[tokio::test]
async fn p6_bad_input_is_refused_beside_its_field() {
    let (app, project) = world().await;
    let mut tiku = app.web_session("tiku").await;
    let pid = project.to_string();
    let fields = [
        ("project_id", pid.as_str()),
        ("kind", "single_choice"),
        ("task", "4"),
        ("difficulty", "easy"),
        ("points", "2"),
        ("stem", "下列哪项是卤水的主要调味料？"),
        ("option", "酱油"),
        ("option", "清水"),
        ("answer", "E"),
    ];
    let r = app.web_post(&mut tiku, "/qbank/items", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("超出选项范围"), "{}", r.body);
    let t = app.token("tiku").await;
    let body = json!({ "project_id": project, "item": { "kind": "true_false", "task": 9, "difficulty": "easy",
        "points": 1, "stem": "判断", "answer": "正确" } });
    let r = app.post_json("/api/v1/qbank/items", Some(&t), &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&r.json()), ["task"]);
    assert_eq!(r.error_code(), "ITEM_TASK");
    // 403 before 422: a role that does not write is refused whatever the body.
    let ts = app.token("sheng").await;
    assert_eq!(app.post_json("/api/v1/qbank/items", Some(&ts), &json!({})).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn p6_the_xlsx_import_is_all_or_nothing_naming_row_and_column() {
    let (app, project) = world().await;
    let mut c = app.web_session("tiku").await;
    let template = app.web_get(&mut c, "/qbank/import/template.xlsx").await;
    assert_eq!(template.status, StatusCode::OK);
    let headers = domain::question_bank::template_headers();
    let row = |cells: &[(&str, &str)]| -> Vec<String> {
        headers
            .iter()
            .map(|h| cells.iter().find(|(k, _)| k == h).map_or(String::new(), |(_, v)| (*v).to_owned()))
            .collect()
    };
    let good = row(&[
        ("题型", "判断题"),
        ("所属工作任务", "1"),
        ("难度", "易"),
        ("分值", "1"),
        ("题干", "卤水应定期过滤。"),
        ("答案", "正确"),
    ]);
    let bad = row(&[
        ("题型", "单项选择题"),
        ("所属工作任务", "1"),
        ("难度", "难"),
        ("分值", "2"),
        ("题干", "卤水颜色主要来自？"),
        ("选项A", "糖色"),
        ("选项C", "盐"),
    ]);
    let send = |rows: Vec<Vec<String>>| {
        let file = web::xlsx::write(&[web::xlsx::Sheet { name: "试题", headers: &headers, rows }]).expect("xlsx");
        let pid = project.to_string();
        let (ct, body) = testkit::multipart(&[("csrf", &c.csrf), ("project_id", &pid)], "q.xlsx", &file);
        let cookie = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let app = &app;
        async move {
            app.request(Method::POST, "/qbank/import", &[("cookie", cookie), ("content-type", ct)], body.into()).await
        }
    };
    let r = send(vec![good.clone(), bad]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("第 3 行「选项B」"), "{}", r.body);
    let t = app.token("tiku").await;
    assert_eq!(app.get("/api/v1/qbank/items", Some(&t)).await.json()["total"], 0);
    let r = send(vec![good.clone(), good]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.get("/api/v1/qbank/items", Some(&t)).await.json()["total"], 2);

    // The export carries content: the officer's alone, audited.
    let x = app.web_get(&mut c, "/qbank/items/export.xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(audit_count(&app, "question_item.exported").await, 1);
    let mut sheng = app.web_session("sheng").await;
    assert_eq!(app.web_get(&mut sheng, "/qbank/items/export.xlsx").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn e2_a_paper_is_assembled_sealed_revealed_and_re_derived_and_printed_for_the_officer_alone() {
    let (app, project) = world().await;
    let t = app.token("tiku").await;
    let rows: Vec<serde_json::Value> = (0..4)
        .map(|i| json!({ "题型": "判断题", "所属工作任务": "1", "难度": "易", "分值": "1", "题干": format!("卤菜判断题第 {i} 题。"), "答案": "正确" }))
        .collect();
    let r = app.post_json("/api/v1/qbank/import", Some(&t), &json!({ "project_id": project, "rows": rows })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = app.get("/api/v1/qbank/items", Some(&t)).await.json();
    for it in list["items"].as_array().expect("items") {
        let path = format!("/api/v1/qbank/items/{}/actions", it["id"]);
        for kind in ["submit", "approve"] {
            assert_eq!(app.post_json(&path, Some(&t), &json!({ "kind": kind })).await.status, StatusCode::NO_CONTENT);
        }
    }
    let bp = json!({ "duration_minutes": 30, "total_points": 6,
        "rows": [{ "task": 1, "kind": "true_false", "difficulty": "any", "count": 3, "points_each": 2 }] });
    let r = app.send_json(Method::PUT, &format!("/api/v1/qbank/blueprints/{project}"), Some(&t), &bp).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // Too many for the bank: the row is named.
    let big = json!({ "duration_minutes": 30, "total_points": 10,
        "rows": [{ "task": 1, "kind": "true_false", "difficulty": "any", "count": 5, "points_each": 2 }] });
    let r = app.post_json("/api/v1/qbank/papers", Some(&t), &json!({ "project_id": project })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let paper = r.json()["id"].as_i64().expect("id");
    let got = app.get(&format!("/api/v1/qbank/papers/{paper}"), Some(&t)).await.json();
    assert_eq!(got["record"]["picks"][0]["item_ids"].as_array().map(Vec::len), Some(3));
    assert!(got["verified"].is_null());
    // Sealed for the province's staff.
    let ts = app.token("sheng").await;
    let sealed = app.get(&format!("/api/v1/qbank/papers/{paper}"), Some(&ts)).await.json();
    assert_eq!(sealed["record"]["picks"], json!([]));
    assert_eq!(
        app.get(&format!("/api/v1/qbank/papers/{paper}/content"), Some(&ts)).await.status,
        StatusCode::FORBIDDEN
    );

    // The printable paper and key: the officer's, audited.
    let mut tiku = app.web_session("tiku").await;
    let print = app.web_get(&mut tiku, &format!("/qbank/papers/{paper}/print")).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(
        print.body.contains("卤菜判断题") && print.body.contains("判断题（共 3 题，每题 2 分，共 6 分）"),
        "{}",
        print.body
    );
    assert!(!print.body.contains("答案："));
    let key = app.web_get(&mut tiku, &format!("/qbank/papers/{paper}/key")).await;
    assert!(key.body.contains("答案：</strong>正确"), "{}", key.body);
    assert_eq!(audit_count(&app, "paper.printed").await, 2);
    let mut sheng = app.web_session("sheng").await;
    assert_eq!(app.web_get(&mut sheng, &format!("/qbank/papers/{paper}/print")).await.status, StatusCode::FORBIDDEN);
    let page = app.web_get(&mut sheng, &format!("/qbank/papers/{paper}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("卤菜判断题"));

    // Revealed, the record re-derives (on the page and in the API).
    let r = app.post_json(&format!("/api/v1/qbank/papers/{paper}/reveal"), Some(&t), &json!({})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let got = app.get(&format!("/api/v1/qbank/papers/{paper}"), Some(&t)).await.json();
    assert_eq!(got["verified"], true);
    let record: domain::question_bank::PaperRecord = serde_json::from_value(got["record"].clone()).expect("record");
    domain::question_bank::verify_paper(&record).expect("re-derives");
    let page = app.web_get(&mut tiku, &format!("/qbank/papers/{paper}")).await;
    assert!(page.body.contains("验证通过"), "{}", page.body);

    // A blueprint the bank cannot fill: 409 naming the row.
    let r = app.send_json(Method::PUT, &format!("/api/v1/qbank/blueprints/{project}"), Some(&t), &big).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.post_json("/api/v1/qbank/papers", Some(&t), &json!({ "project_id": project })).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "PAPER_SHORTAGE");
    assert!(r.body.contains("第 1 行"), "{}", r.body);
}

/// P6: "由市州受理开发的考核项目题库，报省鉴定中心审核" — a city center's question bank officer writes and
/// submits items for the provincial bank; only the province's officer approves them; the city's officer
/// sees its own center's items only.
#[tokio::test]
async fn p6_a_city_centers_officer_writes_and_submits_and_only_the_province_approves() {
    let (app, project) = world().await;
    app.create_user("cs_tiku", &[Role::QbankOfficer], app.org_id("430100").await).await;
    let city = app.token("cs_tiku").await;
    let prov = app.token("tiku").await;
    let item = json!({"project_id": project, "item": {"kind": "true_false", "task": 1, "difficulty": "easy",
        "points": 1, "stem": "米粉出品前应检查汤料温度。", "answer": "正确"}});
    let r = app.post_json("/api/v1/qbank/items", Some(&city), &item).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let path = format!("/api/v1/qbank/items/{id}/actions");
    let act = |kind: &str| json!({ "kind": kind, "reason": "" });
    assert_eq!(app.post_json(&path, Some(&city), &act("submit")).await.status, StatusCode::NO_CONTENT);
    let own = app.post_json(&path, Some(&city), &act("approve")).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "a city's officer does not approve: {}", own.body);
    assert_eq!(app.post_json(&path, Some(&prov), &act("approve")).await.status, StatusCode::NO_CONTENT);
    // The province's officer's own item is not the city's to see.
    let r = app.post_json("/api/v1/qbank/items", Some(&prov), &item).await;
    let theirs = r.json()["id"].as_i64().expect("id");
    assert_eq!(app.get(&format!("/api/v1/qbank/items/{theirs}"), Some(&city)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/qbank/items", Some(&city)).await.json()["total"], 1);
}
