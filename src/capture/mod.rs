//! Capture processing: image in, quality and template out.
//!
//! SKELETON — the extraction work replaces the internals; the public shape
//! (`Capture::from_gray`, `from_rgba`, `quality`, `feedback`, `minutiae_count`,
//! `template`, `is_usable`) is what `api` and `wasm` code against.

use crate::error::{err, ErrorCode, Result};
use crate::template::Template;

pub mod render;

/// Machine-readable capture feedback; [`Feedback::as_str`] gives the JS code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feedback {
    /// Nothing on the image.
    Blank,
    /// Too dark overall.
    TooDark,
    /// Too light overall.
    TooLight,
    /// Ridges and valleys hard to tell apart.
    LowContrast,
    /// Too little finger area.
    TooSmall,
    /// The finger is far from the centre of the image.
    OffCenter,
}

impl Feedback {
    /// The stable code, e.g. `"too_dark"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Feedback::Blank => "blank",
            Feedback::TooDark => "too_dark",
            Feedback::TooLight => "too_light",
            Feedback::LowContrast => "low_contrast",
            Feedback::TooSmall => "too_small",
            Feedback::OffCenter => "off_center",
        }
    }
}

/// A processed capture. Holds the template privately; it never leaves the library.
pub struct Capture {
    template: Template,
    quality: u8,
    feedback: Vec<Feedback>,
}

impl Capture {
    /// From 8-bit grey pixels, row-major.
    pub fn from_gray(width: u32, height: u32, pixels: &[u8], dpi: u32) -> Result<Capture> {
        let _ = (width, height, pixels, dpi);
        err(
            ErrorCode::InvalidImage,
            "capture processing is not built yet",
        )
    }

    /// From RGBA pixels (4 bytes a pixel), as canvas `ImageData` holds them.
    pub fn from_rgba(width: u32, height: u32, rgba: &[u8], dpi: u32) -> Result<Capture> {
        let _ = (width, height, rgba, dpi);
        err(
            ErrorCode::InvalidImage,
            "capture processing is not built yet",
        )
    }

    /// Quality 0..=100.
    pub fn quality(&self) -> u8 {
        self.quality
    }

    /// Empty when the capture is good.
    pub fn feedback(&self) -> &[Feedback] {
        &self.feedback
    }

    /// Number of minutiae found.
    pub fn minutiae_count(&self) -> usize {
        self.template.minutiae.len()
    }

    /// Whether the capture is good enough to enroll or verify (else `LOW_QUALITY`).
    pub fn is_usable(&self) -> bool {
        false
    }

    /// Matching score of this capture (the probe) against 1–3 enrolled captures,
    /// on the scale of [`crate::matcher`]. Only a number leaves: this is what
    /// benchmarks and tests compare without sealing a token each time.
    pub fn score_against(&self, enrolled: &[&Capture]) -> f32 {
        let templates: Vec<Template> = enrolled.iter().map(|c| c.template.clone()).collect();
        crate::matcher::score_enrollment(&self.template, &templates)
    }

    /// The template; crate-private so it never leaves the library.
    pub(crate) fn template(&self) -> &Template {
        &self.template
    }

    /// A capture from its parts, for unit tests of code that takes captures.
    #[cfg(test)]
    pub(crate) fn from_parts(template: Template, quality: u8, feedback: Vec<Feedback>) -> Capture {
        Capture {
            template,
            quality,
            feedback,
        }
    }
}
