//! Extraction tests on images made in code.

use super::*;

/// Parallel ridges of `period` px with one phase singularity at (x0, y0):
/// one ridge more on the right of it than on the left, i.e. exactly one
/// minutia whose ridge (or forks) run toward +x. `invert` swaps ridges and
/// valleys, turning an ending into a bifurcation.
pub(crate) fn dislocation(
    w: usize,
    h: usize,
    x0: f32,
    y0: f32,
    period: f32,
    invert: bool,
) -> GrayImage {
    let mut px = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let phase =
                std::f32::consts::TAU * y as f32 / period + (y as f32 - y0).atan2(x as f32 - x0);
            let mut v = phase.cos();
            if invert {
                v = -v;
            }
            px[y * w + x] = (128.0 + 90.0 * v).round() as u8;
        }
    }
    GrayImage::new(w, h, px).unwrap()
}

fn near(t: &Template, x: f32, y: f32, r: f32) -> Vec<Minutia> {
    t.minutiae
        .iter()
        .copied()
        .filter(|m| (m.x as f32 - x).hypot(m.y as f32 - y) <= r)
        .collect()
}

fn direction_error(d: u8, expected: u8) -> u8 {
    let e = d.wrapping_sub(expected);
    e.min(0u8.wrapping_sub(e))
}

#[test]
fn finds_the_one_minutia_of_a_dislocation() {
    let mut kinds = Vec::new();
    for invert in [false, true] {
        let img = dislocation(160, 160, 80.0, 80.0, 9.0, invert);
        let t = extract(&img).template;
        assert_eq!(t.minutiae.len(), 1, "invert={invert}: {:?}", t.minutiae);
        let m = near(&t, 80.0, 80.0, 8.0);
        assert_eq!(m.len(), 1, "invert={invert}: {:?}", t.minutiae);
        assert!(
            direction_error(m[0].direction, 0) <= 16,
            "direction {}",
            m[0].direction
        );
        kinds.push(m[0].kind);
    }
    assert_ne!(
        kinds[0], kinds[1],
        "inverting must swap ending and bifurcation"
    );
}

#[test]
fn direction_follows_rotation() {
    // The same dislocation transposed: the extra ridge runs toward +y,
    // which is a quarter turn clockwise on screen: direction 192.
    let img = dislocation(160, 160, 80.0, 80.0, 9.0, false);
    let mut px = vec![0u8; 160 * 160];
    for y in 0..160 {
        for x in 0..160 {
            px[y * 160 + x] = img.get(y, x);
        }
    }
    let t = extract(&GrayImage::new(160, 160, px).unwrap()).template;
    let m = near(&t, 80.0, 80.0, 8.0);
    assert_eq!(m.len(), 1, "{:?}", t.minutiae);
    assert!(
        direction_error(m[0].direction, 192) <= 16,
        "direction {}",
        m[0].direction
    );
}

#[test]
fn plain_ridges_have_no_minutiae() {
    let img = dislocation(160, 160, -1000.0, 80.0, 9.0, false);
    let t = extract(&img).template;
    assert!(t.minutiae.is_empty(), "{:?}", t.minutiae);
}

#[test]
fn blank_image_has_nothing() {
    let e = extract(&GrayImage::filled(200, 200, 255));
    assert!(e.template.minutiae.is_empty());
    assert_eq!(e.summary.foreground_blocks, 0);
}

#[test]
fn noise_is_not_a_finger() {
    // Deterministic white noise: high contrast but no orientation.
    let mut s = 12345u32;
    let px: Vec<u8> = (0..200 * 200)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 24) as u8
        })
        .collect();
    let e = extract(&GrayImage::new(200, 200, px).unwrap());
    assert!(
        e.template.minutiae.len() < 10,
        "{}",
        e.template.minutiae.len()
    );
}

#[test]
fn direction_encoding_is_counter_clockwise() {
    assert_eq!(to_direction(0.0), 0);
    // Pointing up the screen (-y) is a quarter turn counter-clockwise.
    assert_eq!(to_direction(-std::f32::consts::FRAC_PI_2), 64);
    assert_eq!(to_direction(std::f32::consts::FRAC_PI_2), 192);
}
