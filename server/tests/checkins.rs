//! Check-in tokens (`/api/checkins/{bookingRef}/...`) against a real SQLite
//! file in a temp dir, with a manual clock: every status code, the
//! three-failures rule, idempotent use, expiry and retention, the audit's
//! content, the kiosk key, and bag tokens and reconciliation left as they were.

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;

const REF: &str = "ABC123";

/// A check-in token for `booking` valid for an hour from the test clock's start.
fn checkin_token(booking: &str, salt: u8) -> String {
    live_token(booking, "SK1415", salt)
}

/// The bag-drop answer the contract describes.
fn outcome(booking: &str, state: &str, failed: u32, left: u32, staff: bool) -> serde_json::Value {
    serde_json::json!({
        "bookingRef": booking,
        "state": state,
        "failedAttempts": failed,
        "attemptsLeft": left,
        "staffRequired": staff,
    })
}

async fn count(s: &Server, sql: &str) -> i64 {
    s.count(sql).await
}

#[tokio::test]
async fn a_token_is_stored_once_fetched_and_a_different_one_conflicts() {
    let s = Server::new();
    let t = checkin_token(REF, 1);
    let (status, body) = s.put_checkin(REF, &t).await;
    assert_eq!(status, StatusCode::CREATED);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "bookingRef": REF, "flight": "SK1415", "expiresAt": T0 + 3600, "state": "stored"
        })
    );
    // The identical token again (with surrounding whitespace): 200, nothing changes.
    let (status, body) = s.put_checkin(REF, &format!("\n{t} \n")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap(), v);
    // Another token while one is stored: 409.
    let (status, body) = s.put_checkin(REF, &checkin_token(REF, 2)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_code(&body), "conflict");

    let (status, headers, body) = s
        .call(
            Method::GET,
            &format!("/api/checkins/{REF}/token"),
            Some(KEY),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, t);
    assert_eq!(headers["content-type"], "application/jose");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        !headers.contains_key("sealmatch-challenge"),
        "no gate challenge at bag drop"
    );
    assert_eq!(s.checkin_events(REF).await, ["stored", "fetched"]);

    let (status, body) = s.get_checkin("XYZ789").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "not_found");
    assert!(body.contains("no check-in token was stored"));
}

#[tokio::test]
async fn tokens_are_admitted_by_the_bag_token_rules() {
    let s = Server::new();
    let cases: Vec<(String, StatusCode, &str)> = vec![
        ("not a token".into(), StatusCode::BAD_REQUEST, "bad_token"),
        (
            token(REF, "SK1415", T0 - 7200, 3600, 3),
            StatusCode::UNPROCESSABLE_ENTITY,
            "expired",
        ),
        (
            with_header(&format!(
                r#"{{"alg":"dir","enc":"A256GCM","typ":"sealmatch+jwe","v":1,"bag":"{REF}","flt":"SK1415","iat":{T0},"exp":{}}}"#,
                T0 + 86_401
            )),
            StatusCode::BAD_REQUEST,
            "bad_token",
        ),
        (
            token(REF, "SK1415", T0 + 301, 600, 5),
            StatusCode::BAD_REQUEST,
            "bad_token",
        ),
        (
            "A".repeat(16 * 1024 + 1),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
    ];
    for (body, want, code) in cases {
        let (status, answer) = s.put_checkin(REF, &body).await;
        assert_eq!((status, error_code(&answer).as_str()), (want, code));
    }
    assert_eq!(s.get_checkin(REF).await.0, StatusCode::NOT_FOUND);
    assert!(s.checkin_events(REF).await.is_empty());
    // The bounds themselves are accepted: 86400 s of life, iat 300 s ahead.
    let edge = token("EDGE01", "SK1415", T0 + 300, 86_400, 6);
    assert_eq!(s.put_checkin("EDGE01", &edge).await.0, StatusCode::CREATED);
    // Malformed booking references in the path.
    for path in ["ABC-123", "ABCDEFGHIJKLMNOPQRSTU", "%C3%A9t%C3%A9"] {
        let (status, _, body) = s
            .call(
                Method::GET,
                &format!("/api/checkins/{path}/token"),
                Some(KEY),
                Body::empty(),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(error_code(&body), "bad_request");
    }
}

#[tokio::test]
async fn a_token_whose_header_names_another_booking_is_refused() {
    let s = Server::new();
    for other in [
        checkin_token("XYZ789", 7),
        checkin_token("abc123", 8),
        checkin_token("0117000001", 9),
    ] {
        let (status, body) = s.put_checkin(REF, &other).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(error_code(&body), "wrong_bag");
        assert!(body.contains("booking reference"));
    }
    assert_eq!(s.get_checkin(REF).await.0, StatusCode::NOT_FOUND);
    assert_eq!(s.get_checkin("XYZ789").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        count(&s, "SELECT COUNT(*) FROM checkins").await,
        0,
        "nothing stored"
    );
}

#[tokio::test]
async fn a_match_uses_the_token_up_and_repeating_it_is_harmless() {
    let s = Server::new();
    let t = checkin_token(REF, 10);
    s.put_checkin(REF, &t).await;
    assert_eq!(s.get_checkin(REF).await.0, StatusCode::OK);
    let (status, v) = s.bag_drop(REF, r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, outcome(REF, "used", 0, 0, false));
    // Gone from the database file itself.
    assert_eq!(
        count(&s, "SELECT COUNT(*) FROM checkins WHERE token IS NOT NULL").await,
        0
    );
    let (status, body) = s.get_checkin(REF).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("used at bag drop"), "{body}");
    // Idempotent: the same answer, nothing more recorded.
    let (status, again) = s.bag_drop(REF, r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, v);
    // A non-match after use: the token is gone.
    let (status, v) = s.bag_drop(REF, r#"{"matched":false}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["error"], "not_found");
    // The token cannot come back, nor another take its place.
    assert_eq!(s.put_checkin(REF, &t).await.0, StatusCode::CONFLICT);
    assert_eq!(
        s.put_checkin(REF, &checkin_token(REF, 11)).await.0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        s.checkin_events(REF).await,
        ["stored", "fetched", "used", "deleted"]
    );
}

#[tokio::test]
async fn three_failures_delete_the_token_and_send_the_passenger_to_staff() {
    let s = Server::new();
    s.put_checkin(REF, &checkin_token(REF, 12)).await;
    let (status, v) = s.bag_drop(REF, r#"{"matched":false}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, outcome(REF, "stored", 1, 2, false));
    let (_, v) = s.bag_drop(REF, r#"{"matched":false}"#).await;
    assert_eq!(v, outcome(REF, "stored", 2, 1, false));
    assert_eq!(s.get_checkin(REF).await.0, StatusCode::OK, "still there");
    let (status, v) = s.bag_drop(REF, r#"{"matched":false}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, outcome(REF, "deleted", 3, 0, true));

    let (status, body) = s.get_checkin(REF).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("three failed attempts"), "{body}");
    for report in [r#"{"matched":true}"#, r#"{"matched":false}"#] {
        let (status, v) = s.bag_drop(REF, report).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{report}");
        assert!(v["message"].as_str().unwrap().contains("staff"));
    }
    assert_eq!(
        count(&s, "SELECT failed_attempts FROM checkins").await,
        3,
        "never a fourth"
    );
    assert_eq!(
        s.put_checkin(REF, &checkin_token(REF, 13)).await.0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        s.checkin_events(REF).await,
        [
            "stored",
            "failed_attempt",
            "failed_attempt",
            "fetched",
            "failed_attempt",
            "deleted"
        ]
    );

    // Two failures, then a match: used, the failures still counted.
    s.put_checkin("DEF456", &checkin_token("DEF456", 14)).await;
    s.bag_drop("DEF456", r#"{"matched":false}"#).await;
    s.bag_drop("DEF456", r#"{"matched":false}"#).await;
    let (status, v) = s.bag_drop("DEF456", r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v, outcome("DEF456", "used", 2, 0, false));
}

#[tokio::test]
async fn failures_are_counted_across_a_restart() {
    let s = Server::new();
    s.put_checkin(REF, &checkin_token(REF, 15)).await;
    s.bag_drop(REF, r#"{"matched":false}"#).await;
    let s = s.restart();
    s.bag_drop(REF, r#"{"matched":false}"#).await;
    let (_, v) = s.bag_drop(REF, r#"{"matched":false}"#).await;
    assert_eq!(v, outcome(REF, "deleted", 3, 0, true));
}

#[tokio::test]
async fn bag_drop_reports_are_checked() {
    let s = Server::new();
    let (status, v) = s.bag_drop(REF, r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "unknown booking");
    assert_eq!(v["error"], "not_found");
    s.put_checkin(REF, &checkin_token(REF, 16)).await;
    for bad in [
        "",
        "{}",
        "matched",
        r#"{"matched":"true"}"#,
        r#"{"matched":null}"#,
        r#"{"manual":true}"#,
        r#"{"matched":true,"manual":true}"#,
        r#"{"matched":true,"proof":{"kid":"g","challenge":"c","sig":"s"}}"#,
        r#"{"matched":false,"bookingRef":"ABC123"}"#,
    ] {
        let (status, v) = s.bag_drop(REF, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(v["error"], "bad_request");
    }
    let (status, v) = s
        .bag_drop(
            REF,
            &format!(r#"{{"matched":false,"pad":"{}"}}"#, "x".repeat(3000)),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["error"], "too_large");
    let (status, v) = s.bag_drop("ABC-123", r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"], "bad_request");
    assert_eq!(s.checkin_events(REF).await, ["stored"], "nothing counted");

    // Wrong methods and unknown paths under /api/checkins.
    for (method, path, want) in [
        (
            Method::DELETE,
            "/api/checkins/ABC123/token",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::POST,
            "/api/checkins/ABC123/token",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            Method::GET,
            "/api/checkins/ABC123/bagdrop",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (Method::GET, "/api/checkins/ABC123", StatusCode::NOT_FOUND),
    ] {
        let (status, _, body) = s.call(method.clone(), path, Some(KEY), Body::empty()).await;
        assert_eq!(status, want, "{method} {path}");
        assert!(serde_json::from_str::<serde_json::Value>(&body).is_ok());
    }
}

#[tokio::test(start_paused = true)]
async fn stalled_bodies_time_out_with_408() {
    let s = Server::new();
    for (method, path) in [
        (Method::PUT, "/api/checkins/ABC123/token"),
        (Method::POST, "/api/checkins/ABC123/bagdrop"),
    ] {
        let (status, _, body) = s
            .call(method, path, Some(KEY), Body::new(StalledBody))
            .await;
        assert_eq!(status, StatusCode::REQUEST_TIMEOUT, "{path}");
        assert_eq!(error_code(&body), "timeout");
    }
}

#[tokio::test]
async fn a_wrong_or_absent_kiosk_key_gets_nothing_and_changes_nothing() {
    let s = Server::with_opts(Opts {
        admin_key: Some(ADMIN_KEY.to_owned()),
        ..Opts::default()
    });
    let t = checkin_token(REF, 17);
    s.put_checkin(REF, &t).await;
    let other = checkin_token("XYZ789", 18);
    for key in [
        None,
        Some(""),
        Some("wrong-key-0123456789"),
        Some("kiosk-test-key-012345678"),
        Some(ADMIN_KEY),
    ] {
        let requests = [
            (Method::PUT, "/api/checkins/XYZ789/token", other.clone()),
            (Method::GET, "/api/checkins/ABC123/token", String::new()),
            (
                Method::POST,
                "/api/checkins/ABC123/bagdrop",
                r#"{"matched":false}"#.to_owned(),
            ),
            (
                Method::POST,
                "/api/checkins/ABC123/bagdrop",
                r#"{"matched":true}"#.to_owned(),
            ),
        ];
        for (method, path, body) in requests {
            let (status, headers, answer) = s.call(method.clone(), path, key, body).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} {key:?}");
            assert_eq!(error_code(&answer), "unauthorized");
            assert!(headers.contains_key("www-authenticate"));
            assert!(!answer.contains(&t[..40]), "a token leaked to {key:?}");
        }
    }
    // Nothing changed: no fetch, no attempt, no use, no new booking.
    assert_eq!(s.checkin_events(REF).await, ["stored"]);
    assert_eq!(s.get_checkin("XYZ789").await.0, StatusCode::NOT_FOUND);
    let (_, v) = s.bag_drop(REF, r#"{"matched":false}"#).await;
    assert_eq!(v, outcome(REF, "stored", 1, 2, false));
    // The second kiosk key works as well as the first.
    let (status, _, body) = s
        .call(
            Method::GET,
            "/api/checkins/ABC123/token",
            Some(OTHER_KEY),
            Body::empty(),
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, t));
}

#[tokio::test]
async fn expired_tokens_are_swept_refused_and_audited() {
    let s = Server::new();
    let a = token("EXP001", "SK1415", T0, 600, 19);
    let b = token("EXP002", "SK1415", T0, 1200, 20);
    let c = token("EXP003", "SK1415", T0, 1800, 21);
    for (booking, t) in [("EXP001", &a), ("EXP002", &b), ("EXP003", &c)] {
        assert_eq!(s.put_checkin(booking, t).await.0, StatusCode::CREATED);
    }
    s.clock.advance(599);
    assert_eq!(s.state.sweep_now().await.unwrap().expired_checkins, 0);
    assert_eq!(s.get_checkin("EXP001").await.0, StatusCode::OK);
    s.clock.advance(1);
    let report = s.state.sweep_now().await.unwrap();
    assert_eq!(report.expired_checkins, 1);
    assert_eq!(report.expired, 0, "no bag token was touched");
    let (status, body) = s.get_checkin("EXP001").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("expired"), "{body}");
    let (status, v) = s.bag_drop("EXP001", r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(v["message"].as_str().unwrap().contains("expired"));
    assert_eq!(
        s.checkin_events("EXP001").await,
        ["stored", "fetched", "expired"]
    );
    // Without a sweep in between, a token past its expiry is never served or used.
    s.clock.set(T0 + 1200);
    assert_eq!(s.get_checkin("EXP002").await.0, StatusCode::NOT_FOUND);
    s.clock.set(T0 + 1800);
    let (status, _) = s.bag_drop("EXP003", r#"{"matched":false}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(s.state.sweep_now().await.unwrap().expired_checkins, 0);
    assert_eq!(s.checkin_events("EXP002").await, ["stored", "expired"]);
    assert_eq!(s.checkin_events("EXP003").await, ["stored", "expired"]);
    assert_eq!(
        count(&s, "SELECT COUNT(*) FROM checkins WHERE token IS NOT NULL").await,
        0
    );
    // The passenger checks in again: a new token replaces the expired one.
    let again = token("EXP001", "SK1415", T0 + 1800, 600, 22);
    assert_eq!(s.put_checkin("EXP001", &again).await.0, StatusCode::CREATED);
    assert_eq!(s.get_checkin("EXP001").await.1, again);
    // A stored token past its expiry is replaced too, its expiry audited first.
    s.clock.set(T0 + 2400);
    let third = token("EXP001", "SK1415", T0 + 2400, 600, 23);
    assert_eq!(s.put_checkin("EXP001", &third).await.0, StatusCode::CREATED);
    assert_eq!(
        s.checkin_events("EXP001").await,
        ["stored", "fetched", "expired", "stored", "fetched", "expired", "stored"]
    );
}

#[tokio::test]
async fn the_sweeper_task_expires_checkin_tokens() {
    let s = Server::new();
    s.put_checkin(REF, &token(REF, "SK1415", T0, 60, 24)).await;
    s.clock.advance(60);
    let handle =
        sealmatch_server::sweeper::spawn(s.state.clone(), std::time::Duration::from_millis(10));
    let gone = eventually(|| async {
        s.checkin_events(REF).await.last().map(String::as_str) == Some("expired")
    })
    .await;
    handle.abort();
    assert!(gone, "the sweeper did not expire the check-in token");
}

#[tokio::test]
async fn records_and_audit_are_purged_after_the_retention_period() {
    let s = Server::new();
    s.put_checkin(REF, &checkin_token(REF, 25)).await;
    s.bag_drop(REF, r#"{"matched":true}"#).await;
    // Audit rows go RETENTION after their time; the record RETENTION after
    // its token's expiry or last change, whichever is later.
    s.clock.set(T0 + RETENTION);
    let r = s.state.sweep_now().await.unwrap();
    assert_eq!(r.purged_audit, 3, "stored, used, deleted");
    assert_eq!(r.purged_checkins, 0);
    assert!(s.checkin_events(REF).await.is_empty());
    assert_eq!(
        s.put_checkin(REF, &token(REF, "SK1415", T0 + RETENTION, 3600, 26))
            .await
            .0,
        StatusCode::CONFLICT,
        "the record still remembers the use"
    );
    s.clock.set(T0 + 3600 + RETENTION);
    let r = s.state.sweep_now().await.unwrap();
    assert_eq!(r.purged_checkins, 1);
    assert_eq!(count(&s, "SELECT COUNT(*) FROM checkins").await, 0);
    assert_eq!(count(&s, "SELECT COUNT(*) FROM checkin_audit").await, 0);
}

#[tokio::test]
async fn the_audit_holds_events_booking_references_and_times_only() {
    let s = Server::new();
    let bookings = ["AUD001", "AUD002", "AUD003"];
    let mut tokens = Vec::new();
    for (i, booking) in bookings.iter().enumerate() {
        let t = token(booking, "SK1415", T0, 600 * (i as i64 + 1), 30 + i as u8);
        s.put_checkin(booking, &t).await;
        s.get_checkin(booking).await;
        tokens.push(t);
    }
    s.bag_drop("AUD001", r#"{"matched":true}"#).await;
    for _ in 0..3 {
        s.bag_drop("AUD002", r#"{"matched":false}"#).await;
    }
    s.clock.advance(1800);
    s.state.sweep_now().await.unwrap();

    let log = s.state.store.checkin_audit_log(None).await.unwrap();
    let words = [
        "stored",
        "fetched",
        "used",
        "failed_attempt",
        "deleted",
        "expired",
    ];
    assert_eq!(log.len(), 3 * 2 + 2 + 4 + 1);
    for e in &log {
        assert!(words.contains(&e.event.as_str()), "{}", e.event);
        assert!(bookings.contains(&e.booking_ref.as_str()));
        assert!((T0..=T0 + 1800).contains(&e.at));
    }
    // The file: the audit table has exactly these columns and values, and
    // no token text is left anywhere once every token is gone.
    let (columns, rows) = s.rows("checkin_audit").await;
    assert_eq!(columns, ["id", "at", "event", "booking_ref"]);
    for row in rows {
        let (common::pg::Value::Text(event), common::pg::Value::Text(booking)) = (&row[2], &row[3])
        else {
            panic!("checkin_audit holds a row of other types");
        };
        assert!(words.contains(&event.as_str()) && bookings.contains(&booking.as_str()));
    }
    for table in s.tables().await {
        for row in s.rows(&table).await.1 {
            for value in row {
                if let common::pg::Value::Text(v) = value {
                    for t in &tokens {
                        for seg in t.split('.').filter(|seg| seg.len() >= 16) {
                            assert!(!v.contains(seg), "{table} holds token text");
                        }
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn bag_tokens_and_reconciliation_are_unchanged_by_checkins() {
    let s = Server::new();
    // A bag tag may even equal a booking reference: the two are apart.
    let bags = ["0117000001", "0117000002", REF];
    let mut bag_tokens = Vec::new();
    for (i, bag) in bags.iter().enumerate() {
        let t = live_token(bag, "SK1415", 40 + i as u8);
        assert_eq!(s.put_token(bag, &t).await.0, StatusCode::CREATED);
        bag_tokens.push(t);
    }
    let c = checkin_token(REF, 50);
    assert_eq!(s.put_checkin(REF, &c).await.0, StatusCode::CREATED);
    // Neither endpoint takes the other's token under that name.
    assert_eq!(s.get_token(REF).await.1, bag_tokens[2]);
    assert_eq!(s.get_checkin(REF).await.1, c);
    let (_, rec) = s.reconciliation("SK1415").await;
    let expected = serde_json::json!({
        "flight": "SK1415",
        "bags": [
            {"bagTag": "0117000001", "state": "waiting"},
            {"bagTag": "0117000002", "state": "waiting"},
            {"bagTag": REF, "state": "waiting"}
        ],
        "offload": ["0117000001", "0117000002", REF]
    });
    assert_eq!(rec, expected);
    // Using the check-in token leaves the bag of the same name alone.
    s.bag_drop(REF, r#"{"matched":true}"#).await;
    assert_eq!(s.get_token(REF).await.1, bag_tokens[2]);
    assert_eq!(s.reconciliation("SK1415").await.1, expected);
    // Three failures on a check-in token do not touch any bag.
    s.put_checkin("DEF456", &checkin_token("DEF456", 51)).await;
    for _ in 0..3 {
        s.bag_drop("DEF456", r#"{"matched":false}"#).await;
    }
    s.board("0117000001", r#"{"matched":true}"#).await;
    let (_, rec) = s.reconciliation("SK1415").await;
    assert_eq!(rec["offload"], serde_json::json!(["0117000002", REF]));
    assert_eq!(s.audit_events(REF).await, ["stored", "fetched", "fetched"]);
    assert_eq!(
        s.checkin_events(REF).await,
        ["stored", "fetched", "used", "deleted"]
    );
    // Expiry of both kinds, counted apart.
    s.clock.advance(3600);
    let r = s.state.sweep_now().await.unwrap();
    assert_eq!((r.expired, r.expired_checkins), (2, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_non_matches_are_counted_once_each() {
    let s = std::sync::Arc::new(Server::new());
    s.put_checkin(REF, &checkin_token(REF, 60)).await;
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.bag_drop(REF, r#"{"matched":false}"#).await })
        })
        .collect();
    let mut answered = Vec::new();
    let mut gone = 0;
    for t in tasks {
        let (status, v) = t.await.unwrap();
        match status {
            StatusCode::OK => answered.push(v["failedAttempts"].as_u64().unwrap()),
            StatusCode::NOT_FOUND => gone += 1,
            other => panic!("unexpected {other}"),
        }
    }
    answered.sort_unstable();
    assert_eq!(answered, [1, 2, 3]);
    assert_eq!(gone, 3);
    let events = s.checkin_events(REF).await;
    assert_eq!(events.iter().filter(|e| *e == "failed_attempt").count(), 3);
    assert_eq!(events.iter().filter(|e| *e == "deleted").count(), 1);
}

#[tokio::test]
async fn a_version_3_database_gains_the_checkin_tables_and_keeps_its_bags() {
    let s = Server::sqlite_only();
    let t = live_token("0117000071", "SK1415", 71);
    s.put_token("0117000071", &t).await;
    let Server { dir, db, .. } = s;
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TABLE checkins; DROP TABLE checkin_audit; PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    use sealmatch_server::store::Store;
    let store = sealmatch_server::store::sqlite::SqliteStore::open(&db, RETENTION).unwrap();
    assert_eq!(store.get_token("0117000071", None, T0).await.unwrap(), t);
    let c = checkin_token(REF, 72);
    let facts = sealmatch_server::tokencheck::admit(&c, REF, T0).unwrap();
    store.put_checkin(&c, &facts, T0).await.unwrap();
    assert_eq!(store.get_checkin(REF, T0).await.unwrap(), c);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 4);
    drop(dir);
}

#[test]
fn openapi_documents_the_checkin_endpoints() {
    let spec = include_str!("../openapi.yaml");
    assert!(spec.contains("  - name: checkins\n"));
    assert_eq!(spec.matches("tags: [checkins]").count(), 3);
    for item in [
        "/api/checkins/{bookingRef}/token:",
        "/api/checkins/{bookingRef}/bagdrop:",
        "BagDropOutcome:",
        "staffRequired",
        "BookingRef:",
    ] {
        assert!(spec.contains(item), "{item} missing from openapi.yaml");
    }
}
