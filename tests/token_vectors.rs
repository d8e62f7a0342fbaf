//! Replays the published vectors (`tests/vectors/tokens.json`, described in
//! `tests/vectors/README.md`) through the library's public API.

use std::collections::BTreeSet;

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::Aes256Gcm;
use sealmatch::token::base64url;
use sealmatch::{
    check_token, inspect_token, Error, ErrorCode, PassengerKey, TokenHeader, VerifyOptions,
};
use serde_json::Value;

#[path = "../examples/make_vectors.rs"]
mod generator;

fn load() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/tokens.json");
    let text = std::fs::read_to_string(path).expect("tests/vectors/tokens.json");
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["format"], "sealmatch-token-vectors-1");
    doc["vectors"].as_array().unwrap().clone()
}

fn header_json(h: &TokenHeader) -> Value {
    serde_json::json!({
        "version": h.version, "bagTag": h.bag_tag, "flight": h.flight,
        "issuedAt": h.issued_at, "expiresAt": h.expires_at,
    })
}

fn outcome<T>(r: Result<T, Error>, ok: impl FnOnce(T) -> Value) -> Value {
    match r {
        Ok(v) => ok(v),
        Err(e) => serde_json::json!({ "error": e.code().as_str() }),
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn vectors_replay() {
    let vectors = load();
    assert!(vectors.len() >= 30);
    let mut names = BTreeSet::new();
    for v in &vectors {
        let name = v["name"].as_str().unwrap();
        assert!(
            names.insert(name.to_owned()),
            "duplicate vector name {name}"
        );
        let token = v["token"].as_str().unwrap();
        let key = v["passengerKey"].as_str().unwrap();
        let o = &v["verifyOptions"];
        let mut opts = VerifyOptions::new(o["bagTag"].as_str().unwrap());
        opts.flight = o["flight"].as_str().map(str::to_owned);
        opts.now = Some(o["now"].as_u64().unwrap());

        let inspected = outcome(inspect_token(token), |h| header_json(&h));
        assert_eq!(inspected, v["expect"]["inspect"], "{name}: inspect");
        let opened = outcome(
            check_token(token, key, &opts),
            |_| serde_json::json!({ "ok": true }),
        );
        assert_eq!(opened, v["expect"]["open"], "{name}: open");
    }
}

#[test]
fn vector_keys_and_plaintexts_are_consistent() {
    let mut parsed_keys = 0;
    let mut plaintexts = 0;
    for v in load() {
        let name = v["name"].as_str().unwrap();
        let Some(key_hex) = v["keyHex"].as_str() else {
            continue;
        };
        let key_bytes: [u8; 32] = unhex(key_hex).try_into().unwrap();
        // A key string that parses is the string form of keyHex (the others
        // are deliberately malformed forms of it).
        if let Ok(parsed) = PassengerKey::parse(v["passengerKey"].as_str().unwrap()) {
            assert_eq!(
                parsed,
                PassengerKey::from_bytes(key_bytes),
                "{name}: key string vs hex"
            );
            parsed_keys += 1;
        }
        // Where a plaintext is published, the token decrypts to it with the raw
        // key under plain AES-256-GCM (as any JOSE library would do it).
        if let Some(plain) = v["plaintextHex"].as_str() {
            let parts: Vec<&str> = v["token"].as_str().unwrap().split('.').collect();
            let iv: [u8; 12] = base64url::decode(parts[2]).unwrap().try_into().unwrap();
            let tag: [u8; 16] = base64url::decode(parts[4]).unwrap().try_into().unwrap();
            let mut buf = base64url::decode(parts[3]).unwrap();
            let cipher = Aes256Gcm::new((&key_bytes).into());
            cipher
                .decrypt_inout_detached(
                    &iv.into(),
                    parts[0].as_bytes(),
                    buf.as_mut_slice().into(),
                    &tag.into(),
                )
                .unwrap();
            assert_eq!(buf, unhex(plain), "{name}: plaintext");
            plaintexts += 1;
        }
    }
    assert!(
        parsed_keys >= 25 && plaintexts >= 5,
        "{parsed_keys} {plaintexts}"
    );
}

#[test]
fn vectors_cover_every_token_error_code() {
    let mut seen = BTreeSet::new();
    for v in load() {
        for step in ["inspect", "open"] {
            if let Some(code) = v["expect"][step]["error"].as_str() {
                seen.insert(code.to_owned());
            }
        }
    }
    for code in [
        ErrorCode::TokenMalformed,
        ErrorCode::TokenUnsupported,
        ErrorCode::TokenExpired,
        ErrorCode::WrongBag,
        ErrorCode::TokenRejected,
        ErrorCode::KeyMalformed,
    ] {
        assert!(
            seen.contains(code.as_str()),
            "no vector for {}",
            code.as_str()
        );
    }
}

#[test]
fn committed_vectors_are_what_the_generator_writes() {
    let committed = std::fs::read_to_string(generator::PATH).unwrap();
    let fresh = generator::render(&generator::build());
    assert!(
        committed == fresh,
        "tests/vectors/tokens.json is stale: run `cargo run --example make_vectors`"
    );
}
