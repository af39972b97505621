//! The certificate subsidy through HTTP (F3; issue 13). A candidate with a training record and a valid
//! certificate in a category the policy names becomes a claim; every other certificate of the period is
//! listed with its reasons in words. A city center builds a batch of a period from the eligible
//! certificates not yet claimed (all in one step), approves or rejects each claim (a reason), approves
//! the batch and records its payment; the province reads every city, a city center its own (another's
//! batch: 404), a role without the action 403. Nobody is claimed twice for the same project: not by a
//! second batch, not by batches built at once on two instances of one database, not by a row written
//! past the store (the unique index); a rejected claim does not block a later one. The finance office's
//! .xlsx opens and carries the full ID numbers for the city center's staff, masked ones for the province.

use crate::sessions::{World, exam_day, idn, plan, world, world_on};
use crate::support::error_beside;
use http::StatusCode;
use serde_json::{Value, json};
use std::collections::HashSet;
use store::entity::{audit_log, certificate, exam_candidate, exam_session, subsidy_claim};
use store::sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use testkit::TestApp;

async fn post(app: &TestApp, who: &str, path: &str, body: &Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json(path, Some(&t), body).await
}

async fn get(app: &TestApp, who: &str, path: &str) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.get(path, Some(&t)).await
}

async fn audit_count(app: &TestApp, action: &str) -> u64 {
    audit_log::Entity::find().filter(audit_log::Column::Action.eq(action)).count(&app.store.db).await.expect("audit")
}

/// The province publishes a subsidy standard of `yuan` in force from today.
async fn publish_standard(app: &TestApp, yuan: &str) {
    app.create_user("sheng_admin", &[domain::org::Role::ProvinceAdmin], app.org_id("430000").await).await;
    let admin = app.principal("sheng_admin").await;
    app.store
        .add_policy_version(
            &admin,
            domain::policy::keys::CERTIFICATE_SUBSIDY,
            yuan,
            Some(store::today()),
            "湘人社规〔2026〕测试号",
            &store::Ctx::system(),
        )
        .await
        .expect("standard");
}

/// One candidate as the station types them: (name, ID sequence, subsidy category, training class).
type Cand<'a> = (&'a str, u32, &'a str, &'a str);

/// A 长沙 session of `code` with `cands` typed by the station. Answers the session and candidate ids.
async fn session_with(app: &TestApp, code: &str, cands: &[Cand<'_>]) -> (i64, Vec<i64>) {
    let r = post(app, "cs_st", "/api/v1/sessions", &plan(code, exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let mut cids = Vec::new();
    for (name, seq, category, training) in cands {
        let body = json!({"name": name, "id_number": idn(*seq), "subsidy_category": category, "training": training});
        let r = post(app, "cs_st", &format!("/api/v1/sessions/{id}/candidates"), &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        cids.push(r.json()["id"].as_i64().expect("cid"));
    }
    (id, cids)
}

/// A certificate of `city` for the candidate, issued now (written past the issuing procedure, which
/// `it::certificates` proves: the subsidy reads what a certificate row holds).
async fn certify(app: &TestApp, city: &str, candidate_id: i64, serial: i64) -> certificate::Model {
    let c = exam_candidate::Entity::find_by_id(candidate_id).one(&app.store.db).await.expect("read").expect("cand");
    let s = exam_session::Entity::find_by_id(c.session_id).one(&app.store.db).await.expect("read").expect("session");
    certificate::ActiveModel {
        number: Set(format!("T{city}{serial:06}")),
        city: Set(city.into()),
        year: Set(store::today().year()),
        serial: Set(serial),
        session_id: Set(c.session_id),
        candidate_id: Set(c.id),
        project_id: Set(s.project_id),
        holder_name: Set(c.name.clone()),
        id_number_enc: Set(c.id_number_enc.clone()),
        id_number_idx: Set(c.id_number_idx.clone()),
        id_number_masked: Set(c.id_number_masked.clone()),
        blank_id: Set(None),
        status: Set(domain::certificates::CertificateStatus::Valid),
        reissues: Set(0),
        reported_at: Set(None),
        revoked_at: Set(None),
        revoke_reason: Set(String::new()),
        issued_by: Set("cs_staff".into()),
        issued_at: Set(store::now()),
        verify_token: Set(format!("tok-{city}-{serial}")),
        report_id: Set(None),
        revoked_by: Set(None),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("certificate")
}

fn month() -> String {
    let t = store::today();
    format!("{}-{:02}", t.year(), u8::from(t.month()))
}

async fn claims(app: &TestApp) -> Vec<subsidy_claim::Model> {
    subsidy_claim::Entity::find().all(&app.store.db).await.expect("claims")
}

fn reasons_of(preview: &Value, holder: &str) -> String {
    preview["ineligible"]
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["holder_name"] == holder)
        .map(|c| c["reasons"].to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn f3_the_preview_names_each_reason_and_a_batch_claims_the_eligible_once_per_person_and_project() {
    let World { app, .. } = world().await;
    let app = &app;
    let (sid, c) = session_with(
        app,
        "0001",
        &[
            ("王一", 701, "登记失业人员", "长沙职校米粉班（2026 年 10 月）"),
            ("王二", 702, "脱贫劳动力", ""),
            ("王三", 703, "", "长沙职校米粉班"),
            ("王四", 704, "农村转移劳动力", "长沙职校米粉班"),
            ("王五", 705, "毕业年度高校毕业生", "长沙职校米粉班"),
        ],
    )
    .await;
    // A category outside the policy's list is refused where it is typed, naming the field.
    let r = post(
        app,
        "cs_st",
        &format!("/api/v1/sessions/{sid}/candidates"),
        &json!({"name": "王六", "id_number": idn(706), "subsidy_category": "在校学生"}),
    )
    .await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "SUBSIDY_CATEGORY_UNKNOWN"));
    assert_eq!(r.json()["errors"][0]["field"], "subsidy_category", "{}", r.body);

    let certs = [
        certify(app, "430100", c[0], 1).await,
        certify(app, "430100", c[1], 2).await,
        certify(app, "430100", c[2], 3).await,
        certify(app, "430100", c[3], 4).await,
        certify(app, "430100", c[4], 5).await,
    ];
    // 王四's certificate was revoked.
    certificate::ActiveModel {
        id: Set(certs[3].id),
        status: Set(domain::certificates::CertificateStatus::Revoked),
        ..Default::default()
    }
    .update(&app.store.db)
    .await
    .expect("revoke");
    let preview_path = format!("/api/v1/subsidies/preview?period={}", month());

    // The standard is 0 until the province publishes one: nobody is a claim, each says why.
    let p = get(app, "cs_staff", &preview_path).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.json()["eligible"].as_array().map(Vec::len), Some(0), "{}", p.body);
    assert!(reasons_of(&p.json(), "王一").contains("0 元"), "{}", p.body);
    let r = post(app, "cs_staff", "/api/v1/subsidies", &json!({"period": month()})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "SUBSIDY_NOTHING_TO_CLAIM"), "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "period");

    publish_standard(app, "300").await;
    let p = get(app, "cs_staff", &preview_path).await.json();
    let eligible: Vec<&str> =
        p["eligible"].as_array().expect("list").iter().filter_map(|c| c["holder_name"].as_str()).collect();
    assert_eq!(eligible, ["王一", "王五"], "{p}");
    assert_eq!(p["total"], "600.00");
    assert!(reasons_of(&p, "王二").contains("没有参加培训的记录"), "{p}");
    assert!(reasons_of(&p, "王三").contains("未登记补贴人员类别"), "{p}");
    assert!(reasons_of(&p, "王四").contains("未取得有效的专项职业能力证书"), "{p}");

    // Bad periods name the field.
    for bad in ["", "2026-13", "上个月"] {
        let r = post(app, "cs_staff", "/api/v1/subsidies", &json!({"period": bad})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.body);
        assert_eq!(r.json()["errors"][0]["field"], "period", "{bad}");
    }
    // Who builds: the city center's staff; the province and the station may not (403).
    assert_eq!(post(app, "prov", "/api/v1/subsidies", &json!({"period": month()})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        post(app, "cs_st", "/api/v1/subsidies", &json!({"period": month()})).await.status,
        StatusCode::FORBIDDEN
    );

    let r = post(app, "cs_staff", "/api/v1/subsidies", &json!({"period": month()})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let batch = r.json()["id"].as_i64().expect("id");
    let rows = claims(app).await;
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|c| c.amount_fen == 30000 && c.batch_id == batch));
    assert_eq!(audit_count(app, "subsidy.batch_built").await, 1);

    // A second batch of the same period (or the year) claims nobody again.
    for period in [month(), store::today().year().to_string()] {
        let r = post(app, "cs_staff", "/api/v1/subsidies", &json!({"period": period})).await;
        assert_eq!(
            (r.status, r.error_code().as_str()),
            (StatusCode::CONFLICT, "SUBSIDY_NOTHING_TO_CLAIM"),
            "{}",
            r.body
        );
    }
    let p = get(app, "cs_staff", &preview_path).await.json();
    assert!(reasons_of(&p, "王一").contains("已就本项目申领"), "{p}");
    assert_eq!(claims(app).await.len(), 2);

    // The same person in another project is a claim of its own (王一 trained and certified in 0002).
    let (_, c2) = session_with(app, "0002", &[("王一", 701, "登记失业人员", "湘菜烹饪班")]).await;
    certify(app, "430100", c2[0], 6).await;
    let p = get(app, "cs_staff", &preview_path).await.json();
    assert_eq!(p["eligible"].as_array().map(Vec::len), Some(1), "{p}");

    // Past the store: the unique index refuses a second standing claim of the same person and project.
    let mut dup: subsidy_claim::ActiveModel = rows[0].clone().into();
    dup.id = store::sea_orm::ActiveValue::NotSet;
    assert!(subsidy_claim::Entity::insert(dup).exec(&app.store.db).await.is_err(), "the index holds");

    // The batch: reject one (a reason, named), approve the batch, pay it (every field named).
    let b = get(app, "cs_staff", &format!("/api/v1/subsidies/{batch}")).await.json();
    assert_eq!(b["can_manage"], true);
    let first = b["claims"][0]["id"].as_i64().expect("claim");
    let second = b["claims"][1]["id"].as_i64().expect("claim");
    let reject = format!("/api/v1/subsidies/{batch}/claims/{first}/reject");
    let r = post(app, "cs_staff", &reject, &json!({"reason": " "})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "REASON_REQUIRED"));
    assert_eq!(r.json()["errors"][0]["field"], "reason");
    let r = post(
        app,
        "cs_staff",
        &format!("/api/v1/subsidies/{batch}/pay"),
        &json!({"paid_on": store::today().to_string(), "voucher_number": "BF-1"}),
    )
    .await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "SUBSIDY_BATCH_STATE"), "{}", r.body);
    let r = post(app, "cs_staff", &reject, &json!({"reason": "培训记录与实际不符"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["batch"]["amount"], "300.00");
    let r = post(app, "cs_staff", &reject, &json!({"reason": "再次"})).await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::CONFLICT, "CLAIM_STATE"), "{}", r.body);
    // A rejected claim no longer holds the person and project: the next batch may claim them again.
    let p = get(app, "cs_staff", &preview_path).await.json();
    assert!(
        p["eligible"]
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c["holder_name"] == "王一" && c["project_code"] == "0001"),
        "{p}"
    );

    let r = post(app, "cs_staff", &format!("/api/v1/subsidies/{batch}/claims/{second}/approve"), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = post(app, "cs_staff", &format!("/api/v1/subsidies/{batch}/approve"), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["batch"]["status"], "approved");
    let pay = format!("/api/v1/subsidies/{batch}/pay");
    let tomorrow = (store::today() + time::Duration::days(1)).to_string();
    let r = post(app, "cs_staff", &pay, &json!({"paid_on": tomorrow, "voucher_number": ""})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(crate::support::error_fields(&r.json()), ["paid_on", "voucher_number"]);
    let r =
        post(app, "cs_staff", &pay, &json!({"paid_on": store::today().to_string(), "voucher_number": "BF-2026-001"}))
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = r.json();
    assert_eq!(b["batch"]["status"], "paid");
    let statuses: Vec<&str> =
        b["claims"].as_array().expect("claims").iter().filter_map(|c| c["status"].as_str()).collect();
    assert_eq!(statuses, ["rejected", "paid"]);
    // Who built, approved, paid and decided: by the person's name beside the user name.
    assert_eq!(
        (b["batch"]["built_by"].as_str(), b["batch"]["built_by_name"].as_str(), b["batch"]["paid_by_name"].as_str()),
        (Some("cs_staff"), Some("测试用户"), Some("测试用户"))
    );
    assert_eq!(b["claims"][0]["decided_by_name"], "测试用户");
    for action in ["subsidy.claim_rejected", "subsidy.claim_approved", "subsidy.batch_approved", "subsidy.batch_paid"] {
        assert_eq!(audit_count(app, action).await, 1, "{action}");
    }

    // Scope: the province reads it, another city finds nothing (404), a station may not (403).
    assert_eq!(get(app, "prov", &format!("/api/v1/subsidies/{batch}")).await.json()["can_manage"], false);
    assert_eq!(get(app, "zz_staff", &format!("/api/v1/subsidies/{batch}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(app, "cs_st", &format!("/api/v1/subsidies/{batch}")).await.status, StatusCode::FORBIDDEN);
    let r = post(app, "zz_staff", &format!("/api/v1/subsidies/{batch}/approve"), &json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(get(app, "zz_staff", "/api/v1/subsidies").await.json()["total"], 0);
    assert_eq!(get(app, "prov", "/api/v1/subsidies?city=430100").await.json()["total"], 1);
    assert_eq!(get(app, "zz_staff", "/api/v1/subsidies?city=430100").await.status, StatusCode::NOT_FOUND);
    let r = get(app, "prov", "/api/v1/subsidies?status=done").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID"));

    // The finance office's spreadsheet opens: full ID numbers for the city center (audited), masked
    // for the province.
    let mut web = app.web_session("cs_staff").await;
    let sheet = app.web_get(&mut web, &format!("/subsidies/{batch}/export.xlsx")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    let rows = web::xlsx::read(&sheet.bytes).expect("a readable .xlsx");
    assert_eq!(
        rows[0][..8],
        ["序号", "姓名", "身份证件号码", "证书编号", "考核项目", "人员类别", "补贴金额（元）", "发放状态"]
    );
    assert_eq!(rows.len(), 3);
    let paid = rows.iter().find(|r| r[7] == "已发放").expect("paid row");
    assert!(!paid[2].contains('*') && paid[2].len() == 18, "{paid:?}");
    assert_eq!((paid[6].as_str(), paid[9].as_str()), ("300.00", "BF-2026-001"));
    assert_eq!(audit_count(app, "subsidy.batch_exported").await, 1);
    let mut pweb = app.web_session("prov").await;
    let sheet = app.web_get(&mut pweb, &format!("/subsidies/{batch}/export.xlsx")).await;
    let rows = web::xlsx::read(&sheet.bytes).expect("xlsx");
    assert!(rows[1..].iter().all(|r| r[2].contains('*')), "{rows:?}");
    assert_eq!(audit_count(app, "subsidy.batch_exported").await, 1, "a masked export is no disclosure");
}

#[tokio::test]
async fn f3_the_pages_preview_build_decide_and_pay_behind_confirmations_each_refusal_beside_its_field() {
    let World { app, .. } = world().await;
    let app = &app;
    publish_standard(app, "250.50").await;
    let (_, c) = session_with(app, "0001", &[("李一", 711, "脱贫劳动力", "米粉班"), ("李二", 712, "", "米粉班")]).await;
    certify(app, "430100", c[0], 1).await;
    certify(app, "430100", c[1], 2).await;
    let mut web = app.web_session("cs_staff").await;
    let page = app.web_get(&mut web, "/subsidies").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("生成补贴申领批次"), "{}", page.body);
    let page = app.web_get(&mut web, "/subsidies/new?period=2026-13").await;
    assert!(!error_beside(&page.body, "period").is_empty(), "{}", page.body);
    let page = app.web_get(&mut web, &format!("/subsidies/new?period={}", month())).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("可申领（1 人，合计 250.50 元）"), "{}", page.body);
    assert!(page.body.contains("未登记补贴人员类别") && page.body.contains("data-confirm"), "{}", page.body);
    let r = app.web_post(&mut web, "/subsidies", &[("period", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_beside(&r.body, "period").is_empty(), "{}", r.body);
    let r = app.web_post(&mut web, "/subsidies", &[("period", &month())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.location();
    let batch: i64 = to.trim_start_matches("/subsidies/").parse().expect("batch id");
    let page = app.web_get(&mut web, &to).await;
    assert!(page.body.contains("李一") && page.body.contains("审核通过本批次"), "{}", page.body);
    assert!(!page.body.contains(&idn(711)), "ID numbers are masked on the page");
    let claim = claims(app).await[0].id;
    let r = app.web_post(&mut web, &format!("/subsidies/{batch}/claims/{claim}/reject"), &[("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_beside(&r.body, &format!("reason-{claim}")).is_empty(), "{}", r.body);
    let r = app.web_post(&mut web, &format!("/subsidies/{batch}/approve"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut web, &format!("/subsidies/{batch}")).await;
    assert!(page.body.contains("登记发放") && page.body.contains("data-confirm"), "{}", page.body);
    let r = app
        .web_post(&mut web, &format!("/subsidies/{batch}/pay"), &[("paid_on", "明天"), ("voucher_number", "BF-9")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error_beside(&r.body, "paid_on").is_empty(), "{}", r.body);
    let today = store::today().to_string();
    let r = app
        .web_post(&mut web, &format!("/subsidies/{batch}/pay"), &[("paid_on", &today), ("voucher_number", "BF-9")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.web_get(&mut web, "/subsidies?status=paid").await;
    assert!(page.body.contains("BF-9") && page.body.contains("250.50"), "{}", page.body);
    assert!(page.body.contains("测试用户") && !page.body.contains("cs_staff"), "people by name: {}", page.body);
    let page = app.web_get(&mut web, &format!("/subsidies/{batch}")).await;
    assert!(page.body.contains("登记人 测试用户") && !page.body.contains("cs_staff"), "{}", page.body);
    // Another city's staff: not found; a station: forbidden.
    let mut other = app.web_session("zz_staff").await;
    assert_eq!(app.web_get(&mut other, &format!("/subsidies/{batch}")).await.status, StatusCode::NOT_FOUND);
    let mut station = app.web_session("cs_st").await;
    assert_eq!(app.web_get(&mut station, "/subsidies").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn f3_batches_built_at_once_on_two_instances_claim_each_person_and_project_once() {
    const N: u32 = 8;
    let (a, b) = TestApp::spawn_pair().await;
    let w = world_on(a).await;
    let app = &w.app;
    publish_standard(app, "300").await;
    let cands: Vec<(String, u32)> = (0..N)
        .map(|i| (format!("赵{}", ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"][i as usize]), 720 + i))
        .collect();
    let typed: Vec<Cand<'_>> = cands.iter().map(|(n, s)| (n.as_str(), *s, "登记失业人员", "米粉班")).collect();
    let (_, c) = session_with(app, "0001", &typed).await;
    for (i, cid) in c.iter().enumerate() {
        certify(app, "430100", *cid, i as i64 + 1).await;
    }
    let pa = app.principal("cs_staff").await;
    let pb = b.principal("cs_staff").await;
    let periods = [month(), store::today().year().to_string(), month(), store::today().year().to_string()];
    let mut tasks = Vec::new();
    for (i, period) in periods.iter().cycle().take(6).enumerate() {
        let (store, p) = if i % 2 == 0 { (app.store.clone(), pa.clone()) } else { (b.store.clone(), pb.clone()) };
        let input = store::subsidies::BatchInput { period: period.clone() };
        tasks.push(tokio::spawn(async move { store.build_subsidy_batch(&p, &input, &store::Ctx::system()).await }));
    }
    let mut built = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => built += 1,
            Err(store::StoreError::Conflict(e)) => {
                assert!(["SUBSIDY_NOTHING_TO_CLAIM", "SUBSIDY_ALREADY_CLAIMED"].contains(&e.code), "{e:?}")
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    let rows = claims(app).await;
    assert_eq!(rows.len(), N as usize, "every certificate claimed, none twice");
    let keys: HashSet<_> = rows.iter().filter_map(|c| c.active_key.clone()).collect();
    assert_eq!(keys.len(), N as usize);
    let batches: HashSet<i64> = rows.iter().map(|c| c.batch_id).collect();
    assert_eq!((built, batches.len()), (1, 1), "all eligible ones in one step");
}

/// A pending batch of `city` without claims, straight in the table (the authorization matrix's fixture).
pub async fn batch_row(app: &TestApp, city: &str) -> i64 {
    store::entity::subsidy_batch::ActiveModel {
        city: Set(city.into()),
        period: Set("2026-Q4".into()),
        first_day: Set(time::macros::date!(2026 - 10 - 01)),
        last_day: Set(time::macros::date!(2026 - 12 - 31)),
        status: Set(domain::certificates::BatchStatus::Pending),
        claim_count: Set(0),
        amount_fen: Set(0),
        built_by: Set("system".into()),
        built_at: Set(store::now()),
        approved_by: Set(None),
        approved_at: Set(None),
        paid_on: Set(None),
        voucher_number: Set(None),
        paid_by: Set(None),
        paid_at: Set(None),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("batch")
    .id
}
