//! The real binary on a loopback socket: startup output, generated key, static
//! files (CSP, `.wasm` MIME type), body limits over the wire, durability across a
//! hard kill, and logs that never carry a token (bag or check-in).

mod common;

use std::process::Command;
use std::time::Duration;

use common::process::{http, start};

#[test]
fn the_binary_serves_api_and_files_and_keeps_data_across_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("www")).unwrap();
    std::fs::create_dir_all(d.join("pkg")).unwrap();
    std::fs::write(
        d.join("www/index.html"),
        "<!doctype html><title>demo</title>",
    )
    .unwrap();
    std::fs::write(d.join("pkg/sealmatch_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(d.join("pkg/sealmatch.js"), "export default 1;").unwrap();
    std::fs::write(d.join("secret.txt"), "outside").unwrap();
    std::fs::create_dir_all(d.join("samples")).unwrap();
    std::fs::write(d.join("samples/index.json"), r#"{"fingers":[]}"#).unwrap();

    // First run: no SEALMATCH_KIOSK_KEYS, so a key is generated and printed.
    let srv = start(d, None);
    let key = srv.key.clone().expect("a generated key is printed");
    assert_eq!(key.len(), 64);
    let addr = srv.addr.clone();
    assert!(addr.starts_with("127.0.0.1:"));

    let health = http(&addr, "GET", "/api/health", None, b"");
    assert_eq!(health.status, 200);
    assert_eq!(
        http(&addr, "GET", "/api/bags/B1/token", None, b"").status,
        401
    );

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let token = common::token("0117123456", "SK1415", now, 3600, 1);
    let put = http(
        &addr,
        "PUT",
        "/api/bags/0117123456/token",
        Some(&key),
        token.as_bytes(),
    );
    assert_eq!(put.status, 201, "{}", put.text());
    let get = http(&addr, "GET", "/api/bags/0117123456/token", Some(&key), b"");
    assert_eq!(get.status, 200);
    assert_eq!(get.text(), token);
    // A check-in token: stored, fetched, used at bag drop.
    let checkin = common::token("ABC123", "SK1415", now, 3600, 2);
    let put = http(
        &addr,
        "PUT",
        "/api/checkins/ABC123/token",
        Some(&key),
        checkin.as_bytes(),
    );
    assert_eq!(put.status, 201, "{}", put.text());
    let get = http(&addr, "GET", "/api/checkins/ABC123/token", Some(&key), b"");
    assert_eq!(get.text(), checkin);
    let used = http(
        &addr,
        "POST",
        "/api/checkins/ABC123/bagdrop",
        Some(&key),
        br#"{"matched":true}"#,
    );
    assert_eq!(used.status, 200, "{}", used.text());
    let big = vec![b'A'; 16 * 1024 + 1];
    let put = http(&addr, "PUT", "/api/bags/0117123457/token", Some(&key), &big);
    assert_eq!(put.status, 413);

    // Static files: pages at /, the package at /pkg/, with the CSP.
    let index = http(&addr, "GET", "/", None, b"");
    assert_eq!(index.status, 200);
    assert!(index.text().contains("demo"));
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let csp = index.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert!(csp.contains("default-src 'self'"));
    assert_eq!(index.header("x-content-type-options"), Some("nosniff"));
    let wasm = http(&addr, "GET", "/pkg/sealmatch_bg.wasm", None, b"");
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");
    let js = http(&addr, "GET", "/pkg/sealmatch.js", None, b"");
    assert!(js.header("content-type").unwrap().contains("javascript"));
    for path in [
        "/pkg/../secret.txt",
        "/..%2fsecret.txt",
        "/pkg/%2e%2e/secret.txt",
    ] {
        let r = http(&addr, "GET", path, None, b"");
        assert!(
            !r.text().contains("outside"),
            "{path} escaped the directory"
        );
    }

    // A hard kill loses nothing committed; the next run uses configured keys.
    drop(srv);
    let keys = format!("{key},another-kiosk-key-123");
    let srv = start(d, Some(&keys));
    assert!(
        srv.key.is_none(),
        "no key is generated when keys are configured"
    );
    let get = http(
        &srv.addr,
        "GET",
        "/api/bags/0117123456/token",
        Some("another-kiosk-key-123"),
        b"",
    );
    assert_eq!(get.status, 200);
    assert_eq!(get.text(), token);
    let board = http(
        &srv.addr,
        "POST",
        "/api/bags/0117123456/boarding",
        Some(&key),
        br#"{"matched":true}"#,
    );
    assert_eq!(board.status, 200, "{}", board.text());
    assert_eq!(
        http(
            &srv.addr,
            "GET",
            "/api/bags/0117123456/token",
            Some(&key),
            b""
        )
        .status,
        404
    );
    // SIGTERM: a graceful stop with exit status 0.
    let mut srv = srv;
    let status = Command::new("kill")
        .args(["-TERM", &srv.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut exited = None;
    for _ in 0..200 {
        if let Some(st) = srv.child.try_wait().unwrap() {
            exited = Some(st);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(exited.expect("the server stopped on SIGTERM").success());
    drop(srv);

    // The log names events and bags, never a token or a key.
    let log = std::fs::read_to_string(d.join("stderr.log")).unwrap();
    assert!(log.contains("event=stored bag=0117123456"));
    assert!(log.contains("event=boarded bag=0117123456"));
    assert!(log.contains("event=checkin_stored booking=ABC123"));
    assert!(log.contains("event=checkin_used booking=ABC123"));
    for seg in [&token, &checkin]
        .iter()
        .flat_map(|t| t.split('.'))
        .filter(|s| s.len() >= 16)
    {
        assert!(!log.contains(seg), "a token segment is in the log");
    }
    assert!(!log.contains(&key), "a kiosk key is in the log");
    assert!(!log.contains("another-kiosk-key-123"));
}

#[test]
fn bad_configuration_stops_the_binary_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    for (var, value) in [
        ("SEALMATCH_KIOSK_KEYS", "short"),
        ("PORT", "http"),
        ("SEALMATCH_RETENTION_DAYS", "0"),
        ("SEALMATCH_SWEEP_SECONDS", "600"),
        ("SEALMATCH_MOUNTS", "/api=/tmp"),
        ("SEALMATCH_GATE_KEYS", "gate1=AAAA"),
        ("SEALMATCH_GATE_SIGNING", "maybe"),
        ("SEALMATCH_ADMIN_KEY", "short"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_sealmatch-server"))
            .env("SEALMATCH_DB", dir.path().join("x.db"))
            .env("PORT", "0")
            .env(var, value)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{var}={value} was accepted");
        assert!(String::from_utf8_lossy(&out.stderr).contains(var), "{var}");
    }
}

mod limits {
    use super::common;
    use sealmatch_server::serve::{serve, ServeLimits};
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    async fn read_all(s: &mut TcpStream) -> Vec<u8> {
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut out)).await;
        out
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn slow_headers_are_cut_off_connections_are_capped_and_shutdown_is_graceful() {
        let srv = common::Server::new();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let limits = ServeLimits {
            header_read_timeout: Duration::from_millis(500),
            max_connections: 2,
            shutdown_grace: Duration::from_secs(2),
        };
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(serve(listener, srv.app.clone(), limits, async {
            let _ = stop_rx.await;
        }));

        // A client that never finishes its headers is disconnected.
        let t = Instant::now();
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let _ = read_all(&mut slow).await;
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the slow client was not cut off"
        );

        // Two idle connections take both slots: a third request waits for one of
        // them to time out (never served before the header deadline).
        let _idle1 = TcpStream::connect(addr).await.unwrap();
        let _idle2 = TcpStream::connect(addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let t = Instant::now();
        let mut third = TcpStream::connect(addr).await.unwrap();
        third
            .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let reply = read_all(&mut third).await;
        assert!(
            reply.starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&reply)
        );
        assert!(
            t.elapsed() >= Duration::from_millis(350),
            "served before a slot was free"
        );

        // Shutdown: the loop ends and the port stops accepting.
        stop_tx.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(10), running)
            .await
            .expect("serve returned")
            .unwrap();
        assert!(TcpStream::connect(addr).await.is_err());
    }
}
