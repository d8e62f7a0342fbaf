//! Passenger keys: the `smk1_` string form and every way it can be malformed.

use sealmatch::{ErrorCode, PassengerKey};

/// Computed independently (Python: `hashlib` + `base64.urlsafe_b64encode`).
const KEY_0_TO_31: &str = "smk1_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9jDc0p";
const KEY_ALL_FF: &str = "smk1___________________________________________-vlhN2";

fn bytes_0_to_31() -> [u8; 32] {
    std::array::from_fn(|i| i as u8)
}

#[test]
fn known_key_strings() {
    let key = PassengerKey::from_bytes(bytes_0_to_31());
    assert_eq!(key.to_key_string().as_str(), KEY_0_TO_31);
    assert_eq!(PassengerKey::parse(KEY_0_TO_31).unwrap(), key);
    let ff = PassengerKey::from_bytes([0xff; 32]);
    assert_eq!(ff.to_key_string().as_str(), KEY_ALL_FF);
    assert_eq!(PassengerKey::parse(KEY_ALL_FF).unwrap(), ff);
    assert_ne!(key, ff);
}

#[test]
fn generated_keys_differ_and_round_trip() {
    let a = PassengerKey::generate().unwrap();
    let b = PassengerKey::generate().unwrap();
    assert_ne!(a, b);
    for k in [a, b] {
        let s = k.to_key_string();
        assert_eq!(s.len(), 53);
        assert_eq!(PassengerKey::parse(&s).unwrap(), k);
    }
}

#[test]
fn debug_hides_the_bytes() {
    let key = PassengerKey::from_bytes(bytes_0_to_31());
    let shown = format!("{key:?} {key:#?}");
    assert!(
        !shown.contains("AAECAw") && !shown.contains("31"),
        "{shown}"
    );
}

fn code(s: &str) -> ErrorCode {
    PassengerKey::parse(s).unwrap_err().code()
}

#[test]
fn each_malformation_is_key_malformed() {
    let good = KEY_0_TO_31;
    let body = &good[5..];
    let mut cases: Vec<String> = vec![
        String::new(),
        "smk1_".into(),
        format!("smk2_{body}"),
        format!("SMK1_{body}"),
        format!("smk1-{body}"),
        body.to_string(),
        good[..52].to_string(),
        format!("{good}A"),
        format!("{good}="),
        format!(" {good}"),
        good.replacen('A', "+", 1),
        good.replacen('A', "/", 1),
        good.replacen('A', "=", 1),
        good.replacen('A', "é", 1),
    ];
    // Checksum: change one character of the key part, or of the checksum part.
    for at in [5, 20, 46, 47, 50, 52] {
        let mut s = good.as_bytes().to_vec();
        s[at] = if s[at] == b'Q' { b'R' } else { b'Q' };
        cases.push(String::from_utf8(s).unwrap());
    }
    for case in &cases {
        assert_eq!(code(case), ErrorCode::KeyMalformed, "{case:?}");
    }
}
