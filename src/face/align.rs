//! Alignment of a face to the canonical 150×150 chip the recognition
//! network was trained on: dlib's `get_face_chip_details` template (five
//! points: the eye corners and the base of the nose, padding 0.25), fitted
//! by a least-squares similarity transform (rotation, uniform scale,
//! translation) to the same five points of the 68-point landmarks.

use super::frame::Affine;
use super::recognition::INPUT as CHIP;
use zeroize::Zeroize;

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

/// dlib's mean face (`get_face_chip_details` for 68-point shapes): x and y
/// of landmarks 17..=67 on the unit square.
#[rustfmt::skip]
pub const MEAN_FACE_X: [f32; 51] = [
    0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
    0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
    0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
    0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
    0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
    0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
    0.553364, 0.490127, 0.42689,
];
/// See [`MEAN_FACE_X`].
#[rustfmt::skip]
pub const MEAN_FACE_Y: [f32; 51] = [
    0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
    0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
    0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
    0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
    0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
    0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
    0.784792, 0.824182, 0.831803, 0.824182,
];

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

/// A unit-square point's place in the chip (pixel-edge coordinates).
fn in_chip((x, y): (f32, f32)) -> (f32, f32) {
    let side = CHIP as f32;
    (
        (PADDING + x) / (2.0 * PADDING + 1.0) * side,
        (PADDING + y) / (2.0 * PADDING + 1.0) * side,
    )
}

/// Where the template's points fall in the chip (pixel-edge coordinates).
pub fn chip_points() -> [(f32, f32); 5] {
    TEMPLATE.map(in_chip)
}

/// The map from chip to frame fitted, as dlib does for 68-point shapes, to
/// landmarks 17..=67 but the lower lip (55..=59, 65..=67) and the mean face.
/// Its copy of the landmarks is wiped before it is freed.
pub fn chip_transform_68(points: &[(f32, f32)]) -> Affine {
    let used = (17..68).filter(|i| !(55..=59).contains(i) && !(65..=67).contains(i));
    let (from, mut to): (Vec<_>, Vec<_>) = used
        .map(|i| {
            (
                in_chip((MEAN_FACE_X[i - 17], MEAN_FACE_Y[i - 17])),
                points[i],
            )
        })
        .unzip();
    let t = similarity(&from, &to);
    for p in &mut to {
        p.0.zeroize();
        p.1.zeroize();
    }
    t
}

/// The map from chip coordinates to frame coordinates for 68 landmarks
/// given in frame coordinates.
pub fn chip_transform(points: &[(f32, f32)]) -> Affine {
    let from = LANDMARKS.map(|i| points[i]);
    similarity(&chip_points(), &from)
}
