//! Kiosk-signed boarding results: with gate keys configured, only a report
//! signed by a registered gate over a live one-time challenge boards a bag.

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::Signature;
use sealmatch::token::base64url;
use sealmatch_server::bags::Boarding;
use sealmatch_server::gates::{self, GateKeys};

fn server() -> Server {
    let keys = GateKeys::parse(&format!(
        "gate1={},staff.desk-2={}",
        public_b64(&gate(1)),
        public_b64(&gate(2))
    ))
    .unwrap();
    Server::with_gate_keys(keys)
}

#[tokio::test]
async fn only_a_signed_result_over_a_live_challenge_boards_a_bag() {
    let s = server();
    let bag = "0117000061";
    s.put_token(bag, &live_token(bag, "SK1415", 61)).await;

    // Unsigned: refused, nothing changes.
    let (status, v) = s.board(bag, r#"{"matched":true}"#).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(v["error"], "bad_proof");
    let c = s.token_challenge(bag).await;

    let good = sign(&gate(1), bag, Boarding::Matched, &c);
    for (body, what) in [
        (
            report(
                Boarding::Matched,
                "gate1",
                &c,
                &sign(&gate(3), bag, Boarding::Matched, &c),
            ),
            "unregistered signer",
        ),
        (report(Boarding::Matched, "gate9", &c, &good), "unknown kid"),
        (
            report(Boarding::Matched, "staff.desk-2", &c, &good),
            "another gate's kid",
        ),
        (
            report(
                Boarding::Matched,
                "gate1",
                &c,
                &sign(&gate(1), bag, Boarding::NotMatched, &c),
            ),
            "signed another result",
        ),
        (
            report(
                Boarding::Matched,
                "gate1",
                &c,
                &sign(&gate(1), "0117000062", Boarding::Matched, &c),
            ),
            "signed another bag",
        ),
        (
            report(
                Boarding::Matched,
                "gate1",
                "AAAAAAAAAAAAAAAAAAAAAA",
                &sign(&gate(1), bag, Boarding::Matched, "AAAAAAAAAAAAAAAAAAAAAA"),
            ),
            "made-up challenge",
        ),
        (
            report(Boarding::Matched, "gate1", &c, &good[..good.len() - 2]),
            "short signature",
        ),
        (
            report(Boarding::Matched, "gate1", &c, "!!"),
            "not base64url",
        ),
    ] {
        let (status, v) = s.board(bag, &body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{what}");
        assert_eq!(v["error"], "bad_proof", "{what}");
    }
    assert_eq!(s.get_token(bag).await.0, StatusCode::OK, "still waiting");
    // The fetch above replaced the challenge: the old signature is stale now.
    let (status, _) = s
        .board(bag, &report(Boarding::Matched, "gate1", &c, &good))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let c = s.token_challenge(bag).await;
    let body = report(
        Boarding::Matched,
        "gate1",
        &c,
        &sign(&gate(1), bag, Boarding::Matched, &c),
    );
    let (status, v) = s.board(bag, &body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "boarded");
    assert_eq!(s.get_token(bag).await.0, StatusCode::NOT_FOUND);
    // A repeated signed report on the boarded bag changes nothing.
    assert_eq!(s.board(bag, &body).await.0, StatusCode::OK);

    // The challenge was used up: the same proof cannot board a fresh bag of the
    // same tag after it was re-enrolled, nor any other bag.
    let other = "0117000062";
    s.put_token(other, &live_token(other, "SK1415", 62)).await;
    let c2 = s.token_challenge(other).await;
    let (status, _) = s
        .board(
            other,
            &report(
                Boarding::Matched,
                "gate1",
                &c,
                &sign(&gate(1), other, Boarding::Matched, &c),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Signed by the second registered device: fine.
    let (status, _) = s
        .board(
            other,
            &report(
                Boarding::Matched,
                "staff.desk-2",
                &c2,
                &sign(&gate(2), other, Boarding::Matched, &c2),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn challenges_expire_and_manual_checks_need_a_signature_too() {
    let s = server();
    let bag = "0117000063";
    s.put_token(bag, &live_token(bag, "SK1415", 63)).await;
    let c = s.token_challenge(bag).await;
    s.clock.advance(gates::CHALLENGE_TTL_SECONDS);
    let (status, v) = s
        .board(
            bag,
            &report(
                Boarding::Matched,
                "gate1",
                &c,
                &sign(&gate(1), bag, Boarding::Matched, &c),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(v["error"], "bad_proof");

    // Non-matches need no signature (they cannot keep a bag on board).
    for _ in 0..3 {
        assert_eq!(s.board(bag, r#"{"matched":false}"#).await.0, StatusCode::OK);
    }
    // The token is gone; a manual check needs a challenge from the challenge endpoint.
    assert_eq!(
        s.board(bag, r#"{"manual":true}"#).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, v) = s.post_challenge(bag).await;
    assert_eq!(status, StatusCode::OK);
    let c = v["challenge"].as_str().unwrap().to_owned();
    assert_eq!(v["expiresAt"], s.clock_now() + gates::CHALLENGE_TTL_SECONDS);
    // A signature for "matched" is not one for "manual".
    let wrong = report(
        Boarding::Manual,
        "staff.desk-2",
        &c,
        &sign(&gate(2), bag, Boarding::Matched, &c),
    );
    assert_eq!(s.board(bag, &wrong).await.0, StatusCode::FORBIDDEN);
    let right = report(
        Boarding::Manual,
        "staff.desk-2",
        &c,
        &sign(&gate(2), bag, Boarding::Manual, &c),
    );
    let (status, v) = s.board(bag, &right).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "boarded");
    // No challenge for a boarded bag; none without a kiosk key.
    assert_eq!(s.post_challenge(bag).await.0, StatusCode::CONFLICT);
    let (status, _, _) = s
        .call(
            Method::POST,
            "/api/bags/0117000064/challenge",
            None,
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_gate_keys_a_proof_is_refused_not_ignored() {
    let s = Server::new();
    let bag = "0117000065";
    s.put_token(bag, &live_token(bag, "SK1415", 65)).await;
    let c = "q1w2e3r4t5y6u7i8o9p0AA";
    let body = report(
        Boarding::Matched,
        "gate1",
        c,
        &sign(&gate(1), bag, Boarding::Matched, c),
    );
    let (status, v) = s.board(bag, &body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(v["error"], "bad_proof");
    assert_eq!(s.board(bag, r#"{"matched":true}"#).await.0, StatusCode::OK);
}

#[tokio::test]
async fn without_gate_keys_no_challenge_is_issued_or_stored() {
    let s = Server::new();
    let bag = "0117000066";
    s.put_token(bag, &live_token(bag, "SK1415", 66)).await;
    let (status, headers, _) = s
        .call(
            Method::GET,
            &format!("/api/bags/{bag}/token"),
            Some(KEY),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!headers.contains_key("sealmatch-challenge"));
    assert_eq!(s.post_challenge(bag).await.0, StatusCode::NOT_FOUND);
    let n = s
        .count("SELECT COUNT(*) FROM bags WHERE challenge IS NOT NULL")
        .await;
    assert_eq!(n, 0);
}

#[tokio::test]
async fn boarding_clears_the_challenge() {
    let s = server();
    let bag = "0117000067";
    s.put_token(bag, &live_token(bag, "SK1415", 67)).await;
    let c = s.token_challenge(bag).await;
    let (_, c2) = s.post_challenge(bag).await;
    assert_ne!(
        c2["challenge"],
        c.as_str(),
        "a new challenge replaces the old one"
    );
    let c2 = c2["challenge"].as_str().unwrap().to_owned();
    let body = report(
        Boarding::Manual,
        "gate1",
        &c2,
        &sign(&gate(1), bag, Boarding::Manual, &c2),
    );
    assert_eq!(s.board(bag, &body).await.0, StatusCode::OK);
    let n = s
        .count("SELECT COUNT(*) FROM bags WHERE challenge IS NOT NULL")
        .await;
    assert_eq!(n, 0);
}

#[test]
fn gate_key_lists_are_checked() {
    let k = public_b64(&gate(1));
    assert_eq!(
        GateKeys::parse(&format!("a={k}, b={}", public_b64(&gate(2))))
            .unwrap()
            .len(),
        2
    );
    let compressed = base64url::encode(gate(1).verifying_key().to_sec1_point(true).as_bytes());
    assert_eq!(
        GateKeys::parse(&format!("a={compressed}")).unwrap().len(),
        1
    );
    for bad in [
        k.clone(),
        format!("a={k},a={}", public_b64(&gate(2))),
        format!("a b={k}"),
        "a=AAAA".to_owned(),
        format!("a={}", &k[..k.len() - 1]),
        format!("={k}"),
    ] {
        assert!(GateKeys::parse(&bad).is_err(), "{bad}");
    }
}

#[test]
fn signatures_verify_whatever_the_s_half() {
    // p256 does not normalise s, and WebCrypto may produce either half: every
    // one of these 32 signatures (about half with a high s) must verify.
    let keys = GateKeys::from_keys(vec![("g".into(), *gate(5).verifying_key())]);
    let mut high = 0;
    for i in 0..32 {
        let c = format!("challenge{i:013}");
        let sig: Signature = gate(5).sign(gates::message("B1", Boarding::Matched, &c).as_bytes());
        if sig.normalize_s() != sig {
            high += 1;
        }
        let p = gates::Proof {
            kid: "g".into(),
            challenge: c.clone(),
            sig: sign(&gate(5), "B1", Boarding::Matched, &c),
        };
        keys.verify("B1", Boarding::Matched, &p).unwrap();
    }
    assert!(high > 0, "no high-s signature was tried");
}
