//! Kiosk-signed boarding results: required when any gate key is known (from
//! `SEALMATCH_GATE_KEYS` or registered at run time, see [`crate::gates`]) or
//! when `SEALMATCH_GATE_SIGNING=required`.
//!
//! A bearer kiosk key is a shared secret; alone it should not be enough to keep
//! a bag on board. Each gate (or staff) device holds its own ECDSA P-256 key
//! pair (in a browser: a non-extractable WebCrypto key) and the operator
//! registers its public key under a key id. When gate keys are configured, a
//! report that boards a bag (`matched: true` or `manual: true`) must carry a
//! `proof`: the device's signature over the result and a one-time challenge the
//! server issued for that bag (returned by `GET .../token` in the
//! `Sealmatch-Challenge` header, or by `POST .../challenge`). A challenge is
//! valid for [`CHALLENGE_TTL_SECONDS`] and only once.
//!
//! Signed message (ASCII, `\n` separated, no trailing newline):
//! `sealmatch-boarding-v1`, the bag tag, the result (`matched`, `not_matched`
//! or `manual`), the challenge. Signature: ECDSA P-256 with SHA-256, the 64-byte
//! `r || s` form WebCrypto produces, base64url without padding.

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::Deserialize;

use crate::bags::Boarding;
use crate::errors::{ApiError, ErrorCode};
use sealmatch::token::base64url;

/// How long an issued challenge can be used.
pub const CHALLENGE_TTL_SECONDS: i64 = 600;
/// The response header that carries a fresh challenge.
pub const CHALLENGE_HEADER: &str = "sealmatch-challenge";
/// First line of every signed message.
pub const CONTEXT: &str = "sealmatch-boarding-v1";

/// The registered gate keys, by key id.
#[derive(Clone, Default)]
pub struct GateKeys {
    keys: Vec<(String, VerifyingKey)>,
}

impl std::fmt::Debug for GateKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.keys.iter().map(|(kid, _)| kid))
            .finish()
    }
}

/// Whether `s` is a valid gate key id: 1–64 of A–Z, a–z, 0–9, `-`, `_`, `.`.
///
/// ```
/// use sealmatch_server::proof::is_kid;
/// assert!(is_kid("gate-AbC_12.x"));
/// assert!(!is_kid("gate 1"));
/// assert!(!is_kid(""));
/// ```
pub fn is_kid(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

impl GateKeys {
    /// Parses `kid=PUBLIC_KEY[,kid=PUBLIC_KEY...]`, each public key the
    /// base64url (no padding) of a SEC1 P-256 point (65 bytes uncompressed, as
    /// WebCrypto's `exportKey("raw", ...)` gives, or 33 bytes compressed).
    pub fn parse(list: &str) -> Result<GateKeys, String> {
        let mut keys: Vec<(String, VerifyingKey)> = Vec::new();
        for pair in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (kid, key) = pair
                .split_once('=')
                .ok_or("SEALMATCH_GATE_KEYS must be kid=publickey pairs")?;
            if !is_kid(kid) || keys.iter().any(|(k, _)| k == kid) {
                return Err(format!(
                    "SEALMATCH_GATE_KEYS: key ids are unique, 1-64 of A-Z a-z 0-9 - _ . (bad: {kid:?})"
                ));
            }
            let key = parse_public_key(key).ok_or_else(|| {
                format!("SEALMATCH_GATE_KEYS: {kid} is not a base64url P-256 public key")
            })?;
            keys.push((kid.to_owned(), key));
        }
        Ok(GateKeys { keys })
    }

    /// From verifying keys (tests, tools).
    pub fn from_keys(keys: Vec<(String, VerifyingKey)>) -> GateKeys {
        GateKeys { keys }
    }

    /// True when no key is registered: proofs are then not required.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The key registered under `kid`, if any.
    pub fn get(&self, kid: &str) -> Option<&VerifyingKey> {
        self.keys.iter().find(|(k, _)| k == kid).map(|(_, key)| key)
    }

    /// Checks `proof`'s signature over `bag`, `result` and its challenge.
    /// (Whether the challenge is the bag's live one is the store's check.)
    pub fn verify(&self, bag: &str, result: Boarding, proof: &Proof) -> Result<(), ApiError> {
        let key = self
            .get(&proof.kid)
            .ok_or_else(|| ApiError::new(ErrorCode::BadProof, "unknown gate key id"))?;
        verify_signature(key, bag, result, proof)
    }
}

/// A P-256 public key from base64url (no padding) of its SEC1 form (65 bytes
/// uncompressed, as WebCrypto's `exportKey("raw", ...)` gives, or 33 compressed).
///
/// ```
/// use sealmatch_server::proof::parse_public_key;
/// assert!(parse_public_key("AAAA").is_none());
/// ```
pub fn parse_public_key(b64: &str) -> Option<VerifyingKey> {
    if b64.len() > 128 {
        return None;
    }
    base64url::decode(b64).and_then(|b| VerifyingKey::from_sec1_bytes(&b).ok())
}

/// Checks `proof.sig` under `key` over `bag`, `result` and `proof.challenge`.
pub fn verify_signature(
    key: &VerifyingKey,
    bag: &str,
    result: Boarding,
    proof: &Proof,
) -> Result<(), ApiError> {
    let bad = |m: &str| ApiError::new(ErrorCode::BadProof, m);
    let sig = base64url::decode(&proof.sig)
        .filter(|b| b.len() == 64)
        .and_then(|b| Signature::from_slice(&b).ok())
        .ok_or_else(|| bad("sig must be base64url of a 64-byte P-256 signature"))?;
    key.verify(message(bag, result, &proof.challenge).as_bytes(), &sig)
        .map_err(|_| bad("the signature does not verify"))
}

/// A signed boarding result, as sent in the report's `proof` member.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Proof {
    /// The gate key id.
    pub kid: String,
    /// The challenge the server issued for this bag.
    pub challenge: String,
    /// base64url of the 64-byte signature.
    pub sig: String,
}

/// The result word in the signed message.
pub fn result_word(result: Boarding) -> &'static str {
    match result {
        Boarding::Matched => "matched",
        Boarding::NotMatched => "not_matched",
        Boarding::Manual => "manual",
    }
}

/// The exact bytes a gate signs.
///
/// ```
/// use sealmatch_server::{bags::Boarding, proof};
/// assert_eq!(
///     proof::message("0117123456", Boarding::Matched, "q1w2e3"),
///     "sealmatch-boarding-v1\n0117123456\nmatched\nq1w2e3"
/// );
/// ```
pub fn message(bag: &str, result: Boarding, challenge: &str) -> String {
    format!("{CONTEXT}\n{bag}\n{}\n{challenge}", result_word(result))
}

/// A one-time boarding challenge the server issues for a bag: the gate signs
/// it with its result, and the store uses it up with the signed report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// 16 random bytes, base64url (22 characters).
    pub value: String,
    /// Unix seconds from which it is no longer accepted.
    pub expires_at: i64,
}

impl Challenge {
    /// A fresh challenge issued at `now`, valid [`CHALLENGE_TTL_SECONDS`].
    ///
    /// ```
    /// use sealmatch_server::proof::{Challenge, CHALLENGE_TTL_SECONDS};
    /// let c = Challenge::issue(1_000).unwrap();
    /// assert_eq!(c.value.len(), 22);
    /// assert_eq!(c.expires_at, 1_000 + CHALLENGE_TTL_SECONDS);
    /// assert_ne!(c.value, Challenge::issue(1_000).unwrap().value);
    /// ```
    pub fn issue(now: i64) -> Result<Challenge, ApiError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| ApiError::internal("no randomness", &e))?;
        Ok(Challenge {
            value: base64url::encode(&bytes),
            expires_at: now + CHALLENGE_TTL_SECONDS,
        })
    }
}
