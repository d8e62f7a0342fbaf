//! Binarisation of the enhanced image and removal of tiny specks.

use super::grid::{wiped, BlockMap, Wiped};

/// Ridge specks smaller than this many pixels are dropped, and valley holes
/// smaller than this are filled.
const MIN_BLOB: usize = 24;

/// A ridge map (1 = ridge) with a one-pixel zero border: `(w + 2) * (h + 2)`.
/// Biometric (so is the skeleton [`super::thin`] makes of it): wiped when
/// dropped.
pub(crate) struct RidgeMap {
    /// Padded width.
    pub stride: usize,
    /// 0 or 1 per pixel.
    pub px: Wiped<u8>,
}

/// Ridge where the enhanced value is negative (ridges are dark), inside `mask`.
pub(crate) fn binarize(enh: &[f32], w: usize, h: usize, mask: &BlockMap<bool>) -> RidgeMap {
    let stride = w + 2;
    let mut px = wiped(0u8, stride * (h + 2));
    for y in 0..h {
        for x in 0..w {
            if enh[y * w + x] < 0.0 && mask.at_pixel(x, y) {
                px[(y + 1) * stride + x + 1] = 1;
            }
        }
    }
    let mut map = RidgeMap { stride, px };
    remove_small(&mut map, 1, MIN_BLOB);
    remove_small(&mut map, 0, MIN_BLOB);
    map
}

/// Flips 8-connected components of `value` smaller than `min` pixels (the
/// padded border is never flipped, so outer background stays background).
/// A flood stops as soon as its component is known to be large, so the big
/// background and ridge networks cost one visit per pixel.
fn remove_small(map: &mut RidgeMap, value: u8, min: usize) {
    const UNSEEN: u8 = 0;
    const QUEUED: u8 = 1;
    const LARGE: u8 = 2;
    let stride = map.stride;
    let n = map.px.len();
    let h = n / stride;
    let mut state = wiped(UNSEEN, n);
    // Sized up front (growing would free an unwiped block): a flood pops at
    // most `min` pixels, each pushing at most 8 neighbours.
    let mut stack: Wiped<usize> = Wiped::new(Vec::with_capacity(8 * min + 1));
    let mut comp: Wiped<usize> = Wiped::new(Vec::with_capacity(min));
    for start in 0..n {
        if map.px[start] != value || state[start] != UNSEEN {
            continue;
        }
        comp.clear();
        stack.clear();
        state[start] = QUEUED;
        stack.push(start);
        let mut large = false;
        while let Some(i) = stack.pop() {
            comp.push(i);
            let (x, y) = (i % stride, i / stride);
            if x == 0 || y == 0 || x + 1 == stride || y + 1 == h || comp.len() >= min {
                large = true;
                break;
            }
            for j in [
                i - stride - 1,
                i - stride,
                i - stride + 1,
                i - 1,
                i + 1,
                i + stride - 1,
                i + stride,
                i + stride + 1,
            ] {
                if map.px[j] == value {
                    match state[j] {
                        UNSEEN => {
                            state[j] = QUEUED;
                            stack.push(j);
                        }
                        LARGE => large = true,
                        _ => {}
                    }
                }
            }
            if large {
                break;
            }
        }
        if large {
            for &i in comp.iter().chain(stack.iter()) {
                state[i] = LARGE;
            }
        } else {
            for &i in comp.iter() {
                map.px[i] = 1 - value;
                state[i] = LARGE; // settled; never revisited
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specks_vanish() {
        let (w, h) = (40, 40);
        let mut enh = vec![1.0f32; w * h];
        enh[20 * w + 20] = -1.0; // a one-pixel ridge speck
        for y in 5..35 {
            for x in 5..9 {
                enh[y * w + x] = -1.0; // a real ridge
            }
        }
        let mask = BlockMap::for_image(w, h, true);
        let m = binarize(&enh, w, h, &mask);
        assert_eq!(m.px[21 * m.stride + 21], 0);
        assert_eq!(m.px[20 * m.stride + 7], 1);
    }
}
