//! The signed boarding result: the one-time challenge a gate signs, the exact
//! message, and the signature check.
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
/// use sealmatch_server::{bags::Boarding, gates::proof};
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
    /// use sealmatch_server::gates::{Challenge, CHALLENGE_TTL_SECONDS};
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
