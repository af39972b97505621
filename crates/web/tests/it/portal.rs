//! Candidate self-service, part 1 (issue 12; E3's candidates) through HTTP: a person signs up with
//! their own ID number (a second account for it refused, also under a race; every bad field named),
//! the station opens its draft session to applications, the candidate applies from 我的考试, and the
//! station confirms (the person joins the roster) or declines with a reason the candidate sees. Each
//! refusal: a session not opened, submitted, approved or started; applying twice; confirming an ID
//! number already on the roster; another station finds nothing; a candidate sees only their own.

use crate::sessions::{World, exam_day, idn, plan, world};
use domain::org::Role;
use http::StatusCode;
use serde_json::{Value, json};
use store::entity::exam_session;
use store::sea_orm::{ActiveModelTrait, EntityTrait, Set};
use testkit::TestApp;

fn sign_up(username: &str, id_number: &str) -> Value {
    json!({ "username": username, "name": "王小明", "id_number": id_number, "phone": "13912345678",
            "password": "Kaohe#2026", "password_confirm": "Kaohe#2026" })
}

async fn register(app: &TestApp, username: &str, id_number: &str) -> testkit::Resp {
    app.post_json("/api/v1/candidates/register", None, &sign_up(username, id_number)).await
}

/// A draft session of 米粉制作 by the 长沙 station, opened to applications when `open`.
async fn session(w: &World, open: bool) -> i64 {
    let t = w.app.direct_token("cs_st").await;
    let r = w.app.post_json("/api/v1/sessions", Some(&t), &plan("0001", exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    if open {
        let r = w
            .app
            .send_json(
                http::Method::PUT,
                &format!("/api/v1/sessions/{id}/applications-open"),
                Some(&t),
                &json!({"open": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    }
    id
}

async fn apply(app: &TestApp, who: &str, session_id: i64) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json("/api/v1/my/applications", Some(&t), &json!({ "session_id": session_id })).await
}

async fn decide(app: &TestApp, who: &str, session_id: i64, aid: i64, action: &str, reason: &str) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json(
        &format!("/api/v1/sessions/{session_id}/applications/{aid}/decision"),
        Some(&t),
        &json!({ "action": action, "reason": reason }),
    )
    .await
}

async fn mine(app: &TestApp, who: &str) -> Vec<Value> {
    let t = app.direct_token(who).await;
    let r = app.get("/api/v1/my/applications", Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_array().cloned().expect("list")
}

#[tokio::test]
async fn issue12_a_candidate_signs_up_once_per_id_number_and_every_bad_field_is_named() {
    let app = TestApp::spawn().await;
    let number = idn(1);
    let r = register(&app, "wangxm", &number).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let p = app.principal("wangxm").await;
    assert_eq!(p.roles, vec![Role::Candidate], "only the candidate role");
    assert!(p.can(domain::authz::Action::ApplyExams) && !p.can(domain::authz::Action::ListSessions));
    // The ID number is sealed: the row holds no plain number.
    let row = store::entity::user::Entity::find_by_id(p.user_id).one(&app.store.db).await.expect("read").expect("row");
    assert!(!row.id_number_enc.clone().unwrap_or_default().contains(&number));
    let masked = row.id_number_masked.clone().unwrap_or_default();
    assert!(masked.starts_with("430") && masked.ends_with(&number[14..]) && masked.contains('*'), "{masked}");

    // A second account for the same number is refused, naming the field.
    let again = register(&app, "wangxm2", &number).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
    assert_eq!(again.error_code(), "ID_NUMBER_REGISTERED");
    assert_eq!(again.json()["errors"][0]["field"], "id_number");

    // Two sign-ups with one number at once: the unique index lets exactly one through.
    let other = idn(2);
    let (a, b) = tokio::join!(register(&app, "race_a", &other), register(&app, "race_b", &other));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::UNPROCESSABLE_ENTITY], "{} / {}", a.body, b.body);
    let refused = if a.status == StatusCode::CREATED { &b } else { &a };
    assert_eq!(refused.error_code(), "ID_NUMBER_REGISTERED", "{}", refused.body);

    // Every bad field named at once.
    let bad = json!({ "username": "1x", "name": "", "id_number": "430102199001010011", "phone": "123",
                      "password": "Kaohe#2026", "password_confirm": "Kaohe#2027" });
    let r = app.post_json("/api/v1/candidates/register", None, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or("").to_owned())
        .collect();
    for f in ["username", "name", "id_number", "phone", "password_confirm"] {
        assert!(fields.iter().any(|x| x == f), "{f} not named: {fields:?}");
    }
    let taken = register(&app, "wangxm", &idn(3)).await;
    assert_eq!(taken.error_code(), "USERNAME_TAKEN", "{}", taken.body);
}

/// One account per ID number also when the first candidate account was made by staff (a city
/// administrator registering a candidate who came to the counter): the self sign-up is refused.
#[tokio::test]
async fn issue12_a_candidate_account_made_by_staff_blocks_a_second_by_sign_up() {
    let app = TestApp::spawn().await;
    let number = idn(41);
    let org = app.org_id("430000").await;
    let input = store::users::UserInput {
        username: "counter_cand".into(),
        display_name: "王小明".into(),
        org_id: Some(org),
        roles: vec![Role::Candidate.id().to_string()],
        password: testkit::PASSWORD.into(),
        id_number: number.clone(),
        ..Default::default()
    };
    app.store
        .create_user(&domain::org::Principal::system(), &input, &store::Ctx::system())
        .await
        .expect("staff-made candidate");
    let r = register(&app, "selfmade", &number).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_code(), "ID_NUMBER_REGISTERED");
    // A staff account with the same ID number but no candidate role does not count.
    let other = idn(42);
    let staff = store::users::UserInput {
        username: "clerk_same_id".into(),
        display_name: "王小明".into(),
        org_id: Some(org),
        roles: vec![Role::ProvinceStaff.id().to_string()],
        password: testkit::PASSWORD.into(),
        id_number: other.clone(),
        ..Default::default()
    };
    app.store.create_user(&domain::org::Principal::system(), &staff, &store::Ctx::system()).await.expect("staff");
    assert_eq!(register(&app, "selfmade2", &other).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn issue12_the_sign_up_page_is_linked_from_sign_in_and_makes_an_account_that_signs_in() {
    let app = TestApp::spawn().await;
    let login = app.get("/login", None).await;
    assert!(login.body.contains("href=\"/candidate/register\"") && login.body.contains("考生注册"), "{}", login.body);
    let mut c = testkit::WebClient::default();
    let form = app.web_get(&mut c, "/candidate/register").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!c.csrf.is_empty(), "the form carries the pre-session CSRF token");
    let number = idn(4);
    let bad = app
        .web_post(
            &mut c,
            "/candidate/register",
            &[
                ("username", "lisi"),
                ("name", "李四"),
                ("id_number", "123"),
                ("phone", "13912345678"),
                ("password", "Kaohe#2026"),
                ("password_confirm", "Kaohe#2026"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("field-error") && bad.body.contains("value=\"李四\""), "{}", bad.body);
    let ok = app
        .web_post(
            &mut c,
            "/candidate/register",
            &[
                ("username", "lisi"),
                ("name", "李四"),
                ("id_number", number.as_str()),
                ("phone", "13912345678"),
                ("password", "Kaohe#2026"),
                ("password_confirm", "Kaohe#2026"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("已注册"), "{}", ok.body);
    // Without the CSRF token the form is refused.
    let mut stranger = testkit::WebClient::default();
    let r = app.web_post(&mut stranger, "/candidate/register", &[("username", "zhaoliu")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The new account signs in as everyone does and lands on a page with 我的考试.
    let (mut web, r) = app.web_login("lisi", "Kaohe#2026").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let home = app.web_get(&mut web, "/home").await;
    assert!(home.body.contains("/my/exams"), "menu 我的考试: {}", home.body);
}

#[tokio::test]
async fn issue12_e3_a_candidate_applies_and_the_station_confirms_onto_the_roster_or_declines_with_a_reason() {
    let w = world().await;
    let app = &w.app;
    assert_eq!(register(app, "cand1", &idn(11)).await.status, StatusCode::CREATED);
    assert_eq!(register(app, "cand2", &idn(12)).await.status, StatusCode::CREATED);
    let closed = session(&w, false).await;
    let id = session(&w, true).await;

    // 我的考试 lists only the open session.
    let t = app.direct_token("cand1").await;
    let open = app.get("/api/v1/my/open-sessions?city=430100", Some(&t)).await.json();
    let ids: Vec<i64> =
        open["items"].as_array().expect("items").iter().map(|s| s["session"]["id"].as_i64().unwrap_or(0)).collect();
    assert_eq!(ids, vec![id], "{open}");
    assert_eq!(open["items"][0]["city_name"], "长沙市");

    let r = apply(app, "cand1", closed).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "SESSION_NOT_OPEN"), "{}", r.body);
    let r = apply(app, "cand1", id).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a1 = r.json()["id"].as_i64().expect("id");
    let twice = apply(app, "cand1", id).await;
    assert_eq!((twice.status, twice.error_code().as_str()), (StatusCode::CONFLICT, "CANDIDATE_ALREADY_IN_SESSION"));
    let a2 = apply(app, "cand2", id).await.json()["id"].as_i64().expect("id");

    // A candidate sees only their own applications, and cannot withdraw another's.
    assert_eq!(mine(app, "cand2").await.len(), 1);
    let t2 = app.direct_token("cand2").await;
    let r = app.post_json(&format!("/api/v1/my/applications/{a1}/withdraw"), Some(&t2), &json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A candidate reads no session's applications.
    assert_eq!(app.get(&format!("/api/v1/sessions/{id}/applications"), Some(&t2)).await.status, StatusCode::FORBIDDEN);

    // Another station neither sees nor confirms.
    let zz = app.direct_token("zz_st").await;
    assert_eq!(app.get(&format!("/api/v1/sessions/{id}/applications"), Some(&zz)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(decide(app, "zz_st", id, a1, "confirm", "").await.status, StatusCode::NOT_FOUND);
    // The organizer sees them but does not decide them.
    assert_eq!(decide(app, "cs_staff", id, a1, "confirm", "").await.status, StatusCode::FORBIDDEN);

    // The station confirms one: the person joins the roster with the masked number, source `applied`.
    let st = app.direct_token("cs_st").await;
    let list = app.get(&format!("/api/v1/sessions/{id}/applications"), Some(&st)).await.json();
    assert_eq!((list["items"].as_array().map(Vec::len), list["total"].as_u64()), (Some(2), Some(2)), "{list}");
    assert!(!list.to_string().contains(&idn(11)), "ID numbers are masked");
    let r = decide(app, "cs_st", id, a1, "confirm", "").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let d = app.get(&format!("/api/v1/sessions/{id}"), Some(&st)).await.json();
    let roster = d["candidates"].as_array().expect("candidates");
    assert_eq!(roster.len(), 1, "{d}");
    assert_eq!((roster[0]["name"].as_str(), roster[0]["source"].as_str()), (Some("王小明"), Some("applied")));
    let again = decide(app, "cs_st", id, a1, "confirm", "").await;
    assert_eq!((again.status, again.error_code().as_str()), (StatusCode::CONFLICT, "APPLICATION_STATE"));

    // A decline needs its reason, and the candidate sees it.
    let r = decide(app, "cs_st", id, a2, "decline", " ").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED"));
    assert_eq!(
        decide(app, "cs_st", id, a2, "decline", "未参加本站培训，不符合报考条件").await.status,
        StatusCode::NO_CONTENT
    );
    let m2 = mine(app, "cand2").await;
    assert_eq!(
        (m2[0]["status"].as_str(), m2[0]["reason"].as_str()),
        (Some("declined"), Some("未参加本站培训，不符合报考条件"))
    );
    assert_eq!(mine(app, "cand1").await[0]["status"], "confirmed");

    // The candidate's page shows the decline's reason; the station's page the section 网上报名.
    let mut c2 = app.direct_web("cand2").await;
    let page = app.web_get(&mut c2, "/my/exams").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("未参加本站培训，不符合报考条件") && page.body.contains("未通过"), "{}", page.body);
    let mut sc = app.direct_web("cs_st").await;
    let show = app.web_get(&mut sc, &format!("/sessions/{id}")).await;
    assert!(show.body.contains("网上报名") && show.body.contains("关闭网上报名"), "{}", show.body);

    // The audit trail holds each step.
    let actions = audit_actions(app).await;
    for a in [
        "user.candidate_registered",
        "exam_session.applications_opened",
        "exam_session.application_submitted",
        "exam_session.application_confirmed",
        "exam_session.application_declined",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} not audited");
    }
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    use store::sea_orm::QuerySelect;
    store::entity::audit_log::Entity::find()
        .select_only()
        .column(store::entity::audit_log::Column::Action)
        .into_tuple()
        .all(&app.store.db)
        .await
        .expect("audit")
}

#[tokio::test]
async fn issue12_e3_submitted_approved_and_started_sessions_take_no_applications_and_the_roster_decides_a_confirmation()
{
    let w = world().await;
    let app = &w.app;
    for (n, who) in ["cand_c1", "cand_c2", "cand_c3", "cand_c4"].iter().enumerate() {
        assert_eq!(register(app, who, &idn(20 + n as u32)).await.status, StatusCode::CREATED);
    }
    let id = session(&w, true).await;
    let a1 = apply(app, "cand_c1", id).await.json()["id"].as_i64().expect("id");
    let a2 = apply(app, "cand_c2", id).await.json()["id"].as_i64().expect("id");
    // The station typed c2 in by hand meanwhile: confirming the application is refused.
    let st = app.direct_token("cs_st").await;
    let r = app
        .post_json(
            &format!("/api/v1/sessions/{id}/candidates"),
            Some(&st),
            &json!({"name": "王小明", "id_number": idn(21)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = decide(app, "cs_st", id, a2, "confirm", "").await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::CONFLICT, "CANDIDATE_ALREADY_IN_SESSION"),
        "{}",
        r.body
    );
    // On the roster already: c2 cannot apply again either (after withdrawing).
    let t2 = app.direct_token("cand_c2").await;
    assert_eq!(
        app.post_json(&format!("/api/v1/my/applications/{a2}/withdraw"), Some(&t2), &json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    let r = apply(app, "cand_c2", id).await;
    assert_eq!(r.error_code(), "CANDIDATE_ALREADY_IN_SESSION", "{}", r.body);

    // Submitted: applications close, and the station decides none.
    let r = app.post_json(&format!("/api/v1/sessions/{id}/actions"), Some(&st), &json!({"action": "submit"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = apply(app, "cand_c3", id).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "SESSION_CLOSED"), "{}", r.body);
    let r = decide(app, "cs_st", id, a1, "confirm", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let t = app.direct_token("cs_st").await;
    let r = app
        .send_json(
            http::Method::PUT,
            &format!("/api/v1/sessions/{id}/applications-open"),
            Some(&t),
            &json!({"open": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Approved: still closed.
    let cs = app.direct_token("cs_staff").await;
    let r = app.post_json(&format!("/api/v1/sessions/{id}/actions"), Some(&cs), &json!({"action": "approve"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(apply(app, "cand_c3", id).await.error_code(), "SESSION_CLOSED");
    // Not in the open list either.
    let t3 = app.direct_token("cand_c3").await;
    assert_eq!(app.get("/api/v1/my/open-sessions", Some(&t3)).await.json()["total"], 0);

    // A session whose first day has come takes none.
    let started = session(&w, true).await;
    exam_session::ActiveModel { id: Set(started), first_day: Set(store::today()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("move the first day");
    let r = apply(app, "cand_c4", started).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "SESSION_STARTED"), "{}", r.body);
}

#[tokio::test]
async fn issue12_the_candidate_applies_and_withdraws_on_the_page_with_a_confirmation() {
    let w = world().await;
    let app = &w.app;
    assert_eq!(register(app, "webcand", &idn(31)).await.status, StatusCode::CREATED);
    let id = session(&w, true).await;
    let mut c = app.direct_web("webcand").await;
    let page = app.web_get(&mut c, "/my/exams").await;
    assert!(
        page.body.contains("data-confirm=\"确认报名参加") && page.body.contains("长沙市岳麓区麓谷大道"),
        "{}",
        page.body
    );
    let r = app.web_post(&mut c, "/my/applications", &[("session_id", id.to_string().as_str())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut c, "/my/exams").await;
    assert!(page.body.contains("待考核站确认") && page.body.contains("撤回报名"), "{}", page.body);
    let r = app.web_post(&mut c, "/my/applications", &[("session_id", id.to_string().as_str())]).await;
    assert!(r.body.contains("无需重复报名"), "{}", r.body);
    let aid = mine(app, "webcand").await[0]["id"].as_i64().expect("id");
    let r = app.web_post(&mut c, &format!("/my/applications/{aid}/withdraw"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(mine(app, "webcand").await[0]["status"], "withdrawn");
    // The station confirms on the applications page the session's page links to.
    assert_eq!(apply(app, "webcand", id).await.status, StatusCode::CREATED);
    let mut sc = app.direct_web("cs_st").await;
    let show = app.web_get(&mut sc, &format!("/sessions/{id}")).await;
    assert!(show.body.contains(&format!("href=\"/sessions/{id}/applications\"")), "{}", show.body);
    let list = app.web_get(&mut sc, &format!("/sessions/{id}/applications")).await;
    assert!(list.body.contains("data-confirm=\"确认将 王小明 列入本场考核的考生名单"), "{}", list.body);
    let r = app.web_post(&mut sc, &format!("/sessions/{id}/applications/{aid}"), &[("action", "confirm")]).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, format!("/sessions/{id}/applications")), "{}", r.body);
    // Confirmed twice: the refusal comes back on the applications page.
    let r = app.web_post(&mut sc, &format!("/sessions/{id}/applications/{aid}"), &[("action", "confirm")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("未能办理") && r.body.contains("application-list"), "{}", r.body);
    let show = app.web_get(&mut sc, &format!("/sessions/{id}")).await;
    assert!(show.body.contains("考生报名"), "source shown on the roster: {}", show.body);
}

/// Names of the applicants of the search test, with distinct ID numbers.
const SEEKERS: [&str; 5] = ["张三丰", "李四光", "王五", "赵六", "张小凡"];

fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    web::xlsx::read(bytes).expect("an .xlsx")
}

#[tokio::test]
async fn issue12_the_station_searches_pages_and_exports_a_sessions_applications() {
    let w = world().await;
    let app = &w.app;
    let id = session(&w, true).await;
    for (i, name) in SEEKERS.iter().enumerate() {
        let user = format!("seek{i}");
        let mut body = sign_up(&user, &idn(50 + i as u32));
        body["name"] = json!(name);
        let r = app.post_json("/api/v1/candidates/register", None, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(apply(app, &user, id).await.status, StatusCode::CREATED);
    }
    let st = app.direct_token("cs_st").await;
    let list = async |query: &str| app.get(&format!("/api/v1/sessions/{id}/applications{query}"), Some(&st)).await;
    let names = |v: &Value| -> Vec<String> {
        v["items"].as_array().expect("items").iter().map(|a| a["name"].as_str().unwrap_or("").to_owned()).collect()
    };
    let all = list("").await.json();
    assert_eq!((all["total"].as_u64(), names(&all)), (Some(5), SEEKERS.map(String::from).to_vec()), "{all}");
    let of =
        |name: &str| all["items"].as_array().expect("items").iter().find(|a| a["name"] == name).cloned().expect("row");
    let zhao = of("赵六")["id"].as_i64().expect("id");
    assert_eq!(decide(app, "cs_st", id, zhao, "decline", "材料不全").await.status, StatusCode::NO_CONTENT);

    // Search: words of the name, the masked ID number's visible digits, the status; an unknown status
    // is refused naming the filter.
    assert_eq!(names(&list("?q=%E5%BC%A0").await.json()), ["张三丰", "张小凡"], "q=张");
    let masked = of("李四光")["id_number_masked"].as_str().expect("masked").to_owned();
    let last4: String = masked.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    assert!(!last4.contains('*'), "{masked}");
    assert_eq!(names(&list(&format!("?q={last4}")).await.json()), ["李四光"], "q={last4}");
    assert_eq!(names(&list("?status=declined").await.json()), ["赵六"]);
    assert_eq!(list("?status=applied").await.json()["total"], 4);
    let r = list("?status=bogus").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID"), "{}", r.body);
    assert!(r.body.contains("「状态」"), "{}", r.body);

    // Paging: per page, a page past the end (empty, the total kept), page 0 (the first), a huge page
    // number (clamped, empty), a page that is not a number (400 naming it).
    let p2 = list("?per_page=2&page=2").await.json();
    assert_eq!(
        (names(&p2), p2["total"].as_u64(), p2["page"].as_u64()),
        (vec!["王五".to_owned(), "赵六".to_owned()], Some(5), Some(2))
    );
    assert_eq!(names(&list("?per_page=2&page=3").await.json()), ["张小凡"]);
    let p0 = list("?page=0").await.json();
    assert_eq!((p0["page"].as_u64(), names(&p0).len()), (Some(1), 5), "{p0}");
    let huge = list("?page=99999999999999").await;
    assert_eq!(huge.status, StatusCode::OK, "{}", huge.body);
    assert_eq!((huge.json()["items"].as_array().map(Vec::len), huge.json()["total"].as_u64()), (Some(0), Some(5)));
    let r = list("?page=abc").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::BAD_REQUEST, "QUERY_PARAM_INVALID"), "{}", r.body);
    assert!(r.body.contains("「page」"), "{}", r.body);

    // The page: its own address, the filters kept in the export link and the pager, the section on
    // the session's page short (counts and the link, no names).
    let mut sc = app.direct_web("cs_st").await;
    let show = app.web_get(&mut sc, &format!("/sessions/{id}")).await;
    let section =
        show.body.split("id=\"applications\"").nth(1).and_then(|s| s.split("id=\"").next()).unwrap_or_default();
    assert!(section.contains("待确认 4 人") && !section.contains("张三丰"), "{section}");
    assert!(
        !show.body.contains(&format!("action=\"/sessions/{id}/applications/")),
        "the decisions are on the list's page"
    );
    let r = app.web_get(&mut sc, &format!("/sessions/{id}/applications?q=%E5%BC%A0")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("张三丰") && r.body.contains("张小凡") && !r.body.contains("李四光"), "{}", r.body);
    assert!(r.body.contains(&format!("/sessions/{id}/applications.xlsx?q=%E5%BC%A0")), "{}", r.body);
    assert!(!r.body.contains(&idn(51)), "ID numbers are masked");
    let r = app.web_get(&mut sc, &format!("/sessions/{id}/applications?status=declined")).await;
    assert!(r.body.contains("赵六") && r.body.contains("材料不全") && !r.body.contains("王五"), "{}", r.body);
    for page in ["0", "99999999999999"] {
        let r = app.web_get(&mut sc, &format!("/sessions/{id}/applications?page={page}")).await;
        assert_eq!(r.status, StatusCode::OK, "page={page}: {}", r.body);
    }
    let r = app.web_get(&mut sc, &format!("/sessions/{id}/applications?page=99999999999999")).await;
    assert!(r.body.contains("本页没有报名记录") && r.body.contains("共 5 条"), "{}", r.body);
    let r = app.web_get(&mut sc, &format!("/sessions/{id}/applications?page=abc")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("「page」"), "{}", r.body);
    let r = app.web_get(&mut sc, &format!("/sessions/{id}/applications?status=bogus")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("「状态」"), "{}", r.body);

    // The export, on the page and over the API: the same filters, every page, masked ID numbers.
    let r = app.web_get(&mut sc, &format!("/sessions/{id}/applications.xlsx?status=applied")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers["content-type"].to_str().unwrap_or("").contains("spreadsheetml"));
    let rows = cells(&r.bytes);
    assert_eq!(rows[0], web::areas::portal::station::EXPORT_HEADERS.map(String::from).to_vec());
    assert_eq!(rows.iter().skip(1).map(|r| r[1].as_str()).collect::<Vec<_>>(), ["张三丰", "李四光", "王五", "张小凡"]);
    assert!(rows.iter().skip(1).all(|r| r[2].contains('*') && r[5] == "待考核站确认"), "{rows:?}");
    let r = app.get(&format!("/api/v1/sessions/{id}/applications/export?q=%E8%B5%B5"), Some(&st)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rows = cells(&r.bytes);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!((rows[1][1].as_str(), rows[1][7].as_str()), ("赵六", "材料不全"));

    // Who may: the organizer reads, another station does not find the session, a candidate is refused.
    let city = app.direct_token("cs_staff").await;
    assert_eq!(
        app.get(&format!("/api/v1/sessions/{id}/applications/export"), Some(&city)).await.status,
        StatusCode::OK
    );
    let zz = app.direct_token("zz_st").await;
    assert_eq!(
        app.get(&format!("/api/v1/sessions/{id}/applications/export"), Some(&zz)).await.status,
        StatusCode::NOT_FOUND
    );
    let mut zc = app.direct_web("zz_st").await;
    assert_eq!(app.web_get(&mut zc, &format!("/sessions/{id}/applications")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.web_get(&mut zc, &format!("/sessions/{id}/applications.xlsx")).await.status, StatusCode::NOT_FOUND);
    let cand = app.direct_token("seek0").await;
    assert_eq!(
        app.get(&format!("/api/v1/sessions/{id}/applications"), Some(&cand)).await.status,
        StatusCode::FORBIDDEN
    );
}
