//! Issue 8 item 4: text input is checked the same way on both databases — a NUL, a control character, a
//! bidirectional override or a zero-width character in any field of a form, a query or an API body is a
//! field error naming the field (never a 500 on PostgreSQL, never stored on SQLite); single-line names
//! refuse line breaks; upload file names are cleaned and downloads carry the sniffed type's extension.

use domain::org::Role;
use http::{Method, StatusCode};
use serde_json::json;
use testkit::{PASSWORD, TestApp, application};

/// A valid credit code for the station.
fn credit_code() -> String {
    format!("91430104MA4L00001{}", domain::ids::credit_code_check_char("91430104MA4L00001").expect("alphabet"))
}

fn station(name: &str) -> serde_json::Value {
    json!({"name":name,"kind":"station","nature":"enterprise","credit_code":credit_code(),"region_code":"430104",
        "address":"湖南省长沙市岳麓区某路 1 号","contact_name":"张三","contact_phone":"0731-84567890"})
}

/// The one error of a refusal: (code, field, detail).
fn only_error(r: &testkit::Resp) -> (String, String, String) {
    let v = r.json();
    let errors = v["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{}", r.body);
    let s = |k: &str| errors[0][k].as_str().unwrap_or_default().to_string();
    (s("code"), s("field"), s("detail"))
}

#[tokio::test]
async fn i4_a_nul_or_override_in_the_username_at_sign_in_is_a_field_error_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    app.create_user("admin_a", &[Role::CityStaff], app.org_id("430100").await).await;
    app.create_user("shenji", &[Role::AuditAdmin], app.org_id("430000").await).await;
    let auditor = app.direct_token("shenji").await;
    let failures = || async { app.get("/api/v1/audit?action=auth.", Some(&auditor)).await.json()["total"].clone() };
    let before = failures().await;
    for bad in ["admin_a\u{0}", "ad\u{202e}min_a", "\u{0}"] {
        let (_, r) = app.web_login(bad, PASSWORD).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {}", r.body);
        assert!(r.body.contains("「用户名」含有不可见或控制字符"), "{bad:?}: {}", r.body);
        assert!(r.cookie("kaohe_session").is_none());

        let t = app.post_json("/api/v1/auth/token", None, &json!({"username": bad, "password": PASSWORD})).await;
        assert_eq!(t.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {}", t.body);
        let (code, field, detail) = only_error(&t);
        assert_eq!((code.as_str(), field.as_str()), ("INPUT_FORBIDDEN_CHARACTER", "username"));
        assert!(detail.starts_with("「用户名」含有不可见或控制字符（U+"), "{detail}");
    }
    assert_eq!(failures().await, before, "no sign-in attempt was recorded for the refused names");
    // The right name still signs in.
    let ok = app.post_json("/api/v1/auth/token", None, &json!({"username":"admin_a","password":PASSWORD})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}

#[tokio::test]
async fn i4_an_organisation_name_with_an_override_or_nul_is_refused_on_the_page_and_the_api() {
    let app = TestApp::spawn().await;
    app.create_user("sheng", &[Role::ProvinceAdmin], app.org_id("430000").await).await;
    let t = app.direct_token("sheng").await;
    let r = app.post_json("/api/v1/orgs", Some(&t), &station("岳麓\u{202e}考核站")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let (code, field, detail) = only_error(&r);
    assert_eq!((code.as_str(), field.as_str()), ("INPUT_FORBIDDEN_CHARACTER", "name"));
    assert_eq!(detail, "「机构名称」含有不可见或控制字符（U+202E），请删除后重新填写");
    let r = app.post_json("/api/v1/orgs", Some(&t), &station("岳麓\n考核站")).await;
    assert_eq!(only_error(&r).0, "INPUT_LINE_BREAK", "a name is one line");

    let mut c = app.web_session("sheng").await;
    let form = app.web_get(&mut c, "/admin/orgs/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let code = credit_code();
    let fields = [
        ("name", "岳麓\u{0}考核站"),
        ("kind", "station"),
        ("nature", "enterprise"),
        ("credit_code", &code),
        ("region_code", "430104"),
        ("address", "湖南省长沙市岳麓区某路 1 号"),
        ("contact_name", "张三"),
        ("contact_phone", "0731-84567890"),
    ];
    let page = app.web_post(&mut c, "/admin/orgs", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("「机构名称」含有不可见或控制字符（U+0000）"), "{}", page.body);
    let list = app.get("/api/v1/orgs?q=%E5%B2%B3%E9%BA%93&per_page=200", Some(&t)).await;
    assert_eq!(list.json()["total"], 0, "nothing stored: {}", list.body);
}

#[tokio::test]
async fn i4_every_field_of_an_api_body_and_a_query_is_checked_naming_it() {
    let app = TestApp::spawn().await;
    app.create_user("sheng_staff", &[Role::ProvinceStaff], app.org_id("430000").await).await;
    let t = app.direct_token("sheng_staff").await;
    let expert = json!({"name":"欧阳明","id_number":"11010519491231002X","employer_name":"湖南商务职业技术学院",
        "title":"高级技师","specialties":"烹饪","city_code":"430100","phone":"13800000000",
        "note":"擅长\u{200b}湘菜\u{0}"});
    let r = app.post_json("/api/v1/experts", Some(&t), &expert).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let (code, field, detail) = only_error(&r);
    assert_eq!((code.as_str(), field.as_str()), ("INPUT_FORBIDDEN_CHARACTER", "note"));
    assert_eq!(detail, "「备注」含有不可见或控制字符（U+200B），请删除后重新填写");
    // Free text keeps its line breaks and tabs.
    let mut ok = expert.clone();
    ok["note"] = json!("擅长湘菜\r\n兼长\t面点");
    let created = app.post_json("/api/v1/experts", Some(&t), &ok).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    // A body's nested fields too (an import is a list of experts).
    let mut bad = ok.clone();
    bad["employer_name"] = json!("湖南\u{2066}学院");
    let r = app.post_json("/api/v1/experts/import", Some(&t), &json!([ok, bad])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(only_error(&r).1, "[1].employer_name");

    let q = app.get("/api/v1/experts?q=%E6%AC%A7%00", Some(&t)).await;
    assert_eq!(q.status, StatusCode::BAD_REQUEST, "{}", q.body);
    let (code, field, detail) = only_error(&q);
    assert_eq!((code.as_str(), field.as_str()), ("INPUT_FORBIDDEN_CHARACTER", "q"));
    assert_eq!(detail, "「关键词」含有不可见或控制字符（U+0000），请删除后重新填写");
}

#[tokio::test]
async fn i4_an_upload_file_name_is_cleaned_and_downloads_with_the_sniffed_extension() {
    let app = TestApp::spawn().await;
    let station = app.create_org("长沙甲培训学校", "station", "430104").await;
    app.create_user("zhan", &[Role::StationStaff], station).await;
    let t = app.direct_token("zhan").await;
    app.catalog_example_projects().await;
    let body = serde_json::to_value(application("长沙甲培训学校", "other_unit", "430104")).expect("json");
    let id = app.post_json("/api/v1/filings", Some(&t), &body).await.json()["id"].as_i64().expect("id");
    let upload = |name: &'static str| {
        let t = t.clone();
        let app = &app;
        async move {
            let (ct, body) = testkit::multipart(&[("kind", "qualification_proof")], name, testkit::PDF);
            let auth = ("authorization", format!("Bearer {t}"));
            let path = format!("/api/v1/filings/{id}/attachments");
            let r = app.request(Method::POST, &path, &[auth, ("content-type", ct)], body.into()).await;
            assert_eq!(r.status, StatusCode::CREATED, "{name:?}: {}", r.body);
            let att = r.json()["id"].as_i64().expect("att");
            let file = app.get(&format!("/api/v1/filings/{id}/attachments/{att}"), Some(&t)).await;
            assert_eq!(file.status, StatusCode::OK);
            let disposition = file.headers.get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("");
            disposition.to_string()
        }
    };
    let utf8 = |s: &str| -> String { s.bytes().map(|b| format!("%{b:02X}")).collect() };
    // A PDF named as a program (with a right-to-left override hiding it) downloads as a PDF.
    let d = upload("报告\u{202e}fdp.exe").await;
    assert!(d.ends_with(&format!("filename*=UTF-8''{}fdp.pdf", utf8("报告"))), "{d}");
    assert!(d.contains("filename=\"attachment.pdf\""), "{d}");
    let d = upload("../../etc/..").await;
    assert!(d.ends_with(&format!("filename*=UTF-8''{}.pdf", utf8("附件"))), "{d}");
    let d = upload("C:\\材料\\营业执照.pdf").await;
    assert!(d.ends_with(&format!("filename*=UTF-8''{}.pdf", utf8("营业执照"))), "{d}");
    let list = app.get(&format!("/api/v1/filings/{id}/attachments"), Some(&t)).await.json();
    let names: Vec<&str> = list.as_array().into_iter().flatten().filter_map(|a| a["filename"].as_str()).collect();
    assert_eq!(names, ["报告fdp.pdf", "附件.pdf", "营业执照.pdf"], "the names kept are the clean ones");
}
