//! Gate keys fixed in the configuration (`SEALMATCH_GATE_KEYS`), and the
//! shape of a key id and a public key.

use p256::ecdsa::VerifyingKey;

use super::proof::{verify_signature, Proof};
use crate::bags::Boarding;
use crate::errors::{ApiError, ErrorCode};
use sealmatch::token::base64url;

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
/// use sealmatch_server::gates::is_kid;
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
/// use sealmatch_server::gates::parse_public_key;
/// assert!(parse_public_key("AAAA").is_none());
/// ```
pub fn parse_public_key(b64: &str) -> Option<VerifyingKey> {
    if b64.len() > 128 {
        return None;
    }
    base64url::decode(b64).and_then(|b| VerifyingKey::from_sec1_bytes(&b).ok())
}
