//! Templates, the stored form of a capture: the fingerprint [`Template`]
//! (minutiae plus the geometry of the image they came from, below) and the
//! [`FaceTemplate`] (an embedding, in [`face`]), and the [`Modality`] that
//! tells them apart inside a token.
//!
//! Coordinates are pixels of the template's own grid at `dpi` (the extractor
//! normalises every capture to 500 dpi, so templates it makes have `dpi == 500`).
//! A direction is an angle in 1/256ths of a full turn, measured counter-clockwise
//! from the +x axis with y pointing down the image (as ISO/IEC 19794-2 does), and
//! points the way the ridge runs *away* from the minutia.
//!
//! The binary form of both lives in [`codec`].

pub mod codec;
pub mod face;
pub mod record;

pub use face::{FaceTemplate, EMBEDDING_LEN};

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Most minutiae a template holds; an extractor keeps the best ones.
pub const MAX_MINUTIAE: usize = 128;

/// Most impressions (fingerprint) or captures (face) one enrollment, so one
/// token, holds.
pub const MAX_IMPRESSIONS: usize = 3;

/// The biometric a capture, a template or a token's content is of. A token
/// carries it inside its sealed content, never in its header.
///
/// ```
/// use sealmatch::template::Modality;
/// assert_eq!(Modality::Face.as_str(), "face");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Modality {
    /// Minutiae of one finger ([`Template`]).
    Fingerprint,
    /// An embedding of one face ([`FaceTemplate`]).
    Face,
}

impl Modality {
    /// `"fingerprint"` or `"face"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Fingerprint => "fingerprint",
            Modality::Face => "face",
        }
    }
}

/// Ridge ending or bifurcation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Zeroize)]
#[repr(u8)]
pub enum MinutiaKind {
    /// A ridge ends.
    #[default]
    Ending = 0,
    /// A ridge splits in two.
    Bifurcation = 1,
}

/// One minutia.
///
/// ```
/// use sealmatch::template::{Minutia, MinutiaKind};
/// let m = Minutia { x: 120, y: 80, direction: 64, kind: MinutiaKind::Ending, quality: 90 };
/// assert!((m.angle() - std::f32::consts::FRAC_PI_2).abs() < 1e-6);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Zeroize)]
pub struct Minutia {
    /// Column, pixels.
    pub x: u16,
    /// Row, pixels.
    pub y: u16,
    /// Angle in 1/256 turns (0 = +x, 64 = quarter turn).
    pub direction: u8,
    /// Ending or bifurcation.
    pub kind: MinutiaKind,
    /// Reliability 0..=100.
    pub quality: u8,
}

impl Minutia {
    /// The direction in radians, 0..2π.
    pub fn angle(&self) -> f32 {
        self.direction as f32 * (std::f32::consts::TAU / 256.0)
    }
}

/// The template of one impression. Zeroized when dropped.
///
/// ```
/// use sealmatch::template::{Template, Minutia};
/// let t = Template { width: 300, height: 300, dpi: 500, minutiae: vec![Minutia::default()] };
/// assert_eq!(t.minutiae.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default, Zeroize, ZeroizeOnDrop)]
pub struct Template {
    /// Width of the (normalised) image, pixels.
    pub width: u16,
    /// Height of the (normalised) image, pixels.
    pub height: u16,
    /// Resolution of the coordinates, dots per inch.
    pub dpi: u16,
    /// At most [`MAX_MINUTIAE`] minutiae.
    pub minutiae: Vec<Minutia>,
}
