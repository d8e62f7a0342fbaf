//! Face tokens through the public API, as properties (proptest):
//!
//! - no 8-byte window of a face's embedding, as stored (big-endian) or as
//!   held in memory (native floats), is in its token, as text or in any
//!   decoded segment;
//! - a face token has exactly the length and the header of a fingerprint
//!   token of as many captures with the same options, so the server cannot
//!   tell which biometric a token holds;
//! - it opens only for a face (`MODALITY_MISMATCH` for a fingerprint,
//!   checked after decryption).

use std::collections::HashSet;

use proptest::prelude::*;
use sealmatch::template::{codec, Minutia, Template, EMBEDDING_LEN, MAX_IMPRESSIONS};
use sealmatch::token::{self, base64url, PassengerKey, TokenHeader};
use sealmatch::{
    check_token, enroll_any, inspect_token, verify_any, EnrollOptions, ErrorCode, FaceTemplate,
    VerifyOptions,
};

const IAT: u64 = 1_767_225_600;

fn face() -> impl Strategy<Value = FaceTemplate> {
    prop::collection::vec(-1.0f32..1.0, EMBEDDING_LEN)
        .prop_filter("not all zero", |v| v.iter().any(|&x| x != 0.0))
        .prop_map(|v| FaceTemplate::from_embedding(&v).unwrap())
}

fn faces() -> impl Strategy<Value = Vec<FaceTemplate>> {
    prop::collection::vec(face(), 1..=MAX_IMPRESSIONS)
}

fn options() -> impl Strategy<Value = (String, String, u64)> {
    ("[A-Za-z0-9]{1,20}", "[A-Z0-9]{2,8}", 1u64..=86_400)
}

fn enroll_opts((bag, flight, ttl): &(String, String, u64)) -> EnrollOptions {
    let mut o = EnrollOptions::new(bag, flight);
    o.ttl_seconds = Some(*ttl);
    o.now = Some(IAT);
    o
}

fn verify_opts(bag: &str) -> VerifyOptions {
    let mut o = VerifyOptions::new(bag);
    o.now = Some(IAT);
    o
}

fn enroll_faces(faces: &[FaceTemplate], opts: &EnrollOptions) -> sealmatch::Enrolled {
    let refs: Vec<&dyn sealmatch::Biometric> = faces
        .iter()
        .map(|f| f as &dyn sealmatch::Biometric)
        .collect();
    enroll_any(&refs, opts).unwrap()
}

/// The embedding bytes of each face: as stored, and as native floats.
fn embedding_bytes(faces: &[FaceTemplate]) -> Vec<Vec<u8>> {
    let content = codec::encode_faces(faces).unwrap();
    let mut out = Vec::new();
    for slot in content[codec::PREAMBLE_LEN..].chunks_exact(codec::SLOT_LEN) {
        let stored = &slot[..codec::EMBEDDING_BYTES];
        out.push(stored.to_vec());
        out.push(
            stored
                .chunks_exact(4)
                .flat_map(|b| {
                    f32::from_bits(u32::from_be_bytes(b.try_into().unwrap())).to_ne_bytes()
                })
                .collect(),
        );
    }
    out
}

/// The token as text and its five segments decoded.
fn places(token: &str) -> Vec<Vec<u8>> {
    let mut out = vec![token.as_bytes().to_vec()];
    out.extend(token.split('.').map(|s| base64url::decode(s).unwrap()));
    out
}

/// Fingerprint templates as large as they get (every minutia slot used).
fn full_prints(n: usize) -> Vec<Template> {
    (0..n)
        .map(|i| Template {
            width: 500,
            height: 500,
            dpi: 500,
            minutiae: (0..128u16)
                .map(|j| Minutia {
                    x: j * 3 + i as u16,
                    y: 499 - j * 2,
                    direction: j as u8,
                    quality: 100,
                    ..Minutia::default()
                })
                .collect(),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn token_never_holds_the_embedding_in_clear(fs in faces(), o in options()) {
        let e = enroll_faces(&fs, &enroll_opts(&o));
        let embeddings = embedding_bytes(&fs);
        let secrets: HashSet<&[u8]> = embeddings.iter().flat_map(|s| s.windows(8)).collect();
        for place in places(&e.token) {
            prop_assert!(place.windows(8).all(|w| !secrets.contains(w)));
        }
        // And it opens, for a face only.
        let v = verify_any(&fs[0], &e.token, &e.passenger_key, &verify_opts(&o.0)).unwrap();
        prop_assert!(v.matched);
        prop_assert_eq!(v.score, 1.0);
    }

    #[test]
    fn face_and_fingerprint_tokens_look_alike(fs in faces(), o in options(), k in any::<[u8; 32]>()) {
        let mut opts = enroll_opts(&o);
        opts.passenger_key = Some(PassengerKey::from_bytes(k).to_key_string().to_string());
        let face_token = enroll_faces(&fs, &opts).token;
        let key = PassengerKey::from_bytes(k);
        let header = TokenHeader::new(&o.0, &o.1, IAT, IAT + o.2);
        let content = codec::encode_enrollment(&full_prints(fs.len())).unwrap();
        let print_token = token::seal(&header, &key, &content).unwrap();
        prop_assert_eq!(face_token.len(), print_token.len());
        prop_assert_eq!(inspect_token(&face_token).unwrap(), header);
        prop_assert_eq!(
            face_token.split('.').next().unwrap(),
            print_token.split('.').next().unwrap()
        );
        // Same key: both pass every token check, and only the content tells
        // them apart, after decryption.
        let key_text = key.to_key_string();
        let vo = verify_opts(&o.0);
        check_token(&face_token, &key_text, &vo).unwrap();
        check_token(&print_token, &key_text, &vo).unwrap();
        let e = verify_any(&fs[0], &print_token, &key_text, &vo).unwrap_err();
        prop_assert_eq!(e.code(), ErrorCode::ModalityMismatch);
        let other = PassengerKey::from_bytes(k.map(|b| b ^ 1)).to_key_string();
        let e = verify_any(&fs[0], &print_token, &other, &vo).unwrap_err();
        prop_assert_eq!(e.code(), ErrorCode::TokenRejected);
    }
}
