//! Properties of the generator that do not need the engine.

use sealmatch_synth::{database, png_io, Finger, FingerConfig, PatternClass, Variation};

fn small() -> FingerConfig {
    FingerConfig {
        width: 200,
        height: 200,
        ..FingerConfig::default()
    }
}

#[test]
fn same_seed_same_images_other_seed_other_images() {
    let a = database(5, 2, 2, &small(), &Variation::typical());
    let b = database(5, 2, 2, &small(), &Variation::typical());
    assert_eq!(a, b);
    let c = database(6, 2, 2, &small(), &Variation::typical());
    assert_ne!(a[0][0], c[0][0]);
    assert_ne!(a[0][0], a[0][1], "impressions of one finger differ");
    assert_ne!(a[0][0], a[1][0], "fingers differ");
}

#[test]
fn impressions_have_a_finger_with_ridges_on_a_light_background() {
    for class in PatternClass::ALL {
        let cfg = FingerConfig {
            class: Some(class),
            ..small()
        };
        let f = Finger::new(77, &cfg);
        assert_eq!(f.class(), class);
        let img = f.impression(0, &Variation::gentle());
        let n = img.pixels.len() as f32;
        let dark = img.pixels.iter().filter(|&&p| p < 128).count() as f32 / n;
        let light = img.pixels.iter().filter(|&&p| p > 180).count() as f32 / n;
        assert!((0.1..0.6).contains(&dark), "{class:?}: dark share {dark}");
        assert!(light > 0.3, "{class:?}: light share {light}");
        // Corners are background (no finger reaches all four).
        let corner = img.pixels[0] as u32 + img.pixels[img.width - 1] as u32;
        assert!(corner > 300, "{class:?}: corners {corner}");
    }
}

#[test]
fn ridges_alternate_at_a_fingerprint_period() {
    // Count dark runs along the middle row: a 500-dpi print has a ridge
    // every 8-11 pixels.
    let f = Finger::new(3, &small());
    let img = f.impression(0, &Variation::gentle());
    let y = img.height / 2;
    let row = &img.pixels[y * img.width..][..img.width];
    let mean = row.iter().map(|&p| p as f32).sum::<f32>() / row.len() as f32;
    let mut runs = 0;
    let (mut first, mut last) = (None, 0);
    for x in 1..row.len() {
        if (row[x] as f32) < mean && (row[x - 1] as f32) >= mean {
            runs += 1;
            first.get_or_insert(x);
            last = x;
        }
    }
    assert!(runs >= 8, "only {runs} ridges crossed");
    let period = (last - first.unwrap()) as f32 / (runs - 1) as f32;
    assert!((6.5..13.0).contains(&period), "period {period}");
}

#[test]
fn higher_dpi_scales_the_ridge_period() {
    let cfg = FingerConfig {
        width: 300,
        height: 300,
        dpi: 1000,
        class: None,
    };
    let f = Finger::new(3, &cfg);
    let img = f.impression(0, &Variation::gentle());
    assert_eq!((img.width, img.height), (300, 300));
    let y = img.height / 2;
    let row = &img.pixels[y * img.width..][..img.width];
    let mean = row.iter().map(|&p| p as f32).sum::<f32>() / row.len() as f32;
    let crossings = (1..row.len())
        .filter(|&x| (row[x] as f32) < mean && (row[x - 1] as f32) >= mean)
        .count();
    // 300 px at 1000 dpi is 150 px at 500 dpi: about 15 ridges, not 30.
    assert!((8..=22).contains(&crossings), "{crossings} ridges");
}

#[test]
fn png_round_trip() {
    let img = Finger::new(1, &small()).impression(1, &Variation::hard());
    let bytes = png_io::encode(&img).unwrap();
    assert_eq!(png_io::decode(&bytes[..]).unwrap(), img);
}
