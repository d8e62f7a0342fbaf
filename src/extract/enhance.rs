//! Contextual enhancement: an oriented, frequency-tuned filter per pixel.
//!
//! A 2-D Gabor filter is separable in the ridge's own frame, so it is applied
//! as two thin oriented passes: a Gaussian smoothing *along* the ridge (joins
//! broken ridges, removes pores and noise), then a zero-mean band-pass (a
//! Gaussian-windowed cosine at the local ridge period) *across* it. Kernels are
//! precomputed per quantised direction and period, as offsets into a padded
//! buffer, so the inner loop is a plain multiply-add with no bounds checks
//! and no trigonometry.

use super::frequency::{MAX_PERIOD, MIN_PERIOD};
use super::grid::{fast_atan2, wiped, BlockMap, Wiped};
use super::orientation::OrientationField;
use super::stats::upsample;
use std::rc::Rc;

/// Quantised ridge directions over half a turn.
pub(crate) const DIRECTIONS: usize = 24;
/// Step between period bins, pixels.
const PERIOD_STEP: f32 = 0.5;
/// Padding around the image, pixels (the largest kernel radius).
const PAD: usize = 14;

fn period_bins() -> usize {
    ((MAX_PERIOD - MIN_PERIOD) / PERIOD_STEP).round() as usize + 1
}

/// Kernels as (offset, weight) lists, flattened.
struct Bank {
    offsets: Vec<isize>,
    weights: Vec<f32>,
    /// `starts[k]..starts[k + 1]` is kernel k.
    starts: Vec<usize>,
}

impl Bank {
    fn new() -> Self {
        Bank {
            offsets: Vec::new(),
            weights: Vec::new(),
            starts: vec![0],
        }
    }

    /// Adds a kernel sampled along a line through the origin with unit
    /// direction (c, s): one pixel per unit step (the nearest), weighted by
    /// `profile` of the pixel's exact projection on the line.
    fn push(&mut self, c: f32, s: f32, radius: f32, stride: usize, profile: impl Fn(f32) -> f32) {
        let r = radius.floor() as isize;
        let first = self.offsets.len();
        for k in -r..=r {
            let dx = (k as f32 * c).round() as isize;
            let dy = (k as f32 * s).round() as isize;
            let o = dy * stride as isize + dx;
            if self.offsets[first..].contains(&o) {
                continue;
            }
            let a = dx as f32 * c + dy as f32 * s;
            self.offsets.push(o);
            self.weights.push(profile(a));
        }
        self.starts.push(self.offsets.len());
    }

    #[inline]
    fn apply(&self, k: usize, src: &[f32], at: usize) -> f32 {
        let (a, b) = (self.starts[k], self.starts[k + 1]);
        let mut sum = 0.0;
        for (o, w) in self.offsets[a..b].iter().zip(&self.weights[a..b]) {
            sum += w * src[(at as isize + o) as usize];
        }
        sum
    }

    fn last_range(&self) -> std::ops::Range<usize> {
        let n = self.starts.len();
        self.starts[n - 2]..self.starts[n - 1]
    }
}

fn along_bank(stride: usize) -> Bank {
    let mut bank = Bank::new();
    let along_sigma = super::params::TUNED.along_sigma;
    let radius = (2.5 * along_sigma).min(PAD as f32);
    for d in 0..DIRECTIONS {
        let t = d as f32 * std::f32::consts::PI / DIRECTIONS as f32;
        let (s, c) = t.sin_cos();
        bank.push(c, s, radius, stride, |a| {
            (-a * a / (2.0 * along_sigma * along_sigma)).exp()
        });
        let r = bank.last_range();
        let sum: f32 = bank.weights[r.clone()].iter().sum();
        for w in &mut bank.weights[r] {
            *w /= sum;
        }
    }
    bank
}

fn across_bank(stride: usize) -> Bank {
    let mut bank = Bank::new();
    let across = super::params::TUNED.across_sigma_per_period;
    for d in 0..DIRECTIONS {
        let t = d as f32 * std::f32::consts::PI / DIRECTIONS as f32;
        let (s, c) = t.sin_cos();
        // The across axis is the ridge normal (-s, c).
        for pb in 0..period_bins() {
            let period = MIN_PERIOD + pb as f32 * PERIOD_STEP;
            let sigma = across * period;
            let radius = (2.5 * sigma).min(PAD as f32);
            let wave = std::f32::consts::TAU / period;
            bank.push(-s, c, radius, stride, |a| {
                (-a * a / (2.0 * sigma * sigma)).exp() * (wave * a).cos()
            });
            // Zero mean: subtract the envelope scaled to cancel the DC gain.
            let r = bank.last_range();
            let (mut dc, mut env_sum) = (0.0f32, 0.0f32);
            let mut gains = 0.0f32;
            for i in r.clone() {
                let a = project(bank.offsets[i], stride, -s, c);
                env_sum += (-a * a / (2.0 * sigma * sigma)).exp();
                dc += bank.weights[i];
            }
            for i in r.clone() {
                let a = project(bank.offsets[i], stride, -s, c);
                bank.weights[i] -= dc * (-a * a / (2.0 * sigma * sigma)).exp() / env_sum;
            }
            // Unit gain on a cosine at the period.
            for i in r.clone() {
                let a = project(bank.offsets[i], stride, -s, c);
                gains += bank.weights[i] * (wave * a).cos();
            }
            if gains.abs() > 1e-6 {
                for w in &mut bank.weights[r] {
                    *w /= gains;
                }
            }
        }
    }
    bank
}

/// Cached banks: the padded row length they were built for, along, across.
type CachedBanks = Option<(usize, Rc<Bank>, Rc<Bank>)>;

thread_local! {
    /// The kernels of the last image width: a scanner keeps its size, so
    /// they are built once.
    static BANKS: std::cell::RefCell<CachedBanks> =
        const { std::cell::RefCell::new(None) };
}

/// The along and across kernel banks for a padded row length of `stride`.
fn banks(stride: usize) -> (Rc<Bank>, Rc<Bank>) {
    BANKS.with(|cell| {
        let mut c = cell.borrow_mut();
        match &*c {
            Some((s, a, b)) if *s == stride => (a.clone(), b.clone()),
            _ => {
                let a = Rc::new(along_bank(stride));
                let b = Rc::new(across_bank(stride));
                *c = Some((stride, a.clone(), b.clone()));
                (a, b)
            }
        }
    })
}

/// Splits a linear offset back into (dx, dy) (|dx| <= PAD < stride / 2).
fn split(o: isize, stride: usize) -> (isize, isize) {
    let s = stride as isize;
    let mut dy = o.div_euclid(s);
    let mut dx = o.rem_euclid(s);
    if dx > s / 2 {
        dx -= s;
        dy += 1;
    }
    (dx, dy)
}

/// Projection of a linear offset on the unit vector (c, s).
fn project(o: isize, stride: usize, c: f32, s: f32) -> f32 {
    let (dx, dy) = split(o, stride);
    dx as f32 * c + dy as f32 * s
}

/// Direction index (0..DIRECTIONS) of a doubled-angle vector.
#[inline]
fn direction_index(c: f32, s: f32) -> u8 {
    let mut a = 0.5 * fast_atan2(s, c);
    if a < 0.0 {
        a += std::f32::consts::PI;
    }
    (((a * DIRECTIONS as f32 / std::f32::consts::PI).round() as usize) % DIRECTIONS) as u8
}

/// The enhanced image: positive on valleys, negative on ridges, 0 outside the
/// (dilated) foreground. `img` is the normalised image.
pub(crate) fn enhance(
    img: &[f32],
    w: usize,
    h: usize,
    field: &OrientationField,
    period: &BlockMap<f32>,
    mask: &BlockMap<bool>,
) -> Wiped<f32> {
    let stride = w + 2 * PAD;
    let ph = h + 2 * PAD;
    let mut padded = wiped(0.0f32, stride * ph);
    for y in 0..h {
        let row = (y + PAD) * stride + PAD;
        padded[row..row + w].copy_from_slice(&img[y * w..(y + 1) * w]);
    }
    // Pixels to filter: foreground blocks and their 8-neighbours.
    let near = dilate(mask);
    let (along, across) = banks(stride);
    let bins = period_bins();

    // Direction and period bin per pixel, reused by both passes.
    let cos2 = upsample(&field.cos2, w, h);
    let sin2 = upsample(&field.sin2, w, h);
    let per = upsample(period, w, h);
    let mut dir = wiped(0u8, w * h);
    for (d, (&c, &s)) in dir.iter_mut().zip(cos2.iter().zip(sin2.iter())) {
        *d = direction_index(c, s);
    }
    let mut smooth = wiped(0.0f32, stride * ph);
    for y in 0..h {
        let row = (y + PAD) * stride + PAD;
        for x in 0..w {
            if near.at_pixel(x, y) {
                smooth[row + x] = along.apply(dir[y * w + x] as usize, &padded, row + x);
            }
        }
    }
    let mut out = wiped(0.0f32, w * h);
    for y in 0..h {
        let row = (y + PAD) * stride + PAD;
        for x in 0..w {
            if !mask.at_pixel(x, y) {
                continue;
            }
            let i = y * w + x;
            let pb =
                (((per[i] - MIN_PERIOD) / PERIOD_STEP).round().max(0.0) as usize).min(bins - 1);
            let k = dir[i] as usize * bins + pb;
            out[i] = across.apply(k, &smooth, row + x);
        }
    }
    out
}

/// The mask grown by one block in every direction.
fn dilate(m: &BlockMap<bool>) -> BlockMap<bool> {
    let mut out = BlockMap::new(m.bw, m.bh, false);
    for by in 0..m.bh {
        for bx in 0..m.bw {
            let mut any = false;
            for yy in by.saturating_sub(1)..(by + 2).min(m.bh) {
                for xx in bx.saturating_sub(1)..(bx + 2).min(m.bw) {
                    any |= m.get(xx, yy);
                }
            }
            out.set(bx, by, any);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn across_kernels_are_zero_mean() {
        let bank = across_bank(200);
        for k in 0..bank.starts.len() - 1 {
            let s: f32 = bank.weights[bank.starts[k]..bank.starts[k + 1]]
                .iter()
                .sum();
            assert!(s.abs() < 1e-3, "kernel {k}: dc {s}");
        }
    }

    #[test]
    fn along_kernels_sum_to_one() {
        let bank = along_bank(200);
        for k in 0..DIRECTIONS {
            let s: f32 = bank.weights[bank.starts[k]..bank.starts[k + 1]]
                .iter()
                .sum();
            assert!((s - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn split_inverts_offsets() {
        for dy in -5isize..=5 {
            for dx in -5isize..=5 {
                assert_eq!(split(dy * 100 + dx, 100), (dx, dy));
            }
        }
    }
}

#[cfg(test)]
mod timing {
    #[test]
    #[ignore = "timing"]
    fn bank_build_time() {
        let t = std::time::Instant::now();
        for _ in 0..10 {
            std::hint::black_box(super::across_bank(420));
            std::hint::black_box(super::along_bank(420));
        }
        eprintln!("banks: {:.2} ms", t.elapsed().as_secs_f64() * 100.0);
        let b = super::across_bank(420);
        eprintln!(
            "across taps avg {}",
            b.offsets.len() as f32 / (b.starts.len() - 1) as f32
        );
        let b = super::along_bank(420);
        eprintln!(
            "along taps avg {}",
            b.offsets.len() as f32 / (b.starts.len() - 1) as f32
        );
    }
}
