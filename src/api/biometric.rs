//! What [`enroll_any`](super::enroll_any) and [`verify_any`](super::verify_any)
//! take: a capture of either modality, behind the [`Biometric`] trait.
//!
//! A capture type plugs in with two small impls inside the crate: the public
//! [`Biometric`] (is it good enough?) and the crate-private
//! `crate::api::biometric::TemplateSource` (its template, borrowed).
//! [`Capture`] and [`FaceTemplate`] do; the face engine's capture does the
//! same with its embedding, and `enroll_any`, `verify_any` and the token
//! format need nothing more:
//!
//! ```ignore
//! use crate::api::biometric::{Biometric, TemplateRef, TemplateSource};
//! impl Biometric for FaceCapture {
//!     fn is_usable(&self) -> bool { /* quality and feedback */ }
//! }
//! impl TemplateSource for FaceCapture {
//!     fn template_ref(&self) -> TemplateRef<'_> { TemplateRef::Face(self.template.as_ref()) }
//! }
//! ```

use crate::capture::Capture;
use crate::error::{err, ErrorCode, Result};
use crate::matcher::{face_score_enrollment, score_prepared_probe, Prepared};
use crate::template::codec::{self, Enrollment};
use crate::template::{FaceTemplate, Modality, Template};
use zeroize::Zeroizing;

pub(crate) use sealed::{TemplateRef, TemplateSource};

/// A capture `enroll_any` can seal and `verify_any` can match: a fingerprint
/// [`Capture`] or a face (for now a [`FaceTemplate`]). Sealed: only this
/// crate's types implement it, so every template a token holds was made by
/// the library's own checks.
///
/// ```
/// use sealmatch::api::Biometric;
/// use sealmatch::template::{FaceTemplate, Modality};
/// let face = FaceTemplate::from_embedding(&[1.0; 128]).unwrap();
/// assert_eq!(face.modality(), Modality::Face);
/// assert!(face.is_usable());
/// ```
pub trait Biometric: TemplateSource {
    /// Fingerprint or face.
    fn modality(&self) -> Modality {
        self.template_ref().modality()
    }

    /// Whether the capture is good enough to enroll or verify; else those
    /// refuse it with `LOW_QUALITY` (before looking at any token).
    fn is_usable(&self) -> bool;
}

mod sealed {
    use super::*;

    /// A capture's template, borrowed: what is sealed and matched.
    #[derive(Clone, Copy)]
    pub enum TemplateRef<'a> {
        /// A fingerprint template with its local structures for matching.
        Fingerprint {
            template: &'a Template,
            prepared: &'a Prepared,
        },
        /// A face embedding; `None` for a face capture that has none (no
        /// usable face): never sealed nor matched, `LOW_QUALITY` if tried.
        Face(Option<&'a FaceTemplate>),
    }

    /// The crate-private half of [`Biometric`]: the template it holds.
    pub trait TemplateSource {
        /// The capture's template.
        fn template_ref(&self) -> TemplateRef<'_>;
    }
}

impl TemplateRef<'_> {
    /// The modality of the template.
    pub(crate) fn modality(&self) -> Modality {
        match self {
            TemplateRef::Fingerprint { .. } => Modality::Fingerprint,
            TemplateRef::Face(_) => Modality::Face,
        }
    }

    /// The probe's score against a token's templates: on the scale of
    /// [`crate::matcher::score`] or [`crate::matcher::face_score`].
    /// `MODALITY_MISMATCH` when the token holds the other modality.
    pub(crate) fn score(&self, enrolled: &Enrollment) -> Result<f32> {
        match (self, enrolled) {
            (TemplateRef::Fingerprint { prepared, .. }, Enrollment::Fingerprint(ts)) => {
                Ok(score_prepared_probe(prepared, ts))
            }
            (TemplateRef::Face(Some(face)), Enrollment::Face(faces)) => {
                Ok(face_score_enrollment(face, faces))
            }
            (TemplateRef::Face(None), Enrollment::Face(_)) => unusable(),
            _ => err(
                ErrorCode::ModalityMismatch,
                "the capture is of another modality than the token",
            ),
        }
    }
}

/// `LOW_QUALITY`: a capture without a template reached sealing or matching
/// (`enroll_any` and `verify_any` refuse it before; this is the backstop).
fn unusable<T>() -> Result<T> {
    err(
        ErrorCode::LowQuality,
        "a capture is not good enough to enroll or verify",
    )
}

/// The templates of one enrollment, all of one modality, borrowed (a face
/// capture without a template as `None`, refused by [`Sealing::encode`]).
pub(crate) enum Sealing<'a> {
    Fingerprint(Vec<&'a Template>),
    Face(Vec<Option<&'a FaceTemplate>>),
}

impl<'a> Sealing<'a> {
    /// Groups the captures' templates; `INVALID_ARGUMENT` when they are not
    /// all of one modality (or there are none).
    pub(crate) fn of(captures: &[&'a dyn Biometric]) -> Result<Sealing<'a>> {
        let mixed = || {
            err(
                ErrorCode::InvalidArgument,
                "the captures of one enrollment must all be of one modality",
            )
        };
        let Some(first) = captures.first() else {
            return err(ErrorCode::InvalidArgument, "enroll takes 1 to 3 captures");
        };
        let mut sealing = match first.template_ref() {
            TemplateRef::Fingerprint { .. } => Sealing::Fingerprint(Vec::new()),
            TemplateRef::Face(_) => Sealing::Face(Vec::new()),
        };
        for capture in captures {
            match (&mut sealing, capture.template_ref()) {
                (Sealing::Fingerprint(ts), TemplateRef::Fingerprint { template, .. }) => {
                    ts.push(template)
                }
                (Sealing::Face(fs), TemplateRef::Face(face)) => fs.push(face),
                _ => return mixed(),
            }
        }
        Ok(sealing)
    }

    /// The binary form to seal; `LOW_QUALITY` when a face capture has no
    /// template.
    pub(crate) fn encode(&self) -> Result<Zeroizing<Vec<u8>>> {
        match self {
            Sealing::Fingerprint(ts) => codec::encode_fingerprint_refs(ts),
            Sealing::Face(fs) => match fs.iter().copied().collect::<Option<Vec<_>>>() {
                Some(faces) => codec::encode_face_refs(&faces),
                None => unusable(),
            },
        }
    }
}

impl Biometric for Capture {
    /// [`Capture::is_usable`].
    fn is_usable(&self) -> bool {
        Capture::is_usable(self)
    }
}

impl TemplateSource for Capture {
    fn template_ref(&self) -> TemplateRef<'_> {
        TemplateRef::Fingerprint {
            template: self.template(),
            prepared: self.prepared(),
        }
    }
}

impl Biometric for FaceTemplate {
    /// Always: a face template is a valid unit embedding by construction.
    /// (A face capture decides on its quality.)
    fn is_usable(&self) -> bool {
        true
    }
}

impl TemplateSource for FaceTemplate {
    fn template_ref(&self) -> TemplateRef<'_> {
        TemplateRef::Face(Some(self))
    }
}
