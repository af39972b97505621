//! Certificates through HTTP (C1; issue 13, part 1). The blank stock: a city center records print
//! batches by serial range (every bad field named; an overlapping range refused on `first_serial`),
//! voids an unused blank with a reason behind a confirmation, and its counts reconcile (printed =
//! unused + used + voided); blanks are searched by serial and status, paged, exported; the province sees
//! every city, a city only its own. Issuing: only the organizer's staff, only for passed candidates of a
//! confirmed register when every gate held (the refusal names each missing gate), once per person and
//! project (the refusal names the number), numbered by the policy template with a gap-free serial of the
//! city and year, each on the lowest unused blank (none left: nothing saved); "issue all" is all or
//! nothing. Under concurrency — many tasks on two instances of one database — no number twice, no gap,
//! no blank used twice.

use crate::sessions::{World, exam_day, idn, plan, world, world_on};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashSet;
use store::certificates::IssueTarget;
use store::entity::{audit_log, certificate, certificate_blank, exam_session, exam_supervision_report};
use store::sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use testkit::TestApp;

pub async fn post(app: &TestApp, who: &str, path: &str, body: &Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json(path, Some(&t), body).await
}

pub async fn get(app: &TestApp, who: &str, path: &str) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.get(path, Some(&t)).await
}

pub async fn audit_count(app: &TestApp, action: &str) -> u64 {
    audit_log::Entity::find().filter(audit_log::Column::Action.eq(action)).count(&app.store.db).await.expect("audit")
}

async fn certificates(app: &TestApp) -> Vec<certificate::Model> {
    certificate::Entity::find().all(&app.store.db).await.expect("certificates")
}

/// A blank row of `city` straight in the table, with its batch (the authorization matrix's fixture).
pub async fn blank_row(app: &TestApp, city: &str) -> i64 {
    let batch = store::entity::certificate_batch::ActiveModel {
        city: Set(city.into()),
        prefix: Set("FX".into()),
        first_no: Set(1),
        digits: Set(6),
        count: Set(1),
        first_serial: Set("FX000001".into()),
        last_serial: Set("FX000001".into()),
        received_on: Set(store::today()),
        recorded_by: Set("system".into()),
        recorded_at: Set(store::now()),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("batch");
    certificate_blank::ActiveModel {
        batch_id: Set(batch.id),
        city: Set(city.into()),
        serial: Set("FX000001".into()),
        status: Set(domain::certificates::BlankStatus::Unused),
        used_at: Set(None),
        certificate_id: Set(None),
        void_reason: Set(String::new()),
        voided_by: Set(None),
        voided_at: Set(None),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("blank")
    .id
}

/// A city center's staff record a batch; answers the response.
pub async fn batch(app: &TestApp, who: &str, first: &str, count: &str) -> testkit::Resp {
    let on = store::today().to_string();
    post(
        app,
        who,
        "/api/v1/certificate-stock/batches",
        &json!({"first_serial": first, "count": count, "received_on": on}),
    )
    .await
}

/// An approved 长沙 session of 0001 with `passed` candidates who pass and `failed` who fail, the panel
/// seated, both reports filed and signed, the register submitted and — if `confirm` — confirmed by
/// 长沙's city center. Answers the session and the candidates' ids (the passed first).
pub async fn graded_session(app: &TestApp, passed: u32, failed: u32, confirm: bool) -> (i64, Vec<i64>) {
    let r = post(app, "cs_st", "/api/v1/sessions", &plan("0001", exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let mut cids = Vec::new();
    for i in 0..passed + failed {
        let body = json!({"name": format!("考生{}", NAMES[i as usize]), "id_number": idn(601 + i)});
        let r = post(app, "cs_st", &format!("/api/v1/sessions/{id}/candidates"), &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        cids.push(r.json()["id"].as_i64().expect("cid"));
    }
    let act = format!("/api/v1/sessions/{id}/actions");
    assert_eq!(post(app, "cs_st", &act, &json!({"action": "submit"})).await.status, StatusCode::OK);
    assert_eq!(post(app, "cs_staff", &act, &json!({"action": "approve"})).await.status, StatusCode::OK);
    crate::reports::seat_panel(app, id).await;
    exam_session::ActiveModel { id: Set(id), first_day: Set(store::today()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("exam today");
    let t = app.direct_token("cs_st").await;
    for (i, cid) in cids.iter().enumerate() {
        let score = if i < passed as usize {
            json!({"theory": "80", "practical": "90"})
        } else {
            json!({"theory": "30", "practical": "40"})
        };
        let r = app.send_json(Method::PUT, &format!("/api/v1/sessions/{id}/scores/{cid}"), Some(&t), &score).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    }
    crate::reports::file_all(app, id).await;
    let reg = format!("/api/v1/sessions/{id}/register");
    let r = post(app, "cs_st", &reg, &json!({"action": "submit", "reason": ""})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    if confirm {
        let r = post(app, "cs_staff", &reg, &json!({"action": "confirm", "reason": ""})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    (id, cids)
}

/// Candidates' names (a name is Chinese characters only).
const NAMES: [&str; 16] =
    ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑", "寅", "卯", "辰", "巳"];

pub fn yy() -> String {
    format!("{:02}", store::today().year() % 100)
}

#[tokio::test]
async fn c1_blank_stock_batches_overlaps_void_and_counts_that_reconcile() {
    let World { app, .. } = world().await;
    let app = &app;
    // Every bad field at once, named.
    let r = post(
        app,
        "cs_staff",
        "/api/v1/certificate-stock/batches",
        &json!({"first_serial": "hn-1", "count": "0", "received_on": "2099-01-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let body = r.json();
    let fields: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    for f in ["first_serial", "count", "received_on"] {
        assert!(fields.contains(&f), "{f}: {}", r.body);
    }
    // The province sees stock but does not record it; a station does neither.
    assert_eq!(batch(app, "prov", "HN00000001", "10").await.status, StatusCode::FORBIDDEN);
    assert_eq!(batch(app, "cs_st", "HN00000001", "10").await.status, StatusCode::FORBIDDEN);
    assert_eq!(get(app, "cs_st", "/api/v1/certificate-stock").await.status, StatusCode::FORBIDDEN);

    let r = batch(app, "cs_staff", "HN00000001", "10").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // An overlapping range: refused naming the field and the batch it overlaps; nothing saved.
    let r = batch(app, "cs_staff", "HN00000008", "5").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "BATCH_OVERLAP"), "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "first_serial");
    assert!(r.body.contains("HN00000001–HN00000010"), "{}", r.body);
    // Another city may use the same serials (its own stock); the next range of 长沙 is fine.
    assert_eq!(batch(app, "zz_staff", "HN00000001", "3").await.status, StatusCode::CREATED);
    assert_eq!(batch(app, "cs_staff", "HN00000011", "5").await.status, StatusCode::CREATED);
    assert_eq!(audit_count(app, "certificate_stock.batch_recorded").await, 3);

    let r = get(app, "cs_staff", "/api/v1/certificate-stock").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = r.json();
    assert_eq!(s["cities"].as_array().expect("cities").len(), 1, "a city sees its own: {s}");
    assert_eq!(s["stock"]["counts"], json!({"printed": 15, "unused": 15, "used": 0, "voided": 0}));
    assert!(s["stock"]["discrepancy"].is_null() && s["stock"]["can_manage"] == true);
    // 株洲 does not see 长沙's stock; the province sees every city and chooses one.
    assert_eq!(get(app, "zz_staff", "/api/v1/certificate-stock?city=430100").await.status, StatusCode::NOT_FOUND);
    let r = get(app, "prov", "/api/v1/certificate-stock?city=430100").await;
    let s = r.json();
    assert_eq!(s["cities"].as_array().expect("cities").len(), 14);
    assert_eq!(s["stock"]["counts"]["printed"], 15);
    assert_eq!(s["stock"]["can_manage"], false);
    // Who recorded a batch is named by their name, the user name kept beside it.
    let b0 = &s["stock"]["batches"][0];
    assert_eq!((b0["recorded_by"].as_str(), b0["recorded_by_name"].as_str()), (Some("cs_staff"), Some("测试用户")));

    // Blanks searched by serial and status, paged.
    let r = get(app, "cs_staff", "/api/v1/certificate-stock/blanks?q=HN0000001&per_page=3").await;
    let page = r.json();
    assert_eq!(page["total"], 6, "HN00000010…HN00000015: {page}");
    assert_eq!(page["items"][0]["serial"], "HN00000010");
    assert_eq!(page["items"].as_array().expect("items").len(), 3);
    let blank = get(app, "cs_staff", "/api/v1/certificate-stock/blanks?q=HN00000003").await.json()["items"][0]["id"]
        .as_i64()
        .expect("blank");

    // Void: a reason is required; the province and another city may not; then voided once.
    let void = format!("/api/v1/certificate-blanks/{blank}/void");
    let r = post(app, "cs_staff", &void, &json!({"reason": "  "})).await;
    assert_eq!(
        (r.status, r.error_code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED"),
        "{}",
        r.body
    );
    assert_eq!(post(app, "prov", &void, &json!({"reason": "印刷错位"})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(post(app, "zz_staff", &void, &json!({"reason": "印刷错位"})).await.status, StatusCode::NOT_FOUND);
    assert_eq!(post(app, "cs_staff", &void, &json!({"reason": "印刷错位"})).await.status, StatusCode::NO_CONTENT);
    let r = post(app, "cs_staff", &void, &json!({"reason": "印刷错位"})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "BLANK_STATE"), "{}", r.body);
    assert_eq!(audit_count(app, "certificate_stock.blank_voided").await, 1);
    let s = get(app, "cs_staff", "/api/v1/certificate-stock").await.json();
    assert_eq!(s["stock"]["counts"], json!({"printed": 15, "unused": 14, "used": 0, "voided": 1}));
    let r = get(app, "cs_staff", "/api/v1/certificate-stock/blanks?status=voided").await.json();
    assert_eq!((r["total"].as_u64(), r["items"][0]["void_reason"].as_str()), (Some(1), Some("印刷错位")));
    let r = get(app, "cs_staff", "/api/v1/certificate-stock/blanks?q=HN%25").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID"));
    let r = get(app, "cs_staff", "/api/v1/certificate-stock/blanks?status=lost").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID"));

    // A stock that does not reconcile says so (a blank row lost from the table).
    certificate_blank::Entity::delete_many()
        .filter(certificate_blank::Column::Serial.eq("HN00000015"))
        .filter(certificate_blank::Column::City.eq("430100"))
        .exec(&app.store.db)
        .await
        .expect("lose a row");
    let s = get(app, "cs_staff", "/api/v1/certificate-stock").await.json();
    assert!(s["stock"]["discrepancy"].as_str().expect("discrepancy").contains("账实不符"), "{s}");

    // The pages: the stock with its batches, the batch form, the void form behind a confirmation, export.
    let mut c = app.direct_web("cs_staff").await;
    let r = app.web_get(&mut c, "/certificate-stock").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("HN00000001–HN00000010") && r.body.contains("账实不符") && r.body.contains("空白证书"),
        "{}",
        r.body
    );
    let r = app.web_get(&mut c, "/certificate-stock/batches/new").await;
    assert_eq!(r.status, StatusCode::OK);
    let on = store::today().to_string();
    let r = app
        .web_post(
            &mut c,
            "/certificate-stock/batches",
            &[("first_serial", "HN00000005"), ("count", "2"), ("received_on", &on)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("与已登记的批次 HN00000001–HN00000010 重叠"), "{}", r.body);
    let r = app
        .web_post(
            &mut c,
            "/certificate-stock/batches",
            &[("first_serial", "HN00000100"), ("count", "2"), ("received_on", &on)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let other = get(app, "cs_staff", "/api/v1/certificate-stock/blanks?q=HN00000100").await.json()["items"][0]["id"]
        .as_i64()
        .expect("blank");
    let r = app.web_get(&mut c, &format!("/certificate-blanks/{other}/void")).await;
    assert!(r.body.contains("data-confirm") && r.body.contains("HN00000100"), "{}", r.body);
    let r = app.web_post(&mut c, &format!("/certificate-blanks/{other}/void"), &[("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("须填写理由"), "{}", r.body);
    let r = app.web_post(&mut c, &format!("/certificate-blanks/{other}/void"), &[("reason", "污损")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.web_get(&mut c, "/certificate-stock/export.xlsx?status=voided").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["content-type"].to_str().expect("type").contains("spreadsheetml"));
    let mut p = app.direct_web("prov").await;
    let r = app.web_get(&mut p, "/certificate-stock").await;
    assert!(r.body.contains("株洲市") && r.body.contains("请在上表中选择市州"), "{}", r.body);
}

#[tokio::test]
async fn c1_certificates_issued_only_through_every_gate_once_per_person_on_the_lowest_blank() {
    let World { app, .. } = world().await;
    let app = &app;
    let (id, cids) = graded_session(app, 3, 1, false).await;
    let one = format!("/api/v1/sessions/{id}/certificates");
    let all = format!("/api/v1/sessions/{id}/certificates/all");

    // Before the organizer confirms the register: the refusal names the gate.
    let r = post(app, "cs_staff", &one, &json!({"candidate_id": cids[0]})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CERTIFICATE_GATES"), "{}", r.body);
    assert!(r.body.contains("审核确认"), "{}", r.body);
    let reg = format!("/api/v1/sessions/{id}/register");
    assert_eq!(post(app, "cs_staff", &reg, &json!({"action": "confirm", "reason": ""})).await.status, StatusCode::OK);

    // A report missing after all (here: removed from the table): the refusal names the gate.
    let report = exam_supervision_report::Entity::find()
        .filter(exam_supervision_report::Column::SessionId.eq(id))
        .one(&app.store.db)
        .await
        .expect("read")
        .expect("report");
    exam_supervision_report::Entity::delete_many()
        .filter(exam_supervision_report::Column::SessionId.eq(id))
        .exec(&app.store.db)
        .await
        .expect("remove");
    let r = post(app, "cs_staff", &all, &json!({})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CERTIFICATE_GATES"), "{}", r.body);
    assert!(r.body.contains("督导报告") && !r.body.contains("审核确认"), "{}", r.body);
    let restored: exam_supervision_report::ActiveModel = report.into();
    exam_supervision_report::Entity::insert(restored).exec(&app.store.db).await.expect("restore");
    assert!(certificates(app).await.is_empty(), "nothing issued through a missing gate");

    // Who may issue: the organizer's staff (E1: 长沙's city center), nobody else.
    assert_eq!(post(app, "cs_st", &one, &json!({"candidate_id": cids[0]})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(post(app, "zz_staff", &one, &json!({"candidate_id": cids[0]})).await.status, StatusCode::NOT_FOUND);
    let r = post(app, "prov", &one, &json!({"candidate_id": cids[0]})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "NOT_ORGANIZER"), "{}", r.body);

    // No blank in 长沙's stock: a clear refusal, nothing saved (not even a serial).
    let r = post(app, "cs_staff", &one, &json!({"candidate_id": cids[0]})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CERTIFICATE_NO_BLANK"), "{}", r.body);
    assert!(r.body.contains("长沙市"), "{}", r.body);
    assert!(certificates(app).await.is_empty());
    assert_eq!(batch(app, "cs_staff", "HN00000001", "3").await.status, StatusCode::CREATED);
    assert_eq!(batch(app, "zz_staff", "HN00000001", "5").await.status, StatusCode::CREATED);
    // The lowest unused blank is HN00000001 unless voided: void it, HN00000002 is taken.
    let b1 = get(app, "cs_staff", "/api/v1/certificate-stock/blanks?q=HN00000001").await.json()["items"][0]["id"]
        .as_i64()
        .expect("blank");
    let r = post(app, "cs_staff", &format!("/api/v1/certificate-blanks/{b1}/void"), &json!({"reason": "污损"})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);

    // The failed candidate is refused naming why; a candidate of no roster is named too.
    let r = post(app, "cs_staff", &one, &json!({"candidate_id": cids[3]})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CERTIFICATE_GATES"), "{}", r.body);
    assert!(r.body.contains("不合格"), "{}", r.body);
    let r = post(app, "cs_staff", &one, &json!({"candidate_id": 999_999})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "CANDIDATE_NOT_IN_SESSION"));
    let r = post(app, "cs_staff", &one, &json!({})).await;
    assert_eq!(
        (r.status, r.json()["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("candidate_id"))
    );

    // Issued: the policy's number (43 city2 yy project4 serial6), the lowest unused blank.
    let r = post(app, "cs_staff", &one, &json!({"candidate_id": cids[0]})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = &r.json()["certificates"][0];
    let first = format!("4301{}0001000001", yy());
    assert_eq!(c["number"], first.as_str());
    assert_eq!(c["blank_serial"], "HN00000002");
    assert_eq!(c["holder_name"], "考生甲");
    assert!(c["id_number_masked"].as_str().expect("masked").contains('*'));
    assert_eq!(audit_count(app, "certificate.issued").await, 1);

    // Once per person and project: the refusal names the number held.
    let r = post(app, "cs_staff", &one, &json!({"candidate_id": cids[0]})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CERTIFICATE_DUPLICATE"), "{}", r.body);
    assert!(r.body.contains(&first), "{}", r.body);

    // Issue all: two passed candidates pending, one blank left — all or nothing: nothing issued.
    let r = post(app, "cs_staff", &all, &json!({})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CERTIFICATE_NO_BLANK"), "{}", r.body);
    assert_eq!(certificates(app).await.len(), 1, "all or nothing");
    let s = get(app, "cs_staff", "/api/v1/certificate-stock").await.json();
    assert_eq!(s["stock"]["counts"], json!({"printed": 3, "unused": 1, "used": 1, "voided": 1}));
    assert_eq!(batch(app, "cs_staff", "HN00000004", "5").await.status, StatusCode::CREATED);
    let r = post(app, "cs_staff", &all, &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let issued: Vec<(String, String)> = r.json()["certificates"]
        .as_array()
        .expect("certificates")
        .iter()
        .map(|c| {
            (
                c["number"].as_str().unwrap_or_default().to_owned(),
                c["blank_serial"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        issued,
        [
            (format!("4301{}0001000002", yy()), "HN00000003".to_owned()),
            (format!("4301{}0001000003", yy()), "HN00000004".to_owned())
        ],
        "gap-free serials, the lowest blanks, in roster order"
    );
    let r = post(app, "cs_staff", &all, &json!({})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CERTIFICATE_NONE_PENDING"), "{}", r.body);
    assert_eq!(audit_count(app, "certificate.issued").await, 3);
    let s = get(app, "cs_staff", "/api/v1/certificate-stock").await.json();
    assert_eq!(s["stock"]["counts"], json!({"printed": 8, "unused": 4, "used": 3, "voided": 1}));
    // 株洲's stock untouched.
    let s = get(app, "zz_staff", "/api/v1/certificate-stock").await.json();
    assert_eq!(s["stock"]["counts"]["used"], 0);
    // A used blank is not voided on its own (it moves with a reissue).
    let b2 = get(app, "cs_staff", "/api/v1/certificate-stock/blanks?q=HN00000002").await.json()["items"][0].clone();
    assert_eq!(b2["certificate_number"], first.as_str());
    let r =
        post(app, "cs_staff", &format!("/api/v1/certificate-blanks/{}/void", b2["id"]), &json!({"reason": "x"})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "BLANK_USED"), "{}", r.body);

    // The session's section and the list, searched by number, name and session; scoped.
    let s = get(app, "cs_st", &format!("/api/v1/sessions/{id}/certificates")).await.json();
    assert_eq!((s["pending"].as_u64(), s["can_issue"].as_bool()), (Some(0), Some(false)));
    assert_eq!(s["rows"].as_array().expect("rows").len(), 4);
    let l = get(app, "cs_staff", &format!("/api/v1/issued-certificates?q={first}")).await.json();
    assert_eq!(l["total"], 1);
    let l = get(app, "cs_staff", "/api/v1/issued-certificates?q=考生").await.json();
    assert_eq!(l["total"], 3);
    let l = get(app, "prov", &format!("/api/v1/issued-certificates?session_id={id}")).await.json();
    assert_eq!(l["total"], 3);
    let l = get(app, "zz_staff", "/api/v1/issued-certificates").await.json();
    assert_eq!(l["total"], 0, "another city sees none of 长沙's");
    let r = get(app, "cs_staff", "/api/v1/issued-certificates?session_id=abc").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID"));
}

#[tokio::test]
async fn c1_the_session_page_issues_one_and_all_and_the_list_exports() {
    let World { app, .. } = world().await;
    let app = &app;
    let (id, cids) = graded_session(app, 2, 0, true).await;
    let mut c = app.direct_web("cs_staff").await;
    let r = app.web_get(&mut c, &format!("/sessions/{id}")).await;
    assert!(r.body.contains("证书核发") && r.body.contains("全部核发（2 人）"), "{}", r.body);
    // No blanks: the refusal on the session's page, nothing issued.
    let cid = cids[0].to_string();
    let r = app.web_post(&mut c, &format!("/sessions/{id}/certificates"), &[("candidate_id", &cid)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("空白证书已用完"), "{}", r.body);
    assert_eq!(batch(app, "cs_staff", "HN00000001", "5").await.status, StatusCode::CREATED);
    let r = app.web_post(&mut c, &format!("/sessions/{id}/certificates"), &[("candidate_id", &cid)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.web_post(&mut c, &format!("/sessions/{id}/certificates/all"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.web_get(&mut c, &format!("/sessions/{id}")).await;
    assert!(r.body.contains(&format!("4301{}0001000002", yy())) && r.body.contains("HN00000002"), "{}", r.body);
    let r = app.web_get(&mut c, "/issued-certificates?q=考生乙").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&format!("4301{}0001000002", yy())) && !r.body.contains("0001000001<"), "{}", r.body);
    let r = app.web_get(&mut c, &format!("/issued-certificates/export.xlsx?session_id={id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["content-type"].to_str().expect("type").contains("spreadsheetml"));
    // The station reads the section, without the buttons.
    let mut st = app.direct_web("cs_st").await;
    let r = app.web_get(&mut st, &format!("/sessions/{id}")).await;
    assert!(r.body.contains("证书核发") && !r.body.contains("核发证书</button>"), "{}", r.body);
}

/// Issue 13, Done when: many tasks issuing at once for different candidates of one city, on two
/// instances of one database — no number twice, no gap in the serials, no blank used twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c1_concurrent_issuing_on_two_instances_gives_no_duplicate_no_gap_no_blank_twice() {
    const N: u32 = 12;
    let (a, b) = TestApp::spawn_pair().await;
    let w = world_on(a).await;
    let app = &w.app;
    let (id, cids) = graded_session(app, N, 0, true).await;
    assert_eq!(batch(app, "cs_staff", "HN00000001", "40").await.status, StatusCode::CREATED);
    let pa = app.principal("cs_staff").await;
    let pb = b.principal("cs_staff").await;
    let mut tasks = Vec::new();
    for (i, cid) in cids.iter().copied().enumerate() {
        let (store, p) = if i % 2 == 0 { (app.store.clone(), pa.clone()) } else { (b.store.clone(), pb.clone()) };
        tasks.push(tokio::spawn(async move {
            store.issue_certificates(&p, id, IssueTarget::One(cid), &store::Ctx::system()).await
        }));
    }
    for t in tasks {
        let issued = t.await.expect("task").expect("issued");
        assert_eq!(issued.len(), 1);
    }
    let rows = certificates(app).await;
    assert_eq!(rows.len(), N as usize);
    let numbers: HashSet<&str> = rows.iter().map(|c| c.number.as_str()).collect();
    assert_eq!(numbers.len(), N as usize, "no number twice");
    let mut serials: Vec<i64> = rows.iter().map(|c| c.serial).collect();
    serials.sort_unstable();
    assert_eq!(serials, (1..=i64::from(N)).collect::<Vec<_>>(), "no gap");
    let blanks: HashSet<i64> = rows.iter().filter_map(|c| c.blank_id).collect();
    assert_eq!(blanks.len(), N as usize, "no blank used twice");
    let used = certificate_blank::Entity::find()
        .filter(certificate_blank::Column::Status.eq(domain::certificates::BlankStatus::Used))
        .all(&app.store.db)
        .await
        .expect("blanks");
    assert_eq!(used.len(), N as usize);
    let mut used_serials: Vec<&str> = used.iter().map(|b| b.serial.as_str()).collect();
    used_serials.sort_unstable();
    assert_eq!(used_serials.last().copied(), Some("HN00000012"), "the lowest blanks, none skipped");
    assert!(used.iter().all(|b| b.certificate_id.is_some()));
}

/// E1: whoever organized the session issues — for a province-organized session the province's staff
/// (on the station city's stock and serial), not the city center.
#[tokio::test]
async fn c1_a_province_organized_session_is_issued_by_the_province_on_the_station_citys_stock() {
    let World { app, .. } = world().await;
    let app = &app;
    let (id, cids) = graded_session(app, 1, 0, true).await;
    assert_eq!(batch(app, "cs_staff", "HN00000001", "2").await.status, StatusCode::CREATED);
    exam_session::ActiveModel { id: Set(id), organizer_city: Set(None), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("organized by the province");
    let one = format!("/api/v1/sessions/{id}/certificates");
    let r = post(app, "cs_staff", &one, &json!({"candidate_id": cids[0]})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "NOT_ORGANIZER"), "{}", r.body);
    assert!(r.body.contains("省鉴定中心"), "{}", r.body);
    let s = get(app, "prov", &format!("/api/v1/sessions/{id}/certificates")).await.json();
    assert_eq!(s["can_issue"], true);
    let r = post(app, "prov", &one, &json!({"candidate_id": cids[0]})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = &r.json()["certificates"][0];
    assert_eq!(
        (c["number"].as_str(), c["blank_serial"].as_str()),
        (Some(format!("4301{}0001000001", yy()).as_str()), Some("HN00000001"))
    );
}
