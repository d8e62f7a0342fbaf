//! sealmatch: on-device fingerprint capture processing, sealed bag tokens and
//! 1:1 matching. See DESIGN.md for the flow and the privacy rules.
//!
//! The core is plain Rust; `wasm` (compiled only for wasm32) converts arguments
//! and errors for JavaScript and nothing else.

pub mod api;
pub mod capture;
mod clock;
pub mod error;
pub mod extract;
pub mod face;
#[doc(hidden)]
pub mod fuzzing;
pub mod image;
pub mod matcher;
pub mod template;
pub mod token;

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod wasm;

pub use api::{
    check_token, enroll, inspect_token, verify, EnrollOptions, Enrolled, Verification,
    VerifyOptions,
};
pub use capture::Capture;
pub use error::{Error, ErrorCode, Result};
pub use image::GrayImage;
pub use token::{PassengerKey, TokenHeader};
