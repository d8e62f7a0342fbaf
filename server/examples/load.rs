//! Load check on loopback: starts the server in-process on 127.0.0.1 (a free
//! port, a temp SQLite file) and has `CLIENTS` concurrent kiosks run the whole
//! flow for `BAGS` bags over real TCP: PUT token, GET token, POST boarding
//! (two of three bags board, one gets three non-matches), then reconciliation.
//! Bounded in count; prints throughput and latency percentiles.
//!
//! ```sh
//! cargo run --release -p sealmatch-server --example load -- [bags] [clients]
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use sealmatch::token::{seal, PassengerKey, TokenHeader};
use sealmatch_server::clock::{Clock, SystemClock};
use sealmatch_server::config::Config;
use sealmatch_server::store::sqlite::SqliteStore;
use sealmatch_server::{app, AppState};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const KEY: &str = "load-test-kiosk-key-0123456789";

async fn http(addr: &str, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Authorization: Bearer {KEY}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.expect("write");
    s.write_all(body).await.expect("write");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.expect("read");
    let status = std::str::from_utf8(&raw[9..12]).unwrap().parse().unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    (status, raw[split..].to_vec())
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let bags = args.first().copied().unwrap_or(1500).clamp(1, 100_000);
    let clients = args.get(1).copied().unwrap_or(32).clamp(1, 256);

    let dir = tempfile::tempdir().unwrap();
    let mut cfg =
        Config::from_lookup(|k| (k == "SEALMATCH_KIOSK_KEYS").then(|| KEY.to_owned())).unwrap();
    let path = dir.path().join("load.db");
    cfg.db = sealmatch_server::config::Database::Sqlite(path.clone());
    let store = SqliteStore::open(&path, cfg.retention_seconds).unwrap();
    let state = AppState::new(store, Arc::new(SystemClock), &cfg.kiosk_keys);
    let router = app::router(state, &cfg);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(sealmatch_server::serve::serve(
        listener,
        router,
        sealmatch_server::serve::ServeLimits::default(),
        std::future::pending(),
    ));

    // Tokens of realistic size: a 3-impression enrollment's padded content.
    let now = SystemClock.now() as u64;
    let key = PassengerKey::generate().unwrap();
    let content = vec![0u8; 2 + 3 * (7 + 150 * 6)];
    let tokens: Vec<String> = (0..bags)
        .map(|i| {
            let h = TokenHeader::new(&format!("LT{i:08}"), "LT100", now, now + 3600);
            seal(&h, &key, &content).unwrap()
        })
        .collect();
    println!(
        "{bags} bags, {clients} concurrent clients, token {} bytes",
        tokens[0].len()
    );
    let tokens = Arc::new(tokens);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (tokens, next, addr) = (tokens.clone(), next.clone(), addr.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= tokens.len() {
                    break lat;
                }
                let bag = format!("LT{i:08}");
                let mut step = |t: Instant| lat.push(t.elapsed());
                let t = Instant::now();
                let (s, _) = http(
                    &addr,
                    "PUT",
                    &format!("/api/bags/{bag}/token"),
                    tokens[i].as_bytes(),
                )
                .await;
                assert_eq!(s, 201);
                step(t);
                let t = Instant::now();
                let (s, body) = http(&addr, "GET", &format!("/api/bags/{bag}/token"), b"").await;
                assert_eq!((s, body.as_slice()), (200, tokens[i].as_bytes()));
                step(t);
                let fail: &[u8] = br#"{"matched":false}"#;
                let pass: &[u8] = br#"{"matched":true}"#;
                let reports = if i % 3 == 2 {
                    vec![fail; 3]
                } else {
                    vec![pass]
                };
                for r in reports {
                    let t = Instant::now();
                    let (s, _) = http(&addr, "POST", &format!("/api/bags/{bag}/boarding"), r).await;
                    assert_eq!(s, 200);
                    step(t);
                }
            }
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed().as_secs_f64();
    lat.sort();
    println!(
        "{} requests in {elapsed:.2} s: {:.0} requests/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        lat.len(),
        lat.len() as f64 / elapsed,
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        pct(&lat, 1.0)
    );
    let t = Instant::now();
    let (s, body) = http(&addr, "GET", "/api/flights/LT100/reconciliation", b"").await;
    assert_eq!(s, 200);
    let rec: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let offload = rec["offload"].as_array().unwrap().len();
    assert_eq!(rec["bags"].as_array().unwrap().len(), bags);
    assert_eq!(offload, bags / 3);
    println!(
        "reconciliation of {bags} bags: {:.1} ms, offload {offload} (expected {})",
        t.elapsed().as_secs_f64() * 1e3,
        bags / 3
    );
}
