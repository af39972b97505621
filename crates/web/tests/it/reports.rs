//! E5: the panel's reports through HTTP. The head (考评组长) files the assessor report and every assessor
//! signs it from their own account; the supervisor files the supervision report with its incidents;
//! assessors enter scores as the station does. Refused: a report before the exam, the assessor report
//! by anyone but the head, a signature before the report or twice or by the supervisor, a bad incident
//! (named by its row), anything once the register is submitted; the register's submission names every
//! report gate that does not hold. Someone not on the panel finds nothing.

use crate::sessions::{World, exam_day, idn, plan, world};
use domain::org::Role;
use http::{Method, StatusCode};
use serde_json::{Value, json};
use store::entity::exam_session;
use store::sea_orm::{ActiveModelTrait, EntityTrait, Set};
use testkit::TestApp;

/// The accounts of a seated panel: the head, two assessors, the supervisor.
pub const HEAD: &str = "kp_head";
pub const A1: &str = "kp_a1";
pub const A2: &str = "kp_a2";
pub const SUP: &str = "kp_sup";

/// E4, E8: a panel of registry people with their own accounts — head 王组长, assessors 李考评 and
/// 赵考评, supervisor 孙督导 — appointed by the 长沙 city center to `session` (approved, not begun).
pub async fn seat_panel(app: &TestApp, session: i64) {
    let system = domain::org::Principal::system();
    let ctx = store::Ctx::system();
    let city = app.org_id("430100").await;
    let mut ids = Vec::new();
    for (i, (user, name, kind)) in [
        (HEAD, "王组长", "assessor"),
        (A1, "李考评", "assessor"),
        (A2, "赵考评", "assessor"),
        (SUP, "孙督导", "supervisor"),
    ]
    .into_iter()
    .enumerate()
    {
        let role = if kind == "assessor" { Role::Assessor } else { Role::Supervisor };
        app.create_user(user, &[role], city).await;
        let code = if kind == "assessor" { "0001" } else { "" };
        let seq = 801 + u32::try_from(i).expect("small");
        let input = testkit::person_input(kind, name, &idn(seq), "430100", code);
        let id = app.store.create_registered(&system, &input, &ctx).await.expect("registered");
        app.store.link_registered_account(&system, id, user, &ctx).await.expect("link");
        ids.push(id);
    }
    let t = app.direct_token("cs_staff").await;
    let body = json!({"head": ids[0], "assessors": [ids[1], ids[2]], "supervisor": ids[3]});
    let r = app.send_json(Method::PUT, &format!("/api/v1/sessions/{session}/panel"), Some(&t), &body).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
}

async fn send(app: &TestApp, who: &str, method: Method, path: &str, body: &Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.send_json(method, path, Some(&t), body).await
}

pub async fn file_assessor(app: &TestApp, who: &str, session: i64, summary: &str) -> testkit::Resp {
    let path = format!("/api/v1/my/panels/{session}/assessor-report");
    send(app, who, Method::PUT, &path, &json!({ "summary": summary })).await
}

pub async fn sign(app: &TestApp, who: &str, session: i64) -> testkit::Resp {
    let path = format!("/api/v1/my/panels/{session}/assessor-report/signature");
    send(app, who, Method::POST, &path, &json!({})).await
}

pub async fn file_supervision(app: &TestApp, who: &str, session: i64, incidents: Value) -> testkit::Resp {
    let path = format!("/api/v1/my/panels/{session}/supervision-report");
    send(
        app,
        who,
        Method::PUT,
        &path,
        &json!({ "summary": "考场秩序良好，考评人员按规范履职。", "incidents": incidents }),
    )
    .await
}

/// E5: both reports filed and the assessor report signed by the whole panel.
pub async fn file_all(app: &TestApp, session: i64) {
    let r = file_assessor(app, HEAD, session, "考核按计划完成，成绩评定符合考核规范。").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    for who in [HEAD, A1, A2] {
        let r = sign(app, who, session).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{who}: {}", r.body);
    }
    let r = file_supervision(app, SUP, session, json!([])).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
}

/// An approved session of the 长沙 station with two candidates and a seated panel, its first day
/// moved to today (the exam under way). Answers the session and the candidates' roster ids.
async fn under_way() -> (World, i64, Vec<i64>) {
    let w = world().await;
    let app = &w.app;
    let r = send(app, "cs_st", Method::POST, "/api/v1/sessions", &plan("0001", exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let mut cids = Vec::new();
    for (name, seq) in [("考生甲", 511), ("考生乙", 512)] {
        let path = format!("/api/v1/sessions/{id}/candidates");
        let r = send(app, "cs_st", Method::POST, &path, &json!({"name": name, "id_number": idn(seq)})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        cids.push(r.json()["id"].as_i64().expect("cid"));
    }
    for (who, action) in [("cs_st", "submit"), ("cs_staff", "approve")] {
        let path = format!("/api/v1/sessions/{id}/actions");
        let r = send(app, who, Method::POST, &path, &json!({ "action": action })).await;
        assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
    }
    seat_panel(&w.app, id).await;
    (w, id, cids)
}

async fn exam_today(app: &TestApp, id: i64) {
    exam_session::ActiveModel { id: Set(id), first_day: Set(store::today()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("exam today");
}

async fn work(app: &TestApp, who: &str, id: i64) -> Value {
    let t = app.direct_token(who).await;
    let r = app.get(&format!("/api/v1/my/panels/{id}"), Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn code(r: &testkit::Resp) -> String {
    r.error_code()
}

#[tokio::test]
async fn e5_the_head_files_every_assessor_signs_the_supervisor_reports_and_the_register_waits_for_all() {
    let (w, id, cids) = under_way().await;
    let app = &w.app;

    // Each member sees the session among theirs; someone else's assessor finds nothing.
    let t = app.direct_token(A1).await;
    let mine = app.get("/api/v1/my/panels", Some(&t)).await.json();
    assert_eq!((mine[0]["session_id"].as_i64(), mine[0]["roles"].clone()), (Some(id), json!(["assessor"])), "{mine}");
    app.create_user("kp_other", &[Role::Assessor], app.org_id("430100").await).await;
    let other = app.direct_token("kp_other").await;
    assert_eq!(app.get(&format!("/api/v1/my/panels/{id}"), Some(&other)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(sign(app, "kp_other", id).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/my/panels", Some(&app.direct_token("cs_st").await)).await.status,
        StatusCode::FORBIDDEN
    );

    // Before the exam: refused with the day.
    let r = file_assessor(app, HEAD, id, "提前写好").await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REPORT_BEFORE_EXAM"), "{}", r.body);
    exam_today(app, id).await;

    // Each report by its own member.
    let r = file_assessor(app, A1, id, "由考评员代写").await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REPORT_NOT_HEAD"), "{}", r.body);
    let r = sign(app, A1, id).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REPORT_NOT_FILED"), "{}", r.body);
    let r = sign(app, SUP, id).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REPORT_NOT_ASSESSOR"), "{}", r.body);
    let r = file_supervision(app, HEAD, id, json!([])).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REPORT_NOT_SUPERVISOR"), "{}", r.body);
    let r = file_assessor(app, HEAD, id, "  ").await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "REPORT_SUMMARY_REQUIRED"));

    // Assessors enter scores as the station does; the supervisor does not.
    let score = |who: &'static str, cid: i64, body: Value| async move {
        send(app, who, Method::PUT, &format!("/api/v1/my/panels/{id}/scores/{cid}"), &body).await
    };
    assert_eq!(score(A1, cids[0], json!({"theory": "80", "practical": "90"})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(score(SUP, cids[1], json!({"absent": true})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(score(A2, cids[1], json!({"absent": true})).await.status, StatusCode::NO_CONTENT);
    let sheet = work(app, A1, id).await["sheet"].clone();
    assert_eq!(sheet["lines"][0]["entered_by"], A1, "{sheet}");

    // Every candidate scored, no report yet: the submission names each missing report gate.
    let register = |who: &'static str| async move {
        send(app, who, Method::POST, &format!("/api/v1/sessions/{id}/register"), &json!({"action": "submit"})).await
    };
    let r = register("cs_st").await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REGISTER_GATES"), "{}", r.body);
    assert!(r.body.contains("考评情况报告") && r.body.contains("督导报告"), "{}", r.body);

    // The head files; one signs, and only once.
    assert_eq!(file_assessor(app, HEAD, id, "初稿").await.status, StatusCode::NO_CONTENT);
    assert_eq!(sign(app, A1, id).await.status, StatusCode::NO_CONTENT);
    let r = sign(app, A1, id).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REPORT_SIGNED"), "{}", r.body);
    let r = register("cs_st").await;
    assert_eq!(code(&r), "REGISTER_GATES");
    assert!(r.body.contains("2 名考评员") && r.body.contains("督导报告"), "two unsigned, no supervision: {}", r.body);

    // Filing again clears the signatures: nobody stands under a text they did not see.
    assert_eq!(
        file_assessor(app, HEAD, id, "考核按计划完成，成绩评定符合考核规范。").await.status,
        StatusCode::NO_CONTENT
    );
    let sigs = work(app, HEAD, id).await["sheet"]["reports"]["signatures"].clone();
    assert!(sigs.as_array().expect("signatures").iter().all(|s| s["signed_at"].is_null()), "{sigs}");
    assert_eq!(sigs.as_array().map(Vec::len), Some(3), "the head and both assessors sign");

    // A bad incident is named by its row and saves nothing.
    let bad = json!([{"at": "2026-01-01 09:00", "description": "迟到"}, {"at": "", "description": "", "action": ""},
                     {"at": format!("{} 10:00", store::today()), "description": ""}]);
    let r = file_supervision(app, SUP, id, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let body = r.json();
    let fields: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["incidents[0].at", "incidents[2].description"], "{}", r.body);
    assert!(work(app, SUP, id).await["sheet"]["reports"]["supervision"].is_null(), "nothing saved");
    let good = json!([{"at": format!("{} 09:40", store::today()), "description": "一名考生迟到 10 分钟", "action": "按规定不得入场，记为缺考"}]);
    assert_eq!(file_supervision(app, SUP, id, good).await.status, StatusCode::NO_CONTENT);
    for who in [HEAD, A1, A2] {
        assert_eq!(sign(app, who, id).await.status, StatusCode::NO_CONTENT, "{who}");
    }
    let w1 = work(app, A2, id).await;
    assert_eq!(w1["sheet"]["missing_gates"], json!([]), "{w1}");
    assert_eq!(w1["sheet"]["reports"]["supervision"]["incidents"][0]["action"], "按规定不得入场，记为缺考");

    // Submitted: both reports and the scores are locked.
    let r = register("cs_st").await;
    assert_eq!((r.status, r.json()["status"].as_str()), (StatusCode::OK, Some("submitted")), "{}", r.body);
    let r = file_assessor(app, HEAD, id, "改一下").await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REPORT_LOCKED"), "{}", r.body);
    let r = file_supervision(app, SUP, id, json!([])).await;
    assert_eq!(code(&r), "REPORT_LOCKED");
    let r = score(A1, cids[0], json!({"theory": "60", "practical": "60"})).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REGISTER_STATE"), "{}", r.body);

    // The organizer and the station see the reports on the sheet.
    let t = app.direct_token("cs_staff").await;
    let s = app.get(&format!("/api/v1/sessions/{id}/scores"), Some(&t)).await.json();
    assert_eq!(s["reports"]["assessor"]["filed_by"], "王组长", "{s}");
    let audits = store::entity::audit_log::Entity::find().all(&app.store.db).await.expect("audit");
    let count = |a: &str| audits.iter().filter(|x| x.action == a).count();
    assert_eq!(
        (
            count("exam_session.assessor_report_filed"),
            count("exam_session.assessor_report_signed"),
            count("exam_session.supervision_report_filed")
        ),
        (2, 4, 1),
        "one record a step"
    );
}

#[tokio::test]
async fn e5_the_pages_file_sign_and_explain_a_bad_incident_beside_its_row() {
    let (w, id, cids) = under_way().await;
    let app = &w.app;
    exam_today(app, id).await;

    let mut head = app.direct_web(HEAD).await;
    let list = app.web_get(&mut head, "/my/panels").await;
    assert!(list.body.contains("考评组长") && list.body.contains(&format!("/my/panels/{id}")), "{}", list.body);
    let page = app.web_get(&mut head, &format!("/my/panels/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("填写考评情况报告") && page.body.contains("考生甲"), "{}", page.body);

    let cid = cids[0].to_string();
    let r = app
        .web_post(&mut head, &format!("/my/panels/{id}/scores/{cid}"), &[("theory", "101"), ("practical", "80")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("未能办理") && r.body.contains("row-error"), "the row and the reason: {}", r.body);
    let r = app
        .web_post(&mut head, &format!("/my/panels/{id}/scores/{cid}"), &[("theory", "90"), ("practical", "80")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let r = app.web_post(&mut head, &format!("/my/panels/{id}/assessor-report"), &[("summary", "考核顺利。")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.web_post(&mut head, &format!("/my/panels/{id}/assessor-report/signature"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut head, &format!("/my/panels/{id}")).await;
    assert!(page.body.contains("考核顺利。") && page.body.contains("已签署"), "{}", page.body);
    // E8: the service history on the person's own registry page, leading back to the session.
    let own = app.web_get(&mut head, "/registry/me").await;
    let service = own.body.split("id=\"service\"").nth(1).unwrap_or_default();
    assert!(
        service.contains("考评工作记录（1）")
            && service.contains("考评组长")
            && service.contains(&format!("/my/panels/{id}")),
        "{}",
        own.body
    );

    let mut sup = app.direct_web(SUP).await;
    let today = store::today().to_string();
    let form = [
        ("summary", "秩序良好。"),
        ("incident_at", "明天上午"),
        ("incident_description", "考生迟到"),
        ("incident_action", ""),
    ];
    let r = app.web_post(&mut sup, &format!("/my/panels/{id}/supervision-report"), &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("第 1 条情况的时间应为") && r.body.contains("明天上午"), "kept and explained: {}", r.body);
    assert!(work(app, SUP, id).await["sheet"]["reports"]["supervision"].is_null(), "nothing saved");
    let at = format!("{today} 09:40");
    let form = [
        ("summary", "秩序良好。"),
        ("incident_at", at.as_str()),
        ("incident_description", "考生迟到"),
        ("incident_action", "劝离"),
    ];
    let r = app.web_post(&mut sup, &format!("/my/panels/{id}/supervision-report"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut sup, &format!("/my/panels/{id}")).await;
    assert!(page.body.contains("劝离") && page.body.contains("督导员不登记成绩"), "{}", page.body);
}
