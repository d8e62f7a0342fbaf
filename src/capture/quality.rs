//! Capture quality 0..=100 and feedback codes, from measurements the
//! extractor takes (finger area, ridge clarity, contrast, brightness,
//! position) and the number of minutiae found.

use super::Feedback;
use crate::extract::Summary;

/// Pixels per square millimetre at 500 dpi.
const PX_PER_MM2: f32 = (500.0 / 25.4) * (500.0 / 25.4);
/// Finger area below which a capture is `too_small`, mm².
pub(crate) const SMALL_AREA_MM2: f32 = 50.0;
/// Median ridge contrast (grey-level standard deviation) below which a
/// capture is `low_contrast`.
const LOW_CONTRAST: f32 = 12.0;
/// Finger-area mean grey level below which a capture is `too_dark`.
const DARK_GREY: f32 = 60.0;
/// Finger-area mean grey level above which a capture is `too_light`.
const LIGHT_GREY: f32 = 205.0;
/// A light capture is only `too_light` when its ridge contrast is below this.
const FADED_CONTRAST: f32 = 24.0;
/// Whole-image spread below which the image is `blank`.
const BLANK_STD: f32 = 3.0;
/// Largest distance of the finger's centre from the image centre, as a
/// fraction of the side, before `off_center`.
const OFF_CENTER: f32 = 0.2;
/// Mean ridge-flow coherence below which the image is not a fingerprint
/// (white noise measures about 0.1; the poorest FVC prints about 0.2).
const NO_RIDGES_COHERENCE: f32 = 0.15;
/// Quality is at most this for an image without ridge flow (below the
/// usable minimum).
const NO_RIDGES_QUALITY: f32 = 5.0;
/// Fewer minutiae than this gives `few_features`.
pub(crate) const FEW_MINUTIAE: usize = 12;

fn ramp(v: f32, lo: f32, hi: f32) -> f32 {
    ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
}

/// Quality and feedback of one capture.
pub(crate) fn assess(s: &Summary, minutiae: usize) -> (u8, Vec<Feedback>) {
    let mut fb = Vec::new();
    if s.image_std < BLANK_STD {
        return (0, vec![Feedback::Blank]);
    }
    if s.foreground_blocks == 0 {
        // Something is there, but no ridges stand out from it.
        if s.image_mean < DARK_GREY {
            fb.push(Feedback::TooDark);
        } else if s.image_mean > LIGHT_GREY {
            fb.push(Feedback::TooLight);
        }
        fb.extend([Feedback::LowContrast, Feedback::TooSmall]);
        return (0, fb);
    }
    let area = s.foreground_px as f32 / PX_PER_MM2;
    if s.mean_grey < DARK_GREY {
        fb.push(Feedback::TooDark);
    }
    // Light but with well-marked ridges (e.g. thin dark ridges on white) is
    // fine; too light means the ridges fade.
    if s.mean_grey > LIGHT_GREY && s.median_contrast < FADED_CONTRAST {
        fb.push(Feedback::TooLight);
    }
    if s.median_contrast < LOW_CONTRAST {
        fb.push(Feedback::LowContrast);
    }
    if area < SMALL_AREA_MM2 {
        fb.push(Feedback::TooSmall);
    }
    if (s.centroid.0 - 0.5).abs() > OFF_CENTER || (s.centroid.1 - 0.5).abs() > OFF_CENTER {
        fb.push(Feedback::OffCenter);
    }
    if minutiae < FEW_MINUTIAE {
        fb.push(Feedback::FewFeatures);
    }
    let clarity = ramp(s.mean_coherence, 0.2, 0.55);
    let contrast = ramp(s.median_contrast, 6.0, 25.0);
    let size = ramp(area, 20.0, 120.0);
    let features = ramp(minutiae as f32, 4.0, 30.0);
    let brightness = if s.mean_grey < DARK_GREY {
        ramp(s.mean_grey, DARK_GREY - 40.0, DARK_GREY)
    } else {
        ramp(s.mean_grey, 255.0, LIGHT_GREY)
    };
    let mut q = 100.0
        * (0.4 * clarity + 0.15 * contrast + 0.2 * size + 0.25 * features)
        * (0.5 + 0.5 * brightness);
    if s.mean_coherence < NO_RIDGES_COHERENCE {
        fb.push(Feedback::NoRidges);
        q = q.min(NO_RIDGES_QUALITY);
    }
    (q.round().clamp(0.0, 100.0) as u8, fb)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Summary {
        Summary {
            foreground_blocks: 1200,
            foreground_px: 76_800,
            mean_coherence: 0.6,
            median_contrast: 30.0,
            mean_grey: 120.0,
            image_mean: 150.0,
            image_std: 50.0,
            centroid: (0.5, 0.5),
        }
    }

    #[test]
    fn a_good_capture_has_no_feedback() {
        let (q, fb) = assess(&good(), 40);
        assert!(fb.is_empty(), "{fb:?}");
        assert!(q >= 90, "{q}");
    }

    #[test]
    fn each_problem_has_its_code() {
        let mut s = good();
        s.mean_grey = 40.0;
        assert!(assess(&s, 40).1.contains(&Feedback::TooDark));
        let mut s = good();
        s.mean_grey = 230.0;
        s.median_contrast = 15.0;
        assert!(assess(&s, 40).1.contains(&Feedback::TooLight));
        let mut s = good();
        s.median_contrast = 8.0;
        assert!(assess(&s, 40).1.contains(&Feedback::LowContrast));
        let mut s = good();
        s.foreground_px = 10_000;
        assert!(assess(&s, 40).1.contains(&Feedback::TooSmall));
        let mut s = good();
        s.centroid = (0.85, 0.5);
        assert!(assess(&s, 40).1.contains(&Feedback::OffCenter));
        assert!(assess(&good(), 3).1.contains(&Feedback::FewFeatures));
        let mut s = good();
        s.mean_coherence = 0.1;
        let (q, fb) = assess(&s, 40);
        assert!(fb.contains(&Feedback::NoRidges) && q < crate::capture::MIN_USABLE_QUALITY);
        let mut s = good();
        s.image_std = 0.5;
        assert_eq!(assess(&s, 0), (0, vec![Feedback::Blank]));
    }

    #[test]
    fn quality_falls_with_clarity() {
        let mut s = good();
        let (hi, _) = assess(&s, 40);
        s.mean_coherence = 0.3;
        let (lo, _) = assess(&s, 40);
        assert!(lo < hi);
    }
}
