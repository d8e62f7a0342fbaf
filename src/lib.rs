//! sealmatch: on-device fingerprint capture processing, sealed bag tokens and
//! 1:1 matching. See `docs/` for the API, the token format and the privacy rules.
//!
//! The core is plain Rust; `wasm` (compiled only for wasm32) converts arguments
//! and errors for JavaScript and nothing else.
//!
//! No `unsafe` code except where it is documented and allowed: the matcher's
//! run-time dispatch to its `popcnt` build on x86-64
//! (`matcher::consolidate::fill_candidates`), and a test helper that reads a
//! wiped buffer's block.

#![deny(unsafe_code)]

pub mod api;
pub mod capture;
mod clock;
pub mod error;
pub mod extract;
pub mod face;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod image;
pub mod matcher;
pub mod template;
#[cfg(test)]
mod test_support;
pub mod token;

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;

pub use api::{
    check_token, enroll, enroll_any, inspect_token, verify, verify_any, Biometric, EnrollOptions,
    Enrolled, Verification, VerifyOptions,
};
pub use capture::Capture;
pub use error::{Error, ErrorCode, Result};
pub use image::GrayImage;
pub use template::{FaceTemplate, Modality};
pub use token::{PassengerKey, TokenHeader};
