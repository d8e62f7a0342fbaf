//! End-to-end tests of the sealmatch engine (capture, extraction, matching)
//! on images this project generates, so they run on any machine.
//!
//! One small database (5 fingers × 3 impressions) is generated and captured
//! once per test binary and shared by the tests.

use sealmatch::capture::Capture;
use sealmatch::matcher::{DEFAULT_THRESHOLD, MIN_THRESHOLD};
use sealmatch_metrics::ScoreSet;
use sealmatch_synth::{finger_seed, Finger, FingerConfig, SynthImage, Variation};
use std::sync::OnceLock;

const FINGERS: usize = 5;
const IMPRESSIONS: usize = 3;
const SEED: u64 = 20_261_123;

fn config() -> FingerConfig {
    FingerConfig::default() // 300 × 300 at 500 dpi
}

fn capture(img: &SynthImage, dpi: u32) -> Capture {
    Capture::from_gray(img.width as u32, img.height as u32, &img.pixels, dpi)
        .expect("a synthetic image is a valid capture")
}

struct Set {
    images: Vec<Vec<SynthImage>>,
    captures: Vec<Vec<Capture>>,
}

fn set() -> &'static Set {
    static SET: OnceLock<Set> = OnceLock::new();
    SET.get_or_init(|| {
        let images =
            sealmatch_synth::database(SEED, FINGERS, IMPRESSIONS, &config(), &Variation::typical());
        let captures = images
            .iter()
            .map(|f| f.iter().map(|i| capture(i, 500)).collect())
            .collect();
        Set { images, captures }
    })
}

/// Genuine and impostor scores over all unordered pairs, the first image
/// (finger-major order) enrolled.
fn pair_scores(s: &Set) -> (Vec<f32>, Vec<f32>) {
    let flat: Vec<(usize, &Capture)> = s
        .captures
        .iter()
        .enumerate()
        .flat_map(|(f, v)| v.iter().map(move |c| (f, c)))
        .collect();
    let (mut gen, mut imp) = (Vec::new(), Vec::new());
    for i in 0..flat.len() {
        for j in i + 1..flat.len() {
            let score = flat[j].1.score_against(&[flat[i].1]);
            if flat[i].0 == flat[j].0 {
                gen.push(score);
            } else {
                imp.push(score);
            }
        }
    }
    (gen, imp)
}

fn mean(v: &[f32]) -> f32 {
    v.iter().sum::<f32>() / v.len() as f32
}

#[test]
fn every_synthetic_capture_is_usable_with_clean_feedback() {
    for (f, caps) in set().captures.iter().enumerate() {
        for (i, c) in caps.iter().enumerate() {
            assert!(
                c.is_usable(),
                "finger {f} impression {i}: quality {} feedback {:?}",
                c.quality(),
                c.feedback()
            );
            assert!(
                (10..=128).contains(&c.minutiae_count()),
                "finger {f} impression {i}: {} minutiae",
                c.minutiae_count()
            );
            assert!(
                c.quality() >= 40,
                "finger {f} impression {i}: quality {}",
                c.quality()
            );
            for code in [
                "blank",
                "too_dark",
                "too_light",
                "low_contrast",
                "too_small",
            ] {
                assert!(
                    !c.feedback().iter().any(|fb| fb.as_str() == code),
                    "finger {f} impression {i}: unexpected {code}"
                );
            }
        }
    }
}

#[test]
fn genuine_scores_clearly_exceed_impostor_scores() {
    let (gen, imp) = pair_scores(set());
    assert_eq!(gen.len(), FINGERS * IMPRESSIONS * (IMPRESSIONS - 1) / 2);
    let (mg, mi) = (mean(&gen), mean(&imp));
    assert!(
        mg > 3.0 * mi && mg - mi > 0.05,
        "mean genuine {mg}, mean impostor {mi}"
    );
    // The shipped threshold: (almost) every genuine pair matches, no impostor does.
    let accepted = gen.iter().filter(|&&s| s >= DEFAULT_THRESHOLD).count();
    assert!(
        accepted * 10 >= gen.len() * 8,
        "only {accepted} of {} genuine pairs reach the threshold {DEFAULT_THRESHOLD}",
        gen.len()
    );
    let false_matches = imp.iter().filter(|&&s| s >= DEFAULT_THRESHOLD).count();
    assert_eq!(
        false_matches, 0,
        "impostor pairs at or above the shipped threshold"
    );
}

#[test]
fn equal_error_rate_on_a_small_synthetic_set_is_low() {
    let (gen, imp) = pair_scores(set());
    let set = ScoreSet::new(gen, imp);
    let rates = set.rates();
    assert!(rates.eer <= 0.1, "EER {}", rates.eer);
    // The lowest threshold verify accepts keeps FMR within 1 % here too.
    assert!(
        set.fmr(MIN_THRESHOLD) <= 0.01,
        "FMR {}",
        set.fmr(MIN_THRESHOLD)
    );
}

#[test]
fn scores_are_symmetric_enough() {
    let s = set();
    for caps in &s.captures {
        for i in 0..IMPRESSIONS {
            for j in i + 1..IMPRESSIONS {
                let ab = caps[j].score_against(&[&caps[i]]);
                let ba = caps[i].score_against(&[&caps[j]]);
                assert!((ab - ba).abs() <= 0.02 + 0.1 * ab.max(ba), "{ab} vs {ba}");
            }
        }
    }
}

#[test]
fn several_enrolled_impressions_do_not_lower_the_best_score() {
    let s = set();
    for caps in &s.captures {
        let probe = &caps[2];
        let one = probe.score_against(&[&caps[0]]);
        let two = probe.score_against(&[&caps[0], &caps[1]]);
        assert!(two >= one - 1e-6, "two enrolled {two} < one enrolled {one}");
    }
}

#[test]
fn an_impression_matches_itself_at_another_resolution() {
    // The same placement of one finger, sampled at 1000 and at 500 dpi: the
    // capture must normalise the resolution before extracting.
    let seed = finger_seed(SEED, 99);
    let hi = Finger::new(
        seed,
        &FingerConfig {
            width: 600,
            height: 600,
            dpi: 1000,
            class: None,
        },
    )
    .impression(0, &Variation::gentle());
    let lo = Finger::new(seed, &config()).impression(1, &Variation::gentle());
    let (hi, lo) = (capture(&hi, 1000), capture(&lo, 500));
    assert!(hi.is_usable(), "1000 dpi: {:?}", hi.feedback());
    let s = hi.score_against(&[&lo]);
    assert!(s >= DEFAULT_THRESHOLD, "score across resolutions {s}");
}

fn map(img: &SynthImage, f: impl Fn(u8) -> u8) -> SynthImage {
    SynthImage {
        pixels: img.pixels.iter().map(|&p| f(p)).collect(),
        ..img.clone()
    }
}

fn has(c: &Capture, code: &str) -> bool {
    c.feedback().iter().any(|f| f.as_str() == code)
}

#[test]
fn degraded_images_get_the_right_feedback() {
    let good = &set().images[0][0];
    let (w, h) = (good.width, good.height);

    let blank = capture(&map(good, |_| 200), 500);
    assert!(
        has(&blank, "blank") && !blank.is_usable(),
        "{:?}",
        blank.feedback()
    );

    let dark = capture(&map(good, |p| p / 6), 500);
    assert!(has(&dark, "too_dark"), "dark: {:?}", dark.feedback());

    let light = capture(&map(good, |p| 222 + p / 8), 500);
    assert!(has(&light, "too_light"), "light: {:?}", light.feedback());

    let flat = capture(&map(good, |p| 120 + p / 16), 500);
    assert!(has(&flat, "low_contrast"), "flat: {:?}", flat.feedback());

    // Only a 64 × 64 patch of finger in the middle of a white image.
    let mut small = map(good, |_| 255);
    for y in h / 2 - 32..h / 2 + 32 {
        for x in w / 2 - 32..w / 2 + 32 {
            small.pixels[y * w + x] = good.pixels[y * w + x];
        }
    }
    let small = capture(&small, 500);
    assert!(has(&small, "too_small"), "small: {:?}", small.feedback());

    // The finger pushed into the bottom-right corner.
    let mut corner = map(good, |_| 255);
    let (dx, dy) = (w / 2, h / 2);
    for y in dy..h {
        for x in dx..w {
            corner.pixels[y * w + x] = good.pixels[(y - dy) * w + (x - dx) + (w / 4) + (h / 4) * w];
        }
    }
    let corner = capture(&corner, 500);
    assert!(
        has(&corner, "off_center"),
        "corner: {:?}",
        corner.feedback()
    );
}
