//! AES-256-GCM with a detached tag, as JWE `A256GCM` uses it (RFC 7518 §5.3):
//! 96-bit IV, 128-bit tag, the tag carried in its own segment.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::Aes256Gcm;
use zeroize::Zeroize;

use super::key::PassengerKey;
use crate::error::{err, ErrorCode, Result};

/// Bytes of IV (nonce).
pub const IV_LEN: usize = 12;
/// Bytes of authentication tag.
pub const TAG_LEN: usize = 16;

/// Bytes of stack overwritten after each encryption or decryption. The
/// `aes` key schedule starts with the raw key, and `aes-gcm` moves it between
/// frames while it builds the cipher (copies its `zeroize` feature cannot
/// reach: it wipes only the final place). The deepest copy seen was about
/// 20 KiB below the caller (debug build, `tests/leak_memory_scan.rs`).
const STACK_WIPE: usize = 64 * 1024;

/// Overwrites [`STACK_WIPE`] bytes of stack below the caller: run right
/// after a call returns, at the same depth, it clears that call's dead
/// frames.
#[inline(never)]
fn wipe_dead_stack() {
    // Whole words, so the wipe is 8 Ki stores rather than 64 Ki byte stores
    // (a verify is a few tens of µs; byte-wise volatile writes cost ~20 µs).
    let mut area = [0u64; STACK_WIPE / 8];
    area.zeroize(); // volatile writes: not optimised away
    core::hint::black_box(&area);
}

/// Encrypts `buffer` in place and returns the tag.
pub(crate) fn encrypt(
    key: &PassengerKey,
    iv: &[u8; IV_LEN],
    aad: &[u8],
    buffer: &mut [u8],
) -> Result<[u8; TAG_LEN]> {
    let tag = encrypt_in_frame(key, iv, aad, buffer);
    wipe_dead_stack();
    tag
}

#[inline(never)]
fn encrypt_in_frame(
    key: &PassengerKey,
    iv: &[u8; IV_LEN],
    aad: &[u8],
    buffer: &mut [u8],
) -> Result<[u8; TAG_LEN]> {
    let cipher = Aes256Gcm::new(key.bytes().into());
    match cipher.encrypt_inout_detached(iv.into(), aad, buffer.into()) {
        Ok(tag) => Ok(tag.into()),
        Err(_) => err(ErrorCode::InvalidArgument, "content too large to encrypt"),
    }
}

/// Checks the tag and decrypts `buffer` in place; `TOKEN_REJECTED` when the
/// tag does not authenticate (wrong key, or anything altered). On failure
/// `buffer` is left as it was (the tag is checked before decryption).
pub(crate) fn decrypt(
    key: &PassengerKey,
    iv: &[u8; IV_LEN],
    aad: &[u8],
    buffer: &mut [u8],
    tag: &[u8; TAG_LEN],
) -> Result<()> {
    let result = decrypt_in_frame(key, iv, aad, buffer, tag);
    wipe_dead_stack();
    result
}

#[inline(never)]
fn decrypt_in_frame(
    key: &PassengerKey,
    iv: &[u8; IV_LEN],
    aad: &[u8],
    buffer: &mut [u8],
    tag: &[u8; TAG_LEN],
) -> Result<()> {
    let cipher = Aes256Gcm::new(key.bytes().into());
    match cipher.decrypt_inout_detached(iv.into(), aad, buffer.into(), tag.into()) {
        Ok(()) => Ok(()),
        Err(_) => err(
            ErrorCode::TokenRejected,
            "token does not authenticate with this key (wrong key, or altered)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Test Case 16 of McGrew & Viega, "The Galois/Counter Mode of Operation
    /// (GCM)" (the test vectors NIST's GCM specification adopts): AES-256,
    /// 96-bit IV, 60 bytes of plaintext, 20 bytes of additional data.
    #[test]
    fn gcm_spec_test_case_16() {
        let key: [u8; 32] = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
            .try_into()
            .unwrap();
        let key = PassengerKey::from_bytes(key);
        let iv: [u8; 12] = hex("cafebabefacedbaddecaf888").try_into().unwrap();
        let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let plain = hex(concat!(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72",
            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
        ));
        let cipher = hex(concat!(
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa",
            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
        ));
        let tag: [u8; 16] = hex("76fc6ece0f4e1768cddf8853bb2d551b").try_into().unwrap();

        let mut buf = plain.clone();
        assert_eq!(encrypt(&key, &iv, &aad, &mut buf).unwrap(), tag);
        assert_eq!(buf, cipher);

        decrypt(&key, &iv, &aad, &mut buf, &tag).unwrap();
        assert_eq!(buf, plain);

        let mut buf = cipher.clone();
        let mut bad_tag = tag;
        bad_tag[15] ^= 1;
        let e = decrypt(&key, &iv, &aad, &mut buf, &bad_tag).unwrap_err();
        assert_eq!(e.code(), ErrorCode::TokenRejected);
        assert_eq!(buf, cipher, "buffer untouched on failure");
        let e = decrypt(&key, &iv, &aad[1..], &mut buf, &tag).unwrap_err();
        assert_eq!(e.code(), ErrorCode::TokenRejected);
    }

    /// Test Case 13: AES-256, empty plaintext, no additional data.
    #[test]
    fn gcm_spec_test_case_13() {
        let key = PassengerKey::from_bytes([0; 32]);
        let tag: [u8; 16] = hex("530f8afbc74536b9a963b4f1c4cb738b").try_into().unwrap();
        assert_eq!(encrypt(&key, &[0; 12], b"", &mut []).unwrap(), tag);
    }
}
