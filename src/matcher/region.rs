//! The area a template's minutiae can speak for: their convex hull grown by a
//! margin, stored as one x-interval per row band so a test is O(1).
//!
//! Cylinder cells outside this area are "unknown", not "empty": two templates
//! are only compared where both have seen the finger.

use zeroize::Zeroize;

/// Most row bands; a huge (hostile) coordinate spread only coarsens the bands.
const MAX_ROWS: usize = 256;
/// Finest band height, pixels.
const MIN_STEP: f32 = 4.0;
/// Points on the margin circle added around every hull vertex.
const RING: usize = 16;

/// Convex area (hull of the minutiae grown by `margin`), as row intervals.
#[derive(Clone, Debug, Default)]
pub(crate) struct Region {
    y0: f32,
    /// 1 / band height.
    inv_step: f32,
    /// `(x_min, x_max)` per band; `x_min > x_max` when the band is empty.
    rows: Vec<(f32, f32)>,
}

impl Region {
    /// The hull of `points` grown by `margin`.
    pub(crate) fn around(points: &[(f32, f32)], margin: f32) -> Region {
        if points.is_empty() {
            return Region::default();
        }
        let mut hull = convex_hull(points);
        let mut grown: Vec<(f32, f32)> = Vec::with_capacity(hull.len() * RING);
        let ring = ring();
        for &(x, y) in &hull {
            for &(cos, sin) in ring {
                grown.push((x + margin * cos, y + margin * sin));
            }
        }
        let mut poly = convex_hull(&grown);
        wipe(&mut hull);
        wipe(&mut grown);
        let (mut ymin, mut ymax) = (f32::INFINITY, f32::NEG_INFINITY);
        for &(_, y) in &poly {
            ymin = ymin.min(y);
            ymax = ymax.max(y);
        }
        let step = ((ymax - ymin) / (MAX_ROWS - 1) as f32).max(MIN_STEP);
        let n = (((ymax - ymin) / step).floor() as usize + 1).min(MAX_ROWS);
        let rows = band_extents(&poly, ymin, step, n);
        wipe(&mut poly);
        Region {
            y0: ymin,
            inv_step: 1.0 / step,
            rows,
        }
    }

    /// Whether `(x, y)` lies in the area.
    #[inline]
    pub(crate) fn contains(&self, x: f32, y: f32) -> bool {
        // Nearest band, without a libm call: truncation rounds down here.
        let r = (y - self.y0) * self.inv_step + 0.5;
        if !(r >= 0.0 && r < self.rows.len() as f32) {
            return false;
        }
        // `r` is in 0..=MAX_ROWS here: the `i32` conversion is exact and cheaper.
        let (lo, hi) = self.rows[r as i32 as usize];
        x >= lo && x <= hi
    }
}

/// `(cos, sin)` of the [`RING`] directions around a hull vertex, computed
/// once (a WebAssembly build has no fast `sin`/`cos`).
fn ring() -> &'static [(f32, f32); RING] {
    static R: std::sync::OnceLock<[(f32, f32); RING]> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        std::array::from_fn(|k| {
            let a = k as f32 * std::f32::consts::TAU / RING as f32;
            (a.cos(), a.sin())
        })
    })
}

/// The x-extent of convex polygon `poly` in each of `n` bands of height
/// `step` centred on `ymin + r * step`: the crossings at each band's top and
/// bottom edges and the vertices inside it (`x_min > x_max` when empty).
fn band_extents(poly: &[(f32, f32)], ymin: f32, step: f32, n: usize) -> Vec<(f32, f32)> {
    let mut rows = vec![(f32::INFINITY, f32::NEG_INFINITY); n];
    // Each band keeps the x-extent of the polygon over its whole height:
    // the crossings at its top and bottom edges and the vertices inside.
    // Every edge visits only the bands near its own y-range (candidates
    // are widened by a band and then tested exactly), so this is linear
    // in bands + edges rather than their product.
    let edge = |r: usize| {
        let yc = ymin + r as f32 * step;
        (yc - step / 2.0, yc + step / 2.0)
    };
    // Bands `r` with `(lo - ymin) / step + shift` ≤ r ≤ `(hi - ymin) / step + shift`,
    // widened by one band on each side (a margin for rounding) and clamped.
    let near = |lo: f32, hi: f32, shift: f32| {
        let a = ((lo - ymin) / step + shift).floor() - 1.0;
        let b = ((hi - ymin) / step + shift).ceil() + 2.0;
        let (a, b) = (
            a.clamp(0.0, n as f32) as usize,
            b.clamp(0.0, n as f32) as usize,
        );
        a..b.max(a)
    };
    for e in 0..poly.len() {
        let (ax, ay) = poly[e];
        let (bx, by) = poly[(e + 1) % poly.len()];
        for r in near(ay, ay, 0.0) {
            let (top, bottom) = edge(r);
            if ay >= top && ay <= bottom {
                let row = &mut rows[r];
                row.0 = row.0.min(ax);
                row.1 = row.1.max(ax);
            }
        }
        let (lo, hi) = if ay <= by { (ay, by) } else { (by, ay) };
        if hi - lo < 1e-6 {
            continue;
        }
        // Tops are band centres minus half a band, bottoms plus half.
        for (shift, pick_top) in [(0.5, true), (-0.5, false)] {
            for r in near(lo, hi, shift) {
                let (top, bottom) = edge(r);
                let y = if pick_top { top } else { bottom };
                if y < lo || y > hi {
                    continue;
                }
                let x = ax + (y - ay) * (bx - ax) / (by - ay);
                let row = &mut rows[r];
                row.0 = row.0.min(x);
                row.1 = row.1.max(x);
            }
        }
    }
    rows
}

impl Drop for Region {
    fn drop(&mut self) {
        // The area outlines the finger: wipe it like the template.
        wipe(&mut self.rows);
        self.y0.zeroize();
    }
}

/// Overwrites coordinate pairs with zeros (not optimised away).
pub(crate) fn wipe(v: &mut [(f32, f32)]) {
    for p in v.iter_mut() {
        p.0.zeroize();
        p.1.zeroize();
    }
}

/// An unsigned key whose order is `f32::total_cmp`'s.
#[inline]
fn order_key(v: f32) -> u32 {
    let b = v.to_bits();
    // Negative values: all bits flipped; others: the sign bit set.
    if b >> 31 == 1 {
        !b
    } else {
        b | 0x8000_0000
    }
}

/// The value whose [`order_key`] is `k`.
#[inline]
fn from_order_key(k: u32) -> f32 {
    f32::from_bits(if k >> 31 == 1 { k & 0x7fff_ffff } else { !k })
}

/// Convex hull (Andrew's monotone chain), counter-clockwise, no repeated points.
fn convex_hull(points: &[(f32, f32)]) -> Vec<(f32, f32)> {
    // Sorted by x then y in `f32::total_cmp` order, as integer keys (faster
    // than comparing float pairs); the keys map back to the same bits.
    // Unstable is fine: equal keys are identical points, deduplicated below.
    let mut keys: Vec<u64> = points
        .iter()
        .map(|&(x, y)| (u64::from(order_key(x)) << 32) | u64::from(order_key(y)))
        .collect();
    keys.sort_unstable();
    let mut p: Vec<(f32, f32)> = keys
        .iter()
        .map(|&k| (from_order_key((k >> 32) as u32), from_order_key(k as u32)))
        .collect();
    keys.zeroize();
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross = |o: (f32, f32), a: (f32, f32), b: (f32, f32)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut h: Vec<(f32, f32)> = Vec::with_capacity(2 * p.len());
    for &q in p.iter() {
        while h.len() >= 2 && cross(h[h.len() - 2], h[h.len() - 1], q) <= 0.0 {
            h.pop();
        }
        h.push(q);
    }
    let lower = h.len() + 1;
    for &q in p.iter().rev().skip(1) {
        while h.len() >= lower && cross(h[h.len() - 2], h[h.len() - 1], q) <= 0.0 {
            h.pop();
        }
        h.push(q);
    }
    h.pop();
    wipe(&mut p);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_grown_by_margin() {
        let pts = [
            (0.0, 0.0),
            (100.0, 0.0),
            (100.0, 100.0),
            (0.0, 100.0),
            (50.0, 50.0),
        ];
        let r = Region::around(&pts, 10.0);
        assert!(r.contains(50.0, 50.0));
        assert!(r.contains(-8.0, 50.0));
        assert!(r.contains(108.0, 50.0));
        assert!(!r.contains(-13.0, 50.0));
        assert!(!r.contains(50.0, 117.0));
        assert!(!r.contains(112.0, 112.0));
    }

    #[test]
    fn order_keys_sort_as_total_cmp() {
        let mut v = vec![
            0.0f32,
            -0.0,
            1.5,
            -1.5,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            -f32::NAN,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            65535.0,
            -65535.0,
            1e-45,
        ];
        for &x in &v.clone() {
            assert_eq!(from_order_key(order_key(x)).to_bits(), x.to_bits());
        }
        let mut by_key = v.clone();
        by_key.sort_by_key(|&x| order_key(x));
        v.sort_by(|a, b| a.total_cmp(b));
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&by_key), bits(&v));
    }

    #[test]
    fn degenerate_inputs() {
        assert!(!Region::default().contains(0.0, 0.0));
        let one = Region::around(&[(5.0, 5.0); 7], 20.0);
        assert!(one.contains(5.0, 5.0));
        assert!(one.contains(5.0, 20.0));
        assert!(!one.contains(5.0, 40.0));
        // A huge spread only coarsens the bands.
        let far = Region::around(&[(0.0, 0.0), (65535.0, -65535.0)], 50.0);
        assert!(far.rows.len() <= MAX_ROWS);
        assert!(far.contains(32767.0, -32767.0));
    }

    /// The band extents as first written: every band against every edge.
    fn band_extents_reference(
        poly: &[(f32, f32)],
        ymin: f32,
        step: f32,
        n: usize,
    ) -> Vec<(f32, f32)> {
        let mut rows = vec![(f32::INFINITY, f32::NEG_INFINITY); n];
        for (r, row) in rows.iter_mut().enumerate() {
            let yc = ymin + r as f32 * step;
            let (top, bottom) = (yc - step / 2.0, yc + step / 2.0);
            for e in 0..poly.len() {
                let (ax, ay) = poly[e];
                let (bx, by) = poly[(e + 1) % poly.len()];
                if ay >= top && ay <= bottom {
                    row.0 = row.0.min(ax);
                    row.1 = row.1.max(ax);
                }
                for y in [top, bottom] {
                    let (lo, hi) = if ay <= by { (ay, by) } else { (by, ay) };
                    if y < lo || y > hi || hi - lo < 1e-6 {
                        continue;
                    }
                    let x = ax + (y - ay) * (bx - ax) / (by - ay);
                    row.0 = row.0.min(x);
                    row.1 = row.1.max(x);
                }
            }
        }
        rows
    }

    #[test]
    fn band_extents_equal_the_exhaustive_scan() {
        // Pseudo-random point sets of several spreads, hostile ones included;
        // the hull and bands as `Region::around` makes them.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: f32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 40) as f32 / (1u64 << 24) as f32 * m
        };
        for case in 0..300 {
            let spread = [3.0, 60.0, 400.0, 65535.0][case % 4];
            let k = 1 + case % 60;
            let pts: Vec<(f32, f32)> = (0..k).map(|_| (next(spread), -next(spread))).collect();
            let hull = convex_hull(&pts);
            let mut grown = Vec::new();
            for &(x, y) in &hull {
                for j in 0..RING {
                    let a = j as f32 * std::f32::consts::TAU / RING as f32;
                    grown.push((x + 50.0 * a.cos(), y + 50.0 * a.sin()));
                }
            }
            let poly = convex_hull(&grown);
            let (mut ymin, mut ymax) = (f32::INFINITY, f32::NEG_INFINITY);
            for &(_, y) in &poly {
                ymin = ymin.min(y);
                ymax = ymax.max(y);
            }
            let step = ((ymax - ymin) / (MAX_ROWS - 1) as f32).max(MIN_STEP);
            let n = (((ymax - ymin) / step).floor() as usize + 1).min(MAX_ROWS);
            let fast = band_extents(&poly, ymin, step, n);
            let slow = band_extents_reference(&poly, ymin, step, n);
            for (f, s) in fast.iter().zip(&slow) {
                assert_eq!(
                    (f.0.to_bits(), f.1.to_bits()),
                    (s.0.to_bits(), s.1.to_bits()),
                    "case {case}"
                );
            }
        }
    }
}
