//! Parity of the Rust face networks with face-api.js on tfjs, on fixed
//! synthetic inputs.
//!
//! Needs two build outputs (never committed):
//!   node scripts/face-models.mjs      -> target/face/sealmatch-face.bin
//!   node tests/face_reference.mjs     -> target/face/reference/*.json
//! Without them each test says so and passes, unless SEALMATCH_FACE_REQUIRED=1
//! (as `make test` sets it), when it fails.

use sealmatch::face::detector::TinyFaceDetector;
use sealmatch::face::landmarks::LandmarkNet;
use sealmatch::face::recognition::RecognitionNet;
use sealmatch::face::tensor::Map;
use sealmatch::face::weights::Weights;
use serde_json::Value;
use std::path::PathBuf;

const HOWTO: &str =
    "run `npm ci && node scripts/face-models.mjs && node tests/face_reference.mjs` first";

fn target() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/face")
}

/// The weights and the reference file `name`, or None (after saying what to
/// run) when they have not been generated.
fn load(name: &str) -> Option<(Weights, Value)> {
    let wpath = target().join("sealmatch-face.bin");
    let rpath = target().join("reference").join(format!("{name}.json"));
    if !wpath.exists() || !rpath.exists() {
        let msg = format!(
            "face parity: {} or {} absent: {HOWTO}",
            wpath.display(),
            rpath.display()
        );
        if std::env::var("SEALMATCH_FACE_REQUIRED").as_deref() == Ok("1") {
            panic!("{msg}");
        }
        eprintln!("SKIPPED {msg}");
        return None;
    }
    let weights = Weights::parse(&std::fs::read(wpath).unwrap()).expect("weights file");
    let reference = serde_json::from_slice(&std::fs::read(rpath).unwrap()).unwrap();
    Some((weights, reference))
}

fn rgb_map(case: &Value) -> Map {
    let w = case["width"].as_u64().unwrap() as usize;
    let h = case["height"].as_u64().unwrap() as usize;
    let hex = case["rgb"].as_str().unwrap().as_bytes();
    let data: Vec<f32> = hex
        .chunks_exact(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap() as f32)
        .collect();
    Map::from_vec(h, w, 3, data)
}

fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "lengths");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum();
    let na: f64 = a.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb)
}

#[test]
fn detector_matches_tfjs() {
    let Some((mut w, reference)) = load("detector") else {
        return;
    };
    let net = TinyFaceDetector::from_weights(&mut w).unwrap();
    for case in reference.as_array().unwrap() {
        let rgb = rgb_map(case);
        let size = case["size"].as_u64().unwrap() as usize;
        let raw = net.forward(&TinyFaceDetector::input(&rgb, size));
        let want = floats(&case["raw"]);
        let shape: Vec<usize> = case["raw_shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(vec![raw.h, raw.w, raw.c], shape, "output shape");
        let d = max_abs_diff(&raw.data, &want);
        eprintln!("detector {size}: max |raw - tfjs| = {d:.2e}");
        assert!(d < 5e-4, "detector raw output differs by {d}");

        let min_score = case["min_score"].as_f64().unwrap() as f32;
        let got = net.detect(&rgb, size, min_score);
        let want = case["detections"].as_array().unwrap();
        assert_eq!(got.len(), want.len(), "number of detections");
        assert!(!got.is_empty(), "the synthetic frames hold faces");
        for (g, e) in got.iter().zip(want) {
            let e = |k: &str| e[k].as_f64().unwrap() as f32;
            assert!(
                (g.score - e("score")).abs() < 1e-4,
                "score {} vs {}",
                g.score,
                e("score")
            );
            for (a, b) in [
                (g.x, e("x")),
                (g.y, e("y")),
                (g.width, e("width")),
                (g.height, e("height")),
            ] {
                assert!((a - b).abs() < 0.05, "box {a} vs {b}");
            }
        }
    }
}

#[test]
fn landmarks_match_tfjs() {
    let Some((mut w, reference)) = load("landmarks") else {
        return;
    };
    let tiny = LandmarkNet::from_weights(&mut w, true).unwrap();
    // The full network is in the file only when built with --all.
    let full = if w.contains("landmarks/fc/bias") {
        Some(LandmarkNet::from_weights(&mut w, false).unwrap())
    } else {
        eprintln!("full landmark network not in the file (node scripts/face-models.mjs --all): not compared");
        None
    };
    for case in reference.as_array().unwrap() {
        let x = LandmarkNet::input(&rgb_map(case));
        for (key, net) in [("tiny", Some(&tiny)), ("full", full.as_ref())] {
            let Some(net) = net else { continue };
            let got = net.forward(&x);
            let d = max_abs_diff(&got, &floats(&case[key]));
            eprintln!("landmarks {key}: max |rust - tfjs| = {d:.2e} (of the crop side)");
            assert!(d < 1e-5, "{key} landmarks differ by {d} of the crop side");
        }
    }
}

#[test]
fn embeddings_match_tfjs() {
    let Some((mut w, reference)) = load("recognition") else {
        return;
    };
    let net = RecognitionNet::from_weights(&mut w).unwrap();
    for case in reference.as_array().unwrap() {
        let got = net.forward(&RecognitionNet::input(&rgb_map(case)));
        let want = floats(&case["descriptor"]);
        let c = cosine(&got, &want);
        let d = max_abs_diff(&got, &want);
        eprintln!("recognition: cosine {c:.7}, max |rust - tfjs| = {d:.2e}");
        assert!(c >= 0.9999, "cosine {c}");
        assert!(d < 1e-5, "descriptor differs by {d}");
    }
}
