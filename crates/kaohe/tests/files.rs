//! Where attachments live (S2 materials): the `files_url` setting. A bad setting stops the server
//! with a message naming it; a local directory is the default; an S3-compatible service keeps the
//! files when configured — exercised against a local S3-compatible server (moto) when
//! `KAOHE_TEST_S3_ENDPOINT` is set, as `.ci/run` does.

use http::{Method, StatusCode};
use std::io::{Read, Write};
use std::process::Command;
use testkit::{TestApp, application};

#[test]
fn a_bad_files_url_is_refused_naming_the_setting() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (url, expected) in
        [("ftp://files.example/kaohe", "无法识别"), ("file://relative/dir", "绝对路径"), ("s3:///no-bucket", "存储桶")]
    {
        let err = store::files::open_with(Some(url), dir.path(), &[]).err().map(|e| e.to_string());
        let err = err.unwrap_or_else(|| panic!("{url} accepted"));
        assert!(err.contains("files_url") && err.contains(expected), "{url}: {err}");
    }
    // The real binary refuses to start with it, saying why.
    let out = Command::new(env!("CARGO_BIN_EXE_kaohe"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("migrate")
        .env("KAOHE_FILES_URL", "ftp://files.example/kaohe")
        .env("KAOHE_MASTER_KEY", "0707070707070707070707070707070707070707070707070707070707070707")
        .output()
        .expect("run kaohe");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("files_url"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn by_default_files_are_kept_under_the_data_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = store::files::open_with(None, dir.path(), &[]).expect("default store");
    store::files::probe(files.as_ref()).await.expect("writable");
    assert!(dir.path().join("files").is_dir());
    let other = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", other.path().join("elsewhere").display());
    let files = store::files::open_with(Some(&url), dir.path(), &[]).expect("file:// store");
    store::files::probe(files.as_ref()).await.expect("writable");
    assert!(other.path().join("elsewhere").is_dir());
}

/// One plain HTTP/1.1 exchange with the local S3 server (creating a bucket, listing keys): its
/// status code and body. Anonymous requests are enough for moto.
fn s3_http(endpoint: &str, method: &str, path: &str) -> (u16, String) {
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(host).expect("connect to the S3 server");
    write!(s, "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .expect("send");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    let status = answer.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

#[tokio::test]
async fn s2_materials_are_kept_in_an_s3_compatible_store_when_configured() {
    let Ok(endpoint) = std::env::var("KAOHE_TEST_S3_ENDPOINT") else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI must run the S3 round trip (.ci/run starts moto)");
        eprintln!("KAOHE_TEST_S3_ENDPOINT is not set: the S3 round trip runs in .ci/run");
        return;
    };
    let bucket = format!("kaohe-{}", std::process::id());
    let aws: Vec<(String, String)> = [
        ("AWS_ENDPOINT", endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ALLOW_HTTP", "true"),
        ("UNRELATED", "ignored"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let url = format!("s3://{bucket}/kaohe");
    let dir = tempfile::tempdir().expect("tempdir");
    // A bucket that does not exist stops the server at start, not at the first upload.
    let missing = store::files::open_with(Some(&url), dir.path(), &aws).expect("configured");
    assert!(store::files::probe(missing.as_ref()).await.is_err(), "the probe notices a missing bucket");
    assert_eq!(s3_http(&endpoint, "PUT", &format!("/{bucket}")).0, 200, "create the bucket");
    let files = store::files::open_with(Some(&url), dir.path(), &aws).expect("configured");
    store::files::probe(files.as_ref()).await.expect("the bucket is writable");

    let (st, db_dir) = testkit::fresh_store().await;
    let app = TestApp::with_store(st.with_files(files), db_dir);
    let station = app.create_org("长沙甲培训学校", "station", "430104").await;
    app.create_user("zhan", &[domain::org::Role::StationStaff], station).await;
    let t = app.direct_token("zhan").await;
    app.catalog_example_projects().await;
    let body = serde_json::to_value(application("长沙甲培训学校", "other_unit", "430104")).expect("json");
    let id = app.post_json("/api/v1/filings", Some(&t), &body).await.json()["id"].as_i64().expect("id");
    let (ct, upload) = testkit::multipart(&[("kind", "qualification_proof")], "营业执照.pdf", testkit::PDF);
    let auth = ("authorization", format!("Bearer {t}"));
    let r = app
        .request(
            Method::POST,
            &format!("/api/v1/filings/{id}/attachments"),
            &[auth, ("content-type", ct)],
            upload.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let att = r.json()["id"].as_i64().expect("attachment");
    // The object is in the bucket, under the configured prefix; it reads back byte for byte.
    let (status, listing) = s3_http(&endpoint, "GET", &format!("/{bucket}?list-type=2&prefix=kaohe/filings/{id}/"));
    assert_eq!(status, 200, "{listing}");
    assert_eq!(listing.matches("<Key>").count(), 1, "{listing}");
    let file = app.get(&format!("/api/v1/filings/{id}/attachments/{att}"), Some(&t)).await;
    assert_eq!(file.body.as_bytes(), testkit::PDF);
    // Removed while a draft: the record and the object both go.
    let path = format!("/api/v1/filings/{id}/attachments/{att}");
    assert_eq!(
        app.send_json(Method::DELETE, &path, Some(&t), &serde_json::json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    let (_, listing) = s3_http(&endpoint, "GET", &format!("/{bucket}?list-type=2&prefix=kaohe/"));
    assert_eq!(listing.matches("<Key>").count(), 0, "{listing}");
}
