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
pub(crate) const NS: usize = 16;
/// Direction bins.
pub(crate) const ND: usize = 6;
/// Spatial cells per direction bin.
pub(crate) const CELLS: usize = NS * NS;
/// `u64` words of one validity mask (one bit per spatial cell).
pub(crate) const MASK_WORDS: usize = CELLS / 64;
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
/// A cell-bin bit is set when its summed contribution exceeds this.
const MU_PSI: f32 = 0.01;
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

/// Fixed tables shared by every cylinder build.
pub(crate) struct Tables {
    /// Cell centre offsets in the cylinder frame (`NaN`-free), per cell.
    centre: [(f32, f32); CELLS],
    /// Cells whose centre lies within the disc.
    disc: [u64; MASK_WORDS],
    /// Number of disc cells.
    pub disc_cells: u32,
    /// Directional weight per relative direction (1/256 turns) and bin.
    dir_weight: [[f32; ND]; 256],
}

impl Tables {
    fn new() -> Tables {
        let mut centre = [(0.0, 0.0); CELLS];
        let mut disc = [0u64; MASK_WORDS];
        let mut disc_cells = 0;
        let half = (NS as f32 - 1.0) / 2.0;
        for j in 0..NS {
            for i in 0..NS {
                let c = j * NS + i;
                let u = (i as f32 - half) * DELTA_S;
                let v = (j as f32 - half) * DELTA_S;
                centre[c] = (u, v);
                if u * u + v * v <= RADIUS * RADIUS {
                    disc[c / 64] |= 1 << (c % 64);
                    disc_cells += 1;
                }
            }
        }
        let mut dir_weight = [[0.0; ND]; 256];
        let delta_d = TAU / ND as f32;
        let s = SIGMA_D * std::f32::consts::SQRT_2;
        for (d, row) in dir_weight.iter_mut().enumerate() {
            let rel = dir_diff(0, d as u8);
            for (k, w) in row.iter_mut().enumerate() {
                let centre_k = -PI + (k as f32 + 0.5) * delta_d;
                let off = super::geometry::wrap_pi(centre_k - rel);
                *w = 0.5 * (erf((off + delta_d / 2.0) / s) - erf((off - delta_d / 2.0) / s));
            }
        }
        Tables {
            centre,
            disc,
            disc_cells,
            dir_weight,
        }
    }

    /// The shared tables, built on first use.
    pub(crate) fn get() -> &'static Tables {
        static T: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
        T.get_or_init(Tables::new)
    }
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

/// Spatial weight of a neighbour at squared distance `d2` from a cell centre.
#[inline]
fn spatial_weight(d2: f32) -> f32 {
    const NORM: f32 = 1.0 / (SIGMA_S * 2.506_628_3);
    NORM * (-d2 / (2.0 * SIGMA_S * SIGMA_S)).exp()
}

/// Builds the cylinder of `points[m]`; `None` when it is not valid (too little
/// of it inside the area, or too few neighbours). `sums` is scratch space.
pub(crate) fn build(
    points: &[Point],
    m: usize,
    area: &Region,
    sums: &mut [f32; CELLS * ND],
) -> Option<Cylinder> {
    let t = Tables::get();
    let c = points[m];
    // Validity mask: disc cells inside the template's area.
    let mut mask = [0u64; MASK_WORDS];
    let mut valid = 0u32;
    for (cell, &(u, v)) in t.centre.iter().enumerate() {
        if t.disc[cell / 64] & (1 << (cell % 64)) == 0 {
            continue;
        }
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
    sums.fill(0.0);
    let reach2 = (RADIUS + REACH) * (RADIUS + REACH);
    let half = (NS as f32 - 1.0) / 2.0;
    let mut neighbours = 0;
    for (n, p) in points.iter().enumerate() {
        if n == m {
            continue;
        }
        let (dx, dy) = (p.x - c.x, p.y - c.y);
        if dx * dx + dy * dy > reach2 {
            continue;
        }
        neighbours += 1;
        // Neighbour in the cylinder frame.
        let u = dx * c.cos + dy * c.sin;
        let v = -dx * c.sin + dy * c.cos;
        let w = &t.dir_weight[p.dir.wrapping_sub(c.dir) as usize];
        let i0 = (((u - REACH) / DELTA_S + half).ceil().max(0.0)) as usize;
        let i1 = (((u + REACH) / DELTA_S + half).floor().min(NS as f32 - 1.0)) as isize;
        let j0 = (((v - REACH) / DELTA_S + half).ceil().max(0.0)) as usize;
        let j1 = (((v + REACH) / DELTA_S + half).floor().min(NS as f32 - 1.0)) as isize;
        if i1 < i0 as isize || j1 < j0 as isize {
            continue;
        }
        for j in j0..=j1 as usize {
            for i in i0..=i1 as usize {
                let cell = j * NS + i;
                if mask[cell / 64] & (1 << (cell % 64)) == 0 {
                    continue;
                }
                let (cu, cv) = t.centre[cell];
                let d2 = (cu - u) * (cu - u) + (cv - v) * (cv - v);
                if d2 > REACH * REACH {
                    continue;
                }
                let s = spatial_weight(d2);
                for (k, &wk) in w.iter().enumerate() {
                    sums[k * CELLS + cell] += s * wk;
                }
            }
        }
    }
    if neighbours < MIN_NEIGHBOURS {
        return None;
    }
    let mut bits = [0u64; WORDS];
    for (idx, &s) in sums.iter().enumerate() {
        if s > MU_PSI {
            bits[idx / 64] |= 1 << (idx % 64);
        }
    }
    Some(Cylinder { bits, mask })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_weights_sum_to_one() {
        let t = Tables::get();
        for row in t.dir_weight.iter() {
            let s: f32 = row.iter().sum();
            assert!((s - 1.0).abs() < 0.02, "{s}");
        }
        // Same direction: the two middle bins carry most weight.
        assert!(t.dir_weight[0][2] > 0.4 && t.dir_weight[0][3] > 0.4);
        assert!(t.disc_cells > 180 && t.disc_cells < 210);
    }
}
