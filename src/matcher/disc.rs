//! Fixed geometry and weights shared by every cylinder build: which cells of
//! the `NS × NS` grid lie within the cylinder's disc and where, the spatial
//! and directional contribution tables, and the sines and cosines of the 256
//! template directions.
//!
//! Cylinder bits and masks are packed by *disc index*: the disc's cells
//! numbered in row-major grid order, so a cylinder stores only the cells that
//! can ever be valid ([`DISC_WORDS`] words per direction bin instead of a
//! whole grid's).

use super::geometry::{dir_diff, wrap_pi, DIR_UNIT};
use std::f32::consts::{PI, TAU};

/// Cells along one side of the cylinder's square grid.
pub(crate) const NS: usize = 12;
/// Direction bins.
pub(crate) const ND: usize = 6;
/// Cylinder radius, pixels at 500 dpi.
pub(crate) const RADIUS: f32 = 70.0;
/// Side of a spatial cell.
pub(crate) const DELTA_S: f32 = 2.0 * RADIUS / NS as f32;
/// Spatial spread of a neighbour's contribution.
const SIGMA_S: f32 = 28.0 / 3.0;
/// Directional spread of a neighbour's contribution.
const SIGMA_D: f32 = 2.0 * PI / 9.0;
/// Reach of one neighbour's contribution (3 σ).
pub(crate) const REACH: f32 = 3.0 * SIGMA_S;
/// `u64` words holding one bit per disc cell (the disc has fewer than 128).
pub(crate) const DISC_WORDS: usize = 2;
/// Lanes per cell in the build's sums (`ND` bins, padded for SIMD).
pub(crate) const LANES: usize = 8;
/// Steps per pixel of the one-dimensional spatial weight table.
pub(crate) const SPATIAL_STEPS: f32 = 4.0;
/// Entries of the spatial weight table: distances `0..=REACH` and one more.
pub(crate) const SPATIAL_LEN: usize = (REACH * SPATIAL_STEPS) as usize + 2;

/// Fixed tables shared by every cylinder build.
pub(crate) struct Tables {
    /// Disc cells in disc-index order: grid column, row and centre offsets
    /// (the builds use `rows`; the tests check against this list).
    #[cfg(test)]
    pub disc_list: Vec<(usize, usize, f32, f32)>,
    /// Every disc cell, as a mask.
    #[cfg(test)]
    pub disc_mask: [u64; DISC_WORDS],
    /// Number of disc cells.
    pub disc_cells: u32,
    /// Per grid row: first and last disc column (`lo > hi` when none) and the
    /// disc index of the first.
    pub rows: [(usize, usize, usize); NS],
    /// Directional weight per relative direction (1/256 turns) and bin,
    /// including the spatial Gaussian's normalisation.
    pub dir_weight: [[f32; LANES]; 256],
    /// The largest entry of `dir_weight`.
    pub max_dir_weight: f32,
    /// `exp(-d² / 2σ²)` per distance along one axis, `1 / SPATIAL_STEPS` px apart.
    pub spatial: [f32; SPATIAL_LEN],
    /// [`cell_offset`] of each row or column.
    pub cell_offsets: [f32; NS],
    /// `(cos, sin)` of each template direction.
    pub cos_sin: [(f32, f32); 256],
}

impl Tables {
    fn new() -> Tables {
        let mut disc_list = Vec::new();
        let mut rows = [(NS, 0, 0); NS];
        for (j, row) in rows.iter_mut().enumerate() {
            row.2 = disc_list.len();
            for i in 0..NS {
                let (u, v) = (cell_offset(i), cell_offset(j));
                if u * u + v * v <= RADIUS * RADIUS {
                    row.0 = row.0.min(i);
                    row.1 = i;
                    disc_list.push((i, j, u, v));
                }
            }
        }
        let disc_cells = disc_list.len() as u32;
        assert!(disc_list.len() <= 64 * DISC_WORDS, "disc too large");
        let mut disc_mask = [0u64; DISC_WORDS];
        for d in 0..disc_list.len() {
            disc_mask[d / 64] |= 1 << (d % 64);
        }
        let norm = 1.0 / (SIGMA_S * 2.506_628_3);
        let mut dir_weight = [[0.0; LANES]; 256];
        let delta_d = TAU / ND as f32;
        let s = SIGMA_D * std::f32::consts::SQRT_2;
        for (d, row) in dir_weight.iter_mut().enumerate() {
            let rel = dir_diff(0, d as u8);
            for (k, w) in row.iter_mut().take(ND).enumerate() {
                let centre_k = -PI + (k as f32 + 0.5) * delta_d;
                let off = wrap_pi(centre_k - rel);
                *w = norm * 0.5 * (erf((off + delta_d / 2.0) / s) - erf((off - delta_d / 2.0) / s));
            }
        }
        let max_dir_weight = dir_weight.iter().flatten().fold(0f32, |m, &w| m.max(w));
        let spatial = std::array::from_fn(|i| {
            let d = i as f32 / SPATIAL_STEPS;
            (-d * d / (2.0 * SIGMA_S * SIGMA_S)).exp()
        });
        Tables {
            #[cfg(test)]
            disc_list,
            #[cfg(test)]
            disc_mask,
            disc_cells,
            rows,
            dir_weight,
            max_dir_weight,
            spatial,
            cell_offsets: std::array::from_fn(cell_offset),
            cos_sin: std::array::from_fn(|d| {
                let a = d as f32 * DIR_UNIT;
                (a.cos(), a.sin())
            }),
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

    #[test]
    fn disc_rows_are_contiguous_and_indexed_in_order() {
        let t = Tables::get();
        for (d, &(i, j, _, _)) in t.disc_list.iter().enumerate() {
            let (lo, hi, start) = t.rows[j];
            assert!(lo <= i && i <= hi);
            assert_eq!(d, start + i - lo);
        }
        let total: usize = t.rows.iter().map(|&(lo, hi, _)| hi + 1 - lo).sum();
        assert_eq!(total, t.disc_cells as usize);
        assert_eq!(
            t.disc_mask.iter().map(|m| m.count_ones()).sum::<u32>(),
            t.disc_cells
        );
    }
}
