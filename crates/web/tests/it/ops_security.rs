//! Issue 8 item 14: who reads `/metrics`, denials audited without letting one caller grow the chain
//! without bound, and the `__Host-` cookies and HSTS behind HTTPS.

use domain::org::Role;
use http::{StatusCode, header};
use testkit::{PASSWORD, TestApp, csrf_of, test_config};

#[tokio::test]
async fn metrics_answer_only_the_configured_addresses() {
    let app = TestApp::spawn().await;
    // Loopback (IPv4 and IPv6) is allowed by default.
    for ip in ["127.0.0.1", "::1"] {
        app.set_client(ip);
        let r = app.get("/metrics", None).await;
        assert_eq!(r.status, StatusCode::OK, "{ip}");
        assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap_or_default().starts_with("text/plain"));
    }
    // Anyone else is told there is nothing there.
    app.set_client("203.0.113.9");
    let r = app.get("/metrics", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("kaohe_http_requests_total"));

    // A configured scraper gets it, and loopback no longer does when it is not listed.
    let config = web::WebConfig { metrics_allow: vec!["10.1.2.3".parse().expect("ip")], ..test_config() };
    let app = TestApp::spawn_with(config).await;
    app.set_client("10.1.2.3");
    assert_eq!(app.get("/metrics", None).await.status, StatusCode::OK);
    app.set_client("127.0.0.1");
    assert_eq!(app.get("/metrics", None).await.status, StatusCode::NOT_FOUND);
}

async fn denials(app: &TestApp, auditor: &str) -> Vec<domain::audit::AuditEntry> {
    let p = app.principal(auditor).await;
    let q = store::audit::AuditQuery { action: Some("authz.denied".into()), ..Default::default() };
    app.store.list_audit(&p, &q, store::PageReq::default()).await.expect("audit").items
}

#[tokio::test]
async fn repeated_denials_are_one_record_per_caller_route_and_minute_with_a_count() {
    let app = TestApp::spawn().await;
    let station = app.create_org("长沙测试考核站", "station", "430104").await;
    app.create_user("zhangsan", &[Role::StationStaff], station).await;
    let province = app.org_id("430000").await;
    app.create_user("shenji", &[Role::AuditAdmin], province).await;
    let t = app.direct_token("zhangsan").await;
    for _ in 0..20 {
        assert_eq!(app.get("/api/v1/users", Some(&t)).await.status, StatusCode::FORBIDDEN);
    }
    let first = denials(&app, "shenji").await;
    assert_eq!(first.len(), 1, "20 denials in one minute are one record: {first:?}");
    assert_eq!((first[0].actor.as_str(), first[0].target_id.as_str()), ("zhangsan", "GET /api/v1/users"));
    // The ones not written are counted, and the count is written when the minute's window is flushed
    // (at the next denial after the minute, by the periodic flush, or at shutdown).
    app.state.denials.flush(&app.store).await;
    let after = denials(&app, "shenji").await;
    assert_eq!(after.len(), 2, "{after:?}");
    let summary = after.iter().find(|e| e.seq != first[0].seq).expect("summary");
    assert_eq!(summary.target_id, "GET /api/v1/users");
    let detail: serde_json::Value = serde_json::from_str(&summary.detail).expect("detail");
    assert_eq!(detail["repeated"], 19, "{detail}");
    // Another route of the same caller is a record of its own, at once.
    assert_eq!(app.get("/api/v1/orgs", Some(&t)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(denials(&app, "shenji").await.len(), 3);
    // Nothing left to flush writes nothing.
    app.state.denials.flush(&app.store).await;
    assert_eq!(denials(&app, "shenji").await.len(), 3);
}

fn set_cookies(r: &testkit::Resp) -> Vec<String> {
    r.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
}

/// Sign in through the page with cookies named as the configuration says; answers the session cookie.
async fn sign_in(app: &TestApp, pre: &str, session: &str) -> (String, testkit::Resp) {
    let form = app.get("/login", None).await;
    let pre_value = form.cookie(pre).unwrap_or_else(|| panic!("{pre} set: {:?}", set_cookies(&form)));
    let body = format!("csrf={}&username=zhangsan&password={}", csrf_of(&form.body), urlencode(PASSWORD));
    let h =
        [("cookie", format!("{pre}={pre_value}")), ("content-type", "application/x-www-form-urlencoded".to_string())];
    let r = app.request(http::Method::POST, "/login", &h, axum::body::Body::from(body)).await;
    assert_eq!((r.status, r.location().as_str()), (StatusCode::SEE_OTHER, "/home"), "{}", r.body);
    (r.cookie(session).unwrap_or_else(|| panic!("{session} set: {:?}", set_cookies(&r))), r)
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn with_cookie_secure_cookies_take_the_host_prefix_and_hsts_is_sent() {
    let app = TestApp::spawn_with(web::WebConfig { cookie_secure: true, ..test_config() }).await;
    let station = app.create_org("长沙测试考核站", "station", "430104").await;
    app.create_user("zhangsan", &[Role::StationStaff], station).await;
    let form = app.get("/login", None).await;
    assert_eq!(form.headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
    let (session, r) = sign_in(&app, "__Host-kaohe_pre", "__Host-kaohe_session").await;
    for c in set_cookies(&r).iter().filter(|c| !c.contains("Max-Age=0")) {
        assert!(c.starts_with("__Host-"), "{c}");
        assert!(c.contains("Secure") && c.contains("Path=/") && !c.contains("Domain"), "{c}");
    }
    let home = app.get_with_cookie("/home", &format!("__Host-kaohe_session={session}")).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.location());
    assert_eq!(home.headers[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
    // The name without the prefix is not a session cookie here.
    let plain = app.get_with_cookie("/home", &format!("kaohe_session={session}")).await;
    assert_eq!((plain.status, plain.location().as_str()), (StatusCode::SEE_OTHER, "/login"));
    // The API sends HSTS too.
    assert!(app.get("/api/v1/openapi.json", None).await.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
}

#[tokio::test]
async fn without_cookie_secure_cookies_keep_their_names_and_no_hsts_is_sent() {
    let app = TestApp::spawn().await;
    let station = app.create_org("长沙测试考核站", "station", "430104").await;
    app.create_user("zhangsan", &[Role::StationStaff], station).await;
    let form = app.get("/login", None).await;
    assert!(!form.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    let (session, r) = sign_in(&app, "kaohe_pre", "kaohe_session").await;
    assert!(set_cookies(&r).iter().all(|c| !c.starts_with("__Host-") && !c.contains("Secure")), "{r:?}");
    let home = app.get_with_cookie("/home", &format!("kaohe_session={session}")).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(!home.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
}
