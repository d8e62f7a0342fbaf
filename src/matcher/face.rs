//! 1:1 comparison of face templates.
//!
//! # Score
//!
//! [`face_score`] is the cosine similarity of the two unit-length
//! embeddings (their dot product), with negative values taken as 0: a score
//! in `0.0..=1.0`, higher = more alike, 1 for the same embedding. Negative
//! cosines are all "clearly someone else", so nothing below 0 is worth
//! telling apart; clamping rather than rescaling (`(1 + cos) / 2`) keeps the
//! score equal to the cosine where thresholds live, so it reads like the
//! figures published for embedding networks. The score is symmetric and
//! computed in `f64` in a fixed order, so it is the same on every platform.
//!
//! With several enrolled captures, [`face_score_enrollment`] returns the
//! maximum over them, as the fingerprint matcher does: another capture adds
//! another pose or light, while an impostor gains only its best single
//! comparison.

use crate::template::FaceTemplate;

/// The decision threshold for faces (`match` is `score >= threshold`):
/// set for FMR <= 0.01 % on the development impostors.
///
/// Measured with the face engine's default options on the LFW development
/// photos of `../shared/data/faces` (6,563 photos of 1,120 people, 6,557 with
/// a usable face): every pair of photos of two different people, 21,274,118
/// impostor pairs, gives FMR <= 0.01 % from 0.9422 up (at 0.943: FMR
/// 0.0088 %); on the 4,806 genuine pairs of `pairs-dev.tsv` (a photo
/// without a usable face a non-match) TAR is 74.20 % at 0.943. On
/// the pair list's own 24,030 impostor pairs the threshold for FAR <= 0.01 %
/// is 0.9401 (TAR 78.42 %), which 24,030 pairs resolve poorly. EER 1.36 %.
///
/// ```text
/// node scripts/face-models.mjs
/// cargo run --release --example face_eval -- ../shared/data/faces --all-impostors
/// ```
///
/// The scale is [`face_score`]'s (cosine clamped at 0): the embeddings of
/// this network are not centred, so even impostors score about 0.8.
pub const FACE_DEFAULT_THRESHOLD: f32 = 0.943;

/// The lowest face threshold `verify` accepts (else `INVALID_ARGUMENT`):
/// below it more than 1 % of impostors match. The lowest threshold with
/// FMR <= 1 % on the 21,274,118 development impostor pairs (see
/// [`FACE_DEFAULT_THRESHOLD`], same command) is 0.9088 (TAR 98.06 %),
/// rounded up to 0.91 (FMR 0.88 %, TAR 97.88 %).
pub const FACE_MIN_THRESHOLD: f32 = 0.91;

/// The highest face threshold `verify` accepts: the top of the score range.
pub const FACE_MAX_THRESHOLD: f32 = 1.0;

/// Score in `0.0..=1.0` of two face templates: their cosine similarity,
/// negative values as 0 (see the module documentation).
///
/// ```
/// use sealmatch::matcher::face_score;
/// use sealmatch::template::FaceTemplate;
/// let mut v = [0.0f32; 128];
/// v[0] = 1.0;
/// let a = FaceTemplate::from_embedding(&v).unwrap();
/// v[1] = 1.0; // 45 degrees away
/// let b = FaceTemplate::from_embedding(&v).unwrap();
/// assert_eq!(face_score(&a, &a), 1.0);
/// assert!((face_score(&a, &b) - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
/// ```
pub fn face_score(a: &FaceTemplate, b: &FaceTemplate) -> f32 {
    let (a, b) = (a.embedding(), b.embedding());
    // Divided by the lengths (1 within rounding) so the same embedding
    // scores exactly 1: sqrt(x * x) is x in IEEE arithmetic.
    let cosine = dot(a, b) / (dot(a, a) * dot(b, b)).sqrt();
    (cosine as f32).clamp(0.0, 1.0)
}

/// Dot product in `f64`, summed in index order.
fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| f64::from(x) * f64::from(y))
        .sum()
}

/// Score of a probe against the 1–3 enrolled face captures of a token: the
/// maximum of [`face_score`] over them, 0 when there are none.
///
/// ```
/// use sealmatch::matcher::face_score_enrollment;
/// use sealmatch::template::FaceTemplate;
/// let t = FaceTemplate::from_embedding(&[1.0; 128]).unwrap();
/// assert_eq!(face_score_enrollment(&t, &[t.clone()]), 1.0);
/// assert_eq!(face_score_enrollment(&t, &[]), 0.0);
/// ```
pub fn face_score_enrollment(probe: &FaceTemplate, enrolled: &[FaceTemplate]) -> f32 {
    enrolled
        .iter()
        .map(|e| face_score(probe, e))
        .fold(0.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::EMBEDDING_LEN;

    fn unit(values: impl Fn(usize) -> f32) -> FaceTemplate {
        let v: Vec<f32> = (0..EMBEDDING_LEN).map(values).collect();
        FaceTemplate::from_embedding(&v).unwrap()
    }

    #[test]
    fn score_is_the_clamped_cosine() {
        let a = unit(|i| (i as f32 * 0.37).sin());
        let b = unit(|i| (i as f32 * 0.37).sin() + (i as f32 * 0.11).cos());
        let neg = unit(|i| -(i as f32 * 0.37).sin());
        let cos = dot(a.embedding(), b.embedding());
        assert!(cos > 0.1 && cos < 0.9, "{cos}");
        assert!((f64::from(face_score(&a, &b)) - cos).abs() < 1e-6);
        assert_eq!(face_score(&a, &b).to_bits(), face_score(&b, &a).to_bits());
        assert_eq!(face_score(&a, &a), 1.0);
        assert_eq!(face_score(&a, &neg), 0.0);
        // Orthogonal: 0.
        let e0 = unit(|i| f32::from(i == 0));
        let e1 = unit(|i| f32::from(i == 1));
        assert_eq!(face_score(&e0, &e1), 0.0);
    }

    #[test]
    fn several_enrolled_captures_give_the_best_score() {
        let probe = unit(|i| (i as f32).sin());
        let near = unit(|i| (i as f32).sin() + 0.3 * (i as f32 * 0.7).cos());
        let far = unit(|i| (i as f32 * 0.7).cos());
        let best = face_score(&probe, &near);
        assert!(best > face_score(&probe, &far));
        let enrolled = [far.clone(), near.clone(), far];
        assert_eq!(face_score_enrollment(&probe, &enrolled), best);
        assert_eq!(face_score_enrollment(&probe, &[near]), best);
    }

    #[test]
    #[allow(clippy::assertions_on_constants)]
    fn thresholds_are_ordered_on_the_score_scale() {
        assert!(0.0 < FACE_MIN_THRESHOLD);
        assert!(FACE_MIN_THRESHOLD <= FACE_DEFAULT_THRESHOLD);
        assert!(FACE_DEFAULT_THRESHOLD <= FACE_MAX_THRESHOLD);
        assert!(FACE_MAX_THRESHOLD <= 1.0);
    }
}
