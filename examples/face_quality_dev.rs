//! Dev-only: what the face quality measures say about matching, on the
//! development photos of `../shared/data/faces` (`pairs-dev.tsv` and its
//! photos; never a held-out list). For each photo: the head pose of its
//! landmarks ([`quality::head_pose`]), eye distance, luma, sharpness, centre
//! offset and the feedback; then, for bins of each measure, the genuine pairs'
//! mean score and acceptance and the impostor pairs' false acceptance, so a
//! feedback limit can be set where matching actually suffers. Prints tables;
//! nothing is written.
//!
//!   cargo run --release --example face_quality_dev -- ../shared/data/faces [--threads N]

#[path = "dev/faces.rs"]
mod faces;

use faces::{decode, dev_pairs, engine, par_map, photos_of, Pair};
use sealmatch::face::capture::FaceOptions;
use sealmatch::face::detector::Detection;
use sealmatch::face::frame::Frame;
use sealmatch::face::quality::{self, Feedback};
use sealmatch::face::recognition;
use sealmatch::matcher::{face_score, FACE_DEFAULT_THRESHOLD};
use sealmatch::template::FaceTemplate;
use std::collections::HashMap;
use std::path::PathBuf;

/// What one photo gave.
struct Photo {
    template: Option<FaceTemplate>,
    feedback: Vec<Feedback>,
    yaw: f32,
    pitch: f32,
    eyes: f32,
    luma: f32,
    sharpness: f32,
    offset: f32,
}

fn measure(
    engine: &sealmatch::face::capture::FaceEngine,
    data: &std::path::Path,
    p: &str,
) -> Photo {
    let (w, h, rgba) = decode(&data.join(p));
    let frame = Frame::new(w, h, &rgba).unwrap();
    let c = engine.run(&frame, true);
    let template = c
        .embedding
        .as_ref()
        .map(|e| FaceTemplate::from_embedding(&e.0).expect("a unit embedding"));
    let mut photo = Photo {
        template,
        feedback: c.feedback.clone(),
        yaw: f32::NAN,
        pitch: f32::NAN,
        eyes: f32::NAN,
        luma: f32::NAN,
        sharpness: f32::NAN,
        offset: f32::NAN,
    };
    if let (Some(b), true) = (c.face_box, photo.template.is_some()) {
        // The box is the one the pipeline used: the same landmarks again.
        let d = Detection {
            score: 1.0,
            x: b.x,
            y: b.y,
            width: b.width,
            height: b.height,
        };
        let points = engine.landmarks(&frame, &d);
        let chip = frame.warp(&engine.chip_transform(&points), recognition::INPUT);
        let pose = quality::head_pose(&points);
        let (cx, cy) = (b.x + b.width / 2.0, b.y + b.height / 2.0);
        photo.yaw = pose.yaw;
        photo.pitch = pose.pitch;
        photo.eyes = quality::eye_distance(&points);
        photo.luma = quality::luma(&chip);
        photo.sharpness = quality::sharpness(&chip);
        photo.offset = (cx / w as f32 - 0.5).abs().max((cy / h as f32 - 0.5).abs());
    }
    photo
}

/// A pair's score, -1 when a photo gave no face (a non-match).
fn score(photos: &HashMap<&str, Photo>, p: &Pair) -> f32 {
    match (
        &photos[p.a.as_str()].template,
        &photos[p.b.as_str()].template,
    ) {
        (Some(a), Some(b)) => face_score(a, b),
        _ => -1.0,
    }
}

/// The lowest threshold admitting at most `far` of the impostor scores.
fn threshold(impostor: &[f32], far: f64) -> f32 {
    let mut imp = impostor.to_vec();
    imp.sort_by(|a, b| b.total_cmp(a));
    let allowed = (far * imp.len() as f64).floor() as usize;
    imp.get(allowed)
        .map_or(f32::MIN, |&s| f32::from_bits(s.to_bits() + 1))
}

struct Scored<'a> {
    pair: &'a Pair,
    score: f32,
}

/// Per bin of `key(a, b)` (None: pair left out): genuine count, mean score,
/// acceptance at each threshold; impostor count and false acceptance at the first.
fn table(
    title: &str,
    scored: &[Scored],
    photos: &HashMap<&str, Photo>,
    key: impl Fn(&Photo, &Photo) -> Option<f32>,
    edges: &[f32],
    thresholds: &[(f32, &str)],
) {
    println!("\n{title}");
    let heads: Vec<String> = thresholds.iter().map(|t| format!("TAR@{}", t.1)).collect();
    println!(
        "  {:>13} | {:>6} {:>7} {} | {:>6} {:>9}",
        "bin",
        "gen n",
        "mean",
        heads.iter().map(|h| format!("{h:>13}")).collect::<String>(),
        "imp n",
        format!("FAR@{}", thresholds[0].1)
    );
    for w in edges.windows(2) {
        let in_bin = |s: &&Scored| {
            let k = key(&photos[s.pair.a.as_str()], &photos[s.pair.b.as_str()]);
            k.is_some_and(|k| k >= w[0] && k < w[1])
        };
        let gen: Vec<f32> = scored
            .iter()
            .filter(|s| s.pair.genuine)
            .filter(in_bin)
            .map(|s| s.score)
            .collect();
        let imp: Vec<f32> = scored
            .iter()
            .filter(|s| !s.pair.genuine)
            .filter(in_bin)
            .map(|s| s.score)
            .collect();
        if gen.is_empty() && imp.is_empty() {
            continue;
        }
        let rate = |v: &[f32], t: f32| {
            if v.is_empty() {
                f64::NAN
            } else {
                100.0 * v.iter().filter(|&&s| s >= t).count() as f64 / v.len() as f64
            }
        };
        let mean = gen.iter().map(|&s| s as f64).sum::<f64>() / gen.len().max(1) as f64;
        let tars: String = thresholds
            .iter()
            .map(|t| format!("{:>12.1}%", rate(&gen, t.0)))
            .collect();
        println!(
            "  {:>6.2}..{:<6.2}| {:>6} {:>7.4} {} | {:>6} {:>8.3}%",
            w[0],
            w[1],
            gen.len(),
            mean,
            tars,
            imp.len(),
            rate(&imp, thresholds[0].0)
        );
    }
}

fn percentiles(name: &str, values: impl Iterator<Item = f32>) {
    let mut v: Vec<f32> = values.filter(|x| x.is_finite()).collect();
    v.sort_by(f32::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    println!(
        "  {name:<12} p1 {:>8.3}  p5 {:>8.3}  p25 {:>8.3}  median {:>8.3}  p75 {:>8.3}  p95 {:>8.3}  p99 {:>8.3}",
        at(0.01), at(0.05), at(0.25), at(0.5), at(0.75), at(0.95), at(0.99)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut data, mut threads) = (PathBuf::from("../shared/data/faces"), 2);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().expect("N").parse().expect("N"),
            other => data = PathBuf::from(other),
        }
    }
    let engine = engine(FaceOptions::default());
    let pairs = dev_pairs(&data);
    let names = photos_of(&pairs);
    let measured = par_map(&names, threads, |p| measure(&engine, &data, p));
    let photos: HashMap<&str, Photo> = names.iter().map(String::as_str).zip(measured).collect();
    let scored: Vec<Scored> = pairs
        .iter()
        .map(|pair| Scored {
            pair,
            score: score(&photos, pair),
        })
        .collect();
    let impostor: Vec<f32> = scored
        .iter()
        .filter(|s| !s.pair.genuine)
        .map(|s| s.score)
        .collect();
    let t1 = threshold(&impostor, 0.001);
    let n = photos.len();
    let faces = photos.values().filter(|p| p.template.is_some()).count();
    println!(
        "{n} development photos, {faces} with a usable face; {} pairs",
        pairs.len()
    );
    println!("threshold at FAR 0.1 % on these pairs: {t1:.4}; FACE_DEFAULT_THRESHOLD {FACE_DEFAULT_THRESHOLD}");
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for p in photos.values() {
        for f in &p.feedback {
            match counts.iter_mut().find(|c| c.0 == f.as_str()) {
                Some(c) => c.1 += 1,
                None => counts.push((f.as_str(), 1)),
            }
        }
    }
    counts.sort();
    println!("feedback rates:");
    for (code, k) in counts {
        println!(
            "  {code:<14} {k:>5}  {:>5.2} %",
            100.0 * k as f64 / n as f64
        );
    }
    let off_several = photos
        .values()
        .filter(|p| {
            p.feedback.contains(&Feedback::OffCentre)
                && p.feedback.contains(&Feedback::SeveralFaces)
        })
        .count();
    println!("  (off_centre with several_faces: {off_several})");
    println!("measures over the photos with a face:");
    percentiles("yaw (deg)", photos.values().map(|p| p.yaw));
    percentiles("|yaw| (deg)", photos.values().map(|p| p.yaw.abs()));
    percentiles("pitch (deg)", photos.values().map(|p| p.pitch));
    percentiles("eyes (px)", photos.values().map(|p| p.eyes));
    percentiles("luma", photos.values().map(|p| p.luma));
    percentiles("sharpness", photos.values().map(|p| p.sharpness));
    percentiles("offset", photos.values().map(|p| p.offset));
    let share = |f: &dyn Fn(&Photo) -> bool| {
        100.0
            * photos
                .values()
                .filter(|p| p.template.is_some() && f(p))
                .count() as f64
            / n as f64
    };
    println!("share of the photos beyond a limit:");
    for l in [25.0, 30.0, 35.0, 40.0, 45.0, 50.0] {
        let (above, below) = (share(&|p| p.pitch > l), share(&|p| p.pitch < -l));
        let yaw = share(&|p| p.yaw.abs() > l);
        println!("  {l:>4}: |yaw| {yaw:>5.2} %   pitch above {above:>5.2} %   pitch below -{l} {below:>5.2} %");
    }
    let ts = [(t1, "FAR0.1%"), (FACE_DEFAULT_THRESHOLD, "default")];
    let both = |a: &Photo, b: &Photo| a.template.is_some() && b.template.is_some();
    let yaw_edges = [0.0, 10.0, 20.0, 30.0, 35.0, 40.0, 45.0, 50.0, 60.0, 90.0];
    table(
        "|yaw| of the more turned photo of the pair (degrees)",
        &scored,
        &photos,
        |a, b| both(a, b).then(|| a.yaw.abs().max(b.yaw.abs())),
        &yaw_edges,
        &ts,
    );
    table(
        "|yaw| of one photo, the other within 10 degrees of frontal",
        &scored,
        &photos,
        |a, b| {
            let (ya, yb) = (a.yaw.abs(), b.yaw.abs());
            (both(a, b) && ya.min(yb) < 10.0).then(|| ya.max(yb))
        },
        &yaw_edges,
        &ts,
    );
    table(
        "yaw difference between the two photos (degrees)",
        &scored,
        &photos,
        |a, b| both(a, b).then(|| (a.yaw - b.yaw).abs()),
        &yaw_edges,
        &ts,
    );
    table(
        "pitch of the photo further from the median pitch, signed (degrees)",
        &scored,
        &photos,
        |a, b| {
            both(a, b).then(|| {
                if (a.pitch - MEDIAN_PITCH).abs() > (b.pitch - MEDIAN_PITCH).abs() {
                    a.pitch
                } else {
                    b.pitch
                }
            })
        },
        &[
            -90.0, -40.0, -35.0, -30.0, -25.0, -20.0, -10.0, 0.0, 10.0, 20.0, 25.0, 30.0, 35.0,
            90.0,
        ],
        &ts,
    );
    table(
        "eye distance of the smaller face (pixels)",
        &scored,
        &photos,
        |a, b| both(a, b).then(|| a.eyes.min(b.eyes)),
        &[
            0.0, 16.0, 18.0, 20.0, 22.0, 24.0, 26.0, 28.0, 30.0, 35.0, 1000.0,
        ],
        &ts,
    );
    table(
        "sharpness of the less sharp photo",
        &scored,
        &photos,
        |a, b| both(a, b).then(|| a.sharpness.min(b.sharpness)),
        &[
            0.0, 0.04, 0.05, 0.06, 0.07, 0.08, 0.1, 0.12, 0.15, 0.2, 10.0,
        ],
        &ts,
    );
    table(
        "luma of the darker photo",
        &scored,
        &photos,
        |a, b| both(a, b).then(|| a.luma.min(b.luma)),
        &[
            0.0, 40.0, 50.0, 60.0, 70.0, 80.0, 100.0, 130.0, 160.0, 256.0,
        ],
        &ts,
    );
    table(
        "luma of the brighter photo",
        &scored,
        &photos,
        |a, b| both(a, b).then(|| a.luma.max(b.luma)),
        &[
            0.0, 100.0, 130.0, 160.0, 180.0, 190.0, 200.0, 210.0, 220.0, 256.0,
        ],
        &ts,
    );
}

/// Pitch about which the pitch table picks the more tilted photo of a pair
/// (about the dev photos' median, printed above: the generic head model's
/// zero is not exactly what a photographer calls level).
const MEDIAN_PITCH: f32 = -5.0;
