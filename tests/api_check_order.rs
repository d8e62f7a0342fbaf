//! The order of checks of `verify` after the capture (arguments → token
//! structure → key → bag and flight → expiry → decryption), through the
//! public `check_token`, which runs exactly those steps. The capture steps are
//! covered by the unit tests in `src/api/tests.rs`.

use sealmatch::template::{codec, Minutia, Template};
use sealmatch::token::{self, TokenHeader};
use sealmatch::{check_token, inspect_token, ErrorCode, PassengerKey, VerifyOptions};

const IAT: u64 = 1_767_225_600;
const EXP: u64 = IAT + 600;

struct Fixture {
    token: String,
    key: String,
}

fn fixture() -> Fixture {
    let key = PassengerKey::from_bytes([42; 32]);
    let t = Template {
        width: 256,
        height: 256,
        dpi: 500,
        minutiae: (0..20u16)
            .map(|i| Minutia {
                x: i * 12,
                y: 255 - i * 9,
                direction: (i * 13) as u8,
                quality: 60,
                ..Minutia::default()
            })
            .collect(),
    };
    let content = codec::encode_enrollment(&[t]).unwrap();
    let token = token::seal(
        &TokenHeader::new("0117123456", "SK1415", IAT, EXP),
        &key,
        &content,
    )
    .unwrap();
    Fixture {
        token,
        key: key.to_key_string().to_string(),
    }
}

fn opts(bag: &str, flight: Option<&str>, now: u64) -> VerifyOptions {
    let mut o = VerifyOptions::new(bag);
    o.flight = flight.map(str::to_owned);
    o.now = Some(now);
    o
}

fn code(token: &str, key: &str, o: &VerifyOptions) -> ErrorCode {
    check_token(token, key, o).unwrap_err().code()
}

const MALFORMED_KEY: &str = "smk1_too-short";
const TRUNCATED: &str = "eyJhbGciOiJkaXIifQ..AAAA";

#[test]
fn each_step_wins_over_the_later_ones() {
    let f = fixture();
    let wrong_key = PassengerKey::from_bytes([1; 32]).to_key_string();
    use ErrorCode::*;
    // Arguments first: a bad bag tag even with a malformed token and key.
    assert_eq!(
        code(TRUNCATED, MALFORMED_KEY, &opts("bad tag", None, IAT)),
        InvalidArgument
    );
    assert_eq!(
        code(TRUNCATED, MALFORMED_KEY, &opts("B1", Some("sk1"), IAT)),
        InvalidArgument
    );
    // Token structure before the key.
    assert_eq!(
        code(TRUNCATED, MALFORMED_KEY, &opts("0117123456", None, IAT)),
        TokenMalformed
    );
    // Key before the bag.
    assert_eq!(
        code(&f.token, MALFORMED_KEY, &opts("0117999999", None, EXP + 1)),
        KeyMalformed
    );
    // Bag and flight before expiry.
    assert_eq!(
        code(&f.token, &wrong_key, &opts("0117999999", None, EXP + 1)),
        WrongBag
    );
    assert_eq!(
        code(
            &f.token,
            &wrong_key,
            &opts("0117123456", Some("SK1416"), EXP + 1)
        ),
        WrongBag
    );
    // Expiry before decryption: expired from `exp` on.
    assert_eq!(
        code(&f.token, &wrong_key, &opts("0117123456", None, EXP)),
        TokenExpired
    );
    assert_eq!(
        code(&f.token, &wrong_key, &opts("0117123456", None, EXP - 1)),
        TokenRejected
    );
    // And all well.
    let h = check_token(
        &f.token,
        &f.key,
        &opts("0117123456", Some("SK1415"), EXP - 1),
    )
    .unwrap();
    assert_eq!(h, inspect_token(&f.token).unwrap());
}

#[test]
fn bag_tags_compare_exactly() {
    let f = fixture();
    for bag in ["0117123456X", "011712345", "0117123457"] {
        assert_eq!(
            code(&f.token, &f.key, &opts(bag, None, IAT)),
            ErrorCode::WrongBag
        );
    }
    // Case matters: bag tags are case-sensitive like the header.
    let mut o = opts("B1", None, IAT);
    let key = PassengerKey::from_bytes([2; 32]);
    let t = token::seal(&TokenHeader::new("ab1", "SK1", IAT, EXP), &key, b"x").unwrap();
    o.bag_tag = "AB1".into();
    assert_eq!(code(&t, &key.to_key_string(), &o), ErrorCode::WrongBag);
}

#[test]
fn default_clock_is_used_when_now_is_absent() {
    // The fixture expired long before the test runs (2026-01-01 + 10 min), so
    // with the real clock it is refused as expired.
    let f = fixture();
    let o = VerifyOptions::new("0117123456");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    if now >= EXP {
        assert_eq!(code(&f.token, &f.key, &o), ErrorCode::TokenExpired);
    }
}
