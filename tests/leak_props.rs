//! No leaks, as properties (proptest) and checks:
//!
//! - a token never holds the template's encoded bytes in clear, nor any
//!   8-byte window of them, in its text or in any decoded segment;
//! - two tokens of the same template (same passenger key even) share no run of
//!   8 or more bytes outside the header;
//! - the token length depends only on the number of impressions and the
//!   header (bag tag, flight, the digits of iat/exp), never on the template;
//! - every single-bit change of any decoded segment, and any other edit of the
//!   token text, is refused;
//! - base64url decoding is canonical (no two strings decode to one value);
//! - every error message produced on random bad input is one of a fixed set
//!   of static texts (so no key, coordinate or content byte can be in one);
//! - secrets are zeroized: the secret types are `ZeroizeOnDrop`, `zeroize()`
//!   clears them, and a scanning allocator (this binary's global allocator)
//!   finds no key, template or feature-rendering bytes in any heap block
//!   freed while a token is sealed, parsed, opened and decoded and a
//!   capture's features are rendered.
//!
//! Case counts are modest so the debug `cargo test` stays fast.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use proptest::prelude::*;
use sealmatch::template::{codec, Minutia, MinutiaKind, Template, MAX_IMPRESSIONS, MAX_MINUTIAE};
use sealmatch::token::{self, base64url, PassengerKey, TokenHeader};
use sealmatch::{
    check_token, enroll_any, inspect_token, verify_any, Capture, EnrollOptions, ErrorCode,
    FaceTemplate, VerifyOptions,
};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

const IAT: u64 = 1_767_225_600;

// ---------------------------------------------------------------- strategies

fn template() -> impl Strategy<Value = Template> {
    (1u16..=800, 1u16..=800, 0usize..=MAX_MINUTIAE).prop_flat_map(|(w, h, n)| {
        let minutia = (0..w, 0..h, any::<u8>(), any::<bool>(), 0u8..=100).prop_map(
            |(x, y, direction, bif, quality)| Minutia {
                x,
                y,
                direction,
                kind: if bif {
                    MinutiaKind::Bifurcation
                } else {
                    MinutiaKind::Ending
                },
                quality,
            },
        );
        prop::collection::vec(minutia, n).prop_map(move |minutiae| Template {
            width: w,
            height: h,
            dpi: 500,
            minutiae,
        })
    })
}

fn templates() -> impl Strategy<Value = Vec<Template>> {
    prop::collection::vec(template(), 1..=MAX_IMPRESSIONS)
}

fn key() -> impl Strategy<Value = PassengerKey> {
    any::<[u8; 32]>().prop_map(PassengerKey::from_bytes)
}

fn header() -> impl Strategy<Value = TokenHeader> {
    ("[A-Za-z0-9]{1,20}", "[A-Z0-9]{2,8}", 1u64..=86_400)
        .prop_map(|(bag, flt, ttl)| TokenHeader::new(&bag, &flt, IAT, IAT + ttl))
}

fn seal(h: &TokenHeader, k: &PassengerKey, ts: &[Template]) -> String {
    let content = codec::encode_enrollment(ts).unwrap();
    token::seal(h, k, &content).unwrap()
}

fn opts_for(h: &TokenHeader) -> VerifyOptions {
    let mut o = VerifyOptions::new(&h.bag_tag);
    o.flight = Some(h.flight.clone());
    o.now = Some(h.issued_at);
    o
}

/// The five segments of a token, decoded.
fn segments(token: &str) -> Vec<Vec<u8>> {
    token
        .split('.')
        .map(|s| base64url::decode(s).expect("canonical segment"))
        .collect()
}

fn windows8(bytes: &[u8]) -> HashSet<[u8; 8]> {
    bytes
        .windows(8)
        .map(|w| <[u8; 8]>::try_from(w).unwrap())
        .collect()
}

/// Longest run of bytes `a` and `b` have in common (dynamic programming).
fn longest_common_run(a: &[u8], b: &[u8]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut best = 0;
    for &x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            if x == y {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// No 8-byte window of the encoded template is in the token, as text or
    /// in any decoded segment.
    #[test]
    fn token_never_holds_the_template_in_clear(ts in templates(), k in key(), h in header()) {
        let content = codec::encode_enrollment(&ts).unwrap();
        let token = token::seal(&h, &k, &content).unwrap();
        let plain = windows8(&content);
        let mut places = vec![token.as_bytes().to_vec()];
        places.extend(segments(&token));
        for place in &places {
            prop_assert!(place.windows(8).all(|w| !plain.contains(w)));
        }
    }

    /// Two tokens of one template under one key (the worst case: the same
    /// passenger enrolling the same finger twice) share no run of 8 bytes
    /// after the header, decoded or as text.
    #[test]
    fn two_tokens_of_one_template_share_no_run(ts in templates(), k in key(), h in header()) {
        let (a, b) = (seal(&h, &k, &ts), seal(&h, &k, &ts));
        let (sa, sb) = (segments(&a), segments(&b));
        prop_assert_eq!(&sa[0], &sb[0]); // the header is public and the same
        let body = |s: &[Vec<u8>]| s[2..].concat();
        prop_assert!(longest_common_run(&body(&sa), &body(&sb)) < 8);
        let text = |t: &str| t.split_once("..").unwrap().1.as_bytes().to_vec();
        prop_assert!(longest_common_run(&text(&a), &text(&b)) < 8);
    }

    /// The length depends on the number of impressions and the header only:
    /// equal to the length of a token of empty templates.
    #[test]
    fn token_length_is_constant(ts in templates(), k in key(), h in header()) {
        let empty: Vec<Template> = ts
            .iter()
            .map(|_| Template { width: 1, height: 1, dpi: 1, minutiae: vec![] })
            .collect();
        let token = seal(&h, &k, &ts);
        prop_assert_eq!(token.len(), seal(&h, &k, &empty).len());
        let content = codec::encoded_len(ts.len()).unwrap();
        let protected = segments(&token)[0].len();
        prop_assert_eq!(
            token.len(),
            base64url::encoded_len(protected) + 4 + 16 + base64url::encoded_len(content) + 22
        );
    }

    /// Any single bit of any decoded segment flipped (encrypted-key segment
    /// included: one byte added to it), re-encoded canonically: refused.
    #[test]
    fn every_single_bit_change_is_refused(
        ts in prop::collection::vec(template(), 1..=1),
        k in key(),
        h in header(),
        segment in 0usize..5,
        bit in any::<prop::sample::Index>(),
    ) {
        let token = seal(&h, &k, &ts);
        let key_text = k.to_key_string();
        prop_assert!(check_token(&token, &key_text, &opts_for(&h)).is_ok());
        let mut parts = segments(&token);
        if parts[segment].is_empty() {
            parts[segment].push(1 << bit.index(8));
        } else {
            let i = bit.index(parts[segment].len() * 8);
            parts[segment][i / 8] ^= 1 << (i % 8);
        }
        let edited: Vec<String> = parts.iter().map(|p| base64url::encode(p)).collect();
        let edited = edited.join(".");
        prop_assert_ne!(&edited, &token);
        prop_assert!(check_token(&edited, &key_text, &opts_for(&h)).is_err());
    }

    /// Any edit of the token text (a character replaced, inserted or
    /// removed) is refused.
    #[test]
    fn every_text_edit_is_refused(
        k in key(),
        h in header(),
        at in any::<prop::sample::Index>(),
        c in "[A-Za-z0-9_.=+/-]",
        how in 0u8..3,
    ) {
        let ts = vec![Template { width: 300, height: 300, dpi: 500, minutiae: vec![] }];
        let token = seal(&h, &k, &ts);
        let i = at.index(token.len());
        let mut edited = token.clone();
        match how {
            0 => edited.replace_range(i..=i, &c),
            1 => edited.insert_str(i, &c),
            _ => { edited.remove(i); }
        }
        prop_assume!(edited != token);
        prop_assert!(check_token(&edited, &k.to_key_string(), &opts_for(&h)).is_err());
    }

    /// Canonical base64url: a string that decodes is the encoding of what it
    /// decodes to, so no two strings decode to one value.
    #[test]
    fn base64url_decoding_is_canonical(s in "[A-Za-z0-9_=+/-]{0,40}", bytes in prop::collection::vec(any::<u8>(), 0..40)) {
        if let Some(decoded) = base64url::decode(&s) {
            prop_assert_eq!(base64url::encode(&decoded), s);
        }
        prop_assert_eq!(base64url::decode(&base64url::encode(&bytes)), Some(bytes));
    }

    /// Error messages on random bad input come from a fixed set of static
    /// texts, and never contain the key string or its bytes.
    #[test]
    fn error_messages_are_static(
        ts in prop::collection::vec(template(), 1..=1),
        k in key(),
        h in header(),
        at in any::<prop::sample::Index>(),
        junk in prop::collection::vec(any::<u8>(), 0..64),
        key_text in "(smk1_)?[A-Za-z0-9_-]{0,60}",
        dims in (any::<u32>(), any::<u32>(), any::<u32>()),
    ) {
        let token = seal(&h, &k, &ts);
        let key_string = k.to_key_string();
        let mut errors = Vec::new();
        // A byte of the token replaced by junk.
        let mut edited = token.clone().into_bytes();
        let i = at.index(edited.len());
        edited[i] = *junk.first().unwrap_or(&b'~');
        if let Ok(text) = String::from_utf8(edited) {
            errors.extend(inspect_token(&text).err());
            errors.extend(check_token(&text, &key_string, &opts_for(&h)).err());
        }
        // Right token, other bag, other flight, expired, another key.
        let mut o = opts_for(&h);
        o.bag_tag.push('X');
        o.bag_tag = o.bag_tag.chars().rev().take(20).collect();
        errors.extend(check_token(&token, &key_string, &o).err());
        let mut o = opts_for(&h);
        o.flight = Some("ZZ999999".into());
        errors.extend(check_token(&token, &key_string, &o).err());
        let mut o = opts_for(&h);
        o.now = Some(h.expires_at);
        errors.extend(check_token(&token, &key_string, &o).err());
        errors.extend(check_token(&token, &key_text, &opts_for(&h)).err());
        let other = PassengerKey::from_bytes([0x33; 32]).to_key_string();
        errors.extend(check_token(&token, &other, &opts_for(&h)).err());
        // Template bytes with junk, captures with random numbers.
        let mut content = codec::encode_enrollment(&ts).unwrap().to_vec();
        let j = at.index(content.len());
        content[j] ^= junk.first().copied().unwrap_or(1) | 1;
        errors.extend(codec::decode_enrollment(&content).err());
        errors.extend(codec::decode_enrollment(&junk).err());
        // Face content with a byte, or its modality byte, replaced; a face
        // against this fingerprint token.
        let values: Vec<f32> = (0..128u32)
            .map(|i| (i.wrapping_mul(dims.0 | 1) % 1000) as f32 - 499.5)
            .collect();
        let face = FaceTemplate::from_embedding(&values).unwrap();
        let mut content = codec::encode_faces(std::slice::from_ref(&face)).unwrap().to_vec();
        let j = at.index(content.len());
        content[j] ^= junk.first().copied().unwrap_or(1) | 1;
        errors.extend(codec::decode(&content).err());
        content[1] = junk.get(1).copied().unwrap_or(9);
        errors.extend(codec::decode(&content).err());
        errors.extend(verify_any(&face, &token, &key_string, &opts_for(&h)).err());
        let (w, hh, dpi) = dims;
        errors.extend(Capture::from_gray(w % 3000, hh % 3000, &junk, dpi % 1500).err());
        errors.extend(Capture::from_rgba(w, hh, &junk, dpi).err());

        prop_assert!(!errors.is_empty());
        let body = &key_string[5..];
        for e in &errors {
            let text = e.to_string();
            prop_assert!(ALLOWED_MESSAGES.contains(&e.message()), "new message: {:?}", e.message());
            prop_assert_eq!(text, format!("{}: {}", e.code().as_str(), e.message()));
            prop_assert!(!e.message().contains(body));
            prop_assert!(ErrorCode::ALL.contains(&e.code()));
        }
    }
}

/// Every message the token, key, template and capture checks may produce.
/// A new message must be added here, after checking it holds no data.
const ALLOWED_MESSAGES: &[&str] = &[
    "bagTag must be 1-20 characters of A-Z, a-z, 0-9",
    "dpi must be 250..=1200",
    "encrypted key segment must be empty (alg dir)",
    "exp must be 1 to 86400 seconds after iat",
    "flight must be 2-8 characters of A-Z, 0-9",
    "bag tag must be 1-20 characters of A-Z, a-z, 0-9",
    "header alg and enc must be strings",
    "header has a duplicate member",
    "header iat and exp must be integers from 0 to 2^53",
    "header is not UTF-8",
    "header is not a JSON object",
    "header member name is not a JSON string",
    "header must have exactly alg, enc, typ, v, bag, flt, iat, exp",
    "header typ must be sealmatch+jwe",
    "header typ, bag and flt must be strings",
    "header v must be a non-negative integer",
    "iat and exp must be at most 2^53",
    "passenger key checksum mismatch",
    "passenger key must be 53 characters",
    "passenger key must be base64url after smk1_",
    "passenger key must start with smk1_",
    "pixel buffer length does not match width * height * bytes per pixel",
    "at 500 dpi the image must be 64..=800 pixels a side",
    "width and height must be 64..=2048 pixels",
    "template content has a wrong length or count",
    "template content is empty",
    "template content is not a fingerprint",
    "unsupported template modality",
    "face template is not a finite unit vector",
    "the capture is of another modality than the token",
    "template minutia count is out of range",
    "template minutia is out of range",
    "template padding is not zero",
    "template size or dpi is zero",
    "token IV must be 12 bytes",
    "token has expired",
    "token header segment is empty",
    "token is for another bag",
    "token is for another flight",
    "token is longer than 16 KiB",
    "token must have five segments",
    "token segment is not canonical base64url",
    "token tag must be 16 bytes",
    "token version must be 1",
    "unsupported template format",
    "unsupported token version",
    "unsupported alg (want dir)",
    "unsupported enc (want A256GCM)",
    "token does not authenticate with this key (wrong key, or altered)",
];

// ---------------------------------------------------------------- zeroization

fn assert_zeroize_on_drop<T: ZeroizeOnDrop>() {}

#[test]
fn secret_types_zeroize_on_drop() {
    assert_zeroize_on_drop::<PassengerKey>();
    assert_zeroize_on_drop::<Template>();
    assert_zeroize_on_drop::<FaceTemplate>();
    assert_zeroize_on_drop::<sealmatch::matcher::Prepared>();
    assert_zeroize_on_drop::<sealmatch::EnrollOptions>();
    assert_zeroize_on_drop::<Zeroizing<String>>(); // Enrolled::passenger_key
    assert_zeroize_on_drop::<sealmatch::capture::render::RgbaImage>();

    let mut k = PassengerKey::from_bytes([0xA7; 32]);
    k.zeroize();
    assert_eq!(k, PassengerKey::from_bytes([0; 32]));

    let mut t = Template {
        width: 300,
        height: 300,
        dpi: 500,
        minutiae: vec![
            Minutia {
                x: 5,
                y: 6,
                direction: 7,
                kind: MinutiaKind::Bifurcation,
                quality: 8
            };
            40
        ],
    };
    t.zeroize();
    assert_eq!((t.width, t.height, t.dpi, t.minutiae.len()), (0, 0, 0, 0));
}

/// A usable capture of a synthetic finger (made before the allocator is armed).
fn synthetic_capture() -> Capture {
    let cfg = sealmatch_synth::FingerConfig::default();
    let img =
        sealmatch_synth::Finger::new(3, &cfg).impression(0, &sealmatch_synth::Variation::typical());
    let cap =
        Capture::from_gray(img.width as u32, img.height as u32, &img.pixels, cfg.dpi).unwrap();
    assert!(cap.minutiae_count() > 0);
    cap
}

/// Windows of secret bytes the allocator looks for, sorted (set once).
static SECRETS: OnceLock<Vec<u64>> = OnceLock::new();
/// Freed heap blocks that still held a secret window.
static DIRTY_FREES: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Scan frees made on this thread (only the zeroization test's thread).
    static ARMED: Cell<bool> = const { Cell::new(false) };
}

/// The system allocator, plus: on the armed thread, every block is scanned
/// for a secret 8-byte window just before it is freed (or moved by a
/// reallocation), while the block is still owned. Nothing is read after free.
struct ScanningAllocator;

impl ScanningAllocator {
    unsafe fn scan(ptr: *mut u8, len: usize) {
        if !ARMED.with(|a| a.get()) || len < 8 {
            return;
        }
        let Some(secrets) = SECRETS.get() else { return };
        let block = std::slice::from_raw_parts(ptr, len);
        if block.windows(8).any(|w| {
            secrets
                .binary_search(&u64::from_le_bytes(w.try_into().unwrap()))
                .is_ok()
        }) {
            DIRTY_FREES.fetch_add(1, Ordering::Relaxed);
        }
    }
}

unsafe impl GlobalAlloc for ScanningAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Self::scan(ptr, layout.size());
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The old block may be freed by the move: scan it first.
        Self::scan(ptr, layout.size());
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: ScanningAllocator = ScanningAllocator;

/// The library's heap buffers that hold a key, a template or a feature
/// rendering are wiped before they are freed: with the scanning allocator
/// armed, seal a template under a key given as a string, parse the key, open
/// and decode the token, render a capture's features, and let everything
/// drop. Any freed block still holding 8 bytes of the raw key, of the key
/// string, of the encoded template or face (windows with at least 4 non-zero
/// bytes, so padding does not count), of the face embedding as the library
/// holds it in memory, or of the rendering (windows of two different
/// pixels, so plain background does not count) is counted.
///
/// Limits: the stack and registers are not scanned, nor blocks freed by other
/// threads, nor memory never freed; in WASM the allocator differs.
#[test]
fn no_secret_left_in_freed_heap_blocks() {
    let raw_key: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xC3);
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let minutiae: Vec<Minutia> = (0..60)
        .map(|_| Minutia {
            x: (next() % 400) as u16 + 1,
            y: (next() % 400) as u16 + 1,
            direction: next() as u8,
            kind: MinutiaKind::Ending,
            quality: (next() % 100) as u8 + 1,
        })
        .collect();
    let template = Template {
        width: 420,
        height: 420,
        dpi: 500,
        minutiae,
    };
    let key_string = PassengerKey::from_bytes(raw_key).to_key_string();
    let content = codec::encode_enrollment(std::slice::from_ref(&template)).unwrap();
    let mut secrets: Vec<u64> = Vec::new();
    let mut add = |bytes: &[u8], min_nonzero: usize| {
        for w in bytes.windows(8) {
            if w.iter().filter(|&&b| b != 0).count() >= min_nonzero {
                secrets.push(u64::from_le_bytes(w.try_into().unwrap()));
            }
        }
    };
    // A face: its stored form (big-endian) and its in-memory form (native
    // floats) are both secrets.
    let values: Vec<f32> = (0..128).map(|_| (next() % 2000) as f32 - 999.5).collect();
    let face = FaceTemplate::from_embedding(&values).unwrap();
    let face_content = codec::encode_faces(std::slice::from_ref(&face)).unwrap();
    let stored = &face_content[codec::PREAMBLE_LEN..codec::PREAMBLE_LEN + codec::EMBEDDING_BYTES];
    let in_memory: Vec<u8> = stored
        .chunks_exact(4)
        .flat_map(|b| f32::from_bits(u32::from_be_bytes(b.try_into().unwrap())).to_ne_bytes())
        .collect();
    add(&raw_key, 0);
    add(key_string.as_bytes(), 0);
    add(&content, 4);
    add(stored, 4);
    add(&in_memory, 4);
    let capture = synthetic_capture();
    let rendering = capture.render_features();
    for w in rendering.data.windows(8).step_by(4) {
        if w[..4] != w[4..] {
            secrets.push(u64::from_le_bytes(w.try_into().unwrap()));
        }
    }
    secrets.sort_unstable();
    secrets.dedup();
    SECRETS.set(secrets).unwrap();
    let h = TokenHeader::new("0117123456", "SK1415", IAT, IAT + 3600);

    ARMED.with(|a| a.set(true));
    // Control: copies freed without zeroizing are seen.
    let before = DIRTY_FREES.load(Ordering::Relaxed);
    drop(std::hint::black_box(content.to_vec()));
    drop(std::hint::black_box(rendering.data.clone()));
    assert_eq!(
        DIRTY_FREES.load(Ordering::Relaxed) - before,
        2,
        "the scan sees a dirty free"
    );
    let before = DIRTY_FREES.load(Ordering::Relaxed);
    {
        let key = PassengerKey::parse(&key_string).unwrap();
        let token = token::seal(&h, &key, &content).unwrap();
        let header = check_token(&token, &key_string, &opts_for(&h)).unwrap();
        assert_eq!(header, h);
        let decoded = codec::decode_enrollment(&content).unwrap();
        assert_eq!(decoded[0], template);
        let _again = PassengerKey::parse(&key.to_key_string()).unwrap();
        let again = capture.render_features();
        assert_eq!(again, rendering);
        // The face path: enroll, verify, decode.
        let mut opts = EnrollOptions::new("0117123456", "SK1415");
        opts.now = Some(IAT);
        let e = enroll_any(&[&face], &opts).unwrap();
        let r = verify_any(&face, &e.token, &e.passenger_key, &opts_for(&h)).unwrap();
        assert!(r.matched);
        let decoded = codec::decode(&face_content).unwrap();
        assert_eq!(decoded, codec::Enrollment::Face(vec![face.clone()]));
    }
    let dirty = DIRTY_FREES.load(Ordering::Relaxed) - before;
    ARMED.with(|a| a.set(false));
    drop(template);
    drop(rendering);
    drop(face);
    assert_eq!(
        dirty, 0,
        "{dirty} heap blocks freed with key, template or rendering bytes in them"
    );
}
