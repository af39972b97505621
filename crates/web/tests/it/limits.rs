//! Issue 8 item 5: per-client rate limits (429 with `Retry-After`, the envelope on `/api`, values from
//! the versioned policy, `rate_limit_exempt` never limited), and a lockout that whoever knows a user
//! name cannot use to keep that account locked: the lock is per user name and client address, and a
//! per-account ceiling across addresses alerts the security administrator.

use domain::org::Role;
use domain::policy::keys;
use domain::workflow::SubjectKind;
use http::{StatusCode, header};
use serde_json::json;
use testkit::{PASSWORD, TestApp, test_config};

async fn app_with_users(config: web::WebConfig) -> TestApp {
    let app = TestApp::spawn_with(config).await;
    let station = app.create_org("长沙测试考核站", "station", "430104").await;
    app.create_user("zhangsan", &[Role::StationStaff], station).await;
    let province = app.org_id("430000").await;
    app.create_user("anquan", &[Role::SecurityAdmin], province).await;
    app
}

/// The security administrator publishes `value` for `key`, in force today.
async fn publish(app: &TestApp, key: &str, value: &str) {
    let p = app.principal("anquan").await;
    app.store
        .add_policy_version(&p, key, value, Some(store::today()), "测试", &store::Ctx::system())
        .await
        .unwrap_or_else(|e| panic!("publish {key}: {e:?}"));
}

fn retry_after(r: &testkit::Resp) -> u64 {
    let v = r.headers.get(header::RETRY_AFTER).unwrap_or_else(|| panic!("Retry-After: {r:?}"));
    v.to_str().expect("ascii").parse().expect("seconds")
}

#[tokio::test]
async fn sign_in_is_limited_per_client_address_with_retry_after() {
    let app = app_with_users(test_config()).await;
    publish(&app, keys::RATE_SIGN_IN_PER_MINUTE, "1").await;
    publish(&app, keys::RATE_SIGN_IN_BURST, "2").await;
    app.set_client("198.51.100.7");
    for _ in 0..2 {
        let (_, r) = app.web_login("zhangsan", "Wrong#Pass1").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let (_, limited) = app.web_login("zhangsan", PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!((1..=60).contains(&retry_after(&limited)), "{:?}", limited.headers);
    assert!(limited.body.contains("请求过于频繁"), "{}", limited.body);
    // Another address has its own allowance.
    app.set_client("198.51.100.8");
    let (_, other) = app.web_login("zhangsan", PASSWORD).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
    // The exempt address (the tests' own) is never limited.
    app.set_client(testkit::TEST_CLIENT);
    for _ in 0..6 {
        let (_, r) = app.web_login("nobody", "Wrong#Pass1").await;
        assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn token_issue_and_the_api_answer_429_in_the_error_envelope() {
    let app = app_with_users(test_config()).await;
    publish(&app, keys::RATE_TOKEN_PER_MINUTE, "1").await;
    publish(&app, keys::RATE_TOKEN_BURST, "1").await;
    publish(&app, keys::RATE_API_PER_MINUTE, "1").await;
    publish(&app, keys::RATE_API_BURST, "3").await;
    app.set_client("198.51.100.9");
    let body = json!({ "username": "zhangsan", "password": PASSWORD });
    let first = app.post_json("/api/v1/auth/token", None, &body).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let token = first.json()["token"].as_str().expect("token").to_string();
    let second = app.post_json("/api/v1/auth/token", None, &body).await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(second.error_code(), "RATE_LIMITED");
    assert!(second.json()["errors"][0]["detail"].as_str().unwrap_or_default().contains("请求过于频繁"));
    assert!(retry_after(&second) >= 1);
    // The password change through the API counts with token issue.
    let change = json!({ "username": "zhangsan", "current_password": PASSWORD, "new_password": "Other#Pass2026" });
    assert_eq!(app.post_json("/api/v1/auth/password", None, &change).await.status, StatusCode::TOO_MANY_REQUESTS);
    // The rest of the API: the burst, then 429.
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/stations", None).await.status, StatusCode::OK);
    }
    let api = app.get("/api/v1/stations", Some(&token)).await;
    assert_eq!((api.status, api.error_code().as_str()), (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED"));
    assert!(retry_after(&api) >= 1);
    // The exempt address is never limited.
    app.set_client(testkit::TEST_CLIENT);
    for _ in 0..20 {
        assert_eq!(app.get("/api/v1/stations", None).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn public_pages_are_limited_and_configured_addresses_are_exempt() {
    let exempt = "192.0.2.10";
    let config = web::WebConfig { rate_limit_exempt: vec![exempt.parse().expect("ip")], ..test_config() };
    let app = app_with_users(config).await;
    publish(&app, keys::RATE_PUBLIC_PER_MINUTE, "1").await;
    publish(&app, keys::RATE_PUBLIC_BURST, "2").await;
    app.set_client("198.51.100.10");
    assert_eq!(app.get("/stations", None).await.status, StatusCode::OK);
    assert_eq!(app.get("/", None).await.status, StatusCode::OK);
    let page = app.get("/certificate-query", None).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&page) >= 1);
    assert!(page.body.contains("请求过于频繁"), "{}", page.body);
    // Static files and health checks are not limited.
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(app.get("/static/app.css", None).await.status, StatusCode::OK);
    app.set_client(exempt);
    for _ in 0..20 {
        assert_eq!(app.get("/stations", None).await.status, StatusCode::OK);
    }
}

#[test]
fn exempt_addresses_are_read_as_a_comma_separated_list() {
    let list = web::parse_addresses("rate_limit_exempt", " 10.0.0.1, ::1 ,").expect("addresses");
    assert_eq!(list, vec!["10.0.0.1".parse::<std::net::IpAddr>().expect("ip"), "::1".parse().expect("ip")]);
    let err = web::parse_addresses("rate_limit_exempt", "10.0.0.1,lb.example").expect_err("not an address");
    assert!(err.contains("rate_limit_exempt") && err.contains("lb.example"), "{err}");
}

#[tokio::test]
async fn an_attacker_locks_only_their_own_address_out_of_an_account() {
    let app = app_with_users(test_config()).await;
    app.set_client("203.0.113.66");
    for _ in 0..5 {
        app.web_login("zhangsan", "Wrong#Pass1").await;
    }
    let (_, attacker) = app.web_login("zhangsan", PASSWORD).await;
    assert!(attacker.body.contains("账号已锁定"), "{}", attacker.body);
    let api = app.post_json("/api/v1/auth/token", None, &json!({"username":"zhangsan","password":PASSWORD})).await;
    assert_eq!(api.status, StatusCode::LOCKED);
    // The user at their own address signs in, page and API alike.
    app.set_client("198.51.100.20");
    let (_, victim) = app.web_login("zhangsan", PASSWORD).await;
    assert_eq!((victim.status, victim.location().as_str()), (StatusCode::SEE_OTHER, "/home"), "{}", victim.body);
    let token = app.post_json("/api/v1/auth/token", None, &json!({"username":"zhangsan","password":PASSWORD})).await;
    assert_eq!(token.status, StatusCode::OK, "{}", token.body);
    // The lock shows on the user's page for the administrators, and lifting it frees the address.
    assert!(app.store.locked_until("zhangsan").await.expect("lock").is_some());
    let p = app.principal("anquan").await;
    app.store.unlock_username(&p, "zhangsan", &store::Ctx::system()).await.expect("unlock");
    app.set_client("203.0.113.66");
    let (_, freed) = app.web_login("zhangsan", PASSWORD).await;
    assert_eq!(freed.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn failures_past_the_account_ceiling_alert_the_security_admin_once() {
    let app = app_with_users(test_config()).await;
    publish(&app, keys::ACCOUNT_FAILURE_CEILING, "10").await;
    // Four failures from each of three addresses: no address reaches the lockout (5), the account
    // reaches the ceiling (10) at the tenth.
    for i in 1..=3 {
        app.set_client(&format!("203.0.113.{i}"));
        for _ in 0..4 {
            let (_, r) = app.web_login("zhangsan", "Wrong#Pass1").await;
            assert!(r.body.contains("用户名或密码错误"), "{}", r.body);
        }
    }
    let anquan = app.principal("anquan").await;
    let todos = app.store.todo_for(&anquan).await.expect("todo");
    let alerts: Vec<_> = todos.iter().filter(|t| t.subject_kind == SubjectKind::Account).collect();
    assert_eq!(alerts.len(), 1, "{todos:?}");
    assert_eq!(alerts[0].subject_id, "zhangsan");
    assert!(alerts[0].title.contains("zhangsan"), "{}", alerts[0].title);
    // The to-do leads to the user list, where the security admin can unlock the account.
    assert!(web::areas::link_for(SubjectKind::Account, "zhangsan").is_some_and(|l| l == "/admin/users?q=zhangsan"));
    let auditor_org = app.org_id("430000").await;
    app.create_user("shenji", &[Role::AuditAdmin], auditor_org).await;
    let q = store::audit::AuditQuery { action: Some("auth.failure_ceiling".into()), ..Default::default() };
    let records =
        app.store.list_audit(&app.principal("shenji").await, &q, store::PageReq::default()).await.expect("audit");
    assert_eq!(records.items.len(), 1, "{:?}", records.items);
    // The account is not locked for its user: the ceiling alerts, it does not lock.
    app.set_client("198.51.100.21");
    let (_, user) = app.web_login("zhangsan", PASSWORD).await;
    assert_eq!(user.status, StatusCode::SEE_OTHER, "{}", user.body);
    // Lifting the lockout closes the alert.
    app.store.unlock_username(&anquan, "zhangsan", &store::Ctx::system()).await.expect("unlock");
    let todos = app.store.todo_for(&anquan).await.expect("todo");
    assert!(todos.iter().all(|t| t.subject_kind != SubjectKind::Account), "{todos:?}");
}
