//! Base64url against RFC 4648 and the canonical-form rules.

use sealmatch::token::base64url::{decode, encode};

/// RFC 4648 §10 test vectors (unpadded, as base64url without padding writes them).
const RFC4648: [(&str, &str); 7] = [
    ("", ""),
    ("f", "Zg"),
    ("fo", "Zm8"),
    ("foo", "Zm9v"),
    ("foob", "Zm9vYg"),
    ("fooba", "Zm9vYmE"),
    ("foobar", "Zm9vYmFy"),
];

#[test]
fn rfc4648_test_vectors() {
    for (plain, encoded) in RFC4648 {
        assert_eq!(encode(plain.as_bytes()), encoded);
        assert_eq!(decode(encoded).unwrap(), plain.as_bytes());
    }
}

#[test]
fn url_safe_alphabet() {
    // Standard base64 would write "+/8=" (RFC 4648 §4); base64url uses - and _ (§5).
    assert_eq!(encode(&[0xfb, 0xff]), "-_8");
    assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(decode(&encode(&all)).unwrap(), all);
}

#[test]
fn only_canonical_strings_decode() {
    for bad in [
        "Zg==", // padding
        "Zg=", "Zm9vY",   // length 4k + 1
        "Zh",      // unused bits set: "f" is only "Zg"
        "Zm9",     // "fo" is "Zm8"
        "+/8",     // standard alphabet
        "Zm9v Yg", // space
        "Zm9v\nYg", "Zm9vYé", "Zm9v.g",
    ] {
        assert_eq!(decode(bad), None, "{bad:?}");
    }
    // Every 2- and 3-character string: decodes iff it re-encodes to itself.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut seen = std::collections::HashSet::new();
    for &a in alphabet {
        for &b in alphabet {
            for tail in [None, Some(b'A'), Some(b'B'), Some(b'D'), Some(b'_')] {
                let mut s = vec![a, b];
                s.extend(tail);
                let s = String::from_utf8(s).unwrap();
                if let Some(bytes) = decode(&s) {
                    assert_eq!(encode(&bytes), s);
                    assert!(seen.insert(bytes), "two strings for one value");
                }
            }
        }
    }
}
