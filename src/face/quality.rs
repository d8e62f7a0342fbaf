//! Quality of a face capture (0..100) and the feedback codes shown to the
//! person in front of the camera.
//!
//! Measured on the aligned chip (lighting, sharpness), the landmarks (pose,
//! size) and the face box (position). Each problem found adds a code and
//! takes a fixed number of points off 100 ([`Feedback::penalty`]).

use super::tensor::Map;

/// What is wrong with a capture, for the guide overlay. The strings
/// ([`Feedback::as_str`]) are the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feedback {
    /// No face found.
    NoFace,
    /// More than one face: the most prominent was used (or, when none
    /// dominates, the capture was refused).
    SeveralFaces,
    /// The face is too small in the frame (eyes closer than
    /// [`MIN_EYE_DISTANCE`] pixels): come closer.
    TooSmall,
    /// The face is far from the centre of the frame.
    OffCentre,
    /// The head is turned (yaw beyond [`MAX_YAW`]) or tilted up or down
    /// (pitch outside [`PITCH_RANGE`]), as [`head_pose`] estimates it.
    Turned,
    /// The face is too dark.
    TooDark,
    /// The face is too bright (overexposed).
    TooBright,
    /// The face is blurred (motion or focus).
    Blurred,
}

impl Feedback {
    /// The stable code string, e.g. `"several_faces"`.
    ///
    /// ```
    /// use sealmatch::face::quality::Feedback;
    /// assert_eq!(Feedback::OffCentre.as_str(), "off_centre");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Feedback::NoFace => "no_face",
            Feedback::SeveralFaces => "several_faces",
            Feedback::TooSmall => "too_small",
            Feedback::OffCentre => "off_centre",
            Feedback::Turned => "turned",
            Feedback::TooDark => "too_dark",
            Feedback::TooBright => "too_bright",
            Feedback::Blurred => "blurred",
        }
    }

    /// Points this problem takes off the quality.
    pub fn penalty(self) -> u8 {
        match self {
            Feedback::NoFace => 100,
            Feedback::SeveralFaces => 10,
            Feedback::TooSmall => 25,
            Feedback::OffCentre => 10,
            Feedback::Turned => 30,
            Feedback::TooDark | Feedback::TooBright => 25,
            Feedback::Blurred => 25,
        }
    }
}

/// Below this distance between the eye centres (frame pixels), `too_small`.
/// On the development photos, genuine pairs whose smaller face is under it
/// match clearly worse (TAR at FAR 0.1 %: 86 % at 18–20 px, 73 % at 16–18,
/// against 93 % at 20–28).
pub const MIN_EYE_DISTANCE: f32 = 20.0;
/// A box centre farther than this fraction of the frame's side from the
/// centre is `off_centre`.
pub const MAX_CENTRE_OFFSET: f32 = 0.25;
/// Yaw (degrees, see [`head_pose`]) beyond which the head is `turned`.
///
/// Set where matching starts to suffer, measured on the development photos
/// (`examples/face_quality_dev.rs`; LFW `pairs-dev.tsv`, one photo of a
/// genuine pair within 10° of frontal): up to 35° of yaw the other photo
/// matches as well as a frontal one (TAR at FAR 0.1 % 91–93 %), at 35–45°
/// a little worse (88–90 %), beyond 45° much worse (75–78 %). 40° leaves a
/// margin for the estimate's error; a person looking at the camera is far
/// inside it. 3.9 % of those photos (news photographs) are beyond it.
pub const MAX_YAW: f32 = 40.0;
/// Pitch (degrees, see [`head_pose`]) outside which the head is `turned`:
/// 30° either side of -5°, the development photos' median pitch (the generic
/// head model's zero is not quite what a camera at eye level sees). Tilted
/// further up (above 25°) or down (below -35°) the genuine pairs' TAR at FAR
/// 0.1 % falls from 91–95 % to 73–86 % (few photos: 1.6 % of them).
pub const PITCH_RANGE: (f32, f32) = (-35.0, 25.0);
/// Mean luma of the face below which it is `too_dark`. No development
/// photo (news photographs, well exposed) is outside [`MIN_LUMA`]..[`MAX_LUMA`],
/// so these two limits are not set by matching.
pub const MIN_LUMA: f32 = 50.0;
/// Mean luma of the face above which it is `too_bright`.
pub const MAX_LUMA: f32 = 210.0;
/// Sharpness (see [`sharpness`]) below which the face is `blurred`. On the
/// development photos, pairs whose less sharp photo is under it match
/// clearly worse (TAR at FAR 0.1 %: 75 % at 0.05–0.06, 46 % at 0.04–0.05,
/// against 86–98 % above 0.06).
pub const MIN_SHARPNESS: f32 = 0.06;

fn centre(points: &[(f32, f32)], range: std::ops::Range<usize>) -> (f32, f32) {
    let n = range.len() as f32;
    let (x, y) = points[range]
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p.0, y + p.1));
    (x / n, y / n)
}

fn dist(a: (f32, f32), b: (f32, f32)) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Distance between the eye centres of 68 landmarks.
pub fn eye_distance(points: &[(f32, f32)]) -> f32 {
    dist(centre(points, 36..42), centre(points, 42..48))
}

/// A generic head: six landmarks (iBUG 68-point indices) at their places
/// on an average adult head, x towards the image's right, y up, z towards
/// the camera, the nose tip at the origin (arbitrary units; an outer eye
/// corner to the other is 450). This is the six-point model of S. Mallick's
/// "Head Pose Estimation using OpenCV and Dlib" (LearnOpenCV, 2016), the
/// usual generic model for pose from 68 landmarks. The points are rigid
/// (no eyebrows, no eyelids) and, but for the mouth corners, move little
/// with expression.
pub const HEAD_MODEL: [(usize, [f32; 3]); 6] = [
    (30, [0.0, 0.0, 0.0]),          // nose tip
    (8, [0.0, -330.0, -65.0]),      // chin
    (36, [-225.0, 170.0, -135.0]),  // image-left eye, outer corner
    (45, [225.0, 170.0, -135.0]),   // image-right eye, outer corner
    (48, [-150.0, -150.0, -125.0]), // image-left mouth corner
    (54, [150.0, -150.0, -125.0]),  // image-right mouth corner
];

/// A head's rotation away from facing the camera, in degrees.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pose {
    /// Turn about the vertical axis: positive when the nose points to the
    /// image's right.
    pub yaw: f32,
    /// Tilt about the horizontal axis: positive when the nose points up.
    pub pitch: f32,
}

/// The head pose of 68 landmarks: [`HEAD_MODEL`] fitted to them by least
/// squares under scaled orthographic projection (a face at arm's length is
/// shallow beside its distance from the camera), the fitted linear map made
/// the nearest scaled rotation, and the angles read from where it sends the
/// model's forward axis. Zero pose for degenerate points.
///
/// ```
/// use sealmatch::face::quality::{head_pose, HEAD_MODEL};
/// // The model seen from straight ahead (image y points down).
/// let mut points = vec![(0.0f32, 0.0f32); 68];
/// for (i, p) in HEAD_MODEL {
///     points[i] = (300.0 + p[0] / 4.0, 200.0 - p[1] / 4.0);
/// }
/// let pose = head_pose(&points);
/// assert!(pose.yaw.abs() < 0.01 && pose.pitch.abs() < 0.01);
/// ```
pub fn head_pose(points: &[(f32, f32)]) -> Pose {
    let n = HEAD_MODEL.len() as f32;
    let mean3 = HEAD_MODEL.iter().fold([0.0f32; 3], |m, (_, p)| {
        [m[0] + p[0] / n, m[1] + p[1] / n, m[2] + p[2] / n]
    });
    let (mx, my) = HEAD_MODEL.iter().fold((0.0, 0.0), |(x, y), &(i, _)| {
        (x + points[i].0 / n, y + points[i].1 / n)
    });
    // Normal equations of the 2x3 map M with x_i = M X_i (both centred,
    // image y flipped to point up): M = (sum x X^T) (sum X X^T)^-1.
    let (mut xx, mut bx, mut by) = ([[0.0f32; 3]; 3], [0.0f32; 3], [0.0f32; 3]);
    for &(i, p) in &HEAD_MODEL {
        let m = [p[0] - mean3[0], p[1] - mean3[1], p[2] - mean3[2]];
        let (u, v) = (points[i].0 - mx, my - points[i].1);
        for r in 0..3 {
            for c in 0..3 {
                xx[r][c] += m[r] * m[c];
            }
            bx[r] += u * m[r];
            by[r] += v * m[r];
        }
    }
    let Some(inv) = inverse3(&xx) else {
        return Pose::default();
    };
    let row = |b: [f32; 3]| -> [f32; 3] {
        std::array::from_fn(|c| (0..3).map(|k| b[k] * inv[k][c]).sum())
    };
    let (Some(a), Some(b)) = (unit(row(bx)), unit(row(by))) else {
        return Pose::default();
    };
    // The nearest orthonormal pair: rotate a and b apart symmetrically.
    let (Some(s), Some(d)) = (unit(add(a, b, 1.0)), unit(add(a, b, -1.0))) else {
        return Pose::default();
    };
    let r1 = add(s, d, 1.0).map(|v| v * std::f32::consts::FRAC_1_SQRT_2);
    let r2 = add(s, d, -1.0).map(|v| v * std::f32::consts::FRAC_1_SQRT_2);
    // The model's forward axis (z) in camera coordinates: the third column
    // of the rotation whose rows are r1, r2 and r1 x r2.
    let fz = r1[0] * r2[1] - r1[1] * r2[0];
    let (fx, fy) = (r1[2], r2[2]);
    Pose {
        yaw: fx.atan2(fz).to_degrees(),
        pitch: fy.atan2(fx.hypot(fz)).to_degrees(),
    }
}

fn add(a: [f32; 3], b: [f32; 3], sign: f32) -> [f32; 3] {
    [a[0] + sign * b[0], a[1] + sign * b[1], a[2] + sign * b[2]]
}

fn unit(v: [f32; 3]) -> Option<[f32; 3]> {
    let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    (n.is_finite() && n > 1e-9).then(|| v.map(|x| x / n))
}

fn inverse3(m: &[[f32; 3]; 3]) -> Option<[[f32; 3]; 3]> {
    let cof = |r: usize, c: usize| {
        let (r0, r1) = ((r + 1) % 3, (r + 2) % 3);
        let (c0, c1) = ((c + 1) % 3, (c + 2) % 3);
        m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]
    };
    let det: f32 = (0..3).map(|c| m[0][c] * cof(0, c)).sum();
    (det.abs() > 1e-9).then(|| std::array::from_fn(|r| std::array::from_fn(|c| cof(c, r) / det)))
}

/// Mean luma (0..255) of the chip's central region (the face).
pub fn luma(chip: &Map) -> f32 {
    let (y0, y1, x0, x1) = face_region(chip);
    let mut sum = 0.0;
    for y in y0..y1 {
        for x in x0..x1 {
            sum += luma_at(chip, y, x);
        }
    }
    sum / ((y1 - y0) * (x1 - x0)) as f32
}

fn face_region(chip: &Map) -> (usize, usize, usize, usize) {
    (
        chip.h * 3 / 10,
        chip.h * 8 / 10,
        chip.w * 3 / 10,
        chip.w * 7 / 10,
    )
}

fn luma_at(chip: &Map, y: usize, x: usize) -> f32 {
    let p = chip.pixel(y, x);
    0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]
}

/// Mean absolute Laplacian over the standard deviation of luma, in the
/// chip's central region: contrast-independent, low when blurred.
pub fn sharpness(chip: &Map) -> f32 {
    let (y0, y1, x0, x1) = face_region(chip);
    let (mut lap, mut sum, mut sq, mut n) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for y in y0..y1 {
        for x in x0..x1 {
            let c = luma_at(chip, y, x);
            let l = 4.0 * c
                - luma_at(chip, y - 1, x)
                - luma_at(chip, y + 1, x)
                - luma_at(chip, y, x - 1)
                - luma_at(chip, y, x + 1);
            lap += l.abs();
            sum += c;
            sq += c * c;
            n += 1.0;
        }
    }
    let var = (sq / n - (sum / n).powi(2)).max(0.0);
    (lap / n) / (var.sqrt() + 1.0)
}

/// The feedback for a located, aligned face. `frame` is (width, height);
/// `centre` the face box centre.
pub fn assess(
    points: &[(f32, f32)],
    chip: &Map,
    frame: (f32, f32),
    centre: (f32, f32),
) -> Vec<Feedback> {
    let mut found = Vec::new();
    if eye_distance(points) < MIN_EYE_DISTANCE {
        found.push(Feedback::TooSmall);
    }
    let off = ((centre.0 / frame.0 - 0.5).abs()).max((centre.1 / frame.1 - 0.5).abs());
    if off > MAX_CENTRE_OFFSET {
        found.push(Feedback::OffCentre);
    }
    let pose = head_pose(points);
    if pose.yaw.abs() > MAX_YAW || pose.pitch < PITCH_RANGE.0 || pose.pitch > PITCH_RANGE.1 {
        found.push(Feedback::Turned);
    }
    let l = luma(chip);
    if l < MIN_LUMA {
        found.push(Feedback::TooDark);
    } else if l > MAX_LUMA {
        found.push(Feedback::TooBright);
    }
    if sharpness(chip) < MIN_SHARPNESS {
        found.push(Feedback::Blurred);
    }
    found
}

/// 100 minus the penalties of the feedback, at least 0.
pub fn score(feedback: &[Feedback]) -> u8 {
    let lost: u32 = feedback.iter().map(|f| f.penalty() as u32).sum();
    100u32.saturating_sub(lost) as u8
}
