//! Scores and the score register through HTTP (E5, E6): the station enters scores for its approved
//! session from the exam's first day on (one by one and by import, all-or-nothing), total and pass
//! computed by the specification's rule; it submits the register once every candidate is scored; the
//! organizer returns it with a reason or confirms it (the scores locked); a correction is a new version
//! with its reason, the old one kept; the candidate sees their own result only after confirmation.
//! Each refusal: before the exam, an unapproved session, not the station, not the organizer, a
//! submission with a gate missing, an edit of a locked score, an import with a bad row (nothing saved),
//! a return or a correction without a reason.

use crate::sessions::{exam_day, idn, plan, world};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use store::entity::exam_session;
use store::sea_orm::{ActiveModelTrait, Set};
use testkit::TestApp;

async fn post(app: &TestApp, who: &str, path: &str, body: &Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json(path, Some(&t), body).await
}

async fn put_score(app: &TestApp, who: &str, id: i64, cid: i64, body: &Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.send_json(Method::PUT, &format!("/api/v1/sessions/{id}/scores/{cid}"), Some(&t), body).await
}

async fn register(app: &TestApp, who: &str, id: i64, action: &str, reason: &str) -> testkit::Resp {
    post(app, who, &format!("/api/v1/sessions/{id}/register"), &json!({"action": action, "reason": reason})).await
}

async fn sheet(app: &TestApp, who: &str, id: i64, query: &str) -> Value {
    let t = app.direct_token(who).await;
    let r = app.get(&format!("/api/v1/sessions/{id}/scores{query}"), Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    use store::sea_orm::{EntityTrait, QuerySelect};
    store::entity::audit_log::Entity::find()
        .select_only()
        .column(store::entity::audit_log::Column::Action)
        .into_tuple()
        .all(&app.store.db)
        .await
        .expect("audit")
}

fn code(r: &testkit::Resp) -> String {
    r.error_code()
}

#[tokio::test]
async fn e5_e6_scores_from_entry_to_a_confirmed_register_and_a_corrected_version() {
    let w = world().await;
    let app = &w.app;
    let sign_up = json!({ "username": "stu1", "name": "王小明", "id_number": idn(1), "phone": "13912345678",
                          "password": "Kaohe#2026", "password_confirm": "Kaohe#2026" });
    let r = app.post_json("/api/v1/candidates/register", None, &sign_up).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let r = post(app, "cs_st", "/api/v1/sessions", &plan("0001", exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let mut cids = Vec::new();
    for (name, seq) in [("王小明", 1), ("李四", 2)] {
        let r = post(
            app,
            "cs_st",
            &format!("/api/v1/sessions/{id}/candidates"),
            &json!({"name": name, "id_number": idn(seq)}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        cids.push(r.json()["id"].as_i64().expect("cid"));
    }
    let good = json!({"theory": "80", "practical": "90"});

    // An unapproved session takes no score.
    let r = put_score(app, "cs_st", id, cids[0], &good).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "SESSION_NOT_APPROVED"), "{}", r.body);
    assert_eq!(
        post(app, "cs_st", &format!("/api/v1/sessions/{id}/actions"), &json!({"action": "submit"})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        post(app, "cs_staff", &format!("/api/v1/sessions/{id}/actions"), &json!({"action": "approve"})).await.status,
        StatusCode::OK
    );

    // Before the exam's first day: refused with the day named.
    let r = put_score(app, "cs_st", id, cids[0], &good).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "SCORES_BEFORE_EXAM"), "{}", r.body);
    assert!(r.body.contains(&exam_day().to_string()), "{}", r.body);
    crate::reports::seat_panel(&w.app, id).await;
    exam_session::ActiveModel { id: Set(id), first_day: Set(store::today()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("exam today");

    // Not the station: the organizer may not enter, another station finds nothing.
    assert_eq!(put_score(app, "cs_staff", id, cids[0], &good).await.status, StatusCode::FORBIDDEN);
    assert_eq!(put_score(app, "zz_st", id, cids[0], &good).await.status, StatusCode::NOT_FOUND);

    // An import with a bad row saves nothing and names the row and the column.
    let import = format!("/api/v1/sessions/{id}/scores/import");
    let bad = json!([{"id_number": idn(1), "theory": "80", "practical": "90"},
                     {"id_number": idn(2), "theory": "101", "practical": "70"}]);
    let r = post(app, "cs_st", &import, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("第 3 行「理论知识考试成绩」"), "{}", r.body);
    let s = sheet(app, "cs_st", id, "").await;
    assert!(
        s["register"].is_null() && s["lines"].as_array().expect("lines").iter().all(|l| l["scored"] == false),
        "{s}"
    );

    // One candidate scored: the submission names the missing one.
    let r = put_score(app, "cs_st", id, cids[0], &json!({"theory": "59.5", "practical": "95"})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = register(app, "cs_st", id, "submit", "").await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REGISTER_GATES"), "{}", r.body);
    assert!(r.body.contains("1 名考生未登记成绩"), "{}", r.body);

    // The import scores both; total and pass computed, an absent candidate fails.
    let ok = json!([{"id_number": idn(1), "theory": "80", "practical": "90"},
                    {"id_number": idn(2), "absent": true}]);
    let r = post(app, "cs_st", &import, &ok).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["rows"], 2);
    let s = sheet(app, "cs_st", id, "").await;
    let lines = s["lines"].as_array().expect("lines");
    assert_eq!((lines[0]["total"].as_str(), lines[0]["passed"].as_bool()), (Some("87"), Some(true)), "{s}");
    assert_eq!((lines[1]["absent"].as_bool(), lines[1]["passed"].as_bool()), (Some(true), Some(false)), "{s}");
    assert!(s["can_submit"].as_bool().expect("can_submit"));

    // E5: the submission waits for both reports (their refusals: `reports::`).
    let r = register(app, "cs_st", id, "submit", "").await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REGISTER_GATES"), "{}", r.body);
    assert!(!r.body.contains("未登记成绩") && r.body.contains("考评情况报告"), "{}", r.body);
    crate::reports::file_all(app, id).await;

    // The candidate sees nothing before the confirmation.
    let stu = app.direct_token("stu1").await;
    let r = app.get("/api/v1/my/results", Some(&stu)).await;
    assert_eq!((r.status, r.json()), (StatusCode::OK, json!([])), "{}", r.body);

    let r = register(app, "cs_st", id, "submit", "").await;
    assert_eq!((r.status, r.json()["status"].as_str()), (StatusCode::OK, Some("submitted")), "{}", r.body);
    let r = put_score(app, "cs_st", id, cids[0], &good).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REGISTER_STATE"), "{}", r.body);

    // Only the organizer decides: the province is not (E1), the station may not.
    let r = register(app, "prov", id, "confirm", "").await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "NOT_ORGANIZER"), "{}", r.body);
    assert_eq!(register(app, "cs_st", id, "confirm", "").await.status, StatusCode::FORBIDDEN);
    let r = register(app, "cs_staff", id, "return", " ").await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED"), "{}", r.body);
    let r = register(app, "cs_staff", id, "return", "李四缺考请附缺考记录").await;
    assert_eq!(r.json()["status"], "returned", "{}", r.body);
    assert_eq!(put_score(app, "cs_st", id, cids[1], &json!({"absent": true})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(register(app, "cs_st", id, "submit", "").await.status, StatusCode::OK);
    let r = register(app, "cs_staff", id, "confirm", "").await;
    assert_eq!((r.status, r.json()["status"].as_str()), (StatusCode::OK, Some("confirmed")), "{}", r.body);

    // Confirmed scores are locked.
    let r = put_score(app, "cs_st", id, cids[0], &good).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REGISTER_LOCKED"), "{}", r.body);
    let r = post(app, "cs_st", &import, &ok).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::CONFLICT, "REGISTER_LOCKED"), "{}", r.body);

    // The candidate sees their own result now, and only their own.
    let r = app.get("/api/v1/my/results", Some(&stu)).await;
    let mine = r.json();
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(
        (mine[0]["total"].as_str(), mine[0]["passed"].as_bool(), mine[0]["session_id"].as_i64()),
        (Some("87"), Some(true), Some(id))
    );
    let mut own = app.direct_web("stu1").await;
    let page = app.web_get(&mut own, "/my/exams").await;
    let results = page.body.split("id=\"results\"").nth(1).unwrap_or_default();
    assert!(results.contains("87") && results.contains("合格"), "我的成绩 on the candidate's page: {}", page.body);
    assert_eq!(
        app.get("/api/v1/my/results", Some(&app.direct_token("cs_st").await)).await.status,
        StatusCode::FORBIDDEN
    );

    // A correction needs its reason, and makes version 2; version 1 is kept.
    let corr = format!("/api/v1/sessions/{id}/register");
    let fix = json!([{"candidate_id": cids[0], "theory": "50", "practical": "90"}]);
    let r = post(app, "cs_staff", &corr, &json!({"action": "correct", "reason": "", "scores": fix})).await;
    assert_eq!((r.status, code(&r).as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED"), "{}", r.body);
    let r = post(app, "cs_st", &corr, &json!({"action": "correct", "reason": "录入有误", "scores": fix})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = post(
        app,
        "cs_staff",
        &corr,
        &json!({"action": "correct", "reason": "理论成绩誊录有误，以原始试卷为准", "scores": fix}),
    )
    .await;
    assert_eq!((r.status, r.json()["version"].as_u64()), (StatusCode::OK, Some(2)), "{}", r.body);
    let s = sheet(app, "cs_staff", id, "").await;
    assert_eq!((s["register"]["version"].as_u64(), s["lines"][0]["passed"].as_bool()), (Some(2), Some(false)), "{s}");
    assert_eq!(s["register"]["correction_reason"], "理论成绩誊录有误，以原始试卷为准");
    assert_eq!(s["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(s["lines"][1]["absent"], true, "the other candidates carry over");
    let old = sheet(app, "cs_staff", id, "?version=1").await;
    assert_eq!(
        (old["lines"][0]["theory"].as_str(), old["lines"][0]["passed"].as_bool()),
        (Some("80"), Some(true)),
        "{old}"
    );
    let r = app.get("/api/v1/my/results", Some(&stu)).await;
    assert_eq!(
        (r.json()[0]["version"].as_u64(), r.json()[0]["passed"].as_bool()),
        (Some(2), Some(false)),
        "{}",
        r.body
    );
    let log = audit_actions(app).await;
    for a in [
        "exam_session.score_entered",
        "exam_session.register_submitted",
        "exam_session.register_returned",
        "exam_session.register_confirmed",
        "exam_session.register_corrected",
    ] {
        assert!(log.iter().any(|x| x == a), "{a} audited: {log:?}");
    }
}
