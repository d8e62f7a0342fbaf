//! Test helpers: a server over a real database (a SQLite file in a temp dir,
//! or, with `SEALMATCH_TEST_PG`, a fresh schema on a real PostgreSQL: see
//! [`pg`]), a manual clock, well-formed tokens, and the binary as a process
//! ([`process`]).
#![allow(dead_code)]

pub mod pg;
pub mod process;

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use sealmatch_server::clock::ManualClock;
use sealmatch_server::config::Config;
use sealmatch_server::store::postgres::PgStore;
use sealmatch_server::store::sqlite::SqliteStore;
use sealmatch_server::store::Store;
use sealmatch_server::{app, AppState};
use tower::ServiceExt;

pub const KEY: &str = "kiosk-test-key-0123456789";
pub const OTHER_KEY: &str = "kiosk-second-key-abcdefgh";
pub const ADMIN_KEY: &str = "admin-test-key-9876543210";
pub const T0: i64 = 1_800_000_000;
pub const RETENTION: i64 = 7 * 86_400;

pub struct Server {
    pub dir: tempfile::TempDir,
    /// The SQLite file (unused on PostgreSQL).
    pub db: PathBuf,
    /// On PostgreSQL: the connection string of this server's schema.
    pub pg: Option<String>,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub app: Router,
    pub opts: Opts,
}

/// Gate-signing options of a test server.
#[derive(Clone, Default)]
pub struct Opts {
    /// `SEALMATCH_GATE_KEYS`
    pub gate_keys: sealmatch_server::gates::GateKeys,
    /// `SEALMATCH_GATE_SIGNING=required`
    pub signing_required: bool,
    /// `SEALMATCH_ADMIN_KEY`
    pub admin_key: Option<String>,
}

pub fn config(db: PathBuf) -> Config {
    let mut c = Config::from_lookup(|k| match k {
        "SEALMATCH_KIOSK_KEYS" => Some(format!("{KEY},{OTHER_KEY}")),
        _ => None,
    })
    .unwrap();
    c.db = sealmatch_server::config::Database::Sqlite(db);
    c.retention_seconds = RETENTION;
    c
}

impl Server {
    pub fn new() -> Server {
        Server::with_opts(Opts::default())
    }

    /// A server that requires boarding results signed by one of `gate_keys`.
    pub fn with_gate_keys(gate_keys: sealmatch_server::gates::GateKeys) -> Server {
        Server::with_opts(Opts {
            gate_keys,
            ..Opts::default()
        })
    }

    /// A server with these gate-signing options.
    pub fn with_opts(opts: Opts) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("sealmatch.db");
        let clock = Arc::new(ManualClock::new(T0));
        Server::open(dir, db, clock, opts)
    }

    /// A server on a SQLite file whichever backend the suite runs on (for
    /// the tests of SQLite's own migrations).
    pub fn sqlite_only() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("sealmatch.db");
        let clock = Arc::new(ManualClock::new(T0));
        Server::open_on(dir, db, None, clock, Opts::default())
    }

    fn open(dir: tempfile::TempDir, db: PathBuf, clock: Arc<ManualClock>, opts: Opts) -> Server {
        let pg = pg::base_url().map(|base| pg::fresh_schema(&base));
        Server::open_on(dir, db, pg, clock, opts)
    }

    fn open_on(
        dir: tempfile::TempDir,
        db: PathBuf,
        pg: Option<String>,
        clock: Arc<ManualClock>,
        opts: Opts,
    ) -> Server {
        let cfg = config(db.clone());
        let store: Arc<dyn Store> = match &pg {
            Some(url) => Arc::new(PgStore::new(url, cfg.retention_seconds).unwrap()),
            None => Arc::new(SqliteStore::open(&db, cfg.retention_seconds).unwrap()),
        };
        let state = AppState::shared(store, clock.clone(), &cfg.kiosk_keys)
            .with_gate_keys(opts.gate_keys.clone())
            .with_gate_signing_required(opts.signing_required)
            .with_admin_key(opts.admin_key.as_deref());
        let app = app::router(state.clone(), &cfg);
        Server {
            dir,
            db,
            pg,
            clock,
            state,
            app,
            opts,
        }
    }

    /// Drop the running app and open the same database again.
    pub fn restart(self) -> Server {
        let Server {
            dir,
            db,
            pg,
            clock,
            opts,
            ..
        } = self;
        Server::open_on(dir, db, pg, clock, opts)
    }

    /// Whether this server's store is PostgreSQL.
    pub fn is_pg(&self) -> bool {
        self.pg.is_some()
    }

    /// The result of `SELECT COUNT(*) ...` on the database itself.
    pub async fn count(&self, sql: &str) -> i64 {
        match &self.pg {
            Some(url) => pg::count(url, sql).await,
            None => rusqlite::Connection::open(&self.db)
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
        }
    }

    /// The database's tables, by name.
    pub async fn tables(&self) -> Vec<String> {
        match &self.pg {
            Some(url) => pg::tables(url).await,
            None => {
                let conn = rusqlite::Connection::open(&self.db).unwrap();
                let mut stmt = conn
                    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                    .unwrap();
                let names = stmt.query_map([], |r| r.get(0)).unwrap();
                names.map(Result::unwrap).collect()
            }
        }
    }

    /// A table's column names and every row's values (integers, text, nulls).
    pub async fn rows(&self, table: &str) -> (Vec<String>, Vec<Vec<pg::Value>>) {
        if let Some(url) = &self.pg {
            return pg::rows(url, table).await;
        }
        use rusqlite::types::ValueRef;
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
        let n = columns.len();
        let mut rows = stmt.query([]).unwrap();
        let mut values = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            let one = (0..n)
                .map(|i| match row.get_ref(i).unwrap() {
                    ValueRef::Null => pg::Value::Null,
                    ValueRef::Integer(v) => pg::Value::Int(v),
                    ValueRef::Text(t) => pg::Value::Text(String::from_utf8(t.to_vec()).unwrap()),
                    other => panic!("{table} holds {other:?}: only text and integers are expected"),
                })
                .collect();
            values.push(one);
        }
        (columns, values)
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: impl Into<Body>,
    ) -> (StatusCode, HeaderMap, String) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(k) = key {
            req = req.header("authorization", format!("Bearer {k}"));
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(body.into()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
    }

    pub async fn put_token(&self, bag: &str, token: &str) -> (StatusCode, String) {
        let (s, _, b) = self
            .call(
                Method::PUT,
                &format!("/api/bags/{bag}/token"),
                Some(KEY),
                token.to_owned(),
            )
            .await;
        (s, b)
    }

    pub async fn get_token(&self, bag: &str) -> (StatusCode, String) {
        let (s, _, b) = self
            .call(
                Method::GET,
                &format!("/api/bags/{bag}/token"),
                Some(KEY),
                Body::empty(),
            )
            .await;
        (s, b)
    }

    /// Fetches the bag's token as a gate does and returns the one-time
    /// boarding challenge that comes with it (22 base64url characters).
    pub async fn token_challenge(&self, bag: &str) -> String {
        let (status, headers, _) = self
            .call(
                Method::GET,
                &format!("/api/bags/{bag}/token"),
                Some(KEY),
                Body::empty(),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let c = headers["sealmatch-challenge"].to_str().unwrap().to_owned();
        assert_eq!(c.len(), 22);
        c
    }

    /// `POST /api/bags/{bag}/challenge` with the kiosk key: the status and the
    /// JSON answer (`{ challenge, expiresAt }`, or an error).
    pub async fn post_challenge(&self, bag: &str) -> (StatusCode, serde_json::Value) {
        let (s, _, b) = self
            .call(
                Method::POST,
                &format!("/api/bags/{bag}/challenge"),
                Some(KEY),
                Body::empty(),
            )
            .await;
        (s, serde_json::from_str(&b).unwrap())
    }

    pub async fn board(&self, bag: &str, body: &str) -> (StatusCode, serde_json::Value) {
        let (s, _, b) = self
            .call(
                Method::POST,
                &format!("/api/bags/{bag}/boarding"),
                Some(KEY),
                body.to_owned(),
            )
            .await;
        (s, serde_json::from_str(&b).unwrap())
    }

    pub async fn reconciliation(&self, flight: &str) -> (StatusCode, serde_json::Value) {
        let (s, _, b) = self
            .call(
                Method::GET,
                &format!("/api/flights/{flight}/reconciliation"),
                Some(KEY),
                Body::empty(),
            )
            .await;
        (s, serde_json::from_str(&b).unwrap())
    }

    pub fn clock_now(&self) -> i64 {
        use sealmatch_server::clock::Clock;
        self.clock.now()
    }

    pub async fn audit_events(&self, bag: &str) -> Vec<String> {
        self.state
            .store
            .audit_log(Some(bag))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event)
            .collect()
    }
}

// ------------------------------------------------------------ check-in tokens

impl Server {
    /// `PUT /api/checkins/{booking}/token` with the kiosk key.
    pub async fn put_checkin(&self, booking: &str, token: &str) -> (StatusCode, String) {
        let (s, _, b) = self
            .call(
                Method::PUT,
                &format!("/api/checkins/{booking}/token"),
                Some(KEY),
                token.to_owned(),
            )
            .await;
        (s, b)
    }

    /// `GET /api/checkins/{booking}/token` with the kiosk key.
    pub async fn get_checkin(&self, booking: &str) -> (StatusCode, String) {
        let (s, _, b) = self
            .call(
                Method::GET,
                &format!("/api/checkins/{booking}/token"),
                Some(KEY),
                Body::empty(),
            )
            .await;
        (s, b)
    }

    /// `POST /api/checkins/{booking}/bagdrop` with the kiosk key.
    pub async fn bag_drop(&self, booking: &str, body: &str) -> (StatusCode, serde_json::Value) {
        let (s, _, b) = self
            .call(
                Method::POST,
                &format!("/api/checkins/{booking}/bagdrop"),
                Some(KEY),
                body.to_owned(),
            )
            .await;
        (s, serde_json::from_str(&b).unwrap())
    }

    /// The check-in audit events of one booking, in order.
    pub async fn checkin_events(&self, booking: &str) -> Vec<String> {
        self.state
            .store
            .checkin_audit_log(Some(booking))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event)
            .collect()
    }
}

/// `SEALMATCH_DB` for a server binary over `dir`: the SQLite file
/// `dir/db/sealmatch.db`, or on PostgreSQL a fresh schema, the same one for
/// every start over `dir` (kept in `dir/pg-url`).
pub fn db_env(dir: &std::path::Path) -> String {
    let Some(base) = pg::base_url() else {
        return dir.join("db/sealmatch.db").display().to_string();
    };
    let file = dir.join("pg-url");
    if let Ok(url) = std::fs::read_to_string(&file) {
        return url;
    }
    let url = pg::fresh_schema(&base);
    std::fs::write(&file, &url).unwrap();
    url
}

/// Whether `check` comes true within about two seconds (polled every 10 ms):
/// for work a background task does, such as the sweeper's.
pub async fn eventually<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if check().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    false
}

/// A request body that never sends anything (a stalled client).
pub struct StalledBody;

impl http_body::Body for StalledBody {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;
    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

pub fn error_code(body: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).expect("error body is JSON");
    v["error"].as_str().expect("error field").to_owned()
}

pub fn b64url(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=n {
            out.push(A[((v >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// A real sealed token (the library's `token::seal`, AES-256-GCM under a fresh
/// passenger key) for `bag` on `flight`, valid from `iat` for `ttl` seconds.
/// `salt` varies the sealed content.
pub fn token(bag: &str, flight: &str, iat: i64, ttl: i64, salt: u8) -> String {
    use sealmatch::token::{seal, PassengerKey, TokenHeader};
    let header = TokenHeader::new(bag, flight, iat as u64, (iat + ttl) as u64);
    let key = PassengerKey::generate().unwrap();
    let content: Vec<u8> = (0..600u32).map(|i| (i as u8) ^ salt).collect();
    seal(&header, &key, &content).unwrap()
}

/// A real token's sealed parts under another protected header (`header_json`,
/// encoded here): for headers the library would refuse to seal.
pub fn with_header(header_json: &str) -> String {
    let t = live_token("0117000002", "SK1415", 3);
    let rest: Vec<&str> = t.split('.').skip(1).collect();
    format!("{}.{}", b64url(header_json.as_bytes()), rest.join("."))
}

/// A token valid for an hour from the test clock's start.
pub fn live_token(bag: &str, flight: &str, salt: u8) -> String {
    token(bag, flight, T0, 3600, salt)
}

// ------------------------------------------------------------ gate signing

use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use sealmatch_server::bags::Boarding;

/// A gate device's key pair, fixed by `seed` (tests only).
pub fn gate(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).unwrap()
}

pub fn public_b64(key: &SigningKey) -> String {
    sealmatch::token::base64url::encode(key.verifying_key().to_sec1_point(false).as_bytes())
}

pub fn sign(key: &SigningKey, bag: &str, result: Boarding, challenge: &str) -> String {
    let sig: Signature =
        key.sign(sealmatch_server::gates::message(bag, result, challenge).as_bytes());
    sealmatch::token::base64url::encode(&sig.to_bytes())
}

pub fn report(result: Boarding, kid: &str, challenge: &str, sig: &str) -> String {
    let head = match result {
        Boarding::Matched => r#""matched":true"#,
        Boarding::NotMatched => r#""matched":false"#,
        Boarding::Manual => r#""manual":true"#,
    };
    format!(r#"{{{head},"proof":{{"kid":"{kid}","challenge":"{challenge}","sig":"{sig}"}}}}"#)
}
