//! Fuzz harnesses: one function per `cargo fuzz` target in `fuzz/`, kept in
//! the library (behind the `fuzzing` cargo feature, off by default) so the
//! stable test `tests/fuzz_corpus_replay.rs` replays the committed corpus
//! through exactly the code the fuzzer ran.
//!
//! Each harness takes arbitrary bytes, calls public API only, and panics
//! (which the fuzzer reports as a crash) when the library panics or breaks
//! one of the invariants checked here: errors carry only the codes the
//! function documents, accepted input round-trips to its one canonical form,
//! scores and qualities stay in range. Not part of the supported API.
//!
//! ```
//! sealmatch::fuzzing::passenger_key(b"smk1_");
//! sealmatch::fuzzing::template_decode(&[1, 1, 0]);
//! ```

use std::sync::OnceLock;

use crate::api::{enroll_any, verify_any, Biometric};
use crate::error::{Error, ErrorCode};
use crate::face::capture::{FaceEngine, FaceOptions};
use crate::face::frame::Frame;
use crate::face::quality::{self, Feedback};
use crate::face::sample::FaceSample;
use crate::template::FaceTemplate;
use crate::template::{codec, Minutia, MinutiaKind, Template};
use crate::token::{base64url, PassengerKey, TokenHeader};
use crate::{check_token, inspect_token, Capture, EnrollOptions, VerifyOptions};

/// The raw bytes of the fixed key the token target opens tokens with. Seed
/// tokens in `fuzz/corpus/token/` are sealed under it, so the fuzzer reaches
/// the decryption and the content decoder, not only the parser.
pub const FUZZ_KEY_BYTES: [u8; 32] = [0x5e; 32];

/// Side of the square 500 dpi image of the [`extract`] target.
pub const EXTRACT_SIDE: u32 = 64;

/// Largest pixel count for which [`capture`] stretches a short buffer to the
/// size it declares (so the fuzzer also reaches extraction at odd sizes and
/// resolutions, while keeping an execution short).
pub const CAPTURE_STRETCH_MAX_PIXELS: usize = 160 * 160;

fn assert_code(e: &Error, allowed: &[ErrorCode]) {
    assert!(
        allowed.contains(&e.code()),
        "unexpected error code {:?}",
        e.code()
    );
}

/// Token parsing and opening: [`inspect_token`], then [`check_token`] with
/// the fixed key [`FUZZ_KEY_BYTES`], the token's own bag tag and flight and a
/// time inside its validity, so a token sealed under that key is opened and
/// its content decoded.
///
/// Checks: structural errors are the same for both calls; an accepted header
/// re-serialises to the header segment as given (one spelling per header);
/// `check_token` returns that header.
pub fn token(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let key = PassengerKey::from_bytes(FUZZ_KEY_BYTES).to_key_string();
    match inspect_token(text) {
        Err(e) => {
            assert_code(
                &e,
                &[ErrorCode::TokenMalformed, ErrorCode::TokenUnsupported],
            );
            let again = check_token(text, &key, &VerifyOptions::new("B1")).unwrap_err();
            assert_eq!(again.code(), e.code(), "inspect and check disagree");
        }
        Ok(header) => {
            let protected = text.split('.').next().unwrap_or("");
            let json = base64url::decode(protected).expect("accepted header decodes");
            assert_eq!(
                json,
                canonical_header_json(&header).as_bytes(),
                "an accepted header has one spelling"
            );
            let mut opts = VerifyOptions::new(&header.bag_tag);
            opts.flight = Some(header.flight.clone());
            opts.now = Some(header.issued_at);
            match check_token(text, &key, &opts) {
                Ok(opened) => assert_eq!(opened, header),
                Err(e) => assert_code(
                    &e,
                    &[
                        ErrorCode::TokenRejected,
                        ErrorCode::TokenMalformed,
                        ErrorCode::TokenUnsupported,
                    ],
                ),
            }
            // Another bag is refused before decryption, whatever the content.
            let mut other = VerifyOptions::new(if header.bag_tag == "B1" { "B2" } else { "B1" });
            other.now = Some(header.issued_at);
            let e = check_token(text, &key, &other).unwrap_err();
            assert_eq!(e.code(), ErrorCode::WrongBag);
        }
    }
}

/// The one JSON spelling of a header, as the library writes it.
fn canonical_header_json(h: &TokenHeader) -> String {
    format!(
        r#"{{"alg":"dir","enc":"A256GCM","typ":"sealmatch+jwe","v":{},"bag":"{}","flt":"{}","iat":{},"exp":{}}}"#,
        h.version, h.bag_tag, h.flight, h.issued_at, h.expires_at
    )
}

/// Passenger-key parsing: an accepted string is its key's one spelling;
/// every refusal is `KEY_MALFORMED`.
pub fn passenger_key(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match PassengerKey::parse(text) {
        Ok(key) => assert_eq!(key.to_key_string().as_str(), text, "one spelling per key"),
        Err(e) => assert_code(&e, &[ErrorCode::KeyMalformed]),
    }
}

/// Template decoding, both modalities: accepted bytes re-encode to
/// themselves (the binary form is canonical; format version 1 content
/// re-encodes as version 2, which differs only in the version and modality
/// bytes); refusals are `TOKEN_MALFORMED` or `TOKEN_UNSUPPORTED`.
pub fn template_decode(data: &[u8]) {
    match codec::decode(data) {
        Ok(enrollment) => {
            let again = enrollment.encode().expect("decoded re-encodes");
            if data[0] == codec::FORMAT_VERSION_1 {
                assert_eq!(enrollment.modality(), crate::Modality::Fingerprint);
                assert_eq!(
                    again[..2],
                    [codec::FORMAT_VERSION, codec::MODALITY_FINGERPRINT]
                );
                assert_eq!(again[2..], data[1..], "one encoding per enrollment");
            } else {
                assert_eq!(again.as_slice(), data, "one encoding per enrollment");
            }
        }
        Err(e) => assert_code(
            &e,
            &[ErrorCode::TokenMalformed, ErrorCode::TokenUnsupported],
        ),
    }
}

/// Reads fixed-size little-endian numbers off the front of the input.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn u8(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
        self.0 = rest;
        first
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
}

/// Capture construction from caller-controlled numbers: width, height and
/// dpi (u32 each) and a mode byte from the input, the rest is the pixel
/// buffer (grey or RGBA by the mode's low bit). When the mode's bit 1 is set
/// and the declared size is at most [`CAPTURE_STRETCH_MAX_PIXELS`], the
/// buffer is repeated to that size so extraction runs too.
///
/// Checks: refusals are `INVALID_IMAGE` only; an accepted capture has
/// quality ≤ 100, at most 128 minutiae, and its feature image has the size
/// of the image at 500 dpi.
pub fn capture(data: &[u8]) {
    let mut r = Reader(data);
    let (width, height, dpi, mode) = (r.u32(), r.u32(), r.u32(), r.u8());
    let rgba = mode & 1 == 1;
    let bpp = if rgba { 4 } else { 1 };
    let declared = (width as usize)
        .saturating_mul(height as usize)
        .saturating_mul(bpp);
    let stretched;
    let pixels: &[u8] =
        if mode & 2 == 2 && !r.0.is_empty() && declared <= CAPTURE_STRETCH_MAX_PIXELS * bpp {
            stretched =
                r.0.iter()
                    .copied()
                    .cycle()
                    .take(declared)
                    .collect::<Vec<u8>>();
            &stretched
        } else {
            r.0
        };
    let result = if rgba {
        Capture::from_rgba(width, height, pixels, dpi)
    } else {
        Capture::from_gray(width, height, pixels, dpi)
    };
    match result {
        Ok(cap) => check_capture(&cap),
        Err(e) => assert_code(&e, &[ErrorCode::InvalidImage]),
    }
}

/// Finger minutiae records ([`Capture::from_minutiae_record`]): refusals
/// are `INVALID_IMAGE` only; an accepted record gives a capture as
/// [`capture`] checks it, whose template has every minutia inside its image
/// and encodes for sealing.
pub fn minutiae_record(data: &[u8]) {
    match Capture::from_minutiae_record(data) {
        Ok(cap) => {
            check_capture(&cap);
            let t = cap.template();
            assert!(t
                .minutiae
                .iter()
                .all(|m| m.x < t.width && m.y < t.height && m.quality <= 100));
            codec::encode_enrollment(std::slice::from_ref(t)).expect("a record's template seals");
        }
        Err(e) => assert_code(&e, &[ErrorCode::InvalidImage]),
    }
}

fn check_capture(cap: &Capture) {
    assert!(cap.quality() <= 100);
    assert!(cap.minutiae_count() <= crate::template::MAX_MINUTIAE);
    if cap.is_usable() {
        assert!(cap
            .feedback()
            .iter()
            .all(|f| *f != crate::capture::Feedback::Blank));
    }
    let img = cap.render_features();
    assert_eq!(img.data.len(), img.width * img.height * 4);
}

/// Extraction on arbitrary pixels: a [`EXTRACT_SIDE`]² grey image at 500 dpi
/// from the input (repeated to fill, white when empty). Checks as
/// [`capture`], and that a capture matched against itself scores in 0..=1.
pub fn extract(data: &[u8]) {
    let n = (EXTRACT_SIDE * EXTRACT_SIDE) as usize;
    let pixels: Vec<u8> = if data.is_empty() {
        vec![255; n]
    } else {
        data.iter().copied().cycle().take(n).collect()
    };
    let cap = Capture::from_gray(EXTRACT_SIDE, EXTRACT_SIDE, &pixels, 500)
        .expect("a 64x64 500 dpi image is within bounds");
    check_capture(&cap);
    let s = cap.score_against(&[&cap]);
    assert!((0.0..=1.0).contains(&s), "score out of range");
}

/// A template straight from bytes, with no validation at all (the fields
/// are public, so a Rust caller can build any): width, height, dpi, a count
/// byte, then 6 bytes a minutia.
fn raw_template(r: &mut Reader<'_>) -> Template {
    let (width, height, dpi) = (r.u16(), r.u16(), r.u16());
    let count = usize::from(r.u8());
    let mut minutiae = Vec::with_capacity(count);
    for _ in 0..count {
        if r.0.is_empty() {
            break;
        }
        let (x, y, direction, packed) = (r.u16(), r.u16(), r.u8(), r.u8());
        minutiae.push(Minutia {
            x,
            y,
            direction,
            kind: if packed & 0x80 == 0 {
                MinutiaKind::Ending
            } else {
                MinutiaKind::Bifurcation
            },
            quality: packed & 0x7f,
        });
    }
    Template {
        width,
        height,
        dpi,
        minutiae,
    }
}

/// Matching of arbitrary templates: a probe and 1–3 enrolled templates built
/// from the input with no validation (any size, dpi 0 included, coordinates
/// off the image, up to 255 minutiae), scored with
/// [`crate::matcher::score_enrollment`]. When the input after the first
/// byte is a valid encoded enrollment (of either modality), it is decoded
/// and each of its templates is matched against all of them.
///
/// Checks: every score is finite and in 0..=1.
pub fn match_templates(data: &[u8]) {
    let in_range = |s: f32| s.is_finite() && (0.0..=1.0).contains(&s);
    if let Some((_, rest)) = data.split_first() {
        match codec::decode(rest) {
            Ok(codec::Enrollment::Fingerprint(enrolled)) => {
                for probe in &enrolled {
                    let s = crate::matcher::score_enrollment(probe, &enrolled);
                    assert!(in_range(s), "score out of range");
                }
                return;
            }
            Ok(codec::Enrollment::Face(enrolled)) => {
                for probe in &enrolled {
                    let s = crate::matcher::face_score_enrollment(probe, &enrolled);
                    assert!(in_range(s), "face score out of range");
                }
                return;
            }
            Err(_) => {}
        }
    }
    let mut r = Reader(data);
    let n = 1 + usize::from(r.u8() % 3);
    let probe = raw_template(&mut r);
    let enrolled: Vec<Template> = (0..n).map(|_| raw_template(&mut r)).collect();
    let s = crate::matcher::score_enrollment(&probe, &enrolled);
    assert!(in_range(s), "score out of range");
}

/// Largest pixel count for which [`face_capture`] repeats a short buffer to
/// the size it declares: 131,072 pixels, so the extreme aspect ratios
/// 4096×32 and 32×4096 are reached while an execution stays short (the
/// networks' inputs have fixed sizes whatever the frame's).
pub const FACE_STRETCH_MAX_PIXELS: usize = 4096 * 32;

/// Where [`face_engine`] reads the face weights when `SEALMATCH_FACE_WEIGHTS`
/// is not set: the file `make face-weights` writes, in this crate's directory.
pub const FACE_WEIGHTS_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/face/sealmatch-face.bin"
);

/// The face engine of the [`face_capture`] target, loaded once from the file
/// named by `SEALMATCH_FACE_WEIGHTS`, else [`FACE_WEIGHTS_PATH`]; `None` when
/// that file does not exist. Panics on a file that exists but does not load.
pub fn face_engine() -> Option<&'static FaceEngine> {
    static ENGINE: OnceLock<Option<FaceEngine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let path = std::env::var_os("SEALMATCH_FACE_WEIGHTS")
                .map_or_else(|| FACE_WEIGHTS_PATH.into(), std::path::PathBuf::from);
            let bytes = std::fs::read(path).ok()?;
            Some(FaceEngine::new(&bytes, FaceOptions::default()).expect("the face weights load"))
        })
        .as_ref()
}

/// A face capture from caller-controlled numbers: width and height (u16
/// each, so up to 16 times the bound on a side) and a mode byte from the
/// input, the rest is the RGBA buffer. When the mode's bit 0 is set and the
/// declared size is at most [`FACE_STRETCH_MAX_PIXELS`], the buffer is
/// repeated to that size so the networks run; bit 1 stops after quality (the
/// live guidance loop) instead of making the embedding.
///
/// Checks: refusals are `INVALID_IMAGE` only, and [`FaceSample::from_rgba`]
/// refuses the same frames; a refused capture (no face, several alike
/// faces, too small) has quality 0 and that one feedback code, no
/// embedding, and a box only for a face it saw; a used face has a finite
/// box, the quality its feedback gives, and (unless in guidance) a finite
/// unit embedding. A capture with an embedding seals and matches itself
/// (score about 1); one without is `LOW_QUALITY` at enroll and verify,
/// never sealed or matched.
pub fn face_capture(engine: &FaceEngine, data: &[u8]) {
    let mut r = Reader(data);
    let (width, height, mode) = (usize::from(r.u16()), usize::from(r.u16()), r.u8());
    let declared = width * height * 4;
    let stretched;
    let pixels: &[u8] =
        if mode & 1 == 1 && !r.0.is_empty() && width * height <= FACE_STRETCH_MAX_PIXELS {
            stretched =
                r.0.iter()
                    .copied()
                    .cycle()
                    .take(declared)
                    .collect::<Vec<u8>>();
            &stretched
        } else {
            r.0
        };
    let frame = match Frame::new(width, height, pixels) {
        Ok(frame) => frame,
        Err(e) => {
            assert_code(&e, &[ErrorCode::InvalidImage]);
            let again = FaceSample::from_rgba(engine, width, height, pixels).unwrap_err();
            assert_eq!(again.code(), e.code(), "Frame and FaceSample disagree");
            return;
        }
    };
    let with_embedding = mode & 2 == 0;
    let cap = engine.run(&frame, with_embedding);
    assert!(cap.quality <= 100);
    if let Some(b) = cap.face_box {
        assert!(
            [b.x, b.y, b.width, b.height].iter().all(|v| v.is_finite()),
            "a face box is finite"
        );
    }
    let refused = matches!(
        cap.feedback.as_slice(),
        [Feedback::NoFace | Feedback::SeveralFaces | Feedback::TooSmall]
    ) && cap.quality == 0;
    if cap.feedback == [Feedback::NoFace] {
        assert!(cap.face_box.is_none(), "no face, no box");
    }
    match &cap.embedding {
        Some(e) => {
            assert!(with_embedding, "guidance makes no embedding");
            assert!(e.0.iter().all(|v| v.is_finite()), "a finite embedding");
            let norm: f32 = e.0.iter().map(|v| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-3, "a unit embedding");
        }
        None => assert!(!with_embedding || refused, "a used face has an embedding"),
    }
    if !refused {
        assert!(cap.face_box.is_some(), "a used face has its box");
        assert_eq!(cap.quality, quality::score(&cap.feedback));
    }
    check_face_sample(&FaceSample::from_capture(cap));
}

/// A usable face sample seals and matches itself; an unusable one is
/// `LOW_QUALITY` at enroll and at verify (against a valid face token).
fn check_face_sample(sample: &FaceSample) {
    let opts = EnrollOptions::new("B1", "SK1415");
    let verify_opts = VerifyOptions::new("B1");
    if sample.is_usable() {
        let e = enroll_any(&[sample], &opts).expect("a usable face seals");
        let r = verify_any(sample, &e.token, &e.passenger_key, &verify_opts).expect("verifies");
        assert!(r.matched && r.score > 0.999, "a face matches itself");
        return;
    }
    assert_eq!(sample.quality(), 0);
    let e = enroll_any(&[sample], &opts).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LowQuality);
    let mut v = [0.0f32; crate::template::EMBEDDING_LEN];
    v[0] = 1.0;
    let other = FaceTemplate::from_embedding(&v).expect("a unit vector");
    let sealed = enroll_any(&[&other], &opts).expect("a template seals");
    let e = verify_any(sample, &sealed.token, &sealed.passenger_key, &verify_opts).unwrap_err();
    assert_eq!(e.code(), ErrorCode::LowQuality);
}
