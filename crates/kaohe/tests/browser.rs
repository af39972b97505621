//! End-to-end browser test: the real `kaohe serve --demo` binary driven by headless Chromium through
//! chromedriver. Every demo account signs in (enrolling or answering the second factor where the role
//! requires it), lands on its 工作台, finds no broken link and no console error on any page of its
//! menu, and signs out again; a bad credit code on the new-organisation form explains itself.
//! A second test walks S2 through the pages: station_staff fills in a new application (a bad phone
//! number is refused beside its field first), uploads the four materials and submits; city_staff accepts.
//!
//! Needs `chromium` and `chromedriver` (`.ci/browser-deps.sh` installs them on Debian). Without them
//! the test passes with a notice, except under `CI=true`, where it fails.
//!
//! Screenshots go to `<CARGO_TARGET_TMPDIR>/screenshots/`.

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};
use totp_rs::{Algorithm, Secret};

const DEMO_PASSWORD: &str = "Kaohe#2026";
const DEMO_ACCOUNTS: usize = 14;
const CHROMIUM: &str = "/usr/bin/chromium";
const TOTP_ISSUER: &str = "湖南专项考核";
const SERVER_START_TIMEOUT: Duration = Duration::from_secs(120);
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(30);
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);

/// A child process killed (and reaped) when the guard goes out of scope, also when the test fails.
struct ChildGuard {
    child: Child,
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The running kaohe server.
struct Server {
    _process: ChildGuard,
    base: String,
    usernames: Vec<String>,
}

/// The legacy chromedriver command `POST /session/{id}/se/log` `{"type":"browser"}`: the browser
/// console entries since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

/// Where the test writes its screenshots, and which pages it has already photographed.
struct Shots {
    dir: PathBuf,
    seen: HashSet<String>,
    taken: Vec<PathBuf>,
}

impl Shots {
    fn new() -> Result<Shots> {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Shots { dir, seen: HashSet::new(), taken: Vec::new() })
    }

    async fn take(&mut self, c: &Client, name: &str) -> Result<()> {
        let png = c.screenshot().await.with_context(|| format!("screenshot {name}"))?;
        let path = self.dir.join(format!("{name}.png"));
        std::fs::write(&path, png).with_context(|| format!("cannot write {}", path.display()))?;
        println!("screenshot: {}", path.display());
        self.taken.push(path);
        Ok(())
    }

    /// A screenshot of the page at `path` the first time any account sees it.
    async fn first_time(&mut self, c: &Client, path: &str) -> Result<()> {
        let name = path.trim_matches('/').replace('/', "-");
        let name = if name.is_empty() { "root".to_string() } else { name };
        if self.seen.insert(name.clone()) {
            self.take(c, &name).await?;
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_role_signs_in_and_sees_a_working_home_page() {
    let Some(chromedriver) = browser_available() else {
        return;
    };
    let started = Instant::now();
    // Declared first so they are removed last, after the processes using them are gone.
    let data_dir = tempfile::tempdir().expect("temporary data directory");
    let profile_dir = tempfile::tempdir().expect("temporary browser profile directory");

    let server = start_server(data_dir.path()).unwrap_or_else(|e| panic!("kaohe did not start: {e:#}"));
    println!("kaohe at {} with demo accounts {:?}", server.base, server.usernames);
    let (_driver, driver_url) =
        start_chromedriver(&chromedriver).await.unwrap_or_else(|e| panic!("chromedriver did not start: {e:#}"));
    let client = connect(&driver_url, profile_dir.path()).await.unwrap_or_else(|e| panic!("no browser session: {e:#}"));

    let mut shots = Shots::new().expect("screenshot directory");
    let outcome = run_all(&client, &server, &mut shots).await;
    if let Err(e) = client.close().await {
        eprintln!("closing the browser session failed: {e}");
    }
    println!("browser test took {:.1} s; {} screenshots", started.elapsed().as_secs_f64(), shots.taken.len());
    match outcome {
        Ok(problems) if problems.is_empty() => {}
        Ok(problems) => panic!("{} problem(s) found in the browser:\n- {}", problems.len(), problems.join("\n- ")),
        Err(e) => panic!("browser test aborted: {e:#}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn s2_a_station_fills_the_filing_form_uploads_materials_and_submits_and_the_city_accepts() {
    let Some(chromedriver) = browser_available() else {
        return;
    };
    let started = Instant::now();
    // Declared first so they are removed last, after the processes using them are gone.
    let data_dir = tempfile::tempdir().expect("temporary data directory");
    let profile_dir = tempfile::tempdir().expect("temporary browser profile directory");
    let files_dir = tempfile::tempdir().expect("temporary directory for the materials");

    let server = start_server(data_dir.path()).unwrap_or_else(|e| panic!("kaohe did not start: {e:#}"));
    println!("kaohe at {}", server.base);
    let (_driver, driver_url) =
        start_chromedriver(&chromedriver).await.unwrap_or_else(|e| panic!("chromedriver did not start: {e:#}"));
    let client = connect(&driver_url, profile_dir.path()).await.unwrap_or_else(|e| panic!("no browser session: {e:#}"));

    let mut shots = Shots::new().expect("screenshot directory");
    let mut problems = Vec::new();
    let outcome = file_submit_and_accept(&client, &server.base, files_dir.path(), &mut shots, &mut problems).await;
    if let Err(e) = client.close().await {
        eprintln!("closing the browser session failed: {e}");
    }
    println!("filing browser test took {:.1} s; {} screenshots", started.elapsed().as_secs_f64(), shots.taken.len());
    if let Err(e) = outcome {
        panic!("filing browser test aborted: {e:#}\nproblems so far:\n- {}", problems.join("\n- "));
    }
    assert!(problems.is_empty(), "{} problem(s) found in the browser:\n- {}", problems.len(), problems.join("\n- "));
}

/// chromedriver's path when Chromium and chromedriver are installed. Otherwise `None` after a notice,
/// or a failure under `CI=true`.
fn browser_available() -> Option<PathBuf> {
    let driver = find_in_path("chromedriver").or_else(|| {
        let p = PathBuf::from("/usr/bin/chromedriver");
        p.is_file().then_some(p)
    });
    let chromium = Path::new(CHROMIUM).is_file();
    if let (Some(driver), true) = (&driver, chromium) {
        return Some(driver.clone());
    }
    let missing = match (driver.is_none(), !chromium) {
        (true, true) => "chromium and chromedriver are",
        (true, false) => "chromedriver is",
        _ => "chromium (/usr/bin/chromium) is",
    };
    let msg = format!("{missing} not installed; run .ci/browser-deps.sh to install them");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("browser test cannot run under CI: {msg}");
    }
    eprintln!("skipping the browser test: {msg}");
    None
}

fn find_in_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("cannot bind a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Starts `kaohe serve --demo` on a free port and waits for its "kaohe 已启动" line, collecting the
/// demo usernames printed before it.
fn start_server(data_dir: &Path) -> Result<Server> {
    let port = free_port()?;
    let listen = format!("127.0.0.1:{port}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kaohe"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .args(["serve", "--demo", "--listen", &listen])
        // No stray kaohe.toml or KAOHE_* setting (e.g. a PostgreSQL URL) from the developer's shell.
        .current_dir(data_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("KAOHE_") && key != "KAOHE_LOG" {
            cmd.env_remove(key);
        }
    }
    if std::env::var_os("KAOHE_LOG").is_none() {
        cmd.env("KAOHE_LOG", "warn");
    }
    let mut child = cmd.spawn().context("cannot run the kaohe binary")?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout pipe"))?;
    let process = ChildGuard { child };

    // The reader keeps draining stdout after start-up so the server never blocks on a full pipe.
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });

    let deadline = Instant::now() + SERVER_START_TIMEOUT;
    let mut output = Vec::new();
    let mut usernames = Vec::new();
    let mut in_accounts = false;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match rx.recv_timeout(left) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => bail!(
                "no \"kaohe 已启动\" line within {} s; output:\n{}",
                SERVER_START_TIMEOUT.as_secs(),
                output.join("\n")
            ),
            Err(RecvTimeoutError::Disconnected) => {
                bail!("kaohe exited before it was ready; output:\n{}", output.join("\n"))
            }
        };
        if line.contains("kaohe 已启动") {
            break;
        }
        if line.contains("演示账号") {
            in_accounts = true;
        } else if in_accounts {
            match line.strip_prefix("  ").and_then(|rest| rest.split_whitespace().next()) {
                Some(name) => usernames.push(name.to_string()),
                None => in_accounts = false,
            }
        }
        output.push(line);
    }
    ensure!(
        usernames.len() == DEMO_ACCOUNTS,
        "expected {DEMO_ACCOUNTS} demo accounts after \"演示账号\", found {usernames:?}; output:\n{}",
        output.join("\n")
    );
    Ok(Server { _process: process, base: format!("http://{listen}"), usernames })
}

/// Starts chromedriver on a free port and waits until `/status` answers.
async fn start_chromedriver(program: &Path) -> Result<(ChildGuard, String)> {
    let port = free_port()?;
    let child = Command::new(program)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let mut guard = ChildGuard { child };
    let deadline = Instant::now() + DRIVER_START_TIMEOUT;
    loop {
        if let Some(status) = guard.child.try_wait()? {
            bail!("chromedriver exited with {status}");
        }
        if driver_status_ok(port) {
            return Ok((guard, format!("http://127.0.0.1:{port}")));
        }
        if Instant::now() > deadline {
            bail!("chromedriver did not answer /status within {} s", DRIVER_START_TIMEOUT.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn driver_status_ok(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

async fn connect(driver_url: &str, profile_dir: &Path) -> Result<Client> {
    let mut caps = Capabilities::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                format!("--user-data-dir={}", profile_dir.display()),
                "--window-size=1366,900",
            ],
        }),
    );
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(driver_url)
        .await
        .context("cannot open a WebDriver session")
}

/// Signs every demo account in and out; returns the problems found (empty when all is well).
async fn run_all(c: &Client, server: &Server, shots: &mut Shots) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut secrets: HashMap<String, Vec<u8>> = HashMap::new();
    for username in &server.usernames {
        println!("--- {username}");
        if let Err(e) = check_account(c, server, username, &mut secrets, shots, &mut problems).await {
            problems.push(format!("{username}: {e:#}"));
            // Start the next account from a clean slate, whatever state this one left behind.
            c.delete_all_cookies().await.context("clear cookies")?;
        }
    }
    Ok(problems)
}

async fn check_account(
    c: &Client,
    server: &Server,
    username: &str,
    secrets: &mut HashMap<String, Vec<u8>>,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    let base = &server.base;
    console_errors(c).await?; // Discard whatever the previous account left in the log.
    sign_in(c, base, username, secrets, problems).await?;

    let url = c.current_url().await?;
    ensure!(url.path() == "/home", "after sign-in the browser is on {url}, expected /home");
    let h1 = c.find(Locator::Css("h1")).await.context("no <h1> on the home page")?.text().await?;
    ensure!(h1.trim() == "工作台", "the home page's <h1> is {h1:?}, expected \"工作台\"");
    shots.take(c, &format!("{username}-home")).await?;

    // Every same-origin link on the home page answers below 400.
    let hrefs = same_origin_links(c, base, "a[href]").await?;
    for href in &hrefs {
        match fetch_status(c, href).await {
            Ok(status) if status < 400 => {}
            Ok(status) => problems.push(format!("{username}: link {href} on /home answers HTTP {status}")),
            Err(e) => problems.push(format!("{username}: link {href} on /home: {e:#}")),
        }
    }
    check_console(c, &format!("{username} after checking the links of /home"), problems).await?;

    // Every menu entry opens a page without an error in the browser.
    let menu = same_origin_links(c, base, "nav.sidebar a[href]").await?;
    ensure!(!menu.is_empty(), "the home page shows no menu");
    for href in &menu {
        let target = c.current_url().await?.join(href).with_context(|| format!("bad link {href}"))?;
        c.goto(target.as_str()).await.with_context(|| format!("open {target}"))?;
        check_console(c, &format!("{username} on {href}"), problems).await?;
        let url = c.current_url().await?;
        if url.path() != target.path() {
            problems.push(format!("{username}: menu link {href} ended on {url}"));
        }
        let errors = c.find_all(Locator::Css(".error-code")).await?;
        if let Some(e) = errors.first() {
            let code = e.text().await.unwrap_or_default();
            problems.push(format!("{username}: menu link {href} shows error page {code}"));
        }
        shots.first_time(c, url.path()).await?;
    }

    if username == "system_admin" {
        bad_credit_code_explains_itself(c, base, shots, problems).await?;
    }

    sign_out(c).await?;
    check_console(c, &format!("{username} after sign-out"), problems).await?;
    let url = c.current_url().await?;
    ensure!(url.path() == "/login", "after sign-out the browser is on {url}, expected /login");
    Ok(())
}

/// Password, then the second factor where the server asks for it: enrolment (administrators) or the
/// code from the secret enrolled earlier.
async fn sign_in(
    c: &Client,
    base: &str,
    username: &str,
    secrets: &mut HashMap<String, Vec<u8>>,
    problems: &mut Vec<String>,
) -> Result<()> {
    c.goto(&format!("{base}/login")).await.context("open /login")?;
    check_console(c, &format!("{username} on /login"), problems).await?;
    fill(c, "username", username).await?;
    fill(c, "password", DEMO_PASSWORD).await?;
    click_and_wait(c, "form[action=\"/login\"] button[type=submit]").await?;
    check_console(c, &format!("{username} after the password"), problems).await?;

    let url = c.current_url().await?;
    match url.path() {
        "/account/totp" => {
            let shown = c
                .find(Locator::Css("span.mono"))
                .await
                .context("no secret (span.mono) on the enrolment page")?
                .text()
                .await?;
            let shown: String = shown.chars().filter(|ch| !ch.is_whitespace()).collect();
            let secret = Secret::try_from_base32(&shown)
                .map_err(|e| anyhow!("the enrolment secret {shown:?} is not base32: {e:?}"))?
                .as_bytes()
                .to_vec();
            let code = totp_code(&secret, username)?;
            secrets.insert(username.to_string(), secret);
            fill(c, "code", &code).await?;
            click_and_wait(c, "form[action=\"/account/totp\"] button[type=submit]").await?;
            check_console(c, &format!("{username} after enrolling the second factor"), problems).await?;
        }
        "/login/totp" => {
            let secret = secrets
                .get(username)
                .ok_or_else(|| anyhow!("/login/totp asks for a code but no secret was enrolled in this test"))?;
            let code = totp_code(secret, username)?;
            fill(c, "code", &code).await?;
            click_and_wait(c, "form[action=\"/login/totp\"] button[type=submit]").await?;
            check_console(c, &format!("{username} after the second factor"), problems).await?;
        }
        "/login" => {
            let alert = match c.find(Locator::Css(".alert-error")).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            bail!("sign-in refused: {alert:?}");
        }
        _ => {}
    }
    Ok(())
}

fn totp_code(secret: &[u8], username: &str) -> Result<String> {
    let totp = totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.to_vec())
        .with_account_name(username)
        .with_issuer(Some(TOTP_ISSUER))
        .build()
        .map_err(|e| anyhow!("cannot build a TOTP for {username}: {e:?}"))?;
    Ok(totp.generate_current().to_string())
}

/// As system_admin: a credit code with a wrong check character is refused with an explanation next
/// to the field, and what was typed is kept.
async fn bad_credit_code_explains_itself(
    c: &Client,
    base: &str,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    const NAME: &str = "测试机构";
    c.goto(&format!("{base}/admin/orgs/new")).await.context("open /admin/orgs/new")?;
    check_console(c, "system_admin on /admin/orgs/new", problems).await?;
    fill(c, "name", NAME).await?;
    c.find(Locator::Id("nature")).await?.select_by_label("企业").await.context("choose nature 企业")?;
    fill(c, "credit_code", "91110000600037341N").await?;
    fill(c, "region_code", "430100").await?;
    fill(c, "address", "湖南省长沙市芙蓉区测试路 1 号").await?;
    fill(c, "contact_name", "张三").await?;
    fill(c, "contact_phone", "13800000000").await?;
    click_and_wait(c, "form[action=\"/admin/orgs\"] button[type=submit]").await?;
    // The refused form comes back as 422 Unprocessable Entity, by design; Chrome logs any document
    // answered with an error status, so that one entry is expected.
    let refused = format!("{base}/admin/orgs - Failed to load resource: the server responded with a status of 422");
    check_console_except(c, "system_admin after submitting a bad credit code", &refused, problems).await?;
    shots.take(c, "admin-orgs-new-bad-credit-code").await?;

    match c.find(Locator::Css("#credit_code ~ .field-error")).await {
        Ok(e) => {
            let text = e.text().await?;
            if !text.contains("校验") {
                problems.push(format!("the credit code error does not mention the check character: {text:?}"));
            }
        }
        Err(_) => problems.push("no .field-error next to the credit code after a bad check character".into()),
    }
    let kept = c.find(Locator::Id("name")).await?.prop("value").await?.unwrap_or_default();
    if kept != NAME {
        problems.push(format!("the typed organisation name was not kept: {kept:?}"));
    }
    Ok(())
}

/// The annex-1 form as the test fills it in.
const FILING_INSTITUTION: &str = "长沙市岳麓区测试培训学校";
const FILING_PROJECTS: [&str; 2] = ["米粉制作", "湘菜烹饪"];
const FILING_FACILITIES: [(&str, &str, &str); 3] = [
    ("实操教室", "200 平方米、1 间", "实操考核"),
    ("燃气灶台", "12 台", "湘菜烹饪实操"),
    ("米粉加工设备", "6 套", "米粉制作实操"),
];
const FILING_ASSESSORS: [(&str, &str, &str); 3] = [
    ("王强", "考评员证 430100001", "米粉制作"),
    ("李娟", "考评员证 430100002", "湘菜烹饪"),
    ("陈刚", "考评员证 430100003", "米粉制作"),
];
/// The four kinds of material, as the upload form's select values them.
const MATERIAL_KINDS: [&str; 4] =
    ["qualification_proof", "venue_equipment_list", "assessor_roster", "management_rules"];

/// S2 through the pages: station_staff fills in a new application (first with a bad contact phone,
/// which is refused with an explanation beside the field), uploads the four materials and submits;
/// city_staff accepts it.
async fn file_submit_and_accept(
    c: &Client,
    base: &str,
    files_dir: &Path,
    shots: &mut Shots,
    problems: &mut Vec<String>,
) -> Result<()> {
    let mut secrets: HashMap<String, Vec<u8>> = HashMap::new();
    console_errors(c).await?;
    sign_in(c, base, "station_staff", &mut secrets, problems).await?;
    c.goto(&format!("{base}/filings/new")).await.context("open /filings/new")?;
    check_console(c, "station_staff on /filings/new", problems).await?;
    ensure!(c.current_url().await?.path() == "/filings/new", "station_staff cannot open /filings/new");

    fill_filing_form(c).await?;
    fill(c, "contact_phone", "12345").await?;
    click_and_wait(c, "form[action=\"/filings\"] button[type=submit]").await?;
    // The refused form comes back as 422 Unprocessable Entity, by design.
    let refused = format!("{base}/filings - Failed to load resource: the server responded with a status of 422");
    check_console_except(c, "station_staff after saving a bad contact phone", &refused, problems).await?;
    shots.take(c, "filings-new-bad-contact-phone").await?;
    match c.find(Locator::Css("#contact_phone ~ .field-error")).await {
        Ok(e) => {
            let text = e.text().await?;
            if !text.contains("手机号") && !text.contains("电话") {
                problems.push(format!("the contact phone error does not explain the format: {text:?}"));
            }
        }
        Err(_) => problems.push("no .field-error next to the contact phone after a bad phone number".into()),
    }
    let kept = c.find(Locator::Id("institution_name")).await?.prop("value").await?.unwrap_or_default();
    if kept != FILING_INSTITUTION {
        problems.push(format!("the typed institution name was not kept: {kept:?}"));
    }
    let errors = c.find_all(Locator::Css(".field-error")).await?;
    if errors.len() != 1 {
        let mut texts = Vec::new();
        for e in &errors {
            texts.push(e.text().await.unwrap_or_default());
        }
        problems.push(format!("expected one field error after a bad contact phone, found {texts:?}"));
    }

    fill(c, "contact_phone", "0731-84567890").await?;
    click_and_wait(c, "form[action=\"/filings\"] button[type=submit]").await?;
    check_console(c, "station_staff after saving the application", problems).await?;
    let url = c.current_url().await?;
    let id = url
        .path()
        .strip_prefix("/filings/")
        .and_then(|rest| rest.parse::<i64>().ok())
        .ok_or_else(|| anyhow!("after saving the application the browser is on {url}, expected /filings/{{id}}"))?;
    println!("new filing {id}");
    ensure_state(c, "草稿").await?;

    for (i, kind) in MATERIAL_KINDS.iter().enumerate() {
        let path = files_dir.join(format!("material-{}.pdf", i + 1));
        std::fs::write(&path, format!("%PDF-1.4\n% kaohe browser test: {kind}\n%%EOF\n"))
            .with_context(|| format!("cannot write {}", path.display()))?;
        c.find(Locator::Id("material_kind"))
            .await?
            .select_by_value(kind)
            .await
            .with_context(|| format!("choose {kind}"))?;
        let absolute = path.canonicalize()?;
        c.find(Locator::Id("material_file"))
            .await?
            .send_keys(&absolute.to_string_lossy())
            .await
            .with_context(|| format!("choose the file for {kind}"))?;
        click_and_wait(c, "form[enctype=\"multipart/form-data\"] button[type=submit]").await?;
        check_console(c, &format!("station_staff after uploading {kind}"), problems).await?;
        if let Ok(e) = c.find(Locator::Css("#materials .alert-error")).await {
            bail!("uploading {kind} failed: {:?}", e.text().await.unwrap_or_default());
        }
    }
    let complete = c.find(Locator::Css("#materials .card-header .tag")).await?.text().await?;
    ensure!(complete.contains("齐全"), "after four uploads the materials card says {complete:?}");

    c.execute("window.confirm = () => true;", vec![]).await?;
    click_and_wait(c, "#action-submit button[type=submit]").await.context("submit the application")?;
    check_console(c, "station_staff after submitting", problems).await?;
    ensure_state(c, "待受理").await?;
    shots.take(c, "filing-submitted").await?;
    sign_out(c).await?;
    check_console(c, "station_staff after sign-out", problems).await?;

    sign_in(c, base, "city_staff", &mut secrets, problems).await?;
    c.goto(&format!("{base}/filings/{id}")).await.with_context(|| format!("open /filings/{id}"))?;
    check_console(c, &format!("city_staff on /filings/{id}"), problems).await?;
    ensure_state(c, "待受理").await?;
    c.execute("window.confirm = () => true;", vec![]).await?;
    click_and_wait(c, "#action-accept button[type=submit]").await.context("accept the application")?;
    check_console(c, "city_staff after accepting", problems).await?;
    ensure_state(c, "已受理").await?;
    shots.take(c, "filing-accepted").await?;
    sign_out(c).await?;
    check_console(c, "city_staff after sign-out", problems).await?;
    Ok(())
}

/// Fills in every field of the annex-1 form correctly.
async fn fill_filing_form(c: &Client) -> Result<()> {
    fill(c, "institution_name", FILING_INSTITUTION).await?;
    c.find(Locator::Id("nature")).await?.select_by_label("民办非企业单位").await.context("choose the nature")?;
    c.find(Locator::Id("category")).await?.select_by_label("其他单位").await.context("choose the category")?;
    fill(c, "person_in_charge_name", "刘芳").await?;
    fill(c, "person_in_charge_phone", "13807310001").await?;
    fill(c, "contact_name", "周红").await?;
    fill(c, "contact_phone", "0731-84567890").await?;
    fill(c, "address", "湖南省长沙市岳麓区麓山南路 2 号").await?;
    fill(c, "region_code", "430104").await?;
    for (i, project) in FILING_PROJECTS.iter().enumerate() {
        fill(c, &format!("project_{i}"), project).await?;
    }
    for (i, (name, spec, purpose)) in FILING_FACILITIES.iter().enumerate() {
        fill(c, &format!("facility_name_{i}"), name).await?;
        fill(c, &format!("facility_spec_{i}"), spec).await?;
        fill(c, &format!("facility_purpose_{i}"), purpose).await?;
    }
    for (i, (name, qualification, project)) in FILING_ASSESSORS.iter().enumerate() {
        fill(c, &format!("assessor_name_{i}"), name).await?;
        fill(c, &format!("assessor_qualification_{i}"), qualification).await?;
        fill(c, &format!("assessor_project_{i}"), project).await?;
    }
    let boxes = c.find_all(Locator::Css("input[type=checkbox][id^=\"condition_\"]")).await?;
    ensure!(boxes.len() == 5, "expected five condition checkboxes, found {}", boxes.len());
    for b in &boxes {
        if !b.is_selected().await? {
            b.click().await?;
        }
    }
    let evidence = c.find_all(Locator::Css("textarea[id^=\"evidence_\"]")).await?;
    ensure!(evidence.len() == 5, "expected five evidence fields, found {}", evidence.len());
    for (i, e) in evidence.iter().enumerate() {
        e.clear().await?;
        e.send_keys(&format!("见附报材料第 {} 项及情况说明", i % 4 + 1)).await?;
    }
    fill(c, "legal_representative", "刘芳").await?;
    let commitment = c.find(Locator::Id("commitment")).await?;
    if !commitment.is_selected().await? {
        commitment.click().await?;
    }
    Ok(())
}

/// The filing page's state tag reads `expected`.
async fn ensure_state(c: &Client, expected: &str) -> Result<()> {
    if let Ok(e) = c.find(Locator::Css("[role=alert]")).await {
        let alert = e.text().await.unwrap_or_default();
        bail!("the filing page shows an alert where the state should be {expected}: {alert:?}");
    }
    let tag = c.find(Locator::Css(".card-header h2 .tag")).await.context("no state tag on the filing page")?;
    let state = tag.text().await?;
    ensure!(state.trim() == expected, "the filing's state is {state:?}, expected {expected:?}");
    Ok(())
}

async fn sign_out(c: &Client) -> Result<()> {
    click_and_wait(c, "header.topbar form[action=\"/logout\"] button[type=submit]").await.context("sign out")
}

async fn fill(c: &Client, id: &str, value: &str) -> Result<()> {
    let input = c.find(Locator::Id(id)).await.with_context(|| format!("no input #{id}"))?;
    input.clear().await.with_context(|| format!("clear #{id}"))?;
    input.send_keys(value).await.with_context(|| format!("type into #{id}"))?;
    Ok(())
}

/// Clicks the element and waits until a new document has replaced the current one and finished
/// loading (a form post that answers with a page at the same URL is a new document too).
async fn click_and_wait(c: &Client, css: &str) -> Result<()> {
    c.execute("window.__kaoheOldPage = true;", vec![]).await?;
    c.find(Locator::Css(css)).await.with_context(|| format!("no {css}"))?.click().await?;
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        let script = "return window.__kaoheOldPage === undefined && document.readyState === 'complete';";
        // While the navigation is under way the script may fail; that only means "not yet".
        if let Ok(Value::Bool(true)) = c.execute(script, vec![]).await {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("no new page within {} s after clicking {css}", PAGE_TIMEOUT.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The distinct same-origin link targets (as written in `href`) of the elements matching `css`.
async fn same_origin_links(c: &Client, base: &str, css: &str) -> Result<Vec<String>> {
    let script = "return Array.from(document.querySelectorAll(arguments[0])).map(a => a.getAttribute('href'));";
    let found = c.execute(script, vec![json!(css)]).await?;
    let mut links = Vec::new();
    for href in found.as_array().into_iter().flatten().filter_map(Value::as_str) {
        let href = href.trim();
        let relative = !href.is_empty() && !href.starts_with('#') && !href.starts_with("//") && !has_scheme(href);
        let same_origin = relative || href == base || href.starts_with(&format!("{base}/"));
        if same_origin && !links.iter().any(|l| l == href) {
            links.push(href.to_string());
        }
    }
    Ok(links)
}

/// Whether `href` starts with a URL scheme (`http:`, `mailto:`, `javascript:` …).
fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            scheme.starts_with(|ch: char| ch.is_ascii_alphabetic())
                && scheme.chars().all(|ch| ch.is_ascii_alphanumeric() || "+-.".contains(ch))
        }
        None => false,
    }
}

/// The HTTP status of `href` fetched by the page itself, with its cookies.
async fn fetch_status(c: &Client, href: &str) -> Result<u64> {
    let script = "const done = arguments[arguments.length - 1];\
                  fetch(arguments[0], {credentials: 'same-origin'})\
                    .then(r => done(r.status), e => done('fetch failed: ' + e));";
    match c.execute_async(script, vec![json!(href)]).await? {
        Value::Number(n) => n.as_u64().ok_or_else(|| anyhow!("odd status {n}")),
        other => bail!("{other}"),
    }
}

/// The browser console entries since the last call.
async fn console_errors(c: &Client) -> Result<Vec<String>> {
    let log = c.issue_cmd(BrowserLog).await.context("read the browser console log")?;
    let mut severe = Vec::new();
    for entry in log.as_array().into_iter().flatten() {
        let level = entry["level"].as_str().unwrap_or_default();
        let message = entry["message"].as_str().unwrap_or_default();
        if level == "SEVERE" {
            severe.push(message.to_string());
        } else if level == "WARNING" {
            println!("console warning: {message}");
        }
    }
    Ok(severe)
}

/// Records every SEVERE console entry (script errors, CSP violations, failed resources) as a problem.
async fn check_console(c: &Client, context: &str, problems: &mut Vec<String>) -> Result<()> {
    for message in console_errors(c).await? {
        eprintln!("console error ({context}): {message}");
        problems.push(format!("console error ({context}): {message}"));
    }
    Ok(())
}

/// [`check_console`], except for entries starting with `expected` (such as the 422 answer to a form
/// refused on purpose).
async fn check_console_except(c: &Client, context: &str, expected: &str, problems: &mut Vec<String>) -> Result<()> {
    for message in console_errors(c).await? {
        if !message.starts_with(expected) {
            eprintln!("console error ({context}): {message}");
            problems.push(format!("console error ({context}): {message}"));
        }
    }
    Ok(())
}
