//! Ridge orientation model: the zero-pole model of Sherlock and Monro
//! (orientation = θ∞ + ½ Σ arg(z − core) − ½ Σ arg(z − delta), in
//! the y-up frame), with a smooth
//! "arch bend" added so ridges far from the singular points curve over the
//! fingertip the way real ones do, plus a small random perturbation so no two
//! fingers of a class share a field. Plain arches have no singular point and
//! use the arch bend alone.
//!
//! Angles are in the image frame (x right, y down): a ridge at angle θ runs
//! along (cos θ, sin θ); angles are taken modulo π.

use crate::field::SmoothField;
use crate::rng::Rng;
use std::f32::consts::PI;

/// Henry-style pattern classes, with roughly their natural frequencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PatternClass {
    /// No singular point; ridges run across and bend up in the middle (~4 %).
    Arch,
    /// A core with a delta right below it (~3 %).
    TentedArch,
    /// One core; delta on the right, ridges enter and leave on the left (~34 %).
    LeftLoop,
    /// One core; delta on the left (~32 %).
    RightLoop,
    /// Two cores and two deltas (~27 %).
    Whorl,
}

impl PatternClass {
    /// Every class.
    pub const ALL: [PatternClass; 5] = [
        PatternClass::Arch,
        PatternClass::TentedArch,
        PatternClass::LeftLoop,
        PatternClass::RightLoop,
        PatternClass::Whorl,
    ];

    /// A class drawn with natural frequencies.
    pub fn sample(rng: &mut Rng) -> PatternClass {
        let u = rng.unit();
        match u {
            u if u < 0.04 => PatternClass::Arch,
            u if u < 0.07 => PatternClass::TentedArch,
            u if u < 0.41 => PatternClass::LeftLoop,
            u if u < 0.73 => PatternClass::RightLoop,
            _ => PatternClass::Whorl,
        }
    }

    /// A short lowercase name, e.g. `"left_loop"`.
    pub fn name(self) -> &'static str {
        match self {
            PatternClass::Arch => "arch",
            PatternClass::TentedArch => "tented_arch",
            PatternClass::LeftLoop => "left_loop",
            PatternClass::RightLoop => "right_loop",
            PatternClass::Whorl => "whorl",
        }
    }
}

/// The orientation field of one finger.
#[derive(Clone, Debug)]
pub struct OrientationModel {
    class: PatternClass,
    /// Singular points where they are in the image (after the slant).
    cores: Vec<(f32, f32)>,
    deltas: Vec<(f32, f32)>,
    /// The same in the upright pattern (before the slant).
    upright_cores: Vec<(f32, f32)>,
    upright_deltas: Vec<(f32, f32)>,
    theta_inf: f32,
    /// Arch bend: centre column, width, strength.
    arch_cx: f32,
    arch_width: f32,
    arch_strength: f32,
    arch_top: f32,
    arch_fall: f32,
    perturb: SmoothField,
    perturb_amp: f32,
    /// Slant of the whole pattern about (`centre_x`, `centre_y`), radians.
    slant: f32,
    centre_x: f32,
    centre_y: f32,
}

impl OrientationModel {
    /// A random field of `class` for a finger centred at (`cx`, `cy`) whose
    /// half-width is `half_w` and half-height `half_h` pixels.
    ///
    /// ```
    /// use sealmatch_synth::orientation::{OrientationModel, PatternClass};
    /// use sealmatch_synth::rng::Rng;
    /// let m = OrientationModel::new(PatternClass::Whorl, 150.0, 150.0, 120.0, 160.0, &mut Rng::new(1));
    /// assert_eq!(m.cores().len(), 2);
    /// let a = m.angle(10.0, 10.0);
    /// assert!((0.0..std::f32::consts::PI).contains(&a));
    /// ```
    pub fn new(
        class: PatternClass,
        cx: f32,
        cy: f32,
        half_w: f32,
        half_h: f32,
        rng: &mut Rng,
    ) -> OrientationModel {
        let jitter = |rng: &mut Rng, s: f32| rng.uniform(-s, s);
        // The core sits a little above the centre of the fingertip.
        let core_x = cx + jitter(rng, 0.12) * half_w;
        let core_y = cy + rng.uniform(-0.25, 0.05) * half_h;
        let mut cores = Vec::new();
        let mut deltas = Vec::new();
        match class {
            PatternClass::Arch => {}
            PatternClass::TentedArch => {
                cores.push((core_x, core_y));
                deltas.push((
                    core_x + jitter(rng, 0.08) * half_w,
                    core_y + rng.uniform(0.35, 0.55) * half_h,
                ));
            }
            PatternClass::LeftLoop | PatternClass::RightLoop => {
                let side = if class == PatternClass::LeftLoop {
                    1.0
                } else {
                    -1.0
                };
                cores.push((core_x, core_y));
                // Loops differ in size (core-delta distance) and slant.
                // (Kept within ±0.2 rad so the delta stays to the side; right
                // below the core the pattern would be a tented arch.)
                let dist = rng.uniform(0.8, 1.25);
                let slant = side * rng.uniform(-0.2, 0.2);
                let (dx, dy) = (side * 0.7 * half_w * dist, 0.6 * half_h * dist);
                let (ss, sc) = slant.sin_cos();
                deltas.push((core_x + sc * dx - ss * dy, core_y + ss * dx + sc * dy));
            }
            PatternClass::Whorl => {
                let sep = rng.uniform(0.06, 0.2) * half_h;
                let tilt = jitter(rng, 0.1) * half_w;
                cores.push((core_x - tilt, core_y - sep));
                cores.push((core_x + tilt, core_y + sep));
                let dy = rng.uniform(0.5, 0.75) * half_h;
                deltas.push((core_x - rng.uniform(0.55, 0.85) * half_w, core_y + dy));
                deltas.push((
                    core_x + rng.uniform(0.55, 0.85) * half_w,
                    core_y + dy + jitter(rng, 0.12) * half_h,
                ));
            }
        }
        let (arch_strength, arch_top) = match class {
            PatternClass::Arch => (rng.uniform(0.6, 1.0), cy + rng.uniform(0.0, 0.4) * half_h),
            _ => (
                rng.uniform(0.35, 0.6),
                cores.iter().map(|c| c.1).fold(f32::MAX, f32::min),
            ),
        };
        // Fingers are not all upright on the sensor: slant the whole pattern.
        let slant = rng.uniform(-0.26, 0.26);
        let (ss, sc) = slant.sin_cos();
        let turn = |p: &(f32, f32)| {
            let (dx, dy) = (p.0 - cx, p.1 - cy);
            (cx + sc * dx - ss * dy, cy + ss * dx + sc * dy)
        };
        OrientationModel {
            class,
            cores: cores.iter().map(turn).collect(),
            deltas: deltas.iter().map(turn).collect(),
            upright_cores: cores,
            upright_deltas: deltas,
            theta_inf: jitter(rng, 0.15),
            arch_cx: cx + jitter(rng, 0.1) * half_w,
            arch_width: rng.uniform(0.45, 0.65) * half_w,
            arch_strength,
            arch_top,
            arch_fall: rng.uniform(0.5, 0.9) * half_h,
            perturb: SmoothField::new(rng, rng_cell(half_w)),
            perturb_amp: rng.uniform(0.1, 0.2),
            slant,
            centre_x: cx,
            centre_y: cy,
        }
    }

    /// The pattern class.
    pub fn class(&self) -> PatternClass {
        self.class
    }

    /// Core positions (image frame).
    pub fn cores(&self) -> &[(f32, f32)] {
        &self.cores
    }

    /// Delta positions (image frame).
    pub fn deltas(&self) -> &[(f32, f32)] {
        &self.deltas
    }

    /// Ridge orientation at (x, y), in [0, π).
    pub fn angle(&self, x: f32, y: f32) -> f32 {
        // Turn the point back by the slant, take the upright pattern's
        // direction there, and turn that direction forward by the slant.
        let (ss, sc) = self.slant.sin_cos();
        let (dx, dy) = (x - self.centre_x, y - self.centre_y);
        let ux = self.centre_x + sc * dx + ss * dy;
        let uy = self.centre_y - ss * dx + sc * dy;
        (self.upright_angle(ux, uy) + self.slant).rem_euclid(PI)
    }

    /// Direction of the upright pattern (not reduced mod π).
    fn upright_angle(&self, x: f32, y: f32) -> f32 {
        // Sherlock–Monro in the y-up frame, then flipped to the image frame.
        let mut t = 0.0f32;
        for &(dx, dy) in &self.upright_deltas {
            t -= 0.5 * (-(y - dy)).atan2(x - dx);
        }
        for &(ccx, ccy) in &self.upright_cores {
            t += 0.5 * (-(y - ccy)).atan2(x - ccx);
        }
        -t + self.theta_inf + self.arch_bend(x, y) + self.perturb_amp * self.perturb.at(x, y)
    }

    /// The smooth bend added everywhere: ridges humped upwards around
    /// `arch_cx`, strongest at `arch_top` and fading below it.
    fn arch_bend(&self, x: f32, y: f32) -> f32 {
        let u = (x - self.arch_cx) / self.arch_width;
        // Ridge y = y0 − h·exp(−u²/2): slope h/w · u · exp(−u²/2).
        let below = (y - self.arch_top).max(0.0) / self.arch_fall;
        let above = (self.arch_top - y).max(0.0) / (self.arch_fall * 1.5);
        let h = self.arch_strength * (-(below * below) - above * above * 0.5).exp();
        (h * u * (-0.5 * u * u).exp()).atan()
    }
}

fn rng_cell(half_w: f32) -> f32 {
    (half_w * 0.6).max(8.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twice the Poincaré index: how many half turns the ridge direction
    /// makes along a small circle (+1 around a core, −1 around a delta).
    fn poincare(m: &OrientationModel, cx: f32, cy: f32, r: f32) -> f32 {
        let n = 64;
        let mut total = 0.0;
        let mut prev = m.angle(cx + r, cy);
        for i in 1..=n {
            let a = i as f32 / n as f32 * std::f32::consts::TAU;
            let cur = m.angle(cx + r * a.cos(), cy + r * a.sin());
            let mut d = cur - prev;
            while d > PI / 2.0 {
                d -= PI;
            }
            while d < -PI / 2.0 {
                d += PI;
            }
            total += d;
            prev = cur;
        }
        total / PI
    }

    #[test]
    fn singular_points_have_poincare_index_of_one_half() {
        let mut rng = Rng::new(11);
        let m = OrientationModel::new(PatternClass::LeftLoop, 190.0, 190.0, 125.0, 165.0, &mut rng);
        let (cx, cy) = m.cores()[0];
        let (dx, dy) = m.deltas()[0];
        let ic = poincare(&m, cx, cy, 6.0);
        let id = poincare(&m, dx, dy, 6.0);
        // A core turns with the path (+1/2 turn of the ridge direction), a
        // delta against it.
        assert!((ic - 1.0).abs() < 0.05, "core index {ic}");
        assert!((id + 1.0).abs() < 0.05, "delta index {id}");
        // Away from both: no singularity.
        assert!(poincare(&m, cx - 60.0, cy - 60.0, 6.0).abs() < 0.05);
    }

    #[test]
    fn whorl_has_two_cores_two_deltas_arch_none() {
        let mut rng = Rng::new(12);
        let w = OrientationModel::new(PatternClass::Whorl, 190.0, 190.0, 125.0, 165.0, &mut rng);
        assert_eq!((w.cores().len(), w.deltas().len()), (2, 2));
        let a = OrientationModel::new(PatternClass::Arch, 190.0, 190.0, 125.0, 165.0, &mut rng);
        assert_eq!((a.cores().len(), a.deltas().len()), (0, 0));
    }
}
