//! Sign-in, lockout, second factor, sessions and CSRF (level-3 security rules).

use domain::org::Role;
use http::StatusCode;
use serde_json::json;
use testkit::{PASSWORD, TOTP_SECRET, TestApp, totp_code};

async fn app_with_station_user() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    let station = app.create_org("长沙测试考核站", "station", "430104").await;
    app.create_user("zhangsan", &[Role::StationStaff], station).await;
    (app, station)
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let (app, _) = app_with_station_user().await;
    let (_, known) = app.web_login("zhangsan", "Wrong#Pass1").await;
    let (_, unknown) = app.web_login("nobody", "Wrong#Pass1").await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.status, known.status);
    assert!(known.body.contains("用户名或密码错误"));
    assert_eq!(
        unknown.body.replace("nobody", "X"),
        known.body.replace("zhangsan", "X").replace(&testkit::csrf_of(&known.body), &testkit::csrf_of(&unknown.body))
    );
    let api_known =
        app.post_json("/api/v1/auth/token", None, &json!({"username":"zhangsan","password":"Wrong#Pass1"})).await;
    let api_unknown =
        app.post_json("/api/v1/auth/token", None, &json!({"username":"nobody","password":"Wrong#Pass1"})).await;
    assert_eq!((api_known.status, api_known.body.clone()), (api_unknown.status, api_unknown.body));
    assert_eq!(api_known.error_code(), "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn five_failures_lock_the_account_even_for_the_right_password() {
    let (app, _) = app_with_station_user().await;
    for _ in 0..4 {
        let (_, r) = app.web_login("zhangsan", "Wrong#Pass1").await;
        assert!(r.body.contains("用户名或密码错误"));
    }
    let (_, fifth) = app.web_login("zhangsan", "Wrong#Pass1").await;
    assert!(fifth.body.contains("账号已锁定"), "{}", fifth.body);
    let (_, right) = app.web_login("zhangsan", PASSWORD).await;
    assert_eq!(right.status, StatusCode::OK, "the right password must not sign in while locked");
    assert!(right.body.contains("账号已锁定"));
    let api = app.post_json("/api/v1/auth/token", None, &json!({"username":"zhangsan","password":PASSWORD})).await;
    assert_eq!(api.status, StatusCode::LOCKED);
    assert_eq!(api.error_code(), "ACCOUNT_LOCKED");
    // An unknown user locks the same way, so the answers do not reveal who exists.
    for _ in 0..5 {
        app.web_login("ghost", "Wrong#Pass1").await;
    }
    let (_, ghost) = app.web_login("ghost", "Wrong#Pass1").await;
    assert!(ghost.body.contains("账号已锁定"));
}

#[tokio::test]
async fn the_lockout_threshold_is_policy_not_a_constant() {
    let (app, _) = app_with_station_user().await;
    let sec = app.org_id("430000").await;
    app.create_user("anquan", &[Role::SecurityAdmin], sec).await;
    let p = app.principal("anquan").await;
    app.store
        .add_policy_version(
            &p,
            domain::policy::keys::LOCKOUT_THRESHOLD,
            "3",
            Some(store::today()),
            "测试",
            &store::Ctx::system(),
        )
        .await
        .expect("security admin publishes");
    for _ in 0..2 {
        let (_, r) = app.web_login("zhangsan", "Wrong#Pass1").await;
        assert!(r.body.contains("用户名或密码错误"));
    }
    let (_, third) = app.web_login("zhangsan", "Wrong#Pass1").await;
    assert!(third.body.contains("账号已锁定"));
}

#[tokio::test]
async fn a_security_admin_lifts_a_lockout() {
    let (app, _) = app_with_station_user().await;
    for _ in 0..5 {
        app.web_login("zhangsan", "Wrong#Pass1").await;
    }
    let sec = app.org_id("430000").await;
    app.create_user("anquan", &[Role::SecurityAdmin], sec).await;
    let p = app.principal("anquan").await;
    app.store.unlock_username(&p, "zhangsan", &store::Ctx::system()).await.expect("unlock");
    let (_, r) = app.web_login("zhangsan", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn administrators_need_the_second_factor_on_pages_and_for_tokens() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("shengadmin", &[Role::ProvinceAdmin], prov).await;
    let (mut c, r) = app.web_login("shengadmin", PASSWORD).await;
    assert_eq!(r.location(), "/login/totp");
    let home = app.web_get(&mut c, "/home").await;
    assert_eq!(home.location(), "/login/totp", "no page before the second factor");
    let form = app.web_get(&mut c, "/login/totp").await;
    assert!(form.body.contains("动态验证码"));
    let wrong = app.web_post(&mut c, "/login/totp", &[("code", "000000")]).await;
    assert!(wrong.body.contains("验证码不正确"), "{} {}", wrong.status, wrong.body);
    let no_code =
        app.post_json("/api/v1/auth/token", None, &json!({"username":"shengadmin","password":PASSWORD})).await;
    assert_eq!(no_code.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_code.error_code(), "SECOND_FACTOR_REQUIRED");
    let code = totp_code(TOTP_SECRET, "shengadmin", 0);
    let ok = app.web_post(&mut c, "/login/totp", &[("code", code.as_str())]).await;
    assert_eq!(ok.location(), "/home");
    // The same code cannot be used twice (replay).
    let replay = app
        .post_json("/api/v1/auth/token", None, &json!({"username":"shengadmin","password":PASSWORD,"totp":code}))
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "{}", replay.body);
    let next = totp_code(TOTP_SECRET, "shengadmin", 1);
    let token = app
        .post_json("/api/v1/auth/token", None, &json!({"username":"shengadmin","password":PASSWORD,"totp":next}))
        .await;
    assert_eq!(token.status, StatusCode::OK, "{}", token.body);
}

#[tokio::test]
async fn an_administrator_without_a_second_factor_must_enrol_one_first() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    let id = app.create_user("newadmin", &[Role::AuditAdmin], prov).await;
    // Remove the enrolment the builder made: a new administrator has none.
    use store::sea_orm::ConnectionTrait;
    app.store
        .db
        .execute_unprepared(&format!("UPDATE users SET totp_enabled = false, totp_secret_enc = NULL WHERE id = {id}"))
        .await
        .expect("reset");
    let (mut c, r) = app.web_login("newadmin", PASSWORD).await;
    assert_eq!(r.location(), "/account/totp");
    let page = app.web_get(&mut c, "/account/totp").await;
    assert!(page.body.contains("<svg"), "a QR code is shown");
    let secret_b32 =
        page.body.split("<span class=\"mono\">").nth(1).and_then(|s| s.split('<').next()).expect("secret shown");
    let secret = totp_rs::Secret::try_from_base32(secret_b32).expect("base32").as_bytes().to_vec();
    let code = totp_code(&secret, "newadmin", 0);
    let done = app.web_post(&mut c, "/account/totp", &[("code", code.as_str())]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(app.web_get(&mut c, "/home").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_account_must_change_its_password_before_anything_else() {
    let app = TestApp::spawn().await;
    let city = app.org_id("430100").await;
    let input = store::users::UserInput {
        username: "xinren".into(),
        display_name: "新人".into(),
        org_id: Some(city),
        roles: vec!["city_staff".into()],
        password: PASSWORD.into(),
        ..Default::default()
    };
    app.store.create_user(&domain::org::Principal::system(), &input, &store::Ctx::system()).await.expect("create");
    let (mut c, r) = app.web_login("xinren", PASSWORD).await;
    assert_eq!(r.location(), "/account/password");
    assert_eq!(app.web_get(&mut c, "/home").await.location(), "/account/password");
    let token = app.post_json("/api/v1/auth/token", None, &json!({"username":"xinren","password":PASSWORD})).await;
    assert_eq!(token.error_code(), "PASSWORD_CHANGE_REQUIRED");
    app.web_get(&mut c, "/account/password").await;
    let weak = app
        .web_post(
            &mut c,
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "short"), ("confirm_password", "short")],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("密码至少 8 位"), "the field error names the rule");
    let ok = app
        .web_post(
            &mut c,
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "Another#Pass9"), ("confirm_password", "Another#Pass9")],
        )
        .await;
    assert_eq!(ok.location(), "/home");
    assert_eq!(app.web_get(&mut c, "/home").await.status, StatusCode::OK);
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let (app, _) = app_with_station_user().await;
    let mut c = app.web_session("zhangsan").await;
    let stolen = c.clone();
    let out = app.web_post(&mut c, "/logout", &[]).await;
    assert_eq!(out.location(), "/login");
    let mut replay = stolen;
    assert_eq!(app.web_get(&mut replay, "/home").await.location(), "/login", "the old cookie no longer works");
}

#[tokio::test]
async fn an_idle_session_expires_after_the_policy_minutes() {
    let (app, _) = app_with_station_user().await;
    let mut c = app.web_session("zhangsan").await;
    use store::entity::session;
    use store::sea_orm::{EntityTrait, sea_query::Expr};
    let past = store::now() - time::Duration::minutes(31);
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(past))
        .exec(&app.store.db)
        .await
        .expect("age session");
    assert_eq!(app.web_get(&mut c, "/home").await.location(), "/login");
}

#[tokio::test]
async fn a_revoked_api_token_is_refused() {
    let (app, _) = app_with_station_user().await;
    let t = app.token("zhangsan").await;
    assert_eq!(app.get("/api/v1/me", Some(&t)).await.status, StatusCode::OK);
    let del = app
        .request(
            http::Method::DELETE,
            "/api/v1/auth/token",
            &[("authorization", format!("Bearer {t}"))],
            axum::body::Body::empty(),
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let after = app.get("/api/v1/me", Some(&t)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.error_code(), "UNAUTHENTICATED");
}

#[tokio::test]
async fn me_tells_username_roles_organisation_and_scope() {
    let (app, station) = app_with_station_user().await;
    let t = app.token("zhangsan").await;
    let me = app.get("/api/v1/me", Some(&t)).await.json();
    assert_eq!(me["username"], "zhangsan");
    assert_eq!(me["roles"], json!(["station_staff"]));
    assert_eq!(me["organisation"]["id"], station);
    assert_eq!(me["scope"]["kind"], "org");
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused_and_writes_nothing() {
    let (app, _) = app_with_station_user().await;
    let prov = app.org_id("430000").await;
    app.create_user("xitong", &[Role::SystemAdmin], prov).await;
    let mut c = app.direct_web("xitong").await;
    c.csrf = "forged".into();
    let r = app.web_post(&mut c, "/admin/orgs", &[("name", "伪造机构"), ("kind", "station")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("页面已过期"));
    let p = app.principal("xitong").await;
    let list = app
        .store
        .list_orgs(
            &p,
            &store::orgs::OrgQuery { q: Some("伪造".into()), ..Default::default() },
            store::PageReq::default(),
        )
        .await
        .expect("list");
    assert_eq!(list.total, 0);
}

#[tokio::test]
async fn responses_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let r = app.get("/login", None).await;
    let csp = r.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"), "{csp}");
    assert_eq!(r.headers.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    assert!(r.headers.get("referrer-policy").is_some());
    assert!(r.headers.get("x-request-id").is_some());
    let cookie = r.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(cookie.contains("HttpOnly"));
}

#[tokio::test]
async fn a_security_admin_resets_a_lost_second_factor_and_the_next_sign_in_enrols_again() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    let id = app.create_user("shengadmin", &[Role::ProvinceAdmin], prov).await;
    app.create_user("anquan", &[Role::SecurityAdmin], prov).await;
    let mut sec = app.direct_web("anquan").await;
    app.web_get(&mut sec, &format!("/admin/users/{id}")).await;
    let r = app.web_post(&mut sec, &format!("/admin/users/{id}/reset-totp"), &[]).await;
    assert_eq!(r.location(), format!("/admin/users/{id}"));
    let (_, login) = app.web_login("shengadmin", PASSWORD).await;
    assert_eq!(login.location(), "/account/totp", "an administrator without a second factor must enrol one");
}
