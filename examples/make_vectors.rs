//! Writes the published token test vectors, `tests/vectors/tokens.json`.
//!
//! `cargo run --example make_vectors` (from the repository root). The output is
//! deterministic: fixed keys, fixed (distinct) IVs, synthetic templates made
//! up here (no fingerprint or face data: minutiae on a spiral, embeddings
//! from a sine). Tokens are assembled here from their parts
//! with AES-256-GCM directly, not with `sealmatch::token::seal`, so refused
//! tokens (another version, an extra member, ...) can be authentic too; the
//! expectations are written by hand per case. `tests/token_vectors.rs`
//! replays the file through the library and checks that this generator
//! still writes exactly the committed file.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::Aes256Gcm;
use sealmatch::template::{codec, FaceTemplate, Minutia, MinutiaKind, Template, EMBEDDING_LEN};
use sealmatch::token::base64url;
use sealmatch::PassengerKey;
use serde_json::{json, Value};

const IAT: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A made-up template: minutiae on a spiral, deterministic from `seed`.
fn synthetic_template(seed: u16, count: u16) -> Template {
    let minutiae = (0..count)
        .map(|i| {
            let t = f32::from(i) * 0.61 + f32::from(seed);
            let r = 20.0 + 6.0 * f32::from(i);
            Minutia {
                x: (160.0 + r * t.cos()).clamp(0.0, 319.0) as u16,
                y: (180.0 + r * t.sin()).clamp(0.0, 359.0) as u16,
                direction: (i.wrapping_mul(37).wrapping_add(seed)) as u8,
                kind: if (i + seed).is_multiple_of(3) {
                    MinutiaKind::Bifurcation
                } else {
                    MinutiaKind::Ending
                },
                quality: (40 + (i * 7 + seed) % 61) as u8,
            }
        })
        .collect();
    Template {
        width: 320,
        height: 360,
        dpi: 500,
        minutiae,
    }
}

/// Fingerprint content in the current format (version 2).
fn enrollment_v2(impressions: u16) -> Vec<u8> {
    let ts: Vec<Template> = (0..impressions)
        .map(|i| synthetic_template(i + 1, 24 + 5 * i))
        .collect();
    codec::encode_enrollment(&ts).unwrap().to_vec()
}

/// Fingerprint content in format version 1, as tokens made before the face
/// had it: version 2 without the modality byte, under version byte 1. The
/// first vectors were published with it and stay byte for byte the same.
fn enrollment(impressions: u16) -> Vec<u8> {
    let v2 = enrollment_v2(impressions);
    assert_eq!(v2[1], codec::MODALITY_FINGERPRINT);
    let mut v1 = vec![codec::FORMAT_VERSION_1];
    v1.extend_from_slice(&v2[2..]);
    v1
}

/// A made-up face embedding: a sine, deterministic from `seed`.
fn synthetic_face(seed: u16) -> FaceTemplate {
    let v: Vec<f32> = (0..EMBEDDING_LEN)
        .map(|i| (i as f32 * (0.37 + f32::from(seed) * 0.11) + f32::from(seed)).sin())
        .collect();
    FaceTemplate::from_embedding(&v).unwrap()
}

/// Face content of `captures` synthetic faces.
fn face_enrollment(captures: u16) -> Vec<u8> {
    let faces: Vec<FaceTemplate> = (0..captures).map(|i| synthetic_face(i + 1)).collect();
    codec::encode_faces(&faces).unwrap().to_vec()
}

fn header_json(bag: &str, flt: &str, iat: u64, exp: u64) -> String {
    format!(
        r#"{{"alg":"dir","enc":"A256GCM","typ":"sealmatch+jwe","v":1,"bag":"{bag}","flt":"{flt}","iat":{iat},"exp":{exp}}}"#
    )
}

/// A compact JWE of `header` (used verbatim as JSON), sealed with AES-256-GCM.
fn seal(header: &str, key: &[u8; 32], iv: [u8; 12], plaintext: &[u8]) -> String {
    let protected = base64url::encode(header.as_bytes());
    let cipher = Aes256Gcm::new(key.into());
    let mut buffer = plaintext.to_vec();
    let tag = cipher
        .encrypt_inout_detached(
            &iv.into(),
            protected.as_bytes(),
            buffer.as_mut_slice().into(),
        )
        .unwrap();
    format!(
        "{protected}..{}.{}.{}",
        base64url::encode(&iv),
        base64url::encode(&buffer),
        base64url::encode(&tag)
    )
}

fn iv(n: u8) -> [u8; 12] {
    std::array::from_fn(|i| n.wrapping_mul(31).wrapping_add(i as u8 * 7))
}

fn segments(token: &str) -> Vec<String> {
    token.split('.').map(str::to_owned).collect()
}

/// Flips one bit of the decoded segment `index` and re-encodes it.
fn flip(token: &str, index: usize, byte: usize, bit: u8) -> String {
    let mut s = segments(token);
    let mut bytes = base64url::decode(&s[index]).unwrap();
    bytes[byte] ^= 1 << bit;
    s[index] = base64url::encode(&bytes);
    s.join(".")
}

struct Key {
    bytes: [u8; 32],
    text: String,
}

fn key(bytes: [u8; 32]) -> Key {
    let text = PassengerKey::from_bytes(bytes).to_key_string().to_string();
    Key { bytes, text }
}

fn header_value(bag: &str, flt: &str, iat: u64, exp: u64) -> Value {
    json!({ "version": 1, "bagTag": bag, "flight": flt, "issuedAt": iat, "expiresAt": exp })
}

fn error(code: &str) -> Value {
    json!({ "error": code })
}

/// Adds what a valid vector's content holds: `verify` with a capture of the
/// other modality is `MODALITY_MISMATCH`, after every check of `open`.
fn with_modality(mut v: Value, modality: &str) -> Value {
    v["expect"]["modality"] = json!(modality);
    v
}

#[allow(clippy::too_many_arguments)]
fn vector(
    name: &str,
    description: &str,
    token: &str,
    key_text: &str,
    key_hex: Option<&[u8; 32]>,
    options: (&str, Option<&str>, u64),
    inspect: Value,
    open: Value,
    plaintext: Option<&[u8]>,
) -> Value {
    let mut v = json!({
        "name": name,
        "description": description,
        "token": token,
        "passengerKey": key_text,
        "keyHex": key_hex.map(|k| hex(k)),
        "verifyOptions": { "bagTag": options.0, "flight": options.1, "now": options.2 },
        "expect": { "inspect": inspect, "open": open },
    });
    if let Some(p) = plaintext {
        v["plaintextHex"] = json!(hex(p));
    }
    v
}

/// The whole vector document.
pub fn build() -> Value {
    let k1 = key(std::array::from_fn(|i| i as u8));
    let k2 = key(std::array::from_fn(|i| 0xa0 ^ (i as u8 * 3)));
    let ok = json!({ "ok": true });

    let (bag1, bag2, bag3) = ("0117123456", "0117123457", "ABC123xyz");
    let exp1 = IAT + HOUR;
    let h1 = header_json(bag1, "SK1415", IAT, exp1);
    let c1 = enrollment(1);
    let t1 = seal(&h1, &k1.bytes, iv(1), &c1);
    let h1v = header_value(bag1, "SK1415", IAT, exp1);

    let h2 = header_json(bag2, "SK1415", IAT + 30, IAT + 30 + HOUR);
    let c2 = enrollment(3);
    let t2 = seal(&h2, &k1.bytes, iv(2), &c2);
    let h2v = header_value(bag2, "SK1415", IAT + 30, IAT + 30 + HOUR);

    let exp3 = IAT + DAY;
    let h3 = header_json(bag3, "LH2441", IAT, exp3);
    let c3 = enrollment(2);
    let t3 = seal(&h3, &k2.bytes, iv(3), &c3);
    let h3v = header_value(bag3, "LH2441", IAT, exp3);

    let in_time = (bag1, Some("SK1415"), IAT + 60);
    let no_flight = (bag1, None, IAT + 60);
    let m = || error("TOKEN_MALFORMED");
    let u = || error("TOKEN_UNSUPPORTED");
    let r = || error("TOKEN_REJECTED");
    let k1b = Some(&k1.bytes);
    // An authentic token of valid-one-impression's header and key whose
    // content is refused with `code` after decryption.
    let bad_content = |name: &str, description: &str, n: u8, content: &[u8], code: Value| {
        vector(
            name,
            description,
            &seal(&h1, &k1.bytes, iv(n), content),
            &k1.text,
            k1b,
            no_flight,
            h1v.clone(),
            code,
            Some(content),
        )
    };

    let fp = "fingerprint";
    let mut v = vec![
        with_modality(
            vector(
                "valid-one-impression",
                "A valid token of one impression, checked with bag tag and flight.",
                &t1,
                &k1.text,
                k1b,
                in_time,
                h1v.clone(),
                ok.clone(),
                Some(&c1),
            ),
            fp,
        ),
        with_modality(
            vector(
                "valid-three-impressions-same-key",
                "A second bag of the same passenger (same key), three impressions; no flight given.",
                &t2,
                &k1.text,
                k1b,
                (bag2, None, IAT + 30),
                h2v.clone(),
                ok.clone(),
                Some(&c2),
            ),
            fp,
        ),
        with_modality(
            vector(
                "valid-two-impressions-last-second",
                "A token with the longest life (86400 s), opened in its last second (now = exp - 1).",
                &t3,
                &k2.text,
                Some(&k2.bytes),
                (bag3, Some("LH2441"), exp3 - 1),
                h3v.clone(),
                ok.clone(),
                Some(&c3),
            ),
            fp,
        ),
        vector(
            "wrong-bag",
            "The token is presented for another bag tag.",
            &t1,
            &k1.text,
            k1b,
            (bag2, None, IAT + 60),
            h1v.clone(),
            error("WRONG_BAG"),
            None,
        ),
        vector(
            "wrong-bag-case",
            "Bag tags compare exactly, case included.",
            &t3,
            &k2.text,
            Some(&k2.bytes),
            ("abc123XYZ", None, IAT),
            h3v.clone(),
            error("WRONG_BAG"),
            None,
        ),
        vector(
            "wrong-flight",
            "The flight, when given, differs from the header.",
            &t1,
            &k1.text,
            k1b,
            (bag1, Some("SK1416"), IAT + 60),
            h1v.clone(),
            error("WRONG_BAG"),
            None,
        ),
        vector(
            "expired-at-exp",
            "A token is expired from its exp on (now = exp).",
            &t1,
            &k1.text,
            k1b,
            (bag1, None, exp1),
            h1v.clone(),
            error("TOKEN_EXPIRED"),
            None,
        ),
        vector(
            "expired-and-wrong-bag",
            "Order of checks: bag before expiry.",
            &t1,
            &k1.text,
            k1b,
            (bag2, None, exp1 + 100),
            h1v.clone(),
            error("WRONG_BAG"),
            None,
        ),
        vector(
            "wrong-key",
            "Another passenger's key: authentication fails.",
            &t1,
            &k2.text,
            Some(&k2.bytes),
            no_flight,
            h1v.clone(),
            r(),
            None,
        ),
        vector(
            "expired-and-wrong-key",
            "Order of checks: expiry before decryption.",
            &t1,
            &k2.text,
            Some(&k2.bytes),
            (bag1, None, exp1),
            h1v.clone(),
            error("TOKEN_EXPIRED"),
            None,
        ),
        vector(
            "tampered-tag",
            "One bit of the authentication tag flipped.",
            &flip(&t1, 4, 0, 0),
            &k1.text,
            k1b,
            no_flight,
            h1v.clone(),
            r(),
            None,
        ),
        vector(
            "tampered-ciphertext",
            "One bit of the ciphertext flipped.",
            &flip(&t1, 3, 100, 7),
            &k1.text,
            k1b,
            no_flight,
            h1v.clone(),
            r(),
            None,
        ),
        vector(
            "tampered-iv",
            "One bit of the IV flipped.",
            &flip(&t1, 2, 11, 3),
            &k1.text,
            k1b,
            no_flight,
            h1v.clone(),
            r(),
            None,
        ),
    ];

    let s1 = segments(&t1);
    let s2 = segments(&t2);
    let swapped = [
        s2[0].clone(),
        String::new(),
        s1[2].clone(),
        s1[3].clone(),
        s1[4].clone(),
    ]
    .join(".");
    v.push(vector("header-swapped", "The header of the passenger's other bag on this token's body: inspect shows the other bag, but the header is the GCM additional data, so authentication fails.",
        &swapped, &k1.text, k1b, (bag2, None, IAT + 60), h2v.clone(), r(), None));
    let respelled = h1.replace(',', ", ");
    let mut s = s1.clone();
    s[0] = base64url::encode(respelled.as_bytes());
    v.push(vector("header-respelled", "The same header fields in other JSON spelling (spaces): a different header segment, so authentication fails.",
        &s.join("."), &k1.text, k1b, no_flight, h1v.clone(), r(), None));

    v.push(vector(
        "truncated",
        "The token cut in half.",
        &t1[..t1.len() / 2],
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    v.push(vector(
        "truncated-tag",
        "The last two characters of the tag removed (15 bytes).",
        &t1[..t1.len() - 2],
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    v.push(vector(
        "four-segments",
        "The tag segment removed.",
        &t1[..t1.rfind('.').unwrap()],
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    v.push(vector(
        "encrypted-key-present",
        "A non-empty encrypted-key segment with alg dir.",
        &t1.replacen("..", ".AAAA.", 1),
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));

    let v99 = h1.replace("\"v\":1", "\"v\":99");
    v.push(vector(
        "version-99",
        "An authentic token (right key) whose header says v 99.",
        &seal(&v99, &k1.bytes, iv(4), &c1),
        &k1.text,
        k1b,
        no_flight,
        u(),
        u(),
        None,
    ));
    let kw = h1.replace("\"alg\":\"dir\"", "\"alg\":\"A256KW\"");
    v.push(vector(
        "alg-A256KW",
        "Another alg (key wrapping instead of dir).",
        &seal(&kw, &k1.bytes, iv(5), &c1),
        &k1.text,
        k1b,
        no_flight,
        u(),
        u(),
        None,
    ));
    let a128 = h1.replace("\"enc\":\"A256GCM\"", "\"enc\":\"A128GCM\"");
    v.push(vector(
        "enc-A128GCM",
        "Another enc.",
        &seal(&a128, &k1.bytes, iv(6), &c1),
        &k1.text,
        k1b,
        no_flight,
        u(),
        u(),
        None,
    ));
    let extra = h1.replace('}', ",\"kid\":\"k1\"}");
    v.push(vector(
        "extra-header-member",
        "An authentic token with a member beyond the eight.",
        &seal(&extra, &k1.bytes, iv(7), &c1),
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    let dup = h1.replace(
        "\"bag\":\"0117123456\"",
        "\"bag\":\"0117999999\",\"bag\":\"0117123456\"",
    );
    v.push(vector(
        "duplicate-header-member",
        "bag given twice (JSON libraries disagree on which wins): refused.",
        &seal(&dup, &k1.bytes, iv(8), &c1),
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    let long = header_json(bag1, "SK1415", IAT, IAT + DAY + 1);
    v.push(vector(
        "life-over-a-day",
        "exp - iat = 86401 s, beyond the longest token life.",
        &seal(&long, &k1.bytes, iv(9), &c1),
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    let string_exp = h1.replace(&format!("\"exp\":{exp1}"), &format!("\"exp\":\"{exp1}\""));
    v.push(vector(
        "exp-as-string",
        "exp written as a JSON string.",
        &seal(&string_exp, &k1.bytes, iv(10), &c1),
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));

    // Non-canonical base64url: each decodes, with a lenient decoder, to the same bytes as t1.
    let mut s = s1.clone();
    assert_eq!(s[4].len() % 4, 2);
    let last = s[4].pop().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let value = alphabet.find(last).unwrap();
    s[4].push(alphabet.as_bytes()[value | 1] as char);
    v.push(vector(
        "non-canonical-unused-bits",
        "The tag's last character with a non-zero unused bit (same bytes to a lenient decoder).",
        &s.join("."),
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    let mut s = s1.clone();
    s[4].push_str("==");
    v.push(vector(
        "non-canonical-padding",
        "The tag segment with = padding.",
        &s.join("."),
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    let body = &t1[t1.find("..").unwrap()..];
    let std_pos = body.find(['-', '_']).expect("a - or _ in the token body");
    let mut std_alpha = t1.clone();
    let at = t1.find("..").unwrap() + std_pos;
    let replacement = if &t1[at..at + 1] == "-" { "+" } else { "/" };
    std_alpha.replace_range(at..at + 1, replacement);
    v.push(vector(
        "non-canonical-standard-alphabet",
        "A character of the standard base64 alphabet (+ or /) instead of base64url.",
        &std_alpha,
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    let oversize = format!("{}..{}.{}.{}", s1[0], s1[2], "A".repeat(16 * 1024), s1[4]);
    v.push(vector(
        "too-long",
        "More than 16384 characters.",
        &oversize,
        &k1.text,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));

    // Keys.
    let mut bad_checksum = k1.text.clone().into_bytes();
    bad_checksum[52] = if bad_checksum[52] == b'A' { b'B' } else { b'A' };
    let bad_checksum = String::from_utf8(bad_checksum).unwrap();
    v.push(vector(
        "key-bad-checksum",
        "The key string's checksum does not match its key bytes.",
        &t1,
        &bad_checksum,
        k1b,
        no_flight,
        h1v.clone(),
        error("KEY_MALFORMED"),
        None,
    ));
    let bad_prefix = k1.text.replacen("smk1_", "smk2_", 1);
    v.push(vector(
        "key-bad-prefix",
        "The key string starts with smk2_.",
        &t1,
        &bad_prefix,
        k1b,
        no_flight,
        h1v.clone(),
        error("KEY_MALFORMED"),
        None,
    ));
    v.push(vector(
        "key-too-short",
        "The key string is missing its last character.",
        &t1,
        &k1.text[..52],
        k1b,
        no_flight,
        h1v.clone(),
        error("KEY_MALFORMED"),
        None,
    ));
    v.push(vector(
        "malformed-key-and-token",
        "Order of checks: token structure before key.",
        &t1[..t1.len() / 2],
        &bad_prefix,
        k1b,
        no_flight,
        m(),
        m(),
        None,
    ));
    v.push(vector(
        "malformed-key-and-wrong-bag",
        "Order of checks: key before bag.",
        &t1,
        &bad_checksum,
        k1b,
        (bag2, None, IAT),
        h1v.clone(),
        error("KEY_MALFORMED"),
        None,
    ));

    // Authentic tokens with content that is not a valid enrollment.
    let mut future = c1.clone();
    future[0] = 3;
    v.push(bad_content(
        "content-format-3",
        "Authentic, but the content's format version byte is 3.",
        11,
        &future,
        u(),
    ));
    let short = &c1[..c1.len() - 6];
    v.push(bad_content(
        "content-short",
        "Authentic, but the content is 6 bytes shorter than one impression's fixed size.",
        12,
        short,
        m(),
    ));

    // Content format version 2: the modality byte, and face content of the
    // same length as fingerprint content.
    let c1v2 = enrollment_v2(1);
    v.push(with_modality(
        vector(
            "valid-one-impression-content-v2",
            "valid-one-impression's header, key and template in content format 2 (with the modality byte), as sealmatch writes it now.",
            &seal(&h1, &k1.bytes, iv(13), &c1v2),
            &k1.text,
            k1b,
            in_time,
            h1v.clone(),
            ok.clone(),
            Some(&c1v2),
        ),
        fp,
    ));
    let f1 = face_enrollment(1);
    assert_eq!(f1.len(), c1v2.len());
    v.push(with_modality(
        vector(
            "valid-face-one-capture",
            "A face token of one capture with the same header and key: the same length as the fingerprint token of one impression above.",
            &seal(&h1, &k1.bytes, iv(14), &f1),
            &k1.text,
            k1b,
            in_time,
            h1v.clone(),
            ok.clone(),
            Some(&f1),
        ),
        "face",
    ));
    let f3 = face_enrollment(3);
    assert_eq!(f3.len(), enrollment_v2(3).len());
    v.push(with_modality(
        vector(
            "valid-face-three-captures-same-key",
            "A second bag of the same passenger (same key as valid-three-impressions-same-key), enrolled by three face captures.",
            &seal(&h2, &k1.bytes, iv(15), &f3),
            &k1.text,
            k1b,
            (bag2, None, IAT + 30),
            h2v.clone(),
            ok.clone(),
            Some(&f3),
        ),
        "face",
    ));
    v.push(vector(
        "face-wrong-key",
        "A face token opened with another passenger's key: TOKEN_REJECTED, as for a fingerprint (the modality is inside the content).",
        &seal(&h1, &k1.bytes, iv(16), &f1),
        &k2.text,
        Some(&k2.bytes),
        no_flight,
        h1v.clone(),
        r(),
        None,
    ));
    let mut unknown = f1.clone();
    unknown[1] = 3;
    v.push(bad_content(
        "content-modality-3",
        "Authentic, content format 2, but the modality byte is 3 (neither 1 fingerprint nor 2 face).",
        17,
        &unknown,
        u(),
    ));
    let mut padded = f1.clone();
    *padded.last_mut().unwrap() = 1;
    v.push(bad_content(
        "face-content-padding",
        "Authentic face content with a non-zero byte in the padding after the embedding.",
        18,
        &padded,
        m(),
    ));
    let mut long = f1.clone();
    long[3..7].copy_from_slice(&1.0f32.to_be_bytes());
    v.push(bad_content(
        "face-content-not-unit",
        "Authentic face content whose first embedding value is set to 1.0: the embedding is no longer of unit length.",
        19,
        &long,
        m(),
    ));
    let mut print_as_face = c1v2.clone();
    print_as_face[1] = codec::MODALITY_FACE;
    v.push(bad_content(
        "content-impression-as-face",
        "Authentic, fingerprint content whose modality byte says face: an impression is not a valid face slot.",
        20,
        &print_as_face,
        m(),
    ));

    json!({
        "format": "sealmatch-token-vectors-1",
        "about": "Published test vectors for sealmatch tokens; see tests/vectors/README.md.",
        "generator": "cargo run --example make_vectors",
        "vectors": v,
    })
}

/// Where the vectors live.
pub const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/tokens.json");

/// The file's text: pretty JSON and a final newline.
pub fn render(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(doc).unwrap();
    text.push('\n');
    text
}

#[allow(dead_code)] // unused when the test suite includes this file
fn main() {
    let doc = build();
    std::fs::write(PATH, render(&doc)).unwrap();
    println!(
        "wrote {} vectors to {PATH}",
        doc["vectors"].as_array().unwrap().len()
    );
}
