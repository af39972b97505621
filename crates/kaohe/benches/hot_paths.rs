//! Figures for the hot paths, printed (not asserted: these machines are noisy, so each section
//! compares sizes measured in the same run). Run with
//!
//! ```sh
//! cargo bench -p kaohe --bench hot_paths
//! ```
//!
//! (SQLite by default; set `KAOHE_TEST_DATABASE_URL` to measure PostgreSQL.)
//!
//! - Draws (P4, S4): eligibility, commitment, selection and re-verification over expert pools of
//!   1,000 / 10,000 / 100,000 — the cost should grow linearly with the pool.
//! - Audit: appending records (each its own transaction, as in use) and walking the chain.
//! - Requests through the whole router (session resolution, authorization, scope, rendering): the
//!   filing list as JSON and as the staff page, with 100 and 2,000 filings in the database — paging
//!   should keep the cost nearly flat.
//! - Peak memory of the process (VmHWM).

use domain::crypto::HashAlg;
use domain::draws::{Applicant, Candidate, DrawRecord, DrawRequest, RecusalRules, eligible};
use domain::org::Role;
use std::time::{Duration, Instant};
use testkit::TestApp;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn candidates(n: usize) -> Vec<Candidate> {
    let cities = domain::ids::HUNAN_CITIES;
    (0..n)
        .map(|i| Candidate {
            expert_id: i as i64 + 1,
            specialties: vec![["餐饮", "电工", "美容", "农业"][i % 4].to_string()],
            city: cities[i % cities.len()].0.to_string(),
            active: i % 17 != 0,
            employer_org_id: Some((i % 500) as i64),
            past_employers: Vec::new(),
            declared_conflict_org_ids: if i % 23 == 0 { vec![7] } else { Vec::new() },
        })
        .collect()
}

fn bench_draws() {
    println!("== draws: eligibility + commit + draw of 5 + verify (median of 5)");
    let req = DrawRequest {
        purpose: "station_filing:1".into(),
        count: 5,
        specialties: vec!["餐饮".into(), "电工".into()],
        include_cities: Vec::new(),
        exclude_cities: vec!["430100".into()],
    };
    let applicant = Applicant { org_id: 7, city: Some("430100".into()) };
    let rules = RecusalRules { lookback_years: 3, same_city: true };
    let today = time::macros::date!(2026 - 11 - 28);
    let now = time::OffsetDateTime::now_utc();
    let seed = [42u8; 32];
    let mut previous: Option<(usize, Duration)> = None;
    for n in [1_000, 10_000, 100_000] {
        let pool = candidates(n);
        let times: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                let e = eligible(&pool, &req, &applicant, &rules, today);
                let mut record = DrawRecord::commit(1, HashAlg::Sm3, &req, &rules, &e, &seed, now).expect("commit");
                record.draw(&seed, now).expect("draw");
                record.reveal(&seed).expect("reveal");
                domain::draws::verify(&record).expect("verifies");
                t.elapsed()
            })
            .collect();
        let m = median(times);
        let ratio =
            previous.map(|(pn, pd)| format!("  ×{:.1} for ×{} experts", m.as_secs_f64() / pd.as_secs_f64(), n / pn));
        println!(
            "  {n:>7} experts: {:>8.2} ms ({:>5.0} ns/expert){}",
            ms(m),
            m.as_nanos() as f64 / n as f64,
            ratio.unwrap_or_default()
        );
        previous = Some((n, m));
    }
}

async fn bench_registry_draws() {
    println!("== draws from the registry: import (one transaction), then commit + draw (median of 3)");
    let app = TestApp::spawn().await;
    let system = domain::org::Principal::system();
    let ctx = store::Ctx::system();
    let applicant = app.create_org("长沙甲培训学校", "station", "430104").await;
    let former = app.create_org("株洲乙集团公司", "station", "430202").await;
    let cities = domain::ids::HUNAN_CITIES;
    let (family, given) = ("王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋");
    let mut have = 0usize;
    let mut previous: Option<(usize, Duration)> = None;
    for target in [1_000usize, 10_000] {
        let rows: Vec<store::experts::ExpertInput> = (have..target)
            .map(|i| {
                let born = time::macros::date!(1960 - 01 - 01) + time::Duration::days(i as i64);
                let body = format!(
                    "430102{}{:03}",
                    born.format(&time::macros::format_description!("[year][month][day]")).expect("date"),
                    i % 1000
                );
                let name: String =
                    [family.chars().nth(i % 10), given.chars().nth(i / 10 % 10)].into_iter().flatten().collect();
                testkit::expert_input(&name, &testkit::id_number(&body), cities[i % cities.len()].0)
            })
            .collect();
        let t = Instant::now();
        app.store.import_experts(&system, &rows, &ctx).await.expect("import");
        let import = t.elapsed();
        // One in ten worked for another station until recently (recusal facts the draw reads).
        let ids: Vec<i64> = app
            .store
            .list_experts(
                &system,
                &store::experts::ExpertQuery::default(),
                store::PageReq { page: 1, per_page: 100_000 },
            )
            .await
            .expect("list")
            .items
            .into_iter()
            .map(|e| e.id)
            .collect();
        for id in ids.iter().filter(|id| **id as usize > have && **id % 10 == 0) {
            let until = time::macros::date!(2025 - 06 - 30);
            app.store.add_past_employment(&system, *id, former, until, &ctx).await.expect("past employment");
        }
        have = target;
        let mut times = Vec::new();
        for _ in 0..3 {
            let input = store::draws::DrawInput {
                title: "基准测试抽取".into(),
                applicant_org_id: Some(applicant),
                count: Some(5),
                ..Default::default()
            };
            let t = Instant::now();
            let id = app.store.commit_draw(&system, &input, None, &ctx).await.expect("commit");
            app.store.perform_draw(&system, id, &ctx).await.expect("draw");
            times.push(t.elapsed());
        }
        let m = median(times);
        let ratio = previous
            .map(|(pn, pd)| format!("  ×{:.1} for ×{} experts", m.as_secs_f64() / pd.as_secs_f64(), target / pn));
        println!(
            "  {target:>6} experts: import {:>6.0} rows/s, commit + draw {:>7.2} ms{}",
            rows.len() as f64 / import.as_secs_f64(),
            ms(m),
            ratio.unwrap_or_default()
        );
        previous = Some((target, m));
    }
}

async fn bench_audit() {
    println!("== audit chain: append (one transaction each) and verify");
    let (store, _dir) = testkit::fresh_store().await;
    let ctx = store::Ctx::system();
    let mut total = 0u64;
    let mut previous: Option<(u64, Duration)> = None;
    for target in [2_000u64, 20_000] {
        let t = Instant::now();
        let adding = target - total;
        for i in 0..adding {
            let draft = store::audit::AuditDraft::new(
                domain::audit::AuditAction::AuthzDenied,
                i,
                serde_json::json!({ "i": i }),
            );
            store.audit(&ctx, draft).await.expect("append");
        }
        let append = t.elapsed();
        total = target;
        let t = Instant::now();
        let walked = store.verify_audit_chain().await.expect("verify").expect("intact");
        let verify = t.elapsed();
        let ratio = previous
            .map(|(pn, pd)| format!("  ×{:.1} for ×{} records", verify.as_secs_f64() / pd.as_secs_f64(), target / pn));
        println!(
            "  {target:>6} records: append {:>7.0}/s, verify {walked} in {:>7.1} ms ({:>6.0}/s){}",
            adding as f64 / append.as_secs_f64(),
            ms(verify),
            walked as f64 / verify.as_secs_f64(),
            ratio.unwrap_or_default()
        );
        previous = Some((target, verify));
    }
}

async fn bench_requests() {
    println!("== requests through the whole router (median of 200)");
    let app = TestApp::spawn().await;
    let station = app.create_org("长沙甲培训学校", "station", "430104").await;
    app.create_user("zhan", &[Role::StationStaff], station).await;
    app.create_user("sheng", &[Role::ProvinceStaff], app.org_id("430000").await).await;
    let applicant = app.principal("zhan").await;
    let token = app.direct_token("sheng").await;
    let mut web = app.direct_web("sheng").await;
    let input = testkit::application("长沙甲培训学校", "other_unit", "430104");
    let mut have = 0;
    let mut previous: Option<(usize, Duration, Duration)> = None;
    for target in [100usize, 2_000] {
        for _ in have..target {
            app.store.create_filing(&applicant, &input, &store::Ctx::system()).await.expect("filing");
        }
        have = target;
        let mut api = Vec::new();
        let mut page = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            let r = app.get("/api/v1/filings?page=2", Some(&token)).await;
            api.push(t.elapsed());
            assert_eq!(r.status, http::StatusCode::OK);
            let t = Instant::now();
            let r = app.web_get(&mut web, "/filings?page=2").await;
            page.push(t.elapsed());
            assert_eq!(r.status, http::StatusCode::OK);
        }
        let (a, p) = (median(api), median(page));
        let ratio = previous.map(|(pn, pa, pp)| {
            format!(
                "  ×{:.2} / ×{:.2} for ×{} filings",
                a.as_secs_f64() / pa.as_secs_f64(),
                p.as_secs_f64() / pp.as_secs_f64(),
                target / pn
            )
        });
        println!(
            "  {target:>5} filings: GET /api/v1/filings {:>6.2} ms, GET /filings (page) {:>6.2} ms{}",
            ms(a),
            ms(p),
            ratio.unwrap_or_default()
        );
        previous = Some((target, a, p));
    }
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn main() {
    let db = match std::env::var("KAOHE_TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => "PostgreSQL",
        _ => "SQLite",
    };
    println!("kaohe hot paths ({db})");
    bench_draws();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        bench_registry_draws().await;
        bench_audit().await;
        bench_requests().await;
    });
    println!("== peak memory (VmHWM): {}", peak_memory());
}
