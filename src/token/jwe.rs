//! JWE compact serialization (RFC 7516 §7.1): `header..iv.ciphertext.tag`.
//!
//! [`parse`] is the structural check (no key needed); [`decrypt`] is the
//! authenticated decryption, kept separate so `verify` can check the key, the
//! bag and the expiry in between.

use zeroize::Zeroizing;

use super::aead::{self, IV_LEN, TAG_LEN};
use super::base64url;
use super::header::TokenHeader;
use super::key::PassengerKey;
use crate::error::{err, ErrorCode, Result};

/// Longest token string accepted, bytes. A sealmatch token of three
/// impressions is about 3.2 KiB; anything beyond 16 KiB is `TOKEN_MALFORMED`
/// before any decoding, so no caller-chosen length drives an allocation.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// A token that passed the structural checks.
pub(crate) struct ParsedToken<'a> {
    /// The checked header.
    pub header: TokenHeader,
    /// The header segment as sent: the GCM additional data.
    pub protected: &'a str,
    pub iv: [u8; IV_LEN],
    pub ciphertext: Vec<u8>,
    pub tag: [u8; TAG_LEN],
}

fn malformed<T>(message: &str) -> Result<T> {
    err(ErrorCode::TokenMalformed, message)
}

/// Checks the structure of `token` (see [`crate::token::inspect`]).
pub(crate) fn parse(token: &str) -> Result<ParsedToken<'_>> {
    if token.len() > MAX_TOKEN_LEN {
        return malformed("token is longer than 16 KiB");
    }
    let mut segments = [""; 5];
    let mut count = 0;
    for part in token.split('.') {
        if count == segments.len() {
            return malformed("token must have five segments");
        }
        segments[count] = part;
        count += 1;
    }
    if count != segments.len() {
        return malformed("token must have five segments");
    }
    let [protected, encrypted_key, iv, ciphertext, tag] = segments;
    let decode = |segment: &str| match base64url::decode(segment) {
        Some(bytes) => Ok(bytes),
        None => malformed("token segment is not canonical base64url"),
    };
    if protected.is_empty() {
        return malformed("token header segment is empty");
    }
    let header_json = decode(protected)?;
    let encrypted_key = decode(encrypted_key)?;
    let iv = decode(iv)?;
    let ciphertext = decode(ciphertext)?;
    let tag = decode(tag)?;

    let header = TokenHeader::from_json(&header_json)?;
    if !encrypted_key.is_empty() {
        return malformed("encrypted key segment must be empty (alg dir)");
    }
    let Ok(iv) = <[u8; IV_LEN]>::try_from(iv.as_slice()) else {
        return malformed("token IV must be 12 bytes");
    };
    let Ok(tag) = <[u8; TAG_LEN]>::try_from(tag.as_slice()) else {
        return malformed("token tag must be 16 bytes");
    };
    Ok(ParsedToken {
        header,
        protected,
        iv,
        ciphertext,
        tag,
    })
}

/// Seals `plaintext` under `key` with a fresh random IV.
pub(crate) fn seal(header: &TokenHeader, key: &PassengerKey, plaintext: &[u8]) -> Result<String> {
    let mut iv = [0u8; IV_LEN];
    getrandom::fill(&mut iv)
        .map_err(|_| crate::Error::new(ErrorCode::InvalidArgument, "no random source"))?;
    seal_with_iv(header, key, &iv, plaintext)
}

/// Seals with a given IV. Crate-private: an IV must never repeat under one
/// key, so only tests choose it.
pub(crate) fn seal_with_iv(
    header: &TokenHeader,
    key: &PassengerKey,
    iv: &[u8; IV_LEN],
    plaintext: &[u8],
) -> Result<String> {
    header.check_values(ErrorCode::InvalidArgument)?;
    let protected = base64url::encode(header.to_json().as_bytes());
    let total = protected.len()
        + 4
        + base64url::encoded_len(IV_LEN)
        + base64url::encoded_len(plaintext.len())
        + base64url::encoded_len(TAG_LEN);
    if total > MAX_TOKEN_LEN {
        return err(ErrorCode::InvalidArgument, "content too large for a token");
    }
    // The buffer holds plaintext only until it is encrypted in place, and is
    // zeroized on every path.
    let mut buffer = Zeroizing::new(plaintext.to_vec());
    let tag = aead::encrypt(key, iv, protected.as_bytes(), &mut buffer)?;
    let mut out = String::with_capacity(total);
    out.push_str(&protected);
    out.push_str("..");
    out.push_str(&base64url::encode(iv));
    out.push('.');
    out.push_str(&base64url::encode(&buffer));
    out.push('.');
    out.push_str(&base64url::encode(&tag));
    Ok(out)
}

/// Authenticates and decrypts a parsed token; `TOKEN_REJECTED` on any failure.
pub(crate) fn decrypt(parsed: &ParsedToken<'_>, key: &PassengerKey) -> Result<Zeroizing<Vec<u8>>> {
    let mut buffer = Zeroizing::new(parsed.ciphertext.clone());
    aead::decrypt(
        key,
        &parsed.iv,
        parsed.protected.as_bytes(),
        &mut buffer,
        &parsed.tag,
    )?;
    Ok(buffer)
}
