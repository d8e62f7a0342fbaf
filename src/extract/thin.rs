//! Thinning of the ridge map to a one-pixel-wide, 8-connected skeleton:
//! Zhang-Suen parallel thinning driven by lookup tables, then removal of the
//! remaining redundant (simple, non-end) pixels such as staircase corners.

use super::binarize::RidgeMap;
use super::grid::Wiped;

/// Neighbour bits: N, NE, E, SE, S, SW, W, NW (bit 0..7), clockwise from N.
#[inline]
pub(crate) fn neighbours(px: &[u8], i: usize, stride: usize) -> u8 {
    px[i - stride]
        | px[i - stride + 1] << 1
        | px[i + 1] << 2
        | px[i + stride + 1] << 3
        | px[i + stride] << 4
        | px[i + stride - 1] << 5
        | px[i - 1] << 6
        | px[i - stride - 1] << 7
}

/// The linear offsets of the 8 neighbours in bit order.
#[inline]
pub(crate) fn neighbour_offsets(stride: usize) -> [isize; 8] {
    let s = stride as isize;
    [-s, -s + 1, 1, s + 1, s, s - 1, -1, -s - 1]
}

/// Number of 0 -> 1 transitions around the ring (the crossing number).
pub(crate) const fn transitions(n: u8) -> u8 {
    let mut t = 0;
    let mut k = 0;
    while k < 8 {
        let a = (n >> k) & 1;
        let b = (n >> ((k + 1) % 8)) & 1;
        if a == 0 && b == 1 {
            t += 1;
        }
        k += 1;
    }
    t
}

const fn bit(n: u8, k: u8) -> bool {
    (n >> k) & 1 == 1
}

/// Zhang-Suen deletability for sub-iteration 1 and 2.
const fn zs_table(second: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut n = 0;
    while n < 256 {
        let b = (n as u8).count_ones();
        let a = transitions(n as u8);
        let (p2, p4, p6, p8) = (
            bit(n as u8, 0),
            bit(n as u8, 2),
            bit(n as u8, 4),
            bit(n as u8, 6),
        );
        let cond = if !second {
            !(p4 && p6 && (p2 || p8))
        } else {
            !(p2 && p8 && (p4 || p6))
        };
        t[n] = b >= 2 && b <= 6 && a == 1 && cond;
        n += 1;
    }
    t
}

/// Yokoi's 8-connectivity number is 1 (deleting the pixel keeps topology)
/// and the pixel is not an end point.
const fn simple_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut n = 0;
    while n < 256 {
        // x1..x8 = E, NE, N, NW, W, SW, S, SE in Yokoi's numbering.
        let v = n as u8;
        let x = [
            bit(v, 2),
            bit(v, 1),
            bit(v, 0),
            bit(v, 7),
            bit(v, 6),
            bit(v, 5),
            bit(v, 4),
            bit(v, 3),
        ];
        let mut c = 0i32;
        let mut k = 0;
        while k < 8 {
            let a = !x[k] as i32;
            let b = !x[(k + 1) % 8] as i32;
            let d = !x[(k + 2) % 8] as i32;
            c += a - a * b * d;
            k += 2;
        }
        t[n] = c == 1 && v.count_ones() >= 2;
        n += 1;
    }
    t
}

static ZS1: [bool; 256] = zs_table(false);
static ZS2: [bool; 256] = zs_table(true);
static SIMPLE: [bool; 256] = simple_table();

/// Thins `map` in place to a skeleton.
pub(crate) fn thin(map: &mut RidgeMap) {
    let stride = map.stride;
    let n = map.px.len();
    let h = n / stride;
    // Candidate list: ridge pixels; shrinks as pixels become interior-stable.
    // Both lists are where the ridges are: sized up front (growing would
    // free an unwiped block) and wiped when dropped.
    let ridge_px = map.px.iter().filter(|&&p| p == 1).count();
    let mut cand: Wiped<usize> = Wiped::new(Vec::with_capacity(ridge_px));
    cand.extend(
        (1..h - 1)
            .flat_map(|y| (1..stride - 1).map(move |x| y * stride + x))
            .filter(|&i| map.px[i] == 1),
    );
    let mut del: Wiped<usize> = Wiped::new(Vec::with_capacity(ridge_px));
    loop {
        let mut changed = false;
        for table in [&ZS1, &ZS2] {
            del.clear();
            for &i in cand.iter() {
                if map.px[i] == 1 && table[neighbours(&map.px, i, stride) as usize] {
                    del.push(i);
                }
            }
            for &i in del.iter() {
                map.px[i] = 0;
            }
            changed |= !del.is_empty();
        }
        if !changed {
            break;
        }
        cand.retain(|&i| map.px[i] == 1);
    }
    for &i in cand.iter() {
        if map.px[i] == 1 && SIMPLE[neighbours(&map.px, i, stride) as usize] {
            map.px[i] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thick_bar_thins_to_a_line() {
        let (w, h) = (30, 12);
        let stride = w + 2;
        let mut px = vec![0u8; stride * (h + 2)];
        for y in 4..9 {
            for x in 3..27 {
                px[(y + 1) * stride + x + 1] = 1;
            }
        }
        let mut m = RidgeMap {
            stride,
            px: px.into(),
        };
        thin(&mut m);
        // Every column in the middle holds exactly one skeleton pixel.
        for x in 8..22 {
            let count: u8 = (0..h + 2).map(|y| m.px[y * stride + x + 1]).sum();
            assert_eq!(count, 1, "column {x}");
        }
        // And no skeleton pixel is redundant.
        for i in 0..m.px.len() {
            if m.px[i] == 1 {
                let nb = neighbours(&m.px, i, stride);
                assert!(!SIMPLE[nb as usize]);
            }
        }
    }

    #[test]
    fn crossing_number_counts_branches() {
        assert_eq!(transitions(0b0000_0001), 1);
        assert_eq!(transitions(0b0100_0100), 2);
        assert_eq!(transitions(0b0101_0001), 3);
    }
}
