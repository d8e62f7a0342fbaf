//! Load benchmark on loopback: the mixed kiosk workload against 1 node on
//! SQLite, 1 node on PostgreSQL and 2 nodes on one PostgreSQL, with 32 and
//! 128 concurrent kiosks, in one run. Nodes are servers started in this
//! process on 127.0.0.1 (each with its own store and, on PostgreSQL, its own
//! connection pool), reached over real TCP; with two nodes each kiosk sends
//! its requests to them in turn.
//!
//! Each kiosk takes the next bag and runs: PUT token, GET token (with its
//! boarding challenge; gate signing is on), then one of: three non-matches
//! (the token is deleted), a non-match then a signed match, or a fresh
//! challenge (`POST .../challenge`) then a signed match; every eighth bag
//! also a reconciliation. It prints requests/s, p50 and p99 latency and the
//! errors (answers other than the expected ones: must be 0), then checks that
//! the database holds exactly what the kiosks were told: every bag, its
//! boarding state, and each bag's audit events (no lost or doubled bag,
//! attempt or event).
//!
//! PostgreSQL: `SEALMATCH_BENCH_PG` (a connection string; each run gets a
//! fresh schema on it), else a throwaway cluster from
//! `scripts/pg-throwaway.sh` (removed at the end).
//!
//! ```sh
//! cargo run --release -p sealmatch-server --example load -- [bags per run]
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use sealmatch::token::base64url;
use sealmatch::token::{seal, PassengerKey, TokenHeader};
use sealmatch_server::bags::Boarding;
use sealmatch_server::clock::{Clock, SystemClock};
use sealmatch_server::config::Config;
use sealmatch_server::gates::{message, GateKeys};
use sealmatch_server::store::postgres::PgStore;
use sealmatch_server::store::sqlite::SqliteStore;
use sealmatch_server::store::Store;
use sealmatch_server::{app, AppState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const KEY: &str = "load-test-kiosk-key-0123456789";
const GATE: &str = "gate1";

struct Reply {
    status: u16,
    challenge: Option<String>,
    body: Vec<u8>,
}

async fn http(addr: &str, method: &str, path: &str, body: &[u8]) -> Option<Reply> {
    let mut s = TcpStream::connect(addr).await.ok()?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Authorization: Bearer {KEY}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.ok()?;
    s.write_all(body).await.ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.ok()?;
    let status = std::str::from_utf8(raw.get(9..12)?).ok()?.parse().ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let challenge = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("sealmatch-challenge")
            .then(|| v.trim().to_owned())
    });
    Some(Reply {
        status,
        challenge,
        body: raw[split..].to_vec(),
    })
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

fn gate_key() -> SigningKey {
    SigningKey::from_slice(&[7u8; 32]).unwrap()
}

fn signed(bag: &str, challenge: &str) -> Vec<u8> {
    let sig: Signature = gate_key().sign(message(bag, Boarding::Matched, challenge).as_bytes());
    let sig = base64url::encode(&sig.to_bytes());
    format!(
        r#"{{"matched":true,"proof":{{"kid":"{GATE}","challenge":"{challenge}","sig":"{sig}"}}}}"#
    )
    .into_bytes()
}

/// Starts one node over `store`; its address.
async fn start_node(store: Arc<dyn Store>) -> String {
    let mut cfg =
        Config::from_lookup(|k| (k == "SEALMATCH_KIOSK_KEYS").then(|| KEY.to_owned())).unwrap();
    let public = base64url::encode(gate_key().verifying_key().to_sec1_point(false).as_bytes());
    cfg.gate_keys = GateKeys::parse(&format!("{GATE}={public}")).unwrap();
    let state = AppState::shared(store, Arc::new(SystemClock), &cfg.kiosk_keys)
        .with_gate_keys(cfg.gate_keys.clone());
    let router = app::router(state, &cfg);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(sealmatch_server::serve::serve(
        listener,
        router,
        sealmatch_server::serve::ServeLimits::default(),
        std::future::pending(),
    ));
    addr
}

/// What one kiosk saw.
#[derive(Default)]
struct Seen {
    latencies: Vec<Duration>,
    errors: usize,
}

/// One request to the kiosk's next node; counts an error unless the status is `want`.
async fn step(
    seen: &mut Seen,
    addrs: &[String],
    turn: &mut usize,
    req: (&str, &str, &[u8]),
    want: u16,
) -> Option<Reply> {
    let addr = &addrs[*turn % addrs.len()];
    *turn += 1;
    let t = Instant::now();
    let reply = http(addr, req.0, req.1, req.2).await;
    seen.latencies.push(t.elapsed());
    match reply {
        Some(r) if r.status == want => Some(r),
        _ => {
            seen.errors += 1;
            None
        }
    }
}

/// The bag's script; see the module doc.
async fn one_bag(
    seen: &mut Seen,
    addrs: &[String],
    turn: &mut usize,
    i: usize,
    bag: &str,
    token: &str,
) {
    let token_path = format!("/api/bags/{bag}/token");
    let boarding = format!("/api/bags/{bag}/boarding");
    let fail: &[u8] = br#"{"matched":false}"#;
    if step(
        seen,
        addrs,
        turn,
        ("PUT", &token_path, token.as_bytes()),
        201,
    )
    .await
    .is_none()
    {
        return;
    }
    let Some(got) = step(seen, addrs, turn, ("GET", &token_path, b""), 200).await else {
        return;
    };
    if got.body != token.as_bytes() {
        seen.errors += 1;
    }
    match i % 3 {
        0 => {
            for _ in 0..3 {
                step(seen, addrs, turn, ("POST", &boarding, fail), 200).await;
            }
        }
        1 => {
            step(seen, addrs, turn, ("POST", &boarding, fail), 200).await;
            let c = got.challenge.unwrap_or_default();
            step(
                seen,
                addrs,
                turn,
                ("POST", &boarding, &signed(bag, &c)),
                200,
            )
            .await;
        }
        _ => {
            let path = format!("/api/bags/{bag}/challenge");
            let Some(r) = step(seen, addrs, turn, ("POST", &path, b""), 200).await else {
                return;
            };
            let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let c = v["challenge"].as_str().unwrap_or_default().to_owned();
            step(
                seen,
                addrs,
                turn,
                ("POST", &boarding, &signed(bag, &c)),
                200,
            )
            .await;
        }
    }
}

/// The audit events bag `i` must have, sorted.
fn expected_events(i: usize) -> Vec<&'static str> {
    let mut e = match i % 3 {
        0 => vec![
            "stored",
            "fetched",
            "failed_attempt",
            "failed_attempt",
            "failed_attempt",
            "deleted",
        ],
        1 => vec!["stored", "fetched", "failed_attempt", "boarded", "deleted"],
        _ => vec!["stored", "fetched", "boarded", "deleted"],
    };
    e.sort_unstable();
    e
}

/// Checks the store against what the kiosks were told; the mismatches.
async fn check(store: &dyn Store, flight: &str, bags: &[String]) -> usize {
    let mut bad = 0;
    let rec = store
        .reconciliation(flight, SystemClock.now())
        .await
        .unwrap();
    if rec.bags.len() != bags.len() {
        bad += 1;
    }
    let offload: std::collections::HashSet<&str> = rec.offload.iter().map(String::as_str).collect();
    let mut events: std::collections::HashMap<String, Vec<String>> = Default::default();
    for e in store.audit_log(None).await.unwrap() {
        events.entry(e.bag_tag).or_default().push(e.event);
    }
    for (i, bag) in bags.iter().enumerate() {
        if offload.contains(bag.as_str()) != (i % 3 == 0) {
            bad += 1;
        }
        let mut got = events.remove(bag).unwrap_or_default();
        got.sort_unstable();
        if got != expected_events(i) {
            bad += 1;
        }
    }
    bad + events.len()
}

struct Row {
    setup: &'static str,
    kiosks: usize,
    requests: usize,
    rps: f64,
    p50: f64,
    p99: f64,
    errors: usize,
    state_mismatches: usize,
}

async fn run(
    setup: &'static str,
    stores: Vec<Arc<dyn Store>>,
    kiosks: usize,
    bags: usize,
    run_id: usize,
) -> Row {
    let mut addrs = Vec::new();
    for s in &stores {
        addrs.push(start_node(s.clone()).await);
    }
    let flight = format!("LT{run_id:03}");
    let now = SystemClock.now() as u64;
    let key = PassengerKey::generate().unwrap();
    // Tokens of realistic size: a 3-impression enrollment's padded content.
    let content = vec![0u8; 2 + 3 * (7 + 150 * 6)];
    let tags: Vec<String> = (0..bags).map(|i| format!("{run_id:02}{i:08}")).collect();
    let tokens: Vec<String> = tags
        .iter()
        .map(|b| {
            seal(
                &TokenHeader::new(b, &flight, now, now + 3600),
                &key,
                &content,
            )
            .unwrap()
        })
        .collect();
    let (tags, tokens, addrs) = (Arc::new(tags), Arc::new(tokens), Arc::new(addrs));
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..kiosks {
        let (tags, tokens, addrs, next, flight) = (
            tags.clone(),
            tokens.clone(),
            addrs.clone(),
            next.clone(),
            flight.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut seen = Seen::default();
            let mut turn = k;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= tags.len() {
                    break seen;
                }
                one_bag(&mut seen, &addrs, &mut turn, i, &tags[i], &tokens[i]).await;
                if i % 8 == 7 {
                    let path = format!("/api/flights/{flight}/reconciliation");
                    step(&mut seen, &addrs, &mut turn, ("GET", &path, b""), 200).await;
                }
            }
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let seen = t.await.unwrap();
        lat.extend(seen.latencies);
        errors += seen.errors;
    }
    let elapsed = start.elapsed().as_secs_f64();
    lat.sort();
    let state_mismatches = check(&*stores[0], &flight, &tags).await;
    Row {
        setup,
        kiosks,
        requests: lat.len(),
        rps: lat.len() as f64 / elapsed,
        p50: pct(&lat, 0.5),
        p99: pct(&lat, 0.99),
        errors,
        state_mismatches,
    }
}

/// A PostgreSQL for the runs: `SEALMATCH_BENCH_PG`, or a throwaway cluster
/// (its directory, to stop it at the end).
fn postgres() -> (String, Option<String>) {
    if let Ok(url) = std::env::var("SEALMATCH_BENCH_PG") {
        return (url, None);
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/pg-throwaway.sh");
    let out = std::process::Command::new(script)
        .arg("start")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let out = std::process::Command::new(script)
        .args(["url", &dir])
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap().trim().to_owned(),
        Some(dir),
    )
}

/// A fresh schema on `base` for one run; a connection string that uses it.
async fn fresh_schema(base: &str, run_id: usize) -> String {
    let (client, conn) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let name = format!("load_{}_{run_id}", std::process::id());
    client
        .batch_execute(&format!("CREATE SCHEMA {name}"))
        .await
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-csearch_path%3D{name}")
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let bags = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(600usize)
        .clamp(3, 100_000);
    let (pg, cluster) = postgres();
    let dir = tempfile::tempdir().unwrap();
    let retention = 7 * 86_400;
    let mut rows = Vec::new();
    let mut run_id = 0;
    for kiosks in [32, 128] {
        for setup in [
            "1 node, SQLite",
            "1 node, PostgreSQL",
            "2 nodes, PostgreSQL",
        ] {
            run_id += 1;
            let stores: Vec<Arc<dyn Store>> = match setup {
                "1 node, SQLite" => {
                    let path = dir.path().join(format!("load{run_id}.db"));
                    vec![Arc::new(SqliteStore::open(&path, retention).unwrap())]
                }
                _ => {
                    let url = fresh_schema(&pg, run_id).await;
                    let nodes = if setup.starts_with('2') { 2 } else { 1 };
                    let mut v: Vec<Arc<dyn Store>> = Vec::new();
                    for _ in 0..nodes {
                        v.push(Arc::new(PgStore::open(&url, retention).await.unwrap()));
                    }
                    v
                }
            };
            let row = run(setup, stores, kiosks, bags, run_id).await;
            eprintln!("done: {setup}, {kiosks} kiosks");
            rows.push(row);
        }
    }
    if let Some(d) = cluster {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/pg-throwaway.sh");
        let _ = std::process::Command::new(script)
            .args(["stop", &d])
            .status();
    }
    println!(
        "{bags} bags per run, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| setup | kiosks | requests | requests/s | p50 ms | p99 ms | errors | state check |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for r in &rows {
        println!(
            "| {} | {} | {} | {:.0} | {:.1} | {:.1} | {} | {} |",
            r.setup,
            r.kiosks,
            r.requests,
            r.rps,
            r.p50,
            r.p99,
            r.errors,
            if r.state_mismatches == 0 {
                "ok".to_owned()
            } else {
                format!("{} mismatches", r.state_mismatches)
            }
        );
    }
    if rows.iter().any(|r| r.errors > 0 || r.state_mismatches > 0) {
        std::process::exit(1);
    }
}
