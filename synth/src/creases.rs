//! Creases and scars: thin white lines across the ridges that belong to the
//! finger (so every impression shows them in the same place). Near-horizontal
//! flexion creases sit in the lower part of the fingertip; short scars can be
//! anywhere.

use crate::ridges::RidgeMap;
use crate::rng::Rng;
use crate::shape::FingerShape;

/// One crease: a quadratic Bézier curve with a width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Crease {
    /// Start, control and end points.
    pub points: [(f32, f32); 3],
    /// Half-width of the white line, pixels.
    pub half_width: f32,
}

impl Crease {
    fn at(&self, t: f32) -> (f32, f32) {
        let [a, b, c] = self.points;
        let u = 1.0 - t;
        (
            u * u * a.0 + 2.0 * u * t * b.0 + t * t * c.0,
            u * u * a.1 + 2.0 * u * t * b.1 + t * t * c.1,
        )
    }
}

/// Draws 0–4 creases for a finger of `shape`.
pub fn random_creases(shape: &FingerShape, rng: &mut Rng) -> Vec<Crease> {
    let mut out = Vec::new();
    if !rng.chance(0.45) {
        return out;
    }
    let n = 1 + rng.below(4);
    for _ in 0..n {
        let flexion = rng.chance(0.5);
        let (cx, cy, len, angle) = if flexion {
            (
                shape.cx + rng.uniform(-0.3, 0.3) * shape.half_w,
                shape.cy + rng.uniform(0.2, 0.9) * shape.top,
                rng.uniform(0.8, 1.8) * shape.half_w,
                rng.uniform(-0.25, 0.25),
            )
        } else {
            (
                shape.cx + rng.uniform(-0.7, 0.7) * shape.half_w,
                shape.cy + rng.uniform(-0.8, 0.8) * shape.top,
                rng.uniform(0.15, 0.6) * shape.half_w,
                rng.uniform(0.0, std::f32::consts::PI),
            )
        };
        let (s, c) = angle.sin_cos();
        let bow = rng.uniform(-0.15, 0.15) * len;
        out.push(Crease {
            points: [
                (cx - 0.5 * len * c, cy - 0.5 * len * s),
                (cx - bow * s, cy + bow * c),
                (cx + 0.5 * len * c, cy + 0.5 * len * s),
            ],
            half_width: rng.uniform(1.2, 2.8),
        });
    }
    out
}

/// Whitens the ridge map along each crease (values move towards +1, the
/// valley level, with a Gaussian profile across the line).
pub fn apply(ridges: &mut RidgeMap, creases: &[Crease]) {
    const STEPS: usize = 24;
    for cr in creases {
        let pts: Vec<(f32, f32)> = (0..=STEPS)
            .map(|i| cr.at(i as f32 / STEPS as f32))
            .collect();
        let reach = 3.0 * cr.half_width;
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in &pts {
            x0 = x0.min(x - reach);
            y0 = y0.min(y - reach);
            x1 = x1.max(x + reach);
            y1 = y1.max(y + reach);
        }
        let xs = (x0.max(0.0) as usize)..(x1.max(0.0) as usize).min(ridges.width);
        let ys = (y0.max(0.0) as usize)..(y1.max(0.0) as usize).min(ridges.height);
        for y in ys {
            for x in xs.clone() {
                let d = distance_to_polyline(&pts, x as f32, y as f32);
                if d > reach {
                    continue;
                }
                let k = (-(d / cr.half_width).powi(2)).exp();
                let v = &mut ridges.values[y * ridges.width + x];
                *v += (1.0 - *v) * k;
            }
        }
    }
}

fn distance_to_polyline(pts: &[(f32, f32)], x: f32, y: f32) -> f32 {
    let mut best = f32::MAX;
    for w in pts.windows(2) {
        let (ax, ay) = w[0];
        let (bx, by) = w[1];
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((x - ax) * dx + (y - ay) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (px, py) = (ax + t * dx - x, ay + t * dy - y);
        best = best.min(px * px + py * py);
    }
    best.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crease_whitens_its_line_and_nothing_far_away() {
        let mut r = RidgeMap {
            width: 50,
            height: 50,
            values: vec![-1.0; 2500],
        };
        let c = Crease {
            points: [(5.0, 25.0), (22.5, 25.0), (40.0, 25.0)],
            half_width: 1.5,
        };
        apply(&mut r, &[c]);
        assert!(r.values[25 * 50 + 25] > 0.9);
        assert_eq!(r.values[5 * 50 + 25], -1.0);
        assert_eq!(r.values[25 * 50 + 48], -1.0);
    }
}
