//! The face modality's engine: weights, kernels and the three networks
//! (detector, 68-point landmarks, 128-d recognition), in plain Rust.
//!
//! The networks are face-api.js's (`@vladmandic/face-api`, MIT), converted
//! by `scripts/face-models.mjs` into one weights file ([`weights`]).
//! [`capture::FaceEngine`] runs the whole pipeline on an RGBA frame.

pub mod align;
pub mod capture;
pub mod detector;
pub mod frame;
pub mod landmarks;
mod load;
pub mod ops;
pub mod quality;
pub mod recognition;
pub mod tensor;
pub mod weights;
