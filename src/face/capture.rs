//! The face pipeline: frame → detection → the most prominent face →
//! landmarks → aligned chip → quality and feedback → embedding.

use super::align;
use super::detector::{Detection, TinyFaceDetector};
use super::frame::{Affine, Frame};
use super::landmarks::{self, LandmarkNet};
use super::quality::{self, Feedback};
use super::recognition::{self, RecognitionNet};
use super::weights::Weights;
use crate::error::Result;
use zeroize::Zeroize;

/// How the face is cut out for the recognition network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alignment {
    /// dlib's five-point similarity transform ([`align`]).
    Dlib,
    /// dlib's similarity transform fitted to 68-point landmarks and its mean face.
    Dlib68,
    /// face-api.js's: the landmarks' bounding box, padded, axis-aligned.
    LandmarkBox,
}

/// A face whose box is smaller than this (pixels of the frame) is refused
/// with `too_small`: too little detail for the 150×150 chip.
pub const MIN_FACE_SIDE: f32 = 32.0;

/// One run of the detector over the frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DetectorPass {
    /// Black border added on each side of the working copy, as a fraction of
    /// its sides: faces that fill the frame are found better when smaller.
    pub padding: f32,
    /// Side of the detector's input (a multiple of 32).
    pub size: usize,
}

/// The most detector passes tried on one frame.
pub const MAX_DETECTOR_PASSES: usize = 3;

/// Tunable choices of the pipeline (defaults chosen by measurement on the
/// development pairs; see the face evaluation example).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FaceOptions {
    /// Detector passes, tried in order until one finds a face.
    pub detector_passes: [Option<DetectorPass>; MAX_DETECTOR_PASSES],
    /// Detections scoring below this are ignored.
    pub min_score: f32,
    /// The tiny landmark network instead of the full one.
    pub tiny_landmarks: bool,
    /// How the chip is cut.
    pub alignment: Alignment,
    /// A second prominent face whose prominence is at least this fraction of
    /// the first's means no face dominates: the capture is refused.
    pub dominance: f32,
    /// How much a face's distance from the frame's centre lowers its
    /// prominence: `sqrt(visible area) * (1 - centre_weight * d)`, `d` the distance
    /// over half the frame's diagonal (0 at the centre, 1 in a corner).
    pub centre_weight: f32,
    /// When set, the chosen face is detected again in a square crop of this
    /// many times its box's side, centred on it, at 320 pixels: the face
    /// then has the same size in the detector's input whatever the frame,
    /// which gives the landmark network consistent boxes.
    pub refine: Option<f32>,
    /// How many times the face is detected again (each from the last box).
    pub refine_passes: usize,
    /// Landmark passes: the second one re-crops around the first's points.
    pub landmark_passes: usize,
}

impl Default for FaceOptions {
    fn default() -> Self {
        FaceOptions {
            // Measured with examples/face_passes_dev.rs (1,104 dev photos,
            // each also in a 640x480 and a 1280x720 frame, face 15-60 % of
            // the height): 0.25:320 finds the face in 99.0 % of LFW photos
            // (faces filling the frame), 0:416 then catches most small faces
            // of webcam frames, 0.5:320 the rest of the photos. Same
            // detection as 0.25:320, 0.5:320, 0:416 on all three kinds of
            // input, 7 % (640x480) and 12 % (1280x720) less detection time.
            detector_passes: [
                Some(DetectorPass {
                    padding: 0.25,
                    size: 320,
                }),
                Some(DetectorPass {
                    padding: 0.0,
                    size: 416,
                }),
                Some(DetectorPass {
                    padding: 0.5,
                    size: 320,
                }),
            ],
            min_score: 0.5,
            tiny_landmarks: true,
            alignment: Alignment::Dlib,
            dominance: 0.8,
            centre_weight: 0.75,
            refine: Some(3.3),
            refine_passes: 1,
            landmark_passes: 1,
        }
    }
}

/// A face's box in frame pixels, for a guide overlay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FaceBox {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// An L2-normalised 128-d face embedding, wiped on drop.
#[derive(Clone, PartialEq)]
pub struct Embedding(pub [f32; recognition::DIM]);

impl std::fmt::Debug for Embedding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Embedding(..)")
    }
}

impl Drop for Embedding {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Embedding {
    /// Normalises a raw descriptor to unit length.
    pub fn from_raw(raw: &[f32]) -> Embedding {
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
        let mut e = [0.0; recognition::DIM];
        e.iter_mut().zip(raw).for_each(|(d, v)| *d = v / norm);
        Embedding(e)
    }

    /// Similarity on 0..1, higher is more alike: the cosine of the two
    /// embeddings' angle, negative values as 0 (the scale of
    /// [`crate::matcher::face_score`] and the face thresholds).
    ///
    /// ```
    /// use sealmatch::face::capture::Embedding;
    /// let mut v = [0.0f32; 128];
    /// v[0] = 3.0;
    /// let a = Embedding::from_raw(&v);
    /// assert_eq!(a.score(&a), 1.0);
    /// v[0] = -1.0;
    /// assert_eq!(a.score(&Embedding::from_raw(&v)), 0.0);
    /// ```
    pub fn score(&self, other: &Embedding) -> f32 {
        let cos: f32 = self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum();
        cos.clamp(0.0, 1.0)
    }
}

/// The result of one capture: quality, feedback, the face used and, when a
/// face could be used, its embedding.
#[derive(Debug)]
pub struct FaceCapture {
    /// 0..100.
    pub quality: u8,
    /// Empty when good.
    pub feedback: Vec<Feedback>,
    /// The box of the face used (None when none was).
    pub face_box: Option<FaceBox>,
    /// The embedding (None when the capture was refused).
    pub embedding: Option<Embedding>,
}

impl FaceCapture {
    fn refused(feedback: Feedback, face_box: Option<FaceBox>) -> FaceCapture {
        FaceCapture {
            quality: 0,
            feedback: vec![feedback],
            face_box,
            embedding: None,
        }
    }
}

/// The three networks and the pipeline's options.
#[derive(Clone, Debug)]
pub struct FaceEngine {
    detector: TinyFaceDetector,
    landmarks: LandmarkNet,
    recognition: RecognitionNet,
    /// The options in force.
    pub options: FaceOptions,
}

/// A located face: its detection (frame pixels) and whether others were seen.
struct Located {
    face: Detection,
    several: bool,
}

enum Choice {
    None,
    Ambiguous(Detection),
    One(Located),
}

impl FaceEngine {
    /// Loads the networks from a weights file (see [`super::weights`]).
    pub fn new(file: &[u8], options: FaceOptions) -> Result<FaceEngine> {
        let mut w = Weights::parse(file)?;
        Ok(FaceEngine {
            detector: TinyFaceDetector::from_weights(&mut w)?,
            landmarks: LandmarkNet::from_weights(&mut w, options.tiny_landmarks)?,
            recognition: RecognitionNet::from_weights(&mut w)?,
            options,
        })
    }

    /// The faces above the score threshold, in frame pixels, strongest
    /// first, from the first detector pass that finds any.
    pub fn detect(&self, frame: &Frame) -> Vec<Detection> {
        for pass in self.options.detector_passes.iter().flatten() {
            let found = self.detect_pass(frame, pass);
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// One detector pass. As face-api does, the (padded) frame is placed in
    /// the top left corner of a black square, here sampled straight from the
    /// frame at the network's size (averaging when it shrinks).
    fn detect_pass(&self, frame: &Frame, pass: &DetectorPass) -> Vec<Detection> {
        let (w, h) = (frame.width() as f32, frame.height() as f32);
        let (px, py) = ((w * pass.padding).round(), (h * pass.padding).round());
        let side = (w + 2.0 * px).max(h + 2.0 * py);
        let square = frame.warp(&Affine::square(-px, -py, side, pass.size), pass.size);
        let s = side / pass.size as f32;
        self.detector
            .detect_square(&square, self.options.min_score)
            .into_iter()
            .map(|d| Detection {
                x: d.x * s - px,
                y: d.y * s - py,
                width: d.width * s,
                height: d.height * s,
                ..d
            })
            .collect()
    }

    fn choose(&self, frame: &Frame, dets: &[Detection]) -> Choice {
        let (w, h) = (frame.width() as f32, frame.height() as f32);
        let prominence = |d: &Detection| {
            let (cx, cy) = (d.x + d.width / 2.0, d.y + d.height / 2.0);
            let off = ((cx / w - 0.5).powi(2) + (cy / h - 0.5).powi(2)).sqrt() / 0.5f32.hypot(0.5);
            // The part of the box inside the frame: a face cut by the edge counts less.
            let vw = ((d.x + d.width).min(w) - d.x.max(0.0)).max(0.0);
            let vh = ((d.y + d.height).min(h) - d.y.max(0.0)).max(0.0);
            (vw * vh).sqrt() * (1.0 - self.options.centre_weight * off.min(1.0))
        };
        let mut ranked: Vec<(f32, Detection)> = dets.iter().map(|d| (prominence(d), *d)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        match ranked.as_slice() {
            [] => Choice::None,
            [(_, d)] => Choice::One(Located {
                face: *d,
                several: false,
            }),
            [(p1, d), (p2, _), ..] if *p2 < self.options.dominance * p1 => Choice::One(Located {
                face: *d,
                several: true,
            }),
            [(_, d), ..] => Choice::Ambiguous(*d),
        }
    }

    /// The face `d` detected again in a crop `k` times its size (see
    /// [`FaceOptions::refine`]); `d` itself when the crop shows no face at
    /// its centre.
    pub fn refine(&self, frame: &Frame, d: &Detection, k: f32) -> Detection {
        const SIZE: usize = 320;
        let side = d.width.max(d.height) * k;
        let (x0, y0) = (
            d.x + d.width / 2.0 - side / 2.0,
            d.y + d.height / 2.0 - side / 2.0,
        );
        let crop = frame.warp(&Affine::square(x0, y0, side, SIZE), SIZE);
        let s = side / SIZE as f32;
        let c = SIZE as f32 / 2.0;
        self.detector
            .detect_square(&crop, self.options.min_score)
            .into_iter()
            .filter(|e| e.x < c && e.x + e.width > c && e.y < c && e.y + e.height > c)
            .min_by(|a, b| {
                let dist =
                    |e: &Detection| (e.x + e.width / 2.0 - c).hypot(e.y + e.height / 2.0 - c);
                dist(a).total_cmp(&dist(b))
            })
            .map_or(*d, |e| Detection {
                x: x0 + e.x * s,
                y: y0 + e.y * s,
                width: e.width * s,
                height: e.height * s,
                ..e
            })
    }

    /// The 68 landmarks (frame pixels) of a detected face.
    pub fn landmarks(&self, frame: &Frame, d: &Detection) -> Vec<(f32, f32)> {
        let side = d.width.max(d.height);
        let mut points = self.landmarks_in(frame, d.x + d.width / 2.0, d.y + d.height / 2.0, side);
        for _ in 1..self.options.landmark_passes {
            let (x0, y0, x1, y1) = bounds(&points);
            // The detector's boxes are about 1.15 times the landmarks' extent.
            let side = (x1 - x0).max(y1 - y0) * 1.15;
            let next = self.landmarks_in(frame, (x0 + x1) / 2.0, (y0 + y1) / 2.0, side);
            wipe(&mut points);
            points = next;
        }
        points
    }

    /// The landmarks found in the square of side `side` centred at `(cx, cy)`.
    fn landmarks_in(&self, frame: &Frame, cx: f32, cy: f32, side: f32) -> Vec<(f32, f32)> {
        let (x0, y0) = (cx - side / 2.0, cy - side / 2.0);
        let crop = frame.warp(
            &Affine::square(x0, y0, side, landmarks::INPUT),
            landmarks::INPUT,
        );
        let mut rel = self.landmarks.forward(&LandmarkNet::input(&crop));
        let points = rel
            .chunks_exact(2)
            .map(|p| (x0 + p[0] * side, y0 + p[1] * side))
            .collect();
        rel.zeroize();
        points
    }

    /// The map from the 150×150 chip to the frame for these landmarks.
    pub fn chip_transform(&self, points: &[(f32, f32)]) -> Affine {
        match self.options.alignment {
            Alignment::Dlib => align::chip_transform(points),
            Alignment::Dlib68 => align::chip_transform_68(points),
            Alignment::LandmarkBox => {
                let (x0, y0, x1, y1) = bounds(points);
                let (w, h) = ((x1 - x0) * 1.2, (y1 - y0) * 1.2);
                let side = w.max(h);
                let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
                Affine::square(cx - side / 2.0, cy - side / 2.0, side, recognition::INPUT)
            }
        }
    }

    /// Runs the whole pipeline on a frame; `with_embedding = false` stops
    /// after quality (the live guidance loop).
    pub fn run(&self, frame: &Frame, with_embedding: bool) -> FaceCapture {
        let dets = self.detect(frame);
        let located = match self.choose(frame, &dets) {
            Choice::None => return FaceCapture::refused(Feedback::NoFace, None),
            Choice::Ambiguous(d) => {
                return FaceCapture::refused(Feedback::SeveralFaces, Some(face_box(&d)))
            }
            Choice::One(l) => l,
        };
        let mut d = located.face;
        if let Some(k) = self.options.refine {
            for _ in 0..self.options.refine_passes {
                d = self.refine(frame, &d, k);
            }
        }
        if d.width.max(d.height) < MIN_FACE_SIDE {
            return FaceCapture::refused(Feedback::TooSmall, Some(face_box(&d)));
        }
        let mut points = self.landmarks(frame, &d);
        let chip = frame.warp(&self.chip_transform(&points), recognition::INPUT);
        let centre = (d.x + d.width / 2.0, d.y + d.height / 2.0);
        let mut feedback = quality::assess(
            &points,
            &chip,
            (frame.width() as f32, frame.height() as f32),
            centre,
        );
        if located.several {
            feedback.insert(0, Feedback::SeveralFaces);
        }
        let embedding = with_embedding.then(|| {
            let mut raw = self.recognition.forward(&RecognitionNet::input(&chip));
            let e = Embedding::from_raw(&raw);
            raw.zeroize();
            e
        });
        wipe(&mut points);
        FaceCapture {
            quality: quality::score(&feedback),
            feedback,
            face_box: Some(face_box(&d)),
            embedding,
        }
    }
}

/// Overwrites landmarks (derived from a face) before they are freed.
fn wipe(points: &mut [(f32, f32)]) {
    for p in points {
        p.0.zeroize();
        p.1.zeroize();
    }
}

/// (left, top, right, bottom) of points.
fn bounds(points: &[(f32, f32)]) -> (f32, f32, f32, f32) {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in points {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    (x0, y0, x1, y1)
}

fn face_box(d: &Detection) -> FaceBox {
    FaceBox {
        x: d.x,
        y: d.y,
        width: d.width,
        height: d.height,
    }
}
