//! The extractor's tuned numbers, in one place: [`Params`] and its shipped
//! values [`TUNED`]. They were chosen on the FVC development databases (see
//! the bench's README); each stage reads the ones it needs from [`TUNED`].
//! Numbers that follow from the method rather than from tuning (block size,
//! kernel padding, period range, ...) stay next to the code that uses them.

/// The tuned parameters of extraction (pixels are at 500 dpi).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    /// Segmentation: a block's grey-level spread must exceed this (grey
    /// levels) to be foreground, whatever the image.
    pub seg_min_std: f32,
    /// Segmentation: ... and this fraction of the image's strong-block
    /// spread (its 95th percentile).
    pub seg_rel_std: f32,
    /// Segmentation: blocks with coherence below this need twice the spread
    /// to count (and at least half this coherence).
    pub seg_min_coherence: f32,
    /// Gaussian sigma (blocks) of the orientation field smoothing.
    pub orientation_sigma: f32,
    /// Enhancement: Gaussian sigma along the ridge, pixels.
    pub along_sigma: f32,
    /// Enhancement: Gaussian sigma across the ridge, as a fraction of the
    /// local ridge period.
    pub across_sigma_per_period: f32,
    /// Minutiae: distance along the ridge at which a minutia's direction is
    /// read, pixels.
    pub direction_dist: usize,
    /// Minutiae: a direction within this angle (radians) of the smoothed
    /// orientation field is snapped to it.
    pub field_snap: f32,
    /// The false-minutiae filter.
    pub filter: FilterParams,
}

/// Limits of the false-minutiae filter (`super::filter`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct FilterParams {
    /// Minimum distance to the edge of the finger area, in blocks.
    pub border_blocks: u16,
    /// An ending joined to another minutia within this ridge length: both go.
    pub short_ridge: usize,
    /// Bifurcations joined within this ridge length: both go.
    pub bridge: usize,
    /// Facing endings closer than this (a multiple of the ridge period): both go.
    pub gap_periods: f32,
    /// Minutiae closer than this (a multiple of the ridge period): both go.
    pub crowd_periods: f32,
}

/// The shipped values.
pub(crate) const TUNED: Params = Params {
    seg_min_std: 6.0,
    seg_rel_std: 0.25,
    seg_min_coherence: 0.15,
    orientation_sigma: 2.0,
    along_sigma: 4.0,
    across_sigma_per_period: 0.38,
    direction_dist: 10,
    field_snap: 0.5,
    filter: FilterParams {
        border_blocks: 2,
        short_ridge: 7,
        bridge: 7,
        gap_periods: 1.6,
        crowd_periods: 0.6,
    },
};
