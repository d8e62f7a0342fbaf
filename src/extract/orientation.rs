//! Ridge orientation field: block-wise gradient structure tensors, averaged in
//! doubled-angle space, with a coherence (how well one orientation explains
//! the gradients) per block.
//!
//! Angles here are image angles: radians from +x toward +y (y points down),
//! ridge orientation in `[0, pi)`.

use super::grid::{fast_atan2, wiped, BlockMap, BLOCK};

/// The smoothed orientation field.
pub(crate) struct OrientationField {
    /// Doubled-angle unit vector `(cos 2t, sin 2t)` of the ridge orientation t.
    pub cos2: BlockMap<f32>,
    /// See `cos2`.
    pub sin2: BlockMap<f32>,
    /// Coherence 0..1 of the raw gradients around the block.
    pub coherence: BlockMap<f32>,
}

impl OrientationField {
    /// Ridge orientation of a block, radians in `[0, pi)`.
    pub fn angle(&self, bx: usize, by: usize) -> f32 {
        let i = by * self.cos2.bw + bx;
        let a = 0.5 * fast_atan2(self.sin2.data[i], self.cos2.data[i]);
        if a < 0.0 {
            a + std::f32::consts::PI
        } else {
            a
        }
    }
}

/// Raw structure tensors per block, summed over a 3x3-block window.
pub(crate) struct RawTensors {
    /// `sum(gy^2 - gx^2)`: doubled-angle x of the *ridge* orientation.
    pub a: BlockMap<f32>,
    /// `-sum(2 gx gy)`.
    pub b: BlockMap<f32>,
    /// `sum(gx^2 + gy^2)`.
    pub e: BlockMap<f32>,
}

impl RawTensors {
    /// Coherence of a block: |(a, b)| / e.
    pub fn coherence(&self, i: usize) -> f32 {
        let e = self.e.data[i];
        if e <= 1e-6 {
            0.0
        } else {
            (self.a.data[i].hypot(self.b.data[i]) / e).min(1.0)
        }
    }
}

/// Sobel gradients of `img` accumulated into per-block tensors, then summed
/// over each block's 3x3 neighbourhood.
pub(crate) fn raw_tensors(img: &[f32], w: usize, h: usize) -> RawTensors {
    let mut a = BlockMap::for_image(w, h, 0.0f32);
    let mut b = BlockMap::for_image(w, h, 0.0f32);
    let mut e = BlockMap::for_image(w, h, 0.0f32);
    let bw = a.bw;
    for y in 1..h.saturating_sub(1) {
        let r0 = &img[(y - 1) * w..y * w];
        let r1 = &img[y * w..(y + 1) * w];
        let r2 = &img[(y + 1) * w..(y + 2) * w];
        let brow = (y / BLOCK) * bw;
        for x in 1..w - 1 {
            let gx = (r0[x + 1] + 2.0 * r1[x + 1] + r2[x + 1])
                - (r0[x - 1] + 2.0 * r1[x - 1] + r2[x - 1]);
            let gy = (r2[x - 1] + 2.0 * r2[x] + r2[x + 1]) - (r0[x - 1] + 2.0 * r0[x] + r0[x + 1]);
            let i = brow + x / BLOCK;
            let xx = gx * gx;
            let yy = gy * gy;
            a.data[i] += yy - xx;
            b.data[i] -= 2.0 * gx * gy;
            e.data[i] += xx + yy;
        }
    }
    RawTensors {
        a: box3(&a),
        b: box3(&b),
        e: box3(&e),
    }
}

/// Sum over each block's 3x3 neighbourhood (clipped at the edges).
fn box3(m: &BlockMap<f32>) -> BlockMap<f32> {
    let mut out = BlockMap::new(m.bw, m.bh, 0.0f32);
    for by in 0..m.bh {
        for bx in 0..m.bw {
            let mut s = 0.0;
            for yy in by.saturating_sub(1)..(by + 2).min(m.bh) {
                for xx in bx.saturating_sub(1)..(bx + 2).min(m.bw) {
                    s += m.get(xx, yy);
                }
            }
            out.set(bx, by, s);
        }
    }
    out
}

/// Smooths the doubled-angle field inside `mask` with a Gaussian of `sigma`
/// blocks. Each block votes with its unit vector times its coherence, so clear
/// areas outvote noisy ones and high-contrast areas do not dominate.
pub(crate) fn smooth(raw: &RawTensors, mask: &BlockMap<bool>, sigma: f32) -> OrientationField {
    let (bw, bh) = (raw.a.bw, raw.a.bh);
    let n = bw * bh;
    let mut vx = wiped(0.0f32, n);
    let mut vy = wiped(0.0f32, n);
    let mut coherence = BlockMap::new(bw, bh, 0.0f32);
    for i in 0..n {
        let c = raw.coherence(i);
        coherence.data[i] = c;
        let e = raw.e.data[i];
        if e > 1e-6 && mask.data[i] {
            vx[i] = raw.a.data[i] / e;
            vy[i] = raw.b.data[i] / e;
        }
    }
    let r = (2.5 * sigma).ceil() as usize;
    let kern: Vec<f32> = (0..=2 * r)
        .map(|k| {
            let d = k as f32 - r as f32;
            (-d * d / (2.0 * sigma * sigma)).exp()
        })
        .collect();
    // Separable: rows then columns.
    let mut tx = wiped(0.0f32, n);
    let mut ty = wiped(0.0f32, n);
    for by in 0..bh {
        for bx in 0..bw {
            let (mut sx, mut sy) = (0.0, 0.0);
            for (k, &g) in kern.iter().enumerate() {
                let xx = bx as isize + k as isize - r as isize;
                if xx >= 0 && (xx as usize) < bw {
                    let j = by * bw + xx as usize;
                    sx += g * vx[j];
                    sy += g * vy[j];
                }
            }
            tx[by * bw + bx] = sx;
            ty[by * bw + bx] = sy;
        }
    }
    let mut cos2 = BlockMap::new(bw, bh, 1.0f32);
    let mut sin2 = BlockMap::new(bw, bh, 0.0f32);
    for by in 0..bh {
        for bx in 0..bw {
            let (mut sx, mut sy) = (0.0f32, 0.0f32);
            for (k, &g) in kern.iter().enumerate() {
                let yy = by as isize + k as isize - r as isize;
                if yy >= 0 && (yy as usize) < bh {
                    let j = yy as usize * bw + bx;
                    sx += g * tx[j];
                    sy += g * ty[j];
                }
            }
            let m = sx.hypot(sy);
            let i = by * bw + bx;
            if m > 1e-9 {
                cos2.data[i] = sx / m;
                sin2.data[i] = sy / m;
            }
        }
    }
    OrientationField {
        cos2,
        sin2,
        coherence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripes(w: usize, h: usize, angle: f32, period: f32) -> Vec<f32> {
        // Ridges run along `angle`: intensity varies along the normal.
        let (s, c) = angle.sin_cos();
        let mut v = vec![0.0; w * h];
        for y in 0..h {
            for x in 0..w {
                let u = -(x as f32) * s + y as f32 * c;
                v[y * w + x] = (u * std::f32::consts::TAU / period).cos();
            }
        }
        v
    }

    #[test]
    fn finds_stripe_orientation() {
        for deg in [0.0f32, 30.0, 45.0, 90.0, 135.0, 170.0] {
            let t = deg.to_radians();
            let img = stripes(96, 96, t, 9.0);
            let raw = raw_tensors(&img, 96, 96);
            let mask = BlockMap::new(raw.a.bw, raw.a.bh, true);
            let f = smooth(&raw, &mask, 1.0);
            let got = f.angle(6, 6);
            let mut d = (got - t).abs();
            d = d.min(std::f32::consts::PI - d);
            assert!(d < 0.05, "{deg} deg: got {}", got.to_degrees());
            assert!(f.coherence.get(6, 6) > 0.8);
        }
    }
}
