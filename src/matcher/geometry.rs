//! Angles and points in the matcher's own frame.
//!
//! Templates store y pointing down and directions counter-clockwise in 1/256
//! turns. The matcher flips y once (`y_math = -y`), so every angle below is an
//! ordinary counter-clockwise angle in radians and `atan2` agrees with the
//! template's directions.

use std::f32::consts::{PI, TAU};

/// One 1/256 turn, in radians.
pub(crate) const DIR_UNIT: f32 = TAU / 256.0;

/// `a` wrapped into `[-π, π]`.
#[inline]
pub(crate) fn wrap_pi(a: f32) -> f32 {
    // `a % TAU` is `a` itself when |a| < TAU (fmod is exact): skip the libm
    // call in that, the usual, case.
    let mut r = if a.abs() < TAU { a } else { a % TAU };
    if r < -PI {
        r += TAU;
    } else if r >= PI {
        r -= TAU;
    }
    r
}

/// Signed difference `b - a` of two template directions, in radians, `[-π, π)`.
#[inline]
pub(crate) fn dir_diff(a: u8, b: u8) -> f32 {
    (b.wrapping_sub(a) as i8) as f32 * DIR_UNIT
}

/// `atan2(y, x)` to within about 0.005 rad, without a libm call.
#[inline]
pub(crate) fn fast_atan2(y: f32, x: f32) -> f32 {
    let ax = x.abs();
    let ay = y.abs();
    // Plain comparisons, not `f32::max`/`min`: both are non-negative and not
    // NaN here, and WebAssembly builds turn those into library calls (for
    // their NaN rules).
    let (mn, mx) = if ax > ay { (ay, ax) } else { (ax, ay) };
    if mx == 0.0 {
        return 0.0;
    }
    let a = mn / mx;
    let s = a * a;
    // Minimax polynomial for atan on [0, 1].
    let mut r = ((-0.046_496_473 * s + 0.159_314_22) * s - 0.327_622_77) * s * a + a;
    if ay > ax {
        r = PI / 2.0 - r;
    }
    if x < 0.0 {
        r = PI - r;
    }
    if y < 0.0 {
        -r
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atan2_is_close_to_libm() {
        for i in 0..360 {
            let a = (i as f32).to_radians();
            for r in [0.5f32, 3.0, 100.0] {
                let (y, x) = (r * a.sin(), r * a.cos());
                let d = wrap_pi(fast_atan2(y, x) - y.atan2(x)).abs();
                assert!(d < 0.006, "angle {i}: {d}");
            }
        }
        assert_eq!(fast_atan2(0.0, 0.0), 0.0);
    }

    #[test]
    fn wrap_and_diff() {
        assert!((wrap_pi(3.0 * PI).abs() - PI).abs() < 1e-5);
        assert!((wrap_pi(0.25 + 2.0 * TAU) - 0.25).abs() < 1e-5);
        assert!((wrap_pi(-0.25 - TAU) + 0.25).abs() < 1e-5);
        assert!((dir_diff(250, 6) - 12.0 * DIR_UNIT).abs() < 1e-6);
        assert!((dir_diff(6, 250) + 12.0 * DIR_UNIT).abs() < 1e-6);
    }
}
