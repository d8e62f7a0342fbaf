//! Capture tests on images made in code.

use super::*;
use crate::error::ErrorCode;

/// Ridges of `period` px around a phase singularity at the centre (one
/// minutia), with grey level `mean +- amp`.
fn print(w: u32, h: u32, period: f32, mean: f32, amp: f32) -> Vec<u8> {
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            let phase = y * std::f32::consts::TAU / period + (y - cy).atan2(x - cx);
            (mean + amp * phase.cos()).round().clamp(0.0, 255.0) as u8
        })
        .collect()
}

fn codes(c: &Capture) -> Vec<&'static str> {
    c.feedback().iter().map(|f| f.as_str()).collect()
}

#[test]
fn bad_dimensions_are_invalid_image() {
    let px = vec![128u8; 100 * 100];
    for (w, h, len, dpi) in [
        (100, 100, 9_999, 500),
        (100, 99, 10_000, 500),
        (u32::MAX, u32::MAX, 10_000, 500),
        (100, 100, 10_000, 0),
        (100, 100, 10_000, 5000),
        (0, 0, 0, 500),
    ] {
        let e = Capture::from_gray(w, h, &px[..len], dpi).err().unwrap();
        assert_eq!(e.code(), ErrorCode::InvalidImage, "{w}x{h} {len} {dpi}");
        let e = Capture::from_rgba(w, h, &px[..len], dpi).err().unwrap();
        assert_eq!(e.code(), ErrorCode::InvalidImage);
    }
}

#[test]
fn blank_image_says_blank() {
    for v in [0u8, 128, 255] {
        let c = Capture::from_gray(200, 200, &vec![v; 40_000], 500).unwrap();
        assert_eq!(codes(&c), vec!["blank"]);
        assert_eq!(c.quality(), 0);
        assert!(!c.is_usable());
    }
}

#[test]
fn dark_light_and_faint_prints_say_so() {
    let dark = Capture::from_gray(256, 256, &print(256, 256, 9.0, 35.0, 30.0), 500).unwrap();
    assert!(codes(&dark).contains(&"too_dark"), "{:?}", codes(&dark));
    let light = Capture::from_gray(256, 256, &print(256, 256, 9.0, 225.0, 28.0), 500).unwrap();
    assert!(codes(&light).contains(&"too_light"), "{:?}", codes(&light));
    let faint = Capture::from_gray(256, 256, &print(256, 256, 9.0, 128.0, 12.0), 500).unwrap();
    assert!(
        codes(&faint).contains(&"low_contrast"),
        "{:?}",
        codes(&faint)
    );
    let good = Capture::from_gray(256, 256, &print(256, 256, 9.0, 128.0, 90.0), 500).unwrap();
    assert!(good.quality() > dark.quality());
    assert!(good.quality() > faint.quality());
}

#[test]
fn noise_is_not_usable() {
    let mut s = 7u32;
    let px: Vec<u8> = (0..400 * 400)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 24) as u8
        })
        .collect();
    let c = Capture::from_gray(400, 400, &px, 500).unwrap();
    assert!(!c.is_usable(), "{:?} q={}", codes(&c), c.quality());
    assert!(codes(&c).contains(&"no_ridges"), "{:?}", codes(&c));
}

#[test]
fn small_and_off_centre_prints_say_so() {
    // A 120 x 120 patch of ridges in the corner of a white 400 x 400 image.
    let patch = print(120, 120, 9.0, 128.0, 90.0);
    let mut px = vec![255u8; 400 * 400];
    for y in 0..120 {
        for x in 0..120 {
            px[(y + 10) * 400 + x + 10] = patch[y * 120 + x];
        }
    }
    let c = Capture::from_gray(400, 400, &px, 500).unwrap();
    let got = codes(&c);
    assert!(got.contains(&"too_small"), "{got:?}");
    assert!(got.contains(&"off_center"), "{got:?}");
}

#[test]
fn rgba_and_grey_agree() {
    let grey = print(160, 160, 9.0, 128.0, 90.0);
    let rgba: Vec<u8> = grey.iter().flat_map(|&g| [g, g, g, 255]).collect();
    let a = Capture::from_gray(160, 160, &grey, 500).unwrap();
    let b = Capture::from_rgba(160, 160, &rgba, 500).unwrap();
    assert_eq!(a.template(), b.template());
    assert_eq!(a.quality(), b.quality());
}

#[test]
fn resolution_is_normalised() {
    // The same pattern scanned at 1000 dpi: twice the pixels, twice the period.
    let hi = print(320, 320, 18.0, 128.0, 90.0);
    let c = Capture::from_gray(320, 320, &hi, 1000).unwrap();
    let t = c.template();
    assert_eq!((t.width, t.height, t.dpi), (160, 160, 500));
    assert_eq!(t.minutiae.len(), 1, "{:?}", t.minutiae);
    let m = t.minutiae[0];
    assert!(
        (m.x as i32 - 80).abs() <= 6 && (m.y as i32 - 80).abs() <= 6,
        "{m:?}"
    );
}

#[test]
fn rendered_features_mark_minutiae_on_the_normalised_image() {
    // a 1000 dpi scan renders at 500 dpi: half the size
    let px = print(400, 360, 18.0, 128.0, 100.0);
    let cap = Capture::from_gray(400, 360, &px, 1000).unwrap();
    let img = cap.render_features();
    assert_eq!((img.width, img.height), (200, 180));
    assert_eq!(img.data.len(), 200 * 180 * 4);
    let marked = |colour: [u8; 3]| img.data.chunks(4).filter(|p| p[..3] == colour).count();
    let (ends, bifs) = (
        marked(render::ENDING_COLOUR),
        marked(render::BIFURCATION_COLOUR),
    );
    assert!(cap.minutiae_count() > 0);
    assert!(ends + bifs > 0, "the minutiae are drawn");
    // the rest is grey, softened: no pixel darker than 96
    assert!(img
        .data
        .chunks(4)
        .filter(|p| p[0] == p[1] && p[1] == p[2])
        .all(|p| p[0] >= 96 && p[3] == 255));
}

#[test]
fn an_image_file_gives_the_capture_its_pixels_give() {
    let (w, h) = (180u32, 160u32);
    let px = print(w, h, 9.0, 128.0, 90.0);
    let file = |ppm: Option<u32>| {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_pixel_dims(ppm.map(|p| png::PixelDimensions {
            xppu: p,
            yppu: p,
            unit: png::Unit::Meter,
        }));
        enc.write_header().unwrap().write_image_data(&px).unwrap();
        out
    };
    let from_pixels = Capture::from_gray(w, h, &px, 500).unwrap();
    for (bytes, dpi) in [(file(Some(19_685)), None), (file(None), Some(500))] {
        let c = Capture::from_image_file(&bytes, dpi).unwrap();
        assert_eq!(c.template(), from_pixels.template());
        assert_eq!(c.quality(), from_pixels.quality());
    }
    // The dpi argument wins over the file's.
    let at_1000 = Capture::from_image_file(&file(Some(19_685)), Some(1000)).unwrap();
    assert_eq!(at_1000.image.width(), 90);
    let e = Capture::from_image_file(&file(None), None).err().unwrap();
    assert_eq!(e.code(), ErrorCode::InvalidImage);
    assert!(e.message().contains("dpi"));
    let at_250 = Capture::from_image_file(&file(Some(19_685)), Some(250)).unwrap();
    assert_eq!(at_250.image.width(), 360);
}

#[test]
fn a_record_of_a_capture_seals_and_matches_as_the_capture() {
    use crate::test_support::RecordWriter;
    use sealmatch_synth::{Finger, FingerConfig, Variation};
    let finger = Finger::new(5, &FingerConfig::default());
    let grab = |i: u64| {
        let img = finger.impression(i, &Variation::typical());
        Capture::from_gray(img.width as u32, img.height as u32, &img.pixels, 500).unwrap()
    };
    let (first, second) = (grab(0), grab(1));
    let record = RecordWriter::iso_of(first.template());
    let from_record = Capture::from_minutiae_record(&record).unwrap();
    assert_eq!(
        from_record.template(),
        first.template(),
        "a 197 px/cm record reads back exactly"
    );
    assert_eq!(
        second.score_against(&[&from_record]).to_bits(),
        second.score_against(&[&first]).to_bits()
    );
    assert_eq!(from_record.quality(), 60, "the record's finger quality");
    assert!(from_record.is_usable());
    // Finger quality 0 (not reported): 2.5 a minutia.
    let unrated = RecordWriter {
        finger_quality: 0,
        ..RecordWriter::iso(300, 300)
    };
    let few = Capture::from_minutiae_record(&unrated.write(&[(1, 5, 5, 0, 50); 4])).unwrap();
    assert_eq!((few.quality(), codes(&few)), (10, vec!["few_features"]));
    // The rendering shows no minutiae: a blank image.
    let r = from_record.render_features();
    assert!(r.data.iter().all(|&v| v == 255));
}
