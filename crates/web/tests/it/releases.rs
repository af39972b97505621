//! Papers released to an exam through HTTP (E2): the 长沙 center requests on its page, the province's
//! question bank officer approves and keeps the copies over the API, a missing copy is shown beside
//! the count on the record page and recorded nowhere, the center opens and destroys; the list and its
//! export; another city finds nothing.

use crate::support::error_beside;
use domain::org::Role;
use http::StatusCode;
use serde_json::json;
use testkit::TestApp;

async fn world() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    let province = app.org_id("430000").await;
    app.create_user("qbank", &[Role::QbankOfficer], province).await;
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    app.create_user("zz_staff", &[Role::CityStaff], app.org_id("430200").await).await;
    let codes = testkit::catalog(&app.store, &["米粉制作"]).await;
    assert_eq!(codes[0], "0001");
    let paper = testkit::paper_row(&app.store, testkit::project_id(&app.store, "0001").await).await;
    (app, paper)
}

#[tokio::test]
async fn e2_a_release_is_requested_on_the_page_kept_over_the_api_and_a_missing_copy_stops_it() {
    let (app, paper) = world().await;
    let mut cs = app.direct_web("cs_staff").await;
    let form = app.web_get(&mut cs, "/releases/new").await;
    assert!(form.body.contains("0001 米粉制作"), "the catalog's projects offered");
    // A bad request is shown again with the errors beside the fields.
    let r = app
        .web_post(
            &mut cs,
            "/releases",
            &[("project_code", "0001"), ("exam", ""), ("exam_date", "2020-01-01"), ("copies", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_beside(&r.body, "exam_date").contains("不能早于今天"), "{}", error_beside(&r.body, "exam_date"));
    let date = (store::today() + time::Duration::days(15)).to_string();
    let r = app
        .web_post(
            &mut cs,
            "/releases",
            &[("project_code", "0001"), ("exam", "岳麓考核站 米粉制作考核"), ("exam_date", &date), ("copies", "30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r.location().rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");

    let qb = app.direct_token("qbank").await;
    let step = |body: serde_json::Value| {
        let app = &app;
        let qb = qb.clone();
        async move { app.post_json(&format!("/api/v1/releases/{id}/steps"), Some(&qb), &body).await }
    };
    let d = app.get(&format!("/api/v1/releases/{id}"), Some(&qb)).await.json();
    assert_eq!(d["can_record"], json!(["approved"]), "{d}");
    assert_eq!(d["papers"][0]["id"], paper);
    let r =
        step(json!({"step": "approved", "responsible": "赵敏", "copies": "30", "paper_id": paper.to_string()})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = step(json!({"step": "printed", "responsible": "印制员甲", "copies": "30"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The officer's page: sealing 29 of 30 is refused beside the count, naming the missing copy.
    let mut qw = app.direct_web("qbank").await;
    let page = app.web_get(&mut qw, &format!("/releases/{id}")).await;
    assert!(page.body.contains("登记“封存”"), "the next step's form");
    let r = app
        .web_post(
            &mut qw,
            &format!("/releases/{id}/steps"),
            &[("step", "sealed"), ("expected_state", "printed"), ("responsible", "保密员乙"), ("copies", "29")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(error_beside(&r.body, "copies").contains("缺 1 份"), "{}", error_beside(&r.body, "copies"));
    let d = app.get(&format!("/api/v1/releases/{id}"), Some(&qb)).await.json();
    assert_eq!((d["release"]["state"].as_str(), d["ledger"].as_array().map(Vec::len)), (Some("printed"), Some(3)));
    for body in [
        json!({"step": "sealed", "responsible": "保密员乙", "copies": "30"}),
        json!({"step": "handed_over", "responsible": "保密员乙", "copies": "30", "recipient": "钱晓燕"}),
    ] {
        let r = step(body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // The officer cannot open; the center can.
    let r =
        step(json!({"step": "opened", "responsible": "钱晓燕", "copies": "30", "witness1": "甲", "witness2": "乙"}))
            .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let ct = app.direct_token("cs_staff").await;
    let r = app
        .post_json(&format!("/api/v1/releases/{id}/steps"), Some(&ct), &json!({"step": "opened", "responsible": "钱晓燕", "copies": "30", "witness1": "考生甲", "witness2": "考生乙"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .post_json(
            &format!("/api/v1/releases/{id}/steps"),
            Some(&ct),
            &json!({"step": "destroyed", "responsible": "钱晓燕", "copies": "2", "used": "28"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let list = app.get("/api/v1/releases?state=destroyed", Some(&ct)).await.json();
    assert_eq!(list["total"], 1, "{list}");
    let export = app.web_get(&mut cs, "/releases/export.xlsx").await;
    assert_eq!(export.status, StatusCode::OK);
    // Another city finds nothing.
    let zz = app.direct_token("zz_staff").await;
    assert_eq!(app.get(&format!("/api/v1/releases/{id}"), Some(&zz)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/releases", Some(&zz)).await.json()["total"], 0);
}
