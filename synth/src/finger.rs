//! A master fingerprint: pattern class, orientation field, ridge-frequency map,
//! silhouette and the grown ridge pattern, all from one seed. Impressions are
//! taken from it by [`crate::impression`].

use crate::field::SmoothField;
use crate::orientation::{OrientationModel, PatternClass};
use crate::ridges::{grow, FilterBank, Growth, RidgeMap};
use crate::rng::Rng;
use crate::shape::FingerShape;
use std::sync::OnceLock;

/// Largest impression side, pixels (larger requests are clamped to it).
pub const MAX_SIDE: usize = 4096;

/// What to generate: image size and resolution of the impressions.
///
/// ```
/// use sealmatch_synth::FingerConfig;
/// let c = FingerConfig::default();
/// assert_eq!((c.width, c.height, c.dpi), (300, 300, 500));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FingerConfig {
    /// Impression width, pixels (16..=[`MAX_SIDE`]).
    pub width: usize,
    /// Impression height, pixels (16..=[`MAX_SIDE`]).
    pub height: usize,
    /// Resolution; every physical size (ridge period, finger size, shifts)
    /// scales with it. 500 is the usual sensor resolution.
    pub dpi: u32,
    /// Force a pattern class (else drawn with natural frequencies).
    pub class: Option<PatternClass>,
}

impl Default for FingerConfig {
    fn default() -> Self {
        FingerConfig {
            width: 300,
            height: 300,
            dpi: 500,
            class: None,
        }
    }
}

impl FingerConfig {
    /// Pixels per 500-dpi pixel.
    pub fn scale(&self) -> f32 {
        self.dpi.clamp(100, 2000) as f32 / 500.0
    }
}

/// One synthetic finger (its "master fingerprint").
pub struct Finger {
    pub(crate) seed: u64,
    pub(crate) config: FingerConfig,
    pub(crate) orientation: OrientationModel,
    pub(crate) shape: FingerShape,
    pub(crate) ridges: RidgeMap,
    pub(crate) mean_period: f32,
    pub(crate) creases: usize,
}

fn bank() -> &'static FilterBank {
    static BANK: OnceLock<FilterBank> = OnceLock::new();
    BANK.get_or_init(FilterBank::new)
}

/// Iterations of the Gabor growth.
const GROWTH_ITERATIONS: usize = 16;

impl Finger {
    /// Generates the finger for `seed`. Deterministic: the same seed and
    /// config give the same finger.
    ///
    /// ```
    /// use sealmatch_synth::{Finger, FingerConfig};
    /// let cfg = FingerConfig { width: 160, height: 160, ..FingerConfig::default() };
    /// let f = Finger::new(42, &cfg);
    /// assert!(f.mean_ridge_period() > 7.0);
    /// ```
    pub fn new(seed: u64, config: &FingerConfig) -> Finger {
        let mut rng = Rng::new(seed);
        // The master is always drawn at 500 dpi; impressions resample it to
        // the configured resolution.
        let s = 1.0;
        let view_w = (config.width.clamp(16, MAX_SIDE) as f32 / config.scale()).ceil() as usize;
        let view_h = (config.height.clamp(16, MAX_SIDE) as f32 / config.scale()).ceil() as usize;
        let class = config
            .class
            .unwrap_or_else(|| PatternClass::sample(&mut rng));
        let margin = (0.18 * view_w.max(view_h) as f32).ceil() as usize;
        let mw = view_w + 2 * margin;
        let mh = view_h + 2 * margin;
        let half_w = rng.uniform(110.0, 140.0) * s;
        let top = half_w * rng.uniform(1.2, 1.45);
        let shape = FingerShape {
            cx: mw as f32 / 2.0,
            cy: mh as f32 / 2.0 + 0.1 * top,
            half_w,
            top,
            bottom: top * 2.2,
        };
        let orientation = OrientationModel::new(class, shape.cx, shape.cy, half_w, top, &mut rng);
        let mean_period = rng.uniform(8.0, 10.8) * s;
        let period_field = SmoothField::new(&mut rng, 70.0 * s);
        let mut filter_index = vec![0u16; mw * mh];
        let mut active = vec![false; mw * mh];
        for y in 0..mh {
            for x in 0..mw {
                let (fx, fy) = (x as f32, y as f32);
                let i = y * mw + x;
                if shape.radius(fx, fy) < 1.1 {
                    active[i] = true;
                    let period = mean_period * (1.0 + 0.09 * period_field.at(fx, fy));
                    filter_index[i] = FilterBank::index(orientation.angle(fx, fy), period);
                }
            }
        }
        let mut ridges = grow(
            mw,
            mh,
            &filter_index,
            &active,
            bank(),
            Growth {
                iterations: GROWTH_ITERATIONS,
                seed_spacing: rng.uniform(20.0, 28.0) * s,
            },
            &mut rng,
        );
        let creases = crate::creases::random_creases(&shape, &mut rng);
        crate::creases::apply(&mut ridges, &creases);
        Finger {
            seed,
            config: *config,
            orientation,
            shape,
            ridges,
            mean_period,
            creases: creases.len(),
        }
    }

    /// The pattern class.
    pub fn class(&self) -> PatternClass {
        self.orientation.class()
    }

    /// Mean ridge period, pixels at 500 dpi.
    pub fn mean_ridge_period(&self) -> f32 {
        self.mean_period
    }

    /// How many creases or scars cross the finger.
    pub fn crease_count(&self) -> usize {
        self.creases
    }

    /// The seed it was made from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The configuration it was made with.
    pub fn config(&self) -> &FingerConfig {
        &self.config
    }

    /// The master ridge pattern as an image (ridges dark), for inspection.
    pub fn master_image(&self) -> crate::SynthImage {
        let r = &self.ridges;
        let pixels = r
            .values
            .iter()
            .map(|v| (127.5 + 127.5 * v.clamp(-1.0, 1.0)) as u8)
            .collect();
        crate::SynthImage {
            width: r.width,
            height: r.height,
            pixels,
        }
    }
}
