//! The real server as a child process (`kaohe serve`), a few plain HTTP/1.1 requests to it (readiness,
//! the sign-ins, a check that every measured path answers 200), and its memory from `/proc`.

use anyhow::{Context, Result, anyhow, bail, ensure};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `kaohe serve`, killed when dropped.
/// A process's memory as `/proc/PID/status` gives it (each `N kB`): resident, its peak, and the
/// resident part that is the process's own (anonymous) and that is mapped from files (the binary's code
/// and data, shared with the page cache).
#[derive(Debug, Clone, Default)]
pub struct Memory {
    pub rss: String,
    pub hwm: String,
    pub anon: String,
    pub file: String,
}

pub struct Server {
    child: Child,
    pub addr: String,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("cannot bind a free port")?;
    Ok(listener.local_addr()?.port())
}

impl Server {
    /// Start the server on `database_url` with the data directory `dir`, and wait until `/readyz`
    /// answers 200. `exempt` exempts this client (127.0.0.1) from the rate limits.
    pub fn start(dir: &Path, database_url: &str, master_key_hex: &str, exempt: bool) -> Result<Server> {
        let addr = format!("127.0.0.1:{}", free_port()?);
        let log = dir.join(if exempt { "server.log" } else { "server-limited.log" });
        let out = std::fs::File::create(&log)?;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kaohe"));
        cmd.arg("--data-dir").arg(dir).args(["serve", "--listen", &addr]).current_dir(dir);
        // Nothing from the developer's shell (a kaohe.toml, a KAOHE_* setting) changes what is measured.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("KAOHE_") {
                cmd.env_remove(key);
            }
        }
        cmd.env("KAOHE_DATABASE_URL", database_url).env("KAOHE_MASTER_KEY", master_key_hex).env("KAOHE_LOG", "warn");
        if exempt {
            cmd.env("KAOHE_RATE_LIMIT_EXEMPT", "127.0.0.1");
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .context("cannot run the kaohe binary")?;
        let mut server = Server { child, addr, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = server.child.try_wait()? {
                bail!("kaohe exited with {status} before it was ready:\n{}", server.log_tail());
            }
            if get(&server.addr, "/readyz", &[]).is_ok_and(|r| r.status == 200) {
                return Ok(server);
            }
            if Instant::now() > deadline {
                bail!("kaohe did not answer /readyz within 60 s:\n{}", server.log_tail());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// VmRSS and VmHWM of the server process, as `/proc/PID/status` writes them.
    pub fn memory(&self) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim_start_matches(':').trim().to_string())
                .unwrap_or_else(|| "unknown".into())
        };
        Memory { rss: field("VmRSS"), hwm: field("VmHWM"), anon: field("RssAnon"), file: field("RssFile") }
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// A bearer token through the API sign-in (`POST /api/v1/auth/token`).
    pub fn api_token(&self, username: &str, password: &str) -> Result<String> {
        let body = serde_json::json!({ "username": username, "password": password }).to_string();
        let r = request(&self.addr, "POST", "/api/v1/auth/token", &[("Content-Type", "application/json")], &body)?;
        ensure!(r.status == 200, "API sign-in of {username}: {} {}", r.status, r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body)?;
        v["token"].as_str().map(str::to_string).ok_or_else(|| anyhow!("no token in {}", r.body))
    }

    /// A web session cookie (`kaohe_session=…`) through the sign-in page: the form's CSRF token is
    /// the `kaohe_pre` cookie's double-submit value.
    pub fn web_session(&self, username: &str, password: &str) -> Result<String> {
        let form = get(&self.addr, "/login", &[])?;
        let pre = form.cookie("kaohe_pre").ok_or_else(|| anyhow!("GET /login set no kaohe_pre cookie"))?;
        let csrf = testkit::csrf_of(&form.body);
        ensure!(!csrf.is_empty(), "no CSRF field on the sign-in page");
        let body = format!("csrf={}&username={}&password={}", enc(&csrf), enc(username), enc(password));
        let cookie = format!("kaohe_pre={pre}");
        let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie.as_str())];
        let r = request(&self.addr, "POST", "/login", &headers, &body)?;
        ensure!(r.status == 303, "page sign-in of {username}: {} {}", r.status, r.body);
        let session = r.cookie("kaohe_session").ok_or_else(|| anyhow!("no session cookie after sign-in"))?;
        Ok(format!("kaohe_session={session}"))
    }
}

/// An answer.
pub struct Resp {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie")).find_map(|(_, v)| {
            v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or_default().to_string())
        })
    }
}

pub fn get(addr: &str, path: &str, headers: &[(&str, &str)]) -> Result<Resp> {
    request(addr, "GET", path, headers, "")
}

/// One request on its own connection (`Connection: close`), the answer read to its end.
pub fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Result<Resp> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| anyhow!("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow!("bad status line in {head}"))?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))).collect();
    let chunked =
        headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked"));
    let rest = &raw[split + 4..];
    let body = if chunked { dechunk(rest)? } else { rest.to_vec() };
    Ok(Resp { status, headers, body: String::from_utf8_lossy(&body).into_owned() })
}

fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let end = rest.windows(2).position(|w| w == b"\r\n").ok_or_else(|| anyhow!("bad chunk"))?;
        let size_text = String::from_utf8_lossy(&rest[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)?;
        rest = &rest[end + 2..];
        if size == 0 {
            return Ok(out);
        }
        ensure!(rest.len() >= size + 2, "truncated chunk");
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// Form encoding of a value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
