//! A face capture as `enroll_any` and `verify_any` take it: the engine's
//! quality, feedback and box, and the [`FaceTemplate`] made from its
//! embedding (the embedding itself is wiped once the template is made).
//!
//! It implements [`Biometric`]: usable when the engine found one face it
//! could use (a template); else `enroll` and `verify` refuse it with
//! `LOW_QUALITY`. Scores are [`crate::matcher::face_score`]'s (cosine
//! clamped at 0), the scale of [`crate::matcher::FACE_DEFAULT_THRESHOLD`].

use super::capture::{FaceBox, FaceCapture, FaceEngine};
use super::frame::Frame;
use super::quality::Feedback;
use crate::api::biometric::{Biometric, TemplateRef, TemplateSource};
use crate::error::Result;
use crate::template::FaceTemplate;

/// One face capture, ready to enroll or verify. Its template is zeroized
/// on drop; its `Debug` shows no values.
///
/// ```no_run
/// use sealmatch::api::{enroll_any, Biometric};
/// use sealmatch::face::capture::{FaceEngine, FaceOptions};
/// use sealmatch::face::sample::FaceSample;
/// use sealmatch::EnrollOptions;
/// # let (weights, w, h, rgba) = (Vec::<u8>::new(), 640, 480, vec![0u8; 640 * 480 * 4]);
/// let engine = FaceEngine::new(&weights, FaceOptions::default())?;
/// let face = FaceSample::from_rgba(&engine, w, h, &rgba)?;
/// if face.is_usable() {
///     let e = enroll_any(&[&face], &EnrollOptions::new("0117123456", "SK1415"))?;
/// }
/// # Ok::<(), sealmatch::Error>(())
/// ```
#[derive(Debug)]
pub struct FaceSample {
    quality: u8,
    feedback: Vec<Feedback>,
    face_box: Option<FaceBox>,
    template: Option<FaceTemplate>,
}

impl FaceSample {
    /// Runs the whole pipeline on an RGBA frame (`INVALID_IMAGE` for a
    /// frame outside [`Frame::new`]'s bounds).
    pub fn from_rgba(
        engine: &FaceEngine,
        width: usize,
        height: usize,
        rgba: &[u8],
    ) -> Result<FaceSample> {
        let frame = Frame::new(width, height, rgba)?;
        Ok(FaceSample::from_capture(engine.run(&frame, true)))
    }

    /// Keeps the engine's result; its embedding becomes the template (and
    /// is wiped with the capture).
    pub fn from_capture(capture: FaceCapture) -> FaceSample {
        let FaceCapture {
            quality,
            feedback,
            face_box,
            embedding,
        } = capture;
        let template = embedding
            .as_ref()
            .and_then(|e| FaceTemplate::from_embedding(&e.0).ok());
        FaceSample {
            quality: if template.is_some() { quality } else { 0 },
            feedback,
            face_box,
            template,
        }
    }

    /// 0..=100 (0 when no face could be used).
    pub fn quality(&self) -> u8 {
        self.quality
    }

    /// Feedback codes for the person in front of the camera; empty when good.
    pub fn feedback(&self) -> &[Feedback] {
        &self.feedback
    }

    /// The box of the face used, in frame pixels (for a guide overlay).
    pub fn face_box(&self) -> Option<FaceBox> {
        self.face_box
    }
}

impl Biometric for FaceSample {
    /// Whether the engine found one face it could use.
    fn is_usable(&self) -> bool {
        self.template.is_some()
    }
}

impl TemplateSource for FaceSample {
    /// The capture's template; `None` for an unusable capture, which
    /// `enroll_any` and `verify_any` refuse with `LOW_QUALITY` (and sealing
    /// or matching it would refuse too): no placeholder stands in for it.
    fn template_ref(&self) -> TemplateRef<'_> {
        TemplateRef::Face(self.template.as_ref())
    }
}
