//! Dev-only: the order of the face detector's passes
//! (`FaceOptions::detector_passes`) for webcam frames. Each sampled
//! development photo (`pairs-dev.tsv`'s photos, one in `--step`) is also
//! scaled and placed into a 640×480 and a 1280×720 frame of textured
//! background, its face (LFW: a 150×150 photo is 2.2 times its face's box)
//! 15–60 % of the frame's height at a random place inside the frame. Every
//! candidate pass runs once on every frame and on the photo itself (CPU
//! time of the thread, detection on the true face or not); every order of up
//! to three passes is then scored from those runs, as the engine tries them:
//! the first pass that finds any face ends the search. Prints tables; nothing
//! is written.
//!
//!   cargo run --release --example face_passes_dev -- ../shared/data/faces [--step N] [--threads N]
//!
//! `--save FILE` writes the runs' outcomes (per input: found, on the true
//! face, CPU ms; nothing from the photos) so that `--load FILE` can print the
//! tables again without running the detector.

mod dev;
#[path = "dev/faces.rs"]
mod faces;

use dev::cpu_seconds;
use faces::{decode, dev_pairs, engine, par_map, photos_of};
use sealmatch::face::capture::{DetectorPass, FaceEngine, FaceOptions, MAX_DETECTOR_PASSES};
use sealmatch::face::frame::{Affine, Frame};
use std::path::PathBuf;

/// The candidate passes (padding, size).
const PASSES: [(f32, usize); 9] = [
    (0.0, 224),
    (0.0, 320),
    (0.0, 416),
    (0.0, 512),
    (0.0, 608),
    (0.25, 320),
    (0.25, 416),
    (0.5, 320),
    (0.5, 416),
];

/// The three kinds of input.
const INPUTS: [&str; 3] = ["LFW photo", "640x480", "1280x720"];

/// One pass on one input: a face found at all, one on the true face, CPU ms.
#[derive(Clone, Copy, Default)]
struct Outcome {
    any: bool,
    hit: bool,
    ms: f64,
}

/// A small xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// A frame of `fw`×`fh` with the photo (side `w`) scaled so that its face
/// (side `w / 2.2`) is `share` of the frame's height, the face centred at
/// (cx, cy); returns the frame and the true face box (x, y, side).
fn webcam_frame(
    photo: &Frame,
    (fw, fh): (usize, usize),
    rng: &mut Rng,
) -> (Vec<u8>, (f32, f32, f32)) {
    let share = 0.15 + 0.45 * rng.next();
    let face = share * fh as f32;
    let side = (face * 2.2).round() as usize;
    let cx = face / 2.0 + rng.next() * (fw as f32 - face);
    let cy = face / 2.0 + rng.next() * (fh as f32 - face);
    let big = photo.warp(&Affine::square(0.0, 0.0, photo.width() as f32, side), side);
    // Background: two slow waves, a gradient and pixel noise.
    let (p1, p2) = (rng.next() * 6.0, rng.next() * 6.0);
    let mut px = vec![255u8; fw * fh * 4];
    for y in 0..fh {
        for x in 0..fw {
            let (u, v) = (x as f32 / fw as f32, y as f32 / fh as f32);
            let base = 110.0 + 50.0 * (u * 7.0 + p1).sin() * (v * 5.0 + p2).cos() + 40.0 * v;
            let i = (y * fw + x) * 4;
            for c in 0..3 {
                px[i + c] = (base + 20.0 * (c as f32 - 1.0) * u + 20.0 * rng.next())
                    .clamp(0.0, 255.0) as u8;
            }
        }
    }
    let (x0, y0) = (cx - side as f32 / 2.0, cy - side as f32 / 2.0);
    for v in 0..side {
        for u in 0..side {
            let (x, y) = (x0 as isize + u as isize, y0 as isize + v as isize);
            if x < 0 || y < 0 || x >= fw as isize || y >= fh as isize {
                continue;
            }
            let i = (y as usize * fw + x as usize) * 4;
            for c in 0..3 {
                px[i + c] = big.at(v, u, c).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    (px, (cx - face / 2.0, cy - face / 2.0, face))
}

/// Each candidate pass on the frame.
fn run_passes(engines: &[FaceEngine], frame: &Frame, truth: (f32, f32, f32)) -> Vec<Outcome> {
    engines
        .iter()
        .map(|e| {
            let t = cpu_seconds();
            let dets = e.detect(frame);
            let ms = (cpu_seconds() - t) * 1e3;
            let hit = dets.iter().any(|d| {
                let (dx, dy) = (d.x + d.width / 2.0, d.y + d.height / 2.0);
                (dx - truth.0 - truth.2 / 2.0).abs() < truth.2 / 2.0
                    && (dy - truth.1 - truth.2 / 2.0).abs() < truth.2 / 2.0
            });
            Outcome {
                any: !dets.is_empty(),
                hit,
                ms,
            }
        })
        .collect()
}

/// The outcome of trying `order` (indices into PASSES) on one input.
fn tried(order: &[usize], runs: &[Outcome]) -> Outcome {
    let mut ms = 0.0;
    for &i in order {
        ms += runs[i].ms;
        if runs[i].any {
            return Outcome { ms, ..runs[i] };
        }
    }
    Outcome {
        any: false,
        hit: false,
        ms,
    }
}

fn name(order: &[usize]) -> String {
    order
        .iter()
        .map(|&i| format!("{}:{}", PASSES[i].0, PASSES[i].1))
        .collect::<Vec<_>>()
        .join(",")
}

/// Per input: percent on the true face, percent on another face only, mean ms.
type Summary = [(f64, f64, f64); 3];

/// The [`Summary`] of trying `order` on every photo.
fn summary(order: &[usize], results: &[[Vec<Outcome>; 3]]) -> Summary {
    std::array::from_fn(|k| {
        let n = results.len() as f64;
        let outs: Vec<Outcome> = results.iter().map(|r| tried(order, &r[k])).collect();
        let hit = outs.iter().filter(|o| o.hit).count() as f64;
        let wrong = outs.iter().filter(|o| o.any && !o.hit).count() as f64;
        let ms = outs.iter().map(|o| o.ms).sum::<f64>() / n;
        (100.0 * hit / n, 100.0 * wrong / n, ms)
    })
}

fn print_row(label: &str, s: &Summary) {
    let cells: String = s
        .iter()
        .map(|(hit, wrong, ms)| format!(" | {hit:>6.2} {wrong:>5.2} {ms:>7.1}"))
        .collect();
    println!("  {label:<28}{cells}");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut data, mut step, mut threads) = (PathBuf::from("../shared/data/faces"), 5, 2);
    let (mut save, mut load) = (None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--step" => step = args.next().expect("N").parse().expect("N"),
            "--threads" => threads = args.next().expect("N").parse().expect("N"),
            "--save" => save = args.next().map(PathBuf::from),
            "--load" => load = args.next().map(PathBuf::from),
            other => data = PathBuf::from(other),
        }
    }
    let results = match load {
        Some(path) => read_outcomes(&path),
        None => measure_all(&data, step, threads),
    };
    if let Some(path) = save {
        write_outcomes(&path, &results);
    }
    report(&results, step);
}

/// Every candidate pass on every sampled photo and its two webcam frames.
fn measure_all(data: &std::path::Path, step: usize, threads: usize) -> Vec<[Vec<Outcome>; 3]> {
    let base = engine(FaceOptions::default());
    let engines: Vec<FaceEngine> = PASSES
        .iter()
        .map(|&(padding, size)| {
            let mut e = base.clone();
            e.options.detector_passes = [None; MAX_DETECTOR_PASSES];
            e.options.detector_passes[0] = Some(DetectorPass { padding, size });
            e
        })
        .collect();
    let photos: Vec<(usize, String)> = photos_of(&dev_pairs(data))
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0)
        .collect();
    par_map(&photos, threads, |(i, p)| {
        let (w, h, rgba) = decode(&data.join(p));
        let photo = Frame::new(w, h, &rgba).unwrap();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (*i as u64 + 1).wrapping_mul(0x2545_F491));
        let s = w.max(h) as f32 / 2.2;
        let own = run_passes(
            &engines,
            &photo,
            ((w as f32 - s) / 2.0, (h as f32 - s) / 2.0, s),
        );
        let mut cam = |size: (usize, usize)| {
            let (px, truth) = webcam_frame(&photo, size, &mut rng);
            run_passes(&engines, &Frame::new(size.0, size.1, &px).unwrap(), truth)
        };
        [own, cam((640, 480)), cam((1280, 720))]
    })
}

/// One line a run: photo, input, pass, found (0/1), on the true face (0/1), ms.
fn write_outcomes(path: &std::path::Path, results: &[[Vec<Outcome>; 3]]) {
    let mut out = String::new();
    for (i, r) in results.iter().enumerate() {
        for (k, runs) in r.iter().enumerate() {
            for (p, o) in runs.iter().enumerate() {
                out += &format!(
                    "{i}\t{k}\t{p}\t{}\t{}\t{:.3}\n",
                    o.any as u8, o.hit as u8, o.ms
                );
            }
        }
    }
    std::fs::write(path, out).expect("write");
}

fn read_outcomes(path: &std::path::Path) -> Vec<[Vec<Outcome>; 3]> {
    let mut results: Vec<[Vec<Outcome>; 3]> = Vec::new();
    for line in std::fs::read_to_string(path).expect("read").lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let (i, k): (usize, usize) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        if results.len() <= i {
            results.push(Default::default());
        }
        results[i][k].push(Outcome {
            any: f[3] == "1",
            hit: f[4] == "1",
            ms: f[5].parse().unwrap(),
        });
    }
    results
}

fn report(results: &[[Vec<Outcome>; 3]], step: usize) {
    println!(
        "{} development photos (one in {step}); per input: % detected on the true face, % only another face, mean CPU ms of detection",
        results.len()
    );
    let header: String = INPUTS.iter().map(|i| format!(" | {i:^20}")).collect();
    println!("\nsingle passes (padding:size)\n  {:<28}{header}", "pass");
    for i in 0..PASSES.len() {
        print_row(&name(&[i]), &summary(&[i], results));
    }
    let mut orders: Vec<Vec<usize>> = Vec::new();
    let n = PASSES.len();
    for a in 0..n {
        orders.push(vec![a]);
        for b in (0..n).filter(|&b| b != a) {
            orders.push(vec![a, b]);
            for c in (0..n).filter(|&c| c != a && c != b) {
                orders.push(vec![a, b, c]);
            }
        }
    }
    let current: Vec<usize> = FaceOptions::default()
        .detector_passes
        .iter()
        .flatten()
        .map(|p| {
            PASSES
                .iter()
                .position(|&(pad, size)| pad == p.padding && size == p.size)
                .expect("the default passes are candidates")
        })
        .collect();
    let cur = summary(&current, results);
    println!("\nthe default order\n  {:<28}{header}", "order");
    print_row(&name(&current), &cur);
    let mut scored: Vec<(Vec<usize>, Summary)> = orders
        .into_iter()
        .map(|o| {
            let s = summary(&o, results);
            (o, s)
        })
        .collect();
    let webcam_ms = |s: &Summary| s[1].2 + s[2].2;
    let mut fastest: Vec<&(Vec<usize>, Summary)> = scored
        .iter()
        .filter(|(_, s)| s[1].0 >= cur[1].0 && s[2].0 >= cur[2].0)
        .collect();
    fastest.sort_by(|a, b| webcam_ms(&a.1).total_cmp(&webcam_ms(&b.1)));
    println!(
        "\nfastest on the webcam frames among the orders detecting at least as many of them as the default (whatever the LFW photos)\n  {:<28}{header}",
        "order"
    );
    for (o, s) in fastest.iter().take(15) {
        print_row(&name(o), s);
    }
    scored.retain(|(_, s)| s[0].0 >= cur[0].0);
    // Webcam detection first (both sizes), then webcam time.
    scored.sort_by(|a, b| {
        let det = |s: &Summary| s[1].0 + s[2].0;
        let ms = |s: &Summary| s[1].2 + s[2].2;
        det(&b.1)
            .total_cmp(&det(&a.1))
            .then(ms(&a.1).total_cmp(&ms(&b.1)))
    });
    println!(
        "\norders at least as good as the default on the LFW photos, best webcam detection first, then fastest\n  {:<28}{header}",
        "order"
    );
    for (o, s) in scored.iter().take(25) {
        print_row(&name(o), s);
    }
}
