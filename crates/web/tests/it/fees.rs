//! Fees through HTTP (F1): the city center that holds a session's money (the station's city center)
//! records each candidate's fee once the plan is approved — paid at the standard with date and receipt
//! number, waived with a reason, a paid fee refunded with a reason — and keeps a ledger that reconciles
//! over a month, quarter or year (collected − refunded = remitted + outstanding); a remittance to the
//! treasury above what is outstanding is refused, and a ledger that does not balance says so. Each
//! refusal: the wrong amount, a refund or waiver without a reason, a waiver of a paid fee, a second
//! payment, a receipt number used twice, an over-remittance (also one back-dated past a later refund),
//! a plan not yet approved; another city's staff find nothing (404), the province reads only, the
//! station nothing. The exports carry the records with masked ID numbers.

use crate::sessions::{exam_day, idn, plan, world};
use crate::support::{error_beside, error_fields};
use http::StatusCode;
use serde_json::{Value, json};
use store::entity::{audit_log, exam_fee};
use store::sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use testkit::TestApp;
use time::{Date, Duration};

async fn post(app: &TestApp, who: &str, path: &str, body: &Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json(path, Some(&t), body).await
}

async fn get(app: &TestApp, who: &str, path: &str) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.get(path, Some(&t)).await
}

async fn audits(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find().filter(audit_log::Column::Action.eq(action)).all(&app.store.db).await.expect("audit")
}

async fn fee_rows(app: &TestApp) -> usize {
    exam_fee::Entity::find().all(&app.store.db).await.expect("fees").len()
}

/// A session of the 长沙 station with `n` candidates (王一 …), approved by the 长沙 center unless
/// `approve` is false. Answers the session and candidate ids.
async fn session(app: &TestApp, n: u32, approve: bool) -> (i64, Vec<i64>) {
    let r = post(app, "cs_st", "/api/v1/sessions", &plan("0001", exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let mut cids = Vec::new();
    for i in 0..n {
        let name = format!("王{}", ["一", "二", "三", "四", "五"][i as usize]);
        let r = post(
            app,
            "cs_st",
            &format!("/api/v1/sessions/{id}/candidates"),
            &json!({"name": name, "id_number": idn(i + 1)}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        cids.push(r.json()["id"].as_i64().expect("cid"));
    }
    if approve {
        let act = format!("/api/v1/sessions/{id}/actions");
        assert_eq!(post(app, "cs_st", &act, &json!({"action": "submit"})).await.status, StatusCode::OK);
        let r = post(app, "cs_staff", &act, &json!({"action": "approve"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    (id, cids)
}

fn pay_body(on: Date, amount: &str, receipt: &str) -> Value {
    json!({"paid_on": on.to_string(), "amount": amount, "receipt_number": receipt})
}

fn path(id: i64, cid: i64, what: &str) -> String {
    format!("/api/v1/sessions/{id}/fees/{cid}/{what}")
}

#[tokio::test]
async fn f1_the_city_center_pays_waives_and_refunds_each_fee_and_every_refusal_saves_nothing() {
    let w = world().await;
    let app = &w.app;
    let today = store::today();
    // Before the plan is approved nothing is recorded.
    let (draft, dcids) = session(app, 1, false).await;
    let r = post(app, "cs_staff", &path(draft, dcids[0], "pay"), &pay_body(today, "150", "R-0")).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "FEE_SESSION_NOT_APPROVED".into()), "{}", r.body);

    let (id, c) = session(app, 4, true).await;
    let r = get(app, "cs_staff", &format!("/api/v1/sessions/{id}/fees")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = r.json();
    assert_eq!((s["standard"].as_str(), s["city"].as_str()), (Some("150.00"), Some("430100")), "{s}");
    assert_eq!(
        (s["open"].as_bool(), s["can_record"].as_bool(), s["totals"]["due"].as_u64()),
        (Some(true), Some(true), Some(4))
    );
    assert!(
        s["fees"]
            .as_array()
            .expect("fees")
            .iter()
            .all(|f| f["status"] == "due" && f["id_number_masked"].as_str().is_some_and(|m| m.contains('*')))
    );

    // The amount is the standard; every field is named; nothing is saved.
    let r = post(app, "cs_staff", &path(id, c[0], "pay"), &pay_body(today, "100", "R-1")).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "FEE_AMOUNT".into()), "{}", r.body);
    assert!(r.json()["errors"][0]["detail"].as_str().is_some_and(|d| d.contains("150.00 元")), "{}", r.body);
    let r = post(
        app,
        "cs_staff",
        &path(id, c[0], "pay"),
        &json!({"paid_on": (today + Duration::days(1)).to_string(), "amount": "abc"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&r.json()), ["paid_on", "amount", "receipt_number"], "{}", r.body);
    assert_eq!(fee_rows(app).await, 0);

    // Paid: the standard, the date, the receipt, who recorded it; the policy version in the audit record.
    let r = post(app, "cs_staff", &path(id, c[0], "pay"), &pay_body(today, "150.00", "R-1")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let f = r.json();
    assert_eq!(
        (f["status"].as_str(), f["amount"].as_str(), f["receipt_number"].as_str(), f["paid_by"].as_str()),
        (Some("paid"), Some("150.00"), Some("R-1"), Some("cs_staff"))
    );
    // Pages and answers name the person (the account's display name), not the user name.
    assert_eq!(f["paid_by_name"].as_str(), Some("测试用户"), "{}", r.body);
    let paid = audits(app, "fee.paid").await;
    assert_eq!(paid.len(), 1);
    assert!(paid[0].detail.contains("fee.assessment_fee") && paid[0].detail.contains("R-1"), "{}", paid[0].detail);
    // Paid twice: refused for its state; the same receipt for another candidate: refused naming it.
    let r = post(app, "cs_staff", &path(id, c[0], "pay"), &pay_body(today, "150", "R-9")).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "FEE_STATE".into()));
    let r = post(app, "cs_staff", &path(id, c[1], "pay"), &pay_body(today, "150", "R-1")).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "FEE_RECEIPT_USED".into()));
    assert_eq!(error_fields(&r.json()), ["receipt_number"]);

    // A paid fee is refunded, never waived; a waiver and a refund need a reason.
    let r = post(app, "cs_staff", &path(id, c[0], "waive"), &json!({"reason": "困难群体"})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "FEE_STATE".into()), "{}", r.body);
    let r = post(app, "cs_staff", &path(id, c[1], "waive"), &json!({"reason": "  "})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED".into()));
    let r = post(app, "cs_staff", &path(id, c[1], "waive"), &json!({"reason": "建档立卡脱贫人口，依政策免收"})).await;
    assert_eq!((r.status, r.json()["status"].as_str()), (StatusCode::OK, Some("waived")), "{}", r.body);
    let r = post(app, "cs_staff", &path(id, c[1], "pay"), &pay_body(today, "150", "R-2")).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "FEE_STATE".into()));
    let r = post(
        app,
        "cs_staff",
        &path(id, c[2], "refund"),
        &json!({"refunded_on": today.to_string(), "reason": "考核取消"}),
    )
    .await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "FEE_STATE".into()), "a due fee is not refunded");
    let r = post(app, "cs_staff", &path(id, c[0], "refund"), &json!({"refunded_on": today.to_string(), "reason": ""}))
        .await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED".into()));
    assert_eq!(error_fields(&r.json()), ["reason"]);
    let r = post(
        app,
        "cs_staff",
        &path(id, c[0], "refund"),
        &json!({"refunded_on": today.to_string(), "reason": "考生因病未能参加考核"}),
    )
    .await;
    assert_eq!((r.status, r.json()["status"].as_str()), (StatusCode::OK, Some("refunded")), "{}", r.body);
    let r =
        post(app, "cs_staff", &path(id, c[0], "refund"), &json!({"refunded_on": today.to_string(), "reason": "再退"}))
            .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!((audits(app, "fee.waived").await.len(), audits(app, "fee.refunded").await.len()), (1, 1));
    let r = post(app, "cs_staff", &path(id, c[2], "pay"), &pay_body(today, "150", "R-3")).await;
    assert_eq!(r.status, StatusCode::OK);
    let t = get(app, "cs_staff", &format!("/api/v1/sessions/{id}/fees")).await.json()["totals"].clone();
    assert_eq!(
        (t["due"].as_u64(), t["paid"].as_u64(), t["waived"].as_u64(), t["refunded"].as_u64()),
        (Some(1), Some(1), Some(1), Some(1)),
        "{t}"
    );
    assert_eq!(
        (t["collected"].as_str(), t["refunded_amount"].as_str(), t["net"].as_str()),
        (Some("300.00"), Some("150.00"), Some("150.00"))
    );

    // Scope: the province reads and records nothing; another city finds nothing; the station nothing.
    let r = get(app, "prov", &format!("/api/v1/sessions/{id}/fees")).await;
    assert_eq!((r.status, r.json()["can_record"].as_bool()), (StatusCode::OK, Some(false)));
    assert_eq!(
        post(app, "prov", &path(id, c[3], "pay"), &pay_body(today, "150", "R-4")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(get(app, "zz_staff", &format!("/api/v1/sessions/{id}/fees")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        post(app, "zz_staff", &path(id, c[3], "pay"), &pay_body(today, "150", "R-4")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(app, "cs_st", &format!("/api/v1/sessions/{id}/fees")).await.status, StatusCode::FORBIDDEN);
    // A candidate of another session is not this session's.
    assert_eq!(
        post(app, "cs_staff", &path(id, dcids[0], "pay"), &pay_body(today, "150", "R-5")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(fee_rows(app).await, 3);
}

fn month(d: Date) -> String {
    format!("{}-{:02}", d.year(), u8::from(d.month()))
}

async fn ledger(app: &TestApp, who: &str, query: &str) -> Value {
    let r = get(app, who, &format!("/api/v1/fees/ledger?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn remit(on: Date, amount: &str, voucher: &str) -> Value {
    json!({"remitted_on": on.to_string(), "amount": amount, "voucher_number": voucher, "note": ""})
}

#[tokio::test]
async fn f1_the_ledger_reconciles_each_period_and_refuses_a_remittance_above_what_is_outstanding() {
    let w = world().await;
    let app = &w.app;
    let today = store::today();
    let old = today - Duration::days(70);
    let (id, c) = session(app, 3, true).await;
    for (cid, on, receipt) in [(c[0], old, "R-1"), (c[1], old, "R-2"), (c[2], today, "R-3")] {
        let r = post(app, "cs_staff", &path(id, cid, "pay"), &pay_body(on, "150", receipt)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = post(
        app,
        "cs_staff",
        &path(id, c[1], "refund"),
        &json!({"refunded_on": today.to_string(), "reason": "重复报名"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // On the old day 300.00 was outstanding: more is refused, naming the amount; 200.00 is taken.
    let r = post(app, "cs_staff", "/api/v1/fees/remittances", &remit(old, "300.01", "FS-1")).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "REMITTANCE_AMOUNT".into()),
        "{}",
        r.body
    );
    assert_eq!(error_fields(&r.json()), ["amount"]);
    let r = post(app, "cs_staff", "/api/v1/fees/remittances", &remit(old, "200", "FS-1")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Now 100.00 is outstanding: 100.01 is refused, the same voucher is refused, 100.00 is taken.
    let r = post(app, "cs_staff", "/api/v1/fees/remittances", &remit(today, "100.01", "FS-2")).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "REMITTANCE_AMOUNT".into()));
    assert!(r.json()["errors"][0]["detail"].as_str().is_some_and(|d| d.contains("100.00 元")), "{}", r.body);
    let r = post(app, "cs_staff", "/api/v1/fees/remittances", &remit(today, "100", "FS-1")).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "REMITTANCE_VOUCHER_USED".into()));
    let r = post(app, "cs_staff", "/api/v1/fees/remittances", &remit(today, "100", "FS-2")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Back-dated to the old day, where 100.00 still shows, it would leave today below nothing: refused.
    let r = post(app, "cs_staff", "/api/v1/fees/remittances", &remit(old, "50", "FS-3")).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "REMITTANCE_AMOUNT".into()),
        "{}",
        r.body
    );
    // The province and another city record no remittance; a date ahead is refused.
    assert_eq!(
        post(app, "prov", "/api/v1/fees/remittances", &remit(today, "1", "FS-9")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = post(app, "cs_staff", "/api/v1/fees/remittances", &remit(today + Duration::days(1), "1", "FS-9")).await;
    assert_eq!(error_fields(&r.json()), ["remitted_on"]);
    assert_eq!(audits(app, "fee_remittance.recorded").await.len(), 2);

    // The old month: 300.00 collected, 200.00 remitted, 100.00 outstanding at its end.
    let l = ledger(app, "cs_staff", &format!("period={}", month(old))).await;
    let t = &l["total"];
    assert_eq!(l["city"].as_str(), Some("430100"));
    assert_eq!(
        (
            t["opening"].as_str(),
            t["period"]["collected"].as_str(),
            t["period"]["refunded"].as_str(),
            t["period"]["remitted"].as_str(),
            t["closing"]["outstanding"].as_str()
        ),
        (Some("0.00"), Some("300.00"), Some("0.00"), Some("200.00"), Some("100.00")),
        "{l}"
    );
    // This month: 100.00 carried in + 150.00 − 150.00 = 100.00 remitted + 0.00 outstanding.
    let l = ledger(app, "cs_staff", &format!("period={}", month(today))).await;
    let t = &l["total"];
    assert_eq!(
        (
            t["opening"].as_str(),
            t["period"]["collected"].as_str(),
            t["period"]["refunded"].as_str(),
            t["period"]["remitted"].as_str(),
            t["closing"]["outstanding"].as_str()
        ),
        (Some("100.00"), Some("150.00"), Some("150.00"), Some("100.00"), Some("0.00")),
        "{l}"
    );
    // Cumulatively collected − refunded = remitted + outstanding, and nothing is off.
    assert_eq!(
        (t["closing"]["collected"].as_str(), t["closing"]["refunded"].as_str(), t["closing"]["remitted"].as_str()),
        (Some("450.00"), Some("150.00"), Some("300.00"))
    );
    assert!(t["discrepancy"].is_null(), "{t}");
    let q = if old.year() == today.year() {
        format!("period={}", today.year())
    } else {
        format!("period={}", month(today))
    };
    assert_eq!(ledger(app, "cs_staff", &q).await["total"]["closing"]["outstanding"].as_str(), Some("0.00"));
    // Over this quarter too: opening + collected − refunded = remitted + outstanding at its end.
    let quarter = format!("period={}-Q{}", today.year(), (u8::from(today.month()) - 1) / 3 + 1);
    let q = ledger(app, "cs_staff", &quarter).await["total"].clone();
    let fen = |v: &Value| domain::ids::Money::parse_yuan(v.as_str().unwrap_or("x")).expect("an amount").fen();
    assert_eq!(
        fen(&q["opening"]) + fen(&q["period"]["collected"]) - fen(&q["period"]["refunded"]),
        fen(&q["period"]["remitted"]) + fen(&q["closing"]["outstanding"]),
        "{q}"
    );

    // The province sees every city, or the one it names; another city sees its own (nothing) and not 长沙.
    let p = ledger(app, "prov", &format!("period={}", month(today))).await;
    assert_eq!(p["city"], Value::Null);
    assert_eq!(
        p["cities"].as_array().map(|c| c.iter().map(|c| c["city"].as_str()).collect::<Vec<_>>()),
        Some(vec![Some("430100")])
    );
    assert_eq!(ledger(app, "prov", "city=430200").await["total"]["closing"]["collected"].as_str(), Some("0.00"));
    assert_eq!(ledger(app, "zz_staff", "").await["total"]["closing"]["collected"].as_str(), Some("0.00"));
    assert_eq!(get(app, "zz_staff", "/api/v1/fees/ledger?city=430100").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(app, "cs_st", "/api/v1/fees/ledger").await.status, StatusCode::FORBIDDEN);
    let r = get(app, "cs_staff", "/api/v1/fees/ledger?period=2026-13").await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "PERIOD_FORMAT".into()));

    // A ledger that does not balance (a remittance written past the checks) says so, never silently.
    store::entity::fee_remittance::ActiveModel {
        city: Set("430100".into()),
        remitted_on: Set(today),
        amount_fen: Set(5_000),
        voucher_number: Set("FS-X".into()),
        note: Set(String::new()),
        recorded_by: Set("test".into()),
        recorded_at: Set(store::now()),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("row");
    let l = ledger(app, "cs_staff", &format!("period={}", month(today))).await;
    assert!(
        l["total"]["discrepancy"].as_str().is_some_and(|d| d.contains("收支不符") && d.contains("50.00 元")),
        "{l}"
    );
    let mut web = app.direct_web("cs_staff").await;
    let page = app.web_get(&mut web, "/fees").await;
    assert!(page.body.contains("收支不符"), "the page shows it");
}

#[tokio::test]
async fn f1_the_pages_record_a_fee_and_a_remittance_and_show_each_refusal_beside_its_field() {
    let w = world().await;
    let app = &w.app;
    let (id, c) = session(app, 2, true).await;
    let mut web = app.direct_web("cs_staff").await;
    let show = app.web_get(&mut web, &format!("/sessions/{id}")).await;
    assert!(
        show.body.contains("id=\"fees\"") && show.body.contains(&format!("/sessions/{id}/fees")),
        "the session links its fees"
    );
    let page = app.web_get(&mut web, &format!("/sessions/{id}/fees")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("150.00 元") && page.body.contains("王一") && page.body.contains("待缴费"),
        "{}",
        page.body
    );
    let form = app.web_get(&mut web, &format!("/sessions/{id}/fees/{}", c[0])).await;
    assert!(form.body.contains("value=\"150.00\"") && form.body.contains("data-confirm"), "{}", form.body);
    let today = store::today().to_string();
    let r = app
        .web_post(
            &mut web,
            &format!("/sessions/{id}/fees/{}/pay", c[0]),
            &[("paid_on", &today), ("amount", "120"), ("receipt_number", "P-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_beside(&r.body, "amount").contains("150.00 元"), "{}", r.body);
    assert!(r.body.contains("value=\"P-1\""), "what was typed stays");
    let r = app
        .web_post(
            &mut web,
            &format!("/sessions/{id}/fees/{}/pay", c[0]),
            &[("paid_on", &today), ("amount", "150"), ("receipt_number", "P-1")],
        )
        .await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, format!("/sessions/{id}/fees")), "{}", r.body);
    let page = app.web_get(&mut web, &format!("/sessions/{id}/fees")).await;
    assert!(page.body.contains("已登记缴费") && page.body.contains("P-1"), "{}", page.body);
    let r = app.web_post(&mut web, &format!("/sessions/{id}/fees/{}/waive", c[1]), &[("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_beside(&r.body, "waive_reason").contains("理由"), "{}", r.body);
    // The ledger: over-remittance refused beside the amount, then recorded.
    let r = app
        .web_post(
            &mut web,
            "/fees/remittances",
            &[("remitted_on", &today), ("amount", "150.01"), ("voucher_number", "V-1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_beside(&r.body, "amount").contains("超过"), "{}", r.body);
    let r = app
        .web_post(
            &mut web,
            "/fees/remittances",
            &[("remitted_on", &today), ("amount", "150"), ("voucher_number", "V-1")],
        )
        .await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/fees".to_string()), "{}", r.body);
    let l = app.web_get(&mut web, "/fees").await;
    assert!(l.body.contains("收支相符") && l.body.contains("150.00"), "{}", l.body);
    // The province reads the page without forms; another city does not find the session.
    let mut prov = app.direct_web("prov").await;
    let p = app.web_get(&mut prov, &format!("/sessions/{id}/fees/{}", c[1])).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(!p.body.contains("/waive\""), "no form for the province");
    let p = app.web_get(&mut prov, "/fees").await;
    assert!(p.body.contains("全省") && !p.body.contains("登记上缴财政"), "{}", p.body);
    let mut zz = app.direct_web("zz_staff").await;
    assert_eq!(app.web_get(&mut zz, &format!("/sessions/{id}/fees")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn f1_the_exports_carry_the_fee_records_and_remittances_with_masked_id_numbers() {
    let w = world().await;
    let app = &w.app;
    let today = store::today();
    let (id, c) = session(app, 2, true).await;
    assert_eq!(
        post(app, "cs_staff", &path(id, c[0], "pay"), &pay_body(today, "150", "R-77")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        post(app, "cs_staff", &path(id, c[1], "waive"), &json!({"reason": "残疾人免收"})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        post(app, "cs_staff", "/api/v1/fees/remittances", &remit(today, "150", "FS-77")).await.status,
        StatusCode::CREATED
    );
    let mut web = app.direct_web("cs_staff").await;
    let sheet = app.web_get(&mut web, &format!("/fees/records.xlsx?period={}", today.year())).await;
    assert_eq!(sheet.status, StatusCode::OK);
    let rows = web::xlsx::read(&sheet.bytes).expect("a readable .xlsx");
    assert_eq!(rows[0], web::areas::fees::ledger::RECORD_HEADERS.map(String::from).to_vec());
    assert_eq!(rows.len(), 3, "{rows:?}");
    let paid = rows.iter().find(|r| r[5] == "王一").expect("王一");
    assert_eq!(
        (paid[0].as_str(), paid[8].as_str(), paid[9].as_str(), paid[11].as_str()),
        ("长沙市", "已缴费", "150.00", "R-77")
    );
    assert!(paid[6].contains('*') && paid[6] != idn(1), "masked: {}", paid[6]);
    let waived = rows.iter().find(|r| r[5] == "王二").expect("王二");
    assert_eq!((waived[8].as_str(), waived[15].as_str()), ("已减免", "残疾人免收"));
    let only_paid = app.web_get(&mut web, "/fees/records.xlsx?status=paid&q=R-77").await;
    assert_eq!(web::xlsx::read(&only_paid.bytes).expect("xlsx").len(), 2);
    let sheet = app.web_get(&mut web, "/fees/remittances.xlsx").await;
    let rows = web::xlsx::read(&sheet.bytes).expect("a readable .xlsx");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[1][1].as_str(), rows[1][2].as_str(), rows[1][3].as_str()),
        (today.to_string().as_str(), "150.00", "FS-77")
    );
    // The lists page and filter the same records.
    let list = app.web_get(&mut web, "/fees/records?status=waived").await;
    assert!(list.body.contains("王二") && !list.body.contains("R-77"), "{}", list.body);
    let r = get(app, "cs_staff", "/api/v1/fees/records?per_page=1").await.json();
    assert_eq!((r["total"].as_u64(), r["items"].as_array().map(Vec::len)), (Some(2), Some(1)));
    let r = get(app, "cs_staff", "/api/v1/fees/remittances").await.json();
    assert_eq!(r["items"][0]["voucher_number"].as_str(), Some("FS-77"));
    assert_eq!(r["items"][0]["recorded_by_name"].as_str(), Some("测试用户"));
    let page = app.web_get(&mut web, "/fees/remittances").await;
    assert!(page.body.contains("<td>测试用户</td>"), "{}", page.body);
    // Another city's export is empty; the province's names the city.
    let mut zz = app.direct_web("zz_staff").await;
    assert_eq!(web::xlsx::read(&app.web_get(&mut zz, "/fees/records.xlsx").await.bytes).expect("xlsx").len(), 1);
}

#[tokio::test]
async fn f1_remittances_sent_at_once_never_take_more_than_is_outstanding() {
    let w = world().await;
    let app = &w.app;
    let today = store::today();
    let (id, c) = session(app, 2, true).await;
    for (i, cid) in c.iter().enumerate() {
        let r = post(app, "cs_staff", &path(id, *cid, "pay"), &pay_body(today, "150", &format!("R-{i}"))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // 300.00 outstanding; eight remittances of 100.00 at once: three are taken, the rest refused.
    let t = app.direct_token("cs_staff").await;
    let bodies: Vec<Value> = (0..8).map(|i| remit(today, "100", &format!("C-{i}"))).collect();
    let answers =
        futures_util::future::join_all(bodies.iter().map(|b| app.post_json("/api/v1/fees/remittances", Some(&t), b)))
            .await;
    let taken = answers.iter().filter(|r| r.status == StatusCode::CREATED).count();
    let refused: Vec<String> =
        answers.iter().filter(|r| r.status != StatusCode::CREATED).map(testkit::Resp::error_code).collect();
    assert_eq!((taken, refused.len()), (3, 5), "{refused:?}");
    assert!(refused.iter().all(|c| c == "REMITTANCE_AMOUNT"), "{refused:?}");
    let l = ledger(app, "cs_staff", "").await;
    assert_eq!(l["total"]["closing"]["outstanding"].as_str(), Some("0.00"), "{l}");
}
