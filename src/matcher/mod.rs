//! 1:1 matching of minutiae templates (and, in `face`, of face embeddings:
//! [`face_score`], with its own thresholds [`FACE_DEFAULT_THRESHOLD`],
//! [`FACE_MIN_THRESHOLD`] and [`FACE_MAX_THRESHOLD`]).
//!
//! # Method
//!
//! A local-structure matcher with global consolidation, written from the
//! published description of Minutia Cylinder-Code (Cappelli, Ferrara and
//! Maltoni, IEEE TPAMI 2010) with Local Similarity Sort and Relaxation:
//!
//! * **Local structures** (`cylinder`): every minutia gets a bit-packed
//!   cylinder — where its neighbours within 70 px lie and which way they run,
//!   on a 12 × 12 cell × 6 direction-bin grid turned with the minutia's own
//!   direction. It does not change when the finger is moved or rotated, and
//!   small distortions only blur it. Cells outside the area the template covers
//!   (the minutiae's convex hull grown by 50 px, `region`) are marked invalid,
//!   so a partial overlap is not mistaken for a difference. Cylinders are
//!   computed once per template ([`Prepared`]).
//! * **Local matching** (`local`): two cylinders are compared by a normalised
//!   Hamming distance over the cells valid in both; only minutiae whose
//!   directions differ by at most 90° are compared.
//! * **Global consolidation** (`consolidate`): the best one-to-one pairs are
//!   relaxed against each other — pairs that agree on distances and relative
//!   angles reinforce each other, isolated look-alikes fade — and the
//!   strongest surviving pairs are averaged. Because relaxation only asks
//!   pairs to agree with each other locally, it tolerates elastic distortion
//!   that a single rigid alignment would not.
//!
//! # Score
//!
//! [`score`] is in `0.0..=1.0`, higher = more alike: 0 for templates with
//! nothing in common or without usable minutiae. On the five FVC databases
//! with the library's extractor, two impressions of one finger have a median
//! of 0.07–0.16 (lower for large, minutia-rich images), two different fingers
//! a median of about 0.015 and at most 0.04. It is symmetric up to float
//! rounding and the order of exact ties: `score(a, b)` and `score(b, a)` agree
//! closely (tested; median difference 0.0000 on the FVC genuine pairs).
//!
//! With several enrolled impressions, [`score_enrollment`] returns the
//! maximum of the probe's scores against each of them: a second and third
//! impression cover more of the finger and more ways of placing it, so they
//! lower false non-matches, while an impostor gains only the chance of its
//! best single comparison.
//!
//! # Cost
//!
//! Preparing a template is linear in its minutiae times their neighbours
//! within 98 px; comparing two is at most `128 × 128` cylinder comparisons
//! (12 words of popcounts each, fewer when a cylinder lies wholly inside the other's valid cells) and a relaxation over at most 128 pairs
//! (compatibilities tabulated, with early cut-offs), with no allocation once
//! the per-thread scratch buffers are warm. Hostile templates (no minutiae,
//! all minutiae on one point, coordinates at `u16::MAX`, more than
//! [`MAX_MINUTIAE`](crate::template::MAX_MINUTIAE) minutiae) stay within these
//! bounds and score 0 or low.

mod consolidate;
mod cylinder;
mod disc;
mod face;
mod geometry;
mod local;
mod prepared;
mod region;

pub use face::{
    face_score, face_score_enrollment, FACE_DEFAULT_THRESHOLD, FACE_MAX_THRESHOLD,
    FACE_MIN_THRESHOLD,
};
pub use prepared::Prepared;

use crate::template::Template;
use std::cell::RefCell;

/// The shipped decision threshold (`match` is `score >= threshold`), set for a
/// false match rate of at most 0.01 %.
///
/// Measured with `sealmatch-bench` and the library's extractor: on synthetic
/// databases of 100 fingers × 8 impressions (316,800 impostor pairs each),
/// `--synthetic 100 --seed 7` has 14 impostor pairs at or above 0.05 (FMR
/// 0.0044 %, 95 % upper bound 0.0074 %); an earlier revision of the matcher
/// had 35 of 633,600 on seeds 7 and 11 together. None of the 14,400 impostor
/// pairs of the five FVC databases reaches it (their highest score is about
/// 0.04). The synthetic impostors are the harder population: some generated
/// fingers resemble each other closely. The price of FMR ≤ 0.01 % is the
/// FNMR at this threshold: 0.3 % on synthetic genuine pairs, 9–22 % on single
/// impressions of the development FVC databases (35 % on FVC2000 DB3), lower
/// with 2–3 enrolled impressions.
pub const DEFAULT_THRESHOLD: f32 = 0.05;

/// The lowest threshold [`crate::verify`] accepts; a lower one is refused
/// with `INVALID_ARGUMENT`, so a misconfigured kiosk cannot run at an
/// operating point where more than about 1 % of impostors match.
///
/// Measured with `sealmatch-bench --scores DIR` (the impostor pairs of each
/// database): the smallest threshold with FMR ≤ 1 % is 0.0221 on the 14,400
/// FVC impostor pairs pooled (the five development databases), and 0.0269,
/// 0.0287 and 0.0273 on synthetic databases of 40 fingers × 8 impressions
/// (49,920 impostor pairs each; `--synthetic 40 --seed 1`, `2`, `3`). Rounded
/// up: at 0.03 the FMR is 0.06 % on the pooled FVC pairs and 0.45 %, 0.64 %
/// and 0.43 % on the synthetic ones.
pub const MIN_THRESHOLD: f32 = 0.03;

/// The highest threshold [`crate::verify`] accepts: the top of the score
/// range. A higher one could never be met, so nobody would match; it is a
/// configuration mistake (a percentage, another matcher's scale) and refused
/// with `INVALID_ARGUMENT` like a threshold below [`MIN_THRESHOLD`].
pub const MAX_THRESHOLD: f32 = 1.0;

thread_local! {
    static SCRATCH: RefCell<consolidate::Scratch> = RefCell::new(consolidate::Scratch::default());
}

/// Score in `0.0..=1.0` of two prepared templates (higher = more alike).
///
/// ```
/// use sealmatch::matcher::{score, Prepared};
/// use sealmatch::template::{Minutia, Template};
/// let minutiae = (0..30u16)
///     .map(|i| Minutia { x: 40 + (i * 37) % 220, y: 40 + (i * 53) % 220, direction: (i * 71) as u8, ..Default::default() })
///     .collect();
/// let t = Prepared::new(&Template { width: 300, height: 300, dpi: 500, minutiae });
/// assert!(score(&t, &t) > 0.5);
/// ```
pub fn score(a: &Prepared, b: &Prepared) -> f32 {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => consolidate::score(a, b, &mut s),
        Err(_) => consolidate::score(a, b, &mut consolidate::Scratch::default()),
    })
}

/// Score of a probe template against the 1–3 enrolled impressions of a token:
/// the maximum of [`score`] over the impressions, 0 when there are none.
///
/// ```
/// use sealmatch::matcher::score_enrollment;
/// use sealmatch::template::Template;
/// let t = Template { width: 300, height: 300, dpi: 500, minutiae: vec![] };
/// assert_eq!(score_enrollment(&t, &[t.clone()]), 0.0);
/// ```
pub fn score_enrollment(probe: &Template, enrolled: &[Template]) -> f32 {
    score_prepared_probe(&Prepared::new(probe), enrolled)
}

/// [`score_enrollment`] for a probe prepared beforehand: only the enrolled
/// templates are prepared (a capture keeps its probe's [`Prepared`], so a
/// verification prepares just the token's impressions).
///
/// ```
/// use sealmatch::matcher::{score_enrollment, score_prepared_probe, Prepared};
/// use sealmatch::template::{Minutia, Template};
/// let minutiae = (0..30u16)
///     .map(|i| Minutia { x: 40 + (i * 37) % 220, y: 40 + (i * 53) % 220, direction: (i * 71) as u8, ..Default::default() })
///     .collect();
/// let t = Template { width: 300, height: 300, dpi: 500, minutiae };
/// let s = score_prepared_probe(&Prepared::new(&t), std::slice::from_ref(&t));
/// assert_eq!(s.to_bits(), score_enrollment(&t, std::slice::from_ref(&t)).to_bits());
/// ```
pub fn score_prepared_probe(probe: &Prepared, enrolled: &[Template]) -> f32 {
    enrolled
        .iter()
        .map(|e| score(probe, &Prepared::new(e)))
        .fold(0.0, f32::max)
}

/// [`score_enrollment`] for templates prepared beforehand (a probe compared
/// with many enrollments, e.g. in a benchmark, is prepared once).
///
/// ```
/// use sealmatch::matcher::{score_prepared_enrollment, Prepared};
/// use sealmatch::template::Template;
/// let t = Prepared::new(&Template { width: 300, height: 300, dpi: 500, minutiae: vec![] });
/// assert_eq!(score_prepared_enrollment(&t, &[t.clone()]), 0.0);
/// ```
pub fn score_prepared_enrollment(probe: &Prepared, enrolled: &[Prepared]) -> f32 {
    enrolled.iter().map(|e| score(probe, e)).fold(0.0, f32::max)
}

#[cfg(test)]
mod tests;
