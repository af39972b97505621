//! A certificate's life after issuing, through HTTP (C1, C2; issue 13, part 2): reported to the
//! province in batches (a city center its own city's, the province naming the city; all or nothing;
//! twice refused naming the number), revoked with a reason (then neither reported nor reissued),
//! reissued under the same number on the next unused blank with the old blank voided in the same step
//! (no blank left: nothing saved), and the batch's export for the provincial public employment service
//! platform (full ID numbers, a download recorded in the audit trail; only for those who report).

use crate::certificates::{audit_count, batch, get, graded_session, post, yy};
use crate::sessions::{World, idn, world};
use http::StatusCode;
use serde_json::json;
use store::entity::{certificate, certificate_blank};
use store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use testkit::TestApp;

/// A confirmed 长沙 session with `n` passed candidates, each issued a certificate; answers the
/// certificates' ids in serial order.
async fn issued(app: &TestApp, n: u32, blanks: &str) -> Vec<i64> {
    let (id, _) = graded_session(app, n, 0, true).await;
    assert_eq!(batch(app, "cs_staff", "HN00000001", blanks).await.status, StatusCode::CREATED);
    let r = post(app, "cs_staff", &format!("/api/v1/sessions/{id}/certificates/all"), &json!({})).await;
    assert!(r.status.is_success(), "{}", r.body);
    r.json()["certificates"].as_array().expect("certificates").iter().map(|c| c["id"].as_i64().expect("id")).collect()
}

async fn row(app: &TestApp, id: i64) -> certificate::Model {
    certificate::Entity::find_by_id(id).one(&app.store.db).await.expect("read").expect("certificate")
}

#[tokio::test]
async fn c1_certificates_are_reported_to_the_province_in_batches_all_or_nothing() {
    let World { app, .. } = world().await;
    let app = &app;
    let ids = issued(app, 3, "10").await;
    // Another city's center neither sees nor reports them; a station has no part in it.
    let r = get(app, "zz_staff", "/api/v1/certificate-reports/unreported?city=430100").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = post(app, "zz_staff", "/api/v1/certificate-reports", &json!({"certificate_ids": [ids[0]]})).await;
    assert_eq!(r.error_code(), "CERTIFICATE_NOT_FOUND", "{}", r.body);
    let r = post(app, "cs_st", "/api/v1/certificate-reports", &json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The province names the city; a value that is not a Hunan city is named.
    let r = post(app, "prov", "/api/v1/certificate-reports", &json!({})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "REQUIRED".into()), "{}", r.body);
    assert!(r.body.contains("city"), "{}", r.body);
    let r = post(app, "prov", "/api/v1/certificate-reports", &json!({"city": "110100"})).await;
    assert_eq!(r.error_code(), "FILTER_INVALID", "{}", r.body);
    // The city center sees three unreported; reports the first one.
    let r = get(app, "cs_staff", "/api/v1/certificate-reports/unreported").await;
    assert_eq!(r.json()["certificates"].as_array().expect("list").len(), 3, "{}", r.body);
    let before = audit_count(app, "certificate_report.recorded").await;
    let r =
        post(app, "cs_staff", "/api/v1/certificate-reports", &json!({"certificate_ids": [ids[0]], "note": "第一批"}))
            .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let first = r.json()["id"].as_i64().expect("id");
    assert_eq!(r.json()["count"], 1);
    assert_eq!(audit_count(app, "certificate_report.recorded").await, before + 1);
    assert!(row(app, ids[0]).await.reported_at.is_some());
    assert_eq!(row(app, ids[0]).await.report_id, Some(first));
    // All or nothing: one already reported among the listed ones refuses the whole batch, naming it.
    let r = post(app, "cs_staff", "/api/v1/certificate-reports", &json!({"certificate_ids": [ids[1], ids[0]]})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "CERTIFICATE_STATE".into()), "{}", r.body);
    assert!(r.body.contains(&row(app, ids[0]).await.number), "{}", r.body);
    assert!(row(app, ids[1]).await.reported_at.is_none(), "nothing of the refused batch saved");
    // None listed: every unreported valid one of the city.
    let r = post(app, "cs_staff", "/api/v1/certificate-reports", &json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["count"], 2);
    let r = post(app, "cs_staff", "/api/v1/certificate-reports", &json!({})).await;
    assert_eq!(r.error_code(), "CERTIFICATE_NONE_TO_REPORT", "{}", r.body);
    // Lists: the city's two batches, the province's filter, another city's none.
    let r = get(app, "cs_staff", "/api/v1/certificate-reports").await;
    assert_eq!(r.json()["total"], 2, "{}", r.body);
    let r = get(app, "prov", "/api/v1/certificate-reports?city=430100").await;
    assert_eq!(r.json()["total"], 2, "{}", r.body);
    let r = get(app, "zz_staff", "/api/v1/certificate-reports").await;
    assert_eq!(r.json()["total"], 0, "{}", r.body);
    let r = get(app, "zz_staff", &format!("/api/v1/certificate-reports/{first}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = get(app, "cs_staff", &format!("/api/v1/certificate-reports/{first}")).await;
    assert_eq!(r.json()["certificates"][0]["id"], ids[0], "{}", r.body);
}

#[tokio::test]
async fn c1_revoked_with_a_reason_then_neither_reported_nor_reissued() {
    let World { app, .. } = world().await;
    let app = &app;
    let ids = issued(app, 2, "10").await;
    let path = format!("/api/v1/issued-certificates/{}/revoke", ids[0]);
    let r = post(app, "zz_staff", &path, &json!({"reason": "x"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(app, "cs_st", &path, &json!({"reason": "x"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(app, "cs_staff", &path, &json!({"reason": "  "})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED".into()), "{}", r.body);
    assert!(r.body.contains("reason"), "{}", r.body);
    let before = audit_count(app, "certificate.revoked").await;
    let r = post(app, "cs_staff", &path, &json!({"reason": "经核查以不正当手段取得"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["certificate"]["status"], "revoked");
    assert_eq!(audit_count(app, "certificate.revoked").await, before + 1);
    let m = row(app, ids[0]).await;
    assert_eq!(m.revoke_reason, "经核查以不正当手段取得");
    assert_eq!(m.revoked_by.as_deref(), Some("cs_staff"));
    // Revoked: not again, not reissued, not reported (and not among the unreported).
    let r = post(app, "cs_staff", &path, &json!({"reason": "再次"})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "CERTIFICATE_STATE".into()), "{}", r.body);
    let r =
        post(app, "cs_staff", &format!("/api/v1/issued-certificates/{}/reissue", ids[0]), &json!({"reason": "遗失"}))
            .await;
    assert_eq!(r.error_code(), "CERTIFICATE_STATE", "{}", r.body);
    let r = post(app, "cs_staff", "/api/v1/certificate-reports", &json!({"certificate_ids": [ids[0]]})).await;
    assert_eq!(r.error_code(), "CERTIFICATE_STATE", "{}", r.body);
    let r = get(app, "cs_staff", "/api/v1/certificate-reports/unreported").await;
    let listed: Vec<i64> =
        r.json()["certificates"].as_array().expect("list").iter().map(|c| c["id"].as_i64().expect("id")).collect();
    assert_eq!(listed, vec![ids[1]]);
    // The page shows it revoked, without the forms.
    let mut c = app.direct_web("cs_staff").await;
    let r = app.web_get(&mut c, &format!("/issued-certificates/{}", ids[0])).await;
    assert!(r.body.contains("已注销") && r.body.contains("经核查以不正当手段取得"), "{}", r.body);
    assert!(!r.body.contains("/revoke\""), "{}", r.body);
    assert!(r.body.contains("证书已注销，不能打印") && !r.body.contains("certificate.pdf"), "{}", r.body);
}

#[tokio::test]
async fn c1_reissued_under_the_same_number_on_the_next_blank_the_old_one_voided() {
    let World { app, .. } = world().await;
    let app = &app;
    let ids = issued(app, 1, "2").await;
    let before = row(app, ids[0]).await;
    let old_blank = before.blank_id.expect("blank");
    let path = format!("/api/v1/issued-certificates/{}/reissue", ids[0]);
    let r = post(app, "cs_staff", &path, &json!({"reason": ""})).await;
    assert_eq!(r.error_code(), "REASON_REQUIRED", "{}", r.body);
    let r = post(app, "cs_staff", &path, &json!({"reason": "持证人遗失证书"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = row(app, ids[0]).await;
    assert_eq!(after.number, before.number, "same number");
    assert_eq!(after.reissues, 1);
    assert_ne!(after.blank_id, Some(old_blank));
    let old = certificate_blank::Entity::find_by_id(old_blank).one(&app.store.db).await.expect("read").expect("blank");
    assert_eq!(old.status, domain::certificates::BlankStatus::Voided);
    assert!(
        old.void_reason.contains("持证人遗失证书") && old.void_reason.contains(&before.number),
        "{}",
        old.void_reason
    );
    let new = certificate_blank::Entity::find_by_id(after.blank_id.expect("new"))
        .one(&app.store.db)
        .await
        .expect("r")
        .expect("b");
    assert_eq!((new.status, new.certificate_id), (domain::certificates::BlankStatus::Used, Some(ids[0])));
    assert_eq!(r.json()["reissues"][0]["new_blank_serial"], "HN00000002", "{}", r.body);
    assert_eq!(r.json()["reissues"][0]["old_blank_serial"], "HN00000001", "{}", r.body);
    // The stock still reconciles: 2 printed = 0 unused + 1 used + 1 voided.
    let r = get(app, "cs_staff", "/api/v1/certificate-stock").await;
    let counts = &r.json()["stock"]["counts"];
    assert_eq!(
        (counts["unused"].as_u64(), counts["used"].as_u64(), counts["voided"].as_u64()),
        (Some(0), Some(1), Some(1)),
        "{}",
        r.body
    );
    // No blank left: refused, nothing saved (the count and the blank stay).
    let r = post(app, "cs_staff", &path, &json!({"reason": "再次遗失"})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "CERTIFICATE_NO_BLANK".into()), "{}", r.body);
    let again = row(app, ids[0]).await;
    assert_eq!((again.reissues, again.blank_id), (1, after.blank_id));
    // The page: the history and the forms; a bad reason shown beside its form.
    let mut c = app.direct_web("cs_staff").await;
    let r = app.web_get(&mut c, &format!("/issued-certificates/{}", ids[0])).await;
    assert!(r.body.contains("补发记录") && r.body.contains("HN00000001（已作废）"), "{}", r.body);
    assert!(r.body.contains(&format!("/issued-certificates/{}/certificate.pdf", ids[0])), "print buttons: {}", r.body);
    let r = app.web_post(&mut c, &format!("/issued-certificates/{}/revoke", ids[0]), &[("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("未注销") && r.body.contains("注销证书须填写理由"), "{}", r.body);
}

#[tokio::test]
async fn c2_the_batch_exports_for_the_platform_with_full_id_numbers_and_an_audit_record() {
    let World { app, .. } = world().await;
    let app = &app;
    let ids = issued(app, 2, "10").await;
    let r = post(app, "cs_staff", "/api/v1/certificate-reports", &json!({})).await;
    let report = r.json()["id"].as_i64().expect("id");
    let path = format!("/api/v1/certificate-reports/{report}/export");
    let r = get(app, "cs_staff", &format!("{path}?format=pdf")).await;
    assert_eq!(r.error_code(), "FILTER_INVALID", "{}", r.body);
    let before = audit_count(app, "certificate_report.exported").await;
    let r = get(app, "cs_staff", &path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers["content-type"].to_str().expect("type").starts_with("text/csv"));
    assert_eq!(audit_count(app, "certificate_report.exported").await, before + 1);
    let text = r.body.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "证书编号,姓名,证件类型,证件号码,考核项目代码,考核项目名称,证书类别,考核站,发证机构,发证日期,证书状态,补发次数,上报批次,上报日期"
        )
    );
    let first: Vec<&str> = lines.next().expect("row").split(',').collect();
    let m = row(app, ids[0]).await;
    assert_eq!(first[0], m.number);
    assert_eq!(first[3], idn(601), "the full ID number for the platform");
    // The issuer reads the same in the export, on the verification page and on the printed certificate.
    let public = app.get(&format!("/api/v1/public/certificates/{}", m.verify_token), None).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    assert_eq!(public.json()["issuer_name"].as_str(), Some(first[8]), "{}", public.body);
    assert!(first[8].starts_with("长沙"), "{}", first[8]);
    assert_eq!(first[12], report.to_string());
    assert!(first[0].starts_with(&format!("4301{}", yy())));
    let r = get(app, "cs_staff", &format!("{path}?format=xlsx")).await;
    assert!(r.headers["content-type"].to_str().expect("type").contains("spreadsheetml"));
    // Who may not report may not export; another city does not find the batch.
    assert_eq!(get(app, "cs_st", &path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(get(app, "zz_staff", &path).await.status, StatusCode::NOT_FOUND);
    // The pages: the form lists the unreported, the batch page links its exports.
    let mut c = app.direct_web("cs_staff").await;
    let r = app.web_get(&mut c, &format!("/certificate-reports/{report}")).await;
    assert!(r.body.contains("导出上报文件（CSV）") && r.body.contains(&m.number), "{}", r.body);
    let r = app.web_get(&mut c, "/certificate-reports/new").await;
    assert!(r.body.contains("没有待上报的证书"), "{}", r.body);
    let r = app.web_get(&mut c, "/certificate-reports").await;
    assert!(r.body.contains(&format!("第 {report} 批")), "{}", r.body);
    let listed = certificate::Entity::find()
        .filter(certificate::Column::ReportId.eq(report))
        .all(&app.store.db)
        .await
        .expect("read");
    assert_eq!(listed.len(), 2, "both in the batch the export was made of");
}

#[tokio::test]
async fn c1_the_report_form_reports_the_ticked_ones_and_names_an_empty_choice() {
    let World { app, .. } = world().await;
    let app = &app;
    let ids = issued(app, 2, "10").await;
    let mut c = app.direct_web("cs_staff").await;
    let r = app.web_get(&mut c, "/certificate-reports/new").await;
    assert!(r.body.contains("待上报证书 2 本"), "{}", r.body);
    let r = app.web_post(&mut c, "/certificate-reports", &[("city", "430100"), ("note", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("请至少勾选一本要上报的证书"), "{}", r.body);
    let second = ids[1].to_string();
    let r = app
        .web_post(&mut c, "/certificate-reports", &[("city", "430100"), ("certificate_ids", &second), ("note", "补报")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(row(app, ids[1]).await.reported_at.is_some());
    assert!(row(app, ids[0]).await.reported_at.is_none());
    // The province picks the city first.
    let mut p = app.direct_web("prov").await;
    let r = app.web_get(&mut p, "/certificate-reports/new").await;
    assert!(r.body.contains("请先选择要上报证书的市州"), "{}", r.body);
    let r = app.web_get(&mut p, "/certificate-reports/new?city=430100").await;
    assert!(r.body.contains("待上报证书 1 本"), "{}", r.body);
}

/// A certificate of `city` straight in the tables (a roster row of `session` for its holder), reported
/// in a batch of its own: the authorization matrix's fixture. Answers the certificate and the batch.
pub async fn certificate_row(app: &TestApp, city: &str, session: i64, project: i64, n: i64) -> (i64, i64) {
    use store::sea_orm::{ActiveModelTrait, Set};
    let sealed = app.store.crypto.encrypt(crate::sessions::idn(900 + n as u32).as_bytes(), b"id_number").expect("seal");
    let candidate = store::entity::exam_candidate::ActiveModel {
        session_id: Set(session),
        name: Set("持证人".into()),
        id_number_enc: Set(sealed.clone()),
        id_number_idx: Set(format!("idx-{city}-{n}")),
        id_number_masked: Set("430***********0000".into()),
        phone: Set(String::new()),
        employer: Set(String::new()),
        subsidy_category: Set(String::new()),
        training: Set(String::new()),
        source: Set(domain::exams::CandidateSource::Manual),
        state: Set(domain::exams::CandidateState::Confirmed),
        created_by: Set("system".into()),
        created_at: Set(store::now()),
        ticket_number: Set(None),
        ticket_token: Set(None),
        photo_key: Set(None),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("candidate");
    let report = store::entity::certificate_report::ActiveModel {
        city: Set(city.into()),
        count: Set(1),
        note: Set(String::new()),
        reported_by: Set("system".into()),
        reported_at: Set(store::now()),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("report");
    let c = certificate::ActiveModel {
        number: Set(format!("FX{city}{n}")),
        city: Set(city.into()),
        year: Set(2026),
        serial: Set(900_000 + n),
        session_id: Set(session),
        candidate_id: Set(candidate.id),
        project_id: Set(project),
        holder_name: Set("持证人".into()),
        id_number_enc: Set(sealed.clone()),
        id_number_idx: Set(format!("idx-{city}-{n}")),
        id_number_masked: Set("430***********0000".into()),
        blank_id: Set(None),
        status: Set(domain::certificates::CertificateStatus::Valid),
        reissues: Set(0),
        reported_at: Set(Some(store::now())),
        revoked_at: Set(None),
        revoke_reason: Set(String::new()),
        issued_by: Set("system".into()),
        issued_at: Set(store::now()),
        verify_token: Set(store::certificates::new_verify_token()),
        report_id: Set(Some(report.id)),
        revoked_by: Set(None),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("certificate");
    (c.id, report.id)
}
