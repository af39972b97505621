//! Issue 10: a request costs a query or two, and what an instance keeps in memory never outlives the
//! change that makes it stale — on any instance. Resolving a known caller is one query (session, user
//! and the generations of accounts and policy together); a public page once rendered answers from the
//! cache after one query on the public generation and revalidates with `304`; two instances on one
//! database see sign-out, token revocation, disable, a role change, a new name, a new policy version
//! and a change of the public directory at the next request.

use domain::org::{Principal, Role};
use domain::stations::FilingState;
use http::{Method, StatusCode, header};
use serde_json::json;
use store::Ctx;
use store::users::UserChange;
use testkit::TestApp;

/// How `/api/v1/me` answers the token on `app`.
async fn ok(app: &TestApp, t: String) -> StatusCode {
    app.get("/api/v1/me", Some(&t)).await.status
}

/// The statements `f` sent to the database through `app`'s store.
async fn statements_of<F: std::future::Future<Output = testkit::Resp>>(app: &TestApp, f: F) -> (u64, testkit::Resp) {
    let before = app.store.statements();
    let r = f.await;
    (app.store.statements() - before, r)
}

async fn staff(app: &TestApp, username: &str) -> String {
    let prov = app.org_id("430000").await;
    app.create_user(username, &[Role::ProvinceStaff], prov).await;
    app.direct_token(username).await
}

/// A filed station written straight to the tables, with one project (the procedure is tested in
/// filings.rs).
async fn filed_station(app: &TestApp, name: &str, code: &str) -> i64 {
    crate::public_pages::station(app, name, code, "430104", &["米粉制作"], FilingState::Filed).await
}

#[tokio::test]
async fn i10_a_known_caller_costs_one_query() {
    let app = TestApp::spawn().await;
    let t = staff(&app, "sheng").await;
    // The first request of a caller reads who they are; the caches are warm after it.
    assert_eq!(app.get("/api/v1/me", Some(&t)).await.status, StatusCode::OK);
    let (n, me) = statements_of(&app, app.get("/api/v1/me", Some(&t))).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["username"], "sheng");
    assert_eq!(n, 1, "session, user, roles, scope and security policy in one query");
    // An unknown token costs the same one query and is refused.
    let (n, unknown) = statements_of(&app, app.get("/api/v1/me", Some(&"0".repeat(64)))).await;
    assert_eq!((n, unknown.status), (1, StatusCode::UNAUTHORIZED));
}

#[tokio::test]
async fn i10_a_public_page_once_rendered_costs_one_query_and_revalidates_with_304() {
    let app = TestApp::spawn().await;
    filed_station(&app, "长沙甲培训学校", "HN010001").await;
    let first = app.get("/stations", None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("长沙甲培训学校"), "{}", first.body);
    let etag = first.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).expect("an ETag").to_string();
    let modified = first.headers.get(header::LAST_MODIFIED).and_then(|v| v.to_str().ok()).expect("Last-Modified");
    assert!(modified.ends_with(" GMT"), "an HTTP date: {modified}");
    assert_eq!(first.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-cache"));
    let (n, again) = statements_of(&app, app.get("/stations", None)).await;
    assert_eq!((n, again.status, &again.body), (1, StatusCode::OK, &first.body), "from the cache, the same page");
    let (n, revalidated) =
        statements_of(&app, app.request(Method::GET, "/stations", &[("if-none-match", etag.clone())], "".into())).await;
    assert_eq!((n, revalidated.status, revalidated.body.as_str()), (1, StatusCode::NOT_MODIFIED, ""));
    let since = app.request(Method::GET, "/stations", &[("if-modified-since", modified.to_string())], "".into()).await;
    assert_eq!(since.status, StatusCode::NOT_MODIFIED);
    // Another address is another page.
    let other = app.get("/stations?q=HN999", None).await;
    assert!(!other.body.contains("长沙甲培训学校"), "{}", other.body);
    // A stale validator gets the page.
    let stale = app.request(Method::GET, "/stations", &[("if-none-match", "\"p0-20000101\"".into())], "".into()).await;
    assert_eq!(stale.status, StatusCode::OK);
    // Staff pages are never cached.
    let t = staff(&app, "sheng").await;
    let list = app.get("/api/v1/filings", Some(&t)).await;
    assert!(list.headers.get(header::ETAG).is_none(), "a staff list carries no public validator");
}

#[tokio::test]
async fn i10_two_instances_see_sign_out_revocation_disable_and_role_changes_at_the_next_request() {
    let (a, b) = TestApp::spawn_pair().await;
    let prov = a.org_id("430000").await;
    for u in ["out", "revoked", "disabled", "promoted"] {
        a.create_user(u, &[Role::ProvinceStaff], prov).await;
    }
    // Both instances know each caller (their caches are warm).
    let mut tokens = Vec::new();
    for u in ["out", "revoked", "disabled", "promoted"] {
        let t = a.direct_token(u).await;
        assert_eq!(ok(&a, t.clone()).await, StatusCode::OK);
        assert_eq!(ok(&b, t.clone()).await, StatusCode::OK);
        tokens.push(t);
    }
    let web = a.direct_web("out").await;
    let cookie = format!("kaohe_session={}", web.cookies["kaohe_session"]);
    assert_eq!(a.get_with_cookie("/home", &cookie).await.status, StatusCode::OK);
    // Sign-out on B ends the web session on A.
    let signed_out = b.store.revoke_session(&web.cookies["kaohe_session"], &Ctx::system()).await.expect("sign out");
    assert!(signed_out);
    let after = a.get_with_cookie("/home", &cookie).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "back to the sign-in: {}", after.body);
    // A token revoked through B is dead on A.
    let del = b
        .request(Method::DELETE, "/api/v1/auth/token", &[("authorization", format!("Bearer {}", tokens[1]))], "".into())
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    assert_eq!(ok(&a, tokens[1].clone()).await, StatusCode::UNAUTHORIZED);
    // Disabled on B: refused on A.
    let id = b.user_id("disabled").await;
    let change = UserChange { status: Some("disabled".into()), ..Default::default() };
    b.store.update_user(&Principal::system(), id, &change, &Ctx::system()).await.expect("disable");
    assert_eq!(ok(&a, tokens[2].clone()).await, StatusCode::UNAUTHORIZED);
    // A role changed on B: the old token ends on A, and a new one carries the new role there.
    let id = b.user_id("promoted").await;
    let change =
        UserChange { roles: Some(vec!["province_staff".into(), "qbank_officer".into()]), ..Default::default() };
    b.store.update_user(&Principal::system(), id, &change, &Ctx::system()).await.expect("grant");
    assert_eq!(ok(&a, tokens[3].clone()).await, StatusCode::UNAUTHORIZED);
    let fresh = b.direct_token("promoted").await;
    let me = a.get("/api/v1/me", Some(&fresh)).await.json();
    assert_eq!(me["roles"], json!(["province_staff", "qbank_officer"]), "{me}");
    // Untouched callers go on.
    assert_eq!(ok(&a, tokens[0].clone()).await, StatusCode::OK);
}

#[tokio::test]
async fn i10_a_new_name_and_a_new_policy_version_made_on_one_instance_hold_on_the_other_at_once() {
    let (a, b) = TestApp::spawn_pair().await;
    let t = staff(&a, "sheng").await;
    assert_eq!(a.get("/api/v1/me", Some(&t)).await.json()["display_name"], "测试用户");
    let id = b.user_id("sheng").await;
    let change = UserChange { display_name: Some("王建国".into()), ..Default::default() };
    b.store.update_user(&Principal::system(), id, &change, &Ctx::system()).await.expect("rename");
    assert_eq!(
        a.get("/api/v1/me", Some(&t)).await.json()["display_name"],
        "王建国",
        "the cached caller was read again"
    );
    // Security policy: a version published today through B is in force on A at its next use.
    assert_eq!(a.store.security_settings().await.expect("settings").password_min_length, 8);
    b.store
        .add_policy_version(
            &Principal::system(),
            domain::policy::keys::PASSWORD_MIN_LENGTH,
            "12",
            Some(store::today()),
            "测试：密码长度要求提高",
            &Ctx::system(),
        )
        .await
        .expect("publish");
    assert_eq!(a.store.security_settings().await.expect("settings").password_min_length, 12);
}

#[tokio::test]
async fn i10_a_public_page_kept_by_one_instance_changes_when_the_other_suspends_the_station() {
    let (a, b) = TestApp::spawn_pair().await;
    let id = filed_station(&a, "长沙甲培训学校", "HN010001").await;
    for app in [&a, &b] {
        assert!(app.get("/stations", None).await.body.contains("长沙甲培训学校"));
        assert_eq!(app.get("/api/v1/stations", None).await.json()["total"], 1);
    }
    let etag = a.get("/stations", None).await.headers[header::ETAG].to_str().expect("etag").to_string();
    let t = staff(&b, "sheng").await;
    let r = b
        .post_json(&format!("/api/v1/filings/{id}/actions"), Some(&t), &json!({"kind":"suspend","reason":"年检不合格"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!a.get("/stations", None).await.body.contains("长沙甲培训学校"), "A renders the directory again");
    assert_eq!(a.get("/api/v1/stations", None).await.json()["total"], 0);
    assert_eq!(a.get("/stations/HN010001", None).await.status, StatusCode::NOT_FOUND);
    let revalidated = a.request(Method::GET, "/stations", &[("if-none-match", etag)], "".into()).await;
    assert_eq!(revalidated.status, StatusCode::OK, "the old validator no longer matches");
}

#[tokio::test]
async fn i10_a_staff_list_once_read_costs_the_caller_alone() {
    let app = TestApp::spawn().await;
    let t = staff(&app, "sheng").await;
    for i in 0..3 {
        filed_station(&app, &format!("长沙{i}号培训学校"), &format!("HN01000{i}")).await;
    }
    assert_eq!(app.get("/api/v1/me", Some(&t)).await.status, StatusCode::OK);
    // Read: no lookup per row — caller, generation, count, page, the page's projects.
    let (n, first) = statements_of(&app, app.get("/api/v1/filings", Some(&t))).await;
    assert_eq!(first.json()["total"], 3, "{}", first.body);
    assert_eq!(n, 4, "caller (with the generations), count, page, the page's projects");
    // Kept: the caller's query, which read the generation that says the page still stands.
    let (n, again) = statements_of(&app, app.get("/api/v1/filings", Some(&t))).await;
    assert_eq!((n, &again.body), (1, &first.body), "the same page, from the cache");
    // Another filter or page is another entry.
    let (n, other) = statements_of(&app, app.get("/api/v1/filings?state=submitted", Some(&t))).await;
    assert_eq!((n, other.json()["total"].clone()), (3, json!(0)), "{}", other.body);
    // The page reads the same kept list, and the menu's to-do count beside it.
    let mut web = app.direct_web("sheng").await;
    app.web_get(&mut web, "/filings").await;
    let before = app.store.statements();
    let page = app.web_get(&mut web, "/filings").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("长沙2号培训学校"), "{}", page.body);
    let n = app.store.statements() - before;
    assert!(n <= 2, "the caller and at most the menu's to-do count: {n}");
}

/// S5: a staff list kept by one instance shows a step taken through the other at its next request.
#[tokio::test]
async fn i10_a_staff_list_kept_by_one_instance_shows_the_others_step_at_once() {
    let (a, b) = TestApp::spawn_pair().await;
    let id = filed_station(&a, "长沙甲培训学校", "HN010001").await;
    let ta = staff(&a, "sheng").await;
    let tb = b.direct_token("sheng").await;
    let state_on_a = || async { a.get("/api/v1/filings", Some(&ta)).await.json()["items"][0]["state"].clone() };
    assert_eq!(state_on_a().await, json!("filed"));
    assert_eq!(state_on_a().await, json!("filed"), "kept");
    let r = b
        .post_json(
            &format!("/api/v1/filings/{id}/actions"),
            Some(&tb),
            &json!({"kind":"suspend","reason":"年检不合格"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(state_on_a().await, json!("suspended"), "A reads the list again after B's step");
    let suspended = a.get("/api/v1/filings?state=suspended", Some(&ta)).await;
    assert_eq!(suspended.json()["total"], 1, "{}", suspended.body);
}

/// S3: a year of holidays entered through one instance counts in the other's working days at once
/// (the calendar is kept per calendar generation).
#[tokio::test]
async fn s3_a_year_entered_on_one_instance_counts_on_the_other_at_once() {
    let (a, b) = TestApp::spawn_pair().await;
    let year = a.store.calendar().await.expect("calendar").years().last().copied().expect("a seeded year") + 1;
    let first = time::Date::from_calendar_date(year, time::Month::January, 5).expect("date");
    assert!(a.store.calendar().await.expect("calendar").add_working_days(first, 1).is_err(), "{year} is not known yet");
    let arrangement = domain::calendar::YearArrangement {
        holidays: vec![domain::calendar::Holiday { name: "测试假日".into(), start: first, end: first }],
        workdays: vec![],
    };
    b.store.set_calendar_year(&Principal::system(), year, arrangement, &Ctx::system()).await.expect("enter the year");
    let cal = a.store.calendar().await.expect("calendar");
    assert!(cal.year(year).is_some(), "A reads the year B entered");
    assert_eq!(cal.is_working_day(first), Ok(false), "the holiday entered on B is a holiday on A");
}

/// A request that changes filings reads its own change: the generation it saw at its start is
/// forgotten when its step bumps it (`store::cache::Seen`), so a list read after the step is fresh.
#[tokio::test]
async fn i10_a_request_that_takes_a_step_reads_the_list_after_its_own_change() {
    let app = TestApp::spawn().await;
    let id = filed_station(&app, "长沙甲培训学校", "HN010001").await;
    staff(&app, "sheng").await;
    let p = app.principal("sheng").await;
    let page = store::PageReq::new(None, None);
    let all = store::filings::FilingQuery::default();
    let state = |list: store::Page<store::filings::FilingSummary>| list.items[0].state;
    // What a request's caller query read: every generation as it stands.
    let t = app.direct_token("sheng").await;
    let seen =
        app.store.resolve_session(&t, domain::org::SessionKind::Api).await.expect("resolve").expect("known").seen;
    store::cache::with_seen(seen, async {
        assert_eq!(state(app.store.list_filings(&p, &all, page).await.expect("list")), FilingState::Filed);
        let suspend = store::filings::FilingActionInput {
            kind: "suspend".into(),
            reason: "年检不合格".into(),
            ..Default::default()
        };
        app.store.act_on_filing(&p, id, &suspend, &Ctx::system()).await.expect("suspend");
        assert_eq!(
            state(app.store.list_filings(&p, &all, page).await.expect("list")),
            FilingState::Suspended,
            "the step's own change, not the page kept at the generation seen before it"
        );
    })
    .await;
}

/// P3 (issue 10): a staff list of projects kept by one instance shows, at its next read, a unit renamed
/// and a draft changed through the other instance (the projects generation, which organisation changes
/// bump too, since the list shows the unit's name).
#[tokio::test]
async fn i10_p3_a_kept_project_list_shows_a_renamed_unit_and_the_others_change() {
    let (a, b) = TestApp::spawn_pair().await;
    let unit = a.create_org("长沙丙开发单位", "devunit", "430105").await;
    a.create_user("kaifa", &[Role::DevunitStaff], unit).await;
    let p = a.principal("kaifa").await;
    let mut spec = domain::projects::SpecificationInput::example();
    let id = a.store.create_project(&p, &spec, &Ctx::system()).await.expect("draft");
    let all = store::projects::ProjectQuery::default();
    let page = store::PageReq::new(None, None);
    let first = |app: &TestApp| {
        let p = p.clone();
        let all = all.clone();
        let store = app.store.clone();
        async move { store.list_projects(&p, &all, page).await.expect("list").items.remove(0) }
    };
    assert_eq!(first(&a).await.devunit_name, "长沙丙开发单位");
    let before = a.store.statements();
    assert_eq!(first(&a).await.name, spec.name, "kept");
    assert_eq!(a.store.statements() - before, 1, "only the generation is read outside a request");
    // A new name for the unit, through B.
    let o = b.store.get_org(&Principal::system(), unit).await.expect("org");
    let input = store::orgs::OrgInput {
        name: "长沙丙职业培训学校".into(),
        kind: o.kind.id().to_string(),
        nature: o.nature.map(|n| n.id().to_string()).unwrap_or_default(),
        credit_code: o.credit_code.clone().unwrap_or_default(),
        accept_credit_warning: o.credit_code_warning,
        region_code: o.region_code.clone(),
        address: o.address.clone(),
        contact_name: o.contact_name.clone(),
        contact_phone: o.contact_phone.clone(),
    };
    b.store.update_org(&Principal::system(), unit, &input, &Ctx::system()).await.expect("rename");
    assert_eq!(first(&a).await.devunit_name, "长沙丙职业培训学校");
    // The draft renamed through B.
    spec.name = "米粉制作".into();
    b.store.update_project(&p, id, &spec, &Ctx::system()).await.expect("edit");
    assert_eq!(first(&a).await.name, "米粉制作");
}
