//! The block grid every block-wise stage shares, and a small map type over it.
//!
//! Every buffer the extractor derives from a fingerprint (the maps here, the
//! normalised and enhanced images, the ridge map and skeleton) is a
//! [`Wiped`] buffer: zeroized before its memory is freed.

use zeroize::{Zeroize, Zeroizing};

/// A buffer that is zeroized (its whole capacity) when dropped. Sized up
/// front where it can be: a `push` that grows it would free the old block
/// unwiped.
pub(crate) type Wiped<T> = Zeroizing<Vec<T>>;

/// `n` copies of `value` in a [`Wiped`] buffer.
pub(crate) fn wiped<T: Zeroize + Clone>(value: T, n: usize) -> Wiped<T> {
    Zeroizing::new(vec![value; n])
}

/// Side of one block, in pixels at 500 dpi.
pub(crate) const BLOCK: usize = 8;

/// A value per block, row-major; wiped when dropped.
#[derive(Clone, Debug)]
pub(crate) struct BlockMap<T: Zeroize> {
    /// Blocks across.
    pub bw: usize,
    /// Blocks down.
    pub bh: usize,
    /// `bw * bh` values.
    pub data: Wiped<T>,
}

impl<T: Copy + Zeroize> BlockMap<T> {
    /// A map of `bw * bh` copies of `value`.
    pub fn new(bw: usize, bh: usize, value: T) -> Self {
        BlockMap {
            bw,
            bh,
            data: wiped(value, bw * bh),
        }
    }

    /// The grid covering an image of `w * h` pixels.
    pub fn for_image(w: usize, h: usize, value: T) -> Self {
        Self::new(w.div_ceil(BLOCK), h.div_ceil(BLOCK), value)
    }

    /// The value at block (bx, by).
    #[inline]
    pub fn get(&self, bx: usize, by: usize) -> T {
        self.data[by * self.bw + bx]
    }

    /// Sets the value at block (bx, by).
    #[inline]
    pub fn set(&mut self, bx: usize, by: usize, v: T) {
        self.data[by * self.bw + bx] = v;
    }

    /// The value of the block holding pixel (x, y).
    #[inline]
    pub fn at_pixel(&self, x: usize, y: usize) -> T {
        self.get((x / BLOCK).min(self.bw - 1), (y / BLOCK).min(self.bh - 1))
    }
}

/// Fast atan2 approximation (max error about 0.005 rad), enough for
/// quantising directions.
#[inline]
pub(crate) fn fast_atan2(y: f32, x: f32) -> f32 {
    use std::f32::consts::{FRAC_PI_2, PI};
    let ax = x.abs();
    let ay = y.abs();
    if ax < 1e-20 && ay < 1e-20 {
        return 0.0;
    }
    let (a, swap) = if ay > ax {
        (ax / ay, true)
    } else {
        (ay / ax, false)
    };
    let s = a * a;
    let mut r = ((-0.046_496_473 * s + 0.159_314_22) * s - 0.327_622_77) * s * a + a;
    if swap {
        r = FRAC_PI_2 - r;
    }
    if x < 0.0 {
        r = PI - r;
    }
    if y < 0.0 {
        r = -r;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_atan2_is_close() {
        for i in 0..360 {
            let a = (i as f32).to_radians() - std::f32::consts::PI + 0.001;
            let (s, c) = a.sin_cos();
            let e = (fast_atan2(s * 3.0, c * 3.0) - s.atan2(c)).abs();
            assert!(e < 0.01, "angle {a}: error {e}");
        }
    }

    #[test]
    fn block_map_data_zeroizes_in_place() {
        // What `Zeroizing` runs on drop, for every map, image and ridge map:
        // the block itself is cleared (read back after emptying; `clear`
        // does not deinitialise the written slots).
        let mut m = BlockMap::new(4, 3, 7u8);
        m.set(1, 1, 9);
        let n = m.data.len();
        m.data.zeroize();
        assert!(m.data.is_empty());
        // Written by `new` and `set`, then zeroized.
        let block = crate::test_support::written_after_clear(&mut m.data, n);
        assert_eq!(block, vec![0u8; n]);
    }

    #[test]
    fn block_map_covers_image() {
        let m = BlockMap::for_image(17, 8, 0u8);
        assert_eq!((m.bw, m.bh), (3, 1));
        assert_eq!(m.at_pixel(16, 7), 0);
    }
}
