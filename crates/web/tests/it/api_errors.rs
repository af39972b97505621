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

/// The page numbers that overflowed the query builder (issue 8 item 3).
const HUGE: &str = "9223372036854775807";

#[tokio::test]
async fn a_huge_page_number_is_an_empty_page_on_every_api_list() {
    let (app, t) = admin_app().await;
    let prov = app.org_id("430000").await;
    for (user, role) in [("shengzhan", Role::ProvinceStaff), ("shenji", Role::AuditAdmin)] {
        app.create_user(user, &[role], prov).await;
    }
    let staff = app.direct_token("shengzhan").await;
    let auditor = app.direct_token("shenji").await;
    for (path, token) in [
        (format!("/api/v1/stations?page={HUGE}"), None),
        (format!("/api/v1/orgs?page={HUGE}"), Some(&t)),
        (format!("/api/v1/orgs?page={HUGE}&per_page={HUGE}"), Some(&t)),
        (format!("/api/v1/orgs?page={}&per_page=200", u64::MAX / 100), Some(&t)),
        (format!("/api/v1/users?page={HUGE}"), Some(&t)),
        (format!("/api/v1/filings?page={HUGE}"), Some(&staff)),
        (format!("/api/v1/experts?page={HUGE}"), Some(&staff)),
        (format!("/api/v1/draws?page={HUGE}"), Some(&staff)),
        (format!("/api/v1/audit?page={HUGE}"), Some(&auditor)),
    ] {
        let r = app.get(&path, token.map(String::as_str)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        let body = r.json();
        assert_eq!(body["items"], json!([]), "{path}: a page past the end is empty");
        assert!(body["per_page"].as_u64().is_some_and(|n| (1..=200).contains(&n)), "{path}: {body}");
        assert!(body["page"].as_u64().is_some_and(|n| n <= store::PageReq::MAX_PAGE), "{path}: {body}");
    }
    let orgs = app.get(&format!("/api/v1/orgs?page={HUGE}"), Some(&t)).await.json();
    assert!(orgs["total"].as_u64().unwrap_or_default() >= 15, "the total still counts every record: {orgs}");
}

#[tokio::test]
async fn a_huge_page_number_on_a_page_shows_an_empty_page_leading_back() {
    let (app, _) = admin_app().await;
    let prov = app.org_id("430000").await;
    for (user, role) in [("shengzhan", Role::ProvinceStaff), ("shenji", Role::AuditAdmin)] {
        app.create_user(user, &[role], prov).await;
    }
    let public = app.get(&format!("/stations?page={HUGE}"), None).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    for (user, path) in [
        ("xitong", "/admin/orgs"),
        ("xitong", "/admin/users"),
        ("shengzhan", "/filings"),
        ("shengzhan", "/admin/experts"),
        ("shengzhan", "/admin/draws"),
        ("shenji", "/admin/audit"),
    ] {
        let mut c = app.direct_web(user).await;
        let r = app.web_get(&mut c, &format!("{path}?page={HUGE}")).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert!(r.body.contains("上一页"), "{path} shows its pager");
    }
    let mut c = app.direct_web("xitong").await;
    let r = app.web_get(&mut c, &format!("/admin/orgs?page={HUGE}")).await;
    assert!(r.body.contains("/admin/orgs?page=1\""), "the previous page is the last one, not one past the end");
}

/// Under `/api/` an envelope in Chinese naming `field`, with `status` and `code`.
fn assert_chinese_error(r: &testkit::Resp, status: StatusCode, code: &str, field: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let e = &r.json()["errors"][0];
    assert_eq!(e["code"], code, "{}", r.body);
    assert_eq!(e["field"], field, "{}", r.body);
    let detail = e["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(&format!("「{field}」")), "the detail names {field}: {detail}");
    assert_no_english(detail);
}

/// No words of serde's or axum's English messages.
fn assert_no_english(text: &str) {
    for english in ["Failed", "deserialize", "Invalid", "invalid", "parse", "expected", "missing field", "URL"] {
        assert!(!text.contains(english), "English leaks ({english}): {text}");
    }
}

#[tokio::test]
async fn bad_path_and_query_parameters_are_refused_in_chinese_naming_them() {
    let (app, t) = admin_app().await;
    let prov = app.org_id("430000").await;
    app.create_user("shengzhan", &[Role::ProvinceStaff], prov).await;
    let staff = app.direct_token("shengzhan").await;
    let r = app.get("/api/v1/filings/abc", Some(&staff)).await;
    assert_chinese_error(&r, StatusCode::BAD_REQUEST, "PATH_PARAM_INVALID", "id");
    assert!(r.json()["errors"][0]["detail"].as_str().unwrap_or_default().contains("整数"));
    let r = app.get("/api/v1/filings/1/attachments/x", Some(&staff)).await;
    assert_chinese_error(&r, StatusCode::BAD_REQUEST, "PATH_PARAM_INVALID", "att");
    let r = app.get("/api/v1/orgs/99999999999999999999", Some(&t)).await;
    assert_chinese_error(&r, StatusCode::BAD_REQUEST, "PATH_PARAM_INVALID", "id");
    let r = app.get("/api/v1/experts?page=x", Some(&staff)).await;
    assert_chinese_error(&r, StatusCode::BAD_REQUEST, "QUERY_PARAM_INVALID", "page");
    assert!(r.json()["errors"][0]["detail"].as_str().unwrap_or_default().contains("查询参数「page」应为整数"));
    let r = app.get("/api/v1/stations?per_page=-1", None).await;
    assert_chinese_error(&r, StatusCode::BAD_REQUEST, "QUERY_PARAM_INVALID", "per_page");
    let r = app.get("/api/v1/calendar/add-working-days?from=2026-09-29", Some(&t)).await;
    assert_chinese_error(&r, StatusCode::BAD_REQUEST, "QUERY_PARAM_MISSING", "days");

    // Pages: the Chinese error page naming the parameter.
    let mut c = app.direct_web("shengzhan").await;
    for (path, field) in [("/filings/abc", "id"), ("/admin/experts?page=x", "page")] {
        let r = app.web_get(&mut c, path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        assert!(r.body.contains("请求有误") && r.body.contains(&format!("「{field}」")), "{path}: {}", r.body);
        assert_no_english(&r.body.replace("invalid", ""));
    }
    let r = app.get("/stations?page=x", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("查询参数「page」应为整数"), "{}", r.body);
}

#[tokio::test]
async fn malformed_json_is_refused_in_chinese_naming_the_field() {
    let (app, t) = admin_app().await;
    let r = app.post_json("/api/v1/orgs", Some(&t), &json!({"name": 7, "kind": "station"})).await;
    assert_chinese_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "JSON_FIELD_INVALID", "name");
    assert!(r.json()["errors"][0]["detail"].as_str().unwrap_or_default().contains("应为文本"), "{}", r.body);
    let year = json!({"holidays": [{"name": "元旦", "start": "2027-01-01"}]});
    let r = app.send_json(Method::PUT, "/api/v1/calendar/2027", Some(&t), &year).await;
    assert_chinese_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "JSON_FIELD_MISSING", "holidays[0].end");
    let r = app.post_json("/api/v1/orgs", Some(&t), &json!("a text, not an object")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["detail"], "请求体应为对象");
    let r = app
        .request(
            Method::POST,
            "/api/v1/orgs",
            &[("authorization", format!("Bearer {t}")), ("content-type", "application/json".into())],
            "{\"name\": \"x\",".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["errors"][0]["detail"], "请求体不是有效的 JSON");
}

#[tokio::test]
async fn a_401_on_the_api_names_the_bearer_scheme() {
    let app = TestApp::spawn().await;
    for r in [
        app.get("/api/v1/orgs", None).await,
        app.get("/api/v1/orgs", Some("not-a-token")).await,
        app.post_json("/api/v1/auth/token", None, &json!({"username": "nobody", "password": "wrong"})).await,
    ] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        assert_eq!(r.headers.get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));
        assert!(!r.error_code().is_empty());
    }
}

#[tokio::test]
async fn an_internal_error_is_the_envelope_on_the_api_and_the_chinese_page_elsewhere_with_the_request_id() {
    use store::sea_orm::ConnectionTrait;
    let (app, t) = admin_app().await;
    // A stored kind no program value names: reading it is an internal error (StoreError::Corrupt).
    app.store
        .db
        .execute_unprepared("UPDATE orgs SET kind = 'no_such_kind' WHERE region_code = '430100'")
        .await
        .expect("corrupt");
    let r = app.get("/api/v1/orgs?per_page=200", Some(&t)).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    let id = r.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(!id.is_empty());
    let body = r.json();
    assert_eq!(body["errors"][0]["code"], "INTERNAL");
    assert_eq!(body["request_id"], id.as_str());
    assert!(body["errors"][0]["detail"].as_str().unwrap_or_default().contains(&id));
    let mut c = app.direct_web("xitong").await;
    let r = app.web_get(&mut c, "/admin/orgs").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    let id = r.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(r.body.contains("系统错误") && r.body.contains(&id), "{}", r.body);
}

#[tokio::test]
async fn a_panic_answers_the_envelope_or_the_page_with_the_request_id() {
    use axum::routing::get;
    use tower::ServiceExt;
    async fn boom() -> &'static str {
        panic!("a defect")
    }
    async fn plain_500() -> (StatusCode, &'static str) {
        (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
    }
    web::routes::install_panic_hook();
    let router = axum::Router::new()
        .route("/api/v1/boom", get(boom))
        .route("/api/v1/plain", get(plain_500))
        .route("/boom", get(boom))
        .layer(axum::middleware::from_fn(web::routes::last_resort));
    let call = |path: &'static str| {
        let router = router.clone();
        async move {
            let req = http::Request::get(path).header("x-request-id", "req-42").body(axum::body::Body::empty());
            let r = router.oneshot(req.expect("request")).await.expect("infallible");
            let status = r.status();
            let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.expect("body");
            (status, String::from_utf8_lossy(&bytes).into_owned())
        }
    };
    for path in ["/api/v1/boom", "/api/v1/plain"] {
        let (status, body) = call(path).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let body: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path} not JSON ({e}): {body}"));
        assert_eq!(body["errors"][0]["code"], "INTERNAL", "{path}");
        assert_eq!(body["request_id"], "req-42", "{path}");
    }
    let (status, body) = call("/boom").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("系统错误") && body.contains("req-42") && !body.contains("a defect"), "{body}");
}

#[tokio::test]
async fn the_openapi_document_declares_the_bounds_of_paging() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    let mut paged = 0;
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let bounds = match p["name"].as_str() {
                    Some("page") => (1, store::PageReq::MAX_PAGE),
                    Some("per_page") => (1, store::PageReq::MAX_PER_PAGE),
                    _ => continue,
                };
                paged += 1;
                let schema = &p["schema"];
                assert_eq!(
                    (schema["minimum"].as_u64(), schema["maximum"].as_u64()),
                    (Some(bounds.0), Some(bounds.1)),
                    "{method} {path} {}: {schema}",
                    p["name"]
                );
            }
        }
    }
    assert!(paged >= 14, "every paged list declares page and per_page ({paged})");
}

#[tokio::test]
async fn a_form_that_is_not_a_form_gets_the_chinese_page() {
    let app = TestApp::spawn().await;
    let h = [
        ("cookie", "kaohe_pre=pre-token".to_string()),
        ("x-csrf-token", "pre-token".to_string()),
        ("content-type", "text/plain".to_string()),
    ];
    let r = app.request(Method::POST, "/login", &h, "username=a&password=b".into()).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.body);
    assert!(r.body.contains("内容类型有误"), "{}", r.body);
    assert_no_english(&r.body.replace("invalid", ""));
}
