//! 1:1 matching of minutiae templates.
//!
//! # Method
//!
//! A local-structure matcher with global consolidation:
//!
//! * **Local structures** ([`cylinder`]): every minutia gets a bit-packed
//!   Minutia Cylinder-Code cylinder — the directions of its neighbours within
//!   70 px, on a 16 × 16 × 6 grid turned with the minutia's own direction, so
//!   it does not change when the finger is moved or rotated, and small
//!   distortions only blur it. Cylinders are computed once per template
//!   ([`Prepared`]).
//! * **Local matching** ([`local`]): cylinders are compared by a normalised
//!   Hamming distance on the cells both can see.
//! * **Global consolidation** ([`consolidate`]): the best one-to-one pairs are
//!   relaxed against each other (pairs that agree on distances and relative
//!   angles reinforce each other), and the strongest surviving pairs are
//!   averaged.
//!
//! # Score
//!
//! [`score`] is in `0.0..=1.0`: 0 for templates with nothing in common (or
//! with no usable minutiae), about 0.5–0.8 for two impressions of one finger,
//! and under 0.1 for most pairs of different fingers. Higher means more alike.
//! It is symmetric up to float rounding and tie order: `score(a, b)` and
//! `score(b, a)` agree closely.
//!
//! With several enrolled impressions, [`score_enrollment`] returns the best
//! of the probe's scores against each of them (the maximum).
//!
//! # Cost
//!
//! Preparing a template is linear in its minutiae times their neighbours;
//! comparing two is at most `128 × 128` cylinder comparisons (24 words of
//! popcounts each) plus a relaxation over at most 128 pairs, with no
//! allocation once the per-thread scratch buffers are warm.

mod consolidate;
mod cylinder;
mod geometry;
mod local;
mod prepared;
mod region;

pub use prepared::Prepared;

use crate::template::Template;
use std::cell::RefCell;

/// The shipped decision threshold (`match` is `score >= threshold`).
///
/// Set for a false match rate of at most 0.01 % on the development data; see
/// the crate's README for how it was measured.
pub const DEFAULT_THRESHOLD: f32 = 0.05;

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
    let p = Prepared::new(probe);
    enrolled
        .iter()
        .map(|e| score(&p, &Prepared::new(e)))
        .fold(0.0, f32::max)
}

#[cfg(test)]
mod tests;
