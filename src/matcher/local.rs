//! Similarity of two cylinders (the local step): a normalised Hamming
//! distance over the cells both cylinders can speak for.

use super::cylinder::{Cylinder, MASK_WORDS, ND};

/// Share of the disc that must be valid in both cylinders to compare them.
const MIN_MATCHABLE: f32 = 0.6;

/// Similarity in `0..=1` of two cylinders; 0 when they share too few valid
/// cells or neither has any bit set there. Symmetric in its arguments.
#[inline(always)]
pub(crate) fn similarity(a: &Cylinder, b: &Cylinder, disc_cells: u32) -> f32 {
    let mut common = [0u64; MASK_WORDS];
    let mut n_common = 0;
    for (w, c) in common.iter_mut().enumerate() {
        *c = a.mask[w] & b.mask[w];
        n_common += c.count_ones();
    }
    if (n_common as f32) < MIN_MATCHABLE * disc_cells as f32 {
        return 0.0;
    }
    let (mut na, mut nb, mut nx) = (0u32, 0u32, 0u32);
    for k in 0..ND {
        for (w, &m) in common.iter().enumerate() {
            let x = a.bits[k * MASK_WORDS + w] & m;
            let y = b.bits[k * MASK_WORDS + w] & m;
            na += x.count_ones();
            nb += y.count_ones();
            nx += (x ^ y).count_ones();
        }
    }
    if na + nb == 0 {
        return 0.0;
    }
    let denom = (na as f32).sqrt() + (nb as f32).sqrt();
    (1.0 - (nx as f32).sqrt() / denom).max(0.0)
}
