//! The public certificate query, the QR code's verification page and the signed credential through
//! HTTP (C1, C2; docs/CERTIFICATES.md): the query answers a reported certificate by number and name
//! together, and one and the same answer for an unknown number, a wrong name and an unreported
//! certificate; each missing field is named; its own rate limit engages; the log keeps no personal
//! data. The verification page shows every printed field (and is 404 for an unknown or unreported
//! token); the credential downloaded by the staff verifies offline and on the page, an edited one
//! fails, one of another certificate is named so, and a revoked certificate's is refused.

use crate::certificates::{batch, graded_session};
use crate::sessions::{World, world};
use domain::certificates::{CertificateStatus, NOT_FOUND, QueryOutcome, verify_with_keys};
use http::StatusCode;
use serde_json::{Value, json};
use store::certificates::ReportInput;
use store::entity::{certificate, certificate_query};
use store::sea_orm::{EntityTrait, QueryOrder};
use testkit::TestApp;

const QUERY: &str = "/api/v1/public/certificate-query";

/// Two certificates of 长沙 issued (the first `n` reported through the city center's report step).
async fn issued(app: &TestApp, reported: usize) -> Vec<certificate::Model> {
    let (id, _) = graded_session(app, 2, 0, true).await;
    assert_eq!(batch(app, "cs_staff", "HN00000001", "5").await.status, StatusCode::CREATED);
    let t = app.direct_token("cs_staff").await;
    let r = app.post_json(&format!("/api/v1/sessions/{id}/certificates/all"), Some(&t), &json!({})).await;
    assert!(r.status.is_success(), "{}", r.body);
    let rows =
        certificate::Entity::find().order_by_asc(certificate::Column::Id).all(&app.store.db).await.expect("rows");
    assert_eq!(rows.len(), 2);
    let p = app.principal("cs_staff").await;
    for c in &rows[..reported] {
        let input = ReportInput { city: None, certificate_ids: vec![c.id], note: String::new() };
        app.store.report_certificates(&p, &input, &store::Ctx::system()).await.expect("report");
    }
    certificate::Entity::find().order_by_asc(certificate::Column::Id).all(&app.store.db).await.expect("rows")
}

async fn ask(app: &TestApp, number: &str, name: &str) -> testkit::Resp {
    app.post_json(QUERY, None, &json!({"number": number, "name": name})).await
}

#[tokio::test]
async fn c2_the_query_answers_by_number_and_name_and_alike_for_everything_else() {
    let World { app, .. } = world().await;
    let app = &app;
    let rows = issued(app, 1).await;
    let (a, b) = (&rows[0], &rows[1]);
    assert!(a.reported_at.is_some() && b.reported_at.is_none());

    // Found: every field the answer names, the ID number masked.
    let r = ask(app, &format!(" {} ", a.number), &a.holder_name).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let c = &r.json()["certificate"];
    assert_eq!(r.json()["found"], true);
    assert_eq!(c["number"], a.number.as_str());
    assert_eq!(c["holder_name"], a.holder_name.as_str());
    assert_eq!(c["id_number_masked"], a.id_number_masked.as_str());
    assert_eq!((c["status"].as_str(), c["status_label"].as_str()), (Some("valid"), Some("有效")));
    assert_eq!(c["project_name"], "米粉制作");
    assert_eq!(c["issuer_name"], "长沙市职业技能鉴定中心");
    assert!(c["station_name"].as_str().is_some_and(|s| !s.is_empty()), "{c}");
    assert_eq!(c["issued_on"], store::today().to_string());
    assert!(!r.body.contains(&crate::sessions::idn(601)), "never the full ID number");

    // A wrong name, an unknown number, an unreported certificate, a partial number: the same answer.
    let wrong_name = ask(app, &a.number, "考生丙").await;
    let unknown = ask(app, "4301269999999999", &a.holder_name).await;
    let unreported = ask(app, &b.number, &b.holder_name).await;
    let partial = ask(app, &a.number[..a.number.len() - 1], &a.holder_name).await;
    for r in [&unknown, &unreported, &partial] {
        assert_eq!((r.status, &r.body), (wrong_name.status, &wrong_name.body));
    }
    assert_eq!(wrong_name.status, StatusCode::OK);
    assert_eq!(wrong_name.json(), json!({"found": false, "message": NOT_FOUND, "certificate": null}));

    // Both fields required, each named.
    let r = app.post_json(QUERY, None, &json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errs = r.json();
    let fields: Vec<&str> =
        errs["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert!(fields.contains(&"number") && fields.contains(&"name"), "{}", r.body);
    assert!(r.body.contains("请填写证书编号") && r.body.contains("请填写持证人姓名"), "{}", r.body);

    // The page: POST with its token; the same facts; one message for the rest; errors beside the fields.
    let mut w = testkit::WebClient::default();
    app.web_get(&mut w, "/certificate-query").await;
    let found = app.web_post(&mut w, "/certificate-query", &[("number", &a.number), ("name", &a.holder_name)]).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    for fact in [
        a.number.as_str(),
        a.holder_name.as_str(),
        a.id_number_masked.as_str(),
        "米粉制作",
        "长沙市职业技能鉴定中心",
        "有效",
    ] {
        assert!(found.body.contains(fact), "{fact}: {}", found.body);
    }
    let answers = [
        app.web_post(&mut w, "/certificate-query", &[("number", &a.number), ("name", "考生丙")]).await,
        app.web_post(&mut w, "/certificate-query", &[("number", "4301269999999999"), ("name", &a.holder_name)]).await,
        app.web_post(&mut w, "/certificate-query", &[("number", &b.number), ("name", &b.holder_name)]).await,
    ];
    for r in &answers {
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(NOT_FOUND) && !r.body.contains("<h2>查询结果</h2>"), "{}", r.body);
        assert!(!r.body.contains(&b.id_number_masked), "{}", r.body);
    }
    let half = app.web_post(&mut w, "/certificate-query", &[("number", ""), ("name", "")]).await;
    assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(half.body.contains("请填写证书编号") && half.body.contains("请填写持证人姓名"), "{}", half.body);

    // The log: one row per query, its outcome and channel only.
    let log = certificate_query::Entity::find().all(&app.store.db).await.expect("log");
    let count = |o: QueryOutcome| log.iter().filter(|r| r.outcome == o).count();
    assert_eq!((count(QueryOutcome::Found), count(QueryOutcome::NotFound), count(QueryOutcome::Invalid)), (2, 7, 2));
    let text = format!("{log:?}");
    for secret in [a.number.as_str(), a.holder_name.as_str(), b.number.as_str(), "考生丙", "127.0.0.1", "192.0.2"] {
        assert!(!text.contains(secret), "{secret} in the log: {text}");
    }
    // The province's staff see the counts; a city center does not.
    let t = app.direct_token("prov").await;
    let days = app.get("/api/v1/certificate-query/log", Some(&t)).await;
    assert_eq!(days.status, StatusCode::OK, "{}", days.body);
    assert_eq!((days.json()[0]["found"].as_u64(), days.json()[0]["not_found"].as_u64()), (Some(2), Some(7)));
    let t = app.direct_token("cs_staff").await;
    assert_eq!(app.get("/api/v1/certificate-query/log", Some(&t)).await.status, StatusCode::FORBIDDEN);
    let page = app.web_get(&mut app.web_session("prov").await, "/certificate-query/log").await;
    assert!(page.body.contains("证书查询统计") && page.body.contains(&store::today().to_string()), "{}", page.body);
}

#[tokio::test]
async fn c2_the_query_has_its_own_rate_limit_per_client() {
    let World { app, .. } = world().await;
    let app = &app;
    // The defaults (security.rate_certificate_query_*): 10 a minute, a burst of 10, page and API together.
    app.set_client("198.51.100.77");
    for _ in 0..9 {
        assert_eq!(ask(app, "4301269999999999", "张三").await.status, StatusCode::OK);
    }
    let mut w = testkit::WebClient::default();
    assert_eq!(app.web_get(&mut w, "/certificate-query").await.status, StatusCode::OK);
    let page = app.web_post(&mut w, "/certificate-query", &[("number", "4301269999999999"), ("name", "张三")]).await;
    assert_eq!(page.status, StatusCode::OK, "the tenth");
    let limited = ask(app, "4301269999999999", "张三").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    assert!(limited.body.contains("请求过于频繁"), "{}", limited.body);
    // The page shares the limit (page and API are one class per client); the form itself is not limited.
    assert_eq!(app.web_get(&mut w, "/certificate-query").await.status, StatusCode::OK);
    let page = app.web_post(&mut w, "/certificate-query", &[("number", "4301269999999999"), ("name", "张三")]).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("请求过于频繁"), "{}", page.body);
    // Another client is not held back; the refusals are counted in the log.
    app.set_client("198.51.100.78");
    assert_eq!(ask(app, "4301269999999999", "张三").await.status, StatusCode::OK);
    let log = certificate_query::Entity::find().all(&app.store.db).await.expect("log");
    assert_eq!(log.iter().filter(|r| r.outcome == QueryOutcome::Limited).count(), 2);
}

#[tokio::test]
async fn c2_the_query_limit_is_the_policy_in_force_and_changes_with_it() {
    let World { app, .. } = world().await;
    let app = &app;
    app.create_user("anquan", &[domain::org::Role::SecurityAdmin], app.org_id("430000").await).await;
    app.set_client("198.51.100.90");
    assert_eq!(ask(app, "4301269999999999", "张三").await.status, StatusCode::OK, "the limiter is made");
    // The security administrator lowers the limit, in force today: the next query already counts by it.
    let admin = app.principal("anquan").await;
    for (key, value) in [
        (domain::policy::keys::RATE_CERTIFICATE_QUERY_PER_MINUTE, "1"),
        (domain::policy::keys::RATE_CERTIFICATE_QUERY_BURST, "2"),
    ] {
        app.store
            .add_policy_version(&admin, key, value, Some(store::today()), "测试", &store::Ctx::system())
            .await
            .unwrap_or_else(|e| panic!("publish {key}: {e:?}"));
    }
    app.set_client("198.51.100.91");
    for n in 1..=2 {
        assert_eq!(ask(app, "4301269999999999", "张三").await.status, StatusCode::OK, "query {n} of the burst");
    }
    let limited = ask(app, "4301269999999999", "张三").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "the third is over the new burst of 2: {}", limited.body);
    assert!(limited.headers.get(http::header::RETRY_AFTER).is_some(), "Retry-After");
}

#[tokio::test]
async fn c2_the_verification_page_and_the_signed_credential() {
    let World { app, .. } = world().await;
    let app = &app;
    let rows = issued(app, 2).await;
    let (a, b) = (&rows[0], &rows[1]);

    // The QR code's page: every printed field.
    let page = app.get(&format!("/verify/{}", a.verify_token), None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for fact in [
        a.number.as_str(),
        a.holder_name.as_str(),
        a.id_number_masked.as_str(),
        "米粉制作",
        "长沙市职业技能鉴定中心",
        &store::today().to_string(),
        "有效",
        "补发记录",
    ] {
        assert!(page.body.contains(fact), "{fact}: {}", page.body);
    }
    let api = app.get(&format!("/api/v1/public/certificates/{}", a.verify_token), None).await;
    assert_eq!((api.status, api.json()["number"].as_str()), (StatusCode::OK, Some(a.number.as_str())));
    // Unknown token: the public 404.
    for token in ["0".repeat(64), "nope".into()] {
        let r = app.get(&format!("/verify/{token}"), None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{token}");
        assert!(r.body.contains("href=\"/\"") && !r.body.contains(&a.number), "{}", r.body);
        assert_eq!(app.get(&format!("/api/v1/public/certificates/{token}"), None).await.status, StatusCode::NOT_FOUND);
    }

    // The keys document: both suites, the configured one (国密) first.
    let keys = app.get("/.well-known/kaohe/certificate-keys.json", None).await;
    assert_eq!(keys.status, StatusCode::OK, "{}", keys.body);
    let doc: domain::certificates::KeysDocument = serde_json::from_str(&keys.body).expect("keys document");
    assert_eq!(doc.keys.iter().map(|k| k.algorithm.as_str()).collect::<Vec<_>>(), ["sm2", "ed25519"]);

    // The staff's download: a credential that verifies offline with the published keys.
    let t = app.direct_token("cs_staff").await;
    let r = app.get(&format!("/api/v1/issued-certificates/{}/credential", a.id), Some(&t)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cred: Value = r.json();
    assert_eq!(cred["credentialSubject"]["certificateNumber"], a.number.as_str());
    assert_eq!(cred["proof"]["cryptosuite"], "kaohe-sm2-jcs-2026");
    assert!(cred["proof"]["proofValue"].as_str().is_some_and(|v| v.starts_with("sm2:")), "{cred}");
    let text = serde_json::to_string_pretty(&cred).expect("text");
    let ok = verify_with_keys(&text, &doc.keys).expect("verifies offline");
    assert_eq!(ok.holder_name, a.holder_name);
    let mut w = app.web_session("cs_staff").await;
    let file = app.web_get(&mut w, &format!("/issued-certificates/{}/credential.json", a.id)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.headers.get("content-disposition").is_some_and(|v| v.to_str().unwrap_or("").contains(&a.number)));
    assert!(verify_with_keys(&file.body, &doc.keys).is_ok(), "the same credential: {}", file.body);
    // Another city's staff find nothing; a station's staff may not.
    let zz = app.direct_token("zz_staff").await;
    let other = app.get(&format!("/api/v1/issued-certificates/{}/credential", a.id), Some(&zz)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let st = app.direct_token("cs_st").await;
    let other = app.get(&format!("/api/v1/issued-certificates/{}/credential", a.id), Some(&st)).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // On the page (upload) and over the API: verified; an edited name fails; another certificate's is named so.
    let verify = format!("/api/v1/public/certificates/{}/verify", a.verify_token);
    let r = app.post_json(&verify, None, &json!({"credential": text})).await;
    assert_eq!((r.status, r.json()["verified"].as_bool()), (StatusCode::OK, Some(true)), "{}", r.body);
    let mut anon = testkit::WebClient::default();
    app.web_get(&mut anon, &format!("/verify/{}", a.verify_token)).await;
    let up = app.web_upload(&anon, &format!("/verify/{}", a.verify_token), "credential.json", text.as_bytes()).await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.body);
    assert!(up.body.contains("验证通过") && up.body.contains(&a.number), "{}", up.body);
    let tampered = text.replace(&a.holder_name, "考生丙");
    assert_ne!(tampered, text);
    let r = app.post_json(&verify, None, &json!({"credential": tampered})).await;
    assert_eq!(r.json()["verified"], false);
    assert!(r.json()["message"].as_str().unwrap_or("").contains("签名验证失败"), "{}", r.body);
    let up = app.web_upload(&anon, &format!("/verify/{}", a.verify_token), "x.json", tampered.as_bytes()).await;
    assert!(up.body.contains("验证未通过") && up.body.contains("签名验证失败"), "{}", up.body);
    let r = app
        .post_json(
            &format!("/api/v1/public/certificates/{}/verify", b.verify_token),
            None,
            &json!({"credential": text}),
        )
        .await;
    assert!(r.json()["message"].as_str().unwrap_or("").contains("另一张证书"), "{}", r.body);
    let r = app.post_json(&verify, None, &json!({"credential": "{\"a\": 1}"})).await;
    assert!(r.json()["message"].as_str().unwrap_or("").contains("格式有误"), "{}", r.body);

    // Revoked since: the page says so, the credential no longer verifies as a valid certificate.
    let p = app.principal("cs_staff").await;
    app.store.revoke_certificate(&p, a.id, "证书信息有误，予以注销", &store::Ctx::system()).await.expect("revoke");
    let row = certificate::Entity::find_by_id(a.id).one(&app.store.db).await.expect("read").expect("row");
    assert_eq!(row.status, CertificateStatus::Revoked);
    let page = app.get(&format!("/verify/{}", a.verify_token), None).await;
    assert!(
        page.body.contains("已注销") && !page.body.contains("证书信息有误"),
        "the reason is not public: {}",
        page.body
    );
    let r = app.post_json(&verify, None, &json!({"credential": text})).await;
    assert_eq!(r.json()["verified"], false);
    assert!(r.json()["message"].as_str().unwrap_or("").contains("注销"), "{}", r.body);
    let q = ask(app, &a.number, &a.holder_name).await;
    assert_eq!(q.json()["certificate"]["status_label"], "已注销", "{}", q.body);
}
