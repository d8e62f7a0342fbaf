//! The face modality's engine: weights, kernels and the three networks
//! (detector, 68-point landmarks, 128-d recognition), in plain Rust.
//!
//! The networks are face-api.js's (`@vladmandic/face-api` 1.7.15, MIT):
//! its tiny face detector, its tiny 68-point landmark network and its port
//! of dlib's ResNet (`dlib_face_recognition_resnet_model_v1`), converted by
//! `scripts/face-models.mjs` into one weights file ([`weights`]). Their
//! outputs match tfjs's on fixed inputs (`tests/face_parity.rs`).
//!
//! [`capture::FaceEngine::run`] takes an RGBA frame ([`frame::Frame`]:
//! sides 32..=4096, at most 16,777,216 pixels) through:
//! 1. detection on the frame (padded, sampled to the network's input), the
//!    passes of [`capture::FaceOptions::detector_passes`] tried in order;
//! 2. the most prominent face (visible box area, nearness to the centre),
//!    `several_faces` when there are others, refused when none dominates;
//! 3. the face detected again in a crop around it (consistent scale);
//! 4. 68 landmarks in a 112×112 crop of the box;
//! 5. dlib's five-point similarity alignment to the 150×150 chip;
//! 6. quality 0..100 and feedback codes ([`quality`]);
//! 7. the 128-d embedding, L2-normalised ([`capture::Embedding`]); two are
//!    compared by their cosine clamped at 0, on 0..1, higher is more alike
//!    ([`crate::matcher::face_score`]; [`sample::FaceSample`] holds the
//!    [`crate::template::FaceTemplate`] that `enroll_any` seals).
//!
//! Every intermediate map ([`tensor::Map`]), landmark and embedding is
//! overwritten before it is freed.

pub mod align;
pub mod capture;
pub mod detector;
pub mod frame;
pub mod landmarks;
mod load;
pub mod ops;
pub mod quality;
pub mod recognition;
pub mod sample;
pub mod tensor;
pub mod weights;
