//! Gate devices registered at run time with the admin key (`/api/gates/{kid}`),
//! and the signing policy: required once any gate key exists, or always with
//! `SEALMATCH_GATE_SIGNING=required`.

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use sealmatch_server::bags::Boarding;
use sealmatch_server::config::Config;

fn admin_server() -> Server {
    Server::with_opts(Opts {
        admin_key: Some(ADMIN_KEY.into()),
        ..Opts::default()
    })
}

fn required_server() -> Server {
    Server::with_opts(Opts {
        admin_key: Some(ADMIN_KEY.into()),
        signing_required: true,
        ..Opts::default()
    })
}

fn registration(seed: u8) -> String {
    format!(r#"{{"publicKey":"{}"}}"#, public_b64(&gate(seed)))
}

async fn register(s: &Server, kid: &str, key: Option<&str>, body: &str) -> (StatusCode, String) {
    let (status, _, body) = s
        .call(
            Method::PUT,
            &format!("/api/gates/{kid}"),
            key,
            body.to_owned(),
        )
        .await;
    (status, body)
}

async fn revoke(s: &Server, kid: &str, key: Option<&str>) -> (StatusCode, String) {
    let (status, _, body) = s
        .call(
            Method::DELETE,
            &format!("/api/gates/{kid}"),
            key,
            Body::empty(),
        )
        .await;
    (status, body)
}

async fn gate_info(s: &Server, kid: &str) -> serde_json::Value {
    let (status, _, body) = s
        .call(
            Method::GET,
            &format!("/api/gates/{kid}"),
            Some(KEY),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn challenge(s: &Server, bag: &str) -> String {
    let (status, v) = s.post_challenge(bag).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["challenge"].as_str().unwrap().to_owned()
}

/// A report for `bag` signed by `seed`'s key under `kid` over a fresh challenge.
async fn signed(s: &Server, bag: &str, result: Boarding, kid: &str, seed: u8) -> String {
    let c = challenge(s, bag).await;
    report(result, kid, &c, &sign(&gate(seed), bag, result, &c))
}

async fn state_of(s: &Server, bag: &str) -> String {
    let (_, rec) = s.reconciliation("SK1415").await;
    rec["bags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["bagTag"] == bag)
        .map(|b| b["state"].as_str().unwrap().to_owned())
        .unwrap()
}

#[tokio::test]
async fn registration_needs_the_admin_key_and_kiosk_keys_are_refused() {
    // Without SEALMATCH_ADMIN_KEY registration is disabled (404 to a kiosk;
    // any other key is not known at all: 401).
    let s = Server::new();
    for (key, want) in [
        (KEY, StatusCode::NOT_FOUND),
        (ADMIN_KEY, StatusCode::UNAUTHORIZED),
    ] {
        let (status, body) = register(&s, "gate-a", Some(key), &registration(1)).await;
        assert_eq!(status, want, "{body}");
    }
    assert_eq!(s.state.store.gate_count().await.unwrap(), 0);

    let s = admin_server();
    for key in [
        None,
        Some(KEY),
        Some(OTHER_KEY),
        Some("admin-test-key-987654321"),
    ] {
        let (status, body) = register(&s, "gate-a", key, &registration(1)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{key:?}");
        assert_eq!(error_code(&body), "unauthorized");
        let (status, _) = revoke(&s, "gate-a", key).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{key:?}");
    }
    assert_eq!(
        s.state.store.gate_count().await.unwrap(),
        0,
        "nothing registered"
    );
    assert_eq!(gate_info(&s, "gate-a").await["registered"], false);
    // The admin key is not a kiosk key.
    let (status, _, _) = s
        .call(
            Method::PUT,
            "/api/bags/0117000081/token",
            Some(ADMIN_KEY),
            live_token("0117000081", "SK1415", 81),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Bad ids and bodies.
    for (kid, body) in [
        ("gate%20a", registration(1)),
        (&"g".repeat(65), registration(1)),
        ("gate-a", r#"{"publicKey":"AAAA"}"#.to_owned()),
        ("gate-a", r#"{"publicKey":"x","extra":1}"#.to_owned()),
        ("gate-a", "not json".to_owned()),
        (
            "gate-a",
            format!(r#"{{"publicKey":"{}"}}"#, "A".repeat(300)),
        ),
    ] {
        let (status, answer) = register(&s, kid, Some(ADMIN_KEY), &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{kid} {body}: {answer}");
    }
    let (status, _) = register(&s, "gate-a", Some(ADMIN_KEY), &"x".repeat(2000)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    // Registered; the same key again is 200; another key under the id is 409.
    let (status, body) = register(&s, "gate-a", Some(ADMIN_KEY), &registration(1)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["registeredAt"], T0);
    let (status, _) = register(&s, "gate-a", Some(ADMIN_KEY), &registration(1)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = register(&s, "gate-a", Some(ADMIN_KEY), &registration(2)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_code(&body), "conflict");
    let info = gate_info(&s, "gate-a").await;
    assert_eq!(
        info,
        serde_json::json!({ "kid": "gate-a", "gateSigning": true, "registered": true,
                            "source": "registered", "registeredAt": T0 })
    );
    // The audit keeps the key id and the time only.
    let audit = s.state.store.gate_audit_log().await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (audit[0].at, audit[0].event.as_str(), audit[0].kid.as_str()),
        (T0, "gate_registered", "gate-a")
    );
}

#[tokio::test]
async fn a_registered_gate_survives_a_restart_and_signs_boardings() {
    let s = admin_server();
    let bag = "0117000082";
    s.put_token(bag, &live_token(bag, "SK1415", 82)).await;
    assert_eq!(
        register(&s, "gate-b", Some(ADMIN_KEY), &registration(3))
            .await
            .0,
        StatusCode::CREATED
    );
    let s = s.restart();
    assert_eq!(gate_info(&s, "gate-b").await["registered"], true);
    // Unsigned: refused now that a gate exists.
    let (status, v) = s.board(bag, r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(v["error"], "bad_proof");
    // Signed by another key under the registered id: refused.
    let body = signed(&s, bag, Boarding::Matched, "gate-b", 4).await;
    assert_eq!(s.board(bag, &body).await.0, StatusCode::FORBIDDEN);
    assert_eq!(state_of(&s, bag).await, "waiting");
    // Signed by the registered key: boarded.
    let body = signed(&s, bag, Boarding::Matched, "gate-b", 3).await;
    let (status, v) = s.board(bag, &body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "boarded");
}

#[tokio::test]
async fn a_revoked_gates_signature_is_refused() {
    let s = admin_server();
    let (one, two) = ("0117000083", "0117000084");
    for (bag, salt) in [(one, 83), (two, 84)] {
        s.put_token(bag, &live_token(bag, "SK1415", salt)).await;
    }
    register(&s, "gate-c", Some(ADMIN_KEY), &registration(5)).await;
    register(&s, "gate-d", Some(ADMIN_KEY), &registration(6)).await;
    let body = signed(&s, one, Boarding::Matched, "gate-c", 5).await;
    assert_eq!(s.board(one, &body).await.0, StatusCode::OK);

    // A kiosk key cannot revoke; the admin key can, once.
    assert_eq!(
        revoke(&s, "gate-c", Some(KEY)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = revoke(&s, "gate-c", Some(ADMIN_KEY)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        revoke(&s, "gate-c", Some(ADMIN_KEY)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(gate_info(&s, "gate-c").await["registered"], false);

    // A signature made by the revoked gate, over a live challenge, is refused.
    for result in [Boarding::Matched, Boarding::Manual] {
        let body = signed(&s, two, result, "gate-c", 5).await;
        let (status, v) = s.board(two, &body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{result:?}");
        assert_eq!(v["error"], "bad_proof");
    }
    assert_eq!(state_of(&s, two).await, "waiting");
    // Another gate still works; signing stays required while it exists.
    let body = signed(&s, two, Boarding::Matched, "gate-d", 6).await;
    assert_eq!(s.board(two, &body).await.0, StatusCode::OK);

    let events: Vec<_> = s
        .state
        .store
        .gate_audit_log()
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.event, e.kid))
        .collect();
    assert_eq!(
        events,
        [
            ("gate_registered".to_owned(), "gate-c".to_owned()),
            ("gate_registered".to_owned(), "gate-d".to_owned()),
            ("gate_revoked".to_owned(), "gate-c".to_owned()),
        ]
    );
}

#[tokio::test]
async fn with_signing_required_unsigned_boardings_are_refused_before_any_gate() {
    let s = required_server();
    let bag = "0117000085";
    s.put_token(bag, &live_token(bag, "SK1415", 85)).await;
    let (_, _, health) = s
        .call(Method::GET, "/api/health", None, Body::empty())
        .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&health).unwrap()["gateSigning"],
        true
    );
    // The token comes with a challenge even though no gate exists yet.
    s.token_challenge(bag).await;
    for body in [r#"{"matched":true}"#, r#"{"manual":true}"#] {
        let (status, v) = s.board(bag, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(v["error"], "bad_proof");
    }
    // A proof by a key nobody registered is refused too.
    let body = signed(&s, bag, Boarding::Matched, "gate-e", 7).await;
    assert_eq!(s.board(bag, &body).await.0, StatusCode::FORBIDDEN);
    assert_eq!(state_of(&s, bag).await, "waiting");
    // A non-match never needs a proof.
    let (status, v) = s.board(bag, r#"{"matched":false}"#).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["failedAttempts"], 1);
    // Once the gate is registered, its signature boards the bag.
    register(&s, "gate-e", Some(ADMIN_KEY), &registration(7)).await;
    let body = signed(&s, bag, Boarding::Matched, "gate-e", 7).await;
    assert_eq!(s.board(bag, &body).await.0, StatusCode::OK);
    assert_eq!(state_of(&s, bag).await, "boarded");
}

#[tokio::test]
async fn without_the_policy_signing_follows_the_registered_gates() {
    let s = admin_server();
    let bags = ["0117000086", "0117000087", "0117000088"];
    for (i, bag) in bags.iter().enumerate() {
        s.put_token(bag, &live_token(bag, "SK1415", 86 + i as u8))
            .await;
    }
    // No gate yet: unsigned reports board (the reference server's default).
    assert_eq!(
        s.board(bags[0], r#"{"matched":true}"#).await.0,
        StatusCode::OK
    );
    register(&s, "gate-f", Some(ADMIN_KEY), &registration(8)).await;
    assert_eq!(
        s.board(bags[1], r#"{"matched":true}"#).await.0,
        StatusCode::FORBIDDEN
    );
    // Revoking the last gate turns signing off again (deployments that must
    // never fall back set SEALMATCH_GATE_SIGNING=required).
    revoke(&s, "gate-f", Some(ADMIN_KEY)).await;
    assert_eq!(gate_info(&s, "gate-f").await["gateSigning"], false);
    assert_eq!(
        s.board(bags[2], r#"{"matched":true}"#).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn configured_gate_ids_cannot_be_replaced_or_revoked_at_run_time() {
    let keys = sealmatch_server::gates::GateKeys::parse(&format!("gate1={}", public_b64(&gate(9))))
        .unwrap();
    let s = Server::with_opts(Opts {
        gate_keys: keys,
        admin_key: Some(ADMIN_KEY.into()),
        ..Opts::default()
    });
    assert_eq!(
        register(&s, "gate1", Some(ADMIN_KEY), &registration(10))
            .await
            .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        revoke(&s, "gate1", Some(ADMIN_KEY)).await.0,
        StatusCode::CONFLICT
    );
    let info = gate_info(&s, "gate1").await;
    assert_eq!(info["source"], "configured");
    // A configured key and a registered one both sign.
    register(&s, "gate-g", Some(ADMIN_KEY), &registration(11)).await;
    for (bag, kid, seed) in [("0117000089", "gate1", 9), ("0117000090", "gate-g", 11)] {
        s.put_token(bag, &live_token(bag, "SK1415", seed)).await;
        let body = signed(&s, bag, Boarding::Matched, kid, seed).await;
        assert_eq!(s.board(bag, &body).await.0, StatusCode::OK, "{kid}");
    }
}

#[tokio::test]
async fn the_gate_tables_hold_only_key_ids_public_keys_and_times() {
    let s = admin_server();
    register(&s, "gate-h", Some(ADMIN_KEY), &registration(12)).await;
    register(&s, "gate-i", Some(ADMIN_KEY), &registration(13)).await;
    revoke(&s, "gate-i", Some(ADMIN_KEY)).await;
    use common::pg::Value;
    let (_, gates) = s.rows("gates").await;
    assert_eq!(
        gates,
        [vec![
            Value::Text("gate-h".into()),
            Value::Text(public_b64(&gate(12))),
            Value::Int(T0)
        ]]
    );
    let (columns, audit) = s.rows("gate_audit").await;
    assert_eq!(columns, ["id", "at", "event", "kid"]);
    let audit: Vec<(i64, String)> = audit
        .into_iter()
        .map(|row| match &row[..] {
            [Value::Int(_), Value::Int(at), Value::Text(_), Value::Text(kid)] => (*at, kid.clone()),
            other => panic!("gate_audit row {other:?}"),
        })
        .collect();
    assert_eq!(audit.len(), 3);
    assert!(audit
        .iter()
        .all(|(at, kid)| *at == T0 && kid.starts_with("gate-")));
    // Gate audit rows go with the retention period, like the bag audit.
    s.clock.advance(RETENTION + 1);
    let report = s.state.sweep_now().await.unwrap();
    assert_eq!(report.purged_audit, 3);
    assert!(s.state.store.gate_audit_log().await.unwrap().is_empty());
    assert_eq!(
        s.state.store.gate_count().await.unwrap(),
        1,
        "the gate itself stays"
    );
}

#[test]
fn admin_key_and_signing_policy_are_checked_at_start() {
    let cfg = |vars: &[(&str, &str)]| {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(move |k| {
            if k == "SEALMATCH_KIOSK_KEYS" {
                return Some(KEY.into());
            }
            vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        })
    };
    let c = cfg(&[
        ("SEALMATCH_ADMIN_KEY", ADMIN_KEY),
        ("SEALMATCH_GATE_SIGNING", "required"),
    ])
    .unwrap();
    assert_eq!(c.admin_key.as_deref(), Some(ADMIN_KEY));
    assert!(c.gate_signing_required);
    assert!(
        !format!("{c:?}").contains(ADMIN_KEY),
        "Debug hides the admin key"
    );
    let c = cfg(&[("SEALMATCH_GATE_SIGNING", "auto")]).unwrap();
    assert!(!c.gate_signing_required && c.admin_key.is_none());
    for (var, value) in [
        ("SEALMATCH_ADMIN_KEY", "short"),
        ("SEALMATCH_ADMIN_KEY", "admin key with spaces 123"),
        ("SEALMATCH_ADMIN_KEY", KEY),
        ("SEALMATCH_GATE_SIGNING", "yes"),
    ] {
        let e = cfg(&[(var, value)]).unwrap_err();
        assert!(e.contains(var), "{var}={value}: {e}");
    }
}
