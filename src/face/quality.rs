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
    /// The head is turned (yaw) or tilted up or down (pitch).
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
pub const MIN_EYE_DISTANCE: f32 = 20.0;
/// A box centre farther than this fraction of the frame's side from the
/// centre is `off_centre`.
pub const MAX_CENTRE_OFFSET: f32 = 0.25;
/// Yaw measure (see [`yaw`]) beyond which the head is `turned`.
pub const MAX_YAW: f32 = 0.45;
/// Pitch measure (see [`pitch`]) outside which the head is `turned`.
pub const PITCH_RANGE: (f32, f32) = (0.55, 1.9);
/// Mean luma of the face below which it is `too_dark`.
pub const MIN_LUMA: f32 = 50.0;
/// Mean luma of the face above which it is `too_bright`.
pub const MAX_LUMA: f32 = 210.0;
/// Sharpness (see [`sharpness`]) below which the face is `blurred`.
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

/// Left-right asymmetry of the nose tip (30) between the jaw's sides (2,
/// 14): 0 for a frontal face, towards ±1 when turned.
pub fn yaw(points: &[(f32, f32)]) -> f32 {
    let (l, r) = (dist(points[30], points[2]), dist(points[30], points[14]));
    (l - r) / (l + r).max(1e-6)
}

/// Eyes-to-nose-tip over nose-tip-to-mouth distance: about 1.1 for a frontal
/// face, smaller when the head tilts down, larger when it tilts up.
pub fn pitch(points: &[(f32, f32)]) -> f32 {
    let eyes = centre(points, 36..48);
    let mouth = centre(points, 48..68);
    dist(eyes, points[30]) / dist(points[30], mouth).max(1e-6)
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
    let p = pitch(points);
    if yaw(points).abs() > MAX_YAW || p < PITCH_RANGE.0 || p > PITCH_RANGE.1 {
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
