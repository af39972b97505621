//! Bad input over the API and the pages: one error envelope, Chinese details naming the field, and
//! nothing written.

use domain::org::Role;
use http::{Method, StatusCode};
use serde_json::json;
use testkit::TestApp;

async fn admin_app() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("xitong", &[Role::SystemAdmin], prov).await;
    let t = app.direct_token("xitong").await;
    (app, t)
}

#[tokio::test]
async fn a_bad_organisation_gets_422_naming_each_field_and_nothing_is_saved() {
    let (app, t) = admin_app().await;
    let before = app.get("/api/v1/orgs?per_page=200", Some(&t)).await.json()["total"].as_u64();
    let body = json!({"name":"某考核站","kind":"station","nature":"enterprise","credit_code":"91110000600037341N",
        "region_code":"110101","address":"北京","contact_name":"X1","contact_phone":"12345"});
    let r = app.post_json("/api/v1/orgs", Some(&t), &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = r.json()["errors"].as_array().cloned().unwrap_or_default();
    let field = |f: &str| {
        errors.iter().find(|e| e["field"] == f).cloned().unwrap_or_else(|| panic!("no error for {f}: {errors:?}"))
    };
    assert_eq!(field("credit_code")["code"], "CREDIT_CODE_CHECK");
    assert!(
        field("credit_code")["detail"].as_str().unwrap_or_default().contains('L'),
        "names the expected check character"
    );
    field("region_code");
    field("address");
    field("contact_name");
    field("contact_phone");
    let after = app.get("/api/v1/orgs?per_page=200", Some(&t)).await.json()["total"].as_u64();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_duplicate_credit_code_is_a_field_error() {
    let (app, t) = admin_app().await;
    let body = json!({"name":"甲考核站","kind":"station","nature":"enterprise","credit_code":"91110000600037341L",
        "region_code":"430104","address":"湖南省长沙市岳麓区某路 1 号","contact_name":"张三","contact_phone":"13800000000"});
    assert_eq!(app.post_json("/api/v1/orgs", Some(&t), &body).await.status, StatusCode::CREATED);
    let mut again = body.clone();
    again["name"] = json!("乙考核站");
    let r = app.post_json("/api/v1/orgs", Some(&t), &again).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "credit_code");
    assert_eq!(r.error_code(), "CREDIT_CODE_TAKEN");
}

#[tokio::test]
async fn wrong_content_type_is_415_and_broken_json_is_400() {
    let (app, t) = admin_app().await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/orgs",
            &[("authorization", format!("Bearer {t}")), ("content-type", "text/plain".into())],
            "{}".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.error_code(), "UNSUPPORTED_MEDIA_TYPE");
    let r = app
        .request(
            Method::POST,
            "/api/v1/orgs",
            &[("authorization", format!("Bearer {t}")), ("content-type", "application/json".into())],
            "{".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["errors"][0]["detail"].as_str().is_some());
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let (app, t) = admin_app().await;
    let big = format!("{{\"name\":\"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let r = app
        .request(
            Method::POST,
            "/api/v1/orgs",
            &[("authorization", format!("Bearer {t}")), ("content-type", "application/json".into())],
            big.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error_code(), "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn unknown_routes_are_404_in_the_right_language() {
    let app = TestApp::spawn().await;
    let api = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.error_code(), "NOT_FOUND");
    let page = app.get("/nothing-here", None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("页面不存在"));
}

#[tokio::test]
async fn no_response_leaks_sql_or_stack_traces() {
    let (app, t) = admin_app().await;
    for path in [
        "/api/v1/orgs/abc",
        "/api/v1/users/99999999",
        "/api/v1/orgs?page=-1",
        "/api/v1/calendar/add-working-days?from=2027-01-05&days=3",
    ] {
        let r = app.get(path, Some(&t)).await;
        assert!(r.status.is_client_error(), "{path}: {}", r.status);
        for leak in ["SELECT", "sqlx", "panicked", "DbErr", "sea_orm"] {
            assert!(!r.body.contains(leak), "{path} leaks {leak}: {}", r.body);
        }
    }
}

#[tokio::test]
async fn a_year_without_an_arrangement_is_an_error_never_a_guess() {
    let (app, t) = admin_app().await;
    let ok = app.get("/api/v1/calendar/add-working-days?from=2026-09-29&days=10", Some(&t)).await;
    assert_eq!(ok.json()["date"], "2026-10-19");
    let r = app.get("/api/v1/calendar/add-working-days?from=2026-12-28&days=10", Some(&t)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_code(), "CALENDAR_YEAR_UNKNOWN");
    assert!(r.json()["errors"][0]["detail"].as_str().unwrap_or_default().contains("2027 年节假日安排尚未录入"));
}

#[tokio::test]
async fn the_openapi_document_lists_every_api_route() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    for spec in web::route_specs() {
        if !spec.path.starts_with("/api/v1/") || spec.path == "/api/v1/openapi.json" || spec.path == "/api/v1/docs" {
            continue;
        }
        let method = spec.method.as_str().to_lowercase();
        assert!(
            doc["paths"][spec.path][&method].is_object(),
            "{} {} missing from the OpenAPI document",
            spec.method,
            spec.path
        );
    }
    let docs = app.get("/api/v1/docs/", None).await;
    assert_eq!(docs.status, StatusCode::OK, "Swagger UI is served from the binary");
}
