//! E2 (issue 12): papers requested for an exam session. Only the session's organizer asks, once the plan
//! is approved; the project and the date must be the session's; the request form is filled from the
//! session; the session's page and API show the custody ledger to everyone who reads the session (the
//! station included), and to nobody else.

use crate::sessions::{World, exam_day, idn, plan, world};
use domain::org::Role;
use http::StatusCode;
use serde_json::json;

/// An approved session of the 长沙 station with two candidates (organized by the 长沙 city center).
async fn approved(w: &World) -> i64 {
    let app = &w.app;
    let st = app.direct_token("cs_st").await;
    let r = app.post_json("/api/v1/sessions", Some(&st), &plan("0001", exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    for (name, n) in [("张三", 1), ("李四", 2)] {
        let body = json!({ "name": name, "id_number": idn(n) });
        let r = app.post_json(&format!("/api/v1/sessions/{id}/candidates"), Some(&st), &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let act = |who: &'static str, action: &'static str| async move {
        let t = app.direct_token(who).await;
        let r = app.post_json(&format!("/api/v1/sessions/{id}/actions"), Some(&t), &json!({ "action": action })).await;
        assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
    };
    act("cs_st", "submit").await;
    act("cs_staff", "approve").await;
    id
}

fn request(session: i64, extra: &[(&str, &str)]) -> serde_json::Value {
    let mut b = json!({ "session_id": session.to_string(), "copies": "3" });
    for (k, v) in extra {
        b[*k] = json!(v);
    }
    b
}

#[tokio::test]
async fn e2_e1_only_the_organizer_of_an_approved_plan_requests_its_papers_for_its_project_and_days() {
    let w = world().await;
    let app = &w.app;
    // A draft plan: not yet.
    let st = app.direct_token("cs_st").await;
    let r = app.post_json("/api/v1/sessions", Some(&st), &plan("0001", exam_day())).await;
    let draft = r.json()["id"].as_i64().expect("id");
    let cs = app.direct_token("cs_staff").await;
    let r = app.post_json("/api/v1/releases", Some(&cs), &request(draft, &[])).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "SESSION_NOT_APPROVED".into()));

    let id = approved(&w).await;
    // Another city's center does not see the session; the province is not its organizer.
    let zz = app.direct_token("zz_staff").await;
    let r = app.post_json("/api/v1/releases", Some(&zz), &request(id, &[])).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "SESSION_NOT_FOUND".into()));
    let prov = app.direct_token("prov").await;
    let r = app.post_json("/api/v1/releases", Some(&prov), &request(id, &[])).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "NOT_ORGANIZER".into()));
    // The project and the date must be the session's; both named at once.
    let late = (exam_day() + time::Duration::days(3)).to_string();
    let r = app
        .post_json("/api/v1/releases", Some(&cs), &request(id, &[("project_code", "0002"), ("exam_date", &late)]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let codes: Vec<String> = r.json()["errors"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_owned))
        .collect();
    assert!(
        codes.contains(&"RELEASE_SESSION_PROJECT".into()) && codes.contains(&"RELEASE_SESSION_DATE".into()),
        "{codes:?}"
    );
    let before = app.get("/api/v1/releases", Some(&cs)).await.json();
    assert_eq!(before["total"], 0, "nothing saved by the refusals");

    // The form is filled from the session; the session id alone (and the copies) makes the request.
    let mut cw = app.direct_web("cs_staff").await;
    let page = app.web_get(&mut cw, &format!("/sessions/{id}")).await;
    assert!(page.body.contains(&format!("/releases/new?session_id={id}")), "the organizer is offered 申请试卷");
    let form = app.web_get(&mut cw, &format!("/releases/new?session_id={id}")).await;
    assert!(form.body.contains(&format!("考核计划第 {id} 号")) && form.body.contains("长沙甲考核站"), "{}", form.body);
    assert!(form.body.contains(&format!("value=\"{}\"", exam_day())) && form.body.contains("value=\"2\""));
    let refused = app.web_get(&mut app.direct_web("prov").await, &format!("/releases/new?session_id={id}")).await;
    assert!(refused.body.contains("不由本中心组织考核"), "the form says why the province may not ask");
    assert!(!refused.body.contains("name=\"session_id\""), "a refused session is not carried into the form");
    let r = app
        .web_post(&mut cw, "/releases", &[("session_id", &id.to_string()), ("copies", "3"), ("project_code", "")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rid: i64 = r.location().rsplit('/').next().and_then(|s| s.parse().ok()).expect("release id");
    let d = app.get(&format!("/api/v1/releases/{rid}"), Some(&cs)).await.json();
    assert_eq!(d["release"]["session_id"], id);
    assert_eq!(d["release"]["project_code"], "0001");
    assert_eq!(d["release"]["exam_date"], exam_day().to_string());
    assert!(d["release"]["exam"].as_str().is_some_and(|e| e.contains("长沙甲考核站")), "{d}");
}

#[tokio::test]
async fn e2_the_sessions_page_shows_its_custody_ledger_to_its_readers_and_to_nobody_else() {
    let w = world().await;
    let app = &w.app;
    let id = approved(&w).await;
    let paper = testkit::paper_row(&app.store, testkit::project_id(&app.store, "0001").await).await;
    app.create_user("qbank", &[Role::QbankOfficer], app.org_id("430000").await).await;
    let cs = app.direct_token("cs_staff").await;
    let r = app.post_json("/api/v1/releases", Some(&cs), &request(id, &[])).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let rid = r.json()["id"].as_i64().expect("id");
    let qb = app.direct_token("qbank").await;
    let body = json!({"step": "approved", "responsible": "赵敏", "copies": "3", "paper_id": paper.to_string()});
    let r = app.post_json(&format!("/api/v1/releases/{rid}/steps"), Some(&qb), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // The station reads the ledger on the session (it has no access to the releases themselves).
    let st = app.direct_token("cs_st").await;
    let l = app.get(&format!("/api/v1/sessions/{id}/releases"), Some(&st)).await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.body);
    let l = l.json();
    assert_eq!(l[0]["release"]["id"], rid);
    let steps: Vec<&str> =
        l[0]["ledger"].as_array().expect("ledger").iter().filter_map(|e| e["step"].as_str()).collect();
    assert_eq!(steps, ["requested", "approved"]);
    assert_eq!(app.get(&format!("/api/v1/releases/{rid}"), Some(&st)).await.status, StatusCode::FORBIDDEN);
    let mut sw = app.direct_web("cs_st").await;
    let page = app.web_get(&mut sw, &format!("/sessions/{id}")).await;
    assert!(page.body.contains("试卷申领与保管") && page.body.contains("赵敏"), "the ledger on the page");
    assert!(!page.body.contains(&format!("/releases/new?session_id={id}")), "the station does not ask for papers");
    // Another station and another city: not found.
    assert_eq!(
        app.get(&format!("/api/v1/sessions/{id}/releases"), Some(&app.direct_token("zz_st").await)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/sessions/{id}/releases"), Some(&app.direct_token("zz_staff").await)).await.status,
        StatusCode::NOT_FOUND
    );
}
