//! The one error type of the library, with the stable codes of `docs/api.md`.

use std::fmt;

/// Stable, machine-readable error codes. Their names (see [`ErrorCode::as_str`])
/// are the contract integrators code against; never rename one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// Pixels, sizes or dpi outside the documented bounds.
    InvalidImage,
    /// A bad argument: wrong type, out of range, malformed bag tag or flight, ...
    InvalidArgument,
    /// The capture is not good enough to enroll or verify; ask for another.
    LowQuality,
    /// The token is not a well-formed sealmatch JWE.
    TokenMalformed,
    /// The token is well formed but of another version, `alg` or `enc`.
    TokenUnsupported,
    /// The token's `exp` is at or before `now`.
    TokenExpired,
    /// The bag tag (or, when given, the flight) differs from the token header.
    WrongBag,
    /// Authentication failed: wrong key, or the token was altered.
    TokenRejected,
    /// The passenger key string has a wrong prefix, length, alphabet or checksum.
    KeyMalformed,
    /// A face function was called before the face models were loaded
    /// (`initFace()` in JavaScript has not resolved).
    NotReady,
    /// `verify` with a capture of another modality than the token's (a face
    /// against a fingerprint token, or the other way round). Known only after
    /// decryption: the modality is sealed inside the content, never in the
    /// header, so it comes after every token check.
    ModalityMismatch,
}

impl ErrorCode {
    /// The stable code string, e.g. `"INVALID_IMAGE"`.
    ///
    /// ```
    /// use sealmatch::ErrorCode;
    /// assert_eq!(ErrorCode::WrongBag.as_str(), "WRONG_BAG");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidImage => "INVALID_IMAGE",
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::LowQuality => "LOW_QUALITY",
            ErrorCode::TokenMalformed => "TOKEN_MALFORMED",
            ErrorCode::TokenUnsupported => "TOKEN_UNSUPPORTED",
            ErrorCode::TokenExpired => "TOKEN_EXPIRED",
            ErrorCode::WrongBag => "WRONG_BAG",
            ErrorCode::TokenRejected => "TOKEN_REJECTED",
            ErrorCode::KeyMalformed => "KEY_MALFORMED",
            ErrorCode::NotReady => "NOT_READY",
            ErrorCode::ModalityMismatch => "MODALITY_MISMATCH",
        }
    }

    /// Every code, for tests and documentation.
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::InvalidImage,
        ErrorCode::InvalidArgument,
        ErrorCode::LowQuality,
        ErrorCode::TokenMalformed,
        ErrorCode::TokenUnsupported,
        ErrorCode::TokenExpired,
        ErrorCode::WrongBag,
        ErrorCode::TokenRejected,
        ErrorCode::KeyMalformed,
        ErrorCode::NotReady,
        ErrorCode::ModalityMismatch,
    ];
}

/// An error with a stable [`ErrorCode`] and a short human message.
///
/// Messages never contain biometric data, key material or token content:
/// they are built only from static text and caller-supplied *shapes*
/// (lengths, bounds), never from values derived from a fingerprint or a key.
///
/// ```
/// use sealmatch::{Error, ErrorCode};
/// let e = Error::new(ErrorCode::InvalidArgument, "bagTag must be 1-20 characters of A-Z, a-z, 0-9");
/// assert_eq!(e.code(), ErrorCode::InvalidArgument);
/// assert!(e.to_string().starts_with("INVALID_ARGUMENT: "));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

impl Error {
    /// A new error. Keep `message` free of biometric and secret data.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The human message (without the code prefix).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Shorthand used throughout the crate.
pub(crate) fn err<T>(code: ErrorCode, message: impl Into<String>) -> Result<T> {
    Err(Error::new(code, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_upper_snake_case() {
        let names: std::collections::HashSet<&str> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        for name in &names {
            assert!(name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'));
        }
        assert_eq!(ErrorCode::NotReady.as_str(), "NOT_READY");
        assert_eq!(ErrorCode::ModalityMismatch.as_str(), "MODALITY_MISMATCH");
    }
}
