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
//! - [`fingerprint_capture`]: the `Capture` exports;
//! - [`face_capture`]: `faceInit` and the `FaceCapture` exports, with a
//!   registry of their own (`enroll`/`verify` take `{ face: handle }` for a
//!   face capture, a plain handle for a fingerprint capture);
//! - [`tokens`]: `enroll`, `verify` and `inspectToken`.

mod args;
mod errors;
mod face_capture;
mod fingerprint_capture;
mod registry;
mod results;
mod tokens;

pub use face_capture::{
    face_capture_box, face_capture_feedback, face_capture_free, face_capture_from_image_data,
    face_capture_from_rgba, face_capture_quality, face_init, face_ready, live_face_captures,
};
pub use fingerprint_capture::{
    capture_feedback, capture_free, capture_from_gray, capture_from_image_data, capture_from_rgba,
    capture_minutiae_count, capture_quality, capture_render_features, live_captures,
};
pub use tokens::{enroll, inspect_token, verify};
