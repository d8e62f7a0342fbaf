//! Local grey-level statistics per block (integral images), and the locally
//! normalised image the filters work on.

use super::grid::{wiped, BlockMap, Wiped, BLOCK};

/// Half-width of the window the block statistics are taken over (the window
/// is the block plus this many pixels on each side: 16 x 16 at BLOCK = 8).
const WINDOW_MARGIN: usize = 4;

/// Mean and standard deviation of grey levels around each block.
pub(crate) struct BlockStats {
    /// Mean grey level, 0..255.
    pub mean: BlockMap<f32>,
    /// Standard deviation of grey levels.
    pub std: BlockMap<f32>,
}

/// Computes [`BlockStats`] with summed-area tables (O(pixels), no per-block loops).
pub(crate) fn block_stats(px: &[u8], w: usize, h: usize) -> BlockStats {
    let iw = w + 1;
    let mut s1 = wiped(0u64, iw * (h + 1));
    let mut s2 = wiped(0u64, iw * (h + 1));
    for y in 0..h {
        let mut r1 = 0u64;
        let mut r2 = 0u64;
        let row = &px[y * w..(y + 1) * w];
        for (x, &p) in row.iter().enumerate() {
            let p = p as u64;
            r1 += p;
            r2 += p * p;
            s1[(y + 1) * iw + x + 1] = s1[y * iw + x + 1] + r1;
            s2[(y + 1) * iw + x + 1] = s2[y * iw + x + 1] + r2;
        }
    }
    let mut mean = BlockMap::for_image(w, h, 0.0f32);
    let mut std = BlockMap::for_image(w, h, 0.0f32);
    for by in 0..mean.bh {
        let y0 = (by * BLOCK).saturating_sub(WINDOW_MARGIN);
        let y1 = ((by + 1) * BLOCK + WINDOW_MARGIN).min(h);
        for bx in 0..mean.bw {
            let x0 = (bx * BLOCK).saturating_sub(WINDOW_MARGIN);
            let x1 = ((bx + 1) * BLOCK + WINDOW_MARGIN).min(w);
            let n = ((x1 - x0) * (y1 - y0)) as f64;
            let a = s1[y1 * iw + x1] + s1[y0 * iw + x0] - s1[y0 * iw + x1] - s1[y1 * iw + x0];
            let b = s2[y1 * iw + x1] + s2[y0 * iw + x0] - s2[y0 * iw + x1] - s2[y1 * iw + x0];
            let m = a as f64 / n;
            let v = (b as f64 / n - m * m).max(0.0);
            mean.set(bx, by, m as f32);
            std.set(bx, by, v.sqrt() as f32);
        }
    }
    BlockStats { mean, std }
}

/// Bilinear interpolation of a block map at pixel (x, y) (block values sit at
/// block centres).
#[inline]
#[cfg(test)]
pub(crate) fn interpolate(map: &BlockMap<f32>, x: usize, y: usize) -> f32 {
    let fx = (x as f32 + 0.5) / BLOCK as f32 - 0.5;
    let fy = (y as f32 + 0.5) / BLOCK as f32 - 0.5;
    let fx = fx.clamp(0.0, (map.bw - 1) as f32);
    let fy = fy.clamp(0.0, (map.bh - 1) as f32);
    let x0 = fx as usize;
    let y0 = fy as usize;
    let x1 = (x0 + 1).min(map.bw - 1);
    let y1 = (y0 + 1).min(map.bh - 1);
    let ax = fx - x0 as f32;
    let ay = fy - y0 as f32;
    let top = map.get(x0, y0) * (1.0 - ax) + map.get(x1, y0) * ax;
    let bot = map.get(x0, y1) * (1.0 - ax) + map.get(x1, y1) * ax;
    top * (1.0 - ay) + bot * ay
}

/// A block map upsampled to every pixel by bilinear interpolation between
/// block centres (separable: block rows widened once, then blended per row).
pub(crate) fn upsample(map: &BlockMap<f32>, w: usize, h: usize) -> Wiped<f32> {
    let axis = |n: usize, blocks: usize| -> Vec<(usize, usize, f32)> {
        (0..n)
            .map(|i| {
                let f = ((i as f32 + 0.5) / BLOCK as f32 - 0.5).clamp(0.0, (blocks - 1) as f32);
                let i0 = f as usize;
                (i0, (i0 + 1).min(blocks - 1), f - i0 as f32)
            })
            .collect()
    };
    let xs = axis(w, map.bw);
    let ys = axis(h, map.bh);
    let mut rows = wiped(0.0f32, map.bh * w);
    for by in 0..map.bh {
        let src = &map.data[by * map.bw..(by + 1) * map.bw];
        let dst = &mut rows[by * w..(by + 1) * w];
        for (d, &(x0, x1, a)) in dst.iter_mut().zip(&xs) {
            *d = src[x0] + (src[x1] - src[x0]) * a;
        }
    }
    let mut out = wiped(0.0f32, w * h);
    for (y, &(y0, y1, a)) in ys.iter().enumerate() {
        let r0 = &rows[y0 * w..(y0 + 1) * w];
        let r1 = &rows[y1 * w..(y1 + 1) * w];
        for ((o, &p), &q) in out[y * w..(y + 1) * w].iter_mut().zip(r0).zip(r1) {
            *o = p + (q - p) * a;
        }
    }
    out
}

/// The image with local mean removed and local contrast set to 1, so dark,
/// light and low-contrast regions all reach the filters alike.
pub(crate) fn normalize(px: &[u8], w: usize, h: usize, stats: &BlockStats) -> Wiped<f32> {
    let mut out = upsample(&stats.mean, w, h);
    let std = upsample(&stats.std, w, h);
    for ((o, &p), &s) in out.iter_mut().zip(px).zip(std.iter()) {
        *o = (p as f32 - *o) / s.max(4.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_image_has_zero_std() {
        let px = vec![100u8; 40 * 24];
        let s = block_stats(&px, 40, 24);
        assert!(s.std.data.iter().all(|&v| v < 1e-3));
        assert!(s.mean.data.iter().all(|&v| (v - 100.0).abs() < 1e-3));
    }

    #[test]
    fn upsample_matches_interpolate() {
        let mut m = BlockMap::new(5, 4, 0.0f32);
        for (i, v) in m.data.iter_mut().enumerate() {
            *v = (i * 7 % 11) as f32;
        }
        let up = upsample(&m, 37, 29);
        for y in 0..29 {
            for x in 0..37 {
                assert!((up[y * 37 + x] - interpolate(&m, x, y)).abs() < 1e-4);
            }
        }
    }

    #[test]
    fn stripes_have_std() {
        let (w, h) = (32, 32);
        let px: Vec<u8> = (0..w * h)
            .map(|i| if (i % w) % 2 == 0 { 0 } else { 200 })
            .collect();
        let s = block_stats(&px, w, h);
        assert!(s.std.data.iter().all(|&v| (v - 100.0).abs() < 1.0));
    }
}
