//! The modality-neutral layer: face tokens beside fingerprint tokens, the
//! order of checks with `MODALITY_MISMATCH` last, and a capture type that
//! plugs in through `Biometric` as the face engine's will.

use super::*;
use crate::api::biometric::TemplateSource;
use crate::face::capture::FaceCapture;
use crate::face::quality::Feedback as FaceFeedback;
use crate::face::sample::FaceSample;
use crate::matcher::face_score;
use crate::template::{FaceTemplate, EMBEDDING_LEN};

/// A face from a deterministic pseudo-random direction.
fn face(seed: u32) -> FaceTemplate {
    let mut state = seed.wrapping_mul(2_654_435_761) | 1;
    let v: Vec<f32> = (0..EMBEDDING_LEN)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state % 2001) as f32 / 1000.0 - 1.0
        })
        .collect();
    FaceTemplate::from_embedding(&v).unwrap()
}

/// The unit vector along axis `i`.
fn axis(i: usize) -> FaceTemplate {
    let mut v = [0.0; EMBEDDING_LEN];
    v[i] = 1.0;
    FaceTemplate::from_embedding(&v).unwrap()
}

/// A usable fingerprint capture built from a synthetic template.
fn finger(seed: u32) -> Capture {
    Capture::from_parts(synthetic_template(seed, 40), 80, vec![])
}

/// A stand-in for the face engine's capture: a face with a quality verdict,
/// plugged in exactly as a real capture type would be.
struct FaceShot {
    template: FaceTemplate,
    usable: bool,
}

impl Biometric for FaceShot {
    fn is_usable(&self) -> bool {
        self.usable
    }
}

impl TemplateSource for FaceShot {
    fn template_ref(&self) -> TemplateRef<'_> {
        TemplateRef::Face(Some(&self.template))
    }
}

fn faces_token(faces: &[&FaceTemplate], bag: &str) -> Enrolled {
    let faces: Vec<&dyn Biometric> = faces.iter().map(|&f| f as &dyn Biometric).collect();
    enroll_any(&faces, &enroll_opts(bag)).unwrap()
}

#[test]
fn face_tokens_have_the_fingerprint_length_and_header() {
    let prints: Vec<Template> = (0..3).map(|i| synthetic_template(40 + i, 128)).collect();
    let few: Vec<Template> = (0..3).map(|i| synthetic_template(50 + i, 0)).collect();
    let faces: Vec<FaceTemplate> = (0..3).map(|i| face(60 + i)).collect();
    for n in 1..=3 {
        let f = faces_token(&faces.iter().take(n).collect::<Vec<_>>(), "0117123456");
        let p = enroll_templates(
            &prints.iter().take(n).collect::<Vec<_>>(),
            &enroll_opts("0117123456"),
        )
        .unwrap();
        let q = enroll_templates(
            &few.iter().take(n).collect::<Vec<_>>(),
            &enroll_opts("0117123456"),
        )
        .unwrap();
        assert_eq!(f.token.len(), p.token.len(), "{n} captures");
        assert_eq!(f.token.len(), q.token.len(), "{n} captures");
        let segment_lengths = |t: &str| t.split('.').map(str::len).collect::<Vec<_>>();
        assert_eq!(segment_lengths(&f.token), segment_lengths(&p.token));
        // The header is the same, field for field and byte for byte.
        assert_eq!(
            inspect_token(&f.token).unwrap(),
            inspect_token(&p.token).unwrap()
        );
        assert_eq!(
            f.token.split('.').next().unwrap(),
            p.token.split('.').next().unwrap()
        );
    }
}

#[test]
fn same_face_matches_and_orthogonal_faces_do_not() {
    let e = faces_token(&[&axis(0)], "B1");
    let opts = verify_opts("B1", NOW);
    let same = verify_any(&axis(0), &e.token, &e.passenger_key, &opts).unwrap();
    assert_eq!((same.matched, same.score), (true, 1.0));
    assert_eq!(same.threshold.to_bits(), FACE_DEFAULT_THRESHOLD.to_bits());
    let other = verify_any(&axis(1), &e.token, &e.passenger_key, &opts).unwrap();
    assert_eq!((other.matched, other.score), (false, 0.0));

    // Several enrolled captures: the best of them.
    let (a, b, probe) = (face(1), face(2), face(3));
    let e = faces_token(&[&a, &b], "B1");
    let r = verify_any(&probe, &e.token, &e.passenger_key, &opts).unwrap();
    let best = face_score(&probe, &a).max(face_score(&probe, &b));
    assert_eq!(r.score.to_bits(), best.to_bits());
    let r = verify_any(&b, &e.token, &e.passenger_key, &opts).unwrap();
    assert!(r.matched && r.score == 1.0);

    // An operator's threshold, within the face range, is applied as given.
    let mut high = opts.clone();
    high.threshold = Some(FACE_MAX_THRESHOLD);
    let r = verify_any(&probe, &e.token, &e.passenger_key, &high).unwrap();
    assert_eq!(r.threshold, FACE_MAX_THRESHOLD);
    assert!(!r.matched);
}

#[test]
fn the_other_modality_is_a_mismatch_after_decryption() {
    let opts = verify_opts("0117123456", NOW);
    let face_token = faces_token(&[&face(7)], "0117123456");
    let print = synthetic_template(8, 40);
    let print_token = enroll_templates(&[&print], &enroll_opts("0117123456")).unwrap();
    let capture = finger(8);

    let e = verify_any(
        &face(7),
        &print_token.token,
        &print_token.passenger_key,
        &opts,
    );
    assert_eq!(code(e), ErrorCode::ModalityMismatch);
    let e = verify(
        &capture,
        &face_token.token,
        &face_token.passenger_key,
        &opts,
    );
    assert_eq!(code(e), ErrorCode::ModalityMismatch);
    // Each against its own modality works.
    verify(
        &capture,
        &print_token.token,
        &print_token.passenger_key,
        &opts,
    )
    .unwrap();
    verify_any(
        &face(7),
        &face_token.token,
        &face_token.passenger_key,
        &opts,
    )
    .unwrap();
    // check_token has no capture, so both modalities pass it.
    check_token(&face_token.token, &face_token.passenger_key, &opts).unwrap();
    check_token(&print_token.token, &print_token.passenger_key, &opts).unwrap();
}

#[test]
fn every_token_check_comes_before_the_modality() {
    use ErrorCode::*;
    let face_token = faces_token(&[&face(9)], "0117123456");
    let print_token =
        enroll_templates(&[&synthetic_template(9, 30)], &enroll_opts("0117123456")).unwrap();
    let wrong_key = PassengerKey::from_bytes([1; 32]).to_key_string();
    let exp = NOW + DEFAULT_TTL_SECONDS;
    let capture = finger(10);
    let probe = face(11);
    // (token of the other modality, its key) for each probe.
    let cases: [(&dyn Biometric, &Enrolled); 2] = [(&probe, &print_token), (&capture, &face_token)];
    for (probe, token) in cases {
        let run = |t: &str, key: &str, o: &VerifyOptions| code(verify_any(probe, t, key, o));
        let key = token.passenger_key.as_str();
        let in_time = verify_opts("0117123456", NOW);
        assert_eq!(run(&token.token, key, &in_time), ModalityMismatch);
        assert_eq!(run(&token.token, &wrong_key, &in_time), TokenRejected);
        assert_eq!(run(&token.token, "smk1_x", &in_time), KeyMalformed);
        assert_eq!(run("a.b.c", key, &in_time), TokenMalformed);
        let expired = verify_opts("0117123456", exp);
        assert_eq!(run(&token.token, key, &expired), TokenExpired);
        let wrong_bag = verify_opts("0117999999", NOW);
        assert_eq!(run(&token.token, key, &wrong_bag), WrongBag);
        let bad_args = verify_opts("0117-123456", NOW);
        assert_eq!(run(&token.token, key, &bad_args), InvalidArgument);
    }

    // Content that is not a valid enrollment is refused as such, before
    // its modality could matter.
    let key = PassengerKey::from_bytes([3; 32]);
    let key_text = key.to_key_string();
    let header = TokenHeader::new("B1", "SK1", NOW, NOW + 60);
    let opts = verify_opts("B1", NOW);
    let mut content = codec::encode_faces(&[face(12)]).unwrap().to_vec();
    *content.last_mut().unwrap() = 1; // non-zero padding
    let sealed = token::seal_with_iv(&header, &key, &[5; 12], &content).unwrap();
    assert_eq!(
        code(verify(&capture, &sealed, &key_text, &opts)),
        TokenMalformed
    );
    content[1] = 7; // a modality this library does not know
    let sealed = token::seal_with_iv(&header, &key, &[6; 12], &content).unwrap();
    assert_eq!(
        code(verify(&capture, &sealed, &key_text, &opts)),
        TokenUnsupported
    );
    assert_eq!(
        code(check_token(&sealed, &key_text, &opts)),
        TokenUnsupported
    );
}

#[test]
fn capture_quality_comes_before_the_token() {
    let unusable = FaceShot {
        template: face(13),
        usable: false,
    };
    let usable = FaceShot {
        template: face(13),
        usable: true,
    };
    let opts = verify_opts("B1", NOW);
    let e = faces_token(&[&face(13)], "B1");
    for token in ["a.b.c", e.token.as_str()] {
        let r = verify_any(&unusable, token, "smk1_x", &opts);
        assert_eq!(code(r), ErrorCode::LowQuality);
    }
    // Arguments come first.
    let r = verify_any(&unusable, "a.b.c", "smk1_x", &verify_opts("B-1", NOW));
    assert_eq!(code(r), ErrorCode::InvalidArgument);
    let r = verify_any(&usable, &e.token, &e.passenger_key, &opts).unwrap();
    assert!(r.matched);
    // The same capture type enrolls, and a poor one is refused.
    assert_eq!(
        code(enroll_any(&[&unusable], &enroll_opts("B1"))),
        ErrorCode::LowQuality
    );
    let again = enroll_any(&[&usable, &face(14)], &enroll_opts("B1")).unwrap();
    verify_any(&usable, &again.token, &again.passenger_key, &opts).unwrap();
}

/// A face capture in which no face could be used: the engine's result
/// without an embedding, so without a template.
fn no_face() -> FaceSample {
    FaceSample::from_capture(FaceCapture {
        quality: 0,
        feedback: vec![FaceFeedback::NoFace],
        face_box: None,
        embedding: None,
    })
}

#[test]
fn a_face_capture_without_a_template_is_never_sealed_nor_matched() {
    let blank = no_face();
    assert!(!blank.is_usable() && blank.quality() == 0);
    assert_eq!(blank.modality(), Modality::Face);
    // The unit vector a placeholder template could have been: a token of it
    // is not matched by the blank capture, it is refused.
    let e0 = axis(0);
    let sealed = faces_token(&[&e0], "B1");
    let opts = verify_opts("B1", NOW);
    let r = verify_any(&blank, &sealed.token, &sealed.passenger_key, &opts);
    assert_eq!(code(r), ErrorCode::LowQuality);
    assert_eq!(
        code(enroll_any(&[&blank], &enroll_opts("B1"))),
        ErrorCode::LowQuality
    );
    assert_eq!(
        code(enroll_any(&[&e0, &blank], &enroll_opts("B1"))),
        ErrorCode::LowQuality
    );
    // Arguments and modality come first, as for any capture.
    assert_eq!(
        code(enroll_any(&[&blank], &enroll_opts("B-1"))),
        ErrorCode::InvalidArgument
    );
    let print = finger(3);
    assert_eq!(
        code(enroll_any(&[&print, &blank], &enroll_opts("B1"))),
        ErrorCode::InvalidArgument
    );
    // Below those checks, sealing and scoring refuse it too: nothing stands
    // in for the missing template.
    let sealing = Sealing::of(&[&blank]).unwrap();
    assert_eq!(code(sealing.encode()), ErrorCode::LowQuality);
    let sealing = Sealing::of(&[&e0, &blank]).unwrap();
    assert_eq!(code(sealing.encode()), ErrorCode::LowQuality);
    let enrolled = codec::Enrollment::Face(vec![axis(0)]);
    assert_eq!(
        code(blank.template_ref().score(&enrolled)),
        ErrorCode::LowQuality
    );
    let prints = codec::Enrollment::Fingerprint(vec![synthetic_template(3, 40)]);
    assert_eq!(
        code(blank.template_ref().score(&prints)),
        ErrorCode::ModalityMismatch
    );
}

#[test]
fn face_thresholds_have_their_own_range() {
    let e = faces_token(&[&face(15)], "B1");
    let probe = face(15);
    let with = |t: f32| {
        let mut o = verify_opts("B1", NOW);
        o.threshold = Some(t);
        o
    };
    let below = f32::from_bits(FACE_MIN_THRESHOLD.to_bits() - 1);
    let above = f32::from_bits(FACE_MAX_THRESHOLD.to_bits() + 1);
    for t in [MIN_THRESHOLD, below, above, f32::NAN] {
        let r = verify_any(&probe, &e.token, &e.passenger_key, &with(t));
        assert_eq!(code(r), ErrorCode::InvalidArgument, "{t}");
    }
    for t in [
        FACE_MIN_THRESHOLD,
        FACE_DEFAULT_THRESHOLD,
        FACE_MAX_THRESHOLD,
    ] {
        let r = verify_any(&probe, &e.token, &e.passenger_key, &with(t)).unwrap();
        assert_eq!(r.threshold.to_bits(), t.to_bits());
    }
    // A fingerprint threshold below the face floor is still valid for a
    // fingerprint capture (here: against the face token, so a mismatch),
    // and for check_token, which has no capture.
    let r = verify(
        &finger(16),
        &e.token,
        &e.passenger_key,
        &with(MIN_THRESHOLD),
    );
    assert_eq!(code(r), ErrorCode::ModalityMismatch);
    check_token(&e.token, &e.passenger_key, &with(MIN_THRESHOLD)).unwrap();
    check_token(&e.token, &e.passenger_key, &with(FACE_MAX_THRESHOLD)).unwrap();
    let r = check_token(&e.token, &e.passenger_key, &with(above));
    assert_eq!(code(r), ErrorCode::InvalidArgument);
}

#[test]
fn one_enrollment_is_of_one_modality() {
    let (f, c) = (face(17), finger(18));
    let opts = enroll_opts("B1");
    let mixed: [&dyn Biometric; 2] = [&f, &c];
    assert_eq!(code(enroll_any(&mixed, &opts)), ErrorCode::InvalidArgument);
    let mixed: [&dyn Biometric; 3] = [&c, &c, &f];
    assert_eq!(code(enroll_any(&mixed, &opts)), ErrorCode::InvalidArgument);
    // Before the key is read.
    let mut bad_key = enroll_opts("B1");
    bad_key.passenger_key = Some("smk1_x".into());
    assert_eq!(
        code(enroll_any(&mixed, &bad_key)),
        ErrorCode::InvalidArgument
    );
    assert_eq!(code(enroll_any(&[&f], &bad_key)), ErrorCode::KeyMalformed);
    // One to three.
    assert_eq!(code(enroll_any(&[], &opts)), ErrorCode::InvalidArgument);
    assert_eq!(
        code(enroll_any(&[&f, &f, &f, &f], &opts)),
        ErrorCode::InvalidArgument
    );
    // One key seals both modalities for one passenger (a bag by face, a bag
    // by finger), and each token still opens only for its own modality.
    let first = enroll_any(&[&f, &f, &f], &opts).unwrap();
    let mut second = enroll_opts("B2");
    second.passenger_key = Some(first.passenger_key.to_string());
    let second = enroll_any(&[&c], &second).unwrap();
    assert_eq!(first.passenger_key, second.passenger_key);
    let key = first.passenger_key.as_str();
    assert!(
        verify_any(&c, &second.token, key, &verify_opts("B2", NOW))
            .unwrap()
            .matched
    );
    let r = verify_any(&f, &second.token, key, &verify_opts("B2", NOW));
    assert_eq!(code(r), ErrorCode::ModalityMismatch);
}
