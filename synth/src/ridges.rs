//! Ridge growth by iterated oriented filtering (the SFinGe idea): start from
//! sparse random spots and repeatedly convolve with a Gabor filter tuned, at
//! each pixel, to the local ridge orientation and frequency, then squash the
//! result back into [-1, 1]. After a few iterations the spots have grown into
//! a ridge pattern that follows the orientation field, with endings and
//! bifurcations where growing fronts meet.
//!
//! Speed: the filters come from a precomputed bank (orientation × period
//! bins), the canvas is padded so the inner loop has no bounds checks, and
//! only pixels inside the finger are filtered.

use crate::rng::Rng;
use std::f32::consts::PI;

/// Half-size of every filter (15 × 15 taps).
pub const RADIUS: usize = 7;
const SIDE: usize = 2 * RADIUS + 1;
const TAPS: usize = SIDE * SIDE;
const ORIENT_BINS: usize = 36;
const PERIOD_MIN: f32 = 5.0;
const PERIOD_STEP: f32 = 0.25;
const PERIOD_BINS: usize = 41; // 5.0 ..= 15.0 px

/// A bank of zero-mean even Gabor filters.
pub struct FilterBank {
    taps: Vec<f32>,
}

impl FilterBank {
    /// Builds every (orientation, period) filter.
    pub fn new() -> FilterBank {
        let mut taps = vec![0.0f32; ORIENT_BINS * PERIOD_BINS * TAPS];
        for o in 0..ORIENT_BINS {
            let theta = o as f32 * PI / ORIENT_BINS as f32;
            let (s, c) = theta.sin_cos();
            for p in 0..PERIOD_BINS {
                let period = PERIOD_MIN + p as f32 * PERIOD_STEP;
                let sigma_across = (0.42 * period).min(4.0);
                let sigma_along = (0.55 * period).min(4.5);
                let k = &mut taps[(o * PERIOD_BINS + p) * TAPS..][..TAPS];
                let mut env = [0.0f32; TAPS];
                let mut sum_g = 0.0;
                let mut sum_env = 0.0;
                for j in 0..SIDE {
                    for i in 0..SIDE {
                        let dx = i as f32 - RADIUS as f32;
                        let dy = j as f32 - RADIUS as f32;
                        let along = dx * c + dy * s;
                        let across = -dx * s + dy * c;
                        let e = (-0.5
                            * (along * along / (sigma_along * sigma_along)
                                + across * across / (sigma_across * sigma_across)))
                            .exp();
                        let g = e * (2.0 * PI * across / period).cos();
                        env[j * SIDE + i] = e;
                        k[j * SIDE + i] = g;
                        sum_g += g;
                        sum_env += e;
                    }
                }
                // Remove the DC response so flat areas decay instead of drifting.
                let dc = sum_g / sum_env;
                let mut norm = 0.0;
                for (t, e) in k.iter_mut().zip(env.iter()) {
                    *t -= dc * e;
                    norm += t.abs();
                }
                for t in k.iter_mut() {
                    *t /= norm;
                }
            }
        }
        FilterBank { taps }
    }

    /// The bank index for an orientation (radians, mod π) and period (pixels).
    pub fn index(orientation: f32, period: f32) -> u16 {
        let o =
            ((orientation.rem_euclid(PI) / PI * ORIENT_BINS as f32).round() as usize) % ORIENT_BINS;
        let p =
            (((period - PERIOD_MIN) / PERIOD_STEP).round().max(0.0) as usize).min(PERIOD_BINS - 1);
        (o * PERIOD_BINS + p) as u16
    }

    fn filter(&self, index: u16) -> &[f32] {
        &self.taps[index as usize * TAPS..][..TAPS]
    }
}

impl Default for FilterBank {
    fn default() -> Self {
        FilterBank::new()
    }
}

/// A grown ridge pattern: values in [-1, 1], ridges negative (dark).
#[derive(Clone, Debug)]
pub struct RidgeMap {
    /// Width, pixels.
    pub width: usize,
    /// Height, pixels.
    pub height: usize,
    /// Row-major values; 0 outside the grown area.
    pub values: Vec<f32>,
}

impl RidgeMap {
    /// Bilinear sample; 0 outside.
    pub fn sample(&self, x: f32, y: f32) -> f32 {
        if !(x >= 0.0 && y >= 0.0) {
            return 0.0;
        }
        let x0 = x as usize;
        let y0 = y as usize;
        if x0 + 1 >= self.width || y0 + 1 >= self.height {
            return 0.0;
        }
        let fx = x - x0 as f32;
        let fy = y - y0 as f32;
        let i = y0 * self.width + x0;
        let v = &self.values;
        let top = v[i] + (v[i + 1] - v[i]) * fx;
        let bot = v[i + self.width] + (v[i + self.width + 1] - v[i + self.width]) * fx;
        top + (bot - top) * fy
    }
}

/// How to grow ridges.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Growth {
    /// Filtering passes.
    pub iterations: usize,
    /// Mean distance between the initial random spots, pixels.
    pub seed_spacing: f32,
}

/// Grows ridges on a `width` × `height` canvas. `filter_index[y*width+x]` is
/// the bank index for that pixel (see [`FilterBank::index`]); `active` marks
/// the pixels to grow (the finger).
pub fn grow(
    width: usize,
    height: usize,
    filter_index: &[u16],
    active: &[bool],
    bank: &FilterBank,
    growth: Growth,
    rng: &mut Rng,
) -> RidgeMap {
    let Growth {
        iterations,
        seed_spacing,
    } = growth;
    let stride = width + 2 * RADIUS;
    let padded_h = height + 2 * RADIUS;
    let mut cur = vec![0.0f32; stride * padded_h];
    let mut next = vec![0.0f32; stride * padded_h];
    // Sparse random spots.
    let p_spot = 1.0 / (seed_spacing * seed_spacing).max(1.0);
    for y in 0..height {
        for x in 0..width {
            if active[y * width + x] && rng.chance(p_spot) {
                cur[(y + RADIUS) * stride + x + RADIUS] = if rng.chance(0.5) { 1.0 } else { -1.0 };
            }
        }
    }
    let active_idx: Vec<u32> = (0..width * height)
        .filter(|&i| active[i])
        .map(|i| i as u32)
        .collect();
    for _ in 0..iterations {
        let mut sum_sq = 0.0f64;
        for &i in &active_idx {
            let i = i as usize;
            let (x, y) = (i % width, i / width);
            let k = bank.filter(filter_index[i]);
            // Top-left of the window in the padded canvas is (x, y).
            let mut acc = [0.0f32; 4];
            for j in 0..SIDE {
                let row = &cur[(y + j) * stride + x..][..SIDE];
                let kr = &k[j * SIDE..][..SIDE];
                let mut t = 0;
                while t + 4 <= SIDE {
                    acc[0] += row[t] * kr[t];
                    acc[1] += row[t + 1] * kr[t + 1];
                    acc[2] += row[t + 2] * kr[t + 2];
                    acc[3] += row[t + 3] * kr[t + 3];
                    t += 4;
                }
                while t < SIDE {
                    acc[0] += row[t] * kr[t];
                    t += 1;
                }
            }
            let v = acc[0] + acc[1] + acc[2] + acc[3];
            sum_sq += (v * v) as f64;
            next[(y + RADIUS) * stride + x + RADIUS] = v;
        }
        // Squash: normalise by the RMS response and clip softly to [-1, 1].
        let rms = ((sum_sq / active_idx.len().max(1) as f64).sqrt() as f32).max(1e-12);
        let gain = 1.6 / rms;
        for &i in &active_idx {
            let i = i as usize;
            let p = (i / width + RADIUS) * stride + i % width + RADIUS;
            let v = next[p] * gain;
            next[p] = v.clamp(-1.0, 1.0);
        }
        std::mem::swap(&mut cur, &mut next);
    }
    let mut values = vec![0.0f32; width * height];
    for y in 0..height {
        values[y * width..][..width]
            .copy_from_slice(&cur[(y + RADIUS) * stride + RADIUS..][..width]);
    }
    RidgeMap {
        width,
        height,
        values,
    }
}
