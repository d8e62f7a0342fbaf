//! The passenger key: 32 random bytes, and its `smk1_` string form.
//!
//! String form: `smk1_` then base64url without padding of 36 bytes, the 32 key
//! bytes followed by the first 4 bytes of SHA-256 of those 32 bytes: 53
//! characters in all. The checksum catches a mistyped or damaged key before any
//! decryption is tried.

use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::base64url;
use crate::error::{err, ErrorCode, Result};

/// Prefix of every passenger key string.
pub const KEY_PREFIX: &str = "smk1_";

/// Length of a passenger key string, prefix included.
pub const KEY_STRING_LEN: usize = 53;

/// Bytes of key material.
pub const KEY_LEN: usize = 32;

/// Bytes of checksum after the key bytes.
const CHECKSUM_LEN: usize = 4;

/// A 32-byte AES-256-GCM key held by the passenger. Zeroized on drop; its
/// `Debug` form never shows the bytes.
///
/// The bytes live in one heap block for the key's whole life, so moving a
/// key (returning it, passing it by value) moves only a pointer and leaves
/// no copy of the bytes in a dead stack frame; the block is zeroized when
/// the key is dropped.
///
/// ```
/// use sealmatch::token::PassengerKey;
/// let key = PassengerKey::generate().unwrap();
/// let text = key.to_key_string();
/// assert!(text.starts_with("smk1_") && text.len() == 53);
/// assert_eq!(PassengerKey::parse(&text).unwrap(), key);
/// assert_eq!(format!("{key:?}"), "PassengerKey(..)");
/// ```
pub struct PassengerKey {
    bytes: Box<[u8; KEY_LEN]>,
}

impl PassengerKey {
    /// A fresh random key from the system's (or, in WASM, the browser's)
    /// cryptographic random source.
    pub fn generate() -> Result<PassengerKey> {
        let mut key = PassengerKey::zeroed();
        getrandom::fill(&mut key.bytes[..])
            .map_err(|_| crate::Error::new(ErrorCode::InvalidArgument, "no random source"))?;
        Ok(key)
    }

    /// A key from its 32 raw bytes (for test vectors and interoperability
    /// with other JOSE implementations, which take the raw key).
    ///
    /// ```
    /// use sealmatch::token::PassengerKey;
    /// let key = PassengerKey::from_bytes([7; 32]);
    /// assert_eq!(PassengerKey::parse(&key.to_key_string()).unwrap(), key);
    /// ```
    pub fn from_bytes(mut bytes: [u8; KEY_LEN]) -> PassengerKey {
        let mut key = PassengerKey::zeroed();
        key.bytes.copy_from_slice(&bytes);
        bytes.zeroize(); // this function's copy of the argument
        key
    }

    /// An all-zero key, its block allocated in place (no stack array copied in).
    fn zeroed() -> PassengerKey {
        PassengerKey {
            bytes: Box::new([0; KEY_LEN]),
        }
    }

    /// Parses an `smk1_` string; `KEY_MALFORMED` for a wrong prefix, length,
    /// alphabet or checksum.
    ///
    /// ```
    /// use sealmatch::{token::PassengerKey, ErrorCode};
    /// let e = PassengerKey::parse("smk2_abc").unwrap_err();
    /// assert_eq!(e.code(), ErrorCode::KeyMalformed);
    /// ```
    pub fn parse(text: &str) -> Result<PassengerKey> {
        let Some(body) = text.strip_prefix(KEY_PREFIX) else {
            return err(
                ErrorCode::KeyMalformed,
                "passenger key must start with smk1_",
            );
        };
        if text.len() != KEY_STRING_LEN {
            return err(
                ErrorCode::KeyMalformed,
                "passenger key must be 53 characters",
            );
        }
        let mut raw = Zeroizing::new(Vec::with_capacity(KEY_LEN + CHECKSUM_LEN));
        if base64url::decode_into(body, &mut raw).is_none() || raw.len() != KEY_LEN + CHECKSUM_LEN {
            return err(
                ErrorCode::KeyMalformed,
                "passenger key must be base64url after smk1_",
            );
        }
        let mut key = PassengerKey::zeroed();
        key.bytes.copy_from_slice(&raw[..KEY_LEN]);
        if key.checksum() != raw[KEY_LEN..] {
            return err(ErrorCode::KeyMalformed, "passenger key checksum mismatch");
        }
        Ok(key)
    }

    /// The `smk1_` string form, the one thing that goes to the passenger.
    pub fn to_key_string(&self) -> Zeroizing<String> {
        let mut raw = Zeroizing::new([0u8; KEY_LEN + CHECKSUM_LEN]);
        raw[..KEY_LEN].copy_from_slice(&self.bytes[..]);
        raw[KEY_LEN..].copy_from_slice(&self.checksum());
        let body = Zeroizing::new(base64url::encode(&raw[..]));
        let mut out = Zeroizing::new(String::with_capacity(KEY_STRING_LEN));
        out.push_str(KEY_PREFIX);
        out.push_str(&body);
        out
    }

    /// The raw key bytes; crate-private so key material never leaves the library
    /// other than as the key string.
    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    fn checksum(&self) -> [u8; CHECKSUM_LEN] {
        let digest = Sha256::digest(&self.bytes[..]);
        let mut out = [0u8; CHECKSUM_LEN];
        out.copy_from_slice(&digest[..CHECKSUM_LEN]);
        out
    }
}

impl Clone for PassengerKey {
    /// Copies the bytes from block to block (no stack copy).
    fn clone(&self) -> PassengerKey {
        let mut key = PassengerKey::zeroed();
        key.bytes.copy_from_slice(&self.bytes[..]);
        key
    }
}

impl Zeroize for PassengerKey {
    fn zeroize(&mut self) {
        self.bytes.as_mut_slice().zeroize();
    }
}

impl Drop for PassengerKey {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for PassengerKey {}

impl PartialEq for PassengerKey {
    /// Constant-time comparison.
    fn eq(&self, other: &Self) -> bool {
        self.bytes
            .iter()
            .zip(other.bytes.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

impl Eq for PassengerKey {}

impl std::fmt::Debug for PassengerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PassengerKey(..)")
    }
}
