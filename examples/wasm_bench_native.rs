//! The native half of the WASM benchmark (`bench/wasm/`, run by `make bench`):
//! times the same work as the package does in Node and Chromium, on the same
//! pixels, through the public Rust API, so the ratios WASM/native compare one
//! code base in two runtimes.
//!
//! ```sh
//! cargo run --release --example wasm_bench_native -- /tmp/plan.json [--serve]
//! ```
//!
//! With `--serve` it answers the commands of `bench/wasm/protocol.mjs` on
//! stdin (`hello`, `group N`, `batches`, `end`), one JSON line each, so run.mjs
//! can let the runtimes take turns group by group. `batches` is the native
//! row of the per-engine table (`bench/engines/speed.mjs`): the plan's
//! `batches` workload, timed as `bench/wasm/batches.mjs` times it in JS.
//!
//! The plan is written by `bench/wasm/run.mjs`: groups of raw 8-bit grey
//! images (one `.bin` file a group, images at byte offsets) and the pairs to
//! verify (`[enrolled, probe]` image indexes). Per group it prints, as one JSON
//! object on stdout, the raw samples: extraction ms per image
//! (`Capture::from_gray`, the fastest of `passes`), verify µs per call (`verify`: token checks,
//! decryption and matching; the mean of `reps` calls per pair), the template
//! and token bytes, and how many images were unusable. No image data, template
//! or minutia is printed.

use sealmatch::face::capture::{FaceEngine, FaceOptions};
use sealmatch::face::sample::FaceSample;
use sealmatch::template::codec::encoded_len;
use sealmatch::{enroll, verify, Capture, EnrollOptions, VerifyOptions};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Instant;

const BAG: &str = "0117123456";
const FLIGHT: &str = "SK1415";
const NOW: u64 = 1_800_000_000;

fn num(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("plan: `{key}` missing"))
}

fn run_group(group: &Value, warmup: usize) -> Value {
    let bin = std::fs::read(group["bin"].as_str().expect("plan: bin")).expect("read group bin");
    let images: Vec<(u32, u32, u32, &[u8])> = group["images"]
        .as_array()
        .expect("plan: images")
        .iter()
        .map(|im| {
            let (w, h) = (num(im, "width") as u32, num(im, "height") as u32);
            let off = num(im, "offset") as usize;
            (
                w,
                h,
                num(im, "dpi") as u32,
                &bin[off..off + (w * h) as usize],
            )
        })
        .collect();
    let reps = group["reps"].as_u64().unwrap_or(1).max(1) as u32;

    // Warm-up: caches and allocator, as the JS runtimes get theirs.
    for &(w, h, dpi, px) in images.iter().cycle().take(warmup.min(images.len() * 4)) {
        let _ = Capture::from_gray(w, h, px, dpi);
    }

    // Each image extracted `passes` times, its fastest time kept (as in JS).
    let passes = group["passes"].as_u64().unwrap_or(1).max(1);
    let mut extract_ms = vec![f64::INFINITY; images.len()];
    let mut captures = Vec::new();
    for _ in 0..passes {
        captures.clear();
        for (i, &(w, h, dpi, px)) in images.iter().enumerate() {
            let t = Instant::now();
            let cap = Capture::from_gray(w, h, px, dpi);
            extract_ms[i] = extract_ms[i].min(t.elapsed().as_secs_f64() * 1e3);
            captures.push(cap.ok().filter(|c| c.is_usable()));
        }
    }
    let unusable = captures.iter().filter(|c| c.is_none()).count();

    let mut opts = EnrollOptions::new(BAG, FLIGHT);
    opts.now = Some(NOW);
    let tokens: Vec<_> = captures
        .iter()
        .map(|c| c.as_ref().and_then(|c| enroll(&[c], &opts).ok()))
        .collect();
    let token_bytes = tokens.iter().flatten().map(|t| t.token.len()).next();

    let mut vopts = VerifyOptions::new(BAG);
    vopts.now = Some(NOW + 1);
    let mut verify_us = Vec::new();
    let mut skipped = 0usize;
    let mut matches = 0usize;
    for pair in group["pairs"].as_array().expect("plan: pairs") {
        let (a, b) = (
            pair[0].as_u64().unwrap() as usize,
            pair[1].as_u64().unwrap() as usize,
        );
        let (Some(sealed), Some(probe)) = (&tokens[a], &captures[b]) else {
            skipped += 1;
            continue;
        };
        let t = Instant::now();
        let mut last = None;
        for _ in 0..reps {
            last =
                Some(verify(probe, &sealed.token, &sealed.passenger_key, &vopts).expect("verify"));
        }
        verify_us.push(t.elapsed().as_secs_f64() * 1e6 / reps as f64);
        matches += last.is_some_and(|r| r.matched) as usize;
    }
    json!({
        "name": group["name"],
        "extractMs": extract_ms,
        "verifyUs": verify_us,
        "templateBytes": encoded_len(1),
        "tokenBytes": token_bytes,
        "unusable": unusable,
        "skippedPairs": skipped,
        "matches": matches,
        "minutiae": captures.iter().flatten().map(|c| c.minutiae_count()).max(),
    })
}

/// The bytes of a plan image (`bin`, `offset`, `width`, `height`, and
/// `channels` bytes a pixel, 1 when absent).
fn plan_pixels(im: &Value) -> Vec<u8> {
    let bin = std::fs::read(im["bin"].as_str().expect("plan: bin")).expect("read bin");
    let off = im["offset"].as_u64().unwrap_or(0) as usize;
    let channels = im["channels"].as_u64().unwrap_or(1);
    let len = (num(im, "width") * num(im, "height") * channels) as usize;
    bin[off..off + len].to_vec()
}

/// The smallest non-zero step of `Instant` seen over 50 ms, in ms (as
/// `timerStepMs` in bench/wasm/batches.mjs).
fn timer_step_ms() -> f64 {
    let start = Instant::now();
    let mut last = start;
    let mut step = f64::INFINITY;
    while last.duration_since(start).as_secs_f64() < 0.05 {
        let t = Instant::now();
        if t > last {
            step = step.min(t.duration_since(last).as_secs_f64() * 1e3);
            last = t;
        }
    }
    step
}

/// `batches` batches of `per_batch` calls of `f`, each timed whole; ms per
/// call, one entry a batch, after one untimed batch (as in JS).
fn time_batches(mut f: impl FnMut(), per_batch: u64, batches: u64) -> Vec<f64> {
    for _ in 0..per_batch {
        f();
    }
    (0..batches)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per_batch {
                f();
            }
            t.elapsed().as_secs_f64() * 1e3 / per_batch as f64
        })
        .collect()
}

/// The per-engine workload (`runBatches` in bench/wasm/batches.mjs):
/// extraction of `extract`, verify of `probe` against a token of `enrolled`,
/// a whole face capture of the `face` frame (`FaceSample::from_rgba`, what
/// `FaceCapture.fromRgba` runs), each in batches timed whole.
fn run_batches(spec: &Value) -> Value {
    let timer_step = timer_step_ms();
    let gray = |name: &str| {
        let im = &spec[name];
        let px = plan_pixels(im);
        let (w, h, dpi) = (
            num(im, "width") as u32,
            num(im, "height") as u32,
            num(im, "dpi") as u32,
        );
        (w, h, dpi, px)
    };
    let capture = |(w, h, dpi, px): &(u32, u32, u32, Vec<u8>)| {
        Capture::from_gray(*w, *h, px, *dpi).expect("a usable capture")
    };
    let ex = gray("extract");
    let enrolled = capture(&gray("enrolled"));
    let probe = capture(&gray("probe"));
    let mut opts = EnrollOptions::new(BAG, FLIGHT);
    opts.now = Some(NOW);
    let sealed = enroll(&[&enrolled], &opts).expect("enroll");
    let mut vopts = VerifyOptions::new(BAG);
    vopts.now = Some(NOW + 1);
    let weights = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/face/sealmatch-face.bin");
    let weights = std::fs::read(&weights).unwrap_or_else(|_| {
        panic!(
            "{} absent: run node scripts/face-models.mjs",
            weights.display()
        )
    });
    let engine = FaceEngine::new(&weights, FaceOptions::default()).expect("face weights");
    let face = plan_pixels(&spec["face"]);
    let (fw, fh) = (
        num(&spec["face"], "width") as usize,
        num(&spec["face"], "height") as usize,
    );
    let batches = num(spec, "batches");
    let per = &spec["perBatch"];
    let check = || verify(&probe, &sealed.token, &sealed.passenger_key, &vopts).expect("verify");
    let extract_ms = time_batches(|| drop(capture(&ex)), num(per, "extract"), batches);
    let verify_ms = time_batches(
        || {
            std::hint::black_box(check());
        },
        num(per, "verify"),
        batches,
    );
    let whole = || drop(FaceSample::from_rgba(&engine, fw, fh, &face).expect("face frame"));
    let face_ms = time_batches(whole, num(per, "face"), batches);
    json!({
        "timerStepMs": timer_step,
        "extractMs": extract_ms,
        "verifyMs": verify_ms,
        "faceMs": face_ms,
        "score": check().score,
    })
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: wasm_bench_native PLAN.json [--serve]");
    let plan: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read plan")).expect("plan is JSON");
    let warmup = plan["warmup"].as_u64().unwrap_or(5) as usize;
    let groups = plan["groups"].as_array().expect("plan: groups");
    if std::env::args().nth(2).as_deref() != Some("--serve") {
        let all: Vec<Value> = groups.iter().map(|g| run_group(g, warmup)).collect();
        println!("{}", json!({ "runtime": "native", "groups": all }));
        return;
    }
    // The line protocol of bench/wasm/protocol.mjs: one JSON line a command.
    for line in std::io::stdin().lines() {
        let line = line.expect("read stdin");
        let mut words = line.split_whitespace();
        let answer = match (words.next(), words.next()) {
            (Some("hello"), _) => json!({ "runtime": "native" }),
            (Some("group"), Some(i)) => {
                run_group(&groups[i.parse::<usize>().expect("group N")], warmup)
            }
            (Some("batches"), _) => run_batches(&plan["batches"]),
            (Some("end"), _) => {
                println!("{{}}");
                break;
            }
            (Some(_), _) => json!({}),
            (None, _) => continue,
        };
        println!("{answer}");
    }
}
