//! Face accuracy on a pair list (Labeled Faces in the Wild, `../shared/data/faces`)
//! and native speed on a 640×480 frame.
//!
//!   node scripts/face-models.mjs
//!   cargo run --release --example face_eval -- ../shared/data/faces [options]
//!
//! Options: --detect PAD:SIZE,... (detector passes tried in order), --min-score F, --full (full landmarks) or --tiny, --align dlib|dlib68|box,
//! --threads N, --limit N (first N photos' pairs), --pairs N (at most N pairs spread
//! over the list, indices floor(k*n/N), as bench/face's `--limit`), --scores FILE
//! (the pairs' scores in bench/face's score-file format, for `summarize.mjs`),
//! --speed (timings only), --frames FILE (time 640x480 RGBA frames concatenated in FILE, 2 rounds;
//! one JSON line: guidance and whole-capture ms per frame),
//! --camera (each photo enlarged 2x in a 640x480 frame), --failures FILE, --only FILE,
//! --all-impostors (every photo under dev/, and beside the pair list every
//! pair of photos of two different people: about 21 million impostor pairs,
//! embeddings kept in memory).
//! Each pair once, `path_a` enrolled, `path_b` verified; a photo without a
//! usable face scores as a non-match. Scores are `matcher::face_score`'s
//! (cosine clamped at 0), the scale of `FACE_DEFAULT_THRESHOLD`. Nothing is
//! written anywhere unless --scores or --failures names a file (keep those
//! outside the repository: they are made from people's photos).

use sealmatch::api::Biometric;
use sealmatch::face::capture::{
    Alignment, DetectorPass, Embedding, FaceCapture, FaceEngine, FaceOptions, MAX_DETECTOR_PASSES,
};
use sealmatch::face::frame::{Affine, Frame};
use sealmatch::face::sample::FaceSample;
use sealmatch::matcher::{face_score, FACE_DEFAULT_THRESHOLD};
use sealmatch::template::FaceTemplate;
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
    /// Every dev photo, and every pair of photos of two people as impostors.
    all_impostors: bool,
    /// At most this many pairs, spread over the list (0: all).
    pairs: usize,
    /// Write the pairs' scores here (bench/face/scorefile.mjs's format).
    scores: Option<PathBuf>,
    /// Time the 640x480 RGBA frames concatenated in this file.
    frames: Option<PathBuf>,
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
        all_impostors: false,
        pairs: 0,
        scores: None,
        frames: None,
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
            "--all-impostors" => a.all_impostors = true,
            "--pairs" => a.pairs = val().parse().unwrap(),
            "--scores" => a.scores = Some(PathBuf::from(val())),
            "--frames" => a.frames = Some(PathBuf::from(val())),
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

/// The options in a few words, for the score file's `#config` line.
fn config_text(o: &FaceOptions) -> String {
    let passes: Vec<String> = o
        .detector_passes
        .iter()
        .flatten()
        .map(|p| format!("{}:{}", p.padding, p.size))
        .collect();
    format!(
        "tiny detector, passes pad:size {}; {} 68-point; score cosine",
        passes.join(","),
        if o.tiny_landmarks { "tiny" } else { "full" }
    )
}

/// At most `limit` pairs spread evenly over the list (indices
/// floor(k * n / limit)), as bench/face/dataset.mjs's `limitPairs`; 0 keeps all.
fn spread<T: Clone>(pairs: Vec<T>, limit: usize) -> Vec<T> {
    let n = pairs.len();
    if limit == 0 || limit >= n {
        return pairs;
    }
    (0..limit).map(|k| pairs[k * n / limit].clone()).collect()
}

/// Times 640x480 RGBA frames (concatenated in `path`): the live guidance
/// loop (`FaceEngine::run` without the embedding: detection, landmarks,
/// quality) and the whole capture (`FaceSample::from_rgba`, what the
/// package's `FaceCapture.fromRgba` runs), one warm-up frame, then two
/// rounds, each frame's faster round kept. Prints one JSON line.
fn time_frames(engine: &FaceEngine, path: &Path) {
    const W: usize = 640;
    const H: usize = 480;
    let bytes = std::fs::read(path).expect("frames file");
    let frames: Vec<&[u8]> = bytes.chunks_exact(W * H * 4).collect();
    let ms = |run: &dyn Fn()| {
        let t = Instant::now();
        run();
        t.elapsed().as_secs_f64() * 1e3
    };
    let guide = |rgba: &[u8]| drop(engine.run(&Frame::new(W, H, rgba).unwrap(), false));
    let whole = |rgba: &[u8]| drop(FaceSample::from_rgba(engine, W, H, rgba).unwrap());
    if let Some(first) = frames.first() {
        guide(first);
        whole(first);
    }
    let mut g = vec![f64::MAX; frames.len()];
    let mut w = vec![f64::MAX; frames.len()];
    let mut found = 0;
    for round in 0..2 {
        for (i, rgba) in frames.iter().enumerate() {
            g[i] = g[i].min(ms(&|| guide(rgba)));
            w[i] = w[i].min(ms(&|| whole(rgba)));
            if round == 0
                && FaceSample::from_rgba(engine, W, H, rgba)
                    .unwrap()
                    .is_usable()
            {
                found += 1;
            }
        }
    }
    let list = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.3}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    println!(
        "{{\"runtime\":\"native (release, one thread)\",\"frames\":{},\"usable\":{found},\"guideMs\":[{}],\"wholeMs\":[{}]}}",
        frames.len(),
        list(&g),
        list(&w)
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
    if let Some(path) = &args.frames {
        time_frames(&engine, path);
        return;
    }
    let list = std::fs::read_to_string(args.data.join("pairs-dev.tsv")).expect("pairs-dev.tsv");
    let mut pairs = Vec::new();
    for line in list.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        pairs.push((f[0].to_string(), f[1].to_string(), f[2] == "1"));
    }
    let pairs = spread(pairs, args.pairs);
    let mut photos: Vec<String> = pairs
        .iter()
        .flat_map(|p| [p.0.clone(), p.1.clone()])
        .collect();
    if args.all_impostors {
        photos.extend(dev_photos(&args.data));
    }
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
    let templates: Vec<Option<FaceTemplate>> = results
        .iter()
        .map(|(_, c, _)| c.embedding.as_ref().map(template))
        .collect();
    let emb: HashMap<&str, &Option<FaceTemplate>> = results
        .iter()
        .zip(&templates)
        .map(|((p, _, _), t)| (p.as_str(), t))
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
    let mut lines = Vec::new();
    for (a, b, genuine) in &pairs {
        let (Some(ea), Some(eb)) = (emb.get(a.as_str()), emb.get(b.as_str())) else {
            continue;
        };
        let s = match (ea, eb) {
            (Some(x), Some(y)) => face_score(x, y),
            _ => -1.0, // failure to capture: a non-match
        };
        let written = if s < 0.0 {
            "-inf".to_string()
        } else {
            format!("{s:.6}")
        };
        lines.push(format!("{a}\t{b}\t{written}\t{}", u8::from(*genuine)));
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
    if let Some(path) = &args.scores {
        let facts = [
            (
                "peer",
                format!(
                    "sealmatch {} (native, {} thread{})",
                    env!("CARGO_PKG_VERSION"),
                    args.threads,
                    if args.threads == 1 { "" } else { "s" }
                ),
            ),
            ("config", config_text(&args.options)),
            ("pairs", lines.len().to_string()),
            ("photos", results.len().to_string()),
            ("ftd", failed.to_string()),
            ("photo_ms_median", format!("{med:.2}")),
            ("photo_ms_p95", format!("{p95:.2}")),
            ("default_threshold", FACE_DEFAULT_THRESHOLD.to_string()),
        ];
        let mut text: String = facts.iter().map(|(k, v)| format!("#{k}\t{v}\n")).collect();
        for line in &lines {
            text.push_str(line);
            text.push('\n');
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, text).unwrap();
        eprintln!("face_eval: wrote {}", path.display());
    }
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
            "FAR <= {:>5} %: threshold {:.4} (face_score: cosine clamped at 0), TAR {:.2} %, FAR {:.4} %",
            100.0 * bound,
            t,
            100.0 * rates.tar(t),
            100.0 * rates.far(t)
        );
    }
    if args.all_impostors {
        all_impostors(&results, &templates, &rates);
    }
}

/// The library's template of an engine embedding.
fn template(e: &Embedding) -> FaceTemplate {
    FaceTemplate::from_embedding(&e.0).expect("a unit embedding")
}

/// Every photo under `dev/`, as paths relative to `data`.
fn dev_photos(data: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for person in std::fs::read_dir(data.join("dev")).expect("dev/").flatten() {
        let name = person.file_name().to_string_lossy().into_owned();
        for photo in std::fs::read_dir(person.path()).expect("person").flatten() {
            let file = photo.file_name().to_string_lossy().into_owned();
            out.push(format!("dev/{name}/{file}"));
        }
    }
    out
}

/// The person of a `dev/<Name>/<file>` path.
fn person(path: &str) -> &str {
    path.split('/').nth(1).unwrap_or(path)
}

/// FMR and thresholds on every pair of photos (both with a usable face) of
/// two different people; TAR from the pair list's genuine pairs.
fn all_impostors(
    results: &[(String, FaceCapture, f64)],
    templates: &[Option<FaceTemplate>],
    pairs: &Rates,
) {
    let faces: Vec<(&str, &FaceTemplate)> = results
        .iter()
        .zip(templates)
        .filter_map(|((p, _, _), t)| t.as_ref().map(|t| (person(p), t)))
        .collect();
    let mut impostor = Vec::new();
    for (i, (pa, a)) in faces.iter().enumerate() {
        for (pb, b) in &faces[i + 1..] {
            if pa != pb {
                impostor.push(face_score(a, b));
            }
        }
    }
    let rates = Rates {
        genuine: pairs.genuine.clone(),
        impostor,
    };
    println!(
        "all impostor pairs: {} photos with a usable face, {} pairs of two people",
        faces.len(),
        rates.impostor.len()
    );
    for bound in [0.01, 0.001, 0.0001, 0.00001] {
        let t = rates.threshold(bound);
        println!(
            "all impostors, FMR <= {:>6} %: threshold {:.4}, FMR {:.5} %; TAR on the {} genuine dev pairs {:.2} %",
            100.0 * bound,
            t,
            100.0 * rates.far(t),
            rates.genuine.len(),
            100.0 * rates.tar(t)
        );
    }
    for t in [0.8f32, 0.85, 0.9, 0.91, 0.92, 0.93, 0.94, 0.943, 0.95] {
        println!(
            "  at {t:.3}: FMR {:.5} % (all impostors), FMR {:.4} % (pair list), TAR {:.2} %",
            100.0 * rates.far(t),
            100.0 * pairs.far(t),
            100.0 * rates.tar(t)
        );
    }
}
