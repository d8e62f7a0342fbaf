//! sealmatch-synth: synthetic fingerprints for sealmatch's tests and benchmarks.
//!
//! A [`Finger`] is a master fingerprint grown from a seed: a pattern class
//! (arch, tented arch, left/right loop, whorl), an orientation field from the
//! Sherlock–Monro zero-pole model, a ridge-frequency map, a fingertip
//! silhouette, and ridges grown by iterated oriented Gabor filtering from
//! random spots (the idea behind SFinGe). [`Finger::impression`] then makes
//! impressions of it with displacement, rotation, elastic distortion,
//! pressure, partial contact, background and noise.
//!
//! Everything is deterministic from the seeds.
//!
//! ```
//! use sealmatch_synth::{Finger, FingerConfig, Variation};
//! let cfg = FingerConfig { width: 200, height: 200, ..FingerConfig::default() };
//! let finger = Finger::new(1, &cfg);
//! let img = finger.impression(0, &Variation::typical());
//! assert_eq!((img.width, img.height), (200, 200));
//! ```

#![forbid(unsafe_code)]

pub mod creases;
pub mod field;
pub mod finger;
pub mod impression;
pub mod orientation;
pub mod png_io;
pub mod ridges;
pub mod rng;
pub mod shape;

pub use finger::{Finger, FingerConfig};
pub use impression::Variation;
pub use orientation::PatternClass;

/// An 8-bit greyscale image, row-major, 0 black (ridge) to 255 white.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthImage {
    /// Width, pixels.
    pub width: usize,
    /// Height, pixels.
    pub height: usize,
    /// `width * height` pixels.
    pub pixels: Vec<u8>,
}

/// The seed of finger `index` of a database made from `seed`.
///
/// ```
/// assert_ne!(sealmatch_synth::finger_seed(1, 0), sealmatch_synth::finger_seed(1, 1));
/// ```
pub fn finger_seed(seed: u64, index: u64) -> u64 {
    rng::derive_seed(seed, index)
}

/// A database of `fingers` × `impressions` images: `result[f][i]` is
/// impression `i` of finger `f`.
///
/// ```
/// use sealmatch_synth::{database, FingerConfig, Variation};
/// let cfg = FingerConfig { width: 96, height: 96, ..FingerConfig::default() };
/// let db = database(9, 2, 2, &cfg, &Variation::gentle());
/// assert_eq!((db.len(), db[0].len()), (2, 2));
/// ```
pub fn database(
    seed: u64,
    fingers: usize,
    impressions: usize,
    config: &FingerConfig,
    variation: &Variation,
) -> Vec<Vec<SynthImage>> {
    (0..fingers)
        .map(|f| {
            let finger = Finger::new(finger_seed(seed, f as u64), config);
            (0..impressions)
                .map(|i| finger.impression(i as u64, variation))
                .collect()
        })
        .collect()
}
