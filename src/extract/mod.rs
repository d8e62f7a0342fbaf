//! Minutiae extraction: a 500 dpi greyscale image in, a [`Template`] out.
//!
//! The stages, each in its own module:
//! 1. [`stats`]: local mean and contrast per 8x8 block (summed-area tables),
//!    and a locally normalised image;
//! 2. [`orientation`]: block-wise gradient structure tensors, coherence, and a
//!    field smoothed in doubled-angle space;
//! 3. [`segment`]: the finger area (a block mask);
//! 4. [`frequency`]: the local ridge period;
//! 5. [`enhance`]: an oriented, period-tuned (Gabor-like) filter per pixel;
//! 6. [`binarize`] and [`thin`]: ridge map and one-pixel skeleton;
//! 7. [`minutiae`]: crossing-number detection, ridge tracing, directions;
//! 8. [`filter`]: removal of false minutiae, quality per minutia.
//!
//! Everything here is crate-private: templates never leave the library.
//! [`crate::capture::Capture`] is the public entry point.

mod binarize;
mod enhance;
mod filter;
mod frequency;
mod grid;
mod minutiae;
mod orientation;
mod params;
mod segment;
mod stats;
mod thin;

use zeroize::Zeroize;

use crate::image::GrayImage;
use crate::template::{Minutia, MinutiaKind, Template, MAX_MINUTIAE};
use grid::BlockMap;
use params::TUNED;

/// The resolution extraction works at.
pub(crate) const DPI: u16 = 500;

/// Measurements of the image the capture quality is computed from.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Summary {
    /// Blocks in the finger area.
    pub foreground_blocks: usize,
    /// Finger area in pixels (at 500 dpi).
    pub foreground_px: usize,
    /// Mean raw coherence over the finger area (0..1).
    pub mean_coherence: f32,
    /// Median grey-level spread of finger blocks.
    pub median_contrast: f32,
    /// Mean grey level over the finger area.
    pub mean_grey: f32,
    /// Mean grey level of the whole image.
    pub image_mean: f32,
    /// Grey-level spread of the whole image.
    pub image_std: f32,
    /// Centre of the finger area, as a fraction of width and height.
    pub centroid: (f32, f32),
}

/// The result of extraction.
pub(crate) struct Extraction {
    pub template: Template,
    pub summary: Summary,
}

/// Extracts the template of a 500 dpi image.
pub(crate) fn extract(img: &GrayImage) -> Extraction {
    let (w, h) = (img.width(), img.height());
    let px = img.pixels();
    let st = stats::block_stats(px, w, h);
    let norm = stats::normalize(px, w, h, &st);
    let raw = orientation::raw_tensors(&norm, w, h);
    let mask = segment::segment(&st, &raw);
    let field = orientation::smooth(&raw, &mask, TUNED.orientation_sigma);
    let period = frequency::ridge_period(&norm, w, h, &field, &mask);
    let enhanced = enhance::enhance(&norm, w, h, &field, &period, &mask);
    let mut ridges = binarize::binarize(&enhanced, w, h, &mask);
    thin::thin(&mut ridges);
    let mut cands = minutiae::detect(&ridges);
    for c in &mut cands {
        let (bx, by) = (
            (c.x / grid::BLOCK).min(mask.bw - 1),
            (c.y / grid::BLOCK).min(mask.bh - 1),
        );
        let t = field.angle(bx, by);
        let d0 = minutiae::angle_diff(t, c.angle);
        let t = if d0.abs() > std::f32::consts::FRAC_PI_2 {
            t + std::f32::consts::PI
        } else {
            t
        };
        if minutiae::angle_diff(t, c.angle).abs() < TUNED.field_snap {
            c.angle = t;
        }
    }
    let border = segment::border_distance(&mask);
    let ctx = filter::Context {
        border: &border,
        coherence: &field.coherence,
        period: &period,
    };
    let mut kept = filter::filter(&cands, &ctx, &TUNED.filter);
    // In place (a stable sort's scratch buffer would be freed unwiped); the
    // order is total (no two minutiae share a pixel), so the result is the
    // same.
    kept.sort_unstable_by(|a, b| {
        b.quality
            .cmp(&a.quality)
            .then(a.y.cmp(&b.y))
            .then(a.x.cmp(&b.x))
    });
    kept.truncate(MAX_MINUTIAE);
    let minutiae = kept
        .iter()
        .map(|k| Minutia {
            x: k.x as u16,
            y: k.y as u16,
            direction: to_direction(k.angle),
            kind: if k.bifurcation {
                MinutiaKind::Bifurcation
            } else {
                MinutiaKind::Ending
            },
            quality: k.quality,
        })
        .collect();
    // The candidate lists hold every minutia found (kept or not): wipe them.
    cands.zeroize();
    kept.zeroize();
    let template = Template {
        width: w as u16,
        height: h as u16,
        dpi: DPI,
        minutiae,
    };
    let summary = summarize(px, w, h, &st, &field, &mask);
    Extraction { template, summary }
}

/// Image angle (radians from +x toward +y, y down) to the template's
/// direction: 1/256 turns counter-clockwise as seen on screen.
fn to_direction(angle: f32) -> u8 {
    let turns = (-angle / std::f32::consts::TAU).rem_euclid(1.0);
    ((turns * 256.0).round() as u32 % 256) as u8
}

fn summarize(
    px: &[u8],
    w: usize,
    h: usize,
    st: &stats::BlockStats,
    field: &orientation::OrientationField,
    mask: &BlockMap<bool>,
) -> Summary {
    let mut s = Summary::default();
    let n = px.len() as f64;
    let mean = px.iter().map(|&p| p as f64).sum::<f64>() / n;
    let var = px.iter().map(|&p| (p as f64 - mean).powi(2)).sum::<f64>() / n;
    s.image_mean = mean as f32;
    s.image_std = var.sqrt() as f32;
    // Sized up front: growing would free an unwiped block.
    let mut contrasts: grid::Wiped<f32> = grid::Wiped::new(Vec::with_capacity(mask.data.len()));
    let (mut coh, mut grey, mut cx, mut cy) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for by in 0..mask.bh {
        for bx in 0..mask.bw {
            if !mask.get(bx, by) {
                continue;
            }
            s.foreground_blocks += 1;
            let bw_px = (w - bx * grid::BLOCK).min(grid::BLOCK);
            let bh_px = (h - by * grid::BLOCK).min(grid::BLOCK);
            s.foreground_px += bw_px * bh_px;
            coh += field.coherence.get(bx, by);
            grey += st.mean.get(bx, by);
            contrasts.push(st.std.get(bx, by));
            cx += (bx as f32 + 0.5) / mask.bw as f32;
            cy += (by as f32 + 0.5) / mask.bh as f32;
        }
    }
    if s.foreground_blocks > 0 {
        let k = s.foreground_blocks as f32;
        s.mean_coherence = coh / k;
        s.mean_grey = grey / k;
        s.centroid = (cx / k, cy / k);
        let mid = contrasts.len() / 2;
        contrasts.select_nth_unstable_by(mid, |a, b| a.total_cmp(b));
        s.median_contrast = contrasts[mid];
    } else {
        s.centroid = (0.5, 0.5);
    }
    s
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod timing;
