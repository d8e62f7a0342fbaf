//! Global consolidation: from the cylinder similarities of all minutia pairs
//! to one score, by Local Similarity Sort with Relaxation (LSS-R, Cappelli,
//! Ferrara and Maltoni 2010).
//!
//! 1. every pair of minutiae whose directions differ by at most 90° gets its
//!    cylinder similarity;
//! 2. the best pairs are taken greedily, each minutia at most once, up to
//!    `min(n_a, n_b)` pairs;
//! 3. relaxation: each pair's strength is repeatedly averaged with the
//!    strengths of the other pairs, weighted by how well the two pairs agree
//!    geometrically (same distance, same relative directions), so pairs that
//!    belong to one consistent alignment reinforce each other and isolated
//!    look-alikes fade;
//! 4. the score is the mean strength of the `n_p` pairs that kept most of their
//!    strength, with `n_p` growing from 5 to 12 with the number of minutiae
//!    (at least 5, so a handful of chance look-alikes in a sparse template
//!    cannot carry the score).

use super::cylinder::Point;
use super::geometry::{dir_diff, fast_atan2, wrap_pi};
use super::local::similarity;
use super::prepared::Prepared;
use crate::template::MAX_MINUTIAE;
use std::f32::consts::PI;
use zeroize::Zeroize;

/// Largest direction difference of two minutiae that may be paired (radians).
const MAX_DIR_DIFF: f32 = PI / 2.0;
/// Relaxation rounds.
const RELAX_ROUNDS: usize = 5;
/// Weight of a pair's own strength in each round.
const RELAX_SELF: f32 = 0.5;
/// The paper averages a pair's support over all `n - 1` other pairs; with
/// large templates most of them are unrelated, which shrinks every score
/// (genuine ones most) as minutiae are added. Averaging over at most this many
/// keeps the scale of the score steadier across template sizes; strengths are
/// capped at 1.
const RELAX_SUPPORT_MAX: usize = 40;
/// Distance-difference sigmoid: centre (pixels) and slope.
const RHO_DIST: (f32, f32) = (5.0, -8.0 / 5.0);
/// Direction-difference sigmoids: centre (radians) and slope.
const RHO_ANGLE: (f32, f32) = (PI / 12.0, -30.0);
/// Fewest and most pairs the score averages (the paper has 4 and 12).
const MIN_NP: f32 = 5.0;
const MAX_NP: f32 = 12.0;
/// Sigmoid taking the number of minutiae to the number of averaged pairs.
const NP_SIGMOID: (f32, f32) = (20.0, 2.0 / 5.0);

/// Reusable buffers, so a comparison allocates nothing once warmed up.
///
/// They hold pair indices and similarities of both templates, so every
/// comparison ends by wiping what it wrote ([`Scratch::wipe`]); between
/// comparisons every buffer is empty and its whole block zero. Room is made
/// before a comparison starts ([`Scratch::reserve`]), so no `push` or
/// `resize` reallocates (which would free an old block unwiped).
#[derive(Default)]
pub(crate) struct Scratch {
    candidates: Vec<u32>,
    sorted: Vec<u32>,
    pairs: Vec<(u8, u8)>,
    lambda0: Vec<f32>,
    lambda: Vec<f32>,
    next: Vec<f32>,
    rho: Vec<f32>,
    order: Vec<(f32, u16)>,
}

impl Scratch {
    /// Room for a comparison of `na` by `nb` minutiae: a buffer too small is
    /// replaced by a fresh block (the old one is empty and already wiped).
    fn reserve(&mut self, na: usize, nb: usize) {
        let pairs = na.min(nb);
        grow(&mut self.candidates, na * nb);
        grow(&mut self.sorted, na * nb);
        grow(&mut self.pairs, pairs);
        grow(&mut self.lambda0, pairs);
        grow(&mut self.lambda, pairs);
        grow(&mut self.next, pairs);
        grow(&mut self.rho, pairs * pairs);
        grow(&mut self.order, pairs);
    }

    /// Zeroizes what the last comparison wrote and empties every buffer,
    /// keeping the blocks. Within a comparison a buffer only grows from
    /// empty, so its written part is `..len()`: wiping that leaves the whole
    /// block zero.
    pub(crate) fn wipe(&mut self) {
        self.candidates.as_mut_slice().zeroize();
        self.sorted.as_mut_slice().zeroize();
        self.pairs.iter_mut().for_each(Zeroize::zeroize);
        self.lambda0.as_mut_slice().zeroize();
        self.lambda.as_mut_slice().zeroize();
        self.next.as_mut_slice().zeroize();
        self.rho.as_mut_slice().zeroize();
        self.order.iter_mut().for_each(Zeroize::zeroize);
        self.candidates.clear();
        self.sorted.clear();
        self.pairs.clear();
        self.lambda0.clear();
        self.lambda.clear();
        self.next.clear();
        self.rho.clear();
        self.order.clear();
    }

    /// Whether every buffer is empty (as between comparisons).
    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.candidates.is_empty()
            && self.sorted.is_empty()
            && self.pairs.is_empty()
            && self.lambda0.is_empty()
            && self.lambda.is_empty()
            && self.next.is_empty()
            && self.rho.is_empty()
            && self.order.is_empty()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.wipe();
    }
}

/// Ensures `v` (empty, wiped) can hold `n` items without reallocating.
fn grow<T>(v: &mut Vec<T>, n: usize) {
    debug_assert!(v.is_empty());
    if v.capacity() < n {
        *v = Vec::with_capacity(n);
    }
}

fn sigmoid(v: f32, (mu, tau): (f32, f32)) -> f32 {
    1.0 / (1.0 + (-tau * (v - mu)).exp())
}

/// Distance difference beyond which two pairs count as incompatible.
const DIST_CUTOFF: f32 = 12.0;
/// Angle difference beyond which two pairs count as incompatible.
const ANGLE_CUTOFF: f32 = 0.6;
/// Table steps per pixel / per radian.
const DIST_STEPS: f32 = 20.0;
const ANGLE_STEPS: f32 = 200.0;

/// The compatibility sigmoids, tabulated.
struct RhoTables {
    dist: Vec<f32>,
    angle: Vec<f32>,
}

impl RhoTables {
    fn get() -> &'static RhoTables {
        static T: std::sync::OnceLock<RhoTables> = std::sync::OnceLock::new();
        T.get_or_init(|| RhoTables {
            dist: (0..=(DIST_CUTOFF * DIST_STEPS) as usize + 1)
                .map(|i| sigmoid(i as f32 / DIST_STEPS, RHO_DIST))
                .collect(),
            angle: (0..=(ANGLE_CUTOFF * ANGLE_STEPS) as usize + 1)
                .map(|i| sigmoid(i as f32 / ANGLE_STEPS, RHO_ANGLE))
                .collect(),
        })
    }
}

/// Geometric agreement in `0..=1` of pair `(a1, b1)` with pair `(a2, b2)`:
/// the distances `a1–a2` and `b1–b2`, the relative directions, and the
/// directions of the segments seen from `a1` and `b1` must all agree.
#[inline]
fn compatibility(a1: &Point, a2: &Point, b1: &Point, b2: &Point, t: &RhoTables) -> f32 {
    let (ax, ay) = (a2.x - a1.x, a2.y - a1.y);
    let (bx, by) = (b2.x - b1.x, b2.y - b1.y);
    let d1 = ((ax * ax + ay * ay).sqrt() - (bx * bx + by * by).sqrt()).abs();
    if d1 >= DIST_CUTOFF {
        return 0.0;
    }
    let d2 = wrap_pi(dir_diff(a1.dir, a2.dir) - dir_diff(b1.dir, b2.dir)).abs();
    if d2 >= ANGLE_CUTOFF {
        return 0.0;
    }
    // Angle of the segment seen from the first minutia's direction.
    let ra = fast_atan2(-ax * a1.sin + ay * a1.cos, ax * a1.cos + ay * a1.sin);
    let rb = fast_atan2(-bx * b1.sin + by * b1.cos, bx * b1.cos + by * b1.sin);
    let d3 = wrap_pi(ra - rb).abs();
    if d3 >= ANGLE_CUTOFF {
        return 0.0;
    }
    t.dist[(d1 * DIST_STEPS + 0.5) as usize]
        * t.angle[(d2 * ANGLE_STEPS + 0.5) as usize]
        * t.angle[(d3 * ANGLE_STEPS + 0.5) as usize]
}

/// Appends every pair with a non-zero cylinder similarity to `out`.
///
/// On x86-64 this calls the copy of the loop compiled with `popcnt` when the
/// CPU has it (the baseline x86-64 build counts bits without the
/// instruction). Calling a `#[target_feature]` function is `unsafe`, so this
/// is the library's one allowed `unsafe` block; it is sound because the
/// feature is detected at run time just before.
#[allow(unsafe_code)]
fn fill_candidates(
    a: &Prepared,
    b: &Prepared,
    na: usize,
    nb: usize,
    max_dd: i32,
    out: &mut Vec<u32>,
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has just been checked to support `popcnt`.
        unsafe { fill_candidates_popcnt(a, b, na, nb, max_dd, out) };
        return;
    }
    fill_candidates_body(a, b, na, nb, max_dd, out);
}

/// [`fill_candidates_body`] compiled with the `popcnt` instruction, which
/// baseline x86-64 builds lack (WebAssembly always has it).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn fill_candidates_popcnt(
    a: &Prepared,
    b: &Prepared,
    na: usize,
    nb: usize,
    max_dd: i32,
    out: &mut Vec<u32>,
) {
    fill_candidates_body(a, b, na, nb, max_dd, out);
}

#[inline(always)]
fn fill_candidates_body(
    a: &Prepared,
    b: &Prepared,
    na: usize,
    nb: usize,
    max_dd: i32,
    out: &mut Vec<u32>,
) {
    let disc = super::disc::Tables::get().disc_cells;
    out.clear();
    for i in 0..na {
        let (pa, ca) = (&a.points[i], &a.cylinders[i]);
        for j in 0..nb {
            let pb = &b.points[j];
            if ((pb.dir.wrapping_sub(pa.dir) as i8) as i32).abs() > max_dd {
                continue;
            }
            let sim = similarity(ca, &b.cylinders[j], disc);
            if sim > 0.0 {
                let q = (sim * 65535.0) as u32;
                out.push((q << 14) | ((i as u32) << 7) | j as u32);
            }
        }
    }
}

/// Buckets of the similarity sort.
const BUCKETS: usize = 1024;

/// Bucket of a packed candidate (its similarity's top 10 bits).
#[inline]
fn bucket(c: u32) -> usize {
    (c >> (14 + 6)) as usize
}

/// LSS-R score in `0..=1` of two prepared templates; `s` is left wiped.
pub(crate) fn score(a: &Prepared, b: &Prepared, s: &mut Scratch) -> f32 {
    let (na, nb) = (a.len().min(MAX_MINUTIAE), b.len().min(MAX_MINUTIAE));
    if na == 0 || nb == 0 {
        return 0.0;
    }
    s.reserve(na, nb);
    let v = score_in(a, b, na, nb, s);
    s.wipe();
    v
}

fn score_in(a: &Prepared, b: &Prepared, na: usize, nb: usize, s: &mut Scratch) -> f32 {
    // 1. Cylinder similarities, packed as `sim(16 bits) | i(7) | j(7)`.
    let max_dd = (MAX_DIR_DIFF / super::geometry::DIR_UNIT).round() as i32;
    fill_candidates(a, b, na, nb, max_dd, &mut s.candidates);
    // 2. Greedy one-to-one selection of the best pairs, in order of
    // similarity (a counting sort on its top bits: linear, no allocation).
    let mut counts = [0u32; BUCKETS + 1];
    for &c in s.candidates.iter() {
        counts[BUCKETS - 1 - bucket(c)] += 1;
    }
    let mut start = 0;
    for c in counts.iter_mut() {
        let n = *c;
        *c = start;
        start += n;
    }
    s.sorted.clear();
    s.sorted.resize(s.candidates.len(), 0);
    for &c in s.candidates.iter() {
        let slot = &mut counts[BUCKETS - 1 - bucket(c)];
        s.sorted[*slot as usize] = c;
        *slot += 1;
    }
    let want = na.min(nb);
    let mut used_a = [false; MAX_MINUTIAE];
    let mut used_b = [false; MAX_MINUTIAE];
    s.pairs.clear();
    s.lambda0.clear();
    for &c in s.sorted.iter() {
        let (i, j) = (((c >> 7) & 127) as usize, (c & 127) as usize);
        if used_a[i] || used_b[j] {
            continue;
        }
        used_a[i] = true;
        used_b[j] = true;
        s.pairs.push((i as u8, j as u8));
        s.lambda0.push((c >> 14) as f32 / 65535.0);
        if s.pairs.len() == want {
            break;
        }
    }
    let n = s.pairs.len();
    let np = MIN_NP + (sigmoid(want as f32, NP_SIGMOID) * (MAX_NP - MIN_NP)).round();
    if n == 0 {
        return 0.0;
    }
    // 3. Relaxation.
    let tables = RhoTables::get();
    s.rho.clear();
    s.rho.resize(n * n, 0.0);
    for t in 0..n {
        let (at, bt) = (
            &a.points[s.pairs[t].0 as usize],
            &b.points[s.pairs[t].1 as usize],
        );
        for k in t + 1..n {
            let (ak, bk) = (
                &a.points[s.pairs[k].0 as usize],
                &b.points[s.pairs[k].1 as usize],
            );
            let r = compatibility(at, ak, bt, bk, tables);
            s.rho[t * n + k] = r;
            s.rho[k * n + t] = r;
        }
    }
    s.lambda.clear();
    s.lambda.extend_from_slice(&s.lambda0);
    s.next.clear();
    s.next.resize(n, 0.0);
    let spread = if n > 1 {
        (1.0 - RELAX_SELF) / (n - 1).min(RELAX_SUPPORT_MAX) as f32
    } else {
        0.0
    };
    for _ in 0..RELAX_ROUNDS {
        for t in 0..n {
            let row = &s.rho[t * n..(t + 1) * n];
            let support: f32 = row.iter().zip(s.lambda.iter()).map(|(r, l)| r * l).sum();
            // Capped at 1 by a comparison (`f32::min` is a call in WebAssembly).
            let v = RELAX_SELF * s.lambda[t] + spread * support;
            s.next[t] = if v > 1.0 { 1.0 } else { v };
        }
        std::mem::swap(&mut s.lambda, &mut s.next);
    }
    // 4. Mean strength of the pairs that kept most of it.
    s.order.clear();
    for t in 0..n {
        s.order.push((s.lambda[t] / s.lambda0[t], t as u16));
    }
    s.order
        .sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let take = (np as usize).min(n);
    let sum: f32 = s.order[..take]
        .iter()
        .map(|&(_, t)| s.lambda[t as usize])
        .sum();
    (sum / np).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{Minutia, Template};

    /// A prepared template of 40 minutiae spread by a hash of `seed`.
    fn prepared(seed: u32) -> Prepared {
        let minutiae = (0..40u32)
            .map(|i| {
                let h = (i + 1).wrapping_mul(2_654_435_761).wrapping_add(seed * 97);
                Minutia {
                    x: 20 + (h % 260) as u16,
                    y: 20 + ((h >> 9) % 260) as u16,
                    direction: (h >> 18) as u8,
                    ..Default::default()
                }
            })
            .collect();
        Prepared::new(&Template {
            width: 300,
            height: 300,
            dpi: 500,
            minutiae,
        })
    }

    #[test]
    fn a_comparison_leaves_its_scratch_wiped() {
        let (a, b) = (prepared(1), prepared(1));
        let mut s = Scratch::default();
        s.reserve(a.len(), b.len());
        let v = score_in(&a, &b, a.len(), b.len(), &mut s);
        let (nc, np, nr) = (s.candidates.len(), s.pairs.len(), s.rho.len());
        assert!(nc > 0 && np > 0 && nr > 0, "the comparison wrote nothing");
        assert!(s.candidates.iter().any(|&c| c != 0));
        s.wipe();
        assert!(s.is_empty());
        assert!(
            crate::test_support::written_after_clear(&mut s.candidates, nc)
                .iter()
                .all(|&c| c == 0)
        );
        assert!(crate::test_support::written_after_clear(&mut s.sorted, nc)
            .iter()
            .all(|&c| c == 0));
        assert!(crate::test_support::written_after_clear(&mut s.pairs, np)
            .iter()
            .all(|&p| p == (0, 0)));
        assert!(crate::test_support::written_after_clear(&mut s.lambda0, np)
            .iter()
            .all(|&x| x == 0.0));
        assert!(crate::test_support::written_after_clear(&mut s.rho, nr)
            .iter()
            .all(|&x| x == 0.0));
        assert!(crate::test_support::written_after_clear(&mut s.order, np)
            .iter()
            .all(|&o| o == (0.0, 0)));
        // `score` wipes by itself, and the score does not change.
        assert_eq!(score(&a, &b, &mut s), v);
        assert!(s.is_empty());
    }

    #[test]
    fn popcnt_dispatch_matches_the_portable_path() {
        let (a, b) = (prepared(1), prepared(2));
        let (mut x, mut y) = (Vec::new(), Vec::new());
        fill_candidates(&a, &b, a.len(), b.len(), 64, &mut x);
        fill_candidates_body(&a, &b, a.len(), b.len(), 64, &mut y);
        assert!(!x.is_empty());
        assert_eq!(x, y);
    }
}
