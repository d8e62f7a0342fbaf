//! Configuration from environment variables (see the README's "Reference server").

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Default database path.
pub const DEFAULT_DB: &str = "./data/sealmatch.db";
/// Default retention of bag and check-in records and the audit logs: 7 days.
pub const DEFAULT_RETENTION_DAYS: i64 = 7;
/// Default sweep period; it must stay at most 60 s.
pub const DEFAULT_SWEEP_SECONDS: u64 = 30;
/// Kiosk keys shorter than this are refused.
pub const MIN_KEY_LEN: usize = 16;

/// Everything the server needs to start.
#[derive(Clone)]
pub struct Config {
    /// `SEALMATCH_DB`: a SQLite file path (default [`DEFAULT_DB`]) or a
    /// PostgreSQL connection string.
    pub db: Database,
    /// `SEALMATCH_BIND` (default 127.0.0.1)
    pub bind: IpAddr,
    /// `PORT` (default 8080)
    pub port: u16,
    /// `SEALMATCH_KIOSK_KEYS` (comma-separated), or one generated key.
    pub kiosk_keys: Vec<String>,
    /// True when the key was generated because `SEALMATCH_KIOSK_KEYS` was unset.
    pub key_generated: bool,
    /// `SEALMATCH_RETENTION_DAYS` (default 7), in seconds.
    pub retention_seconds: i64,
    /// `SEALMATCH_SWEEP_SECONDS` (1..=60, default 30).
    pub sweep_interval: Duration,
    /// `SEALMATCH_WWW`: a directory served at `/` (the demo pages).
    pub www_dir: Option<PathBuf>,
    /// `SEALMATCH_PKG`: the npm package directory, served at `/pkg/`.
    pub pkg_dir: Option<PathBuf>,
    /// `SEALMATCH_MOUNTS`: more directories, `/prefix=dir` pairs separated by
    /// commas (e.g. generated sample fingers at `/samples`).
    pub mounts: Vec<(String, PathBuf)>,
    /// `SEALMATCH_GATE_KEYS`: `kid=P-256 public key` pairs; when set, boarding
    /// reports must be signed (see [`crate::gates`]).
    pub gate_keys: crate::gates::GateKeys,
    /// `SEALMATCH_GATE_SIGNING`: `auto` (default: signing is required once any
    /// gate key exists) or `required` (always, even before the first gate).
    pub gate_signing_required: bool,
    /// `SEALMATCH_ADMIN_KEY`: the secret that registers and revokes gates at
    /// run time (at least 16 printable characters, not a kiosk key); unset:
    /// registration is disabled.
    pub admin_key: Option<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("db", &self.db)
            .field("bind", &self.bind)
            .field("port", &self.port)
            .field(
                "kiosk_keys",
                &format_args!("[{} redacted]", self.kiosk_keys.len()),
            )
            .field("key_generated", &self.key_generated)
            .field("retention_seconds", &self.retention_seconds)
            .field("sweep_interval", &self.sweep_interval)
            .field("www_dir", &self.www_dir)
            .field("pkg_dir", &self.pkg_dir)
            .field("mounts", &self.mounts)
            .field("gate_keys", &self.gate_keys)
            .field("gate_signing_required", &self.gate_signing_required)
            .field(
                "admin_key",
                &self.admin_key.as_ref().map(|_| format_args!("redacted")),
            )
            .finish()
    }
}

/// Where the store keeps its data (`SEALMATCH_DB`).
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file: one server process per file (the default, and the demo's).
    Sqlite(PathBuf),
    /// A PostgreSQL connection string (`postgres://...` or `postgresql://...`):
    /// any number of server nodes on one database.
    Postgres(String),
}

impl Database {
    /// `postgres://...` and `postgresql://...` name PostgreSQL; anything else
    /// is a SQLite file path.
    ///
    /// ```
    /// use sealmatch_server::config::Database;
    /// assert!(matches!(Database::parse("postgresql://db.internal/sealmatch"), Database::Postgres(_)));
    /// assert!(matches!(Database::parse("./data/sealmatch.db"), Database::Sqlite(_)));
    /// ```
    pub fn parse(v: &str) -> Database {
        let lower = v.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Database::Postgres(v.to_owned())
        } else {
            Database::Sqlite(PathBuf::from(v))
        }
    }

    /// For the start-up banner and the logs: the file, or PostgreSQL's hosts
    /// and database name (never the user's password).
    ///
    /// ```
    /// use sealmatch_server::config::Database;
    /// let d = Database::parse("postgres://app:s3cret@db1:5432/sealmatch");
    /// assert_eq!(d.describe(), "PostgreSQL database sealmatch on db1:5432");
    /// ```
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => match url.parse::<tokio_postgres::Config>() {
                Ok(c) => {
                    let hosts: Vec<String> = c
                        .get_hosts()
                        .iter()
                        .zip(c.get_ports().iter().chain(std::iter::repeat(&5432)))
                        .map(|(h, port)| match h {
                            tokio_postgres::config::Host::Tcp(h) => format!("{h}:{port}"),
                            #[cfg(unix)]
                            tokio_postgres::config::Host::Unix(dir) => {
                                format!("{}/.s.PGSQL.{port}", dir.display())
                            }
                        })
                        .collect();
                    format!(
                        "PostgreSQL database {} on {}",
                        c.get_dbname().unwrap_or("(default)"),
                        hosts.join(",")
                    )
                }
                Err(_) => "PostgreSQL (unparsable connection string)".into(),
            },
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A fresh random kiosk key: 32 bytes from the OS, as 64 hex digits.
pub fn generate_key() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a kiosk key: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Config {
    /// From the process environment.
    pub fn from_env() -> Result<Config, String> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// From any variable lookup (tests pass a map).
    ///
    /// ```
    /// use sealmatch_server::config::Config;
    /// let c = Config::from_lookup(|k| match k {
    ///     "PORT" => Some("9000".into()),
    ///     "SEALMATCH_KIOSK_KEYS" => Some("kiosk-one-secret-key,kiosk-two-secret-key".into()),
    ///     _ => None,
    /// }).unwrap();
    /// assert_eq!(c.port, 9000);
    /// assert_eq!(c.kiosk_keys.len(), 2);
    /// assert!(!c.key_generated);
    /// ```
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let nonempty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let db = Database::parse(&nonempty("SEALMATCH_DB").unwrap_or_else(|| DEFAULT_DB.into()));
        let bind = match nonempty("SEALMATCH_BIND") {
            Some(v) => v
                .parse()
                .map_err(|_| "SEALMATCH_BIND must be an IP address".to_owned())?,
            None => IpAddr::from([127, 0, 0, 1]),
        };
        let port = match nonempty("PORT") {
            Some(v) => v
                .parse()
                .map_err(|_| "PORT must be a number 0-65535".to_owned())?,
            None => 8080,
        };
        let (kiosk_keys, key_generated) = match get("SEALMATCH_KIOSK_KEYS") {
            Some(list) => {
                let keys: Vec<String> = list.split(',').map(|k| k.trim().to_owned()).collect();
                if keys.iter().any(|k| k.len() < MIN_KEY_LEN) {
                    return Err(format!(
                        "SEALMATCH_KIOSK_KEYS: every key must be at least {MIN_KEY_LEN} characters"
                    ));
                }
                if keys
                    .iter()
                    .any(|k| k.bytes().any(|b| !b.is_ascii_graphic()))
                {
                    return Err("SEALMATCH_KIOSK_KEYS: keys must be printable ASCII".into());
                }
                (keys, false)
            }
            None => (vec![generate_key()?], true),
        };
        let retention_days = match nonempty("SEALMATCH_RETENTION_DAYS") {
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| "SEALMATCH_RETENTION_DAYS must be 1-3650".to_owned())?,
            None => DEFAULT_RETENTION_DAYS,
        };
        let sweep = match nonempty("SEALMATCH_SWEEP_SECONDS") {
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=60).contains(s))
                .ok_or_else(|| "SEALMATCH_SWEEP_SECONDS must be 1-60".to_owned())?,
            None => DEFAULT_SWEEP_SECONDS,
        };
        let gate_signing_required = match nonempty("SEALMATCH_GATE_SIGNING").as_deref() {
            None | Some("auto") => false,
            Some("required") => true,
            Some(_) => return Err("SEALMATCH_GATE_SIGNING must be auto or required".into()),
        };
        let admin_key = nonempty("SEALMATCH_ADMIN_KEY");
        if let Some(k) = &admin_key {
            if k.len() < MIN_KEY_LEN || k.bytes().any(|b| !b.is_ascii_graphic()) {
                return Err(format!(
                    "SEALMATCH_ADMIN_KEY must be at least {MIN_KEY_LEN} printable ASCII characters"
                ));
            }
            if kiosk_keys.contains(k) {
                return Err("SEALMATCH_ADMIN_KEY must not be one of the kiosk keys".into());
            }
        }
        Ok(Config {
            db,
            bind,
            port,
            kiosk_keys,
            key_generated,
            retention_seconds: retention_days * 86_400,
            sweep_interval: Duration::from_secs(sweep),
            www_dir: nonempty("SEALMATCH_WWW").map(PathBuf::from),
            pkg_dir: nonempty("SEALMATCH_PKG").map(PathBuf::from),
            mounts: match nonempty("SEALMATCH_MOUNTS") {
                Some(v) => parse_mounts(&v)?,
                None => Vec::new(),
            },
            gate_keys: match nonempty("SEALMATCH_GATE_KEYS") {
                Some(v) => crate::gates::GateKeys::parse(&v)?,
                None => crate::gates::GateKeys::default(),
            },
            gate_signing_required,
            admin_key,
        })
    }
}

/// Parses `SEALMATCH_MOUNTS`: `/prefix=dir[,/prefix=dir...]`. A prefix is one or
/// more `/name` segments of A–Z, a–z, 0–9, `-`, `_`, `.`; not `/api` or `/pkg`.
///
/// ```
/// use sealmatch_server::config::parse_mounts;
/// let m = parse_mounts("/samples=target/samples").unwrap();
/// assert_eq!(m[0].0, "/samples");
/// assert!(parse_mounts("/api=x").is_err());
/// assert!(parse_mounts("samples=x").is_err());
/// ```
pub fn parse_mounts(v: &str) -> Result<Vec<(String, PathBuf)>, String> {
    let bad = || "SEALMATCH_MOUNTS must be /prefix=dir pairs separated by commas".to_owned();
    v.split(',')
        .map(|pair| {
            let (prefix, dir) = pair.trim().split_once('=').ok_or_else(bad)?;
            let segments_ok = prefix.len() > 1
                && prefix.starts_with('/')
                && prefix[1..].split('/').all(|seg| {
                    !seg.is_empty()
                        && seg != "."
                        && seg != ".."
                        && seg
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                });
            let first = prefix[1..].split('/').next().unwrap_or("");
            if !segments_ok || dir.is_empty() || first == "api" || first == "pkg" {
                return Err(bad());
            }
            Ok((prefix.to_owned(), PathBuf::from(dir)))
        })
        .collect()
}
