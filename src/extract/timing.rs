//! Timing of the extraction stages (ignored by default; run with
//! `--ignored --nocapture`, in release for meaningful numbers). They need the
//! stages themselves, so they live here; everything that needs only the
//! public API (minutiae counts, dumps, renderings) is
//! `examples/extract_dev.rs`, and accuracy is the bench's.
//!
//! `SEALMATCH_FVC` (default `../shared/data/fvc` beside the repository)
//! chooses the FVC folder; nothing is written.

use super::*;
use std::path::{Path, PathBuf};

fn fvc_root() -> Option<PathBuf> {
    let p = std::env::var("SEALMATCH_FVC")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/fvc"));
    p.is_dir().then_some(p)
}

fn load(path: &Path) -> GrayImage {
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    buf.truncate(info.width as usize * info.height as usize);
    GrayImage::new(info.width as usize, info.height as usize, buf).unwrap()
}

/// CPU time of this thread, ms (wall time is meaningless on a loaded machine).
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|ns| ns / 1e6)
        .unwrap_or(0.0)
}

fn stage_times(img: &GrayImage, reps: usize) -> String {
    let (w, h) = (img.width(), img.height());
    let px = img.pixels();
    let mut t = [0f64; 10];
    for _ in 0..reps {
        let mut k = 0;
        let mut lap = cpu_ms();
        let mut tick = |t: &mut [f64; 10]| {
            let now = cpu_ms();
            t[k] += (now - lap) / reps as f64;
            lap = now;
            k += 1;
        };
        let st = stats::block_stats(px, w, h);
        let norm = stats::normalize(px, w, h, &st);
        tick(&mut t);
        let raw = orientation::raw_tensors(&norm, w, h);
        let mask = segment::segment(&st, &raw);
        let field = orientation::smooth(&raw, &mask, TUNED.orientation_sigma);
        tick(&mut t);
        let period = frequency::ridge_period(&norm, w, h, &field, &mask);
        tick(&mut t);
        let enhanced = enhance::enhance(&norm, w, h, &field, &period, &mask);
        tick(&mut t);
        let mut ridges = binarize::binarize(&enhanced, w, h, &mask);
        tick(&mut t);
        thin::thin(&mut ridges);
        tick(&mut t);
        let cands = minutiae::detect(&ridges);
        tick(&mut t);
        std::hint::black_box(cands);
    }
    format!("stats+normalize {:.2} ms, orientation+segment {:.2}, frequency {:.2}, enhance {:.2}, binarize {:.2}, thin {:.2}, minutiae {:.2}", t[0], t[1], t[2], t[3], t[4], t[5], t[6])
}

#[test]
#[ignore = "needs the FVC images; run with --ignored"]
fn fvc_stage_timing() {
    let Some(root) = fvc_root() else {
        eprintln!("FVC data not found (set SEALMATCH_FVC): skipped");
        return;
    };
    let img = load(&root.join("fvc2002_db1_b/101_1.png"));
    eprintln!("{}", stage_times(&img, 20));
}

#[test]
#[ignore = "timing; run with --ignored --nocapture in release"]
fn worst_case_timing() {
    let (w, h) = (800usize, 800usize);
    let mut s = 99u32;
    let noise: Vec<u8> = (0..w * h)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 24) as u8
        })
        .collect();
    // Ridges full of singularities: many minutiae everywhere.
    let mut ridges = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let mut phase = std::f32::consts::TAU * y as f32 / 9.0;
            for k in 0..12 {
                let (cx, cy) = ((k * 67 % 800) as f32, (k * 131 % 800) as f32);
                phase += (y as f32 - cy).atan2(x as f32 - cx);
            }
            ridges[y * w + x] = (128.0 + 90.0 * phase.cos()) as u8;
        }
    }
    for (name, px) in [("noise", noise), ("ridges", ridges)] {
        let img = GrayImage::new(w, h, px).unwrap();
        let t0 = cpu_ms();
        let ex = extract(&img);
        eprintln!(
            "{name} {w}x{h}: {:.1} ms CPU, {} minutiae, mean coherence {:.2}",
            cpu_ms() - t0,
            ex.template.minutiae.len(),
            ex.summary.mean_coherence
        );
        eprintln!("  {}", stage_times(&img, 3));
    }
}
