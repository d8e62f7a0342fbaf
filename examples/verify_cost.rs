//! Dev-only: a fixed amount of matcher work for instruction counting, so the
//! cost of preparing a template and of one `verify` can be measured with
//! callgrind on a shared machine (instruction counts repeat; wall time does not).
//!
//! ```sh
//! cargo build --release --example verify_cost
//! valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out \
//!     target/release/examples/verify_cost [GREY_PNG ...]
//! callgrind_annotate --inclusive=yes /tmp/cg.out | grep -E 'Prepared::new|api::verify'
//! ```
//!
//! With PNG paths (8-bit grey, 500 dpi, e.g. FVC images) it captures those,
//! else four synthetic fingers. The first usable capture is enrolled and every
//! other one verified against it `VERIFIES` times. `Prepared::new` then runs
//! once per capture and once per verify (the token's impression), so its
//! inclusive count divided by `captures + verifies` is the cost of one
//! prepare; `api::verify`'s divided by `verifies` that of one verify. Prints
//! only counts and a checksum of the scores (to compare two builds), never a
//! template.

use sealmatch::{enroll, verify, Capture, EnrollOptions, VerifyOptions};

/// Rounds of verifying every probe (raise it for a steadier wall time).
const VERIFIES: usize = 10;
const NOW: u64 = 1_800_000_000;

fn load_png(path: &str) -> Capture {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let dec = png::Decoder::new(std::io::BufReader::new(file));
    let mut r = dec.read_info().expect("a PNG");
    let mut buf = vec![0; r.output_buffer_size().expect("a sane PNG")];
    let info = r.next_frame(&mut buf).expect("a PNG frame");
    assert_eq!(
        info.color_type,
        png::ColorType::Grayscale,
        "{path}: not grey"
    );
    buf.truncate(info.width as usize * info.height as usize);
    Capture::from_gray(info.width, info.height, &buf, 500).expect("a valid capture")
}

fn synthetic() -> Vec<Capture> {
    let config = sealmatch_synth::FingerConfig::default();
    let v = sealmatch_synth::Variation::typical();
    sealmatch_synth::database(7, 4, 1, &config, &v)
        .into_iter()
        .flatten()
        .map(|img| {
            Capture::from_gray(img.width as u32, img.height as u32, &img.pixels, 500)
                .expect("a valid capture")
        })
        .collect()
}

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let captures: Vec<Capture> = if paths.is_empty() {
        synthetic()
    } else {
        paths.iter().map(|p| load_png(p)).collect()
    };
    let usable: Vec<&Capture> = captures.iter().filter(|c| c.is_usable()).collect();
    assert!(usable.len() >= 2, "need two usable captures");
    let mut enroll_opts = EnrollOptions::new("0117123456", "SK1415");
    enroll_opts.now = Some(NOW);
    let e = enroll(&usable[..1], &enroll_opts).expect("enroll");
    let mut opts = VerifyOptions::new("0117123456");
    opts.now = Some(NOW + 60);
    let (mut verifies, mut checksum) = (0, 0f64);
    let t0 = std::time::Instant::now();
    for _ in 0..VERIFIES {
        for c in &usable[1..] {
            let r = verify(c, &e.token, &e.passenger_key, &opts).expect("verify");
            checksum += f64::from(r.score);
            verifies += 1;
        }
    }
    // Wall time is only indicative on a shared machine (and meaningless under valgrind).
    let us = t0.elapsed().as_secs_f64() * 1e6 / verifies as f64;
    println!(
        "captures {} usable {} verifies {verifies} checksum {checksum:.9} mean {us:.1} µs/verify",
        captures.len(),
        usable.len()
    );
}
