//! kaohe — the information system of the Hunan special vocational ability assessment procedure
//! (湘人社规〔2021〕14号). The binary: `serve`, `migrate`, users, verification, the working-day
//! calendar and backups.

mod certcheck;
mod config;
mod demo;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use config::Config;
use domain::crypto::{Crypto, Suite};
use domain::org::Principal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use store::Store;

#[derive(Parser)]
#[command(name = "kaohe", version, about = "湖南省专项职业能力考核管理信息系统")]
struct Cli {
    /// Configuration file (default: ./kaohe.toml when present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Data directory (also KAOHE_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the web UI and API.
    Serve {
        /// Load demo organisations and one account per role, and print their passwords.
        #[arg(long)]
        demo: bool,
        /// Address to listen on (also KAOHE_LISTEN).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Migrate the database and exit.
    Migrate,
    /// User accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Verify the audit chain or a draw.
    Verify {
        #[command(subcommand)]
        command: VerifyCommand,
    },
    /// Working-day calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Copy the live SQLite database consistently to FILE.
    Backup { file: PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user (must change the password at first sign-in).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// Role id, repeatable (e.g. province_admin).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Region code for centers (430000, 430100, …), credit code for other organisations.
        #[arg(long)]
        org: String,
        /// Display name (defaults to the username).
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
enum VerifyCommand {
    /// Exit 0 when the audit chain is intact; otherwise name the first broken record.
    Audit,
    /// Re-run a draw from its record (the database's, or an exported JSON file) and say whether it
    /// matches: exit 0 when it does, 1 when it does not, 2 while the seed is still sealed.
    Draw {
        /// The draw's number.
        id: Option<i64>,
        /// Verify an exported record (docs/DRAWS.md) instead of the database's.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Re-derive an assembled paper from its record (the database's, or an exported JSON file,
    /// docs/PAPERS.md) and say whether it matches: exit 0 when it does, 1 when it does not, 2 while the
    /// seed is still sealed (E2).
    Paper {
        /// The paper's number.
        id: Option<i64>,
        /// Verify an exported record (`/qbank/papers/{id}/record.json`) instead of the database's.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Verify a certificate's signed credential offline (C1, docs/CERTIFICATES.md): against a saved
    /// keys document, or without `--keys` the deployment's own keys (from its master key). Prints the
    /// fields and 验证通过, or the reason: exit 0 when it verifies, 1 when it does not.
    Certificate {
        /// The credential (`certificate-<number>.json`).
        file: PathBuf,
        /// The saved JSON of `/.well-known/kaohe/certificate-keys.json`.
        #[arg(long)]
        keys: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Print the N-th working day after DATE.
    Add { date: String, days: u32 },
}

/// glibc's allocator keeps what threads free in per-thread arenas, and after the first large free it
/// raises its mmap threshold, so every later 19 MiB argon2 buffer is carved from (and stays in) an
/// arena: a serving process grew past 100 MB under a sign-in storm (issue 10). A fixed threshold of
/// 1 MiB hands every large buffer back to the system when freed, and two arenas bound what the
/// runtime's, the blocking pool's and SQLite's threads keep. No crate sets these; `mallopt` is the
/// documented interface.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: `mallopt` only sets allocator parameters; it runs before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

/// Building the router and its OpenAPI document takes tens of megabytes for a moment; glibc keeps
/// what was freed in the heap unless asked to give it back (`malloc_trim`, no crate wraps it). A
/// serving process starts from what it keeps, not from that moment (issue 10, memory).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_freed_memory() {
    // SAFETY: `malloc_trim` only releases free memory at the top and inside the heap to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_freed_memory() {}

/// Start-up runs code that serving never runs again (every area's routes, the OpenAPI schemas of every
/// type, the migrations, the demo data): its pages of the binary stay mapped and count in the process's
/// resident memory. After start-up the process lets go of its executable pages (`MADV_DONTNEED` on the
/// binary's `r-xp` mappings, which are never written: they come back from the page cache on their next
/// use), so what stays resident is the code serving uses (issue 10, memory). No crate does this.
#[cfg(target_os = "linux")]
fn drop_startup_code_pages() {
    let Ok(exe) = std::env::current_exe() else { return };
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else { return };
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else { continue };
        let path = parts.nth(3).unwrap_or_default();
        if perms != "r-xp" || std::path::Path::new(path) != exe {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else { continue };
        let (Ok(start), Ok(end)) = (usize::from_str_radix(start, 16), usize::from_str_radix(end, 16)) else {
            continue;
        };
        // SAFETY: the range is a read-only, executable, private mapping of the binary's own file, never
        // written; dropping its pages only makes the next use read them again from the page cache.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn drop_startup_code_pages() {}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logs(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KAOHE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    // Colours only on a terminal: a log file or a journal gets plain text (issue 9 item 16).
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).with_ansi(ansi);
    if cfg.log_format == "json" { builder.json().init() } else { builder.init() }
}

/// The master key: configured, or kept in the data directory (created on first start, mode 0600).
fn master_key(cfg: &Config) -> anyhow::Result<[u8; 32]> {
    if let Some(k) = &cfg.master_key {
        return Crypto::parse_master_key_hex(&k.0).map_err(|e| anyhow::anyhow!("KAOHE_MASTER_KEY 无效：{e}"));
    }
    let path = cfg.data_dir.join("master.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return Crypto::parse_master_key_hex(text.trim()).map_err(|e| anyhow::anyhow!("{} 无效：{e}", path.display()));
    }
    let key = Crypto::generate_master_key().map_err(|e| anyhow::anyhow!("{e}"))?;
    write_private(&path, &hex::encode(key))?;
    Ok(key)
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).with_context(|| format!("无法创建 {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

async fn open_store(cfg: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&cfg.data_dir).with_context(|| format!("无法创建数据目录 {}", cfg.data_dir.display()))?;
    let suite: Suite = cfg.crypto_suite.parse().map_err(|_| anyhow::anyhow!("crypto_suite 应为 gm 或 intl"))?;
    let crypto = Crypto::new(suite, master_key(cfg)?);
    let files = store::files::open(cfg.files_url.as_deref(), &cfg.data_dir)?;
    store::files::probe(files.as_ref()).await.context("附件存储（files_url）不可用")?;
    let where_files = cfg
        .files_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| cfg.data_dir.join("files").display().to_string());
    tracing::info!(files = %where_files, "attachment store ready");
    let store = Store::connect(&cfg.database_url(), crypto).await.context("无法连接数据库")?.with_files(files);
    store.migrate().await.context("数据库迁移失败")?;
    Ok(store)
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut cfg = Config::load(cli.config.as_deref())?;
    if let Some(d) = cli.data_dir {
        cfg.data_dir = d;
    }
    match cli.command {
        Command::Serve { demo, listen } => {
            if let Some(l) = listen {
                cfg.listen = l;
            }
            init_logs(&cfg);
            serve(cfg, demo).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            open_store(&cfg).await?;
            println!("数据库已是最新版本");
            Ok(ExitCode::SUCCESS)
        }
        Command::User { command: UserCommand::Create { username, password, roles, org, name } } => {
            let store = open_store(&cfg).await?;
            let org = store
                .find_org_by_key(&org)
                .await
                .map_err(|_| anyhow::anyhow!("找不到机构 {org}（中心用行政区划代码，其他机构用统一社会信用代码）"))?;
            let input = store::users::UserInput {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                org_id: Some(org.id),
                roles,
                password,
                ..Default::default()
            };
            match store.create_user(&Principal::system(), &input, &store::Ctx::system()).await {
                Ok(id) => {
                    println!("已创建用户 {}（编号 {id}），首次登录须修改密码", input.username);
                    Ok(ExitCode::SUCCESS)
                }
                Err(store::StoreError::Invalid(errs)) => {
                    for e in errs.0 {
                        eprintln!("{}：{}", e.field, e.detail);
                    }
                    Ok(ExitCode::from(2))
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Verify { command: VerifyCommand::Audit } => {
            let store = open_store(&cfg).await?;
            match store.verify_audit_chain().await? {
                Ok(n) => {
                    println!("audit chain intact: {n} records");
                    Ok(ExitCode::SUCCESS)
                }
                Err(b) => {
                    eprintln!("audit chain broken: {b}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Verify { command: VerifyCommand::Draw { id, file } } => {
            let record: domain::draws::DrawRecord = match (id, file) {
                (_, Some(path)) => {
                    let text =
                        std::fs::read_to_string(&path).with_context(|| format!("无法读取 {}", path.display()))?;
                    serde_json::from_str(&text)
                        .map_err(|e| anyhow::anyhow!("{} 不是有效的抽取记录：{e}", path.display()))?
                }
                (Some(id), None) => {
                    let store = open_store(&cfg).await?;
                    store.public_draw_record(id).await.map_err(|_| anyhow::anyhow!("没有第 {id} 号抽取"))?
                }
                (None, None) => bail!("请给出抽取编号或 --file 记录文件"),
            };
            match domain::draws::verify(&record) {
                Ok(()) => {
                    println!(
                        "draw {} verified: pool {} entries, {} picks match the revealed seed",
                        record.draw_id,
                        record.pool.len(),
                        record.picks.len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(domain::draws::VerifyFailure::SeedNotRevealed) => {
                    eprintln!("draw {}: {}", record.draw_id, domain::draws::VerifyFailure::SeedNotRevealed);
                    Ok(ExitCode::from(2))
                }
                Err(e) => {
                    eprintln!("draw {} does not verify: {e}", record.draw_id);
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Verify { command: VerifyCommand::Paper { id, file } } => {
            use domain::question_bank::{PaperRecord, PaperVerifyFailure, verify_paper};
            let record: PaperRecord = match (id, file) {
                (_, Some(path)) => {
                    let text =
                        std::fs::read_to_string(&path).with_context(|| format!("无法读取 {}", path.display()))?;
                    serde_json::from_str(&text)
                        .map_err(|e| anyhow::anyhow!("{} 不是有效的组卷记录：{e}", path.display()))?
                }
                (Some(id), None) => {
                    let store = open_store(&cfg).await?;
                    let operator = domain::org::Principal::system();
                    store.paper(&operator, id).await.map_err(|_| anyhow::anyhow!("没有第 {id} 号试卷"))?.record
                }
                (None, None) => bail!("请给出试卷编号或 --file 记录文件"),
            };
            match verify_paper(&record) {
                Ok(()) => {
                    println!(
                        "paper {} verified: pool {} items, {} items match the revealed seed",
                        record.paper_id,
                        record.pool.len(),
                        record.item_ids().len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(PaperVerifyFailure::SeedNotRevealed) => {
                    eprintln!("paper {}: {}", record.paper_id, PaperVerifyFailure::SeedNotRevealed);
                    Ok(ExitCode::from(2))
                }
                Err(e) => {
                    eprintln!("paper {} does not verify: {e}", record.paper_id);
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Verify { command: VerifyCommand::Certificate { file, keys } } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let keys = match keys {
                Some(path) => {
                    let k = std::fs::read_to_string(&path).with_context(|| format!("无法读取 {}", path.display()))?;
                    certcheck::read_keys(&k).map_err(|e| anyhow::anyhow!("{}：{e}", path.display()))?
                }
                None => {
                    if cfg.master_key.is_none() && !cfg.data_dir.join("master.key").exists() {
                        bail!("数据目录 {} 中没有主密钥，请用 --keys 给出公钥文件", cfg.data_dir.display());
                    }
                    let suite: Suite =
                        cfg.crypto_suite.parse().map_err(|_| anyhow::anyhow!("crypto_suite 应为 gm 或 intl"))?;
                    let crypto = Crypto::new(suite, master_key(&cfg)?);
                    domain::certificates::keys_document(&crypto, store::certificates::PROVINCE_URN.to_owned())
                }
            };
            match certcheck::check(&text, &keys) {
                Ok(out) => {
                    print!("{out}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(why) => {
                    eprintln!("{}：{why}", file.display());
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Calendar { command: CalendarCommand::Add { date, days } } => {
            let store = open_store(&cfg).await?;
            let d = time::Date::parse(&date, &time::format_description::well_known::Iso8601::DATE)
                .map_err(|_| anyhow::anyhow!("日期格式应为 YYYY-MM-DD：{date}"))?;
            match store.calendar().await?.add_working_days(d, days) {
                Ok(r) => {
                    println!("{r}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Backup { file } => {
            let store = open_store(&cfg).await?;
            if !matches!(store.backend(), sea_orm::DbBackend::Sqlite) {
                bail!("backup 仅适用于内置 SQLite 数据库；PostgreSQL 请使用 pg_dump");
            }
            store.backup_sqlite(&file).await?;
            println!("已备份到 {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn serve(cfg: Config, demo: bool) -> anyhow::Result<()> {
    let store = open_store(&cfg).await?;
    if store.user_count().await? == 0 {
        demo::bootstrap_admin(&store).await?;
    }
    if demo {
        demo::load(&store).await?;
    }
    store.ensure_calendar_reminder().await?;
    web::pages::public::prometheus();
    let web_cfg = web::WebConfig {
        cookie_secure: cfg.cookie_secure,
        body_limit: cfg.body_limit,
        rate_limit_exempt: web::parse_addresses("rate_limit_exempt", &cfg.rate_limit_exempt)
            .map_err(anyhow::Error::msg)?,
        metrics_allow: web::parse_addresses("metrics_allow", &cfg.metrics_allow).map_err(anyhow::Error::msg)?,
        public_base_url: web::parse_base_url(cfg.public_base_url.as_deref()).map_err(anyhow::Error::msg)?,
        ..Default::default()
    };
    let state = web::AppState::new(store.clone(), web_cfg);
    let app = web::app(state.clone());
    return_freed_memory();
    drop_startup_code_pages();
    // The counts of repeated denials (web::denials) are written once their minute is over.
    let denials = state.denials.clone();
    let flusher = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            denials.flush_finished(&store).await;
        }
    });
    let listener =
        tokio::net::TcpListener::bind(&cfg.listen).await.with_context(|| format!("无法监听 {}", cfg.listen))?;
    tracing::info!(listen = %cfg.listen, "kaohe serving");
    println!("kaohe 已启动：http://{}/", listener.local_addr().map(|a| a.to_string()).unwrap_or(cfg.listen.clone()));
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    flusher.abort();
    state.denials.flush(&state.store).await;
    tracing::info!("kaohe stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
