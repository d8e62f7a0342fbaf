//! Smooth random fields (value noise on a coarse grid, interpolated with a
//! smooth step), used for ridge-frequency variation, pressure variation,
//! blotches and small orientation perturbations.

use crate::rng::Rng;

/// A smooth random field with values in about [-1, 1], defined on the whole
/// plane (it repeats beyond its grid).
///
/// ```
/// use sealmatch_synth::field::SmoothField;
/// use sealmatch_synth::rng::Rng;
/// let f = SmoothField::new(&mut Rng::new(1), 32.0);
/// let (a, b) = (f.at(10.0, 10.0), f.at(10.5, 10.0));
/// assert!((a - b).abs() < 0.2 && a.abs() <= 1.0);
/// ```
#[derive(Clone, Debug)]
pub struct SmoothField {
    cell: f32,
    values: Vec<f32>,
}

const GRID: usize = 32;

impl SmoothField {
    /// A field whose features are about `cell` pixels apart.
    pub fn new(rng: &mut Rng, cell: f32) -> SmoothField {
        let values = (0..GRID * GRID).map(|_| rng.uniform(-1.0, 1.0)).collect();
        SmoothField {
            cell: cell.max(1.0),
            values,
        }
    }

    /// The value at (x, y).
    pub fn at(&self, x: f32, y: f32) -> f32 {
        let gx = x / self.cell;
        let gy = y / self.cell;
        let x0 = gx.floor();
        let y0 = gy.floor();
        let tx = smooth(gx - x0);
        let ty = smooth(gy - y0);
        let ix = (x0 as i64).rem_euclid(GRID as i64) as usize;
        let iy = (y0 as i64).rem_euclid(GRID as i64) as usize;
        let ix1 = (ix + 1) % GRID;
        let iy1 = (iy + 1) % GRID;
        let v = |i: usize, j: usize| self.values[j * GRID + i];
        let top = v(ix, iy) + (v(ix1, iy) - v(ix, iy)) * tx;
        let bottom = v(ix, iy1) + (v(ix1, iy1) - v(ix, iy1)) * tx;
        top + (bottom - top) * ty
    }
}

fn smooth(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_is_bounded_and_continuous() {
        let f = SmoothField::new(&mut Rng::new(5), 20.0);
        let mut prev = f.at(0.0, 3.0);
        for i in 1..2000 {
            let v = f.at(i as f32 * 0.25, 3.0);
            assert!(v.abs() <= 1.0);
            assert!((v - prev).abs() < 0.1);
            prev = v;
        }
    }

    #[test]
    fn field_varies() {
        let f = SmoothField::new(&mut Rng::new(6), 10.0);
        let vals: Vec<f32> = (0..100).map(|i| f.at(i as f32 * 7.0, 0.0)).collect();
        let max = vals.iter().cloned().fold(f32::MIN, f32::max);
        let min = vals.iter().cloned().fold(f32::MAX, f32::min);
        assert!(max - min > 0.5);
    }
}
