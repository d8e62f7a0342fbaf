//! Face accuracy on a pair list (Labeled Faces in the Wild, `../shared/data/faces`)
//! and native speed on a 640×480 frame.
//!
//!   node scripts/face-models.mjs
//!   cargo run --release --example face_eval -- ../shared/data/faces [options]
//!
//! Options: --detect PAD:SIZE,... (detector passes tried in order), --min-score F, --full (full landmarks) or --tiny, --align dlib|dlib68|box,
//! --threads N, --limit N (first N photos' pairs), --speed (timings only),
//! --camera (each photo enlarged 2x in a 640x480 frame), --failures FILE, --only FILE.
//! Each pair once, `path_a` enrolled, `path_b` verified; a photo without a
//! usable face scores as a non-match. Nothing is written anywhere.

use sealmatch::face::capture::{
    Alignment, DetectorPass, Embedding, FaceCapture, FaceEngine, FaceOptions, MAX_DETECTOR_PASSES,
};
use sealmatch::face::frame::{Affine, Frame};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

struct Args {
    data: PathBuf,
    options: FaceOptions,
    threads: usize,
    limit: usize,
    speed: bool,
    /// Each photo enlarged 2× in a 640×480 frame (a webcam-like frame).
    camera: bool,
    /// Write the photos without a usable face to this file (outside the repository).
    failures: Option<PathBuf>,
    /// Only these photos (a list written by --failures); no pair scoring.
    only: Option<PathBuf>,
}

fn parse_args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        data: PathBuf::from("../shared/data/faces"),
        options: FaceOptions::default(),
        threads: 2,
        limit: usize::MAX,
        speed: false,
        camera: false,
        failures: None,
        only: None,
    };
    while let Some(arg) = it.next() {
        let mut val = || it.next().expect("option value");
        match arg.as_str() {
            "--detect" => {
                // e.g. 0.25:320,0.5:320,0:416 (padding:size, tried in order)
                a.options.detector_passes = [None; MAX_DETECTOR_PASSES];
                for (i, p) in val().split(',').enumerate() {
                    let (pad, size) = p.split_once(':').expect("padding:size");
                    a.options.detector_passes[i] = Some(DetectorPass {
                        padding: pad.parse().unwrap(),
                        size: size.parse().unwrap(),
                    });
                }
            }
            "--min-score" => a.options.min_score = val().parse().unwrap(),
            "--tiny" => a.options.tiny_landmarks = true,
            "--full" => a.options.tiny_landmarks = false,
            "--passes" => a.options.landmark_passes = val().parse().unwrap(),
            "--dominance" => a.options.dominance = val().parse().unwrap(),
            "--refine-passes" => a.options.refine_passes = val().parse().unwrap(),
            "--refine" => a.options.refine = val().parse().ok(),
            "--centre" => a.options.centre_weight = val().parse().unwrap(),
            "--align" => {
                a.options.alignment = match val().as_str() {
                    "box" => Alignment::LandmarkBox,
                    "dlib68" => Alignment::Dlib68,
                    _ => Alignment::Dlib,
                }
            }
            "--threads" => a.threads = val().parse().unwrap(),
            "--limit" => a.limit = val().parse().unwrap(),
            "--speed" => a.speed = true,
            "--camera" => a.camera = true,
            "--failures" => a.failures = Some(PathBuf::from(val())),
            "--only" => a.only = Some(PathBuf::from(val())),
            other => a.data = PathBuf::from(other),
        }
    }
    a
}

/// RGBA pixels of a JPEG.
fn decode(path: &Path) -> (usize, usize, Vec<u8>) {
    let file = std::fs::File::open(path).expect("photo");
    let mut dec = jpeg_decoder::Decoder::new(std::io::BufReader::new(file));
    let px = dec.decode().expect("jpeg");
    let info = dec.info().unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let rgba = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => px
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        jpeg_decoder::PixelFormat::L8 => px.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        f => panic!("pixel format {f:?}"),
    };
    (w, h, rgba)
}

fn engine(options: FaceOptions) -> FaceEngine {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/face/sealmatch-face.bin");
    let bytes = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "{} absent: run node scripts/face-models.mjs",
            path.display()
        )
    });
    FaceEngine::new(&bytes, options).expect("weights")
}

fn median_p95(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
}

/// A 640×480 grey frame with the photo enlarged 2× (bilinear) in its centre:
/// the face about 130 pixels wide, as in a webcam frame at arm's length.
fn in_camera_frame(w: usize, h: usize, rgba: &[u8]) -> (usize, usize, Vec<u8>) {
    let (fw, fh) = (640, 480);
    let side = 2 * w.max(h);
    let big = Frame::new(w, h, rgba)
        .unwrap()
        .warp(&Affine::square(0.0, 0.0, w.max(h) as f32, side), side);
    let mut frame = vec![128u8; fw * fh * 4];
    let (ox, oy) = ((fw - side.min(fw)) / 2, (fh - side.min(fh)) / 2);
    for y in 0..side.min(fh) {
        for x in 0..side.min(fw) {
            let d = ((y + oy) * fw + x + ox) * 4;
            for c in 0..3 {
                frame[d + c] = big.at(y, x, c).round() as u8;
            }
        }
    }
    (fw, fh, frame)
}

/// Timings on a 640×480 frame holding the first photo of the list (see [`in_camera_frame`]).
fn speed(engine: &FaceEngine, photo: &Path) {
    let (w, h, rgba) = decode(photo);
    let (fw, fh, frame) = in_camera_frame(w, h, &rgba);
    let f = Frame::new(fw, fh, &frame).unwrap();
    let time = |run: &dyn Fn()| {
        run();
        median_p95(
            (0..30)
                .map(|_| {
                    let t = Instant::now();
                    run();
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect(),
        )
    };
    let det = time(&|| drop(engine.detect(&f)));
    let guide = time(&|| drop(engine.run(&f, false)));
    let full = time(&|| drop(engine.run(&f, true)));
    let c = engine.run(&f, true);
    println!(
        "speed, native, one thread, 640x480 frame (face found: {}):",
        c.embedding.is_some()
    );
    println!(
        "  detection alone            median {:6.1} ms  p95 {:6.1} ms",
        det.0, det.1
    );
    println!(
        "  guidance (det+lmk+quality) median {:6.1} ms  p95 {:6.1} ms",
        guide.0, guide.1
    );
    println!(
        "  whole capture              median {:6.1} ms  p95 {:6.1} ms",
        full.0, full.1
    );
}

/// Rates from scores: EER, and TAR at a FAR bound with its threshold.
struct Rates {
    genuine: Vec<f32>,
    impostor: Vec<f32>,
}

impl Rates {
    fn far(&self, t: f32) -> f64 {
        self.impostor.iter().filter(|&&s| s >= t).count() as f64 / self.impostor.len() as f64
    }
    fn tar(&self, t: f32) -> f64 {
        self.genuine.iter().filter(|&&s| s >= t).count() as f64 / self.genuine.len() as f64
    }
    /// The lowest threshold (accept when score >= t) with FAR <= bound.
    fn threshold(&self, bound: f64) -> f32 {
        let mut imp = self.impostor.clone();
        imp.sort_by(|a, b| b.total_cmp(a));
        let allowed = (bound * imp.len() as f64).floor() as usize;
        // Accepting scores > imp[allowed] admits at most `allowed` impostors.
        imp.get(allowed)
            .map_or(f32::MIN, |&s| f32::from_bits(s.to_bits() + 1))
    }
    fn eer(&self) -> f64 {
        let mut all: Vec<f32> = self.genuine.iter().chain(&self.impostor).copied().collect();
        all.sort_by(f32::total_cmp);
        all.dedup();
        let mut best = 1.0f64;
        for &t in &all {
            let (far, frr) = (self.far(t), 1.0 - self.tar(t));
            best = best.min(far.max(frr));
        }
        best
    }
}

fn main() {
    let args = parse_args();
    let engine = engine(args.options);
    let list = std::fs::read_to_string(args.data.join("pairs-dev.tsv")).expect("pairs-dev.tsv");
    let mut pairs = Vec::new();
    for line in list.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        pairs.push((f[0].to_string(), f[1].to_string(), f[2] == "1"));
    }
    let mut photos: Vec<String> = pairs
        .iter()
        .flat_map(|p| [p.0.clone(), p.1.clone()])
        .collect();
    photos.sort();
    photos.dedup();
    if args.speed {
        speed(&engine, &args.data.join(&photos[0]));
        return;
    }
    photos.truncate(args.limit);
    if let Some(only) = &args.only {
        photos = std::fs::read_to_string(only)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
    }
    eprintln!("{:?}", args.options);
    let t0 = Instant::now();
    let chunk = photos.len().div_ceil(args.threads.max(1));
    let results: Vec<(String, FaceCapture, f64)> = std::thread::scope(|s| {
        let handles: Vec<_> = photos
            .chunks(chunk)
            .map(|part| {
                let engine = &engine;
                let data = &args.data;
                let camera = args.camera;
                s.spawn(move || {
                    part.iter()
                        .map(|p| {
                            let (mut w, mut h, mut rgba) = decode(&data.join(p));
                            if camera {
                                (w, h, rgba) = in_camera_frame(w, h, &rgba);
                            }
                            let t = Instant::now();
                            let c = engine.run(&Frame::new(w, h, &rgba).unwrap(), true);
                            (p.clone(), c, t.elapsed().as_secs_f64() * 1e3)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let elapsed = t0.elapsed().as_secs_f64();
    let mut feedback: HashMap<&str, usize> = HashMap::new();
    let mut quality_sum = 0u64;
    for (_, c, _) in &results {
        quality_sum += c.quality as u64;
        for f in &c.feedback {
            *feedback.entry(f.as_str()).or_default() += 1;
        }
    }
    let times: Vec<f64> = results.iter().map(|r| r.2).collect();
    let emb: HashMap<&str, &Option<Embedding>> = results
        .iter()
        .map(|(p, c, _)| (p.as_str(), &c.embedding))
        .collect();
    let failed = results.iter().filter(|r| r.1.embedding.is_none()).count();
    let ambiguous = results
        .iter()
        .filter(|r| r.1.embedding.is_none() && r.1.face_box.is_some())
        .count();
    let mut rates = Rates {
        genuine: Vec::new(),
        impostor: Vec::new(),
    };
    // The same, on the pairs where both photos gave a face.
    let mut captured = Rates {
        genuine: Vec::new(),
        impostor: Vec::new(),
    };
    for (a, b, genuine) in &pairs {
        let (Some(ea), Some(eb)) = (emb.get(a.as_str()), emb.get(b.as_str())) else {
            continue;
        };
        let s = match (ea, eb) {
            (Some(x), Some(y)) => x.score(y),
            _ => -1.0, // failure to capture: a non-match
        };
        let both = [Some(&mut rates), (s >= 0.0).then_some(&mut captured)];
        for r in both.into_iter().flatten() {
            if *genuine {
                r.genuine.push(s)
            } else {
                r.impostor.push(s)
            }
        }
    }
    let (med, p95) = median_p95(times);
    if let Some(path) = &args.failures {
        let list: Vec<&str> = results
            .iter()
            .filter(|r| r.1.embedding.is_none())
            .map(|r| r.0.as_str())
            .collect();
        std::fs::write(path, list.join("\n")).unwrap();
    }
    if args.only.is_some() {
        for (p, c, _) in &results {
            let (w, h, rgba) = decode(&args.data.join(p));
            let dets: Vec<_> = engine
                .detect(&Frame::new(w, h, &rgba).unwrap())
                .iter()
                .map(|d| {
                    format!(
                        "{:.2}@({},{},{})",
                        d.score, d.x as i32, d.y as i32, d.width as i32
                    )
                })
                .collect();
            println!("{p} {w}x{h}: {:?} detections {dets:?}", c.feedback);
        }
        let failed = results.iter().filter(|r| r.1.embedding.is_none()).count();
        println!("{failed} of {} without a usable face", results.len());
        return;
    }
    println!(
        "photos {} ({} without a usable face, {} of them refused as several faces without a dominant one), pairs {} genuine / {} impostor, {:.0} s on {} threads, per photo median {:.1} ms p95 {:.1} ms",
        results.len(), failed, ambiguous, rates.genuine.len(), rates.impostor.len(), elapsed, args.threads, med, p95
    );
    let mut fb: Vec<_> = feedback.into_iter().collect();
    fb.sort();
    println!(
        "feedback counts: {fb:?}; mean quality {:.1}",
        quality_sum as f64 / results.len() as f64
    );
    println!(
        "EER {:.2} % (on the {} pairs where both photos gave a face: {:.2} %)",
        100.0 * rates.eer(),
        captured.genuine.len() + captured.impostor.len(),
        100.0 * captured.eer()
    );
    for bound in [0.01, 0.001, 0.0001] {
        let t = rates.threshold(bound);
        println!(
            "FAR <= {:>5} %: threshold {:.4} (score scale (1+cos)/2), TAR {:.2} %, FAR {:.4} %",
            100.0 * bound,
            t,
            100.0 * rates.tar(t),
            100.0 * rates.far(t)
        );
    }
    // Every pair of photos of two different people, for a finer FAR.
    let people: Vec<(&str, &Embedding)> = results
        .iter()
        .filter_map(|(p, c, _)| {
            c.embedding
                .as_ref()
                .map(|e| (p.rsplit_once('/').unwrap().0, e))
        })
        .collect();
    let mut all = Rates {
        genuine: rates.genuine.clone(),
        impostor: Vec::new(),
    };
    for (i, (pa, ea)) in people.iter().enumerate() {
        for (pb, eb) in &people[i + 1..] {
            if pa != pb {
                all.impostor.push(ea.score(eb));
            }
        }
    }
    let t = all.threshold(0.0001);
    println!(
        "all {} cross-identity pairs of captured photos: threshold for FAR <= 0.01 % {:.4} (FAR {:.4} %), TAR on the dev genuine pairs {:.2} %",
        all.impostor.len(),
        t,
        100.0 * all.far(t),
        100.0 * all.tar(t)
    );
}
