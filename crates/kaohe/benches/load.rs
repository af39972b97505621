//! Load benchmark of the real server (issue 10): requests per second and latency of the hot paths
//! under 64 connections, measured with wrk against `kaohe serve` on a database filled with a
//! realistic volume. Run with
//!
//! ```sh
//! cargo bench -p kaohe --bench load
//! ```
//!
//! Needs wrk (`apt-get install wrk`). For each database — SQLite in a fresh temporary directory, and
//! PostgreSQL in a fresh database made through `KAOHE_BENCH_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`, dropped afterwards; skipped when unreachable) — it:
//!
//! 1. fills the database through the store's API (`load/seed.rs`): stations in all 14 cities, 500
//!    experts who sign in, 2,000 filings walked through their steps to a mix of states (300 filed, so
//!    the public directory is full), and the audit trail (counted and verified);
//! 2. starts the release binary (`kaohe serve`) on it, this client exempt from the rate limits, and
//!    signs in as province staff through the API (bearer token) and the sign-in page (session cookie);
//! 3. runs wrk (`-t2 -c64 -d5s --latency`, two interleaved rounds) over `/healthz`, `/stations`,
//!    `/draws/{id}`, `GET /api/v1/me`, `GET /api/v1/filings`, `/filings`, and a sign-in storm (16
//!    connections signing in while 48 read `/api/v1/me`);
//! 4. restarts the server without the exemption and measures `/stations` from the now limited client
//!    (the limiter's own cost, and how many answers were 429);
//! 5. prints one markdown table per database (each figure the mean of the rounds, and its ratio to the
//!    same run's `/healthz`), the server's memory after the load, and the issue's goals met or not.
//!
//! Settings (environment): `KAOHE_BENCH_SECONDS` (5), `KAOHE_BENCH_CONNECTIONS` (64),
//! `KAOHE_BENCH_THREADS` (2), `KAOHE_BENCH_ROUNDS` (2), `KAOHE_BENCH_DATABASE_URL`,
//! `KAOHE_BENCH_ONLY` (`sqlite` or `postgres`), and for a quick try a smaller volume:
//! `KAOHE_BENCH_FILINGS` (2000), `KAOHE_BENCH_APPROVED` (300), `KAOHE_BENCH_EXPERTS` (500).

#[path = "load/seed.rs"]
mod seed;
#[path = "load/server.rs"]
mod server;
#[path = "load/wrk.rs"]
mod wrk;

use anyhow::{Context, Result, anyhow, ensure};
use domain::crypto::{Crypto, Suite};
use seed::{Seeded, Volume};
use server::{Memory, Server};
use std::path::Path;
use std::process::ExitCode;
use store::Store;
use store::sea_orm::{ConnectOptions, ConnectionTrait, Database};
use wrk::{Figures, Load};

/// The master key of the seeded data; the server is started with the same (ID numbers are encrypted
/// and blind-indexed with it).
const MASTER_KEY: [u8; 32] = [0x42; 32];

struct Settings {
    seconds: u32,
    connections: u32,
    threads: u32,
    rounds: u32,
    volume: Volume,
    postgres: String,
    only: Option<String>,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> Result<T> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v.trim().parse().map_err(|_| anyhow!("{name}={v} is not a valid value")),
        _ => Ok(default),
    }
}

impl Settings {
    fn from_env() -> Result<Settings> {
        let s = Settings {
            seconds: env_or("KAOHE_BENCH_SECONDS", 5)?,
            connections: env_or("KAOHE_BENCH_CONNECTIONS", 64)?,
            threads: env_or("KAOHE_BENCH_THREADS", 2)?,
            rounds: env_or("KAOHE_BENCH_ROUNDS", 2)?,
            volume: Volume {
                filings: env_or("KAOHE_BENCH_FILINGS", 2000)?,
                experts: env_or("KAOHE_BENCH_EXPERTS", 500)?,
                stations_per_city: 20,
                approved: env_or("KAOHE_BENCH_APPROVED", 300)?,
            },
            postgres: env_or("KAOHE_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test".to_string())?,
            only: std::env::var("KAOHE_BENCH_ONLY").ok().filter(|v| !v.trim().is_empty()),
        };
        ensure!(s.connections > SIGN_INS, "KAOHE_BENCH_CONNECTIONS must be more than {SIGN_INS}");
        ensure!(s.rounds > 0 && s.seconds > 0, "KAOHE_BENCH_ROUNDS and KAOHE_BENCH_SECONDS must be positive");
        ensure!(s.volume.experts >= 20, "KAOHE_BENCH_EXPERTS must be at least 20 (groups are drawn from them)");
        Ok(s)
    }

    fn load(&self, connections: u32, headers: &[String]) -> Load {
        Load { threads: self.threads, connections, seconds: self.seconds, headers: headers.to_vec(), script: None }
    }

    fn runs(&self, db: &str) -> bool {
        self.only.as_deref().is_none_or(|o| o.eq_ignore_ascii_case(db))
    }
}

/// Connections signing in during the storm; the rest of the connections read at the same time.
const SIGN_INS: u32 = 16;

/// One measured line of the table.
struct Row {
    label: String,
    /// Each round's figures.
    rounds: Vec<Figures>,
}

impl Row {
    fn mean(&self, f: impl Fn(&Figures) -> f64) -> f64 {
        self.rounds.iter().map(f).sum::<f64>() / self.rounds.len().max(1) as f64
    }
    fn rps(&self) -> f64 {
        self.mean(|f| f.rps)
    }
    fn p50(&self) -> f64 {
        self.mean(|f| f.p50_ms)
    }
    fn p99(&self) -> f64 {
        self.mean(|f| f.p99_ms)
    }
    fn non_ok(&self) -> u64 {
        self.rounds.iter().map(|f| f.non_2xx_3xx).sum()
    }
    fn socket_errors(&self) -> u64 {
        self.rounds.iter().map(|f| f.socket_errors).sum()
    }
    fn requests(&self) -> u64 {
        self.rounds.iter().map(|f| f.requests).sum()
    }
}

/// What one database's run measured.
struct Report {
    database: &'static str,
    seeded: Seeded,
    rows: Vec<Row>,
    /// The exempt server's memory once ready, after the first round's reads (before any sign-in), and
    /// after the load.
    memory_start: Memory,
    memory_reads: Memory,
    memory: Memory,
    /// The same of the limited server after its load.
    memory_limited: Memory,
}

impl Report {
    fn row(&self, label: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.label.starts_with(label))
    }
}

fn main() -> ExitCode {
    if !wrk::available() {
        eprintln!("wrk is not installed: apt-get install wrk");
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("load benchmark failed: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let s = Settings::from_env()?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    println!("# kaohe load benchmark\n");
    println!("{}", machine());
    println!(
        "wrk -t{} -c{} -d{}s --latency, {} interleaved rounds; volume: {} filings ({} filed), {} experts, {} stations\n",
        s.threads,
        s.connections,
        s.seconds,
        s.rounds,
        s.volume.filings,
        s.volume.approved,
        s.volume.experts,
        s.volume.stations_per_city * 14
    );
    let mut reports = Vec::new();
    if s.runs("sqlite") {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("kaohe.db").display());
        reports.push(measure(&rt, &s, "SQLite", dir.path(), &url).context("SQLite")?);
    }
    if s.runs("postgres") {
        match rt.block_on(create_postgres_database(&s.postgres)) {
            Err(e) => println!("PostgreSQL is unreachable at {} ({e:#}): skipped\n", s.postgres),
            Ok((url, name)) => {
                let dir = tempfile::tempdir()?;
                let measured = measure(&rt, &s, "PostgreSQL", dir.path(), &url);
                if let Err(e) = rt.block_on(drop_postgres_database(&s.postgres, &name)) {
                    eprintln!("could not drop the benchmark database {name}: {e:#}");
                }
                reports.push(measured.context("PostgreSQL")?);
            }
        }
    }
    println!("# Results\n\n{}", machine());
    for r in &reports {
        print_report(r, &s);
    }
    Ok(())
}

/// Seed one database, then measure the server on it.
fn measure(
    rt: &tokio::runtime::Runtime,
    s: &Settings,
    database: &'static str,
    dir: &Path,
    url: &str,
) -> Result<Report> {
    println!("## {database}: seeding through the store…");
    let seeded = rt.block_on(fill(url, dir, &s.volume))?;
    println!(
        "seeded in {:.1} s: {} stations, {} experts, {} accounts, filings by state {:?}, {} audit records (chain verified), public draw {}",
        seeded.elapsed.as_secs_f64(),
        seeded.organisations,
        seeded.experts,
        seeded.accounts,
        seeded.states,
        seeded.audit_records,
        seeded.draw_id
    );
    let key = hex::encode(MASTER_KEY);
    let (rows, memory_start, memory_reads, memory) = {
        let server = Server::start(dir, url, &key, true)?;
        let start = server.memory();
        let (rows, reads) = measure_paths(&server, s, dir, seeded.draw_id)?;
        (rows, start, reads, server.memory())
    };
    let (limited, memory_limited) = {
        let server = Server::start(dir, url, &key, false)?;
        let load = s.load(s.connections, &[]);
        let mut row = Row { label: "`/stations` without the exemption".into(), rounds: Vec::new() };
        for round in 0..s.rounds {
            let f = wrk::run(&load, &server.url("/stations"))?;
            println!("  round {}: {:<44} {}", round + 1, row.label, brief(&f));
            row.rounds.push(f);
        }
        (row, server.memory())
    };
    let mut rows = rows;
    rows.push(limited);
    Ok(Report { database, seeded, rows, memory_start, memory_reads, memory, memory_limited })
}

async fn fill(url: &str, dir: &Path, volume: &Volume) -> Result<Seeded> {
    let files = store::files::open(None, dir)?;
    let store = Store::connect(url, Crypto::new(Suite::Gm, MASTER_KEY)).await?.with_files(files);
    store.migrate().await?;
    let seeded = seed::seed(&store, volume).await;
    store.db.close().await?;
    seeded
}

fn brief(f: &Figures) -> String {
    format!("{:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  non-2xx/3xx {}", f.rps, f.p50_ms, f.p99_ms, f.non_2xx_3xx)
}

/// The exempt server's paths, round after round, and the sign-in storm in each round; with the
/// server's memory after the first round's reads.
fn measure_paths(server: &Server, s: &Settings, dir: &Path, draw_id: i64) -> Result<(Vec<Row>, Memory)> {
    let token = server.api_token(seed::READER, seed::PASSWORD)?;
    let cookie = server.web_session(seed::READER, seed::PASSWORD)?;
    let bearer = vec![format!("Authorization: Bearer {token}")];
    let session = vec![format!("Cookie: {cookie}")];
    let draw = format!("/draws/{draw_id}");
    let paths: Vec<(String, &str, &[String])> = vec![
        ("`/healthz`".into(), "/healthz", &[]),
        ("`/stations` (public directory)".into(), "/stations", &[]),
        (format!("`/draws/{{id}}` (public draw page, {draw})"), &draw, &[]),
        ("`GET /api/v1/me` (bearer)".into(), "/api/v1/me", &bearer),
        ("`GET /api/v1/filings` (staff list, bearer)".into(), "/api/v1/filings", &bearer),
        ("`/filings` (staff list page, session)".into(), "/filings", &session),
    ];
    // A path that does not answer 200 would measure an error page (or a redirect wrk counts as fine).
    for (label, path, headers) in &paths {
        let pairs: Vec<(&str, &str)> = headers.iter().filter_map(|h| h.split_once(": ")).collect();
        let r = server::get(&server.addr, path, &pairs)?;
        ensure!(r.status == 200, "{label} answered {} before the load", r.status);
    }
    let script = dir.join("sign-in.lua");
    let body = serde_json::json!({ "username": seed::SIGNER, "password": seed::PASSWORD }).to_string();
    std::fs::write(
        &script,
        format!("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [[{body}]]\n"),
    )?;
    let reads = s.connections - SIGN_INS;
    let mut rows: Vec<Row> =
        paths.iter().map(|(label, _, _)| Row { label: label.clone(), rounds: Vec::new() }).collect();
    rows.push(Row {
        label: format!("`GET /api/v1/me` while {SIGN_INS} connections sign in ({reads} connections)"),
        rounds: Vec::new(),
    });
    rows.push(Row {
        label: format!("`POST /api/v1/auth/token`, the storm's sign-ins ({SIGN_INS} connections)"),
        rounds: Vec::new(),
    });
    let mut memory_reads = Memory::default();
    for round in 0..s.rounds {
        for (n, (_, path, headers)) in paths.iter().enumerate() {
            let f = wrk::run(&s.load(s.connections, headers), &server.url(path))?;
            println!("  round {}: {:<44} {}", round + 1, path, brief(&f));
            rows[n].rounds.push(f);
        }
        if round == 0 {
            memory_reads = server.memory();
        }
        let storm = Load { script: Some(script.clone()), threads: 1, ..s.load(SIGN_INS, &[]) };
        let signing = wrk::spawn(&storm, &server.url("/api/v1/auth/token"))?;
        let reading = wrk::spawn(&s.load(reads, &bearer), &server.url("/api/v1/me"));
        let read = reading.and_then(wrk::finish);
        let signed = wrk::finish(signing)?;
        let read = read?;
        println!("  round {}: {:<44} {}", round + 1, "storm: /api/v1/me", brief(&read));
        println!("  round {}: {:<44} {}", round + 1, "storm: sign-ins", brief(&signed));
        let n = paths.len();
        rows[n].rounds.push(read);
        rows[n + 1].rounds.push(signed);
    }
    Ok((rows, memory_reads))
}

/// nproc, the CPU model, the memory, the date and the load average (other work on the machine).
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_string()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().find_map(|l| l.strip_prefix("MemTotal:").map(|v| kb_to_mb(v.trim()))))
        .map(|mb| format!(", {:.1} GiB", mb / 1024.0))
        .unwrap_or_default();
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    let date = time::OffsetDateTime::now_utc().format(&format).unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!("Machine: nproc {cpus}, {model}{memory}; date {date}; load average {load}\n")
}

/// `"45678 kB"` in MB (MiB).
fn kb_to_mb(text: &str) -> f64 {
    text.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()).map_or(f64::NAN, |kb| kb / 1024.0)
}

fn print_report(r: &Report, s: &Settings) {
    let seeded = &r.seeded;
    println!("## {}\n", r.database);
    println!(
        "Data: {} filings ({}), {} stations in 14 cities, {} experts, {} accounts, {} audit records; seeded in {:.0} s.\n",
        seeded.states.values().sum::<usize>(),
        seeded.states.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "),
        seeded.organisations,
        seeded.experts,
        seeded.accounts,
        seeded.audit_records,
        seeded.elapsed.as_secs_f64()
    );
    let healthz = r.row("`/healthz`").map_or(f64::NAN, Row::rps);
    println!("| path | req/s | p50 | p99 | × /healthz |");
    println!("|---|---:|---:|---:|---:|");
    for row in &r.rows {
        let mut label = row.label.clone();
        if row.non_ok() > 0 {
            let share = 100.0 * row.non_ok() as f64 / row.requests().max(1) as f64;
            label.push_str(&format!(" — non-2xx/3xx: {} of {} ({share:.1} %)", row.non_ok(), row.requests()));
        }
        if row.socket_errors() > 0 {
            label.push_str(&format!(" — socket errors: {}", row.socket_errors()));
        }
        println!(
            "| {label} | {:.0} | {:.2} ms | {:.2} ms | {:.2} |",
            row.rps(),
            row.p50(),
            row.p99(),
            row.rps() / healthz
        );
    }
    let mb = |m: &Memory| {
        format!(
            "VmRSS {:.1} MB (RssAnon {:.1} MB, RssFile {:.1} MB), VmHWM {:.1} MB",
            kb_to_mb(&m.rss),
            kb_to_mb(&m.anon),
            kb_to_mb(&m.file),
            kb_to_mb(&m.hwm)
        )
    };
    println!(
        "\nServer memory after the load: {}. Once ready: {}; after the first round's reads, before any sign-in: {}; \
         the limited server after its load: {}.\n",
        mb(&r.memory),
        mb(&r.memory_start),
        mb(&r.memory_reads),
        mb(&r.memory_limited)
    );
    println!("Goals of issue 10 ({} connections, ratios to /healthz of the same run):\n", s.connections);
    for (goal, met) in goals(r) {
        println!("- {} {goal}", if met { "met:" } else { "NOT met:" });
    }
    println!();
}

/// The issue's goals, each with whether this run meets it.
fn goals(r: &Report) -> Vec<(String, bool)> {
    let healthz = r.row("`/healthz`").map_or(f64::NAN, Row::rps);
    let mut out = Vec::new();
    let mut check = |label: &str, name: &str, ratio: f64, p99: Option<f64>| {
        let Some(row) = r.row(label) else { return };
        let x = row.rps() / healthz;
        let mut text = format!("{name}: × {x:.2} (goal ≥ {ratio:.2})");
        let mut met = x >= ratio;
        if let Some(limit) = p99 {
            text.push_str(&format!(", p99 {:.2} ms (goal < {limit} ms)", row.p99()));
            met &= row.p99() < limit;
        }
        out.push((text, met));
    };
    check("`/stations`", "public directory", 0.40, Some(10.0));
    check("`/draws/", "public draw page", 0.40, Some(10.0));
    check("`GET /api/v1/me` (bearer)", "/api/v1/me", 0.30, None);
    check("`GET /api/v1/filings`", "staff list API", 0.20, Some(25.0));
    check("`/filings`", "staff list page", 0.20, Some(25.0));
    if let Some(row) = r.row("`GET /api/v1/me` while") {
        let p99 = row.p99();
        out.push((format!("a read while {SIGN_INS} sign-ins run: p99 {p99:.2} ms (goal < 25 ms)"), p99 < 25.0));
    }
    let (rss, hwm, reads) = (kb_to_mb(&r.memory.rss), kb_to_mb(&r.memory.hwm), kb_to_mb(&r.memory_reads.rss));
    let (anon, file) = (kb_to_mb(&r.memory.anon), kb_to_mb(&r.memory.file));
    out.push((
        format!(
            "serving RSS {rss:.1} MB after the load ({anon:.1} MB its own, {file:.1} MB the binary's pages), peak \
             {hwm:.1} MB ({reads:.1} MB after the reads alone) (goal: the peak < 64 MB)"
        ),
        hwm < 64.0,
    ));
    out
}

/// A new database on the PostgreSQL server of `admin_url`: (its URL, its name).
async fn create_postgres_database(admin_url: &str) -> Result<(String, String)> {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.subsec_nanos();
    let name = format!("kaohe_bench_{}_{nanos}", std::process::id());
    let db = connect_admin(admin_url).await?;
    db.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    db.close().await?;
    let (rest, query) = admin_url.split_once('?').map_or((admin_url, None), |(r, q)| (r, Some(q)));
    let scheme_end = rest.find("://").map_or(0, |i| i + 3);
    let base = match rest.rfind('/') {
        Some(i) if i >= scheme_end => &rest[..i],
        _ => rest,
    };
    let url = match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    };
    Ok((url, name))
}

async fn drop_postgres_database(admin_url: &str, name: &str) -> Result<()> {
    let db = connect_admin(admin_url).await?;
    db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    db.close().await?;
    Ok(())
}

async fn connect_admin(url: &str) -> Result<store::sea_orm::DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .max_connections(1)
        .connect_timeout(std::time::Duration::from_secs(5))
        .acquire_timeout(std::time::Duration::from_secs(5));
    Ok(Database::connect(opts).await?)
}
