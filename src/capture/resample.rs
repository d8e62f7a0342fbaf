//! Resolution normalisation: separable resampling with a Catmull-Rom cubic,
//! widened when shrinking so that it also low-passes (no aliasing of ridges).

use crate::image::GrayImage;

/// Taps for one output coordinate.
struct Taps {
    start: usize,
    weights: Vec<f32>,
}

/// Keys' cubic convolution kernel, a = -0.5 (Catmull-Rom).
fn cubic(x: f32) -> f32 {
    let x = x.abs();
    if x < 1.0 {
        (1.5 * x - 2.5) * x * x + 1.0
    } else if x < 2.0 {
        ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    } else {
        0.0
    }
}

fn taps(src: usize, dst: usize) -> Vec<Taps> {
    let scale = dst as f32 / src as f32;
    // Shrinking: stretch the kernel by 1/scale.
    let support = if scale < 1.0 { 2.0 / scale } else { 2.0 };
    let stretch = if scale < 1.0 { scale } else { 1.0 };
    (0..dst)
        .map(|i| {
            let centre = (i as f32 + 0.5) / scale - 0.5;
            let lo = (centre - support).ceil().max(0.0) as usize;
            let hi = ((centre + support).floor() as isize)
                .min(src as isize - 1)
                .max(lo as isize) as usize;
            let mut weights: Vec<f32> = (lo..=hi)
                .map(|j| cubic((j as f32 - centre) * stretch))
                .collect();
            let sum: f32 = weights.iter().sum();
            if sum.abs() > 1e-6 {
                for w in &mut weights {
                    *w /= sum;
                }
            }
            Taps { start: lo, weights }
        })
        .collect()
}

/// Resamples `img` to `dst_w x dst_h`.
pub(crate) fn resample(img: &GrayImage, dst_w: usize, dst_h: usize) -> GrayImage {
    let (sw, sh) = (img.width(), img.height());
    if sw == dst_w && sh == dst_h {
        return img.clone();
    }
    let src = img.pixels();
    let tx = taps(sw, dst_w);
    let ty = taps(sh, dst_h);
    // Rows first: sh x dst_w intermediate.
    // An intermediate of the image: wiped when dropped, like the image.
    let mut mid = zeroize::Zeroizing::new(vec![0.0f32; sh * dst_w]);
    for y in 0..sh {
        let row = &src[y * sw..(y + 1) * sw];
        for (x, t) in tx.iter().enumerate() {
            let mut s = 0.0;
            for (k, w) in t.weights.iter().enumerate() {
                s += w * row[t.start + k] as f32;
            }
            mid[y * dst_w + x] = s;
        }
    }
    let mut out = vec![0u8; dst_w * dst_h];
    for (y, t) in ty.iter().enumerate() {
        for x in 0..dst_w {
            let mut s = 0.0;
            for (k, w) in t.weights.iter().enumerate() {
                s += w * mid[(t.start + k) * dst_w + x];
            }
            out[y * dst_w + x] = s.round().clamp(0.0, 255.0) as u8;
        }
    }
    GrayImage::new(dst_w, dst_h, out).expect("sizes are consistent")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_stays_flat() {
        let img = GrayImage::filled(90, 70, 137);
        for (w, h) in [(45, 35), (180, 140), (64, 100)] {
            let r = resample(&img, w, h);
            assert!(r.pixels().iter().all(|&p| p == 137));
        }
    }

    #[test]
    fn shrinking_keeps_a_gradient_monotone() {
        let px: Vec<u8> = (0..200 * 10).map(|i| (i % 200) as u8).collect();
        let img = GrayImage::new(200, 10, px).unwrap();
        let r = resample(&img, 100, 10);
        let row = &r.pixels()[500..600];
        assert!(row.windows(2).all(|p| p[1] >= p[0]));
        assert!((row[50] as i32 - 100).abs() <= 2);
    }
}
