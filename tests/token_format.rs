//! The token format: structure, `inspect` errors for every code, sealing and
//! opening, tamper resistance, header binding and length hiding.

use sealmatch::template::{codec, FaceTemplate, Minutia, MinutiaKind, Template};
use sealmatch::token::{self, base64url, PassengerKey, TokenHeader, MAX_TOKEN_LEN};
use sealmatch::{check_token, ErrorCode, VerifyOptions};

const IAT: u64 = 1_767_225_600;
const EXP: u64 = IAT + 3600;

fn header(bag: &str) -> TokenHeader {
    TokenHeader::new(bag, "SK1415", IAT, EXP)
}

fn template(seed: u64, count: usize) -> Template {
    let mut s = seed | 1;
    let mut next = move || {
        s ^= s << 7;
        s ^= s >> 9;
        s
    };
    Template {
        width: 300,
        height: 400,
        dpi: 500,
        minutiae: (0..count)
            .map(|_| Minutia {
                x: (next() % 300) as u16,
                y: (next() % 400) as u16,
                direction: next() as u8,
                kind: if next() % 2 == 0 {
                    MinutiaKind::Ending
                } else {
                    MinutiaKind::Bifurcation
                },
                quality: (next() % 101) as u8,
            })
            .collect(),
    }
}

fn content(impressions: usize, minutiae: usize) -> Vec<u8> {
    let ts: Vec<Template> = (0..impressions)
        .map(|i| template(i as u64 + 11, minutiae))
        .collect();
    codec::encode_enrollment(&ts).unwrap().to_vec()
}

fn opts(bag: &str, now: u64) -> VerifyOptions {
    let mut o = VerifyOptions::new(bag);
    o.now = Some(now);
    o
}

fn segments(token: &str) -> Vec<Vec<u8>> {
    token
        .split('.')
        .map(|s| base64url::decode(s).unwrap())
        .collect()
}

fn join(parts: &[Vec<u8>]) -> String {
    parts
        .iter()
        .map(|p| base64url::encode(p))
        .collect::<Vec<_>>()
        .join(".")
}

/// A token with a hand-written header (and dummy IV, content and tag).
fn with_header_json(json: &str) -> String {
    join(&[
        json.as_bytes().to_vec(),
        vec![],
        vec![0; 12],
        vec![1; 40],
        vec![2; 16],
    ])
}

const GOOD_JSON: &str = r#"{"alg":"dir","enc":"A256GCM","typ":"sealmatch+jwe","v":1,"bag":"0117123456","flt":"SK1415","iat":1767225600,"exp":1767229200}"#;

#[test]
fn sealed_token_has_the_documented_shape() {
    let key = PassengerKey::from_bytes([4; 32]);
    let t = token::seal(&header("0117123456"), &key, &content(1, 30)).unwrap();
    let parts: Vec<&str> = t.split('.').collect();
    assert_eq!(parts.len(), 5);
    assert_eq!(parts[1], "");
    let seg = segments(&t);
    assert_eq!(String::from_utf8(seg[0].clone()).unwrap(), GOOD_JSON);
    assert_eq!(seg[2].len(), 12);
    assert_eq!(seg[3].len(), codec::encoded_len(1).unwrap());
    assert_eq!(seg[4].len(), 16);
    assert_eq!(token::inspect(&t).unwrap(), header("0117123456"));
    assert_eq!(
        token::inspect(&with_header_json(GOOD_JSON)).unwrap(),
        header("0117123456")
    );
}

#[test]
fn seal_refuses_a_bad_header() {
    let key = PassengerKey::from_bytes([4; 32]);
    let bad = [
        TokenHeader::new("", "SK1415", IAT, EXP),
        TokenHeader::new("0117-123456", "SK1415", IAT, EXP),
        TokenHeader::new("0117123456", "sk1415", IAT, EXP),
        TokenHeader::new("0117123456", "SK1415", IAT, IAT),
        TokenHeader::new("0117123456", "SK1415", IAT, IAT + 86_401),
        TokenHeader::new("0117123456", "SK1415", u64::MAX - 1, u64::MAX),
        TokenHeader {
            version: 2,
            ..header("B")
        },
    ];
    for h in bad {
        let e = token::seal(&h, &key, b"x").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{h:?}");
    }
    let huge = vec![0u8; MAX_TOKEN_LEN];
    assert_eq!(
        token::seal(&header("B"), &key, &huge).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
}

#[test]
fn inspect_refuses_malformed_structure() {
    let key = PassengerKey::from_bytes([4; 32]);
    let good = token::seal(&header("0117123456"), &key, &content(1, 30)).unwrap();
    let seg = segments(&good);
    let mut cases: Vec<(String, &str)> = vec![
        (String::new(), "empty"),
        (good[..good.len() / 2].to_string(), "truncated"),
        (
            good[..good.rfind('.').unwrap()].to_string(),
            "four segments",
        ),
        (format!("{good}."), "six segments"),
        (format!("{good}.AAAA"), "six segments"),
        (good.replacen("..", ".AAAA.", 1), "encrypted key present"),
        (format!("{good}="), "padding"),
        (format!(" {good}"), "space"),
        (good.replace('.', ". "), "spaces"),
        ("x".repeat(MAX_TOKEN_LEN + 1), "too long"),
        (
            format!(".{}", &good[good.find('.').unwrap() + 1..]),
            "empty header",
        ),
        (with_header_json("not json"), "header not JSON"),
        (with_header_json("[1]"), "header not an object"),
        (
            with_header_json(&GOOD_JSON.replace(r#""flt":"SK1415","#, "")),
            "missing member",
        ),
        (
            with_header_json(&GOOD_JSON.replace('}', r#","kid":"k"}"#)),
            "extra member",
        ),
        (
            with_header_json(
                &GOOD_JSON.replace(r#""bag":"0117123456""#, r#""bag":"1","bag":"0117123456""#),
            ),
            "duplicate",
        ),
        (
            with_header_json(&GOOD_JSON.replace("sealmatch+jwe", "JWT")),
            "typ",
        ),
        (
            with_header_json(&GOOD_JSON.replace("1767229200", "1767229200.0")),
            "fractional exp",
        ),
        (
            with_header_json(&GOOD_JSON.replace("1767229200", "\"1767229200\"")),
            "string exp",
        ),
        (
            with_header_json(&GOOD_JSON.replace("\"v\":1", "\"v\":true")),
            "bool v",
        ),
    ];
    for (i, len) in [(2, 11), (2, 13), (4, 15), (4, 17), (4, 0)] {
        let mut s = seg.clone();
        s[i] = vec![7; len];
        cases.push((join(&s), "IV or tag length"));
    }
    // Non-canonical spellings of each segment: unused low bits set in the
    // last character (where the length leaves some), padding.
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let parts: Vec<&str> = good.split('.').collect();
    let mut unused_bit_cases = 0;
    for i in [0, 2, 3, 4] {
        if !parts[i].len().is_multiple_of(4) {
            let mut p: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
            let last = p[i].pop().unwrap();
            let value = ALPHABET.find(last).unwrap();
            assert_eq!(value & 1, 0, "canonical form has the unused bits clear");
            p[i].push(ALPHABET.as_bytes()[value | 1] as char);
            cases.push((p.join("."), "unused bits"));
            unused_bit_cases += 1;
        }
        let mut q: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
        q[i].push_str("==");
        cases.push((q.join("."), "padded segment"));
        let mut r: Vec<String> = parts.iter().map(|s| s.to_string()).collect();
        r[i].push('A');
        if r[i].len() % 4 == 1 {
            cases.push((r.join("."), "length 4k+1"));
        }
    }
    assert!(unused_bit_cases >= 1);
    for (token, what) in &cases {
        let e = token::inspect(token).unwrap_err();
        assert_eq!(e.code(), ErrorCode::TokenMalformed, "{what}: {token}");
    }
}

#[test]
fn inspect_reports_other_versions_and_algorithms_as_unsupported() {
    for (from, to) in [
        ("\"v\":1", "\"v\":99"),
        ("\"v\":1", "\"v\":2"),
        ("\"v\":1", "\"v\":0"),
        ("\"alg\":\"dir\"", "\"alg\":\"A256KW\""),
        ("\"alg\":\"dir\"", "\"alg\":\"none\""),
        ("\"enc\":\"A256GCM\"", "\"enc\":\"A128GCM\""),
        ("\"enc\":\"A256GCM\"", "\"enc\":\"A256CBC-HS512\""),
    ] {
        let t = with_header_json(&GOOD_JSON.replace(from, to));
        assert_eq!(
            token::inspect(&t).unwrap_err().code(),
            ErrorCode::TokenUnsupported,
            "{to}"
        );
    }
    // Another algorithm may carry an encrypted key: still unsupported, not malformed.
    let kw = GOOD_JSON.replace("\"alg\":\"dir\"", "\"alg\":\"A256KW\"");
    let t = join(&[
        kw.into_bytes(),
        vec![9; 40],
        vec![0; 12],
        vec![1; 40],
        vec![2; 16],
    ]);
    assert_eq!(
        token::inspect(&t).unwrap_err().code(),
        ErrorCode::TokenUnsupported
    );
}

#[test]
fn every_single_bit_flip_is_refused() {
    let key = PassengerKey::from_bytes([5; 32]);
    let key_text = key.to_key_string();
    let good = token::seal(&header("0117123456"), &key, &content(1, 20)).unwrap();
    let o = opts("0117123456", IAT);
    check_token(&good, &key_text, &o).unwrap();
    let seg = segments(&good);
    let mut flips = 0;
    for i in [0, 2, 3, 4] {
        for byte in 0..seg[i].len() {
            for bit in 0..8 {
                let mut s = seg.clone();
                s[i][byte] ^= 1 << bit;
                let e = check_token(&join(&s), &key_text, &o).unwrap_err();
                if i != 0 {
                    assert_eq!(
                        e.code(),
                        ErrorCode::TokenRejected,
                        "segment {i} byte {byte} bit {bit}"
                    );
                }
                flips += 1;
            }
        }
    }
    assert!(flips > 8 * (777 + 12 + 16 + 100));
}

#[test]
fn a_header_moved_to_another_token_is_refused() {
    let key = PassengerKey::from_bytes([6; 32]);
    let key_text = key.to_key_string();
    let a = token::seal(&header("0117123456"), &key, &content(1, 20)).unwrap();
    let b = token::seal(&header("0117123457"), &key, &content(1, 25)).unwrap();
    let (sa, sb) = (segments(&a), segments(&b));
    // b's header on a's body: claims bag ...457, but the GCM additional data
    // was a's header, so authentication fails.
    let swapped = join(&[
        sb[0].clone(),
        vec![],
        sa[2].clone(),
        sa[3].clone(),
        sa[4].clone(),
    ]);
    assert_eq!(token::inspect(&swapped).unwrap().bag_tag, "0117123457");
    let e = check_token(&swapped, &key_text, &opts("0117123457", IAT)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::TokenRejected);
    // A re-spelled header (same fields, other JSON) is refused too.
    let respelled = GOOD_JSON.replace(',', ", ");
    let s = join(&[
        respelled.into_bytes(),
        vec![],
        sa[2].clone(),
        sa[3].clone(),
        sa[4].clone(),
    ]);
    assert_eq!(token::inspect(&s).unwrap(), header("0117123456"));
    let e = check_token(&s, &key_text, &opts("0117123456", IAT)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::TokenRejected);
}

#[test]
fn ciphertext_length_depends_only_on_the_number_of_impressions() {
    let key = PassengerKey::from_bytes([7; 32]);
    for n in 1..=3 {
        let lengths: Vec<usize> = [0, 1, 17, 128]
            .iter()
            .map(|&m| {
                token::seal(&header("B1"), &key, &content(n, m))
                    .unwrap()
                    .len()
            })
            .collect();
        assert!(lengths.iter().all(|&l| l == lengths[0]), "{lengths:?}");
        assert_eq!(
            segments(&token::seal(&header("B1"), &key, &content(n, 5)).unwrap())[3].len(),
            3 + n * 775
        );
        // A face enrollment of as many captures: the same length.
        let faces: Vec<FaceTemplate> = (0..n)
            .map(|i| FaceTemplate::from_embedding(&[i as f32 + 0.5; 128]).unwrap())
            .collect();
        let face_content = codec::encode_faces(&faces).unwrap();
        let face_token = token::seal(&header("B1"), &key, &face_content).unwrap();
        assert_eq!(face_token.len(), lengths[0]);
    }
}

#[test]
fn two_tokens_of_one_template_share_no_8_byte_run() {
    let key = PassengerKey::from_bytes([8; 32]);
    let other = PassengerKey::from_bytes([9; 32]);
    let c = content(1, 60);
    let body = |k: &PassengerKey| {
        let s = segments(&token::seal(&header("0117123456"), k, &c).unwrap());
        [s[2].clone(), s[3].clone(), s[4].clone()].concat()
    };
    let a = body(&key);
    for b in [body(&key), body(&other)] {
        let runs: std::collections::HashSet<&[u8]> = a.windows(8).collect();
        assert!(b.windows(8).all(|w| !runs.contains(w)));
    }
}

#[test]
fn wrong_key_is_rejected_and_content_round_trips() {
    let key = PassengerKey::from_bytes([10; 32]);
    let t = token::seal(&header("0117123456"), &key, &content(2, 40)).unwrap();
    let o = opts("0117123456", IAT);
    assert_eq!(
        check_token(&t, &key.to_key_string(), &o).unwrap(),
        header("0117123456")
    );
    for bytes in [[11u8; 32], [0; 32], {
        let mut b = [10u8; 32];
        b[31] ^= 1;
        b
    }] {
        let wrong = PassengerKey::from_bytes(bytes).to_key_string();
        assert_eq!(
            check_token(&t, &wrong, &o).unwrap_err().code(),
            ErrorCode::TokenRejected
        );
    }
}

#[test]
fn sealed_token_opens_with_plain_aes_gcm_and_the_raw_key() {
    // What any JOSE library does with a `dir` + `A256GCM` token and the 32 key
    // bytes: AES-256-GCM with the header segment's ASCII as additional data.
    use aes_gcm::aead::{AeadInOut, KeyInit};
    let raw = [0x5a; 32];
    let c = content(2, 33);
    let t = token::seal(&header("0117123456"), &PassengerKey::from_bytes(raw), &c).unwrap();
    let parts: Vec<&str> = t.split('.').collect();
    let iv: [u8; 12] = base64url::decode(parts[2]).unwrap().try_into().unwrap();
    let tag: [u8; 16] = base64url::decode(parts[4]).unwrap().try_into().unwrap();
    let mut buf = base64url::decode(parts[3]).unwrap();
    aes_gcm::Aes256Gcm::new((&raw).into())
        .decrypt_inout_detached(
            &iv.into(),
            parts[0].as_bytes(),
            buf.as_mut_slice().into(),
            &tag.into(),
        )
        .unwrap();
    assert_eq!(buf, c);
}

#[test]
fn random_edits_of_a_token_never_open() {
    // Insert, delete or replace characters of the token string: with canonical
    // base64url and authenticated encryption, every edit is refused, and none
    // panics.
    let key = PassengerKey::from_bytes([12; 32]);
    let key_text = key.to_key_string();
    let good = token::seal(&header("0117123456"), &key, &content(1, 30)).unwrap();
    let o = opts("0117123456", IAT);
    let chars: Vec<char> = "AZaz09-_.=+/ é\u{0}".chars().collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for _ in 0..3000 {
        let mut t: Vec<char> = good.chars().collect();
        for _ in 0..1 + next(3) {
            let at = next(t.len());
            match next(3) {
                0 => t[at] = chars[next(chars.len())],
                1 => t.insert(at, chars[next(chars.len())]),
                _ => {
                    t.remove(at);
                }
            }
        }
        let t: String = t.into_iter().collect();
        if t == good {
            continue;
        }
        let _ = token::inspect(&t);
        assert!(check_token(&t, &key_text, &o).is_err(), "{t}");
    }
}
