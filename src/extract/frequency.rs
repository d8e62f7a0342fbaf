//! Ridge period (inverse frequency) per block, from the grey-level signature
//! taken across the ridges (Hong, Wan & Jain 1998), then filled and smoothed.

use super::grid::{BlockMap, Wiped, BLOCK};
use super::orientation::OrientationField;

/// Shortest ridge period accepted, pixels at 500 dpi.
pub(crate) const MIN_PERIOD: f32 = 4.5;
/// Longest ridge period accepted, pixels at 500 dpi.
pub(crate) const MAX_PERIOD: f32 = 16.0;
/// Typical adult ridge period at 500 dpi, the fallback.
pub(crate) const DEFAULT_PERIOD: f32 = 9.0;

/// Samples across the ridges.
const SIG_LEN: usize = 32;
/// Samples along the ridge averaged into each signature value (each side).
const SIG_HALF_WIDTH: i32 = 5;

/// Ridge period per block (pixels); every foreground block gets a value.
pub(crate) fn ridge_period(
    img: &[f32],
    w: usize,
    h: usize,
    field: &OrientationField,
    mask: &BlockMap<bool>,
) -> BlockMap<f32> {
    let (bw, bh) = (mask.bw, mask.bh);
    let mut period = BlockMap::new(bw, bh, 0.0f32);
    let mut sig = [0.0f32; SIG_LEN];
    for by in 0..bh {
        for bx in 0..bw {
            // A period every other block is plenty: it varies slowly, and
            // the fill below spreads it to the blocks between.
            if !mask.get(bx, by) || bx % 2 == 1 || by % 2 == 1 {
                continue;
            }
            let t = field.angle(bx, by);
            let (ts, tc) = t.sin_cos();
            let (nx, ny) = (-ts, tc); // across the ridges
            let cx = (bx * BLOCK + BLOCK / 2) as f32;
            let cy = (by * BLOCK + BLOCK / 2) as f32;
            let mut ok = true;
            for (k, s) in sig.iter_mut().enumerate() {
                let u = k as f32 - (SIG_LEN as f32 - 1.0) / 2.0;
                let mut sum = 0.0;
                let mut n = 0;
                for v in -SIG_HALF_WIDTH..=SIG_HALF_WIDTH {
                    let v = v as f32;
                    let x = (cx + u * nx + v * tc + 0.5).floor();
                    let y = (cy + u * ny + v * ts + 0.5).floor();
                    if x >= 0.0 && y >= 0.0 && (x as usize) < w && (y as usize) < h {
                        sum += img[y as usize * w + x as usize];
                        n += 1;
                    }
                }
                if n == 0 {
                    ok = false;
                    break;
                }
                *s = sum / n as f32;
            }
            if ok {
                if let Some(p) = signature_period(&sig) {
                    period.set(bx, by, p);
                }
            }
        }
    }
    fill_and_smooth(&mut period, mask);
    period
}

/// Period of a signature from its peaks (local maxima of a lightly smoothed
/// copy), `None` when it is not periodic enough.
fn signature_period(sig: &[f32; SIG_LEN]) -> Option<f32> {
    let mut s = [0.0f32; SIG_LEN];
    for i in 0..SIG_LEN {
        let a = sig[i.saturating_sub(1)];
        let b = sig[(i + 1).min(SIG_LEN - 1)];
        s[i] = 0.25 * a + 0.5 * sig[i] + 0.25 * b;
    }
    let (mut lo, mut hi) = (f32::MAX, f32::MIN);
    for &v in &s {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo < 0.5 {
        return None;
    }
    let mut positions = [0.0f32; SIG_LEN];
    let mut n = 0;
    for i in 1..SIG_LEN - 1 {
        if s[i] > s[i - 1] && s[i] >= s[i + 1] {
            let den = s[i - 1] - 2.0 * s[i] + s[i + 1];
            let off = if den.abs() > 1e-6 {
                (0.5 * (s[i - 1] - s[i + 1]) / den).clamp(-0.5, 0.5)
            } else {
                0.0
            };
            positions[n] = i as f32 + off;
            n += 1;
        }
    }
    if n < 2 {
        return None;
    }
    let p = (positions[n - 1] - positions[0]) / (n - 1) as f32;
    if !(MIN_PERIOD..=MAX_PERIOD).contains(&p) {
        return None;
    }
    // Peaks must be regular: no gap far from the mean period.
    for k in 1..n {
        let g = positions[k] - positions[k - 1];
        if g < 0.5 * p || g > 1.6 * p {
            return None;
        }
    }
    Some(p)
}

/// Fills blocks without a period from their neighbours, then smooths with a
/// 5x5 average over known values; what stays unknown gets the median.
fn fill_and_smooth(period: &mut BlockMap<f32>, mask: &BlockMap<bool>) {
    let (bw, bh) = (period.bw, period.bh);
    // Sized up front: growing would free an unwiped block.
    let mut known: Wiped<f32> = Wiped::new(Vec::with_capacity(period.data.len()));
    known.extend(period.data.iter().copied().filter(|&p| p > 0.0));
    let median = if known.is_empty() {
        DEFAULT_PERIOD
    } else {
        let mid = known.len() / 2;
        known.select_nth_unstable_by(mid, |a, b| a.total_cmp(b));
        known[mid]
    };
    let src = period.data.clone();
    for by in 0..bh {
        for bx in 0..bw {
            if !mask.get(bx, by) {
                continue;
            }
            let mut sum = 0.0;
            let mut n = 0.0;
            for yy in by.saturating_sub(2)..(by + 3).min(bh) {
                for xx in bx.saturating_sub(2)..(bx + 3).min(bw) {
                    let v = src[yy * bw + xx];
                    if v > 0.0 {
                        sum += v;
                        n += 1.0;
                    }
                }
            }
            // Blend towards the median when few neighbours are known.
            let v = (sum + 2.0 * median) / (n + 2.0);
            period.set(bx, by, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_a_clean_period() {
        let mut sig = [0.0f32; SIG_LEN];
        for (i, s) in sig.iter_mut().enumerate() {
            *s = (i as f32 * std::f32::consts::TAU / 8.0).cos();
        }
        let p = signature_period(&sig).unwrap();
        assert!((p - 8.0).abs() < 0.3, "{p}");
    }

    #[test]
    fn flat_signature_has_no_period() {
        assert!(signature_period(&[1.0; SIG_LEN]).is_none());
    }
}
