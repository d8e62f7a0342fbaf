//! Replays the published vectors (`tests/vectors/tokens.json`, described in
//! `tests/vectors/README.md`) through the library's public API.

use std::collections::BTreeSet;

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::Aes256Gcm;
use sealmatch::template::{codec, FaceTemplate, Modality};
use sealmatch::token::base64url;
use sealmatch::{
    check_token, inspect_token, verify, verify_any, Capture, Error, ErrorCode, PassengerKey,
    TokenHeader, VerifyOptions,
};
use sealmatch_synth::{Finger, FingerConfig, Variation};
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

fn options(v: &Value) -> VerifyOptions {
    let o = &v["verifyOptions"];
    let mut opts = VerifyOptions::new(o["bagTag"].as_str().unwrap());
    opts.flight = o["flight"].as_str().map(str::to_owned);
    opts.now = Some(o["now"].as_u64().unwrap());
    opts
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
        let opts = options(v);

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

/// Every valid vector says which modality its content holds; `verify` with a
/// capture of that modality gets to the match, with the other one it is
/// `MODALITY_MISMATCH`. The vectors with format version 1 content (written
/// before the face) still verify with a fingerprint.
#[test]
fn valid_vectors_open_for_their_modality_only() {
    let img = Finger::new(11, &FingerConfig::default()).impression(0, &Variation::gentle());
    let finger = Capture::from_gray(img.width as u32, img.height as u32, &img.pixels, 500).unwrap();
    assert!(finger.is_usable());
    let face = FaceTemplate::from_embedding(&[0.5; 128]).unwrap();
    let (mut faces, mut prints, mut version_1) = (0, 0, 0);
    for v in load() {
        let name = v["name"].as_str().unwrap();
        let modality = &v["expect"]["modality"];
        if v["expect"]["open"]["ok"] != true {
            assert!(modality.is_null(), "{name}: modality of a refused vector");
            continue;
        }
        let (token, key, opts) = (
            v["token"].as_str().unwrap(),
            v["passengerKey"].as_str().unwrap(),
            options(&v),
        );
        let by_finger = verify(&finger, token, key, &opts);
        let by_face = verify_any(&face, token, key, &opts);
        let plain = unhex(v["plaintextHex"].as_str().unwrap());
        let decoded = codec::decode(&plain).unwrap();
        match modality.as_str() {
            Some("fingerprint") => {
                assert_eq!(decoded.modality(), Modality::Fingerprint, "{name}");
                by_finger.unwrap();
                assert_eq!(
                    by_face.unwrap_err().code(),
                    ErrorCode::ModalityMismatch,
                    "{name}"
                );
                prints += 1;
                if plain[0] == codec::FORMAT_VERSION_1 {
                    version_1 += 1;
                }
            }
            Some("face") => {
                assert_eq!(decoded.modality(), Modality::Face, "{name}");
                let score = by_face.unwrap().score;
                assert!((0.0..=1.0).contains(&score), "{name}");
                assert_eq!(
                    by_finger.unwrap_err().code(),
                    ErrorCode::ModalityMismatch,
                    "{name}"
                );
                faces += 1;
            }
            _ => panic!("{name}: expect.modality must be fingerprint or face"),
        }
    }
    assert!(
        faces >= 2 && prints >= 4 && version_1 >= 3,
        "{faces} {prints} {version_1}"
    );
}

/// Face and fingerprint tokens with the same header (and so the same `iat`,
/// `exp`, bag and flight) have the same length.
#[test]
fn face_vectors_have_the_fingerprint_length() {
    let vectors = load();
    let token = |name: &str| {
        let v = vectors.iter().find(|v| v["name"] == name).unwrap();
        v["token"].as_str().unwrap().to_owned()
    };
    let print = token("valid-one-impression-content-v2");
    let face = token("valid-face-one-capture");
    assert_eq!(print.len(), face.len());
    assert_eq!(
        inspect_token(&print).unwrap(),
        inspect_token(&face).unwrap()
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
