//! API tests against a real SQLite file in a temp dir, with a manual clock.

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;

#[tokio::test]
async fn health_needs_no_key() {
    let s = Server::new();
    let (status, headers, body) = s
        .call(Method::GET, "/api/health", None, Body::empty())
        .await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v,
        serde_json::json!({ "status": "ok", "gateSigning": false })
    );
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("'wasm-unsafe-eval'"));
    // Fetches: this origin and the kiosk's own scanner services only.
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("connect-src 'self' https://localhost:8443 https://localhost:8084;"));
}

#[tokio::test]
async fn missing_and_wrong_keys_get_401_and_change_nothing() {
    let s = Server::new();
    let t = live_token("0117000001", "SK1415", 1);
    let put = |key: Option<&'static str>| {
        let t = t.clone();
        let s = &s;
        async move {
            s.call(Method::PUT, "/api/bags/0117000001/token", key, t)
                .await
        }
    };
    for key in [
        None,
        Some("wrong-key-0123456789"),
        Some(""),
        Some("kiosk-test-key-012345678"),
    ] {
        let (status, headers, body) = put(key).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "key {key:?}");
        assert_eq!(error_code(&body), "unauthorized");
        assert!(headers.contains_key("www-authenticate"));
    }
    // Wrong scheme.
    let req = axum::http::Request::builder()
        .method(Method::GET)
        .uri("/api/bags/0117000001/token")
        .header("authorization", format!("Basic {KEY}"))
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(s.app.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Nothing was stored.
    assert_eq!(s.get_token("0117000001").await.0, StatusCode::NOT_FOUND);
    assert!(s
        .state
        .store
        .audit_log(None)
        .await
        .unwrap()
        .iter()
        .all(|e| e.event != "stored"));

    // Store it with a key, then try to change it without one.
    assert_eq!(s.put_token("0117000001", &t).await.0, StatusCode::CREATED);
    for (method, path, body) in [
        (Method::GET, "/api/bags/0117000001/token", ""),
        (
            Method::POST,
            "/api/bags/0117000001/boarding",
            r#"{"matched":true}"#,
        ),
        (
            Method::POST,
            "/api/bags/0117000001/boarding",
            r#"{"matched":false}"#,
        ),
        (
            Method::POST,
            "/api/bags/0117000001/boarding",
            r#"{"manual":true}"#,
        ),
        (Method::GET, "/api/flights/SK1415/reconciliation", ""),
        (Method::GET, "/api/no/such/thing", ""),
        (Method::DELETE, "/api/bags/0117000001/token", ""),
    ] {
        let (status, _, body) = s.call(method.clone(), path, None, body.to_owned()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(error_code(&body), "unauthorized");
        let (status, _, _) = s
            .call(
                method.clone(),
                path,
                Some("not-a-kiosk-key-at-all"),
                body.to_owned(),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    assert_eq!(s.audit_events("0117000001").await, ["stored"]);
    let (_, rec) = s.reconciliation("SK1415").await;
    assert_eq!(rec["bags"][0]["state"], "waiting");
    // The second configured key works too.
    let (status, _, body) = s
        .call(
            Method::GET,
            "/api/bags/0117000001/token",
            Some(OTHER_KEY),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, t);
}

#[tokio::test]
async fn put_get_idempotent_and_conflict() {
    let s = Server::new();
    let t = live_token("0117123456", "SK1415", 1);
    let (status, body) = s.put_token("0117123456", &t).await;
    assert_eq!(status, StatusCode::CREATED);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["bagTag"], "0117123456");
    assert_eq!(v["flight"], "SK1415");
    assert_eq!(v["expiresAt"], T0 + 3600);
    // Same token again (with a trailing newline, as curl sends a file) → 200.
    assert_eq!(
        s.put_token("0117123456", &format!("{t}\n")).await.0,
        StatusCode::OK
    );
    // A different token for the same bag → 409, and the first one stays.
    let other = live_token("0117123456", "SK1415", 2);
    let (status, body) = s.put_token("0117123456", &other).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_code(&body), "conflict");
    let (status, headers, body) = s
        .call(
            Method::GET,
            "/api/bags/0117123456/token",
            Some(KEY),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, t);
    assert_eq!(headers["content-type"], "application/jose");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(s.audit_events("0117123456").await, ["stored", "fetched"]);
}

#[tokio::test]
async fn bad_tokens_are_refused() {
    let s = Server::new();
    let good = live_token("0117000002", "SK1415", 3);
    let segs: Vec<&str> = good.split('.').collect();
    let header_v2 = v2_token();
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "empty"),
        ("not a token".into(), "garbage"),
        (segs[..4].join("."), "four segments"),
        (
            format!("{}.AAAA.{}.{}.{}", segs[0], segs[2], segs[3], segs[4]),
            "encrypted key",
        ),
        (
            format!("{}..{}=.{}.{}", segs[0], segs[2], segs[3], segs[4]),
            "padding",
        ),
        (
            format!("{}..{}.{}.{}", segs[0], &segs[2][1..], segs[3], segs[4]),
            "short iv",
        ),
        (
            format!("{}..{}.{}.{}A", segs[0], segs[2], segs[3], segs[4]),
            "bad tag length",
        ),
        (
            format!("e30..{}.{}.{}", segs[2], segs[3], segs[4]),
            "empty header {}",
        ),
        (header_v2, "v 2"),
        (format!("{good}.x"), "six segments"),
    ];
    for (t, what) in cases {
        let (status, body) = s.put_token("0117000002", &t).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
        assert_eq!(error_code(&body), "bad_token", "{what}");
        assert!(
            !body.contains(segs[3]),
            "{what}: the error echoes the token"
        );
    }
    // Not UTF-8.
    let (status, _, body) = s
        .call(
            Method::PUT,
            "/api/bags/0117000002/token",
            Some(KEY),
            vec![0xffu8, 0xfe, 0x00],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_token");
    // Lifetime over the library's maximum (86400 s) or issued in the future.
    let long = with_header(&format!(
        r#"{{"alg":"dir","enc":"A256GCM","typ":"sealmatch+jwe","v":1,"bag":"0117000002","flt":"SK1415","iat":{T0},"exp":{}}}"#,
        T0 + 86_401
    ));
    assert_eq!(
        error_code(&s.put_token("0117000002", &long).await.1),
        "bad_token"
    );
    let future = token("0117000002", "SK1415", T0 + 3_600, 600, 4);
    assert_eq!(
        error_code(&s.put_token("0117000002", &future).await.1),
        "bad_token"
    );
    assert!(s.audit_events("0117000002").await.is_empty());
    assert_eq!(s.get_token("0117000002").await.0, StatusCode::NOT_FOUND);
}

/// A real token's IV, ciphertext and tag behind another header.
/// A token whose header says `"v":2` (an unsupported version).
fn v2_token() -> String {
    with_header(&format!(
        r#"{{"alg":"dir","enc":"A256GCM","typ":"sealmatch+jwe","v":2,"bag":"0117000002","flt":"SK1415","iat":{T0},"exp":{}}}"#,
        T0 + 3600
    ))
}

#[tokio::test]
async fn wrong_bag_and_expired_tokens_are_refused() {
    let s = Server::new();
    let t = live_token("0117000003", "SK1415", 5);
    let (status, body) = s.put_token("0117000004", &t).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "wrong_bag");
    // Case matters: a bag tag is an exact string.
    let lower = live_token("abc123", "SK1415", 5);
    assert_eq!(
        error_code(&s.put_token("ABC123", &lower).await.1),
        "wrong_bag"
    );

    let old = token("0117000003", "SK1415", T0 - 7200, 3600, 5);
    let (status, body) = s.put_token("0117000003", &old).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "expired");
    // Expiry is exclusive: at `exp` the token is expired.
    let at_exp = token("0117000003", "SK1415", T0 - 3600, 3600, 5);
    assert_eq!(
        error_code(&s.put_token("0117000003", &at_exp).await.1),
        "expired"
    );
    assert_eq!(s.get_token("0117000003").await.0, StatusCode::NOT_FOUND);
    assert_eq!(s.get_token("0117000004").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn malformed_path_parameters_are_bad_requests() {
    let s = Server::new();
    let t = live_token("0117000005", "SK1415", 6);
    for bag in [
        "0117-00005",
        "012345678901234567890",
        "bag%20tag",
        "b%C3%A4g",
    ] {
        let (status, body) = s.put_token(bag, &t).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bag}");
        assert_eq!(error_code(&body), "bad_request", "{bag}");
        assert_eq!(s.get_token(bag).await.0, StatusCode::BAD_REQUEST, "{bag}");
    }
    for flight in ["sk1415", "S", "SK1415XYZ", "SK-14"] {
        let (status, _, body) = s
            .call(
                Method::GET,
                &format!("/api/flights/{flight}/reconciliation"),
                Some(KEY),
                Body::empty(),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{flight}");
        assert_eq!(error_code(&body), "bad_request");
    }
    // Unknown endpoint and wrong method: JSON errors too.
    let (status, _, body) = s
        .call(Method::GET, "/api/nothing", Some(KEY), Body::empty())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "not_found");
    let (status, _, body) = s
        .call(
            Method::DELETE,
            "/api/bags/0117000005/token",
            Some(KEY),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_code(&body), "method_not_allowed");
    let (status, _, body) = s
        .call(Method::POST, "/api/health", None, Body::empty())
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(error_code(&body), "method_not_allowed");
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let s = Server::new();
    let big = "A".repeat(16 * 1024 + 1);
    // Without Content-Length (streamed): the limit applies while reading.
    let (status, body) = s.put_token("0117000006", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(&body), "too_large");
    // With a Content-Length over the limit: refused before reading.
    let req = axum::http::Request::builder()
        .method(Method::PUT)
        .uri("/api/bags/0117000006/token")
        .header("authorization", format!("Bearer {KEY}"))
        .header("content-length", big.len().to_string())
        .body(Body::from(big.clone()))
        .unwrap();
    let res = tower::ServiceExt::oneshot(s.app.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Exactly at the limit is read (and then judged as a token).
    let at_limit = "A".repeat(16 * 1024);
    let (status, body) = s.put_token("0117000006", &at_limit).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "bad_token");
    // Boarding reports are small.
    let (status, _, body) = s
        .call(
            Method::POST,
            "/api/bags/0117000006/boarding",
            Some(KEY),
            format!(r#"{{"matched":true,"pad":"{}"}}"#, "x".repeat(3000)),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(&body), "too_large");
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_times_out_with_408() {
    let s = Server::new();
    let (status, _, body) = s
        .call(
            Method::PUT,
            "/api/bags/0117000006/token",
            Some(KEY),
            Body::new(StalledBody),
        )
        .await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(error_code(&body), "timeout");
}

#[tokio::test]
async fn a_match_boards_the_bag_and_deletes_the_token() {
    let s = Server::new();
    let t = live_token("0117000007", "SK1415", 7);
    s.put_token("0117000007", &t).await;
    assert_eq!(s.get_token("0117000007").await.0, StatusCode::OK);
    let (status, v) = s.board("0117000007", r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["state"], "boarded");
    assert_eq!(v["tokenStored"], false);
    assert_eq!(v["manualCheckRequired"], false);
    let (status, body) = s.get_token("0117000007").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "not_found");
    // The token is gone from the database file itself.
    let n = s
        .count("SELECT COUNT(*) FROM bags WHERE token IS NOT NULL")
        .await;
    assert_eq!(n, 0);
    // Re-sending the token cannot bring it back; a repeated report is harmless.
    assert_eq!(s.put_token("0117000007", &t).await.0, StatusCode::CONFLICT);
    assert_eq!(
        s.board("0117000007", r#"{"matched":true}"#).await.0,
        StatusCode::OK
    );
    let (status, v) = s.board("0117000007", r#"{"matched":false}"#).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(v["error"], "conflict");
    assert_eq!(
        s.audit_events("0117000007").await,
        ["stored", "fetched", "boarded", "deleted"]
    );
}

#[tokio::test]
async fn three_failures_delete_the_token_then_manual_check_boards() {
    let s = Server::new();
    let t = live_token("0117000008", "SK1415", 8);
    s.put_token("0117000008", &t).await;
    for n in 1..=2u32 {
        let (status, v) = s.board("0117000008", r#"{"matched":false}"#).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v["failedAttempts"], n);
        assert_eq!(v["attemptsLeft"], 3 - n);
        assert_eq!(v["tokenStored"], true);
        assert_eq!(v["state"], "waiting");
        assert_eq!(s.get_token("0117000008").await.0, StatusCode::OK);
    }
    let (status, v) = s.board("0117000008", r#"{"matched":false}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["failedAttempts"], 3);
    assert_eq!(v["attemptsLeft"], 0);
    assert_eq!(v["tokenStored"], false);
    assert_eq!(v["manualCheckRequired"], true);
    let (status, body) = s.get_token("0117000008").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("manual"));
    // No fourth guess, no late "match", no re-enrolment to reset the counter.
    assert_eq!(
        s.board("0117000008", r#"{"matched":false}"#).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.board("0117000008", r#"{"matched":true}"#).await.0,
        StatusCode::NOT_FOUND
    );
    let fresh = live_token("0117000008", "SK1415", 9);
    assert_eq!(
        s.put_token("0117000008", &fresh).await.0,
        StatusCode::CONFLICT
    );
    let (_, rec) = s.reconciliation("SK1415").await;
    assert_eq!(rec["offload"], serde_json::json!(["0117000008"]));
    // Staff check the ID by hand.
    let (status, v) = s.board("0117000008", r#"{"manual":true}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["state"], "boarded");
    let (_, rec) = s.reconciliation("SK1415").await;
    assert_eq!(rec["offload"], serde_json::json!([]));
    assert_eq!(rec["bags"][0]["state"], "boarded");
    assert_eq!(
        s.audit_events("0117000008").await,
        [
            "stored",
            "failed_attempt",
            "fetched",
            "failed_attempt",
            "fetched",
            "failed_attempt",
            "deleted",
            "manual"
        ]
    );
}

#[tokio::test]
async fn manual_boarding_deletes_a_live_token() {
    let s = Server::new();
    s.put_token("0117000009", &live_token("0117000009", "SK1415", 10))
        .await;
    let (status, v) = s.board("0117000009", r#"{"manual":true}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["state"], "boarded");
    assert_eq!(v["tokenStored"], false);
    assert_eq!(s.get_token("0117000009").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        s.audit_events("0117000009").await,
        ["stored", "manual", "deleted"]
    );
}

#[tokio::test]
async fn boarding_reports_are_checked() {
    let s = Server::new();
    s.put_token("0117000010", &live_token("0117000010", "SK1415", 11))
        .await;
    for body in [
        "",
        "{}",
        "null",
        "[true]",
        r#"{"matched":true,"manual":true}"#,
        r#"{"manual":false}"#,
        r#"{"matched":"yes"}"#,
        r#"{"matched":1}"#,
        r#"{"matched":true,"score":99}"#,
    ] {
        let (status, v) = s.board("0117000010", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(v["error"], "bad_request");
    }
    assert_eq!(s.audit_events("0117000010").await, ["stored"]);
    let (status, v) = s.board("0117999999", r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "not_found");
    assert_eq!(
        s.board("0117999999", r#"{"manual":true}"#).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn tokens_are_gone_after_expiry_clock_driven() {
    let s = Server::new();
    let a = token("0117000011", "SK1415", T0, 600, 12);
    let b = token("0117000012", "SK1415", T0, 1200, 13);
    s.put_token("0117000011", &a).await;
    s.put_token("0117000012", &b).await;
    s.clock.advance(599);
    assert_eq!(s.state.sweep_now().await.unwrap().expired, 0);
    assert_eq!(s.get_token("0117000011").await.0, StatusCode::OK);
    s.clock.advance(1);
    let report = s.state.sweep_now().await.unwrap();
    assert_eq!(report.expired, 1);
    let (status, body) = s.get_token("0117000011").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("expired"));
    assert_eq!(
        s.board("0117000011", r#"{"matched":true}"#).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(s.get_token("0117000012").await.0, StatusCode::OK);
    assert_eq!(
        s.audit_events("0117000011").await,
        ["stored", "fetched", "expired"]
    );
    // Without a sweep in between, a token past its expiry is still never served.
    s.clock.advance(600);
    assert_eq!(s.get_token("0117000012").await.0, StatusCode::NOT_FOUND);
    assert_eq!(s.state.sweep_now().await.unwrap().expired, 0);
    assert_eq!(
        s.audit_events("0117000012").await,
        ["stored", "fetched", "expired"]
    );
    let (_, rec) = s.reconciliation("SK1415").await;
    assert_eq!(
        rec,
        serde_json::json!({
            "flight": "SK1415",
            "bags": [
                {"bagTag": "0117000011", "state": "expired"},
                {"bagTag": "0117000012", "state": "expired"}
            ],
            "offload": ["0117000011", "0117000012"]
        })
    );
    // A delayed flight: a bag whose token expired unboarded may be enrolled again.
    let again = token("0117000011", "SK1415", T0 + 1200, 600, 14);
    assert_eq!(
        s.put_token("0117000011", &again).await.0,
        StatusCode::CREATED
    );
    assert_eq!(s.get_token("0117000011").await.1, again);
}

#[tokio::test]
async fn the_sweeper_task_runs_on_its_own() {
    let s = Server::new();
    s.put_token("0117000013", &token("0117000013", "SK1415", T0, 60, 15))
        .await;
    s.clock.advance(60);
    let handle =
        sealmatch_server::sweeper::spawn(s.state.clone(), std::time::Duration::from_millis(10));
    // The first tick is immediate; poll the store (bounded) until it has run.
    let gone = eventually(|| async {
        s.audit_events("0117000013")
            .await
            .last()
            .map(String::as_str)
            == Some("expired")
    })
    .await;
    handle.abort();
    assert!(gone, "the sweeper did not expire the token");
}

#[tokio::test]
async fn reconciliation_lists_exactly_the_bags_not_boarded() {
    let s = Server::new();
    for (i, bag) in ["0117000021", "0117000022", "0117000023", "0117000024"]
        .iter()
        .enumerate()
    {
        s.put_token(bag, &live_token(bag, "SK1415", 20 + i as u8))
            .await;
    }
    s.put_token("0117000025", &live_token("0117000025", "SK1416", 30))
        .await;
    s.board("0117000021", r#"{"matched":true}"#).await;
    for _ in 0..3 {
        s.board("0117000023", r#"{"matched":false}"#).await;
    }
    s.board("0117000024", r#"{"manual":true}"#).await;
    let (status, rec) = s.reconciliation("SK1415").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        rec,
        serde_json::json!({
            "flight": "SK1415",
            "bags": [
                {"bagTag": "0117000021", "state": "boarded"},
                {"bagTag": "0117000022", "state": "waiting"},
                {"bagTag": "0117000023", "state": "waiting"},
                {"bagTag": "0117000024", "state": "boarded"}
            ],
            "offload": ["0117000022", "0117000023"]
        })
    );
    let (_, other) = s.reconciliation("SK1416").await;
    assert_eq!(other["offload"], serde_json::json!(["0117000025"]));
    let (_, none) = s.reconciliation("XX999").await;
    assert_eq!(
        none,
        serde_json::json!({"flight": "XX999", "bags": [], "offload": []})
    );
}

#[tokio::test]
async fn data_survives_a_restart() {
    let s = Server::new();
    let a = live_token("0117000031", "SK1415", 31);
    s.put_token("0117000031", &a).await;
    s.put_token("0117000032", &live_token("0117000032", "SK1415", 32))
        .await;
    s.put_token("0117000033", &live_token("0117000033", "SK1415", 33))
        .await;
    s.board("0117000032", r#"{"matched":true}"#).await;
    s.board("0117000033", r#"{"matched":false}"#).await;
    s.board("0117000033", r#"{"matched":false}"#).await;
    let before = s.reconciliation("SK1415").await.1;

    let s = s.restart();
    assert_eq!(s.get_token("0117000031").await, (StatusCode::OK, a.clone()));
    assert_eq!(s.put_token("0117000031", &a).await.0, StatusCode::OK);
    assert_eq!(s.get_token("0117000032").await.0, StatusCode::NOT_FOUND);
    assert_eq!(s.reconciliation("SK1415").await.1, before);
    // The failure count carried over: one more deletes the token.
    let (_, v) = s.board("0117000033", r#"{"matched":false}"#).await;
    assert_eq!(v["failedAttempts"], 3);
    assert_eq!(v["tokenStored"], false);
    assert_eq!(
        s.audit_events("0117000032").await,
        ["stored", "boarded", "deleted"]
    );
    if !s.is_pg() {
        // The SQLite file is in WAL mode.
        let conn = rusqlite::Connection::open(&s.db).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
}

#[tokio::test]
async fn records_and_audit_are_purged_after_the_retention_period() {
    let s = Server::new();
    s.put_token("0117000041", &live_token("0117000041", "SK1415", 41))
        .await;
    s.put_token("0117000042", &live_token("0117000042", "SK1415", 42))
        .await;
    s.board("0117000041", r#"{"matched":true}"#).await;
    s.clock.advance(2 * 86_400);
    s.put_token(
        "0117000043",
        &token("0117000043", "SK1415", T0 + 2 * 86_400, 3600, 43),
    )
    .await;
    // Bag records are kept for RETENTION after their token's expiry (or last
    // change); audit rows for RETENTION after the event.
    s.clock.set(T0 + 3600 + RETENTION - 1);
    let r = s.state.sweep_now().await.unwrap();
    assert_eq!(r.expired, 2, "0117000042 and 0117000043 expired unboarded");
    assert_eq!(r.purged_bags, 0);
    assert_eq!(r.purged_audit, 4, "the four events at T0");
    assert_eq!(
        s.reconciliation("SK1415").await.1["bags"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(s.audit_events("0117000041").await.is_empty());
    assert_eq!(s.audit_events("0117000042").await, ["expired"]);
    assert_eq!(s.audit_events("0117000043").await, ["stored", "expired"]);
    s.clock.set(T0 + 3600 + RETENTION);
    let r = s.state.sweep_now().await.unwrap();
    assert_eq!(r.purged_bags, 2);
    let (_, rec) = s.reconciliation("SK1415").await;
    assert_eq!(
        rec["bags"],
        serde_json::json!([{"bagTag": "0117000043", "state": "expired"}])
    );
    s.clock.set(T0 + 3600 + 2 * RETENTION);
    s.state.sweep_now().await.unwrap();
    assert!(s.state.store.audit_log(None).await.unwrap().is_empty());
    assert_eq!(
        s.reconciliation("SK1415").await.1["bags"],
        serde_json::json!([])
    );
    assert_eq!(s.count("SELECT COUNT(*) FROM bags").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_kiosks_lose_and_duplicate_nothing() {
    let s = std::sync::Arc::new(Server::new());
    // 120 kiosks each drop a different bag.
    let mut tasks = Vec::new();
    for i in 0..120u32 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let bag = format!("0118{i:06}");
            s.put_token(&bag, &live_token(&bag, "SK2000", (i % 250) as u8))
                .await
                .0
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    let (_, rec) = s.reconciliation("SK2000").await;
    assert_eq!(rec["bags"].as_array().unwrap().len(), 120);
    assert_eq!(rec["offload"].as_array().unwrap().len(), 120);

    // 40 kiosks race different tokens onto one bag: exactly one wins.
    let mut tasks = Vec::new();
    for i in 0..40u8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.put_token("0119000000", &live_token("0119000000", "SK2000", i))
                .await
                .0
        }));
    }
    let mut created = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 1);

    // 30 gates report a non-match for one bag at once: exactly three count.
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.board("0119000000", r#"{"matched":false}"#).await.0
        }));
    }
    let mut counted = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::OK => counted += 1,
            StatusCode::NOT_FOUND => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(counted, 3);
    let events = s.audit_events("0119000000").await;
    assert_eq!(events.iter().filter(|e| *e == "failed_attempt").count(), 3);
    assert_eq!(events.iter().filter(|e| *e == "deleted").count(), 1);
    assert_eq!(events.iter().filter(|e| *e == "stored").count(), 1);

    // 120 gates board the 120 bags while 120 others report the same matches again.
    let mut tasks = Vec::new();
    for i in 0..240u32 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let bag = format!("0118{:06}", i % 120);
            s.board(&bag, r#"{"matched":true}"#).await.0
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    let (_, rec) = s.reconciliation("SK2000").await;
    assert_eq!(rec["offload"], serde_json::json!(["0119000000"]));
    let log = s.state.store.audit_log(None).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.event == "boarded").count(), 120);
    assert_eq!(log.iter().filter(|e| e.event == "stored").count(), 121);
}

#[test]
fn openapi_documents_every_route_and_error_code() {
    let spec = include_str!("../openapi.yaml");
    for path in [
        "/api/health:",
        "/api/bags/{bagTag}/token:",
        "/api/bags/{bagTag}/boarding:",
        "/api/bags/{bagTag}/challenge:",
        "/api/gates/{kid}:",
        "/api/flights/{flight}/reconciliation:",
        "/api/checkins/{bookingRef}/token:",
        "/api/checkins/{bookingRef}/bagdrop:",
    ] {
        assert!(spec.contains(path), "{path} missing from openapi.yaml");
    }
    // Every operation that needs a kiosk or admin key uses the store, so it
    // may answer 503 `unavailable` when the database is down.
    let unauthorized = spec.matches("\"401\": { $ref").count();
    let unavailable = spec.matches("\"503\": { $ref").count();
    assert!(unauthorized > 0);
    assert_eq!(unavailable, unauthorized, "a 503 for every keyed operation");
    for code in sealmatch_server::errors::ErrorCode::ALL {
        let item = format!("- {}\n", code.as_str());
        assert!(
            spec.contains(&item),
            "{} missing from openapi.yaml",
            code.as_str()
        );
        assert!(
            spec.contains(&format!("`{}` (", code.as_str())),
            "{} not described",
            code.as_str()
        );
    }
}

#[tokio::test]
async fn the_database_holds_only_tokens_bag_tags_booking_refs_flights_times_and_states() {
    let s = Server::new();
    let bags = ["0117000051", "0117000052", "0117000053"];
    let mut tokens = Vec::new();
    for (i, bag) in bags.iter().enumerate() {
        let t = live_token(bag, "SK1415", 50 + i as u8);
        s.put_token(bag, &t).await;
        tokens.push(t);
    }
    s.get_token(bags[0]).await;
    s.board(bags[0], r#"{"matched":true}"#).await;
    s.board(bags[1], r#"{"matched":false}"#).await;
    s.board(bags[2], r#"{"manual":true}"#).await;
    // Check-in tokens: one used after a non-match, one still stored.
    let bookings = ["ABC123", "DEF456"];
    for (i, booking) in bookings.iter().enumerate() {
        let t = live_token(booking, "SK1415", 60 + i as u8);
        s.put_checkin(booking, &t).await;
        tokens.push(t);
    }
    s.bag_drop(bookings[0], r#"{"matched":false}"#).await;
    s.bag_drop(bookings[0], r#"{"matched":true}"#).await;

    let tables = s.tables().await;
    assert_eq!(
        tables,
        [
            "audit",
            "bags",
            "checkin_audit",
            "checkins",
            "gate_audit",
            "gates"
        ]
    );
    let words = [
        "stored",
        "fetched",
        "boarded",
        "failed_attempt",
        "manual",
        "deleted",
        "expired",
        "match",
        "failed_attempts",
        "used",
    ];
    for table in tables {
        let (columns, rows) = s.rows(&table).await;
        for row in rows {
            for (value, column) in row.iter().zip(&columns) {
                if let common::pg::Value::Text(t) = value {
                    let t = t.as_str();
                    let ok = bags.contains(&t)
                        || bookings.contains(&t)
                        || t == "SK1415"
                        || words.contains(&t)
                        || (column == "token" && tokens.iter().any(|k| k == t));
                    assert!(ok, "{table}.{column} holds an unexpected value");
                }
            }
        }
    }
}

#[tokio::test]
async fn a_version_1_database_is_migrated_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE bags (
                bag_tag TEXT PRIMARY KEY NOT NULL, flight TEXT NOT NULL, token TEXT,
                issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, stored_at INTEGER NOT NULL,
                failed_attempts INTEGER NOT NULL DEFAULT 0, boarded_at INTEGER,
                boarded_by TEXT CHECK (boarded_by IN ('match', 'manual')), token_gone_at INTEGER,
                token_gone_why TEXT CHECK (token_gone_why IN ('boarded', 'failed_attempts', 'expired')),
                updated_at INTEGER NOT NULL);
             CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
                event TEXT NOT NULL, bag_tag TEXT NOT NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
        let t = live_token("0117000071", "SK1415", 71);
        conn.execute(
            "INSERT INTO bags (bag_tag, flight, token, issued_at, expires_at, stored_at, updated_at)
             VALUES ('0117000071', 'SK1415', ?1, ?2, ?3, ?2, ?2)",
            rusqlite::params![t, T0, T0 + 3600],
        )
        .unwrap();
    }
    use sealmatch_server::gates::GateRegistry;
    use sealmatch_server::store::Store;
    let store = sealmatch_server::store::sqlite::SqliteStore::open(&db, RETENTION).unwrap();
    let challenge = sealmatch_server::gates::Challenge::issue(T0 + 1).unwrap();
    let token = store
        .get_token("0117000071", Some(&challenge), T0 + 1)
        .await
        .unwrap();
    assert!(token.contains(".."));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 4);
    let (stored, until): (String, i64) = conn
        .query_row(
            "SELECT challenge, challenge_until FROM bags WHERE bag_tag = '0117000071'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((stored, until), (challenge.value, challenge.expires_at));
    assert_eq!(
        store.gate_count().await.unwrap(),
        0,
        "the gate tables exist"
    );
}
