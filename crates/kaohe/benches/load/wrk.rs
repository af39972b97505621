//! Running wrk and reading its report: `Requests/sec`, the 50% and 99% lines of `--latency`, the
//! count of answers that were not 2xx or 3xx, and socket errors.

use anyhow::{Context, Result, anyhow, ensure};
use std::process::{Child, Command, Stdio};

/// How wrk is run.
#[derive(Debug, Clone)]
pub struct Load {
    pub threads: u32,
    pub connections: u32,
    pub seconds: u32,
    pub headers: Vec<String>,
    /// A Lua script (the sign-in storm's POST).
    pub script: Option<std::path::PathBuf>,
}

/// What one wrk run reported.
#[derive(Debug, Clone, Copy, Default)]
pub struct Figures {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    pub non_2xx_3xx: u64,
    pub socket_errors: u64,
}

/// Whether wrk can be run.
pub fn available() -> bool {
    Command::new("wrk").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

pub fn spawn(load: &Load, url: &str) -> Result<Child> {
    let mut cmd = Command::new("wrk");
    cmd.arg(format!("-t{}", load.threads.min(load.connections).max(1)))
        .arg(format!("-c{}", load.connections))
        .arg(format!("-d{}s", load.seconds))
        .arg("--latency")
        // wrk's default of 2 s would count the slowest sign-ins as socket errors and leave them out of
        // the latency figures.
        .arg("--timeout")
        .arg("10s");
    for h in &load.headers {
        cmd.arg("-H").arg(h);
    }
    if let Some(s) = &load.script {
        cmd.arg("-s").arg(s);
    }
    cmd.arg(url).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().context("cannot run wrk")
}

pub fn finish(child: Child) -> Result<Figures> {
    let out = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    ensure!(out.status.success(), "wrk failed: {}{}", text, String::from_utf8_lossy(&out.stderr));
    parse(&text).with_context(|| format!("cannot read wrk's report:\n{text}"))
}

pub fn run(load: &Load, url: &str) -> Result<Figures> {
    finish(spawn(load, url)?)
}

/// A wrk latency (`812.00us`, `1.23ms`, `2.01s`, `1.00m`) in milliseconds.
fn millis(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = text.split_at(split);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        "h" => n * 3_600_000.0,
        _ => return None,
    })
}

pub fn parse(text: &str) -> Result<Figures> {
    let mut f = Figures::default();
    let mut in_distribution = false;
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Latency Distribution") {
            in_distribution = true;
        } else if in_distribution && words.len() == 2 && words[0].ends_with('%') {
            let v = millis(words[1]);
            match words[0] {
                "50%" => f.p50_ms = v.ok_or_else(|| anyhow!("50% line: {line}"))?,
                "99%" => f.p99_ms = v.ok_or_else(|| anyhow!("99% line: {line}"))?,
                _ => {}
            }
        } else if let Some(v) = line.strip_prefix("Requests/sec:") {
            f.rps = v.trim().parse()?;
        } else if let Some(v) = line.strip_prefix("Non-2xx or 3xx responses:") {
            f.non_2xx_3xx = v.trim().parse()?;
        } else if line.starts_with("Socket errors:") {
            // "Socket errors: connect 0, read 0, write 0, timeout 0"
            f.socket_errors = words.iter().filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok()).sum();
        } else if words.len() >= 3 && words[1] == "requests" && words[2] == "in" {
            f.requests = words[0].parse()?;
            in_distribution = false;
        }
    }
    ensure!(f.rps > 0.0, "no Requests/sec line");
    Ok(f)
}
