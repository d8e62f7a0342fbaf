//! 1:1 matching.
//!
//! SKELETON — the matcher work replaces the internals; `score_enrollment` and
//! `DEFAULT_THRESHOLD` are what `api` codes against.

use crate::template::Template;

/// The shipped decision threshold (`match` is `score >= threshold`).
pub const DEFAULT_THRESHOLD: f32 = f32::INFINITY;

/// Score of a probe template against the 1–3 enrolled impressions of a token.
pub fn score_enrollment(probe: &Template, enrolled: &[Template]) -> f32 {
    let _ = (probe, enrolled);
    0.0
}
