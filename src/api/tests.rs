//! Unit tests of `enroll` and `verify`: the order of checks, key reuse,
//! expiry and content checks. Captures are built from parts, so these tests do
//! not depend on the extractor; the steps after the capture checks are run
//! through the same private functions `enroll` and `verify` use.

use super::*;
use crate::capture::Feedback;
use crate::matcher::{score_enrollment, Prepared};
use crate::template::{Minutia, MinutiaKind, Template};

mod modality;

const NOW: u64 = 1_750_000_000;

fn synthetic_template(seed: u32, count: usize) -> Template {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    Template {
        width: 320,
        height: 360,
        dpi: 500,
        minutiae: (0..count)
            .map(|_| Minutia {
                x: (next() % 320) as u16,
                y: (next() % 360) as u16,
                direction: next() as u8,
                kind: if next() & 1 == 0 {
                    MinutiaKind::Ending
                } else {
                    MinutiaKind::Bifurcation
                },
                quality: (next() % 101) as u8,
            })
            .collect(),
    }
}

fn enroll_opts(bag: &str) -> EnrollOptions {
    let mut opts = EnrollOptions::new(bag, "SK1415");
    opts.now = Some(NOW);
    opts
}

/// `enroll` after its capture checks.
fn enroll_templates(templates: &[&Template], opts: &EnrollOptions) -> Result<Enrolled> {
    let (header, key) = enroll_arguments(opts)?;
    seal_enrollment(&Sealing::Fingerprint(templates.to_vec()), &header, key)
}

fn verify_opts(bag: &str, now: u64) -> VerifyOptions {
    let mut opts = VerifyOptions::new(bag);
    opts.now = Some(now);
    opts
}

/// `verify` after its capture checks.
fn verify_probe(
    probe: &Template,
    token: &str,
    key: &str,
    opts: &VerifyOptions,
) -> Result<Verification> {
    let threshold = verify_arguments(opts, Modality::Fingerprint)?;
    let prepared = Prepared::new(probe);
    let probe = TemplateRef::Fingerprint {
        template: probe,
        prepared: &prepared,
    };
    verify_template(probe, token, key, opts, threshold)
}

fn code<T: fmt::Debug>(r: Result<T>) -> ErrorCode {
    r.unwrap_err().code()
}

fn unusable_capture() -> Capture {
    Capture::from_parts(Template::default(), 0, vec![Feedback::Blank])
}

#[test]
fn enroll_then_verify_scores_with_the_matcher() {
    let t = synthetic_template(1, 40);
    let probe = synthetic_template(2, 35);
    let e = enroll_templates(&[&t], &enroll_opts("0117123456")).unwrap();
    let header = inspect_token(&e.token).unwrap();
    assert_eq!(header.bag_tag, "0117123456");
    assert_eq!(header.flight, "SK1415");
    assert_eq!(header.issued_at, NOW);
    assert_eq!(header.expires_at, NOW + DEFAULT_TTL_SECONDS);

    let opts = verify_opts("0117123456", NOW + 10);
    let r = verify_probe(&probe, &e.token, &e.passenger_key, &opts).unwrap();
    let expected = score_enrollment(&probe, std::slice::from_ref(&t));
    assert_eq!(r.score.to_bits(), expected.to_bits());
    assert_eq!(r.threshold.to_bits(), DEFAULT_THRESHOLD.to_bits());
    assert_eq!(r.matched, r.score >= r.threshold);

    // An operator's threshold in MIN_THRESHOLD..=MAX_THRESHOLD is used as
    // given; the probe against its own token (score above 0.5) matches up to 0.5.
    let own = enroll_templates(&[&probe], &enroll_opts("0117123456")).unwrap();
    for t in [MIN_THRESHOLD, DEFAULT_THRESHOLD, 0.5, MAX_THRESHOLD] {
        let mut o = opts.clone();
        o.threshold = Some(t);
        let v = verify_probe(&probe, &e.token, &e.passenger_key, &o).unwrap();
        assert_eq!(v.threshold.to_bits(), t.to_bits());
        assert_eq!(v.matched, v.score >= t);
        let v = verify_probe(&probe, &own.token, &own.passenger_key, &o).unwrap();
        assert_eq!(v.matched, v.score >= t);
        assert!(v.matched || t > 0.5, "{v:?}");
    }
    let mut high = opts;
    high.threshold = Some(MAX_THRESHOLD);
    assert!(
        !verify_probe(&probe, &e.token, &e.passenger_key, &high)
            .unwrap()
            .matched
    );

    let checked = check_token(&e.token, &e.passenger_key, &verify_opts("0117123456", NOW)).unwrap();
    assert_eq!(checked, header);
}

#[test]
fn one_key_opens_all_of_a_passengers_tokens() {
    let t = synthetic_template(3, 30);
    let first = enroll_templates(&[&t], &enroll_opts("0117123456")).unwrap();
    let mut opts = enroll_opts("0117123457");
    opts.passenger_key = Some(first.passenger_key.to_string());
    opts.flight = "LH2441".into();
    let second = enroll_templates(&[&t, &t], &opts).unwrap();
    assert_eq!(first.passenger_key, second.passenger_key);
    let mut v = verify_opts("0117123457", NOW);
    v.flight = Some("LH2441".into());
    check_token(&second.token, &first.passenger_key, &v).unwrap();
    // A fresh enrollment gets a fresh key that does not open the first token.
    let other = enroll_templates(&[&t], &enroll_opts("0117123456")).unwrap();
    assert_ne!(other.passenger_key, first.passenger_key);
    let e = check_token(
        &first.token,
        &other.passenger_key,
        &verify_opts("0117123456", NOW),
    );
    assert_eq!(code(e), ErrorCode::TokenRejected);
}

#[test]
fn enroll_arguments_are_checked() {
    let t = synthetic_template(4, 20);
    type Edit = Box<dyn Fn(&mut EnrollOptions)>;
    let cases: Vec<(Edit, ErrorCode)> = vec![
        (
            Box::new(|o| o.bag_tag = String::new()),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.bag_tag = "A".repeat(21)),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.bag_tag = "0117 123".into()),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.flight = "S".into()),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.flight = "SK14151X9".into()),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.flight = "sk1415".into()),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.ttl_seconds = Some(0)),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.ttl_seconds = Some(86_401)),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.now = Some(MAX_TIME)),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.now = Some(u64::MAX)),
            ErrorCode::InvalidArgument,
        ),
        (
            Box::new(|o| o.passenger_key = Some("smk1_x".into())),
            ErrorCode::KeyMalformed,
        ),
    ];
    for (edit, want) in cases {
        let mut opts = enroll_opts("0117123456");
        edit(&mut opts);
        assert_eq!(code(enroll_templates(&[&t], &opts)), want, "{opts:?}");
        // Arguments come before capture quality.
        assert_eq!(code(enroll(&[&unusable_capture()], &opts)), want);
    }
    let mut opts = enroll_opts("Z");
    opts.ttl_seconds = Some(86_400);
    let h = inspect_token(&enroll_templates(&[&t], &opts).unwrap().token).unwrap();
    assert_eq!(h.expires_at - h.issued_at, 86_400);

    let opts = enroll_opts("0117123456");
    let cap = unusable_capture();
    assert_eq!(code(enroll(&[], &opts)), ErrorCode::InvalidArgument);
    assert_eq!(code(enroll(&[&cap; 4], &opts)), ErrorCode::InvalidArgument);
    assert_eq!(code(enroll(&[&cap], &opts)), ErrorCode::LowQuality);
}

#[test]
fn enroll_options_debug_hides_the_key() {
    let mut opts = enroll_opts("B1");
    let key = PassengerKey::from_bytes([9; 32]).to_key_string();
    opts.passenger_key = Some(key.to_string());
    assert!(!format!("{opts:?}").contains(key.as_str()));
    let e = enroll_templates(&[&synthetic_template(5, 5)], &opts).unwrap();
    assert!(!format!("{e:?}").contains(key.as_str()));
    assert_eq!(*e.passenger_key, *key);
}

#[test]
fn verify_checks_in_the_documented_order() {
    let t = synthetic_template(6, 40);
    let e = enroll_templates(&[&t], &enroll_opts("0117123456")).unwrap();
    let good_key = e.passenger_key.as_str();
    let wrong_key = PassengerKey::from_bytes([1; 32]).to_key_string();
    let wrong_key = wrong_key.as_str();
    let bad_key = "smk1_not-a-key";
    let exp = NOW + DEFAULT_TTL_SECONDS;
    let bad_token = "a.b.c";
    let probe = synthetic_template(7, 30);
    let cap = unusable_capture();

    use ErrorCode::*;
    // arguments → capture quality
    let mut bad_args = verify_opts("0117-123456", NOW);
    assert_eq!(
        code(verify(&cap, bad_token, bad_key, &bad_args)),
        InvalidArgument
    );
    bad_args = verify_opts("0117123456", NOW);
    bad_args.flight = Some("x".into());
    assert_eq!(
        code(verify(&cap, bad_token, bad_key, &bad_args)),
        InvalidArgument
    );
    let just_below = f32::from_bits(MIN_THRESHOLD.to_bits() - 1);
    let just_above = f32::from_bits(MAX_THRESHOLD.to_bits() + 1);
    for t in [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::MIN,
        -1.0,
        0.0,
        -0.0,
        0.01,
        just_below,
        just_above,
        40.0,
        f32::MAX,
    ] {
        let mut o = verify_opts("0117123456", NOW);
        o.threshold = Some(t);
        assert_eq!(code(verify(&cap, bad_token, bad_key, &o)), InvalidArgument);
        assert_eq!(code(check_token(&e.token, good_key, &o)), InvalidArgument);
    }
    // capture quality → token structure
    let ok = verify_opts("0117123456", NOW);
    assert_eq!(code(verify(&cap, bad_token, bad_key, &ok)), LowQuality);
    // token structure → key
    assert_eq!(
        code(verify_probe(&probe, bad_token, bad_key, &ok)),
        TokenMalformed
    );
    // key → bag
    let wrong_bag = verify_opts("0117999999", exp);
    assert_eq!(
        code(verify_probe(&probe, &e.token, bad_key, &wrong_bag)),
        KeyMalformed
    );
    // bag and flight → expiry
    assert_eq!(
        code(verify_probe(&probe, &e.token, good_key, &wrong_bag)),
        WrongBag
    );
    let mut wrong_flight = verify_opts("0117123456", exp);
    wrong_flight.flight = Some("SK1416".into());
    assert_eq!(
        code(verify_probe(&probe, &e.token, good_key, &wrong_flight)),
        WrongBag
    );
    // expiry → decryption
    let expired = verify_opts("0117123456", exp);
    assert_eq!(
        code(verify_probe(&probe, &e.token, wrong_key, &expired)),
        TokenExpired
    );
    // decryption
    let in_time = verify_opts("0117123456", exp - 1);
    assert_eq!(
        code(verify_probe(&probe, &e.token, wrong_key, &in_time)),
        TokenRejected
    );
    verify_probe(&probe, &e.token, good_key, &in_time).unwrap();
    let mut right_flight = in_time.clone();
    right_flight.flight = Some("SK1415".into());
    verify_probe(&probe, &e.token, good_key, &right_flight).unwrap();
}

#[test]
fn authenticated_but_bad_content_is_refused() {
    let key = PassengerKey::from_bytes([3; 32]);
    let key_text = key.to_key_string();
    let header = TokenHeader::new("B1", "SK1", NOW, NOW + 60);
    let probe = synthetic_template(8, 10);
    let opts = verify_opts("B1", NOW);
    let good = codec::encode_enrollment(&[synthetic_template(9, 10)]).unwrap();
    let mut future = good.clone();
    future[0] = 3;
    let cases: [(&[u8], ErrorCode); 4] = [
        (b"", ErrorCode::TokenMalformed),
        (b"\x01not a template", ErrorCode::TokenMalformed),
        (&good[..good.len() - 1], ErrorCode::TokenMalformed),
        (&future, ErrorCode::TokenUnsupported),
    ];
    for (content, want) in cases {
        let sealed = token::seal_with_iv(&header, &key, &[5; 12], content).unwrap();
        assert_eq!(code(verify_probe(&probe, &sealed, &key_text, &opts)), want);
    }
    let sealed = token::seal_with_iv(&header, &key, &[5; 12], &good).unwrap();
    verify_probe(&probe, &sealed, &key_text, &opts).unwrap();
}
