//! Configuration, layered: defaults → `kaohe.toml` → `KAOHE_*` environment → command-line flags.
//! Secrets are wrapped so `Debug` never prints them.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A value that must not appear in logs or debug output.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// Address to listen on.
    pub listen: String,
    /// Where the SQLite database, the master key (when not configured) and attachments live.
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL; unset means SQLite in `data_dir`.
    pub database_url: Option<Secret>,
    /// `gm` (SM2/SM3/SM4, default) or `intl` (Ed25519/SHA-256/AES-256-GCM).
    pub crypto_suite: String,
    /// 64 hex characters; every instance of one deployment needs the same key.
    pub master_key: Option<Secret>,
    /// Serve behind HTTPS: cookies `Secure` with the `__Host-` prefix, and HSTS.
    pub cookie_secure: bool,
    /// Client addresses never rate-limited, comma-separated (`KAOHE_RATE_LIMIT_EXEMPT`): load
    /// balancers' health checks, a benchmark's load client. Empty by default.
    pub rate_limit_exempt: String,
    /// Client addresses that may read `/metrics`, comma-separated (`KAOHE_METRICS_ALLOW`); others
    /// get 404.
    pub metrics_allow: String,
    /// Largest request body in bytes.
    pub body_limit: usize,
    /// `text` or `json`.
    pub log_format: String,
    /// Where attachments are kept: unset = `files` under `data_dir`; `file:///path`; or
    /// `s3://bucket/prefix` with the standard `AWS_*` environment (see `store::files`).
    pub files_url: Option<String>,
    /// The address the public reaches kaohe at, e.g. `https://kaohe.example.gov.cn`
    /// (`KAOHE_PUBLIC_BASE_URL`): printed QR codes (admission tickets) link there. Unset: the request's
    /// own host, which a proxy in front must then pass through unchanged.
    pub public_base_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("kaohe-data"),
            database_url: None,
            crypto_suite: "gm".into(),
            master_key: None,
            cookie_secure: false,
            rate_limit_exempt: String::new(),
            metrics_allow: "127.0.0.1,::1".into(),
            body_limit: 2 * 1024 * 1024,
            log_format: "text".into(),
            files_url: None,
            public_base_url: None,
        }
    }
}

impl Config {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let file = file.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("kaohe.toml"));
        Ok(Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("KAOHE_"))
            .extract()?)
    }

    /// The database URL: the configured one, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(s) if !s.0.is_empty() => s.0.clone(),
            _ => format!("sqlite://{}?mode=rwc", self.data_dir.join("kaohe.db").display()),
        }
    }
}
