//! Matcher tests on templates made in code.

use super::*;
use crate::template::{Minutia, MinutiaKind, Template, MAX_MINUTIAE};

/// Small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
}

/// A finger-like random template: `n` minutiae at least 12 px apart in a
/// 300 × 360 image, directions following a smooth field plus a random flip.
fn random_template(seed: u64, n: usize) -> Template {
    let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (a, b, c) = (
        r.range(-0.02, 0.02),
        r.range(-0.02, 0.02),
        r.range(0.0, std::f32::consts::TAU),
    );
    let mut minutiae: Vec<Minutia> = Vec::new();
    while minutiae.len() < n {
        let (x, y) = (r.range(30.0, 270.0), r.range(30.0, 330.0));
        if minutiae
            .iter()
            .any(|m| (m.x as f32 - x).hypot(m.y as f32 - y) < 12.0)
        {
            continue;
        }
        let field = c + a * x + b * y + 0.8 * ((x - 150.0) / 60.0).sin();
        let flip = if r.next().is_multiple_of(2) {
            0.0
        } else {
            std::f32::consts::PI
        };
        let dir = ((field + flip) / std::f32::consts::TAU * 256.0).round() as i32;
        minutiae.push(Minutia {
            x: x as u16,
            y: y as u16,
            direction: dir.rem_euclid(256) as u8,
            kind: if r.next().is_multiple_of(2) {
                MinutiaKind::Ending
            } else {
                MinutiaKind::Bifurcation
            },
            quality: 60,
        });
    }
    Template {
        width: 300,
        height: 360,
        dpi: 500,
        minutiae,
    }
}

/// `t` turned by `angle` radians (counter-clockwise on screen) about the image
/// centre, shifted by `(dx, dy)`, with a smooth elastic distortion of about
/// `warp` pixels and `jitter` pixels / 1/256 turns of noise; minutiae that
/// leave the image are dropped.
fn transform(
    t: &Template,
    angle: f32,
    dx: f32,
    dy: f32,
    warp: f32,
    jitter: f32,
    seed: u64,
) -> Template {
    let mut r = Rng(seed | 1);
    let (cx, cy) = (150.0, 180.0);
    let (s, c) = angle.sin_cos();
    let mut minutiae = Vec::new();
    for m in &t.minutiae {
        let (x, y) = (m.x as f32 - cx, m.y as f32 - cy);
        // Screen y points down: a counter-clockwise turn on screen.
        let (mut nx, mut ny) = (x * c + y * s, -x * s + y * c);
        nx += warp * (ny / 90.0).sin() + r.range(-jitter, jitter);
        ny += warp * (nx / 110.0).cos() + r.range(-jitter, jitter);
        let (nx, ny) = (nx + cx + dx, ny + cy + dy);
        if !(0.0..300.0).contains(&nx) || !(0.0..360.0).contains(&ny) {
            continue;
        }
        let turn = angle / std::f32::consts::TAU * 256.0 + r.range(-jitter, jitter);
        minutiae.push(Minutia {
            x: nx as u16,
            y: ny as u16,
            direction: (m.direction as f32 + turn).round().rem_euclid(256.0) as u8,
            ..*m
        });
    }
    Template {
        width: t.width,
        height: t.height,
        dpi: t.dpi,
        minutiae,
    }
}

fn s(a: &Template, b: &Template) -> f32 {
    score(&Prepared::new(a), &Prepared::new(b))
}

#[test]
fn identical_scores_high() {
    for seed in 1..6 {
        let t = random_template(seed, 40);
        assert!(s(&t, &t) > 0.5, "seed {seed}: {}", s(&t, &t));
    }
}

#[test]
fn rotated_and_shifted_copy_scores_high() {
    for seed in 1..6 {
        let t = random_template(seed, 40);
        let moved = transform(&t, 0.5, 20.0, -15.0, 0.0, 0.0, seed);
        let v = s(&t, &moved);
        assert!(v > 0.3, "seed {seed}: {v}");
    }
}

#[test]
fn distorted_copy_scores_high() {
    for seed in 1..6 {
        let t = random_template(seed, 45);
        let mut d = transform(&t, -0.3, -10.0, 12.0, 5.0, 2.0, seed + 100);
        // Lose a few minutiae and gain a few spurious ones.
        d.minutiae.truncate(d.minutiae.len() - 5);
        d.minutiae
            .extend_from_slice(&random_template(seed + 999, 5).minutiae);
        let v = s(&t, &d);
        assert!(v > DEFAULT_THRESHOLD, "seed {seed}: {v}");
    }
}

#[test]
fn unrelated_templates_score_low() {
    let mut worst = 0f32;
    for seed in 0..30u64 {
        let a = random_template(1000 + seed, 40);
        let b = random_template(2000 + seed, 40);
        worst = worst.max(s(&a, &b));
    }
    assert!(worst < DEFAULT_THRESHOLD / 2.0, "worst impostor {worst}");
}

#[test]
fn score_is_symmetric() {
    for seed in 0..8u64 {
        let a = random_template(seed, 40);
        let b = if seed % 2 == 0 {
            transform(&a, 0.2, 5.0, 5.0, 3.0, 2.0, seed)
        } else {
            random_template(seed + 50, 35)
        };
        let (ab, ba) = (s(&a, &b), s(&b, &a));
        assert!((ab - ba).abs() < 0.01, "seed {seed}: {ab} vs {ba}");
    }
}

#[test]
fn enrollment_takes_the_best_impression() {
    let t = random_template(7, 40);
    let other = random_template(8, 40);
    let near = transform(&t, 0.1, 3.0, 3.0, 2.0, 1.0, 3);
    let one = score_enrollment(&near, std::slice::from_ref(&other));
    let both = score_enrollment(&near, &[other, t]);
    assert!(
        one < DEFAULT_THRESHOLD && both >= DEFAULT_THRESHOLD,
        "{one} {both}"
    );
    assert_eq!(score_enrollment(&near, &[]), 0.0);
}

fn with_dpi(t: &Template, dpi: u16) -> Template {
    let mut t = t.clone();
    t.dpi = dpi;
    t
}

#[test]
fn hostile_templates_do_not_panic() {
    let at = |x: u16, y: u16, n: usize| Template {
        width: u16::MAX,
        height: u16::MAX,
        dpi: 500,
        minutiae: vec![
            Minutia {
                x,
                y,
                direction: 7,
                kind: MinutiaKind::Ending,
                quality: 100
            };
            n
        ],
    };
    let normal = random_template(3, 40);
    let cases = [
        Template::default(),
        at(0, 0, 1),
        at(100, 100, MAX_MINUTIAE),
        at(u16::MAX, u16::MAX, MAX_MINUTIAE),
        at(u16::MAX, 0, 3 * MAX_MINUTIAE),
        with_dpi(&normal, 0),
        with_dpi(&normal, u16::MAX),
        with_dpi(&normal, 1),
        Template {
            minutiae: (0..MAX_MINUTIAE as u16)
                .map(|i| Minutia {
                    x: i.wrapping_mul(517),
                    y: u16::MAX - i,
                    direction: i as u8,
                    ..Default::default()
                })
                .collect(),
            width: 300,
            height: 300,
            dpi: 500,
        },
    ];
    for (i, a) in cases.iter().enumerate() {
        for b in cases.iter().chain([&normal]) {
            let v = s(a, b);
            assert!(v.is_finite() && (0.0..=1.0).contains(&v), "{v}");
        }
        // Degenerate templates never match a real one (the dpi variants of
        // `normal` are `normal` itself, rescaled).
        if !(5..8).contains(&i) {
            let v = s(a, &normal);
            assert!(v < DEFAULT_THRESHOLD, "case {i}: {v}");
        }
    }
}

#[test]
fn sparse_unrelated_templates_score_low() {
    // Few minutiae make chance agreements easier; they must stay well below
    // the threshold all the same.
    let mut worst = 0f32;
    for seed in 0..300u64 {
        let a = random_template(5000 + seed, 6 + (seed % 7) as usize);
        let b = random_template(9000 + seed, 6 + (seed % 5) as usize);
        worst = worst.max(s(&a, &b));
    }
    eprintln!("worst sparse impostor {worst}");
    assert!(worst < DEFAULT_THRESHOLD, "worst sparse impostor {worst}");
}
