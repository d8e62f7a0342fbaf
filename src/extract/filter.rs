//! Removal of false minutiae and the quality of those that stay.
//!
//! Rules (in this order): minutiae near the edge of the finger area go;
//! structures the skeleton makes from noise go in pairs (short ridges and
//! spurs: an ending whose ridge meets another minutia within a short length;
//! bridges: two bifurcations joined by a short ridge; broken ridges: two
//! endings facing each other across a small gap); crowded minutiae (too close
//! to another) go. The limits are [`FilterParams`].
//!
//! Minutiae in incoherent areas are kept: measured on FVC, the matcher does
//! better with them (their quality is lower instead).

use zeroize::Zeroize;

use super::grid::{BlockMap, BLOCK};
use super::minutiae::{angle_diff, Candidate, TraceEnd};
use super::params::FilterParams;

/// The maps the filter consults.
pub(crate) struct Context<'a> {
    pub border: &'a BlockMap<u16>,
    pub coherence: &'a BlockMap<f32>,
    pub period: &'a BlockMap<f32>,
}

/// A kept minutia: image coordinates and angle, and quality 0..100.
/// Biometric: the list is zeroized once the template is made.
#[derive(Clone, Copy, Debug, Zeroize)]
pub(crate) struct Kept {
    pub x: usize,
    pub y: usize,
    pub angle: f32,
    pub bifurcation: bool,
    pub quality: u8,
}

/// Applies the rules and scores what is left. `cands` must be in raster
/// order (as [`super::minutiae::detect`] returns them), which keeps the pair
/// tests linear in practice.
pub(crate) fn filter(cands: &[Candidate], ctx: &Context, p: &FilterParams) -> Vec<Kept> {
    let n = cands.len();
    let mut keep = super::grid::wiped(true, n);
    let bx = |c: &Candidate| {
        (
            (c.x / BLOCK).min(ctx.border.bw - 1),
            (c.y / BLOCK).min(ctx.border.bh - 1),
        )
    };
    for (i, c) in cands.iter().enumerate() {
        let (x, y) = bx(c);
        if ctx.border.get(x, y) < p.border_blocks {
            keep[i] = false;
        }
    }
    // Skeleton structures, removed in pairs.
    let mut drop = super::grid::wiped(false, n);
    for (i, c) in cands.iter().enumerate() {
        for b in &c.branches {
            if let TraceEnd::Minutia(j) = b.end {
                let other = &cands[j];
                let short = if c.bifurcation && other.bifurcation {
                    b.len <= p.bridge
                } else {
                    b.len <= p.short_ridge
                };
                if short {
                    drop[i] = true;
                    drop[j] = true;
                }
            }
        }
    }
    // Facing endings across a small gap (a broken ridge), and crowding.
    for i in 0..n {
        let a = &cands[i];
        let (abx, aby) = bx(a);
        let per = ctx.period.get(abx, aby).max(4.0);
        let gap = p.gap_periods * per;
        let crowd = p.crowd_periods * per;
        // Candidates come in raster order (y ascending): stop past the gap.
        for j in i + 1..n {
            let b = &cands[j];
            let dx = b.x as f32 - a.x as f32;
            let dy = b.y as f32 - a.y as f32;
            if dy > gap {
                break;
            }
            if dx.abs() > gap {
                continue;
            }
            let d = dx.hypot(dy);
            if d < crowd {
                drop[i] = true;
                drop[j] = true;
                continue;
            }
            if a.bifurcation || b.bifurcation || d >= gap {
                continue;
            }
            // Opposite directions, and b lies behind a (where a's ridge would continue).
            let opposite = angle_diff(a.angle, b.angle + std::f32::consts::PI).abs() < 0.7;
            let behind = angle_diff(dy.atan2(dx), a.angle + std::f32::consts::PI).abs() < 0.8;
            if opposite && behind {
                drop[i] = true;
                drop[j] = true;
            }
        }
    }
    // Sized up front: no reallocation leaves an unwiped copy behind.
    let mut out = Vec::with_capacity(n);
    for (i, c) in cands.iter().enumerate() {
        if !keep[i] || drop[i] {
            continue;
        }
        let (x, y) = bx(c);
        let coh = ctx.coherence.get(x, y);
        let edge = (ctx.border.get(x, y) as f32 / 4.0).min(1.0);
        let q = (100.0 * (coh * 1.25).min(1.0) * (0.5 + 0.5 * edge)).round();
        out.push(Kept {
            x: c.x,
            y: c.y,
            angle: c.angle,
            bifurcation: c.bifurcation,
            quality: q.clamp(1.0, 100.0) as u8,
        });
    }
    out
}
