//! The finger's silhouette: an egg-like shape (a narrower upper half-ellipse
//! over a longer lower one that runs off the bottom of the image, as a
//! fingertip pressed on a platen does), with a soft edge.

/// The silhouette of a fingertip.
///
/// ```
/// use sealmatch_synth::shape::FingerShape;
/// let s = FingerShape { cx: 100.0, cy: 100.0, half_w: 60.0, top: 80.0, bottom: 140.0 };
/// assert_eq!(s.coverage(100.0, 100.0), 1.0);
/// assert_eq!(s.coverage(0.0, 0.0), 0.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FingerShape {
    /// Centre column.
    pub cx: f32,
    /// Centre row (widest point).
    pub cy: f32,
    /// Half width at the widest point.
    pub half_w: f32,
    /// Distance from the centre to the tip (upwards).
    pub top: f32,
    /// Distance from the centre to the lower end (downwards).
    pub bottom: f32,
}

impl FingerShape {
    /// Normalised radius: < 1 inside, 1 on the outline.
    pub fn radius(&self, x: f32, y: f32) -> f32 {
        let dx = (x - self.cx) / self.half_w;
        let dy = if y < self.cy {
            (y - self.cy) / self.top
        } else {
            (y - self.cy) / self.bottom
        };
        (dx * dx + dy * dy).sqrt()
    }

    /// 1 inside, 0 outside, a smooth ramp over the last few percent.
    pub fn coverage(&self, x: f32, y: f32) -> f32 {
        let r = self.radius(x, y);
        ((1.0 - r) / 0.04).clamp(0.0, 1.0)
    }
}
