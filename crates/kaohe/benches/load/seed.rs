//! The load benchmark's data (issue 10): a realistic volume written through the store's API, as the
//! demo data and the tests write theirs — organisations in all 14 cities, an expert committee whose
//! members sign in, station filings walked through the procedure's steps (S1–S5) to a mix of states,
//! and the audit trail those steps leave.

use anyhow::{Context, Result, anyhow};
use domain::org::{Principal, Role, SessionKind};
use domain::stations::MaterialKind;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use store::auth::SecondFactor;
use store::filings::FilingActionInput;
use store::orgs::OrgInput;
use store::sea_orm::EntityTrait;
use store::users::UserInput;
use store::{Ctx, Store};

/// The password of every account the benchmark makes.
pub const PASSWORD: &str = "Bench#Pass2026";
/// The province staff account whose token and session read the staff paths.
pub const READER: &str = "bench_sheng";
/// The province staff account the sign-in storm signs in as (its own, so the storm's new sessions
/// never touch the reader's).
pub const SIGNER: &str = "bench_signin";

/// How much to make.
#[derive(Debug, Clone, Copy)]
pub struct Volume {
    pub filings: usize,
    pub experts: usize,
    pub stations_per_city: usize,
    /// Filings taken all the way to 已备案 (the public directory).
    pub approved: usize,
}

/// What was made.
#[derive(Debug)]
pub struct Seeded {
    /// A public draw (a filed station's evaluation group, its seal open).
    pub draw_id: i64,
    pub states: BTreeMap<String, usize>,
    pub organisations: usize,
    pub experts: usize,
    pub accounts: usize,
    pub audit_records: u64,
    pub elapsed: Duration,
}

/// Where a filing is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Draft,
    Submitted,
    Returned,
    Accepted,
    PlanSubmitted,
    GroupDrawn,
    Evaluating,
    Refused,
    Filed,
}

/// The stages of `v.filings` filings: `approved` filed, a few refused and in the evaluation steps,
/// the rest drafts, submitted, returned and accepted — shuffled, so every list page shows a mix.
fn stages(v: &Volume) -> Vec<Stage> {
    let late = (v.approved / 15).max(1);
    let mut out = Vec::with_capacity(v.filings);
    for (stage, n) in [
        (Stage::Filed, v.approved),
        (Stage::Refused, late),
        (Stage::Evaluating, late),
        (Stage::GroupDrawn, late),
        (Stage::PlanSubmitted, 2 * late),
    ] {
        out.extend(std::iter::repeat_n(stage, n));
    }
    let rest = v.filings.saturating_sub(out.len());
    for (stage, n) in [(Stage::Accepted, rest / 4), (Stage::Returned, rest / 40), (Stage::Submitted, rest * 7 / 20)] {
        out.extend(std::iter::repeat_n(stage, n));
    }
    out.resize(v.filings, Stage::Draft);
    // A fixed shuffle (xorshift), so runs are comparable.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..out.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.swap(i, (x % (i as u64 + 1)) as usize);
    }
    out
}

fn ctx() -> Ctx {
    Ctx { actor: "bench".into(), ip: String::new() }
}

/// A unified social credit code in `region` with a serial, its check character computed.
fn credit_code(region: &str, serial: usize) -> Result<String> {
    let body = format!("91{region}MA{:07}", 1_000_000 + serial);
    let check = domain::ids::credit_code_check_char(&body).ok_or_else(|| anyhow!("credit code body {body}"))?;
    Ok(format!("{body}{check}"))
}

/// The principal a session of `user_id` resolves to, as the server would see it.
async fn principal(store: &Store, user_id: i64) -> Result<Principal> {
    let s = store.create_session(user_id, SessionKind::Api, SecondFactor::Done, "bench", "").await?;
    let info = store.resolve_session(&s.token, SessionKind::Api).await?.ok_or_else(|| anyhow!("no session"))?;
    Ok(info.principal)
}

/// Run `jobs` a few at a time (the password hashes of accounts run off the runtime, and on
/// PostgreSQL several steps overlap their round trips); their results in input order.
async fn at_once<T, F>(jobs: Vec<F>) -> Result<Vec<T>>
where
    T: Send + 'static,
    F: Future<Output = Result<T>> + Send + 'static,
{
    const AT_ONCE: usize = 4;
    let mut out: Vec<Option<T>> = std::iter::repeat_with(|| None).take(jobs.len()).collect();
    let mut running = tokio::task::JoinSet::new();
    for (n, job) in jobs.into_iter().enumerate() {
        if running.len() >= AT_ONCE
            && let Some(done) = running.join_next().await
        {
            let (i, v) = done??;
            out[i] = Some(v);
        }
        running.spawn(async move { job.await.map(|v| (n, v)) });
    }
    while let Some(done) = running.join_next().await {
        let (i, v) = done??;
        out[i] = Some(v);
    }
    out.into_iter().map(|v| v.ok_or_else(|| anyhow!("a job gave no result"))).collect()
}

/// Create the accounts, password current (ready to sign in); their ids in input order.
async fn create_users(store: &Store, inputs: Vec<UserInput>) -> Result<Vec<i64>> {
    let jobs = inputs.into_iter().map(|input| {
        let store = store.clone();
        async move {
            let id = store
                .create_user(&Principal::system(), &input, &ctx())
                .await
                .map_err(|e| anyhow!("account {}: {e}", input.username))?;
            store.mark_password_current(id).await?;
            Ok(id)
        }
    });
    at_once(jobs.collect()).await
}

/// The principals of sessions of `users`, in order.
async fn principals(store: &Store, users: &[i64]) -> Result<Vec<Principal>> {
    let jobs = users.iter().map(|id| {
        let (store, id) = (store.clone(), *id);
        async move { principal(&store, id).await }
    });
    at_once(jobs.collect()).await
}

fn account(username: String, name: &str, role: Role, org_id: i64, id_number: String) -> UserInput {
    UserInput {
        username,
        display_name: name.into(),
        org_id: Some(org_id),
        roles: vec![role.id().into()],
        password: PASSWORD.into(),
        id_number,
        ..Default::default()
    }
}

struct Station {
    name: String,
    region: String,
    staff: Principal,
}

/// Everyone who acts on the filings.
struct Cast {
    province: Principal,
    cities: HashMap<String, Principal>,
    stations: Vec<Station>,
    /// Registry expert id → the principal of their account.
    experts: HashMap<i64, Principal>,
}

async fn make_cast(store: &Store, v: &Volume) -> Result<(Cast, usize)> {
    let province_org = store.find_org_by_key("430000").await?.id;
    // Stations: `stations_per_city` in each of the 14 cities, spread over its counties.
    let mut stations = Vec::new();
    for (city, city_name) in domain::ids::HUNAN_CITIES {
        let counties = domain::ids::children(Some(city));
        for j in 0..v.stations_per_city {
            let (county, county_name) = counties.get(j % counties.len().max(1)).copied().unwrap_or((city, ""));
            let input = OrgInput {
                name: format!("{city_name}{county_name}第{}职业技能培训学校", j + 1),
                kind: "station".into(),
                nature: "private_non_enterprise".into(),
                credit_code: credit_code(county, stations.len() + 1)?,
                accept_credit_warning: false,
                region_code: county.into(),
                address: format!("湖南省{city_name}{county_name}职教路 {} 号", j + 1),
                contact_name: "张明".into(),
                contact_phone: "0731-84567890".into(),
            };
            stations.push(input);
        }
    }
    let jobs = stations.iter().map(|input| {
        let (store, input) = (store.clone(), input.clone());
        async move {
            store
                .create_org(&Principal::system(), &input, &ctx())
                .await
                .map_err(|e| anyhow!("organisation {}: {e}", input.name))
        }
    });
    let station_orgs = at_once(jobs.collect()).await?;
    // The expert committee (P5), over the 14 cities, with valid ID numbers.
    let (family, given) = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平");
    let mut experts = Vec::new();
    for i in 0..v.experts {
        let born = time::macros::date!(1962 - 01 - 01) + time::Duration::days(i as i64 * 11);
        let ymd = born.format(&time::macros::format_description!("[year][month][day]"))?;
        let id_number = testkit::id_number(&format!("430102{ymd}{:03}", i % 1000));
        let name: String = [family.chars().nth(i % 20), given.chars().nth(i / 20 % 20)].into_iter().flatten().collect();
        experts.push(testkit::expert_input(&name, &id_number, domain::ids::HUNAN_CITIES[i % 14].0));
    }
    let jobs = experts.iter().map(|input| {
        let (store, input) = (store.clone(), input.clone());
        async move {
            store
                .create_expert(&Principal::system(), &input, &ctx())
                .await
                .map_err(|e| anyhow!("expert {}: {e}", input.name))
        }
    });
    let expert_ids = at_once(jobs.collect()).await?;
    // Accounts: the two province readers, one city staff per city, one staff per station, one per
    // expert (the expert role with the registry's ID number, so a drawn member records findings).
    let mut inputs = vec![
        account(READER.into(), "李思远", Role::ProvinceStaff, province_org, String::new()),
        account(SIGNER.into(), "王登录", Role::ProvinceStaff, province_org, String::new()),
    ];
    for (city, _) in domain::ids::HUNAN_CITIES {
        let org = store.find_org_by_key(city).await?.id;
        inputs.push(account(format!("bench_city_{city}"), "钱晓燕", Role::CityStaff, org, String::new()));
    }
    for (n, org_id) in station_orgs.iter().enumerate() {
        inputs.push(account(format!("bench_zhan_{n:04}"), "刘芳", Role::StationStaff, *org_id, String::new()));
    }
    for (i, e) in experts.iter().enumerate() {
        inputs.push(account(format!("bench_zj{i:04}"), &e.name, Role::Expert, province_org, e.id_number.clone()));
    }
    let accounts = inputs.len();
    let ids = create_users(store, inputs).await?;
    let province = principal(store, ids[0]).await?;
    // ids[1] is the sign-in storm's account, which acts on no filing.
    let mut people = principals(store, &ids[2..]).await?.into_iter();
    let cities = domain::ids::HUNAN_CITIES.iter().map(|(c, _)| c.to_string()).zip(people.by_ref()).collect();
    let stations = stations
        .into_iter()
        .zip(people.by_ref())
        .map(|(o, staff)| Station { name: o.name, region: o.region_code, staff })
        .collect();
    let experts = expert_ids.into_iter().zip(people).collect();
    Ok((Cast { province, cities, stations, experts }, accounts))
}

/// One step on a filing, its error naming the filing and the step.
async fn act(store: &Store, p: &Principal, id: i64, input: FilingActionInput) -> Result<()> {
    store.act_on_filing(p, id, &input, &ctx()).await.map_err(|e| anyhow!("filing {id} {}: {e}", input.kind))?;
    Ok(())
}

fn step(kind: &str) -> FilingActionInput {
    FilingActionInput { kind: kind.into(), ..Default::default() }
}

/// Filings walked at once.
const WALKERS: usize = 4;

/// Create filing `i` as its station and take it through the steps to `stage`; the id of its group's
/// draw when it ends filed.
async fn walk(store: &Store, cast: &Cast, i: usize, stage: Stage, planned: time::Date) -> Result<Option<i64>> {
    let ctx = ctx();
    let st = &cast.stations[i % cast.stations.len()];
    let city_code = format!("{}00", &st.region[..4]);
    let city = cast.cities.get(&city_code).ok_or_else(|| anyhow!("no city staff for {city_code}"))?;
    let province = &cast.province;
    let application = testkit::application(&st.name, "other_unit", &st.region);
    let id = store.create_filing(&st.staff, &application, &ctx).await.context("create filing")?;
    // Every submitted filing has its four materials (S2); a third of the drafts have them too.
    if stage != Stage::Draft || i.is_multiple_of(3) {
        for kind in MaterialKind::ALL {
            let name = format!("{}.pdf", kind.label());
            store.add_filing_attachment(&st.staff, id, Some(*kind), &name, testkit::PDF, &ctx).await?;
        }
    }
    if stage >= Stage::Submitted {
        act(store, &st.staff, id, step("submit")).await?;
    }
    if stage == Stage::Returned {
        act(store, city, id, FilingActionInput { reason: "场地证明不清晰，请补充".into(), ..step("return") }).await?;
    }
    if stage >= Stage::Accepted {
        act(store, city, id, step("accept")).await?;
    }
    if stage >= Stage::PlanSubmitted {
        let plan = FilingActionInput {
            evaluation_date: Some(planned),
            place: format!("{}实训楼", st.name),
            methods: "听取报告、文件审核、技术抽查、访谈咨询、质询答辩、现场考察".into(),
            contacts: "钱晓燕 0731-84412345".into(),
            ..step("submit_plan")
        };
        act(store, city, id, plan).await?;
    }
    if stage >= Stage::GroupDrawn {
        act(store, province, id, step("approve_plan")).await?;
        act(store, province, id, step("draw_group")).await?;
    }
    if stage >= Stage::Evaluating {
        // The planned day arrives (the only date the seeding moves, as the demo does).
        store.demo_evaluation_today(id).await?;
        act(store, province, id, step("start_evaluation")).await?;
    }
    if stage >= Stage::Refused {
        let filing = store::entity::filing::Entity::find_by_id(id)
            .one(&store.db)
            .await?
            .ok_or_else(|| anyhow!("filing {id} gone"))?;
        let group_draw = filing.draw_id.ok_or_else(|| anyhow!("filing {id} has no group"))?;
        let conclusion = if stage == Stage::Filed { "pass" } else { "fail" };
        for member in store.draw_group(group_draw).await? {
            let p = cast.experts.get(&member).ok_or_else(|| anyhow!("expert {member} has no account"))?;
            store.record_findings(p, id, &testkit::findings(conclusion), &ctx).await?;
        }
        let (approve, reason) = if stage == Stage::Filed {
            (true, "经评估，符合备案条件")
        } else {
            (false, "评估结论为不通过")
        };
        act(store, province, id, FilingActionInput { approve: Some(approve), reason: reason.into(), ..step("decide") })
            .await?;
        if stage == Stage::Filed {
            return Ok(Some(group_draw));
        }
    }
    Ok(None)
}

/// Fill a fresh, migrated database.
pub async fn seed(store: &Store, v: &Volume) -> Result<Seeded> {
    let started = Instant::now();
    testkit::ensure_next_year_calendar(store).await?;
    // F2: a station applies for projects of the catalog (the example application's two).
    testkit::catalog(store, &testkit::EXAMPLE_PROJECTS).await;
    let (cast, accounts) = make_cast(store, v).await?;
    println!("  organisations, experts and {accounts} accounts in {:.1} s", started.elapsed().as_secs_f64());
    let lead: u32 = store
        .policy_parsed(domain::policy::keys::EVALUATION_PLAN_LEAD_DAYS, store::today(), &mut Default::default())
        .await?;
    let planned = store.calendar().await?.add_working_days(store::today(), lead).map_err(|e| anyhow!("{e:?}"))?;
    // Several filings are walked at once (the steps of different filings only meet at the audit
    // chain's head and the number counters), which keeps PostgreSQL's round trips from adding up.
    let cast = Arc::new(cast);
    let stages = Arc::new(stages(v));
    let walked = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..WALKERS {
        let (store, cast, stages, walked) = (store.clone(), cast.clone(), stages.clone(), walked.clone());
        workers.spawn(async move {
            let mut first_filed: Option<i64> = None;
            for i in (w..stages.len()).step_by(WALKERS) {
                if let Some(draw) = walk(&store, &cast, i, stages[i], planned).await? {
                    first_filed = Some(first_filed.map_or(draw, |d| d.min(draw)));
                }
                let n = walked.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(500) {
                    println!("  {n} filings at {:.1} s", started.elapsed().as_secs_f64());
                }
            }
            Ok::<_, anyhow::Error>(first_filed)
        });
    }
    let mut draw_id: Option<i64> = None;
    while let Some(done) = workers.join_next().await {
        if let Some(d) = done?? {
            draw_id = Some(draw_id.map_or(d, |x| x.min(d)));
        }
    }
    let audit_records = match store.verify_audit_chain().await? {
        Ok(n) => n,
        Err(b) => return Err(anyhow!("the audit chain is broken after seeding: {b}")),
    };
    Ok(Seeded {
        draw_id: draw_id.ok_or_else(|| anyhow!("no filing was approved (approved = 0?)"))?,
        states: filing_states(store).await?,
        organisations: cast.stations.len(),
        experts: cast.experts.len(),
        accounts,
        audit_records,
        elapsed: started.elapsed(),
    })
}

/// The states of the filings as the database holds them (what the walk left, as printed).
pub async fn filing_states(store: &Store) -> Result<BTreeMap<String, usize>> {
    let mut out = BTreeMap::new();
    for f in store::entity::filing::Entity::find().all(&store.db).await? {
        *out.entry(f.state.id().to_string()).or_default() += 1;
    }
    Ok(out)
}
