//! Sealed bag tokens: JWE compact serialization, `alg` `dir`, `enc` `A256GCM`
//! (`docs/token-format.md`).
//!
//! `header..iv.ciphertext.tag`, five base64url segments without padding. The
//! header is JSON with exactly `alg`, `enc`, `typ`, `v`, `bag`, `flt`, `iat`,
//! `exp`; its base64url segment is the GCM additional data, so no header field
//! can be changed. The content key is the 32-byte [`PassengerKey`] itself, so
//! any JOSE library given those bytes opens a token.
//!
//! Modules: [`base64url`] (canonical encoding), `key` ([`PassengerKey`]),
//! `header` ([`TokenHeader`]), `fields` (bag tag and flight rules), `aead`
//! (AES-256-GCM), `jwe` (compact form).
//!
//! ```
//! use sealmatch::token::{self, PassengerKey, TokenHeader};
//! let key = PassengerKey::generate().unwrap();
//! let header = TokenHeader::new("0117123456", "SK1415", 1_700_000_000, 1_700_003_600);
//! let sealed = token::seal(&header, &key, b"content").unwrap();
//! assert_eq!(token::inspect(&sealed).unwrap(), header);
//! ```

mod aead;
pub mod base64url;
mod fields;
mod header;
mod jwe;
mod key;

use zeroize::Zeroizing;

pub use aead::{IV_LEN, TAG_LEN};
pub use fields::{
    is_valid_bag_tag, is_valid_flight, BAG_TAG_LEN, FLIGHT_LEN, MAX_TIME, MAX_TTL_SECONDS,
};
pub use header::{TokenHeader, ALG, ENC, TYP, VERSION};
pub use jwe::MAX_TOKEN_LEN;
pub use key::{PassengerKey, KEY_LEN, KEY_PREFIX, KEY_STRING_LEN};

use crate::error::{err, ErrorCode, Result};

/// Validates a token's structure without a key and returns its header.
///
/// Checks, in order: at most [`MAX_TOKEN_LEN`] bytes; five `.`-separated
/// segments; every segment canonical base64url (no padding, no non-zero unused
/// bits, no length `4k + 1`); a header segment that decodes to a JSON object
/// with no duplicate member (`TOKEN_UNSUPPORTED` when `v` is another
/// non-negative integer or `alg`/`enc` another string), with exactly the
/// members `alg`, `enc`, `typ`, `v`, `bag`, `flt`, `iat`, `exp` of the right
/// types and values (`bag` 1–20 of A–Z a–z 0–9, `flt` 2–8 of A–Z 0–9, `iat`
/// and `exp` integers 0..=2^53 with `0 < exp - iat <= 86400`); an empty
/// encrypted-key segment; a 12-byte IV and a 16-byte tag. Everything else
/// wrong is `TOKEN_MALFORMED`. The content is not examined (that needs the key).
///
/// ```
/// use sealmatch::{token, ErrorCode};
/// assert_eq!(token::inspect("a.b.c").unwrap_err().code(), ErrorCode::TokenMalformed);
/// ```
pub fn inspect(token: &str) -> Result<TokenHeader> {
    jwe::parse(token).map(|parsed| parsed.header)
}

/// Seals `plaintext` under `key` with a fresh random 12-byte IV.
/// `INVALID_ARGUMENT` when the header breaks the rules [`inspect`] checks.
///
/// ```
/// use sealmatch::token::{self, PassengerKey, TokenHeader};
/// let key = PassengerKey::from_bytes([1; 32]);
/// let h = TokenHeader::new("B1", "SK1", 100, 200);
/// let a = token::seal(&h, &key, b"x").unwrap();
/// let b = token::seal(&h, &key, b"x").unwrap();
/// assert_ne!(a, b); // fresh IV each time
/// ```
pub fn seal(header: &TokenHeader, key: &PassengerKey, plaintext: &[u8]) -> Result<String> {
    jwe::seal(header, key, plaintext)
}

/// What the opener expects of a token, besides its key.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Expect<'a> {
    pub bag_tag: &'a str,
    pub flight: Option<&'a str>,
    pub now: u64,
}

/// Opens a token in `verify`'s order: structure (`TOKEN_MALFORMED`,
/// `TOKEN_UNSUPPORTED`) → key (`KEY_MALFORMED`) → bag and flight
/// (`WRONG_BAG`) → expiry (`TOKEN_EXPIRED`) → authenticated decryption
/// (`TOKEN_REJECTED`). Crate-private: the plaintext is a template.
pub(crate) fn open(
    token: &str,
    passenger_key: &str,
    expect: Expect<'_>,
) -> Result<(TokenHeader, Zeroizing<Vec<u8>>)> {
    let parsed = jwe::parse(token)?;
    let key = PassengerKey::parse(passenger_key)?;
    if parsed.header.bag_tag != expect.bag_tag {
        return err(ErrorCode::WrongBag, "token is for another bag");
    }
    if let Some(flight) = expect.flight {
        if parsed.header.flight != flight {
            return err(ErrorCode::WrongBag, "token is for another flight");
        }
    }
    if expect.now >= parsed.header.expires_at {
        return err(ErrorCode::TokenExpired, "token has expired");
    }
    let plaintext = jwe::decrypt(&parsed, &key)?;
    Ok((parsed.header, plaintext))
}

#[cfg(test)]
pub(crate) use jwe::seal_with_iv;
