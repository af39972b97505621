//! The harness: the demo server, chromedriver, the browser session, screenshots and page helpers.

use super::*;

/// A child process killed (and reaped) when the guard goes out of scope, also when the test fails.
pub(crate) struct ChildGuard {
    pub(crate) child: Child,
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The running kaohe server.
pub(crate) struct Server {
    pub(crate) _process: ChildGuard,
    pub(crate) base: String,
    pub(crate) usernames: Vec<String>,
    /// The server's data directory (its SQLite database).
    pub(crate) data_dir: std::path::PathBuf,
}

/// The legacy chromedriver command `POST /session/{id}/se/log` `{"type":"browser"}`: the browser
/// console entries since the last call.
#[derive(Debug)]
pub(crate) struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

/// Where the test writes its screenshots, and which pages it has already photographed.
pub(crate) struct Shots {
    pub(crate) dir: PathBuf,
    pub(crate) seen: HashSet<String>,
    pub(crate) taken: Vec<PathBuf>,
}

impl Shots {
    pub(crate) fn new() -> Result<Shots> {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Shots { dir, seen: HashSet::new(), taken: Vec::new() })
    }

    pub(crate) async fn take(&mut self, c: &Client, name: &str) -> Result<()> {
        let png = c.screenshot().await.with_context(|| format!("screenshot {name}"))?;
        let path = self.dir.join(format!("{name}.png"));
        std::fs::write(&path, png).with_context(|| format!("cannot write {}", path.display()))?;
        println!("screenshot: {}", path.display());
        self.taken.push(path);
        Ok(())
    }

    /// A screenshot of the page at `path` the first time any account sees it.
    pub(crate) async fn first_time(&mut self, c: &Client, path: &str) -> Result<()> {
        let name = path.trim_matches('/').replace('/', "-");
        let name = if name.is_empty() { "root".to_string() } else { name };
        if self.seen.insert(name.clone()) {
            self.take(c, &name).await?;
        }
        Ok(())
    }
}

/// chromedriver's path when Chromium and chromedriver are installed. Otherwise `None` after a notice,
/// or a failure under `CI=true`.
pub(crate) fn browser_available() -> Option<PathBuf> {
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

pub(crate) fn find_in_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}

pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("cannot bind a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Starts `kaohe serve --demo` on a free port and waits for its "kaohe 已启动" line, collecting the
/// demo usernames printed before it.
pub(crate) fn start_server(data_dir: &Path) -> Result<Server> {
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
    Ok(Server { _process: process, base: format!("http://{listen}"), usernames, data_dir: data_dir.to_path_buf() })
}

/// Starts chromedriver on a free port and waits until `/status` answers.
pub(crate) async fn start_chromedriver(program: &Path) -> Result<(ChildGuard, String)> {
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

pub(crate) fn driver_status_ok(port: u16) -> bool {
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

pub(crate) async fn connect(driver_url: &str, profile_dir: &Path) -> Result<Client> {
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

pub(crate) async fn sign_out(c: &Client) -> Result<()> {
    click_and_wait(c, "header.topbar form[action=\"/logout\"] button[type=submit]").await.context("sign out")
}

pub(crate) async fn fill(c: &Client, id: &str, value: &str) -> Result<()> {
    let input = c.find(Locator::Id(id)).await.with_context(|| format!("no input #{id}"))?;
    input.clear().await.with_context(|| format!("clear #{id}"))?;
    input.send_keys(value).await.with_context(|| format!("type into #{id}"))?;
    Ok(())
}

/// Clicks the element and waits until a new document has replaced the current one and finished
/// loading (a form post that answers with a page at the same URL is a new document too).
pub(crate) async fn click_and_wait(c: &Client, css: &str) -> Result<()> {
    click_found_and_wait(c, Locator::Css(css), css).await
}

/// As [`click_and_wait`], for an element found by any locator (`what` names it in errors).
pub(crate) async fn click_found_and_wait(c: &Client, locator: Locator<'_>, what: &str) -> Result<()> {
    c.execute("window.__kaoheOldPage = true;", vec![]).await?;
    c.find(locator).await.with_context(|| format!("no {what}"))?.click().await?;
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        let script = "return window.__kaoheOldPage === undefined && document.readyState === 'complete';";
        // While the navigation is under way the script may fail; that only means "not yet".
        if let Ok(Value::Bool(true)) = c.execute(script, vec![]).await {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("no new page within {} s after clicking {what}", PAGE_TIMEOUT.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The distinct same-origin link targets (as written in `href`) of the elements matching `css`.
pub(crate) async fn same_origin_links(c: &Client, base: &str, css: &str) -> Result<Vec<String>> {
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
pub(crate) fn has_scheme(href: &str) -> bool {
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
pub(crate) async fn fetch_status(c: &Client, href: &str) -> Result<u64> {
    let script = "const done = arguments[arguments.length - 1];\
                  fetch(arguments[0], {credentials: 'same-origin'})\
                    .then(r => done(r.status), e => done('fetch failed: ' + e));";
    match c.execute_async(script, vec![json!(href)]).await? {
        Value::Number(n) => n.as_u64().ok_or_else(|| anyhow!("odd status {n}")),
        other => bail!("{other}"),
    }
}

/// The browser console entries since the last call.
pub(crate) async fn console_errors(c: &Client) -> Result<Vec<String>> {
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
pub(crate) async fn check_console(c: &Client, context: &str, problems: &mut Vec<String>) -> Result<()> {
    for message in console_errors(c).await? {
        eprintln!("console error ({context}): {message}");
        problems.push(format!("console error ({context}): {message}"));
    }
    Ok(())
}

/// [`check_console`], except for entries containing `expected` (such as the 422 answer to a form
/// refused on purpose).
pub(crate) async fn check_console_except(
    c: &Client,
    context: &str,
    expected: &str,
    problems: &mut Vec<String>,
) -> Result<()> {
    for message in console_errors(c).await? {
        if !message.contains(expected) {
            eprintln!("console error ({context}): {message}");
            problems.push(format!("console error ({context}): {message}"));
        }
    }
    Ok(())
}
