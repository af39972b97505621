//! Issue 8 items 1, 2 and 10: one lockout for the second factor on the page and through the API;
//! sessions and tokens end with the facts they were granted on; the forced password change through
//! the API.

use domain::org::{Principal, Role};
use http::StatusCode;
use serde_json::json;
use store::Ctx;
use store::users::UserChange;
use testkit::{PASSWORD, TOTP_SECRET, TestApp, WebClient, totp_code};

/// A six-digit code that is none of the codes accepted now (one step of drift either way).
fn wrong_code(username: &str) -> String {
    let current: Vec<String> = (-1..=1).map(|o| totp_code(TOTP_SECRET, username, o)).collect();
    (0..10).map(|d| d.to_string().repeat(6)).find(|c| !current.contains(c)).expect("a wrong code")
}

/// A current code not used yet (each time step is accepted once).
fn next_code(username: &str) -> String {
    totp_code(TOTP_SECRET, username, 1)
}

async fn token_request(app: &TestApp, username: &str, password: &str, totp: Option<&str>) -> testkit::Resp {
    let mut body = json!({ "username": username, "password": password });
    if let Some(code) = totp {
        body["totp"] = json!(code);
    }
    app.post_json("/api/v1/auth/token", None, &body).await
}

async fn app_with_admin() -> TestApp {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("shengadmin", &[Role::ProvinceAdmin], prov).await;
    app
}

/// Item 1: wrong second-factor codes through the API lock the account after the policy's five, as
/// the page does, and the right code is refused while the lock lasts (it used to answer 401 forever:
/// every request's right password reset the counter).
#[tokio::test]
async fn wrong_codes_through_the_api_lock_the_account_as_the_page_does() {
    let app = app_with_admin().await;
    let wrong = wrong_code("shengadmin");
    for i in 1..=4 {
        let r = token_request(&app, "shengadmin", PASSWORD, Some(&wrong)).await;
        assert_eq!((r.status, r.error_code()), (StatusCode::UNAUTHORIZED, "SECOND_FACTOR_REQUIRED".into()), "{i}");
    }
    let fifth = token_request(&app, "shengadmin", PASSWORD, Some(&wrong)).await;
    assert_eq!((fifth.status, fifth.error_code()), (StatusCode::LOCKED, "ACCOUNT_LOCKED".into()), "{}", fifth.body);
    let right = token_request(&app, "shengadmin", PASSWORD, Some(&next_code("shengadmin"))).await;
    assert_eq!(right.status, StatusCode::LOCKED, "the right code is refused while locked: {}", right.body);
    let (_, page) = app.web_login("shengadmin", PASSWORD).await;
    assert!(page.body.contains("账号已锁定"), "the page sees the same lock: {}", page.body);
}

/// Item 1: wrong codes on the page and through the API add up in one counter, and a session waiting
/// for its second factor is refused the right code once the other door locked the account.
#[tokio::test]
async fn wrong_codes_split_between_the_page_and_the_api_add_up() {
    let app = app_with_admin().await;
    let wrong = wrong_code("shengadmin");
    let (mut c, r) = app.web_login("shengadmin", PASSWORD).await;
    assert_eq!(r.location(), "/login/totp");
    app.web_get(&mut c, "/login/totp").await;
    for _ in 0..2 {
        let r = app.web_post(&mut c, "/login/totp", &[("code", wrong.as_str())]).await;
        assert!(r.body.contains("验证码不正确"), "{}", r.body);
    }
    for _ in 0..2 {
        let r = token_request(&app, "shengadmin", PASSWORD, Some(&wrong)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    }
    let fifth = token_request(&app, "shengadmin", PASSWORD, Some(&wrong)).await;
    assert_eq!(fifth.status, StatusCode::LOCKED, "2 on the page + 3 through the API lock: {}", fifth.body);
    let right = next_code("shengadmin");
    let r = app.web_post(&mut c, "/login/totp", &[("code", right.as_str())]).await;
    assert!(r.body.contains("账号已锁定"), "the waiting session is refused the right code: {} {}", r.status, r.body);
    assert_eq!(app.web_get(&mut c, "/home").await.location(), "/login", "and has ended");
}

async fn alive(app: &TestApp, token: &str) -> StatusCode {
    app.get("/api/v1/me", Some(token)).await.status
}

async fn page_of(app: &TestApp, c: &WebClient) -> String {
    let mut c = c.clone();
    let r = app.web_get(&mut c, "/home").await;
    if r.status == StatusCode::OK { "/home".into() } else { r.location() }
}

fn change(roles: Option<&[Role]>, status: Option<&str>) -> UserChange {
    UserChange {
        roles: roles.map(|r| r.iter().map(|r| r.id().to_string()).collect()),
        status: status.map(str::to_string),
        ..Default::default()
    }
}

/// Item 2: a token and a session of a user made an administrator end with the role change (they
/// used to go on with the new role and no second factor).
#[tokio::test]
async fn a_token_of_a_user_made_administrator_stops_working() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    let id = app.create_user("shengyuan", &[Role::ProvinceStaff], prov).await;
    let token = app.token("shengyuan").await;
    let web = app.web_session("shengyuan").await;
    assert_eq!(alive(&app, &token).await, StatusCode::OK);
    let roles = [Role::ProvinceAdmin, Role::ProvinceStaff];
    app.store.update_user(&Principal::system(), id, &change(Some(&roles), None), &Ctx::system()).await.expect("grant");
    assert_eq!(alive(&app, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(page_of(&app, &web).await, "/login");
    // Saving the same roles again changes nothing and ends nothing.
    let other = app.direct_token("shengyuan").await;
    app.store.update_user(&Principal::system(), id, &change(Some(&roles), None), &Ctx::system()).await.expect("same");
    assert_eq!(alive(&app, &other).await, StatusCode::OK);
}

/// Item 2: an `*_admin` role without a second factor completed in the session is refused at request
/// time, whatever the session says — here the role arrives outside any step, so nothing was revoked.
#[tokio::test]
async fn an_administrator_without_a_completed_second_factor_is_refused_at_request_time() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    let id = app.create_user("shengyuan", &[Role::ProvinceStaff], prov).await;
    let token = app.token("shengyuan").await;
    let web = app.web_session("shengyuan").await;
    use store::sea_orm::ConnectionTrait;
    app.store
        .db
        .execute_unprepared(&format!("INSERT INTO user_roles (user_id, role) VALUES ({id}, 'province_admin')"))
        .await
        .expect("role outside a step");
    assert_eq!(alive(&app, &token).await, StatusCode::UNAUTHORIZED, "the token was issued without a second factor");
    assert_eq!(page_of(&app, &web).await, "/account/totp", "the page session must do the second factor first");
}

/// Item 2: disabling ends every token; enabling again revives none (it used to revive them all).
#[tokio::test]
async fn a_disabled_then_enabled_user_keeps_its_old_token_dead() {
    let app = TestApp::spawn().await;
    let station = app.create_org("长沙测试考核站", "station", "430104").await;
    let id = app.create_user("zhangsan", &[Role::StationStaff], station).await;
    let token = app.token("zhangsan").await;
    let web = app.web_session("zhangsan").await;
    let sys = Principal::system();
    app.store.update_user(&sys, id, &change(None, Some("disabled")), &Ctx::system()).await.expect("disable");
    assert_eq!(alive(&app, &token).await, StatusCode::UNAUTHORIZED);
    app.store.update_user(&sys, id, &change(None, Some("active")), &Ctx::system()).await.expect("enable");
    assert_eq!(alive(&app, &token).await, StatusCode::UNAUTHORIZED, "the old token stays dead");
    assert_eq!(page_of(&app, &web).await, "/login", "the old session stays ended");
    let fresh = token_request(&app, "zhangsan", PASSWORD, None).await;
    assert_eq!(fresh.status, StatusCode::OK, "a new sign-in works: {}", fresh.body);
}

/// Item 2: a password reset and a second-factor reset end every session and token of the user.
#[tokio::test]
async fn a_password_reset_and_a_second_factor_reset_end_sessions() {
    let app = app_with_admin().await;
    let station = app.create_org("长沙测试考核站", "station", "430104").await;
    let staff = app.create_user("zhangsan", &[Role::StationStaff], station).await;
    let admin = app.user_id("shengadmin").await;
    let sys = Principal::system();
    let (staff_token, staff_web) = (app.token("zhangsan").await, app.web_session("zhangsan").await);
    app.store.reset_password(&sys, staff, "Temporary#Pass7", &Ctx::system()).await.expect("reset");
    assert_eq!(alive(&app, &staff_token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(page_of(&app, &staff_web).await, "/login");
    // The page first: it tries the code of the step before, the token request the step after.
    let admin_web = app.web_session("shengadmin").await;
    let admin_token = app.token("shengadmin").await;
    assert_eq!(alive(&app, &admin_token).await, StatusCode::OK);
    app.store.reset_totp(&sys, admin, &Ctx::system()).await.expect("reset totp");
    assert_eq!(alive(&app, &admin_token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(page_of(&app, &admin_web).await, "/login");
}

async fn new_account(app: &TestApp, username: &str) {
    let city = app.org_id("430100").await;
    let input = store::users::UserInput {
        username: username.into(),
        display_name: "新人".into(),
        org_id: Some(city),
        roles: vec!["city_staff".into()],
        password: PASSWORD.into(),
        ..Default::default()
    };
    app.store.create_user(&Principal::system(), &input, &Ctx::system()).await.expect("create");
}

async fn change_password(app: &TestApp, username: &str, current: &str, new: &str) -> testkit::Resp {
    let body = json!({ "username": username, "current_password": current, "new_password": new });
    app.post_json("/api/v1/auth/password", None, &body).await
}

async fn audited(app: &TestApp, action: &str) -> usize {
    use store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    store::entity::audit_log::Entity::find()
        .filter(store::entity::audit_log::Column::Action.eq(action))
        .all(&app.store.db)
        .await
        .expect("audit")
        .len()
}

/// Item 10: a user created by an operator (must change the password) changes it through the API and
/// then gets a token, with no web page on the way; a weak new password is refused naming the field.
#[tokio::test]
async fn a_new_account_changes_its_password_through_the_api_and_then_gets_a_token() {
    let app = TestApp::spawn().await;
    new_account(&app, "xinren").await;
    let before = token_request(&app, "xinren", PASSWORD, None).await;
    assert_eq!(before.error_code(), "PASSWORD_CHANGE_REQUIRED");
    let weak = change_password(&app, "xinren", PASSWORD, "short").await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", weak.body);
    let err = &weak.json()["errors"][0];
    assert_eq!(err["field"], "new_password", "{}", weak.body);
    assert!(err["detail"].as_str().unwrap_or_default().contains("密码至少 8 位"), "{}", weak.body);
    let same = change_password(&app, "xinren", PASSWORD, PASSWORD).await;
    assert_eq!(
        (same.status, same.json()["errors"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("new_password"))
    );
    let missing = app.post_json("/api/v1/auth/password", None, &json!({ "username": "xinren" })).await;
    let fields: Vec<String> = missing.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(fields, ["current_password", "new_password"], "{}", missing.body);
    let ok = change_password(&app, "xinren", PASSWORD, "Another#Pass9").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.json(), json!({ "username": "xinren", "must_change_password": false }));
    assert_eq!(audited(&app, "user.password_changed").await, 1, "audited as the page does");
    let token = token_request(&app, "xinren", "Another#Pass9", None).await;
    assert_eq!(token.status, StatusCode::OK, "{}", token.body);
    let old = token_request(&app, "xinren", PASSWORD, None).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
}

/// Item 10: a wrong current password counts towards the same lockout as the sign-in page.
#[tokio::test]
async fn a_wrong_current_password_counts_towards_the_lockout() {
    let app = TestApp::spawn().await;
    new_account(&app, "xinren").await;
    for _ in 0..4 {
        let r = change_password(&app, "xinren", "Wrong#Pass1", "Another#Pass9").await;
        assert_eq!((r.status, r.error_code()), (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS".into()), "{}", r.body);
        assert_eq!(r.json()["errors"][0]["field"], "current_password");
    }
    let (_, fifth) = app.web_login("xinren", "Wrong#Pass1").await;
    assert!(fifth.body.contains("账号已锁定"), "4 through the API + 1 on the page lock: {}", fifth.body);
    let right = change_password(&app, "xinren", PASSWORD, "Another#Pass9").await;
    assert_eq!((right.status, right.error_code()), (StatusCode::LOCKED, "ACCOUNT_LOCKED".into()));
    assert_eq!(audited(&app, "user.password_changed").await, 0);
}
