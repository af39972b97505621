//! P7, F2: a training material's own file — the province uploads it (page and API), staff download it
//! from the project, the public downloads it from the catalog page; a second upload replaces the first,
//! removing the material removes its file, and nobody but the province may upload.

use domain::org::Role;
use http::{Method, StatusCode};
use serde_json::json;
use testkit::TestApp;

const GUIDE: &[u8] = b"%PDF-1.4\n% exam guide v1\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const GUIDE2: &[u8] = b"%PDF-1.4\n% exam guide v2\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/// An adopted project in force (code from the template) with one recorded material; the province's token.
async fn adopted_with_material(app: &TestApp) -> (String, i64, String, i64) {
    app.create_user("sheng", &[Role::ProvinceStaff], app.org_id("430000").await).await;
    let t = app.direct_token("sheng").await;
    let a = serde_json::to_value(domain::projects::AdoptionInput::example()).expect("json");
    let r = app.post_json("/api/v1/projects/adoptions", Some(&t), &a).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let today = store::today().to_string();
    let body = json!({"kind": "approve_adoption", "publication_date": today, "pilot": false});
    let r = app.post_json(&format!("/api/v1/projects/{id}/actions"), Some(&t), &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = json!({"kind": "exam_guide", "title": "米粉制作考试指南", "publisher": "湖南省职业技能培训研究室", "year": "2026"});
    let r = app.post_json(&format!("/api/v1/projects/{id}/materials"), Some(&t), &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let material = r.json()["id"].as_i64().expect("material id");
    let d = app.get(&format!("/api/v1/projects/{id}"), Some(&t)).await.json();
    let code = d["summary"]["code"].as_str().expect("code").to_string();
    (t, id, code, material)
}

async fn upload(app: &TestApp, token: &str, id: i64, material: i64, bytes: &[u8]) -> testkit::Resp {
    let (content_type, body) = testkit::multipart(&[], "考试指南.pdf", bytes);
    let path = format!("/api/v1/projects/{id}/materials/{material}/file");
    let headers = [("authorization", format!("Bearer {token}")), ("content-type", content_type)];
    app.request(Method::POST, &path, &headers, body.into()).await
}

#[tokio::test]
async fn p7_the_province_uploads_a_materials_file_which_the_catalog_offers_to_the_public() {
    let app = TestApp::spawn().await;
    let (t, id, code, material) = adopted_with_material(&app).await;
    let public = app.get(&format!("/api/v1/catalog/{code}"), None).await.json();
    assert_eq!(public["materials"][0]["file_url"], serde_json::Value::Null, "no file yet");

    let r = upload(&app, &t, id, material, GUIDE).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let file = r.json()["id"].as_i64().expect("file id");
    let d = app.get(&format!("/api/v1/projects/{id}"), Some(&t)).await.json();
    assert_eq!(d["materials"][0]["file_id"], file, "{d}");
    assert_eq!(app.get(&format!("/api/v1/projects/{id}/files/{file}"), Some(&t)).await.bytes, GUIDE);

    // The public page links it, and the link gives the bytes.
    let public = app.get(&format!("/api/v1/catalog/{code}"), None).await.json();
    let url = public["materials"][0]["file_url"].as_str().expect("file url").to_string();
    assert_eq!(url, format!("/catalog/{code}/materials/{material}/file"));
    let page = app.get(&format!("/catalog/{code}"), None).await;
    assert!(page.body.contains(&url), "the catalog page links the file");
    let got = app.get(&url, None).await;
    assert_eq!((got.status, got.bytes.as_slice()), (StatusCode::OK, GUIDE));

    // A second upload replaces the first: the public link gives the new bytes, the old file is gone.
    let r = upload(&app, &t, id, material, GUIDE2).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(app.get(&url, None).await.bytes, GUIDE2);
    assert_eq!(app.get(&format!("/api/v1/projects/{id}/files/{file}"), Some(&t)).await.status, StatusCode::NOT_FOUND);

    // Another project's material id, or a material without a file, is 404 to the public.
    assert_eq!(
        app.get(&format!("/catalog/{code}/materials/{}/file", material + 99), None).await.status,
        StatusCode::NOT_FOUND
    );

    // Removing the material removes its file.
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/v1/projects/{id}/materials/{material}"),
            &[("authorization", format!("Bearer {t}"))],
            axum::body::Body::empty(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(app.get(&url, None).await.status, StatusCode::NOT_FOUND);
    app.create_user("shenji", &[Role::AuditAdmin], app.org_id("430000").await).await;
    let at = app.direct_token("shenji").await;
    let log = app.get(&format!("/api/v1/audit?action=project.material_file_attached&target={id}"), Some(&at)).await;
    assert_eq!(log.json()["total"], 2, "{}", log.body);
}

#[tokio::test]
async fn p7_only_the_province_uploads_a_materials_file_and_a_bad_file_is_refused_by_name() {
    let app = TestApp::spawn().await;
    let (t, id, _code, material) = adopted_with_material(&app).await;
    app.create_user("cs_staff", &[Role::CityStaff], app.org_id("430100").await).await;
    let city = app.direct_token("cs_staff").await;
    assert_eq!(upload(&app, &city, id, material, GUIDE).await.status, StatusCode::FORBIDDEN);
    let bad = upload(&app, &t, id, material, b"not a document at all").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.json()["errors"][0]["field"], "file", "{}", bad.body);
    let d = app.get(&format!("/api/v1/projects/{id}"), Some(&t)).await.json();
    assert_eq!(d["materials"][0]["file_id"], serde_json::Value::Null, "nothing half-saved: {d}");

    // The page: the province's record page offers the upload, which lands back on the materials.
    let mut prov = app.direct_web("sheng").await;
    let page = app.web_get(&mut prov, &format!("/projects/{id}")).await;
    assert!(page.body.contains(&format!("/projects/{id}/materials/{material}/file")), "upload form offered");
    let fields = [("csrf", prov.csrf.as_str())];
    let (content_type, body) = testkit::multipart(&fields, "考试指南.pdf", GUIDE);
    let cookie = prov.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let path = format!("/projects/{id}/materials/{material}/file");
    let r = app.request(Method::POST, &path, &[("cookie", cookie), ("content-type", content_type)], body.into()).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut prov, &format!("/projects/{id}")).await;
    assert!(page.body.contains("替换文件"), "the row now offers a replacement");
}
