//! Similarity of two cylinders (the local step): a normalised Hamming
//! distance over the cells both cylinders can speak for.

use super::cylinder::Cylinder;
use super::disc::{DISC_WORDS, ND};

/// Share of the disc that must be valid in both cylinders to compare them.
const MIN_MATCHABLE: f32 = 0.6;

/// Set bits of `c` in the cells of `common`, or its precomputed count when
/// `common` covers every cell where `c` has a bit (nothing is cut away then;
/// usually so, as the cells one cylinder lacks are at the other's rim).
#[inline(always)]
fn bits_in(c: &Cylinder, common: &[u64; DISC_WORDS]) -> u32 {
    if c.any.iter().zip(common).all(|(&a, &m)| a & !m == 0) {
        return c.count;
    }
    let mut n = 0;
    for k in 0..ND {
        for (w, &m) in common.iter().enumerate() {
            n += (c.bits[k * DISC_WORDS + w] & m).count_ones();
        }
    }
    n
}

/// Similarity in `0..=1` of two cylinders; 0 when they share too few valid
/// cells or neither has any bit set there. Symmetric in its arguments.
#[inline(always)]
pub(crate) fn similarity(a: &Cylinder, b: &Cylinder, disc_cells: u32) -> f32 {
    let mut common = [0u64; DISC_WORDS];
    let mut n_common = 0;
    for (w, c) in common.iter_mut().enumerate() {
        *c = a.mask[w] & b.mask[w];
        n_common += c.count_ones();
    }
    if (n_common as f32) < MIN_MATCHABLE * disc_cells as f32 {
        return 0.0;
    }
    // Interior cylinders are valid on the whole disc, so usually one or both
    // counts are known and only the differing bits need counting.
    let (na, nb) = (bits_in(a, &common), bits_in(b, &common));
    if na + nb == 0 {
        return 0.0;
    }
    let mut nx = 0u32;
    for k in 0..ND {
        for (w, &m) in common.iter().enumerate() {
            nx += ((a.bits[k * DISC_WORDS + w] ^ b.bits[k * DISC_WORDS + w]) & m).count_ones();
        }
    }
    let denom = (na as f32).sqrt() + (nb as f32).sqrt();
    // Floored at 0 by a comparison (`f32::max` is a call in WebAssembly).
    let s = 1.0 - (nx as f32).sqrt() / denom;
    if s > 0.0 {
        s
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::cylinder::WORDS;

    /// The similarity as first written: every count taken over the common cells.
    fn reference(a: &Cylinder, b: &Cylinder, disc_cells: u32) -> f32 {
        let common: Vec<u64> = (0..DISC_WORDS).map(|w| a.mask[w] & b.mask[w]).collect();
        let n_common: u32 = common.iter().map(|c| c.count_ones()).sum();
        if (n_common as f32) < MIN_MATCHABLE * disc_cells as f32 {
            return 0.0;
        }
        let (mut na, mut nb, mut nx) = (0u32, 0u32, 0u32);
        for k in 0..ND {
            for (w, &m) in common.iter().enumerate() {
                let x = a.bits[k * DISC_WORDS + w] & m;
                let y = b.bits[k * DISC_WORDS + w] & m;
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

    #[test]
    fn equals_the_direct_count() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let full = [u64::MAX, (1 << 49) - 1];
        let mut make = |partial: bool| {
            let mask = if partial {
                [full[0] & next(), full[1] & (next() | next())]
            } else {
                full
            };
            let mut bits = [0u64; WORDS];
            for (i, b) in bits.iter_mut().enumerate() {
                *b = next() & next() & mask[i % DISC_WORDS];
            }
            Cylinder::new(bits, mask)
        };
        for case in 0..2000 {
            let a = make(case % 3 == 0);
            let b = make(case % 5 == 0);
            let disc = 100 + (case % 40) as u32;
            assert_eq!(
                similarity(&a, &b, disc).to_bits(),
                reference(&a, &b, disc).to_bits(),
                "case {case}"
            );
        }
    }
}
