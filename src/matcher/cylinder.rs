//! Local structures: one bit-packed Minutia Cylinder-Code cylinder per minutia.
//!
//! A cylinder is a disc of radius [`RADIUS`] centred on a minutia and turned
//! with its direction, cut into `NS × NS` spatial cells and [`ND`] direction
//! bins. A cell-bin bit is set when neighbouring minutiae near the cell centre
//! have a direction (relative to the centre minutia) in that bin, following
//! Cappelli, Ferrara and Maltoni, "Minutia Cylinder-Code" (IEEE TPAMI 2010), in
//! its bit form. A validity mask marks the cells that lie inside the area the
//! template covers; only cells valid in both cylinders are compared.

use super::geometry::{dir_diff, DIR_UNIT};
use super::region::Region;
use std::f32::consts::{PI, TAU};

/// Cells along one side of the cylinder's square grid.
pub(crate) const NS: usize = 12;
/// Direction bins.
pub(crate) const ND: usize = 6;
/// Spatial cells per direction bin.
pub(crate) const CELLS: usize = NS * NS;
/// `u64` words of one validity mask (one bit per spatial cell).
pub(crate) const MASK_WORDS: usize = CELLS.div_ceil(64);
/// `u64` words of a cylinder's bits (`ND` copies of the cell grid).
pub(crate) const WORDS: usize = MASK_WORDS * ND;

/// Cylinder radius, pixels at 500 dpi.
pub(crate) const RADIUS: f32 = 70.0;
/// Side of a spatial cell.
const DELTA_S: f32 = 2.0 * RADIUS / NS as f32;
/// Spatial spread of a neighbour's contribution.
const SIGMA_S: f32 = 28.0 / 3.0;
/// Directional spread of a neighbour's contribution.
const SIGMA_D: f32 = 2.0 * PI / 9.0;
/// A cell-bin bit is set when its summed contribution exceeds this (the
/// paper's 0.01 was a little worse on the development data).
const MU_PSI: f32 = 0.007;
/// Share of the disc that must lie inside the template's area.
const MIN_VALID_CELLS: f32 = 0.75;
/// Fewest neighbours a valid cylinder has.
const MIN_NEIGHBOURS: usize = 2;
/// Margin around the minutiae's convex hull that still counts as finger area.
pub(crate) const HULL_MARGIN: f32 = 50.0;

/// Reach of one neighbour's contribution (3 σ).
const REACH: f32 = 3.0 * SIGMA_S;

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
        let a = dir as f32 * DIR_UNIT;
        Point {
            x,
            y,
            dir,
            cos: a.cos(),
            sin: a.sin(),
        }
    }
}

/// A bit cylinder and the spatial cells it may be compared on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cylinder {
    /// Bit `k * CELLS + cell`: direction bin `k` of spatial cell `cell`.
    pub bits: [u64; WORDS],
    /// Bit `cell`: the cell lies within the disc and the template's area.
    pub mask: [u64; MASK_WORDS],
}

/// Lanes per cell in the build's scratch sums (`ND` bins, padded for SIMD).
pub(crate) const LANES: usize = 8;

/// Scratch space of one cylinder build: one padded row of bin sums per cell.
pub(crate) type Sums = [[f32; LANES]; CELLS];

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

/// Steps per pixel of the one-dimensional spatial weight table.
const SPATIAL_STEPS: f32 = 4.0;

/// Fixed tables shared by every cylinder build.
pub(crate) struct Tables {
    /// Cells whose centre lies within the disc, with their centre offsets.
    disc_list: Vec<(usize, f32, f32)>,
    /// The same cells as a mask.
    disc_mask: [u64; MASK_WORDS],
    /// Number of disc cells.
    pub disc_cells: u32,
    /// Directional weight per relative direction (1/256 turns) and bin,
    /// including the spatial Gaussian's normalisation.
    dir_weight: [[f32; LANES]; 256],
    /// `exp(-d² / 2σ²)` per distance along one axis, `1 / SPATIAL_STEPS` px apart.
    spatial: Vec<f32>,
    /// [`cell_offset`] of each row or column.
    cell_offsets: [f32; NS],
}

impl Tables {
    fn new() -> Tables {
        let mut disc_list = Vec::new();
        for j in 0..NS {
            for i in 0..NS {
                let (u, v) = (cell_offset(i), cell_offset(j));
                if u * u + v * v <= RADIUS * RADIUS {
                    disc_list.push((j * NS + i, u, v));
                }
            }
        }
        let disc_cells = disc_list.len() as u32;
        let mut disc_mask = [0u64; MASK_WORDS];
        for &(c, _, _) in &disc_list {
            disc_mask[c / 64] |= 1 << (c % 64);
        }
        let norm = 1.0 / (SIGMA_S * 2.506_628_3);
        let mut dir_weight = [[0.0; LANES]; 256];
        let delta_d = TAU / ND as f32;
        let s = SIGMA_D * std::f32::consts::SQRT_2;
        for (d, row) in dir_weight.iter_mut().enumerate() {
            let rel = dir_diff(0, d as u8);
            for (k, w) in row.iter_mut().take(ND).enumerate() {
                let centre_k = -PI + (k as f32 + 0.5) * delta_d;
                let off = super::geometry::wrap_pi(centre_k - rel);
                *w = norm * 0.5 * (erf((off + delta_d / 2.0) / s) - erf((off - delta_d / 2.0) / s));
            }
        }
        let spatial = (0..=(REACH * SPATIAL_STEPS) as usize + 1)
            .map(|i| {
                let d = i as f32 / SPATIAL_STEPS;
                (-d * d / (2.0 * SIGMA_S * SIGMA_S)).exp()
            })
            .collect();
        Tables {
            disc_list,
            disc_mask,
            disc_cells,
            dir_weight,
            spatial,
            cell_offsets: std::array::from_fn(cell_offset),
        }
    }

    /// The shared tables, built on first use.
    pub(crate) fn get() -> &'static Tables {
        static T: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
        T.get_or_init(Tables::new)
    }
}

/// Offset of cell row or column `i` from the cylinder's centre, pixels.
#[inline]
fn cell_offset(i: usize) -> f32 {
    (i as f32 - (NS as f32 - 1.0) / 2.0) * DELTA_S
}

/// Error function (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7).
fn erf(x: f32) -> f32 {
    let sign = if x < 0.0 { -1.0 } else { 1.0 };
    let x = x.abs() as f64;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let y = 1.0
        - (((((1.061_405_429 * t - 1.453_152_027) * t) + 1.421_413_741) * t - 0.284_496_736) * t
            + 0.254_829_592)
            * t
            * (-x * x).exp();
    sign * y as f32
}

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
    // Ceiling and floor of non-negative values by truncation (no libm call).
    // They are below NS here, and `d` below is under the cylinder's reach, so
    // the cheaper `i32` conversion truncates exactly as `usize` would.
    let lo = if lo <= 0.0 {
        0
    } else {
        let f = lo as i32 as usize;
        f + usize::from((f as f32) < lo)
    };
    let hi = (hi.min(NS as f32) as i32 as usize).min(NS - 1);
    if lo > hi {
        return None;
    }
    for (i, wi) in w.iter_mut().enumerate().take(hi + 1).skip(lo) {
        let d = (t.cell_offsets[i] - x).abs();
        *wi = t.spatial[((d * SPATIAL_STEPS + 0.5) as i32 as usize).min(t.spatial.len() - 1)];
    }
    Some((lo, hi))
}

/// Builds the cylinder of `points[m]`; `None` when it is not valid (too little
/// of it inside the area, or too few neighbours). `sums` is scratch space that
/// must be all zero on entry and is left all zero (only the rows a neighbour
/// reached are cleared, instead of the whole grid every time).
pub(crate) fn build(
    points: &[Point],
    m: usize,
    area: &Region,
    sums: &mut Sums,
) -> Option<Cylinder> {
    debug_assert!(sums.iter().flatten().all(|&s| s == 0.0), "sums not cleared");
    let t = Tables::get();
    let c = points[m];
    // Validity mask: disc cells inside the template's area.
    let mut mask = [0u64; MASK_WORDS];
    let mut valid = 0u32;
    // The area is convex: when the octagon around the disc lies inside it,
    // so does every cell, and the per-cell test can be skipped.
    let inside = OCTAGON.iter().all(|&(u, v)| {
        area.contains(
            c.x + RADIUS * (u * c.cos - v * c.sin),
            c.y + RADIUS * (u * c.sin + v * c.cos),
        )
    });
    if inside {
        mask = t.disc_mask;
        valid = t.disc_cells;
    }
    for &(cell, u, v) in t.disc_list.iter().filter(|_| !inside) {
        let gx = c.x + u * c.cos - v * c.sin;
        let gy = c.y + u * c.sin + v * c.cos;
        if area.contains(gx, gy) {
            mask[cell / 64] |= 1 << (cell % 64);
            valid += 1;
        }
    }
    if (valid as f32) < MIN_VALID_CELLS * t.disc_cells as f32 {
        return None;
    }
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
        touched = (touched.0.min(j0), touched.1.max(j1 + 1));
        let w = &t.dir_weight[p.dir.wrapping_sub(c.dir) as usize];
        for j in j0..=j1 {
            let row = &mut sums[j * NS..(j + 1) * NS];
            for i in i0..=i1 {
                let s = wu[i] * wv[j];
                for (acc, &wk) in row[i].iter_mut().zip(w.iter()) {
                    *acc += s * wk;
                }
            }
        }
    }
    if neighbours < MIN_NEIGHBOURS {
        clear_rows(sums, touched);
        return None;
    }
    let mut bits = [0u64; WORDS];
    for (w, &m) in mask.iter().enumerate() {
        // One word per direction bin, kept in registers while the cells of
        // this mask word are visited.
        let mut acc = [0u64; ND];
        let mut rest = m;
        while rest != 0 {
            let b = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let row = &sums[w * 64 + b];
            for (a, &s) in acc.iter_mut().zip(row.iter()) {
                *a |= u64::from(s > MU_PSI) << b;
            }
        }
        for (k, a) in acc.into_iter().enumerate() {
            bits[k * MASK_WORDS + w] = a;
        }
    }
    clear_rows(sums, touched);
    Some(Cylinder { bits, mask })
}

/// Zeroes grid rows `rows.0..rows.1` of `sums` (nothing when the range is empty).
fn clear_rows(sums: &mut Sums, rows: (usize, usize)) {
    for row in sums.iter_mut().take(rows.1 * NS).skip(rows.0 * NS) {
        *row = [0.0; LANES];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_weights_sum_to_one() {
        let t = Tables::get();
        let norm = 1.0 / (SIGMA_S * 2.506_628_3);
        for row in t.dir_weight.iter() {
            let s: f32 = row.iter().sum::<f32>() / norm;
            assert!((s - 1.0).abs() < 0.02, "{s}");
        }
        // Same direction: the two middle bins carry most weight.
        assert!(t.dir_weight[0][2] > 0.4 * norm && t.dir_weight[0][3] > 0.4 * norm);
        let area = (NS * NS) as f32 * std::f32::consts::FRAC_PI_4;
        assert!((t.disc_cells as f32 - area).abs() < 0.1 * area);
    }
}
