//! Exam sessions through HTTP (E1, E3): a filed station drafts a plan on its page, adds candidates one
//! by one and from an .xlsx roster, submits it on time, and its city center approves it (the province
//! may not: it is not the organizer); a returned plan is edited and submitted again. Each refusal: a
//! late plan names the latest day, a project the station is not filed for, an expired pilot, an edit
//! after submission, a roster with a bad row or a repeated ID number saves nothing; another station and
//! another city find nothing.

use crate::public_pages::station;
use crate::support::error_beside;
use domain::org::Role;
use domain::stations::FilingState;
use http::{Method, StatusCode};
use serde_json::{Value, json};
use store::entity::{filing, project};
use store::sea_orm::{ActiveModelTrait, EntityTrait, Set};
use testkit::{TestApp, WebClient};
use time::Duration;

pub struct World {
    pub app: TestApp,
    /// The 长沙 station (filed for 米粉制作, 湘菜烹饪, 试点项目 and 过期试点).
    pub station: i64,
}

async fn org_of_filing(app: &TestApp, filing_id: i64) -> i64 {
    filing::Entity::find_by_id(filing_id).one(&app.store.db).await.expect("read").expect("filing").applicant_org_id
}

/// A project adopted into the catalog in pilot, published on `published` (P8).
async fn pilot_project(app: &TestApp, name: &str, published: time::Date) -> String {
    let code = testkit::catalog(&app.store, &[name]).await.remove(0);
    let id = testkit::project_id(&app.store, &code).await;
    project::ActiveModel {
        id: Set(id),
        state: Set(domain::projects::ProjectState::Pilot),
        publication_date: Set(Some(published)),
        ..Default::default()
    }
    .update(&app.store.db)
    .await
    .expect("pilot");
    code
}

pub async fn world() -> World {
    world_on(TestApp::spawn().await).await
}

/// [`world`] on a given application (e.g. the first of two instances on one database).
pub async fn world_on(app: TestApp) -> World {
    app.ensure_next_year_calendar().await;
    // 0001 米粉制作, 0002 湘菜烹饪 in force; 0003 in pilot since today; 0004 a pilot long expired; 0005 in
    // force but not filed for.
    app.catalog_example_projects().await;
    pilot_project(&app, "试点项目", store::today()).await;
    pilot_project(&app, "过期试点", store::today() - Duration::days(300)).await;
    testkit::catalog(&app.store, &["莓茶制作"]).await;
    let f = station(
        &app,
        "长沙甲考核站",
        "HN010001",
        "430104",
        &["米粉制作", "湘菜烹饪", "试点项目", "过期试点"],
        FilingState::Filed,
    )
    .await;
    let station_org = org_of_filing(&app, f).await;
    let f2 = station(&app, "株洲乙考核站", "HN020001", "430202", &["米粉制作"], FilingState::Filed).await;
    let other = org_of_filing(&app, f2).await;
    app.create_user("cs_st", &[Role::StationStaff], station_org).await;
    app.create_user("zz_st", &[Role::StationStaff], other).await;
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    app.create_user("zz_staff", &[Role::CityStaff], app.org_id("430200").await).await;
    app.create_user("prov", &[Role::ProvinceStaff], app.org_id("430000").await).await;
    World { app, station: station_org }
}

/// A working day far enough ahead for the lead time (30 days out, moved off the weekend).
pub fn exam_day() -> time::Date {
    let mut d = store::today() + Duration::days(30);
    while matches!(d.weekday(), time::Weekday::Saturday | time::Weekday::Sunday) {
        d += Duration::days(1);
    }
    d
}

pub fn plan(code: &str, first_day: time::Date) -> Value {
    json!({
        "project_code": code,
        "first_day": first_day.to_string(),
        "venue": "长沙市岳麓区麓谷大道 100 号实训楼",
        "expected_candidates": "20",
        "plan": "上午理论考试，下午操作技能考核；考评组 3 人，督导员 1 人。",
    })
}

pub fn idn(seq: u32) -> String {
    testkit::id_number(&format!("43010219900101{seq:03}"))
}

fn candidate(name: &str, id_number: &str) -> Value {
    json!({ "name": name, "id_number": id_number, "phone": "13800000000", "subsidy_category": "农村转移劳动力" })
}

async fn create(w: &World, body: &Value) -> i64 {
    let t = w.app.direct_token("cs_st").await;
    let r = w.app.post_json("/api/v1/sessions", Some(&t), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().expect("id")
}

async fn act(w: &World, who: &str, id: i64, action: &str, reason: &str) -> testkit::Resp {
    let t = w.app.direct_token(who).await;
    w.app
        .post_json(&format!("/api/v1/sessions/{id}/actions"), Some(&t), &json!({"action": action, "reason": reason}))
        .await
}

async fn detail(w: &World, who: &str, id: i64) -> Value {
    let t = w.app.direct_token(who).await;
    let r = w.app.get(&format!("/api/v1/sessions/{id}"), Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn roster_file(rows: &[[&str; 6]]) -> Vec<u8> {
    let rows = rows.iter().map(|r| r.iter().map(|c| (*c).to_owned()).collect()).collect();
    web::xlsx::write(&[web::xlsx::Sheet { name: "考生名册", headers: &domain::exams::ROSTER_COLUMNS, rows }])
        .expect("xlsx")
}

async fn upload(w: &World, c: &WebClient, id: i64, file: &[u8]) -> testkit::Resp {
    w.app.web_upload(c, &format!("/sessions/{id}/roster"), "roster.xlsx", file).await
}

#[tokio::test]
async fn e1_e3_a_plan_goes_from_the_stations_page_to_the_city_centers_approval() {
    let w = world().await;
    let app = &w.app;
    let mut st = app.direct_web("cs_st").await;
    let form = app.web_get(&mut st, "/sessions/new").await;
    assert!(form.body.contains("0001 米粉制作"), "the catalog's projects offered");
    let day = exam_day().to_string();
    let fields = [
        ("project_code", "0001"),
        ("first_day", day.as_str()),
        ("venue", "长沙市岳麓区麓谷大道 100 号实训楼"),
        ("expected_candidates", "20"),
        ("plan", "上午理论考试，下午操作技能考核。"),
    ];
    let r = app.web_post(&mut st, "/sessions", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r.location().rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");
    let d = detail(&w, "cs_st", id).await;
    assert_eq!((d["session"]["state"].as_str(), d["session"]["organizer"].as_str()), (Some("draft"), Some("430100")));
    // Candidates: one on the form (the ID number shown masked), one over the API.
    let one = idn(1);
    let r =
        app.web_post(&mut st, &format!("/sessions/{id}/candidates"), &[("name", "张三"), ("id_number", &one)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut st, &format!("/sessions/{id}")).await;
    assert!(page.body.contains("张三") && !page.body.contains(&one), "the ID number masked on screen");
    let t = app.direct_token("cs_st").await;
    let r = app.post_json(&format!("/api/v1/sessions/{id}/candidates"), Some(&t), &candidate("李四", &idn(2))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The export carries the full numbers for the station.
    let x = app.web_get(&mut st, &format!("/sessions/{id}/candidates.xlsx")).await;
    assert_eq!(x.status, StatusCode::OK);

    // Submitted on the page; the city center gets the to-do; the province is not the organizer.
    let r = app.web_post(&mut st, &format!("/sessions/{id}/actions"), &[("action", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cs = app.principal("cs_staff").await;
    let todo = app.store.todo_for(&cs).await.expect("todo");
    assert!(todo.iter().any(|t| t.subject_id == id.to_string() && t.title.contains("审核考核计划")), "{todo:?}");
    let r = act(&w, "prov", id, "approve", "").await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "NOT_ORGANIZER".to_string()), "{}", r.body);
    // An edit after submission is refused.
    let r = app.send_json(Method::PUT, &format!("/api/v1/sessions/{id}"), Some(&t), &plan("0001", exam_day())).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "SESSION_STATE".to_string()), "{}", r.body);
    let r = app.post_json(&format!("/api/v1/sessions/{id}/candidates"), Some(&t), &candidate("王五", &idn(3))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "the roster is fixed once submitted");

    // Returned with reasons, edited, submitted again, approved by the city center.
    let r = act(&w, "cs_staff", id, "return", "").await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED".to_string()));
    let r = act(&w, "cs_staff", id, "return", "考务方案未写明监考人员").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let todo = app.store.todo_for(&app.principal("cs_st").await).await.expect("todo");
    assert!(todo.iter().any(|t| t.subject_id == id.to_string()), "the station's to-do: {todo:?}");
    let mut edited = plan("0001", exam_day());
    edited["plan"] = json!("上午理论考试，下午操作技能考核；监考人员 4 名。");
    let r = app.send_json(Method::PUT, &format!("/api/v1/sessions/{id}"), Some(&t), &edited).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(act(&w, "cs_st", id, "submit", "").await.status, StatusCode::OK);
    let mut cw = app.direct_web("cs_staff").await;
    let r = app.web_post(&mut cw, &format!("/sessions/{id}/actions"), &[("action", "approve")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = detail(&w, "cs_staff", id).await;
    assert_eq!(d["session"]["state"], "approved");
    let history: Vec<&str> =
        d["history"].as_array().expect("history").iter().filter_map(|h| h["to_state"].as_str()).collect();
    assert_eq!(history, ["draft", "submitted", "returned", "submitted", "approved"]);
    assert!(app.store.todo_for(&cs).await.expect("todo").iter().all(|t| t.subject_id != id.to_string()));
    let print = app.web_get(&mut cw, &format!("/sessions/{id}/print")).await;
    assert!(print.body.contains("专项职业能力考核计划") && print.body.contains("李四"), "the printable plan");
    // An approved session is not cancelled.
    assert_eq!(act(&w, "cs_st", id, "cancel", "场地变化").await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn e3_a_plan_submitted_fewer_working_days_ahead_than_the_policy_is_refused_naming_the_latest_day() {
    let w = world().await;
    let day = store::today() + Duration::days(3);
    let id = create(&w, &plan("0001", day)).await;
    let t = w.app.direct_token("cs_st").await;
    w.app.post_json(&format!("/api/v1/sessions/{id}/candidates"), Some(&t), &candidate("张三", &idn(1))).await;
    let r = act(&w, "cs_st", id, "submit", "").await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "PLAN_LATE".to_string()), "{}", r.body);
    let cal = w.app.store.calendar().await.expect("calendar");
    let latest = domain::exams::latest_submission(&cal, day, 10).expect("known");
    assert!(r.body.contains(&latest.to_string()) && r.body.contains("10 个工作日"), "{}", r.body);
    assert_eq!(detail(&w, "cs_st", id).await["session"]["state"], "draft", "nothing changed");
    // An empty list is not submitted either.
    let id2 = create(&w, &plan("0002", exam_day())).await;
    let r = act(&w, "cs_st", id2, "submit", "").await;
    assert_eq!(r.error_code(), "ROSTER_EMPTY");
}

#[tokio::test]
async fn s5_p8_e1_the_project_must_be_filed_for_and_in_its_pilot_and_decides_the_organizer() {
    let w = world().await;
    let t = w.app.direct_token("cs_st").await;
    let refused = |body: Value| {
        let app = &w.app;
        let t = t.clone();
        async move {
            let r = app.post_json("/api/v1/sessions", Some(&t), &body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            r
        }
    };
    let r = refused(plan("0005", exam_day())).await;
    assert_eq!(r.error_code(), "STATION_NOT_FILED_FOR_PROJECT");
    assert!(r.body.contains("莓茶制作"), "{}", r.body);
    let r = refused(plan("0004", exam_day())).await;
    assert_eq!(r.error_code(), "PROJECT_PILOT_EXPIRED", "{}", r.body);
    let r = refused(plan("9999", exam_day())).await;
    assert_eq!(r.error_code(), "PROJECT_NOT_IN_CATALOG");
    // The page shows the refusal beside the project.
    let mut st = w.app.direct_web("cs_st").await;
    let day = exam_day().to_string();
    let r = w
        .app
        .web_post(
            &mut st,
            "/sessions",
            &[
                ("project_code", "0005"),
                ("first_day", &day),
                ("venue", "实训楼"),
                ("expected_candidates", "5"),
                ("plan", "方案"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_beside(&r.body, "project_code").contains("未备案"), "{}", error_beside(&r.body, "project_code"));
    // E1: a pilot-period project and a computer-based exam are the province's; the rest the city's.
    let pilot = create(&w, &plan("0003", exam_day())).await;
    assert_eq!(detail(&w, "cs_st", pilot).await["session"]["organizer"], "province");
    let mut cb = plan("0001", exam_day());
    cb["computer_based"] = json!(true);
    let computer = create(&w, &cb).await;
    assert_eq!(detail(&w, "cs_st", computer).await["session"]["organizer_label"], "省鉴定中心");
    // Edited to paper: the organizer is decided again.
    let r = w
        .app
        .send_json(Method::PUT, &format!("/api/v1/sessions/{computer}"), Some(&t), &plan("0001", exam_day()))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(detail(&w, "cs_st", computer).await["session"]["organizer"], "430100");
    // The city center may not decide a province-organized plan.
    w.app.post_json(&format!("/api/v1/sessions/{pilot}/candidates"), Some(&t), &candidate("张三", &idn(1))).await;
    assert_eq!(act(&w, "cs_st", pilot, "submit", "").await.status, StatusCode::OK);
    let r = act(&w, "cs_staff", pilot, "approve", "").await;
    assert_eq!(r.error_code(), "NOT_ORGANIZER");
    assert_eq!(act(&w, "prov", pilot, "approve", "").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_roster_with_a_bad_row_saves_nothing_and_names_row_and_column_then_the_corrected_one_imports() {
    let w = world().await;
    let id = create(&w, &plan("0001", exam_day())).await;
    let c = w.app.direct_web("cs_st").await;
    let tpl = {
        let mut c = w.app.direct_web("cs_st").await;
        w.app.web_get(&mut c, "/sessions/roster-template.xlsx").await
    };
    assert_eq!(tpl.status, StatusCode::OK);
    let (a, b, bad) = (idn(1), idn(2), "430102199001011230");
    let r = upload(&w, &c, id, &roster_file(&[["张三", &a, "", "", "", ""], ["李四", bad, "", "", "", ""]])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("第 3 行「身份证号码」") && r.body.contains("名单没有任何变化"), "{}", r.body);
    assert_eq!(detail(&w, "cs_st", id).await["candidates"].as_array().map(Vec::len), Some(0), "nothing saved");
    // A repeated ID number within the roster names the row it repeats.
    let r = upload(&w, &c, id, &roster_file(&[["张三", &a, "", "", "", ""], ["李四", &a, "", "", "", ""]])).await;
    assert!(r.body.contains("第 3 行「身份证号码」：与第 2 行的身份证号码重复"), "{}", r.body);
    // The corrected roster imports.
    let r = upload(&w, &c, id, &roster_file(&[["张三", &a, "13800000000", "", "", ""], ["李四", &b, "", "", "", ""]]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = detail(&w, "cs_st", id).await;
    assert_eq!(d["candidates"].as_array().map(Vec::len), Some(2));
    assert_eq!(d["candidates"][0]["source"], "roster");
    // Against the session: over the API, nothing saved and the row named.
    let t = w.app.direct_token("cs_st").await;
    let r = w
        .app
        .post_json(
            &format!("/api/v1/sessions/{id}/roster"),
            Some(&t),
            &json!([candidate("王五", &idn(3)), candidate("张三", &a)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "3:身份证号码");
    assert_eq!(r.error_code(), "CANDIDATE_ALREADY_IN_SESSION");
    let r = w.app.post_json(&format!("/api/v1/sessions/{id}/candidates"), Some(&t), &candidate("张三", &a)).await;
    assert_eq!(r.error_code(), "CANDIDATE_ALREADY_IN_SESSION");
    assert_eq!(detail(&w, "cs_st", id).await["candidates"].as_array().map(Vec::len), Some(2));
    // Removed before submission.
    let cid = d["candidates"][1]["id"].as_i64().expect("cid");
    let r = w
        .app
        .request(
            Method::DELETE,
            &format!("/api/v1/sessions/{id}/candidates/{cid}"),
            &[("authorization", format!("Bearer {t}"))],
            axum::body::Body::empty(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(detail(&w, "cs_st", id).await["candidates"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_station_and_a_city_see_only_their_own_sessions_and_a_cancellation_needs_its_reason() {
    let w = world().await;
    let id = create(&w, &plan("0001", exam_day())).await;
    for who in ["zz_st", "zz_staff"] {
        let t = w.app.direct_token(who).await;
        assert_eq!(w.app.get(&format!("/api/v1/sessions/{id}"), Some(&t)).await.status, StatusCode::NOT_FOUND, "{who}");
        let list = w.app.get("/api/v1/sessions", Some(&t)).await.json();
        assert_eq!(list["total"], 0, "{who}");
    }
    for who in ["cs_st", "cs_staff", "prov"] {
        let t = w.app.direct_token(who).await;
        let list = w.app.get("/api/v1/sessions?state=draft&project_code=0001", Some(&t)).await.json();
        assert_eq!(list["total"], 1, "{who}");
        let by_station = format!("/api/v1/sessions?station_org_id={}", w.station);
        assert_eq!(w.app.get(&by_station, Some(&t)).await.json()["total"], 1, "{who}");
    }
    let t = w.app.direct_token("cs_st").await;
    let r = w.app.get("/api/v1/sessions?state=nonsense", Some(&t)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut st = w.app.direct_web("cs_st").await;
    let list = w.app.web_get(&mut st, "/sessions?from=2000-01-01").await;
    assert!(list.body.contains("米粉制作"));
    let x = w.app.web_get(&mut st, "/sessions/export.xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    let r = act(&w, "cs_st", id, "cancel", " ").await;
    assert_eq!(r.error_code(), "REASON_REQUIRED");
    assert_eq!(act(&w, "cs_st", id, "cancel", "场地临时无法使用").await.status, StatusCode::OK);
    let d = detail(&w, "cs_st", id).await;
    assert_eq!(
        (d["session"]["state"].as_str(), d["session"]["decision_reason"].as_str()),
        (Some("cancelled"), Some("场地临时无法使用"))
    );
    assert_eq!(d["session"]["station_org_id"], w.station);
}

/// A draft session of a station's, written straight to the table (the authorization matrix's fixture;
/// the procedure that makes one is tested above).
pub async fn draft_row(app: &TestApp, station_org: i64, project_id: i64) -> i64 {
    let org = store::entity::org::Entity::find_by_id(station_org).one(&app.store.db).await.expect("read").expect("org");
    let now = store::now();
    store::entity::exam_session::ActiveModel {
        station_org_id: Set(station_org),
        station_city: Set(org.city_code.clone()),
        project_id: Set(project_id),
        organizer_city: Set(org.city_code),
        first_day: Set(exam_day()),
        last_day: Set(exam_day()),
        venue: Set("实训楼".into()),
        expected_candidates: Set(10),
        computer_based: Set(false),
        plan: Set("方案".into()),
        state: Set(domain::exams::SessionState::Draft),
        decision_reason: Set(String::new()),
        submitted_at: Set(None),
        decided_at: Set(None),
        created_by: Set("test".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("session")
    .id
}
