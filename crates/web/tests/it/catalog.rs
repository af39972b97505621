//! The public catalog of assessment projects (F2, P1, P7, P8): only published projects are listed and
//! have a page; a pilot shows its last day, a stopped project reads 已停止; search by name or code,
//! the status filter, pages (a page past the end is empty), the .xlsx export, the filed stations that
//! assess a project, and a step taken through the store seen at once despite the public page cache.

use crate::public_pages::station;
use domain::org::{Principal, Role};
use domain::projects::{AdoptionInput, OpinionInput, ProjectFileKind, SpecificationInput};
use domain::stations::FilingState;
use http::StatusCode;
use store::Ctx;
use store::projects::ProjectActionInput;
use testkit::TestApp;

fn esc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn province(app: &TestApp) -> Principal {
    app.create_user("prov", &[Role::ProvinceStaff], app.org_id("430000").await).await;
    app.principal("prov").await
}

/// An adoption of a national-center project named `name`, approved in pilot or in force today (P1);
/// its code.
async fn adopted(app: &TestApp, prov: &Principal, name: &str, pilot: bool) -> String {
    let s = &app.store;
    let input = AdoptionInput {
        original_code: format!("ZX-2023-{}", name.chars().count() * 7 + name.len()),
        specification: SpecificationInput { name: name.into(), ..SpecificationInput::example() },
        ..AdoptionInput::example()
    };
    let id = s.record_adoption(prov, &input, &Ctx::system()).await.expect("record adoption");
    let approve = ProjectActionInput {
        kind: "approve_adoption".into(),
        publication_date: store::today().to_string(),
        pilot: Some(pilot),
        ..Default::default()
    };
    s.act_on_project(prov, id, &approve, &Ctx::system()).await.expect("approve");
    s.get_project(prov, id).await.expect("detail").summary.code.expect("code")
}

fn act(kind: &str) -> ProjectActionInput {
    ProjectActionInput { kind: kind.into(), ..Default::default() }
}

/// A project developed by a 长沙 unit through the city, the province and a reviewed draw, established
/// (with a code) but not published; its id and code.
async fn established(app: &TestApp, prov: &Principal, name: &str) -> (i64, String) {
    let s = &app.store;
    let ctx = Ctx::system();
    let unit = app.create_org("长沙茶叶研究开发中心", "devunit", "430102").await;
    app.create_user("dev", &[Role::DevunitStaff], unit).await;
    app.create_user("city", &[Role::CityStaff], app.org_id("430100").await).await;
    let (dev, city) = (app.principal("dev").await, app.principal("city").await);
    let mut experts = Vec::new();
    for i in 0..4 {
        let idn = testkit::id_number(&format!("43010219700101{:03}", 200 + i));
        let username = format!("expert{i}");
        let id = app
            .create_expert_with_account(
                &username,
                &format!("评审专家{}", "甲乙丙丁".chars().nth(i).unwrap_or('戊')),
                &idn,
                "430100",
                None,
            )
            .await;
        experts.push((id, username));
    }
    let spec = SpecificationInput { name: name.into(), ..SpecificationInput::example() };
    let id = s.create_project(&dev, &spec, &ctx).await.expect("draft");
    s.add_project_file(&dev, id, ProjectFileKind::FeasibilityReport, "可行性分析报告.pdf", testkit::PDF, &ctx)
        .await
        .expect("report");
    s.submit_project(&dev, id, &ctx).await.expect("submit");
    s.act_on_project(&city, id, &act("forward"), &ctx).await.expect("forward");
    let draw = ProjectActionInput { kind: "draw_review".into(), group_size: Some(3), ..Default::default() };
    s.act_on_project(prov, id, &draw, &ctx).await.expect("draw");
    s.act_on_project(prov, id, &act("open_review"), &ctx).await.expect("open");
    for member in s.get_project(prov, id).await.expect("detail").group {
        let username = &experts.iter().find(|(e, _)| *e == member.expert_id).expect("member").1;
        let p = app.principal(username).await;
        let opinion =
            OpinionInput { conclusion: "agree".into(), comments: "考核规范内容完整，同意设立".into() };
        s.file_opinion(&p, id, &opinion, &ctx).await.expect("opinion");
    }
    s.act_on_project(prov, id, &act("establish"), &ctx).await.expect("establish");
    let code = s.get_project(prov, id).await.expect("detail").summary.code.expect("code");
    (id, code)
}

#[tokio::test]
async fn f2_p8_an_established_project_is_public_only_once_published_and_then_at_once() {
    let app = TestApp::spawn().await;
    let prov = province(&app).await;
    let (id, code) = established(&app, &prov, "古丈毛尖制作").await;
    // Established, not published: neither listed nor found.
    let list = app.get("/catalog", None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("古丈毛尖制作") && list.body.contains("暂无已公布的考核项目"), "{}", list.body);
    let page = app.get(&format!("/catalog/{code}"), None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("href=\"/\"") && !page.body.contains("古丈毛尖制作"), "{}", page.body);
    assert_eq!(app.get(&format!("/api/v1/catalog/{code}"), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/catalog/9999", None).await.status, StatusCode::NOT_FOUND);
    // Published through the store: the cached list and page show it at once, in pilot with its end.
    let today = store::today();
    let publish =
        ProjectActionInput { kind: "publish".into(), publication_date: today.to_string(), ..Default::default() };
    app.store.act_on_project(&prov, id, &publish, &Ctx::system()).await.expect("publish");
    let end = domain::projects::pilot_end(today, 6).to_string();
    let list = app.get("/catalog", None).await;
    assert!(list.body.contains("古丈毛尖制作") && list.body.contains("试点中"), "{}", list.body);
    assert!(list.body.contains(&format!("试点截止 {end}")), "{}", list.body);
    assert!(list.body.contains(&format!("href=\"/catalog/{code}\"")), "{}", list.body);
    let page = app.get(&format!("/catalog/{code}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("长沙茶叶研究开发中心") && page.body.contains(&end), "{}", page.body);
    assert!(page.body.contains("卤水调制与卤制") && page.body.contains("50%"), "tasks with weights: {}", page.body);
    assert!(page.body.contains("发布并开展试点"), "the change history: {}", page.body);
    let api = app.get(&format!("/api/v1/catalog/{code}"), None).await.json();
    assert_eq!(api["project"]["status"], "pilot", "{api}");
    assert_eq!(api["project"]["pilot_end"].as_str(), Some(end.as_str()), "{api}");
    assert_eq!(api["specification"]["tasks"].as_array().map(Vec::len), Some(3), "{api}");
    // Stopped: still listed and found, as 已停止, with the stop in its history.
    let stop =
        ProjectActionInput { kind: "stop".into(), reason: "试点期间未开展考核".into(), ..Default::default() };
    app.store.act_on_project(&prov, id, &stop, &Ctx::system()).await.expect("stop");
    let page = app.get(&format!("/catalog/{code}"), None).await;
    assert!(page.body.contains("已停止") && page.body.contains("停止考核项目"), "{}", page.body);
    assert!(!page.body.contains("试点截止日期"), "{}", page.body);
    let stopped = app.get("/catalog?status=stopped", None).await;
    assert!(stopped.body.contains("古丈毛尖制作") && stopped.body.contains("已停止"), "{}", stopped.body);
    let pilots = app.get("/catalog?status=pilot", None).await;
    assert!(!pilots.body.contains("古丈毛尖制作"), "{}", pilots.body);
}

#[tokio::test]
async fn f2_p1_an_adopted_project_shows_its_provenance_and_the_filed_stations_that_assess_it() {
    let app = TestApp::spawn().await;
    let prov = province(&app).await;
    let code = adopted(&app, &prov, "中式面点制作", false).await;
    station(&app, "长沙甲培训学校", "HN010001", "430104", &["中式面点制作"], FilingState::Filed).await;
    station(&app, "长沙丙培训学校", "HN010002", "430104", &["中式面点制作"], FilingState::Suspended).await;
    let list = app.get("/catalog", None).await;
    assert!(list.body.contains("人社部职业技能鉴定中心") && list.body.contains("全省推行"), "{}", list.body);
    assert!(list.body.contains("href=\"/stations/HN010001\""), "{}", list.body);
    assert!(!list.body.contains("长沙丙培训学校"), "a suspended station is not listed: {}", list.body);
    let page = app.get(&format!("/catalog/{code}"), None).await;
    assert!(page.body.contains("原项目代码 ZX-2023-") && page.body.contains("批准采用"), "{}", page.body);
    assert!(page.body.contains("发布机构"), "{}", page.body);
}

#[tokio::test]
async fn i9_15_f2_the_catalog_is_searched_by_name_or_code_paged_and_exported() {
    let app = TestApp::spawn().await;
    let prov = province(&app).await;
    let mut codes = Vec::new();
    for i in 1..=31 {
        codes.push(adopted(&app, &prov, &format!("测试{i:02}号点心制作"), i % 2 == 0).await);
    }
    let first = app.get("/catalog", None).await;
    assert!(first.body.contains("测试01号点心制作") && first.body.contains("测试30号点心制作"), "{}", first.body);
    assert!(!first.body.contains("测试31号点心制作"), "{}", first.body);
    assert!(first.body.contains("第 1 / 2 页") && first.body.contains("href=\"/catalog?page=2\""), "{}", first.body);
    let second = app.get("/catalog?page=2", None).await;
    assert!(second.body.contains("测试31号点心制作") && !second.body.contains("测试01号点心制作"), "{}", second.body);
    // A page past the end is empty, not an error.
    let past = app.get("/catalog?page=9", None).await;
    assert_eq!(past.status, StatusCode::OK);
    assert!(!past.body.contains("点心制作</a>"), "{}", past.body);
    let api = app.get("/api/v1/catalog?per_page=10&page=4", None).await.json();
    assert_eq!((api["total"].as_u64(), api["items"].as_array().map(Vec::len)), (Some(31), Some(1)), "{api}");
    let api = app.get("/api/v1/catalog?page=100", None).await.json();
    assert_eq!(api["items"].as_array().map(Vec::len), Some(0), "{api}");
    // By name, by code; by status.
    let found = app.get(&format!("/catalog?q={}", esc("测试2")), None).await;
    assert!(found.body.contains("测试25号点心制作") && !found.body.contains("测试31号点心制作"), "{}", found.body);
    let by_code = app.get(&format!("/api/v1/catalog?q={}", codes[6]), None).await.json();
    assert_eq!(by_code["items"][0]["name"], "测试07号点心制作", "{by_code}");
    let pilots = app.get("/api/v1/catalog?status=pilot", None).await.json();
    assert_eq!(pilots["total"].as_u64(), Some(15), "{pilots}");
    let bad = app.get("/api/v1/catalog?status=draft", None).await;
    assert_eq!((bad.status, bad.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID".to_string()));
    // The export: every row of the search, as .xlsx.
    let sheet = app.get(&format!("/catalog/export.xlsx?q={}", esc("测试2")), None).await;
    assert_eq!(sheet.status, StatusCode::OK);
    let rows = web::xlsx::read(&sheet.bytes).expect("a readable .xlsx");
    assert_eq!(rows[0][..4], ["项目代码", "项目名称", "开发单位（发布机构）", "项目状态"]);
    assert_eq!(rows.len(), 1 + 10, "测试20 … 测试29: {rows:?}");
    assert!(rows.iter().any(|r| r[1] == "测试24号点心制作" && r[3] == "试点中"), "{rows:?}");
}

/// F2 (issue 11): a station applies for the catalog's current projects, by code or by name, chosen
/// from the form's list; a project the catalog does not offer is refused beside its cell and nothing
/// is saved; a filed station appears on its project's public page, found by the project's code.
#[tokio::test]
async fn f2_a_filing_applies_for_catalog_projects_only_and_its_station_appears_on_the_projects_page() {
    use store::sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let codes = testkit::catalog(&app.store, &testkit::EXAMPLE_PROJECTS).await;
    let org = app.create_org("长沙湘味职业培训学校", "station", "430104").await;
    app.create_user("zhan", &[Role::StationStaff], org).await;
    let t = app.direct_token("zhan").await;

    // A project the catalog does not offer: 422 beside its cell, naming it; nothing saved.
    let mut bad = testkit::application("长沙湘味职业培训学校", "other_unit", "430104");
    bad.projects = vec!["米粉制作".into(), "臭豆腐制作".into()];
    let r = app.post_json("/api/v1/filings", Some(&t), &serde_json::to_value(&bad).expect("json")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].as_array().cloned().unwrap_or_default();
    let e = errors.iter().find(|e| e["field"] == "projects[1]").unwrap_or_else(|| panic!("{errors:?}"));
    assert_eq!(e["code"], "PROJECT_NOT_IN_CATALOG");
    assert!(e["detail"].as_str().unwrap_or_default().contains("“臭豆腐制作”不是考核项目目录中"), "{e}");
    assert_eq!(app.get("/api/v1/filings", Some(&t)).await.json()["total"], 0, "nothing saved");
    // The page says the same beside the cell, in Chinese, naming the field.
    let mut web = app.web_session("zhan").await;
    let form = app.web_get(&mut web, "/filings/new").await;
    assert!(form.body.contains("<datalist id=\"catalog-projects\">"), "{}", form.body);
    assert!(form.body.contains(&format!("{} 米粉制作（全省推行）", codes[0])), "{}", form.body);
    assert!(form.body.contains("list=\"catalog-projects\""), "the cells offer the catalog");
    let refused = app
        .web_post(
            &mut web,
            "/filings",
            &[("institution_name", "长沙湘味职业培训学校"), ("projects", "臭豆腐制作"), ("projects", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        crate::support::error_beside(&refused.body, "project_0").contains("“臭豆腐制作”不是考核项目目录中"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("申报考核项目"), "the summary names the field: {}", refused.body);

    // By code or by name: the application keeps the catalog's names, each row its code.
    let mut good = testkit::application("长沙湘味职业培训学校", "other_unit", "430104");
    good.projects = vec![codes[0].clone(), "湘菜烹饪".into()];
    let r = app.post_json("/api/v1/filings", Some(&t), &serde_json::to_value(&good).expect("json")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let got = app.get(&format!("/api/v1/filings/{id}"), Some(&t)).await.json();
    assert_eq!(got["application"]["projects"], serde_json::json!(["米粉制作", "湘菜烹饪"]), "{got}");

    // Filed (the procedure is tested in filings.rs): its station is on 米粉制作's page, found by code
    // even where the row's text differs from the catalog's name.
    let sql = format!(
        "UPDATE filings SET state = 'filed', institution_code = 'HN010009' WHERE id = {id}; \
         UPDATE filing_projects SET name = '米粉' WHERE filing_id = {id} AND code = '{}'",
        codes[0]
    );
    for statement in sql.split("; ") {
        app.store.db.execute_unprepared(statement).await.expect("filed");
    }
    let page = app.get(&format!("/catalog/{}", codes[0]), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("href=\"/stations/HN010009\""), "{}", page.body);
    let api = app.get(&format!("/api/v1/catalog/{}", codes[1]), None).await.json();
    assert_eq!(api["project"]["stations"][0]["institution_code"], "HN010009", "{api}");
    // And the station's public page leads back to the catalog page of a project it assesses.
    let station = app.get("/stations/HN010009", None).await;
    assert!(station.body.contains(&format!("href=\"/catalog/{}\"", codes[1])), "{}", station.body);
}
