//! Impressions of a master fingerprint: how one placement of the finger on a
//! sensor looks. Each impression gets its own displacement and rotation, an
//! elastic (non-linear) distortion in the style of Cappelli, Maio and Maltoni
//! (a close-contact region that does not move, a transition ring, and an
//! outer region that follows a small rigid drift), pressure (thicker or
//! thinner ridges, dry breaks), partial contact, an uneven background and
//! sensor noise.

use crate::field::SmoothField;
use crate::finger::Finger;
use crate::rng::{derive_seed, Rng};
use crate::SynthImage;

/// How much impressions of one finger differ from each other.
///
/// ```
/// use sealmatch_synth::Variation;
/// let v = Variation::typical();
/// assert!(v.max_rotation_deg > Variation::gentle().max_rotation_deg);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Variation {
    /// Largest rotation of the finger, degrees (drawn normally, σ = half of it).
    pub max_rotation_deg: f32,
    /// Largest displacement, pixels at 500 dpi, each axis.
    pub max_shift: f32,
    /// Strength of the elastic distortion: 0 none, 1 typical of a light
    /// touch, 2 a strong sideways push.
    pub distortion: f32,
    /// Range of pressure (ridge thickness) change: 0 none, 1 from dry to wet.
    pub pressure: f32,
    /// How much of the finger may miss the sensor: 0 full contact, 1 about
    /// half of it in the worst case.
    pub partial_contact: f32,
    /// Sensor noise and background unevenness: 0 clean, 1 typical, 2 poor.
    pub noise: f32,
}

impl Variation {
    /// Impressions as on a decent optical sensor with a cooperative user.
    pub fn typical() -> Variation {
        Variation {
            max_rotation_deg: 20.0,
            max_shift: 30.0,
            distortion: 1.0,
            pressure: 1.0,
            partial_contact: 0.7,
            noise: 1.0,
        }
    }

    /// Small changes only: good for quick tests.
    pub fn gentle() -> Variation {
        Variation {
            max_rotation_deg: 10.0,
            max_shift: 15.0,
            distortion: 0.5,
            pressure: 0.5,
            partial_contact: 0.3,
            noise: 0.5,
        }
    }

    /// Difficult impressions (rotation, strong distortion, dry/wet, noise).
    pub fn hard() -> Variation {
        Variation {
            max_rotation_deg: 30.0,
            max_shift: 45.0,
            distortion: 1.8,
            pressure: 1.5,
            partial_contact: 1.0,
            noise: 1.8,
        }
    }
}

impl Default for Variation {
    fn default() -> Self {
        Variation::typical()
    }
}

fn smoothstep(t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

impl Finger {
    /// Impression number `index` (any number; 0, 1, 2, ... give different
    /// impressions) with the given variation. Deterministic.
    ///
    /// ```
    /// use sealmatch_synth::{Finger, FingerConfig, Variation};
    /// let cfg = FingerConfig { width: 128, height: 128, ..FingerConfig::default() };
    /// let f = Finger::new(3, &cfg);
    /// let a = f.impression(0, &Variation::gentle());
    /// assert_eq!(a.pixels.len(), 128 * 128);
    /// assert_eq!(a, f.impression(0, &Variation::gentle()));
    /// ```
    pub fn impression(&self, index: u64, v: &Variation) -> SynthImage {
        let mut rng = Rng::new(derive_seed(self.seed, 0x1000 + index));
        let cfg = &self.config;
        let (w, h) = (
            cfg.width.clamp(16, crate::finger::MAX_SIDE),
            cfg.height.clamp(16, crate::finger::MAX_SIDE),
        );
        let scale = cfg.scale();
        let shape = &self.shape;
        let (mcx, mcy) = (
            self.ridges.width as f32 / 2.0,
            self.ridges.height as f32 / 2.0,
        );

        // Placement: rotation and displacement of the whole finger.
        let rot = (rng.normal() * 0.5 * v.max_rotation_deg)
            .clamp(-v.max_rotation_deg, v.max_rotation_deg)
            .to_radians();
        let (rs, rc) = rot.sin_cos();
        let tx = rng.uniform(-1.0, 1.0) * v.max_shift;
        let ty = rng.uniform(-1.0, 1.0) * v.max_shift;

        // Elastic distortion around a close-contact centre.
        let ccx = shape.cx + rng.uniform(-0.25, 0.25) * shape.half_w;
        let ccy = shape.cy + rng.uniform(-0.3, 0.2) * shape.top;
        let r_in = rng.uniform(0.15, 0.35) * shape.half_w;
        let r_out = r_in + rng.uniform(0.5, 0.9) * shape.half_w;
        let d_rot = (rng.uniform(-4.0, 4.0) * v.distortion).to_radians();
        let (ds, dc) = d_rot.sin_cos();
        let d_tx = rng.uniform(-7.0, 7.0) * v.distortion;
        let d_ty = rng.uniform(-7.0, 7.0) * v.distortion;
        let warp_x = SmoothField::new(&mut rng, 60.0);
        let warp_y = SmoothField::new(&mut rng, 60.0);
        let warp_amp = 1.5 * v.distortion;

        // Contact: an ellipse inside the silhouette, off-centre when partial.
        let pc = v.partial_contact;
        let c_cx = shape.cx + rng.uniform(-0.4, 0.4) * pc * shape.half_w;
        let c_cy = shape.cy + rng.uniform(-0.35, 0.35) * pc * shape.top;
        let c_rx = shape.half_w * rng.uniform(1.0 - 0.35 * pc, 1.15);
        let c_ry = shape.top * rng.uniform(1.0 - 0.3 * pc, 1.3);
        let contact_field = SmoothField::new(&mut rng, 45.0);

        // Pressure: >0 wet / pressed (thick ridges), <0 dry (thin, broken).
        let pressure = rng.uniform(-0.35, 0.35) * v.pressure;
        let dryness = ((-pressure) * 2.0).clamp(0.0, 1.0);
        let pressure_field = SmoothField::new(&mut rng, 35.0);
        let pore_field = SmoothField::new(&mut rng, 2.5);
        let edge_sharpness = rng.uniform(1.6, 2.6);

        // Tone and noise.
        let background = rng.uniform(200.0, 245.0);
        let ridge_tone = rng.uniform(15.0, 95.0);
        let bg_field = SmoothField::new(&mut rng, 80.0);
        let bg_amp = 10.0 * v.noise;
        let noise_sigma = rng.uniform(1.5, 6.0) * v.noise;

        let mut ink = vec![0.0f32; w * h];
        for y in 0..h {
            for x in 0..w {
                // Output pixel -> 500-dpi view coordinates centred on the view.
                let ox = (x as f32 + 0.5) / scale - (w as f32 / scale) / 2.0 - tx;
                let oy = (y as f32 + 0.5) / scale - (h as f32 / scale) / 2.0 - ty;
                // Undo the placement rotation.
                let qx = rc * ox + rs * oy + mcx;
                let qy = -rs * ox + rc * oy + mcy;
                // Elastic part: blend between no move (inside) and a rigid drift (outside).
                let d = ((qx - ccx).powi(2) + (qy - ccy).powi(2)).sqrt();
                let b = smoothstep((d - r_in) / (r_out - r_in));
                let (rx, ry) = (qx - ccx, qy - ccy);
                let t_x = dc * rx - ds * ry + ccx + d_tx;
                let t_y = ds * rx + dc * ry + ccy + d_ty;
                let px = qx + b * (t_x - qx) + warp_amp * warp_x.at(qx, qy);
                let py = qy + b * (t_y - qy) + warp_amp * warp_y.at(qx, qy);

                let cover = shape.coverage(px, py);
                if cover <= 0.0 {
                    continue;
                }
                let ex = (px - c_cx) / c_rx;
                let ey = (py - c_cy) / c_ry;
                let contact_r = (ex * ex + ey * ey).sqrt();
                let contact = cover
                    * smoothstep((1.0 - contact_r) / 0.12)
                    * (0.85 + 0.15 * contact_field.at(px, py)).clamp(0.0, 1.0);
                if contact <= 0.0 {
                    continue;
                }
                let ridge = self.ridges.sample(px, py);
                // Ridges are the negative values; pressure and the contact fall-off
                // move the level at which a ridge touches.
                let level =
                    pressure + 0.2 * v.pressure * pressure_field.at(px, py) - 0.6 * (1.0 - contact);
                let mut k = smoothstep(0.5 + (-ridge + level) * edge_sharpness * 0.5);
                if dryness > 0.0 {
                    let gap = smoothstep((pore_field.at(px, py) - (0.9 - dryness)) * 4.0);
                    k *= 1.0 - gap;
                }
                ink[y * w + x] = k * contact.sqrt();
            }
        }

        // Tone, blur (sensor MTF) and noise.
        let mut img = vec![0.0f32; w * h];
        for y in 0..h {
            for x in 0..w {
                let bg = background + bg_amp * bg_field.at(x as f32, y as f32);
                img[y * w + x] = bg - (bg - ridge_tone) * ink[y * w + x];
            }
        }
        let img = blur3(&img, w, h);
        let pixels = img
            .iter()
            .map(|&p| (p + noise_sigma * rng.normal()).round().clamp(0.0, 255.0) as u8)
            .collect();
        SynthImage {
            width: w,
            height: h,
            pixels,
        }
    }
}

/// A 3×3 binomial blur (edges clamped).
fn blur3(src: &[f32], w: usize, h: usize) -> Vec<f32> {
    let mut tmp = vec![0.0f32; w * h];
    for y in 0..h {
        let row = &src[y * w..][..w];
        for x in 0..w {
            let l = row[x.saturating_sub(1)];
            let r = row[(x + 1).min(w - 1)];
            tmp[y * w + x] = 0.25 * l + 0.5 * row[x] + 0.25 * r;
        }
    }
    let mut out = vec![0.0f32; w * h];
    for y in 0..h {
        let up = y.saturating_sub(1);
        let down = (y + 1).min(h - 1);
        for x in 0..w {
            out[y * w + x] =
                0.25 * tmp[up * w + x] + 0.5 * tmp[y * w + x] + 0.25 * tmp[down * w + x];
        }
    }
    out
}
