//! Dev-only: extraction on folders of 8-bit grey PNG images (e.g. the FVC
//! databases). Per folder it prints the minutiae counts, capture qualities,
//! unusable captures and the median CPU time of `Capture::from_gray`.
//!
//! With `--out DIR` it also writes, per image, its minutiae as
//! `DIR/<folder>/<stem>.txt` (lines `x y direction kind quality`, direction in
//! 1/256 turns: the format `examples/matcher_dev.rs` reads), and with
//! `--render STEM,STEM,...` (or `all`) the capture's feature rendering
//! (`Capture::render_features`) as `DIR/<folder>/<stem>.png`. These files are
//! biometric data: point `--out` at a scratch folder outside the repository
//! (there is no default).
//!
//! ```sh
//! cargo run --release --example extract_dev -- --out /tmp/sealmatch-extract ../shared/data/fvc/*
//! cargo run --release --example matcher_dev -- /tmp/sealmatch-extract/fvc2002_db1_b
//! ```
//!
//! The library never hands out a template, so the minutiae are read the way a
//! holder of the passenger key could: each capture is enrolled under a fixed
//! development key and its token opened here with AES-256-GCM (as
//! `examples/make_vectors.rs` builds tokens), then decoded with
//! `template::codec::decode_enrollment`.

mod dev;

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::Aes256Gcm;
use dev::cpu_seconds;
use sealmatch::template::{codec, Template};
use sealmatch::token::base64url;
use sealmatch::{enroll, Capture, EnrollOptions, PassengerKey};
use std::path::{Path, PathBuf};

/// The development key every dump is sealed under (never a real passenger's).
const DEV_KEY: [u8; 32] = [0x5e; 32];

struct Args {
    out: Option<PathBuf>,
    render: Vec<String>,
    dpi: u32,
    folders: Vec<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        out: None,
        render: Vec::new(),
        dpi: 500,
        folders: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--out" => a.out = Some(PathBuf::from(value())),
            "--render" => a.render = value().split(',').map(str::to_owned).collect(),
            "--dpi" => a.dpi = value().parse().expect("--dpi takes a number"),
            _ => a.folders.push(PathBuf::from(arg)),
        }
    }
    a
}

/// The template sealed in a capture's token, opened with [`DEV_KEY`].
fn template_of(capture: &Capture) -> Template {
    let mut opts = EnrollOptions::new("DEV1", "DEV1");
    opts.passenger_key = Some(
        PassengerKey::from_bytes(DEV_KEY)
            .to_key_string()
            .to_string(),
    );
    let token = enroll(&[capture], &opts)
        .expect("a usable capture enrolls")
        .token;
    let parts: Vec<&str> = token.split('.').collect();
    let [protected, _, iv, ciphertext, tag] = parts[..] else {
        panic!("a compact JWE has five segments");
    };
    let decode = |s: &str| base64url::decode(s).expect("base64url");
    let (iv, tag) = (decode(iv), decode(tag));
    let mut content = decode(ciphertext);
    Aes256Gcm::new(&DEV_KEY.into())
        .decrypt_inout_detached(
            iv.as_slice().try_into().expect("a 96-bit IV"),
            protected.as_bytes(),
            content.as_mut_slice().into(),
            tag.as_slice().try_into().expect("a 128-bit tag"),
        )
        .expect("the token opens with its own key");
    let mut templates = codec::decode_enrollment(&content).expect("the content decodes");
    templates.remove(0)
}

fn write_rendering(capture: &Capture, path: &Path) {
    let img = capture.render_features();
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut enc = png::Encoder::new(file, img.width as u32, img.height as u32);
    enc.set_color(png::ColorType::Rgba);
    enc.write_header()
        .and_then(|mut w| w.write_image_data(&img.data))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn median<T: Copy + PartialOrd>(v: &mut [T]) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    v[v.len() / 2]
}

fn main() {
    let a = args();
    for folder in &a.folders {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(entries) = std::fs::read_dir(folder) else {
            println!("{}: absent, skipped", folder.display());
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        files.sort();
        let out = a.out.as_ref().map(|o| o.join(&name));
        if let Some(dir) = &out {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        let (mut ms, mut counts, mut qualities, mut unusable) =
            (Vec::new(), Vec::new(), Vec::new(), 0);
        for f in &files {
            let stem = f
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let img = sealmatch_synth::png_io::read(f).unwrap_or_else(|e| panic!("{e}"));
            let t0 = cpu_seconds();
            let capture =
                Capture::from_gray(img.width as u32, img.height as u32, &img.pixels, a.dpi);
            ms.push((cpu_seconds() - t0) * 1e3);
            let Ok(capture) = capture else {
                unusable += 1;
                continue;
            };
            counts.push(capture.minutiae_count());
            qualities.push(capture.quality());
            if !capture.is_usable() {
                unusable += 1;
                continue;
            }
            let Some(dir) = &out else { continue };
            let dump: String = template_of(&capture)
                .minutiae
                .iter()
                .map(|m| {
                    format!(
                        "{} {} {} {} {}\n",
                        m.x, m.y, m.direction, m.kind as u8, m.quality
                    )
                })
                .collect();
            std::fs::write(dir.join(format!("{stem}.txt")), dump).expect("a writable --out");
            if a.render.iter().any(|r| *r == stem || r == "all") {
                write_rendering(&capture, &dir.join(format!("{stem}.png")));
            }
        }
        if counts.is_empty() {
            println!("{name}: no usable PNG images");
            continue;
        }
        let (lo, hi) = (
            *counts.iter().min().unwrap_or(&0),
            *counts.iter().max().unwrap_or(&0),
        );
        let worst = *qualities.iter().min().unwrap_or(&0);
        println!(
            "{name}: {} images, {unusable} unusable, median {:.1} ms CPU, minutiae min {lo} median {} max {hi}, quality min {} median {}",
            files.len(),
            median(&mut ms),
            median(&mut counts),
            worst,
            median(&mut qualities),
        );
    }
}
