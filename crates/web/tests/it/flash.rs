//! Issue 9 items 4 and 14: what a page says after a step comes from a one-time message kept on the
//! server, never from the address bar; sign-in returns to the page asked for (local paths only); an
//! upload's CSRF token travels in its body, not its URL.

use domain::org::Role;
use http::{Method, StatusCode};
use testkit::{PASSWORD, TOTP_SECRET, TestApp, WebClient, csrf_of, totp_code};

const SUBMITTED: &str = "备案申请已提交，等待受理中心受理。";

/// A station with its staff member `zhan` and a draft application of theirs (materials attached).
async fn station_with_draft() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    let station = app.create_org("长沙湘味职业培训学校", "station", "430104").await;
    app.create_user("zhan", &[Role::StationStaff], station).await;
    let p = app.principal("zhan").await;
    app.catalog_example_projects().await;
    let input = testkit::application("长沙湘味职业培训学校", "other_unit", "430104");
    let id = app.store.create_filing(&p, &input, &store::Ctx::system()).await.expect("draft");
    app.attach_materials("zhan", id).await;
    (app, id)
}

fn banners(body: &str) -> usize {
    body.matches("class=\"alert alert-ok\"").count() + body.matches("class=\"alert alert-error\"").count()
}

/// A multipart upload of a material with `fields` first, posted to `path` with the client's cookies.
async fn upload(app: &TestApp, c: &WebClient, path: &str, fields: &[(&str, &str)], bytes: &[u8]) -> testkit::Resp {
    let (content_type, body) = testkit::multipart(fields, "材料.pdf", bytes);
    let cookie = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let h = [("cookie", cookie), ("content-type", content_type)];
    app.request(Method::POST, path, &h, body.into()).await
}

#[tokio::test]
async fn i9_4_a_crafted_done_or_upload_error_in_the_address_shows_no_banner() {
    let (app, id) = station_with_draft().await;
    let mut c = app.direct_web("zhan").await;
    for path in [
        format!("/filings/{id}?done=filing_submit"),
        format!("/filings/{id}?upload_error=%E4%BC%AA%E9%80%A0"),
        "/filings?done=filing_submit&upload_error=%E4%BC%AA%E9%80%A0".to_string(),
        "/home?done=password".to_string(),
    ] {
        let r = app.web_get(&mut c, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(banners(&r.body), 0, "{path} shows no message: {}", r.body);
        assert!(!r.body.contains(SUBMITTED) && !r.body.contains("伪造"), "{path}");
    }
}

#[tokio::test]
async fn i9_4_a_real_submit_shows_its_notice_once_and_only_to_its_own_session() {
    let (app, id) = station_with_draft().await;
    let mut c = app.direct_web("zhan").await;
    let mut other = app.direct_web("zhan").await;
    let r = app.web_post(&mut c, &format!("/filings/{id}/actions"), &[("kind", "submit")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/filings/{id}"), "the address carries no message");
    // Another session of the same user, in between, sees nothing and takes nothing.
    let elsewhere = app.web_get(&mut other, &format!("/filings/{id}")).await;
    assert!(!elsewhere.body.contains(SUBMITTED));
    assert_eq!(banners(&elsewhere.body), 0);
    let page = app.web_get(&mut c, &r.location()).await;
    assert!(
        page.body.contains(&format!("<div class=\"alert alert-ok\" role=\"status\">{SUBMITTED}</div>")),
        "{}",
        page.body
    );
    let reload = app.web_get(&mut c, &r.location()).await;
    assert_eq!(reload.status, StatusCode::OK);
    assert!(!reload.body.contains(SUBMITTED), "shown once, not on reload");
    assert_eq!(banners(&reload.body), 0);
}

#[tokio::test]
async fn i9_4_a_refused_upload_shows_its_reason_once() {
    let (app, id) = station_with_draft().await;
    let mut c = app.direct_web("zhan").await;
    let path = format!("/filings/{id}/attachments");
    let r =
        upload(&app, &c, &path, &[("csrf", &c.csrf.clone()), ("kind", "management_rules")], b"MZ not a document").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/filings/{id}"), "no reason in the address");
    let page = app.web_get(&mut c, &r.location()).await;
    let start = page.body.find("<div class=\"alert alert-error\" role=\"alert\">未能办理：").unwrap_or_else(|| {
        panic!("the reason is shown: {}", page.body);
    });
    assert!(page.body[start..].len() > 60, "with its reason");
    let reload = app.web_get(&mut c, &r.location()).await;
    assert!(!reload.body.contains("未能办理"), "shown once");
    // An upload that is accepted says so once too.
    let ok = upload(&app, &c, &path, &[("csrf", &c.csrf.clone()), ("kind", "management_rules")], testkit::PDF).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(app.web_get(&mut c, &ok.location()).await.body.contains("附件已上传。"));
    assert!(!app.web_get(&mut c, &ok.location()).await.body.contains("附件已上传。"));
}

#[tokio::test]
async fn i9_14_an_upload_carries_its_csrf_token_first_in_its_body_never_in_its_url() {
    let (app, id) = station_with_draft().await;
    let mut c = app.direct_web("zhan").await;
    let page = app.web_get(&mut c, &format!("/filings/{id}")).await;
    assert!(!page.body.contains("?csrf="), "no token in any address of the page");
    assert!(
        page.body.contains(&format!(
            "action=\"/filings/{id}/attachments\" enctype=\"multipart/form-data\">\n  <input type=\"hidden\" name=\"csrf\""
        )),
        "the token is the form's first field: {}",
        page.body
    );
    let path = format!("/filings/{id}/attachments");
    let csrf = c.csrf.clone();
    let files =
        || async { app.store.list_filing_attachments(&app.principal("zhan").await, id).await.expect("list").len() };
    let before = files().await;
    for (what, path, fields) in [
        ("no token", path.clone(), vec![("kind", "management_rules")]),
        ("a wrong token", path.clone(), vec![("csrf", "0123456789abcdef"), ("kind", "management_rules")]),
        ("the token in the URL only", format!("{path}?csrf={csrf}"), vec![("kind", "management_rules")]),
        ("the token after another field", path.clone(), vec![("kind", "management_rules"), ("csrf", csrf.as_str())]),
    ] {
        let r = upload(&app, &c, &path, &fields, testkit::PDF).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}");
    }
    assert_eq!(files().await, before, "nothing was stored");
    let r = upload(&app, &c, &path, &[("csrf", &csrf), ("kind", "management_rules")], testkit::PDF).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the token first in the body: {}", r.body);
    assert_eq!(files().await, before + 1);
    // The experts' import form too.
    let sheng = app.org_id("430000").await;
    app.create_user("sheng", &[Role::ProvinceStaff], sheng).await;
    let mut s = app.direct_web("sheng").await;
    let form = app.web_get(&mut s, "/admin/experts/import").await;
    assert!(!form.body.contains("?csrf="));
    let scsrf = s.csrf.clone();
    let url_only = upload(&app, &s, &format!("/admin/experts/import?csrf={scsrf}"), &[], b"x").await;
    assert_eq!(url_only.status, StatusCode::FORBIDDEN);
    let in_body = upload(&app, &s, "/admin/experts/import", &[("csrf", &scsrf)], b"x").await;
    assert_eq!(in_body.status, StatusCode::UNPROCESSABLE_ENTITY, "accepted and read: not a spreadsheet");
}

/// The sign-in form as asked for by `login_path`: a client with its pre-session cookie and token.
async fn sign_in_form(app: &TestApp, login_path: &str) -> (WebClient, testkit::Resp) {
    let mut c = WebClient::default();
    let form = app.get(login_path, None).await;
    assert_eq!(form.status, StatusCode::OK, "{login_path}");
    c.csrf = csrf_of(&form.body);
    if let Some(pre) = form.cookie("kaohe_pre") {
        c.cookies.insert("kaohe_pre".into(), pre);
    }
    (c, form)
}

#[tokio::test]
async fn i9_14_sign_in_returns_to_the_page_asked_for() {
    let (app, id) = station_with_draft().await;
    let asked = app.get(&format!("/filings/{id}?tab=materials"), None).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert_eq!(asked.location(), format!("/login?next=%2Ffilings%2F{id}%3Ftab%3Dmaterials"));
    let (mut c, form) = sign_in_form(&app, &asked.location()).await;
    assert!(
        form.body.contains(&format!("<input type=\"hidden\" name=\"next\" value=\"/filings/{id}?tab=materials\">"))
    );
    let next = format!("/filings/{id}?tab=materials");
    let r = app.web_post(&mut c, "/login", &[("username", "zhan"), ("password", PASSWORD), ("next", &next)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), next);
    assert_eq!(app.web_get(&mut c, &next).await.status, StatusCode::OK);
    // A wrong password keeps the page asked for in the form.
    let (mut c, _) = sign_in_form(&app, &asked.location()).await;
    let wrong = app.web_post(&mut c, "/login", &[("username", "zhan"), ("password", "x"), ("next", &next)]).await;
    assert!(wrong.body.contains(&format!("name=\"next\" value=\"/filings/{id}?tab=materials\"")));
    // The 工作台 needs no detour.
    assert_eq!(app.get("/home", None).await.location(), "/login");
}

#[tokio::test]
async fn i9_14_the_page_asked_for_survives_the_second_factor() {
    let app = TestApp::spawn().await;
    let sys = app.org_id("430000").await;
    app.create_user("xitong", &[Role::SystemAdmin], sys).await;
    let asked = app.get("/admin/users", None).await;
    assert_eq!(asked.location(), "/login?next=%2Fadmin%2Fusers");
    let (mut c, _) = sign_in_form(&app, &asked.location()).await;
    let r = app
        .web_post(&mut c, "/login", &[("username", "xitong"), ("password", PASSWORD), ("next", "/admin/users")])
        .await;
    assert_eq!(r.location(), "/login/totp?next=%2Fadmin%2Fusers");
    let totp = app.web_get(&mut c, &r.location()).await;
    assert!(totp.body.contains("<input type=\"hidden\" name=\"next\" value=\"/admin/users\">"), "{}", totp.body);
    let mut landed = String::new();
    for offset in [-1, 0, 1] {
        let code = totp_code(TOTP_SECRET, "xitong", offset);
        let v = app.web_post(&mut c, "/login/totp", &[("code", &code), ("next", "/admin/users")]).await;
        if v.status == StatusCode::SEE_OTHER {
            landed = v.location();
            break;
        }
    }
    assert_eq!(landed, "/admin/users");
    assert_eq!(app.web_get(&mut c, "/admin/users").await.status, StatusCode::OK);
}

/// A new administrator's first sign-in passes through enrolling the second factor and the forced
/// password change; the page asked for survives both (issue 9 item 14).
#[tokio::test]
async fn i9_14_the_page_asked_for_survives_enrolment_and_the_forced_password_change() {
    let app = TestApp::spawn().await;
    let input = store::users::UserInput {
        username: "xinguan".into(),
        display_name: "新管理员".into(),
        org_id: Some(app.org_id("430000").await),
        roles: vec![Role::SystemAdmin.id().to_string()],
        password: PASSWORD.into(),
        ..Default::default()
    };
    let id =
        app.store.create_user(&domain::org::Principal::system(), &input, &store::Ctx::system()).await.expect("user");
    let (mut c, _) = sign_in_form(&app, "/login?next=%2Fadmin%2Fusers").await;
    let r = app
        .web_post(&mut c, "/login", &[("username", "xinguan"), ("password", PASSWORD), ("next", "/admin/users")])
        .await;
    assert_eq!(r.location(), "/account/totp?next=%2Fadmin%2Fusers");
    let page = app.web_get(&mut c, &r.location()).await;
    assert!(page.body.contains("<input type=\"hidden\" name=\"next\" value=\"/admin/users\">"), "{}", page.body);
    let secret = app.store.totp_secret(id).await.expect("secret").expect("enrolment secret");
    let mut next_step = String::new();
    for offset in [-1, 0, 1] {
        let code = totp_code(&secret, "xinguan", offset);
        let v = app.web_post(&mut c, "/account/totp", &[("code", &code), ("next", "/admin/users")]).await;
        if v.status == StatusCode::SEE_OTHER {
            next_step = v.location();
            break;
        }
    }
    assert_eq!(next_step, "/account/password?next=%2Fadmin%2Fusers");
    let page = app.web_get(&mut c, &next_step).await;
    assert!(page.body.contains("<input type=\"hidden\" name=\"next\" value=\"/admin/users\">"), "{}", page.body);
    let new = "Another#Pass2026";
    let form =
        [("current_password", PASSWORD), ("new_password", new), ("confirm_password", new), ("next", "/admin/users")];
    let r = app.web_post(&mut c, "/account/password", &form).await;
    assert_eq!(r.location(), "/admin/users", "{}", r.body);
    assert_eq!(app.web_get(&mut c, "/admin/users").await.status, StatusCode::OK);
    // A foreign `next` posted with the change lands on the 工作台.
    let form = [
        ("current_password", new),
        ("new_password", PASSWORD),
        ("confirm_password", PASSWORD),
        ("next", "//evil.example"),
    ];
    assert_eq!(app.web_post(&mut c, "/account/password", &form).await.location(), "/home");
}

#[tokio::test]
async fn i9_14_sign_in_lands_on_the_home_page_for_anything_but_a_local_path() {
    let (app, _) = station_with_draft().await;
    for next in [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example/filings",
        "/filings\n/x",
        "",
    ] {
        let q = serde_urlencoded::to_string([("next", next)]).expect("query");
        let (mut c, form) = sign_in_form(&app, &format!("/login?{q}")).await;
        assert!(!form.body.contains("name=\"next\""), "{next:?} is not carried");
        let r = app.web_post(&mut c, "/login", &[("username", "zhan"), ("password", PASSWORD), ("next", next)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}: {}", r.body);
        assert_eq!(r.location(), "/home", "{next:?}");
    }
}
