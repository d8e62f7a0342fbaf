//! `enroll` and `verify` through the public API with real captures of
//! synthetic fingers (made by `sealmatch-synth`, no fingerprint data): a
//! genuine match, an impostor non-match, key reuse, and the order of checks
//! with a capture in play.

use sealmatch::{enroll, inspect_token, verify, Capture, EnrollOptions, ErrorCode, VerifyOptions};
use sealmatch_synth::{Finger, FingerConfig, Variation};

const NOW: u64 = 1_767_225_600;

fn capture(finger: &Finger, impression: u64) -> Capture {
    let img = finger.impression(impression, &Variation::gentle());
    Capture::from_gray(img.width as u32, img.height as u32, &img.pixels, 500).unwrap()
}

fn enroll_opts(bag: &str) -> EnrollOptions {
    let mut o = EnrollOptions::new(bag, "SK1415");
    o.now = Some(NOW);
    o
}

fn verify_opts(bag: &str, now: u64) -> VerifyOptions {
    let mut o = VerifyOptions::new(bag);
    o.now = Some(now);
    o
}

#[test]
fn genuine_matches_impostor_does_not() {
    let cfg = FingerConfig::default();
    let a = Finger::new(101, &cfg);
    let b = Finger::new(202, &cfg);
    let (a0, a1, b0) = (capture(&a, 0), capture(&a, 1), capture(&b, 0));
    for c in [&a0, &a1, &b0] {
        assert!(
            c.is_usable(),
            "synthetic capture should be usable (quality {})",
            c.quality()
        );
    }
    let e = enroll(&[&a0], &enroll_opts("0117123456")).unwrap();
    let o = verify_opts("0117123456", NOW + 60);
    let genuine = verify(&a1, &e.token, &e.passenger_key, &o).unwrap();
    let impostor = verify(&b0, &e.token, &e.passenger_key, &o).unwrap();
    assert!(genuine.score > impostor.score, "{genuine:?} {impostor:?}");
    assert!(genuine.matched, "{genuine:?}");
    assert!(!impostor.matched, "{impostor:?}");
    assert_eq!(genuine.threshold, sealmatch::matcher::DEFAULT_THRESHOLD);
    // An operator's threshold between the two scores decides both ways.
    let mut mid = o.clone();
    mid.threshold = Some((genuine.score + impostor.score) / 2.0);
    assert!(
        verify(&a1, &e.token, &e.passenger_key, &mid)
            .unwrap()
            .matched
    );
    assert!(
        !verify(&b0, &e.token, &e.passenger_key, &mid)
            .unwrap()
            .matched
    );
}

#[test]
fn one_key_for_several_bags_and_impressions() {
    let a = Finger::new(303, &FingerConfig::default());
    let caps: Vec<Capture> = (0..4).map(|i| capture(&a, i)).collect();
    let first = enroll(&[&caps[0]], &enroll_opts("0117123456")).unwrap();
    let mut opts = enroll_opts("0117123457");
    opts.passenger_key = Some(first.passenger_key.to_string());
    opts.ttl_seconds = Some(600);
    let second = enroll(&[&caps[0], &caps[1], &caps[2]], &opts).unwrap();
    assert_eq!(first.passenger_key, second.passenger_key);
    assert_eq!(inspect_token(&second.token).unwrap().expires_at, NOW + 600);
    // Token length depends only on the number of impressions.
    let again = enroll(&[&caps[1], &caps[2], &caps[3]], &opts).unwrap();
    assert_eq!(again.token.len(), second.token.len());
    assert_ne!(again.token, second.token);

    let mut v = verify_opts("0117123457", NOW + 599);
    v.flight = Some("SK1415".into());
    let r = verify(&caps[3], &second.token, &first.passenger_key, &v).unwrap();
    assert!(r.matched, "{r:?}");
    v.now = Some(NOW + 600);
    let e = verify(&caps[3], &second.token, &first.passenger_key, &v).unwrap_err();
    assert_eq!(e.code(), ErrorCode::TokenExpired);
}

#[test]
fn check_order_with_captures() {
    let a = Finger::new(404, &FingerConfig::default());
    let good = capture(&a, 0);
    let e = enroll(&[&good], &enroll_opts("0117123456")).unwrap();
    let blank = Capture::from_gray(300, 300, &[255; 90_000], 500).unwrap();
    assert!(!blank.is_usable());
    let code =
        |c: &Capture, t: &str, k: &str, o: &VerifyOptions| verify(c, t, k, o).unwrap_err().code();
    use ErrorCode::*;
    let o = verify_opts("0117123456", NOW);
    assert_eq!(
        code(&blank, "x", "y", &verify_opts("bad-tag", NOW)),
        InvalidArgument
    );
    assert_eq!(code(&blank, "x", "y", &o), LowQuality);
    assert_eq!(code(&good, "x", "y", &o), TokenMalformed);
    assert_eq!(
        code(&good, &e.token, "y", &verify_opts("0117999999", NOW)),
        KeyMalformed
    );
    let other_key = enroll(&[&good], &enroll_opts("1")).unwrap().passenger_key;
    assert_eq!(
        code(
            &good,
            &e.token,
            &other_key,
            &verify_opts("0117999999", NOW + 9999)
        ),
        WrongBag
    );
    assert_eq!(
        code(
            &good,
            &e.token,
            &other_key,
            &verify_opts("0117123456", NOW + 3600)
        ),
        TokenExpired
    );
    assert_eq!(code(&good, &e.token, &other_key, &o), TokenRejected);

    assert_eq!(
        enroll(&[&blank], &enroll_opts("B1")).unwrap_err().code(),
        LowQuality
    );
    assert_eq!(
        enroll(&[&blank], &enroll_opts("B-1")).unwrap_err().code(),
        InvalidArgument
    );
    assert_eq!(
        enroll(&[], &enroll_opts("B1")).unwrap_err().code(),
        InvalidArgument
    );
    assert_eq!(
        enroll(&[&good; 4], &enroll_opts("B1")).unwrap_err().code(),
        InvalidArgument
    );
}
