//! Organisations and users (R1, R2): scope, grants, personal data, search, paging, export.

use domain::org::Role;
use http::StatusCode;
use serde_json::json;
use testkit::TestApp;

async fn city_app() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let changsha = app.org_id("430100").await;
    app.create_user("cs_admin", &[Role::CityAdmin], changsha).await;
    let t = app.direct_token("cs_admin").await;
    (app, t)
}

fn station(name: &str, code: &str, region: &str) -> serde_json::Value {
    json!({"name":name,"kind":"station","nature":"enterprise","credit_code":code,"region_code":region,
        "address":"湖南省某市某区某路 1 号","contact_name":"张三","contact_phone":"0731-84567890"})
}

#[tokio::test]
async fn r2_a_city_registers_stations_only_in_its_own_region() {
    let (app, t) = city_app().await;
    let ok = app.post_json("/api/v1/orgs", Some(&t), &station("岳麓考核站", "91310115MA1K3BTP2B", "430104")).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let other = app.post_json("/api/v1/orgs", Some(&t), &station("株洲考核站", "9144030071526726XG", "430202")).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.error_code(), "REGION_OUT_OF_SCOPE");
}

#[tokio::test]
async fn r2_a_city_lists_only_its_own_region() {
    let (app, t) = city_app().await;
    app.create_org("长沙一号站", "station", "430104").await;
    app.create_org("株洲一号站", "station", "430202").await;
    let list = app.get("/api/v1/orgs?per_page=200", Some(&t)).await.json();
    let names: Vec<String> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(names.contains(&"长沙一号站".to_string()));
    assert!(!names.iter().any(|n| n.contains("株洲")), "{names:?}");
}

#[tokio::test]
async fn only_the_province_accepts_a_credit_code_with_a_warning() {
    let (app, t) = city_app().await;
    let mut body = station("试点代码站", "91110000600037341N", "430104");
    body["accept_credit_warning"] = json!(true);
    let city = app.post_json("/api/v1/orgs", Some(&t), &body).await;
    assert_eq!(city.error_code(), "CREDIT_CODE_WARNING_PROVINCE_ONLY");
    let prov = app.org_id("430000").await;
    app.create_user("sheng", &[Role::ProvinceAdmin], prov).await;
    let pt = app.direct_token("sheng").await;
    let r = app.post_json("/api/v1/orgs", Some(&pt), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let org = app.get(&format!("/api/v1/orgs/{id}"), Some(&pt)).await.json();
    assert_eq!(org["credit_code_warning"], true);
}

#[tokio::test]
async fn a_city_admin_cannot_grant_province_or_administrator_roles() {
    let (app, t) = city_app().await;
    let station = app.create_org("长沙二号站", "station", "430104").await;
    let body = json!({"username":"wang5","display_name":"王五","org_id":station,"roles":["province_admin"],"password":"Good#Pass2026"});
    let r = app.post_json("/api/v1/users", Some(&t), &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_code(), "ROLE_INVALID");
    let mut ok = body.clone();
    ok["roles"] = json!(["station_staff"]);
    assert_eq!(app.post_json("/api/v1/users", Some(&t), &ok).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_separated_administrators_are_different_people() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("anquan", &[Role::SecurityAdmin], prov).await;
    let target = app.create_user("both", &[Role::ProvinceStaff], prov).await;
    let t = app.direct_token("anquan").await;
    let body = json!({"roles":["system_admin","audit_admin"]});
    let r = app.send_json(http::Method::PATCH, &format!("/api/v1/users/{target}"), Some(&t), &body).await;
    assert_eq!(r.error_code(), "ROLE_INVALID");
}

/// 三员分立: the security administrator, who grants every role, grants none to itself — not even an
/// operational role beside its own (issue 8 item 9).
#[tokio::test]
async fn r2_the_security_admin_grants_no_role_to_itself() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    let me = app.create_user("anquan", &[Role::SecurityAdmin], prov).await;
    let t = app.direct_token("anquan").await;
    let path = format!("/api/v1/users/{me}");
    for roles in [json!(["security_admin", "province_staff"]), json!(["province_admin"])] {
        let r = app.send_json(http::Method::PATCH, &path, Some(&t), &json!({ "roles": roles })).await;
        assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "SELF_CHANGE"), "{roles}");
        assert!(r.body.contains("不能修改本人的角色"), "{}", r.body);
    }
    let r = app.get(&path, Some(&t)).await;
    assert_eq!(r.json()["roles"], json!(["security_admin"]));
}

/// 三员分立 (issue 8 item 9, GB/T 22239-2019 level 3): the system administrator keeps accounts but
/// grants no role; the security administrator grants roles but keeps no account; the audit
/// administrator reads the accounts to review them and changes nothing.
#[tokio::test]
async fn r2_the_system_admin_keeps_accounts_the_security_admin_grants_roles_the_audit_admin_reviews() {
    let app = TestApp::spawn().await;
    let prov = app.org_id("430000").await;
    app.create_user("xitong", &[Role::SystemAdmin], prov).await;
    app.create_user("anquan", &[Role::SecurityAdmin], prov).await;
    app.create_user("shenji", &[Role::AuditAdmin], prov).await;
    let (sys, sec, aud) =
        (app.direct_token("xitong").await, app.direct_token("anquan").await, app.direct_token("shenji").await);
    let account = |roles: serde_json::Value| json!({"username":"xinren","display_name":"新人","org_id":prov,"roles":roles,"password":"Good#Pass2026"});
    // The system administrator may not hand out a role with the account…
    let r = app.post_json("/api/v1/users", Some(&sys), &account(json!(["province_staff"]))).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "ROLE_NOT_GRANTABLE"));
    assert!(r.body.contains("安全管理员"), "{}", r.body);
    // …creates it without any…
    let r = app.post_json("/api/v1/users", Some(&sys), &account(json!([]))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let path = format!("/api/v1/users/{id}");
    // …and may change its name, but not its roles.
    let r = app.send_json(http::Method::PATCH, &path, Some(&sys), &json!({"display_name":"新同事"})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = app.send_json(http::Method::PATCH, &path, Some(&sys), &json!({"roles":["province_staff"]})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The security administrator creates no account and changes no name, but grants the role.
    assert_eq!(app.post_json("/api/v1/users", Some(&sec), &account(json!([]))).await.status, StatusCode::FORBIDDEN);
    let r = app.send_json(http::Method::PATCH, &path, Some(&sec), &json!({"display_name":"改名"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.send_json(http::Method::PATCH, &path, Some(&sec), &json!({"roles":["province_staff"]})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // The audit administrator sees the grant and can change nothing.
    let r = app.get(&path, Some(&aud)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["roles"], json!(["province_staff"]));
    assert_eq!(r.json()["display_name"], "新同事");
    for body in [json!({"display_name":"审计"}), json!({"roles":["candidate"]})] {
        assert_eq!(app.send_json(http::Method::PATCH, &path, Some(&aud), &body).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.post_json("/api/v1/users", Some(&aud), &account(json!([]))).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn id_numbers_are_encrypted_at_rest_and_masked_on_screen() {
    let (app, t) = city_app().await;
    let station = app.create_org("长沙三号站", "station", "430104").await;
    let body = json!({"username":"kaosheng1","display_name":"李四","org_id":station,"roles":["candidate"],"password":"Good#Pass2026","id_number":"11010519491231002X"});
    let r = app.post_json("/api/v1/users", Some(&t), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let view = app.get(&format!("/api/v1/users/{id}"), Some(&t)).await;
    assert!(!view.body.contains("11010519491231002X"));
    assert_eq!(view.json()["id_number_masked"], "110***********002X");
    use store::sea_orm::{ConnectionTrait, Statement};
    let row = app
        .store
        .db
        .query_one_raw(Statement::from_string(
            app.store.backend(),
            format!("SELECT id_number_enc, id_number_idx FROM users WHERE id = {id}"),
        ))
        .await
        .expect("query")
        .expect("row");
    let enc: String = row.try_get("", "id_number_enc").expect("enc");
    let idx: String = row.try_get("", "id_number_idx").expect("idx");
    assert!(enc.starts_with("sm4-gcm:") && !enc.contains("11010519491231002X"), "{enc}");
    assert!(idx.starts_with("hmac-sm3:"));
    let bad = json!({"username":"kaosheng2","display_name":"李五","org_id":station,"roles":["candidate"],"password":"Good#Pass2026","id_number":"11010519491231002Y"});
    let r = app.post_json("/api/v1/users", Some(&t), &bad).await;
    assert_eq!(r.json()["errors"][0]["field"], "id_number");
}

#[tokio::test]
async fn the_user_list_searches_and_pages() {
    let (app, t) = city_app().await;
    let station = app.create_org("长沙四号站", "station", "430104").await;
    for i in 0..25 {
        app.create_user(&format!("zhan{i:02}"), &[Role::StationStaff], station).await;
    }
    let p1 = app.get("/api/v1/users?q=zhan&per_page=10", Some(&t)).await.json();
    assert_eq!(p1["total"], 25);
    assert_eq!(p1["items"].as_array().map(Vec::len), Some(10));
    let p3 = app.get("/api/v1/users?q=zhan&per_page=10&page=3", Some(&t)).await.json();
    assert_eq!(p3["items"].as_array().map(Vec::len), Some(5));
    let mut c = app.direct_web("cs_admin").await;
    let page = app.web_get(&mut c, "/admin/users?q=zhan").await;
    assert!(page.body.contains("共 25 条") && page.body.contains("下一页"));
    let csv = app.web_get(&mut c, "/admin/users/export.csv?q=zhan").await;
    assert!(csv.body.starts_with('\u{feff}'), "Excel needs the BOM");
    assert_eq!(csv.body.lines().count(), 26);
}

#[tokio::test]
async fn a_bad_form_is_rendered_again_with_what_was_typed_and_the_error_beside_the_field() {
    let (app, _) = city_app().await;
    let mut c = app.direct_web("cs_admin").await;
    app.web_get(&mut c, "/admin/orgs/new").await;
    let r = app
        .web_post(
            &mut c,
            "/admin/orgs",
            &[
                ("name", "我的考核站"),
                ("kind", "station"),
                ("nature", "enterprise"),
                ("credit_code", "91110000600037341N"),
                ("region_code", "430104"),
                ("address", "湖南省长沙市岳麓区某路 1 号"),
                ("contact_name", "张三"),
                ("contact_phone", "13800000000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"我的考核站\""), "typed values are kept");
    assert!(r.body.contains("field-error") && r.body.contains("校验"), "the error is shown beside its field");
}

#[tokio::test]
async fn every_change_writes_its_audit_record() {
    let (app, t) = city_app().await;
    let r = app.post_json("/api/v1/orgs", Some(&t), &station("审计考核站", "91310115MA1K3BTP2B", "430104")).await;
    let id = r.json()["id"].as_i64().expect("id");
    let prov = app.org_id("430000").await;
    app.create_user("shenji", &[Role::AuditAdmin], prov).await;
    let at = app.direct_token("shenji").await;
    let log = app.get(&format!("/api/v1/audit?action=org.created&target={id}"), Some(&at)).await.json();
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0]["actor"], "cs_admin");
    assert_eq!(log["items"][0]["hash_alg"], "sm3");
}

/// P3/S2: provincial bodies (provincial departments, trade bodies, central and provincial enterprises)
/// are registered at the province's level (430000, 省本级) — by the province only; their projects go
/// straight to the province. A city center cannot register one, and a region outside Hunan stays refused.
#[tokio::test]
async fn p3_the_province_registers_a_province_level_development_unit() {
    let (app, city) = city_app().await;
    let mut body = station("湖南省餐饮行业协会", "51430000MJJ000017Q", "430000");
    body["kind"] = json!("devunit");
    body["nature"] = json!("social_org");
    let by_city = app.post_json("/api/v1/orgs", Some(&city), &body).await;
    assert_eq!(by_city.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", by_city.body);
    assert_eq!(by_city.error_code(), "REGION_OUT_OF_SCOPE");

    let prov = app.org_id("430000").await;
    app.create_user("sheng", &[Role::ProvinceAdmin], prov).await;
    let pt = app.direct_token("sheng").await;
    let r = app.post_json("/api/v1/orgs", Some(&pt), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let org = app.get(&format!("/api/v1/orgs/{id}"), Some(&pt)).await.json();
    assert_eq!(org["region_code"], "430000");
    assert_eq!(org["city_code"], serde_json::Value::Null, "{org}");
    assert_eq!(org["city_name"], "省本级", "{org}");

    // Its staff's project goes straight to the province (P3, S2's rule).
    app.create_user("xiehui", &[Role::DevunitStaff], id).await;
    let kf = app.direct_token("xiehui").await;
    let spec = serde_json::to_value(domain::projects::SpecificationInput::example()).expect("json");
    let draft = app.post_json("/api/v1/projects", Some(&kf), &spec).await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let pid = draft.json()["id"].as_i64().expect("id");
    let project = app.get(&format!("/api/v1/projects/{pid}"), Some(&kf)).await;
    assert_eq!(project.json()["summary"]["receiver"], "province", "{}", project.body);

    // Another province's code is still refused, and a province-level center cannot be registered.
    body["region_code"] = json!("440000");
    body["name"] = json!("外省协会");
    let outside = app.post_json("/api/v1/orgs", Some(&pt), &body).await;
    assert_eq!(outside.error_code(), "REGION_NOT_HUNAN", "{}", outside.body);
}
