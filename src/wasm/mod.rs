//! JavaScript bindings: argument conversion and error conversion, nothing else.
//!
//! Every export takes untyped [`JsValue`](wasm_bindgen::JsValue)s and checks
//! them here, so a wrong type, `NaN`, a negative, fractional or huge number, a
//! missing option, a detached buffer or a throwing getter becomes a JS `Error`
//! with a stable `code` (see [`crate::ErrorCode::as_str`]) instead of a
//! `TypeError`, a silent coercion or a WebAssembly trap. Nothing here panics:
//! every JS operation on a caller's value goes through a catching import
//! (`Reflect`), and the registries are only borrowed with `try_borrow*`.
//!
//! Captures live in a registry on the Rust side and JavaScript holds only a
//! numeric handle (never reused), so a freed or foreign capture is reported as
//! `INVALID_ARGUMENT` rather than as wasm-bindgen's "null pointer passed to
//! rust". The package's small JS layer (`npm/api.js`) maps `Capture` objects to
//! their handles (`undefined` for a foreign object, `null` for a freed one) and
//! frees handles when a capture is garbage-collected.
//!
//! The raw exports are internal to the package; the public JS API is the one in
//! `docs/api.md`, defined by `npm/api.js` on top of them.
//!
//! One job a file:
//! - [`args`]: reading and checking JS arguments;
//! - [`results`]: building the plain JS objects the exports return;
//! - [`errors`]: the library's errors as JS `Error`s with a `code`;
//! - [`registry`]: handles for objects that live on the Rust side;
//! - [`fingerprint_capture`]: the `Capture` exports (a second modality's
//!   capture exports go in a sibling file with their own registry);
//! - [`tokens`]: `enroll`, `verify` and `inspectToken`.

mod args;
mod errors;
mod fingerprint_capture;
mod registry;
mod results;
mod tokens;

pub use fingerprint_capture::{
    capture_feedback, capture_free, capture_from_gray, capture_from_image_data, capture_from_rgba,
    capture_minutiae_count, capture_quality, capture_render_features, live_captures,
};
pub use tokens::{enroll, inspect_token, verify};
