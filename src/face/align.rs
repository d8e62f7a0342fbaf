//! Alignment of a face to the canonical 150×150 chip the recognition
//! network was trained on: dlib's `get_face_chip_details` template (five
//! points: the eye corners and the base of the nose, padding 0.25), fitted
//! by a least-squares similarity transform (rotation, uniform scale,
//! translation) to the same five points of the 68-point landmarks.

use super::frame::Affine;
use super::recognition::INPUT as CHIP;

/// dlib's five-point template on the unit square (interpolation.h), in the
/// order of its 5-point model: image-right eye outer and inner corner,
/// image-left eye outer and inner corner, base of the nose.
pub const TEMPLATE: [(f32, f32); 5] = [
    (0.859_567_5, 0.213_498_15),
    (0.646_060_5, 0.228_967_44),
    (0.120_575_06, 0.213_727_45),
    (0.334_085_06, 0.229_064_24),
    (0.490_112_3, 0.627_797_5),
];
/// The 68-point landmarks (iBUG order) at the template's points.
pub const LANDMARKS: [usize; 5] = [45, 42, 36, 39, 33];
/// The border around the template, as a fraction of its size (dlib's
/// face-recognition example uses 0.25).
pub const PADDING: f32 = 0.25;

/// The least-squares similarity transform taking `from[i]` to `to[i]`.
///
/// ```
/// use sealmatch::face::align::similarity;
/// let from = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)];
/// let to = [(10.0, 5.0), (10.0, 7.0), (8.0, 5.0)]; // rotate 90°, scale 2, shift
/// let t = similarity(&from, &to);
/// let (x, y) = t.apply(1.0, 1.0);
/// assert!((x - 8.0).abs() < 1e-5 && (y - 7.0).abs() < 1e-5);
/// ```
pub fn similarity(from: &[(f32, f32)], to: &[(f32, f32)]) -> Affine {
    let n = from.len().min(to.len()) as f64;
    let mean = |p: &[(f32, f32)]| {
        let (sx, sy) = p
            .iter()
            .fold((0.0, 0.0), |(x, y), q| (x + q.0 as f64, y + q.1 as f64));
        (sx / n, sy / n)
    };
    let (fx, fy) = mean(from);
    let (gx, gy) = mean(to);
    let (mut sa, mut sb, mut norm) = (0.0, 0.0, 0.0);
    for (p, q) in from.iter().zip(to) {
        let (px, py) = (p.0 as f64 - fx, p.1 as f64 - fy);
        let (qx, qy) = (q.0 as f64 - gx, q.1 as f64 - gy);
        sa += px * qx + py * qy;
        sb += px * qy - py * qx;
        norm += px * px + py * py;
    }
    let (a, b) = if norm > 0.0 {
        (sa / norm, sb / norm)
    } else {
        (1.0, 0.0)
    };
    Affine {
        a: a as f32,
        b: -b as f32,
        c: b as f32,
        d: a as f32,
        tx: (gx - (a * fx - b * fy)) as f32,
        ty: (gy - (b * fx + a * fy)) as f32,
    }
}

/// Where the template's points fall in the chip (pixel-edge coordinates).
pub fn chip_points() -> [(f32, f32); 5] {
    let side = CHIP as f32;
    TEMPLATE.map(|(x, y)| {
        (
            (PADDING + x) / (2.0 * PADDING + 1.0) * side,
            (PADDING + y) / (2.0 * PADDING + 1.0) * side,
        )
    })
}

/// The map from chip coordinates to frame coordinates for 68 landmarks
/// given in frame coordinates.
pub fn chip_transform(points: &[(f32, f32)]) -> Affine {
    let from = LANDMARKS.map(|i| points[i]);
    similarity(&chip_points(), &from)
}
