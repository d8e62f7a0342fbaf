//! Local structures: one bit-packed Minutia Cylinder-Code cylinder per minutia.
//!
//! A cylinder is a disc of radius [`RADIUS`] centred on a minutia and turned
//! with its direction, cut into `NS × NS` spatial cells and [`ND`] direction
//! bins. A cell-bin bit is set when neighbouring minutiae near the cell centre
//! have a direction (relative to the centre minutia) in that bin, following
//! Cappelli, Ferrara and Maltoni, "Minutia Cylinder-Code" (IEEE TPAMI 2010), in
//! its bit form. A validity mask marks the cells that lie inside the area the
//! template covers; only cells valid in both cylinders are compared. Only the
//! disc's cells are stored, by disc index (see `disc`).
//!
//! The build adds every neighbour's contribution to the valid cells it
//! reaches, in neighbour order, and thresholds the sums; cells whose summed
//! spatial weight bounds every bin below the threshold are skipped without
//! looking at their bins.

use super::disc::{
    Tables, DELTA_S, DISC_WORDS, LANES, ND, NS, RADIUS, REACH, SPATIAL_LEN, SPATIAL_STEPS,
};
use super::region::Region;

/// `u64` words of a cylinder's bits (`ND` copies of the disc's cells).
pub(crate) const WORDS: usize = DISC_WORDS * ND;
// `disc_mask` builds the two words from one `u128`.
const _: () = assert!(DISC_WORDS == 2);

/// A cell-bin bit is set when its summed contribution exceeds this (the
/// paper's 0.01 was a little worse on the development data).
const MU_PSI: f32 = 0.007;
/// Share of the disc that must lie inside the template's area.
const MIN_VALID_CELLS: f32 = 0.75;
/// Fewest neighbours a valid cylinder has.
const MIN_NEIGHBOURS: usize = 2;
/// Margin around the minutiae's convex hull that still counts as finger area.
pub(crate) const HULL_MARGIN: f32 = 50.0;
/// Relative slack of the bound "every bin's sum is at most the cell's summed
/// spatial weight times the largest directional weight": far more than the
/// float rounding of up to 128 terms (about 2e-5), so a cell skipped by the
/// bound has every bin at or below the threshold.
const BOUND_SLACK: f32 = 1.001;

/// Lanes of the sums the build updates: all of them where the target has
/// 4-wide float vectors, else only the `ND` real bins (the padding lanes'
/// weights are zero, so they would only add zeros).
const SUM_LANES: usize = if cfg!(any(
    target_feature = "sse2",
    target_feature = "simd128",
    target_feature = "neon"
)) {
    LANES
} else {
    ND
};

/// One minutia in the matcher's frame (y up, radians counter-clockwise).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Point {
    pub x: f32,
    pub y: f32,
    pub dir: u8,
    pub cos: f32,
    pub sin: f32,
}

impl Point {
    pub(crate) fn new(x: f32, y: f32, dir: u8) -> Point {
        let (cos, sin) = Tables::get().cos_sin[dir as usize];
        Point {
            x,
            y,
            dir,
            cos,
            sin,
        }
    }
}

/// A bit cylinder and the spatial cells it may be compared on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cylinder {
    /// Bit `d` of words `k * DISC_WORDS..`: direction bin `k` of disc cell `d`.
    pub bits: [u64; WORDS],
    /// Bit `d`: disc cell `d` lies within the template's area.
    pub mask: [u64; DISC_WORDS],
    /// Number of set bits in `bits` (all of them lie inside `mask`).
    pub count: u32,
    /// Bit `d`: disc cell `d` has a bit set in some direction bin.
    pub any: [u64; DISC_WORDS],
}

impl Cylinder {
    /// A cylinder from its bits and mask (`bits` must lie inside `mask`).
    pub(crate) fn new(bits: [u64; WORDS], mask: [u64; DISC_WORDS]) -> Cylinder {
        debug_assert!(bits
            .iter()
            .enumerate()
            .all(|(i, &b)| b & !mask[i % DISC_WORDS] == 0));
        let count = bits.iter().map(|b| b.count_ones()).sum();
        let mut any = [0u64; DISC_WORDS];
        for (i, &b) in bits.iter().enumerate() {
            any[i % DISC_WORDS] |= b;
        }
        Cylinder {
            bits,
            mask,
            count,
            any,
        }
    }
}

/// Scratch space of cylinder builds: per grid cell, the padded bin sums and
/// the summed spatial weight. All zero between builds.
pub(crate) struct Scratch {
    sums: [[[f32; LANES]; NS]; NS],
    weight: [[f32; NS]; NS],
}

impl Scratch {
    /// All-zero scratch space.
    pub(crate) fn new() -> Scratch {
        Scratch {
            sums: [[[0.0; LANES]; NS]; NS],
            weight: [[0.0; NS]; NS],
        }
    }

    /// Whether every sum is zero (as between builds).
    pub(crate) fn is_clear(&self) -> bool {
        self.sums.iter().flatten().flatten().all(|&s| s == 0.0)
            && self.weight.iter().flatten().all(|&s| s == 0.0)
    }

    /// Zeroes grid rows `rows.0..rows.1` (nothing when the range is empty).
    fn clear_rows(&mut self, rows: (usize, usize)) {
        for j in rows.0..rows.1 {
            self.sums[j] = [[0.0; LANES]; NS];
            self.weight[j] = [0.0; NS];
        }
    }
}

/// Vertices of the regular octagon circumscribing the unit circle.
const OCTAGON: [(f32, f32); 8] = {
    const R: f32 = 1.082_392_2; // 1 / cos(22.5°)
    const D: f32 = R * std::f32::consts::FRAC_1_SQRT_2;
    [
        (R, 0.0),
        (D, D),
        (0.0, R),
        (-D, D),
        (-R, 0.0),
        (-D, -D),
        (0.0, -R),
        (D, -D),
    ]
};

/// Cells `lo..=hi` (clamped to the grid) within `REACH` of offset `x` along one
/// axis, and the spatial weight of each.
#[inline]
fn axis_weights(x: f32, t: &Tables, w: &mut [f32; NS]) -> Option<(usize, usize)> {
    let half = (NS as f32 - 1.0) / 2.0;
    let lo = (x - REACH) / DELTA_S + half;
    let hi = (x + REACH) / DELTA_S + half;
    if !(hi >= 0.0 && lo <= NS as f32 - 1.0) {
        return None;
    }
    // Ceiling and floor of non-negative values by truncation (no libm call;
    // the `i32` conversion saturates, so a large `hi` still ends at NS - 1).
    let lo = if lo <= 0.0 {
        0
    } else {
        let f = lo as i32 as usize;
        f + usize::from((f as f32) < lo)
    };
    let hi = (hi as i32 as usize).min(NS - 1);
    if lo > hi {
        return None;
    }
    // `d` is under the cylinder's reach here, so its index is in the table
    // (`min` only guards against rounding).
    for (wi, &off) in w[lo..=hi].iter_mut().zip(&t.cell_offsets[lo..=hi]) {
        let d = (off - x).abs();
        *wi = t.spatial[((d * SPATIAL_STEPS + 0.5) as i32 as usize).min(SPATIAL_LEN - 1)];
    }
    Some((lo, hi))
}

/// Builds the cylinder of `points[m]`; `None` when it is not valid (too little
/// of it inside the area, or too few neighbours). `scratch` must be all zero
/// on entry and is left all zero (only the rows a neighbour reached are
/// cleared, instead of the whole grid every time).
pub(crate) fn build(
    points: &[Point],
    m: usize,
    area: &Region,
    scratch: &mut Scratch,
) -> Option<Cylinder> {
    debug_assert!(scratch.is_clear(), "scratch not cleared");
    let t = Tables::get();
    let c = points[m];
    // Validity: bit `i` of `row_valid[j]` when cell (i, j) is a disc cell
    // inside the template's area.
    let mut row_valid = [0u16; NS];
    // The area is convex: when the octagon around the disc lies inside it,
    // so does every cell, and the per-cell test can be skipped.
    let inside = OCTAGON.iter().all(|&(u, v)| {
        area.contains(
            c.x + RADIUS * (u * c.cos - v * c.sin),
            c.y + RADIUS * (u * c.sin + v * c.cos),
        )
    });
    if inside {
        for (r, &(lo, hi, _)) in row_valid.iter_mut().zip(t.rows.iter()) {
            *r = row_bits(lo, hi);
        }
    } else {
        // The cell centre `(c.x + u cos - v sin, c.y + u sin + v cos)`, with
        // the products that depend on the column only taken once.
        let xu: [f32; NS] = std::array::from_fn(|i| c.x + t.cell_offsets[i] * c.cos);
        let yu: [f32; NS] = std::array::from_fn(|i| c.y + t.cell_offsets[i] * c.sin);
        for (j, r) in row_valid.iter_mut().enumerate() {
            let (lo, hi, _) = t.rows[j];
            let (vs, vc) = (t.cell_offsets[j] * c.sin, t.cell_offsets[j] * c.cos);
            for i in lo..=hi.min(NS - 1) {
                *r |= u16::from(area.contains(xu[i] - vs, yu[i] + vc)) << i;
            }
        }
    }
    let mask = disc_mask(&row_valid, t);
    let valid: u32 = mask.iter().map(|w| w.count_ones()).sum();
    if (valid as f32) < MIN_VALID_CELLS * t.disc_cells as f32 {
        return None;
    }
    // Per row, the columns from the first to the last valid cell.
    let span: [(usize, usize); NS] = std::array::from_fn(|j| {
        let r = row_valid[j];
        if r == 0 {
            (NS, 0)
        } else {
            (r.trailing_zeros() as usize, 15 - r.leading_zeros() as usize)
        }
    });
    let reach2 = (RADIUS + REACH) * (RADIUS + REACH);
    let mut neighbours = 0;
    // Grid rows the neighbours reached: zeroed again before returning.
    let mut touched = (NS, 0);
    let (mut wu, mut wv) = ([0f32; NS], [0f32; NS]);
    for (n, p) in points.iter().enumerate() {
        if n == m {
            continue;
        }
        let (dx, dy) = (p.x - c.x, p.y - c.y);
        if dx * dx + dy * dy > reach2 {
            continue;
        }
        neighbours += 1;
        // Neighbour in the cylinder frame; its Gaussian is separable, so the
        // weight of cell (i, j) is wu[i] * wv[j].
        let u = dx * c.cos + dy * c.sin;
        let v = -dx * c.sin + dy * c.cos;
        let (Some((i0, i1)), Some((j0, j1))) =
            (axis_weights(u, t, &mut wu), axis_weights(v, t, &mut wv))
        else {
            continue;
        };
        let w = &t.dir_weight[p.dir.wrapping_sub(c.dir) as usize];
        for j in j0..=j1 {
            // Only valid cells are summed: the others are never thresholded.
            let (lo, hi) = (span[j].0.max(i0), span[j].1.min(i1));
            if lo > hi {
                continue;
            }
            touched = (touched.0.min(j), touched.1.max(j + 1));
            add_row(
                &mut scratch.sums[j][lo..=hi],
                &mut scratch.weight[j][lo..=hi],
                &wu[lo..=hi],
                wv[j],
                w,
            );
        }
    }
    if neighbours < MIN_NEIGHBOURS {
        scratch.clear_rows(touched);
        return None;
    }
    let bound = t.max_dir_weight * BOUND_SLACK;
    let mut bits = [0u64; WORDS];
    for (j, &valid_row) in row_valid.iter().enumerate().take(touched.1).skip(touched.0) {
        let mut rest = valid_row;
        // Disc index of cell (0, j), as if the row started at column 0.
        let base = t.rows[j].2.wrapping_sub(t.rows[j].0);
        while rest != 0 {
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            if scratch.weight[j][i] * bound <= MU_PSI {
                continue;
            }
            let d = base.wrapping_add(i);
            let (w, b) = (d / 64, d % 64);
            // The bins over the threshold as one small mask (a vector compare
            // where the target has one), then only its set bits are stored.
            let sums = &scratch.sums[j][i];
            let mut over = 0u32;
            for (k, &s) in sums.iter().enumerate().take(SUM_LANES) {
                over |= u32::from(s > MU_PSI) << k;
            }
            over &= (1 << ND) - 1;
            while over != 0 {
                let k = over.trailing_zeros() as usize;
                over &= over - 1;
                bits[k * DISC_WORDS + w] |= 1 << b;
            }
        }
    }
    scratch.clear_rows(touched);
    Some(Cylinder::new(bits, mask))
}

/// Adds one neighbour's contribution to a run of cells of one grid row: `s =
/// wu[i] * wv` to each cell's spatial weight and `s * w[k]` to its bins.
/// Kept out of line so the hot loop has the registers to itself.
#[inline(never)]
fn add_row(sums: &mut [[f32; LANES]], weight: &mut [f32], wu: &[f32], wv: f32, w: &[f32; LANES]) {
    for ((cell, total), &wui) in sums.iter_mut().zip(weight.iter_mut()).zip(wu) {
        let s = wui * wv;
        *total += s;
        for k in 0..SUM_LANES {
            cell[k] += s * w[k];
        }
    }
}

/// Bits `lo..=hi` of a row (none when `lo > hi`).
fn row_bits(lo: usize, hi: usize) -> u16 {
    if lo > hi || lo >= NS {
        0
    } else {
        ((1u32 << (hi.min(NS - 1) + 1)) - (1u32 << lo)) as u16
    }
}

/// The disc-index mask of per-row validity bits.
fn disc_mask(row_valid: &[u16; NS], t: &Tables) -> [u64; DISC_WORDS] {
    let mut mask = 0u128;
    for (&r, &(lo, _, first)) in row_valid.iter().zip(t.rows.iter()) {
        if r != 0 {
            mask |= u128::from(r >> lo) << first;
        }
    }
    [mask as u64, (mask >> 64) as u64]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cylinder as first written: every valid disc cell summed over every
    /// neighbour in order, no bounds, no spans.
    fn reference(points: &[Point], m: usize, area: &Region) -> Option<Cylinder> {
        let t = Tables::get();
        let c = points[m];
        let mut mask = [0u64; DISC_WORDS];
        let mut valid = 0;
        for (d, &(_, _, u, v)) in t.disc_list.iter().enumerate() {
            if area.contains(c.x + u * c.cos - v * c.sin, c.y + u * c.sin + v * c.cos) {
                mask[d / 64] |= 1 << (d % 64);
                valid += 1;
            }
        }
        if (valid as f32) < MIN_VALID_CELLS * t.disc_cells as f32 {
            return None;
        }
        let reach2 = (RADIUS + REACH) * (RADIUS + REACH);
        let near: Vec<&Point> = (0..points.len())
            .filter(|&n| n != m)
            .map(|n| &points[n])
            .filter(|p| (p.x - c.x) * (p.x - c.x) + (p.y - c.y) * (p.y - c.y) <= reach2)
            .collect();
        if near.len() < MIN_NEIGHBOURS {
            return None;
        }
        let mut bits = [0u64; WORDS];
        for (d, &(i, j, _, _)) in t.disc_list.iter().enumerate() {
            if (mask[d / 64] >> (d % 64)) & 1 == 0 {
                continue;
            }
            let mut sums = [0f32; ND];
            for p in &near {
                let (dx, dy) = (p.x - c.x, p.y - c.y);
                let u = dx * c.cos + dy * c.sin;
                let v = -dx * c.sin + dy * c.cos;
                let (mut wu, mut wv) = ([0f32; NS], [0f32; NS]);
                let (Some((i0, i1)), Some((j0, j1))) =
                    (axis_weights(u, t, &mut wu), axis_weights(v, t, &mut wv))
                else {
                    continue;
                };
                if (i0..=i1).contains(&i) && (j0..=j1).contains(&j) {
                    let w = &t.dir_weight[p.dir.wrapping_sub(c.dir) as usize];
                    for k in 0..ND {
                        sums[k] += (wu[i] * wv[j]) * w[k];
                    }
                }
            }
            for k in 0..ND {
                bits[k * DISC_WORDS + d / 64] |= u64::from(sums[k] > MU_PSI) << (d % 64);
            }
        }
        Some(Cylinder::new(bits, mask))
    }

    #[test]
    fn build_equals_the_direct_sums() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut scratch = Scratch::new();
        let (mut built, mut partial) = (0, 0);
        for case in 0..40 {
            // Dense and sparse sets, some crowded into a corner of the area.
            let n = 3 + case % 50;
            let spread = [300.0, 150.0, 60.0][case % 3];
            let points: Vec<Point> = (0..n)
                .map(|_| {
                    let x = (next() % 10_000) as f32 / 10_000.0 * spread;
                    let y = -((next() % 10_000) as f32 / 10_000.0 * spread);
                    Point::new(x, y, next() as u8)
                })
                .collect();
            let xy: Vec<(f32, f32)> = points.iter().map(|p| (p.x, p.y)).collect();
            let area = Region::around(&xy, HULL_MARGIN);
            for m in 0..points.len() {
                let fast = build(&points, m, &area, &mut scratch);
                let slow = reference(&points, m, &area);
                assert!(scratch.is_clear());
                match (fast, slow) {
                    (None, None) => {}
                    (Some(f), Some(s)) => {
                        assert_eq!((f.bits, f.mask), (s.bits, s.mask), "case {case} m {m}");
                        built += 1;
                        partial += usize::from(f.mask != Tables::get().disc_mask);
                    }
                    _ => panic!("case {case} m {m}: validity differs"),
                }
            }
        }
        // Both kinds of cylinder were exercised.
        assert!(built > 200 && partial > 50, "{built} {partial}");
    }
}
