//! Capture processing: image in, quality and template out.
//!
//! A capture is validated ([`validate`]: sizes, buffer, resolution), made
//! grey, normalised to 500 dpi ([`resample`]), run through the extractor
//! ([`crate::extract`]) and scored ([`quality`]).
//!
//! Accepted input (else `INVALID_IMAGE`): sides of [`MIN_SIDE`]..=[`MAX_SIDE`]
//! pixels, resolution [`MIN_DPI`]..=[`MAX_DPI`] dpi, and at 500 dpi sides of
//! [`MIN_SIDE`]..=[`MAX_NORMALIZED_SIDE`] pixels; the buffer must hold exactly
//! `width * height` grey bytes (or `4 * width * height` RGBA bytes).

mod quality;
mod resample;
mod validate;

use crate::error::Result;
use crate::image::GrayImage;
use crate::matcher::Prepared;
use crate::template::Template;

pub mod render;

pub(crate) use validate::normalized_side;
pub use validate::{MAX_DPI, MAX_NORMALIZED_SIDE, MAX_SIDE, MIN_DPI, MIN_SIDE, TARGET_DPI};

/// Fewest minutiae a usable capture has (see [`Capture::is_usable`]).
pub const MIN_USABLE_MINUTIAE: usize = 6;
/// Lowest quality a usable capture has (see [`Capture::is_usable`]).
pub const MIN_USABLE_QUALITY: u8 = 10;

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
    /// Few minutiae found (a partial, smudged or very dry print).
    FewFeatures,
    /// Contrast but no ridge flow: not a fingerprint (noise, text, fabric).
    NoRidges,
}

impl Feedback {
    /// The stable code, e.g. `"too_dark"`.
    ///
    /// ```
    /// use sealmatch::capture::Feedback;
    /// assert_eq!(Feedback::LowContrast.as_str(), "low_contrast");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Feedback::Blank => "blank",
            Feedback::TooDark => "too_dark",
            Feedback::TooLight => "too_light",
            Feedback::LowContrast => "low_contrast",
            Feedback::TooSmall => "too_small",
            Feedback::OffCenter => "off_center",
            Feedback::FewFeatures => "few_features",
            Feedback::NoRidges => "no_ridges",
        }
    }
}

/// A processed capture. Holds the template privately; it never leaves the library.
pub struct Capture {
    template: Template,
    /// The template's local structures for matching, built once here so a
    /// verification prepares only the enrolled side (zeroized on drop).
    prepared: Prepared,
    quality: u8,
    feedback: Vec<Feedback>,
    /// The image at 500 dpi, kept only for [`Capture::render_features`];
    /// wiped when the capture is dropped. Blank for a capture made from a
    /// minutiae record.
    image: GrayImage,
    /// Whether [`Capture::render_features`] marks the minutiae: not for a
    /// capture made from a record, whose blank image would show them alone.
    marks_features: bool,
}

impl Drop for Capture {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.image.pixels_mut().zeroize();
    }
}

impl Capture {
    /// From 8-bit grey pixels, row-major, scanned at `dpi`. Runs the whole
    /// extraction, so quality, feedback and minutiae count are ready at once.
    /// `INVALID_IMAGE` when sizes, buffer or dpi are outside the bounds in the
    /// module documentation; a poor image is not an error (see
    /// [`Capture::is_usable`]).
    ///
    /// ```
    /// use sealmatch::Capture;
    /// // Ridges 9 px apart with one ridge ending in the middle.
    /// let (w, h) = (200u32, 200u32);
    /// let px: Vec<u8> = (0..w * h)
    ///     .map(|i| {
    ///         let (x, y) = ((i % w) as f32 - 100.0, (i / w) as f32);
    ///         let phase = y * std::f32::consts::TAU / 9.0 + (y - 100.0).atan2(x);
    ///         (128.0 + 90.0 * phase.cos()) as u8
    ///     })
    ///     .collect();
    /// let cap = Capture::from_gray(w, h, &px, 500).unwrap();
    /// assert_eq!(cap.minutiae_count(), 1);
    /// assert!(Capture::from_gray(w, h, &px[1..], 500).is_err());
    /// ```
    pub fn from_gray(width: u32, height: u32, pixels: &[u8], dpi: u32) -> Result<Capture> {
        let (nw, nh) = validate::check(width, height, pixels.len(), 1, dpi)?;
        let mut img = GrayImage::new(width as usize, height as usize, pixels.to_vec())?;
        let cap = Self::process(&img, nw, nh);
        wipe_input(&mut img);
        Ok(cap)
    }

    /// From RGBA pixels (4 bytes a pixel), as canvas `ImageData` holds them;
    /// transparent pixels count as white background.
    ///
    /// ```
    /// use sealmatch::{Capture, ErrorCode};
    /// let rgba = vec![255u8; 100 * 100 * 4];
    /// let cap = Capture::from_rgba(100, 100, &rgba, 500).unwrap();
    /// assert_eq!(cap.feedback()[0].as_str(), "blank");
    /// let e = Capture::from_rgba(100, 100, &rgba[4..], 500).err().unwrap();
    /// assert_eq!(e.code(), ErrorCode::InvalidImage);
    /// ```
    pub fn from_rgba(width: u32, height: u32, rgba: &[u8], dpi: u32) -> Result<Capture> {
        let (nw, nh) = validate::check(width, height, rgba.len(), 4, dpi)?;
        let grey = validate::rgba_to_gray(rgba);
        let mut img = GrayImage::new(width as usize, height as usize, grey)?;
        let cap = Self::process(&img, nw, nh);
        wipe_input(&mut img);
        Ok(cap)
    }

    /// From a BMP or PNG file's bytes (see [`crate::image::decode_image_file`]
    /// for the formats), decoded to grey and then exactly as
    /// [`Capture::from_gray`]. `dpi` overrides the file's own resolution
    /// (BMP pixels per metre, PNG `pHYs`); `INVALID_IMAGE` when neither gives
    /// one, and for a malformed or unsupported file.
    ///
    /// ```
    /// use sealmatch::{Capture, ErrorCode};
    /// let e = Capture::from_image_file(b"not an image", Some(500)).err().unwrap();
    /// assert_eq!(e.code(), ErrorCode::InvalidImage);
    /// ```
    pub fn from_image_file(bytes: &[u8], dpi: Option<u32>) -> Result<Capture> {
        let decoded = crate::image::decode_image_file(bytes)?;
        let mut img = decoded.image;
        let result = match dpi.or(decoded.dpi) {
            Some(dpi) => {
                Self::from_gray(img.width() as u32, img.height() as u32, img.pixels(), dpi)
            }
            None => crate::error::err(
                crate::error::ErrorCode::InvalidImage,
                "the image file states no resolution: pass dpi",
            ),
        };
        wipe_input(&mut img);
        result
    }

    /// From an ISO/IEC 19794-2:2005 or ANSI INCITS 378-2004 finger minutiae
    /// record (see [`crate::template::record`]): its first finger view,
    /// scaled to 500 dpi, seals and matches as a capture from an image does.
    /// `INVALID_IMAGE` for a malformed record.
    ///
    /// Quality is the view's finger quality; when the record gives 0 (not
    /// reported), 2.5 a minutia up to 100. Feedback is `few_features` below
    /// 12 minutiae, else empty. [`Capture::render_features`] gives a blank
    /// image: a record has no pixels, and its minutiae are not drawn alone.
    ///
    /// ```
    /// use sealmatch::{Capture, ErrorCode};
    /// let e = Capture::from_minutiae_record(b"FMR\0 20\0").err().unwrap();
    /// assert_eq!(e.code(), ErrorCode::InvalidImage);
    /// ```
    pub fn from_minutiae_record(bytes: &[u8]) -> Result<Capture> {
        let parsed = crate::template::record::parse(bytes)?;
        let count = parsed.template.minutiae.len();
        let quality = match parsed.finger_quality {
            0 => (count * 5 / 2).min(100) as u8,
            q => q,
        };
        let feedback = if count < quality::FEW_MINUTIAE {
            vec![Feedback::FewFeatures]
        } else {
            Vec::new()
        };
        let t = &parsed.template;
        Ok(Capture {
            prepared: Prepared::new(t),
            image: GrayImage::filled(t.width as usize, t.height as usize, 255),
            template: parsed.template,
            quality,
            feedback,
            marks_features: false,
        })
    }

    /// Normalises resolution, extracts and assesses.
    fn process(img: &GrayImage, nw: usize, nh: usize) -> Capture {
        let norm = resample::resample(img, nw, nh);
        let ex = crate::extract::extract(&norm);
        let (quality, feedback) = quality::assess(&ex.summary, ex.template.minutiae.len());
        Capture {
            prepared: Prepared::new(&ex.template),
            template: ex.template,
            quality,
            feedback,
            image: norm,
            marks_features: true,
        }
    }

    /// The capture's image at 500 dpi with the minutiae found marked on it
    /// (see [`render::render_features`]), as RGBA pixels for a local screen.
    /// This is how a user interface shows the features without any
    /// coordinate leaving the library.
    ///
    /// ```
    /// use sealmatch::Capture;
    /// let cap = Capture::from_gray(120, 100, &vec![255u8; 120 * 100], 500).unwrap();
    /// let img = cap.render_features();
    /// assert_eq!((img.width, img.height, img.data.len()), (120, 100, 120 * 100 * 4));
    /// ```
    pub fn render_features(&self) -> render::RgbaImage {
        let marked = if self.marks_features {
            &self.template.minutiae[..]
        } else {
            &[]
        };
        render::render_features(&self.image, marked)
    }

    /// Quality 0..=100: ridge clarity, contrast, finger area and number of
    /// minutiae, lowered for a too dark or too light image.
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

    /// Whether the capture is good enough to enroll or verify (else
    /// `LOW_QUALITY`): not blank, quality at least [`MIN_USABLE_QUALITY`] and
    /// at least [`MIN_USABLE_MINUTIAE`] minutiae. Deliberately lenient: other
    /// feedback (`too_small`, `off_center`, ...) is advice, and the matcher's
    /// score decides the rest.
    pub fn is_usable(&self) -> bool {
        !self.feedback.contains(&Feedback::Blank)
            && self.quality >= MIN_USABLE_QUALITY
            && self.minutiae_count() >= MIN_USABLE_MINUTIAE
    }

    /// Matching score of this capture (the probe) against 1–3 enrolled captures,
    /// on the scale of [`crate::matcher`]. Only a number leaves: this is what
    /// benchmarks and tests compare without sealing a token each time.
    /// Both sides' local structures were prepared when the captures were made,
    /// so this is the matcher's comparison alone.
    pub fn score_against(&self, enrolled: &[&Capture]) -> f32 {
        enrolled
            .iter()
            .map(|c| crate::matcher::score(&self.prepared, &c.prepared))
            .fold(0.0, f32::max)
    }

    /// The template; crate-private so it never leaves the library.
    pub(crate) fn template(&self) -> &Template {
        &self.template
    }

    /// The template's local structures, prepared once at construction.
    pub(crate) fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// A capture from its parts, for unit tests of code that takes captures.
    #[cfg(test)]
    pub(crate) fn from_parts(template: Template, quality: u8, feedback: Vec<Feedback>) -> Capture {
        Capture {
            prepared: Prepared::new(&template),
            template,
            quality,
            feedback,
            image: GrayImage::filled(1, 1, 255),
            marks_features: true,
        }
    }
}

/// Wipes the library's copy of the caller's image once it is processed, as
/// the capture's own image is wiped when the capture is dropped.
fn wipe_input(img: &mut GrayImage) {
    use zeroize::Zeroize;
    img.pixels_mut().zeroize();
}

#[cfg(test)]
mod tests;
