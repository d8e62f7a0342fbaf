//! The face template: the stored form of one face capture, a unit-length
//! 128-dimensional embedding in 32-bit floats (512 bytes).
//!
//! Stored at full precision: a token's content is padded to the size of a
//! fingerprint impression (775 bytes a capture) anyway, so quantising would
//! save nothing in the token and could only move scores.
//!
//! The binary form lives in [`super::codec`]; scores in
//! [`crate::matcher::face_score`].

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{err, ErrorCode, Result};

/// Dimensions of a face embedding.
pub const EMBEDDING_LEN: usize = 128;

/// Largest difference of a stored embedding's squared length from 1 that
/// decoding accepts: [`FaceTemplate::from_embedding`] writes unit vectors to
/// within about 1e-6, so this only refuses content that was never one.
pub(crate) const UNIT_TOLERANCE: f64 = 1e-3;

/// One face capture's embedding, scaled to unit length. Zeroized when
/// dropped; its `Debug` shows no values.
///
/// ```
/// use sealmatch::template::{FaceTemplate, EMBEDDING_LEN};
/// let mut v = [0.0f32; EMBEDDING_LEN];
/// v[0] = 3.0;
/// v[1] = 4.0;
/// let t = FaceTemplate::from_embedding(&v).unwrap();
/// assert_eq!(format!("{t:?}"), "FaceTemplate(..)");
/// assert!(FaceTemplate::from_embedding(&v[1..]).is_err());
/// ```
#[derive(Clone, PartialEq, Zeroize, ZeroizeOnDrop)]
pub struct FaceTemplate {
    embedding: [f32; EMBEDDING_LEN],
}

impl FaceTemplate {
    /// A template from an embedding of [`EMBEDDING_LEN`] finite values, not
    /// all zero, scaled to unit length (so the cosine of two templates is
    /// their dot product). Else `INVALID_ARGUMENT`.
    pub fn from_embedding(values: &[f32]) -> Result<FaceTemplate> {
        if values.len() != EMBEDDING_LEN {
            return err(
                ErrorCode::InvalidArgument,
                "a face embedding has 128 values",
            );
        }
        if !values.iter().all(|v| v.is_finite()) {
            return err(
                ErrorCode::InvalidArgument,
                "a face embedding holds finite numbers only",
            );
        }
        let norm = squared_length(values).sqrt();
        if norm == 0.0 {
            return err(ErrorCode::InvalidArgument, "a face embedding is all zero");
        }
        let mut template = FaceTemplate {
            embedding: [0.0; EMBEDDING_LEN],
        };
        for (out, v) in template.embedding.iter_mut().zip(values) {
            *out = (f64::from(*v) / norm) as f32;
        }
        Ok(template)
    }

    /// A template from stored values, written by `fill` into the template's
    /// own (zeroized-on-drop) storage and taken as they are: no rescaling, so
    /// the binary form stays canonical. `None` unless every value is finite
    /// and the squared length is within [`UNIT_TOLERANCE`] of 1.
    pub(crate) fn from_stored(
        fill: impl FnOnce(&mut [f32; EMBEDDING_LEN]),
    ) -> Option<FaceTemplate> {
        let mut template = FaceTemplate {
            embedding: [0.0; EMBEDDING_LEN],
        };
        fill(&mut template.embedding);
        let unit = template.embedding.iter().all(|v| v.is_finite())
            && (squared_length(&template.embedding) - 1.0).abs() <= UNIT_TOLERANCE;
        unit.then_some(template)
    }

    /// The unit-length embedding; crate-private so it never leaves the library.
    pub(crate) fn embedding(&self) -> &[f32; EMBEDDING_LEN] {
        &self.embedding
    }
}

/// Sum of squares, in `f64` so no finite `f32` input overflows.
fn squared_length(values: &[f32]) -> f64 {
    values.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
}

impl fmt::Debug for FaceTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FaceTemplate(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_unit(t: &FaceTemplate) {
        assert!((squared_length(t.embedding()) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn embeddings_are_scaled_to_unit_length() {
        let v: Vec<f32> = (0..EMBEDDING_LEN).map(|i| i as f32 - 60.0).collect();
        let t = FaceTemplate::from_embedding(&v).unwrap();
        assert_unit(&t);
        // Direction kept: every value is the input over one common factor.
        let ratio = t.embedding()[0] / v[0];
        for (a, b) in t.embedding().iter().zip(&v) {
            assert!((a - b * ratio).abs() < 1e-6);
        }
        // Huge and tiny (subnormal) finite inputs do not overflow or vanish.
        for scale in [f32::MAX, 1e-40] {
            let t = FaceTemplate::from_embedding(&[scale; EMBEDDING_LEN]).unwrap();
            assert_unit(&t);
        }
        assert_eq!(FaceTemplate::from_stored(|e| *e = *t.embedding()), Some(t));
    }

    #[test]
    fn bad_embeddings_are_refused() {
        let code = |v: &[f32]| FaceTemplate::from_embedding(v).unwrap_err().code();
        let good = [0.5f32; EMBEDDING_LEN];
        assert_eq!(code(&good[..127]), ErrorCode::InvalidArgument);
        assert_eq!(code(&[0.5; 129]), ErrorCode::InvalidArgument);
        assert_eq!(code(&[0.0; EMBEDDING_LEN]), ErrorCode::InvalidArgument);
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let mut v = good;
            v[77] = bad;
            assert_eq!(code(&v), ErrorCode::InvalidArgument);
        }
    }

    #[test]
    fn stored_values_must_be_unit_and_finite() {
        let stored = |value: f32| FaceTemplate::from_stored(|e| e[3] = value);
        assert!(stored(1.0).is_some());
        assert!(stored(1.0004).is_some()); // squared length 1.0008
        assert!(stored(1.001).is_none()); // squared length 1.002
        assert!(stored(0.0).is_none());
        assert!(stored(-1.0).is_some());
        assert!(stored(f32::NAN).is_none());
        assert!(stored(f32::INFINITY).is_none());
    }

    #[test]
    fn debug_shows_no_values() {
        let t = FaceTemplate::from_embedding(&[0.25; EMBEDDING_LEN]).unwrap();
        assert_eq!(
            format!("{t:?} {:#?}", Some(&t)),
            "FaceTemplate(..) Some(\n    FaceTemplate(..),\n)"
        );
    }
}
