//! Statistics through HTTP (R1, R2; issue 13, "Statistics"). The figures are counted from the records:
//! a 长沙 session graded through the whole procedure and issued through the API, a 株洲 session whose
//! register and certificate are written straight into the tables; the pass rate is passed / assessed
//! of the newest confirmed register; certificates count by city, project and month, revoked ones
//! apart; fees as the F1 ledger sums them; subsidy claims by city (rejected ones left out, the paid
//! part apart). The province sees every city and picks one, a city center
//! its own (another city 404, a value that is no city 422), other roles 403. The page draws its charts
//! as well-formed SVG with every label escaped, and the .xlsx has one sheet per table.

use crate::certificates::{batch, graded_session};
use crate::sessions::{World, exam_day, idn, plan, world};
use http::StatusCode;
use serde_json::{Value, json};
use store::entity::{certificate, exam_register, exam_score, exam_session, project, subsidy_batch, subsidy_claim};
use store::sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use testkit::TestApp;

async fn post(app: &TestApp, who: &str, path: &str, body: &Value) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.post_json(path, Some(&t), body).await
}

async fn get(app: &TestApp, who: &str, path: &str) -> testkit::Resp {
    let t = app.direct_token(who).await;
    app.get(path, Some(&t)).await
}

/// An approved 株洲 session (today) with two candidates: its confirmed register (the first passed,
/// the second absent) and a certificate of the first written into the tables. Answers the session.
async fn zhuzhou(app: &TestApp) -> i64 {
    let r = post(app, "zz_st", "/api/v1/sessions", &plan("0001", exam_day())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let mut cids = Vec::new();
    for (name, seq) in [("株洲甲", 701), ("株洲乙", 702)] {
        let body = json!({"name": name, "id_number": idn(seq)});
        let r = post(app, "zz_st", &format!("/api/v1/sessions/{id}/candidates"), &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        cids.push(r.json()["id"].as_i64().expect("cid"));
    }
    let act = format!("/api/v1/sessions/{id}/actions");
    assert_eq!(post(app, "zz_st", &act, &json!({"action": "submit"})).await.status, StatusCode::OK);
    assert_eq!(post(app, "zz_staff", &act, &json!({"action": "approve"})).await.status, StatusCode::OK);
    let s = exam_session::ActiveModel { id: Set(id), first_day: Set(store::today()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("exam today");
    let now = store::now();
    let reg = exam_register::ActiveModel {
        session_id: Set(id),
        version: Set(1),
        status: Set(domain::exams::RegisterStatus::Confirmed),
        return_reason: Set(String::new()),
        correction_reason: Set(String::new()),
        submitted_at: Set(Some(now)),
        submitted_by: Set(Some("zz_st".into())),
        decided_at: Set(Some(now)),
        decided_by: Set(Some("zz_staff".into())),
        created_by: Set("zz_st".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("register");
    for (cid, passed, absent) in [(cids[0], true, false), (cids[1], false, true)] {
        exam_score::ActiveModel {
            register_id: Set(reg.id),
            session_id: Set(id),
            candidate_id: Set(cid),
            theory: Set(if absent { None } else { Some(85) }),
            practical: Set(if absent { None } else { Some(90) }),
            total: Set(if absent { 0 } else { 88 }),
            passed: Set(passed),
            absent: Set(absent),
            entered_by: Set("zz_st".into()),
            entered_at: Set(now),
            ..Default::default()
        }
        .insert(&app.store.db)
        .await
        .expect("score");
    }
    certificate::ActiveModel {
        number: Set(format!("4302{:02}0001000001", store::today().year() % 100)),
        city: Set("430200".into()),
        year: Set(store::today().year()),
        serial: Set(1),
        session_id: Set(id),
        candidate_id: Set(cids[0]),
        project_id: Set(s.project_id),
        holder_name: Set("株洲甲".into()),
        id_number_enc: Set("x".into()),
        id_number_idx: Set("zz-701".into()),
        id_number_masked: Set("4301**********0701".into()),
        blank_id: Set(None),
        status: Set(domain::certificates::CertificateStatus::Valid),
        reissues: Set(0),
        reported_at: Set(None),
        revoked_at: Set(None),
        revoke_reason: Set(String::new()),
        issued_by: Set("zz_staff".into()),
        issued_at: Set(now),
        verify_token: Set("stats-test-zz".into()),
        report_id: Set(None),
        revoked_by: Set(None),
        ..Default::default()
    }
    .insert(&app.store.db)
    .await
    .expect("certificate");
    id
}

/// 长沙: three candidates (two pass), both certificates issued, one revoked since, one fee paid;
/// 株洲: see [`zhuzhou`]. Answers the 长沙 session.
async fn seeded(app: &TestApp) -> i64 {
    let (id, cids) = graded_session(app, 2, 1, true).await;
    assert_eq!(batch(app, "cs_staff", "HN00000001", "5").await.status, StatusCode::CREATED);
    let r = post(app, "cs_staff", &format!("/api/v1/sessions/{id}/certificates/all"), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let first = certificate::Entity::find()
        .filter(certificate::Column::City.eq("430100"))
        .one(&app.store.db)
        .await
        .expect("read")
        .expect("a 长沙 certificate");
    certificate::ActiveModel {
        id: Set(first.id),
        status: Set(domain::certificates::CertificateStatus::Revoked),
        revoked_at: Set(Some(store::now())),
        revoke_reason: Set("以欺骗手段取得".into()),
        ..Default::default()
    }
    .update(&app.store.db)
    .await
    .expect("revoked");
    let pay = json!({"paid_on": store::today().to_string(), "amount": "150", "receipt_number": "R-S1"});
    let r = post(app, "cs_staff", &format!("/api/v1/sessions/{id}/fees/{}/pay", cids[0]), &pay).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    zhuzhou(app).await;
    id
}

/// F3 claims written into the tables, one batch per city: 长沙's first certificate rejected (500.00),
/// its second paid (500.00); 株洲's pending (300.00).
async fn subsidy_claims(app: &TestApp) {
    use domain::certificates::{BatchStatus, ClaimStatus};
    let now = store::now();
    let certs = certificate::Entity::find().all(&app.store.db).await.expect("certificates");
    let mut batches = std::collections::HashMap::new();
    for (i, c) in certs.iter().enumerate() {
        let (status, fen) = match (c.city.as_str(), i) {
            ("430100", 0) => (ClaimStatus::Rejected, 50_000),
            ("430100", _) => (ClaimStatus::Paid, 50_000),
            _ => (ClaimStatus::Pending, 30_000),
        };
        let batch = match batches.get(&c.city) {
            Some(b) => *b,
            None => {
                let b = subsidy_batch::ActiveModel {
                    city: Set(c.city.clone()),
                    period: Set(store::today().year().to_string()),
                    first_day: Set(store::today()),
                    last_day: Set(store::today()),
                    status: Set(if c.city == "430100" { BatchStatus::Paid } else { BatchStatus::Pending }),
                    claim_count: Set(0),
                    amount_fen: Set(0),
                    built_by: Set("cs_staff".into()),
                    built_at: Set(now),
                    ..Default::default()
                }
                .insert(&app.store.db)
                .await
                .expect("batch")
                .id;
                batches.insert(c.city.clone(), b);
                b
            }
        };
        subsidy_claim::ActiveModel {
            batch_id: Set(batch),
            city: Set(c.city.clone()),
            certificate_id: Set(c.id),
            certificate_number: Set(c.number.clone()),
            candidate_id: Set(c.candidate_id),
            session_id: Set(c.session_id),
            project_id: Set(c.project_id),
            holder_name: Set(c.holder_name.clone()),
            id_number_enc: Set(c.id_number_enc.clone()),
            id_number_idx: Set(c.id_number_idx.clone()),
            id_number_masked: Set(c.id_number_masked.clone()),
            category: Set("就业困难人员".into()),
            amount_fen: Set(fen),
            policy_version_id: Set(1),
            status: Set(status),
            active_key: Set((status != ClaimStatus::Rejected).then(|| format!("{}-{}", c.id_number_idx, c.project_id))),
            reason: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&app.store.db)
        .await
        .expect("claim");
    }
}

fn row<'a>(rows: &'a Value, key: &str, value: &str) -> &'a Value {
    rows.as_array()
        .and_then(|a| a.iter().find(|r| r[key] == value))
        .unwrap_or_else(|| panic!("no row with {key} = {value} in {rows}"))
}

#[tokio::test]
async fn r1_r2_the_figures_count_the_records_of_each_city() {
    let World { app, .. } = world().await;
    let app = &app;
    seeded(app).await;
    subsidy_claims(app).await;
    let year = store::today().year();
    let month = u8::from(store::today().month());

    let s = get(app, "prov", &format!("/api/v1/stats?year={year}")).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let s = s.json();
    assert_eq!(s["city"], Value::Null);
    assert_eq!(
        (s["first_day"].as_str(), s["last_day"].as_str()),
        (Some(&*format!("{year}-01-01")), Some(&*format!("{year}-12-31")))
    );
    // Stations: the world files one in each city.
    let cs = row(&s["stations"], "city", "430100");
    assert_eq!(
        (cs["filed"].as_u64(), cs["active"].as_u64(), cs["city_name"].as_str()),
        (Some(1), Some(1), Some("长沙市"))
    );
    assert_eq!(row(&s["stations"], "city", "430200")["active"], 1);
    // Candidates and pass rates by city and project.
    let cs = row(&s["candidates"], "city", "430100");
    assert_eq!(
        (cs["candidates"].as_u64(), cs["assessed"].as_u64(), cs["passed"].as_u64(), cs["pass_rate"].as_str()),
        (Some(3), Some(3), Some(2), Some("66.7%"))
    );
    assert!(cs["project"].as_str().is_some_and(|p| p.contains("米粉制作")), "{cs}");
    let zz = row(&s["candidates"], "city", "430200");
    assert_eq!(
        (zz["candidates"].as_u64(), zz["assessed"].as_u64(), zz["passed"].as_u64(), zz["pass_rate"].as_str()),
        (Some(2), Some(1), Some(1), Some("100.0%"))
    );
    // Sessions by month: both approved sessions fall in this month.
    let this = s["sessions"].as_array().and_then(|a| a.iter().find(|r| r["month"] == month)).expect("this month");
    assert_eq!(this["total"], 2, "{this}");
    assert_eq!(
        this["by_state"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["state"] == "approved"))
            .map(|x| x["count"].clone()),
        Some(json!(2))
    );
    assert_eq!(s["sessions"].as_array().map(Vec::len), Some(12));
    // Certificates by city (revoked apart), project and month.
    let cs = row(&s["certificates_by_city"], "key", "430100");
    assert_eq!((cs["issued"].as_u64(), cs["revoked"].as_u64()), (Some(2), Some(1)));
    let zz = row(&s["certificates_by_city"], "key", "430200");
    assert_eq!((zz["issued"].as_u64(), zz["revoked"].as_u64()), (Some(1), Some(0)));
    let by_month = row(&s["certificates_by_month"], "key", &month.to_string());
    assert_eq!((by_month["issued"].as_u64(), by_month["revoked"].as_u64()), (Some(3), Some(1)));
    assert_eq!(s["certificates_by_project"].as_array().map(Vec::len), Some(1));
    assert_eq!(s["certificates_by_project"][0]["issued"], 3);
    // Fees: 150.00 collected in 长沙, nothing remitted.
    let fee = row(&s["fees"], "city", "430100");
    assert_eq!((fee["collected"].as_str(), fee["outstanding"].as_str()), (Some("150.00"), Some("150.00")));
    // Subsidies: the rejected claim is no claim; 株洲's is claimed, not paid.
    let cs = row(&s["subsidies"], "city", "430100");
    assert_eq!(
        (cs["claims"].as_u64(), cs["amount"].as_str(), cs["paid"].as_str(), cs["city_name"].as_str()),
        (Some(1), Some("500.00"), Some("500.00"), Some("长沙市"))
    );
    let zz = row(&s["subsidies"], "city", "430200");
    assert_eq!(
        (zz["claims"].as_u64(), zz["amount"].as_str(), zz["paid"].as_str()),
        (Some(1), Some("300.00"), Some("0.00"))
    );

    // A month range without this month counts none of it; last year counts nothing.
    let other = if month == 1 { 2 } else { 1 };
    let s = get(app, "prov", &format!("/api/v1/stats?year={year}&from_month={other}&to_month={other}")).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let s = s.json();
    assert_eq!(
        (
            s["candidates"].as_array().map(Vec::len),
            s["certificates_by_city"].as_array().map(Vec::len),
            s["subsidies"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0), Some(0))
    );
    let s = get(app, "prov", &format!("/api/v1/stats?year={}", year - 1)).await.json();
    assert_eq!(s["certificates_by_month"].as_array().map(|a| a.iter().all(|m| m["issued"] == 0)), Some(true));

    // The province picks a city.
    let s = get(app, "prov", &format!("/api/v1/stats?city=430200&year={year}")).await.json();
    assert_eq!(s["city"], "430200");
    assert_eq!(s["candidates"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        s["certificates_by_city"].as_array().map(|a| a.iter().map(|c| c["key"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("430200")])
    );
    assert_eq!(
        s["subsidies"].as_array().map(|a| a.iter().map(|c| c["city"].clone()).collect::<Vec<_>>()),
        Some(vec![json!("430200")])
    );
}

#[tokio::test]
async fn r1_r2_a_city_center_sees_its_own_city_only_and_other_roles_none() {
    let World { app, .. } = world().await;
    let app = &app;
    seeded(app).await;
    let s = get(app, "cs_staff", "/api/v1/stats").await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let s = s.json();
    assert_eq!(s["city"], "430100");
    for key in ["stations", "candidates", "fees"] {
        assert!(
            s[key].as_array().is_some_and(|a| !a.is_empty() && a.iter().all(|r| r["city"] == "430100")),
            "{key}: {s}"
        );
    }
    assert!(s["certificates_by_city"].as_array().is_some_and(|a| a.len() == 1 && a[0]["key"] == "430100"));
    let s = get(app, "cs_staff", "/api/v1/stats?city=430100").await;
    assert_eq!(s.status, StatusCode::OK);
    let r = get(app, "cs_staff", "/api/v1/stats?city=430200").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = get(app, "cs_staff", "/api/v1/stats?city=999999").await;
    assert_eq!((r.status, r.error_code().as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "FILTER_INVALID"), "{}", r.body);
    let r = get(app, "prov", "/api/v1/stats?year=26&from_month=7&to_month=13").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let codes: Vec<(String, String)> = r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["field"].as_str().unwrap_or("").to_owned(), e["code"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert_eq!(codes, [("year".into(), "YEAR_INVALID".into()), ("to_month".into(), "MONTH_INVALID".into())]);
    let r = get(app, "prov", "/api/v1/stats?from_month=9&to_month=3").await;
    assert_eq!(r.error_code(), "MONTH_RANGE");
    // Roles without statistics: 403 (before the filter is read).
    for who in ["cs_st", "zz_st"] {
        assert_eq!(get(app, who, "/api/v1/stats?city=bad").await.status, StatusCode::FORBIDDEN, "{who}");
        let mut web = app.direct_web(who).await;
        assert_eq!(app.web_get(&mut web, "/stats").await.status, StatusCode::FORBIDDEN, "{who}");
        assert_eq!(app.web_get(&mut web, "/stats/export.xlsx").await.status, StatusCode::FORBIDDEN, "{who}");
    }
    let mut web = app.direct_web("cs_staff").await;
    assert_eq!(app.web_get(&mut web, "/stats?city=430200").await.status, StatusCode::NOT_FOUND);
}

/// A small check that `svg` is well-formed XML: tags nest and close, attribute values are quoted,
/// no raw `<` or `&` in text.
fn well_formed(svg: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        check_text(text)?;
        let close = rest[open..].find('>').ok_or("an unclosed tag")? + open;
        let tag = &rest[open + 1..close];
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            if top != name.trim() {
                return Err(format!("</{name}> closes <{top}>"));
            }
        } else if !tag.starts_with('?') && !tag.starts_with('!') {
            let name: String = tag.chars().take_while(|c| !c.is_whitespace() && *c != '/').collect();
            if !tag.matches('"').count().is_multiple_of(2) {
                return Err(format!("an attribute unquoted in <{tag}>"));
            }
            check_text(tag)?;
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[close + 1..];
    }
    check_text(rest)?;
    if stack.is_empty() { Ok(()) } else { Err(format!("unclosed: {stack:?}")) }
}

fn check_text(t: &str) -> Result<(), String> {
    for (i, _) in t.match_indices('&') {
        let entity = &t[i..];
        let end = entity.find(';').ok_or(format!("a raw & in {t}"))?;
        if !matches!(&entity[..=end], "&lt;" | "&gt;" | "&amp;" | "&quot;" | "&apos;")
            && !entity[1..end].starts_with('#')
        {
            return Err(format!("an unknown entity in {t}"));
        }
    }
    Ok(())
}

#[tokio::test]
async fn r1_r2_the_dashboard_draws_its_charts_as_svg_with_escaped_labels_and_exports_every_table() {
    let World { app, .. } = world().await;
    let app = &app;
    seeded(app).await;
    subsidy_claims(app).await;
    // A project name with markup in it: it must reach the charts and tables as text.
    let pid = testkit::project_id(&app.store, "0001").await;
    project::ActiveModel { id: Set(pid), name: Set("米粉<制作>&\"".into()), ..Default::default() }
        .update(&app.store.db)
        .await
        .expect("renamed");

    let mut web = app.direct_web("prov").await;
    let page = app.web_get(&mut web, "/stats").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("统计分析") && page.body.contains("66.7%"), "the pass rate is on the page");
    let svgs: Vec<&str> = page
        .body
        .match_indices("<svg class=\"chart\"")
        .map(|(i, _)| {
            let end = page.body[i..].find("</svg>").expect("closed") + i + "</svg>".len();
            &page.body[i..end]
        })
        .collect();
    assert_eq!(svgs.len(), 7, "stations, sessions, candidates, two of certificates, fees, subsidies");
    for svg in &svgs {
        well_formed(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        assert!(svg.contains("role=\"img\" aria-label=") && svg.contains("<text"), "{svg}");
    }
    assert!(svgs.iter().any(|s| s.contains("长沙市") && s.contains("株洲市")), "the cities are the bars' labels");
    assert!(!page.body.contains("米粉<制作>"), "never raw");
    let at = page.body.find("<td>长沙市</td>").expect("a 长沙 row");
    assert!(page.body.contains("米粉&#60;制作&#62;&#38;&#34;"), "escaped in the tables: {}", &page.body[at..]);
    assert!(page.body.contains("id=\"table-candidates\"") && page.body.contains("id=\"table-fees\""));
    assert!(
        page.body.contains("id=\"table-subsidies\"") && page.body.contains("职业培训补贴"),
        "the subsidies' section"
    );

    // A city center's page: its project on the candidates' chart.
    let mut cs = app.direct_web("cs_staff").await;
    let page = app.web_get(&mut cs, "/stats").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("米粉&lt;制作&gt;&amp;"), "escaped in the charts by project");
    assert!(page.body.contains("<td>长沙市</td>") && !page.body.contains("株洲市</td>"), "its own city only");
    assert!(page.body.contains("米粉&#60;制作&#62;&#38;&#34;"));
    assert!(page.body.contains("按考核项目"));

    // The export: one sheet per table, the figures as on the page.
    let x = app.web_get(&mut web, "/stats/export.xlsx").await;
    assert_eq!(x.status, StatusCode::OK);
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(x.bytes.clone())).expect("opens");
    assert_eq!(
        book.sheet_names(),
        ["考核站", "考核场次", "考生与通过率", "证书按市州", "证书按项目", "证书按月份", "考核收费", "补贴"]
    );
    let range = book.worksheet_range("考生与通过率").expect("sheet");
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0], ["市州", "考核项目", "考生", "参加考核", "通过", "通过率"]);
    assert!(rows.iter().any(|r| r[0] == "长沙市" && r[2] == "3" && r[4] == "2" && r[5] == "66.7%"), "{rows:?}");
    assert!(rows.iter().any(|r| r[0] == "株洲市" && r[3] == "1" && r[5] == "100.0%"), "{rows:?}");
    let fees = book.worksheet_range("考核收费").expect("sheet");
    assert!(fees.rows().any(|r| r[0] == "长沙市" && r[1] == "150.00"));
    let subsidies = book.worksheet_range("补贴").expect("sheet");
    assert!(subsidies.rows().any(|r| r[0] == "长沙市" && r[1] == "1" && r[2] == "500.00" && r[3] == "500.00"));
}
