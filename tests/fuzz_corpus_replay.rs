//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/*`) and the crash
//! regressions (`fuzz/regressions/<target>/*`) through the harnesses the
//! `cargo fuzz` targets call (`sealmatch::fuzzing`), on stable, in the normal
//! `cargo test`. Every input is our own synthetic data (see
//! [`write_seed_corpus`], which regenerates the seeds).
//!
//! The `face_capture` target needs the face engine: its corpus is replayed
//! when target/face/sealmatch-face.bin exists (`make face-weights`), and
//! skipped with a message otherwise (a failure when
//! `SEALMATCH_FACE_REQUIRED=1`). Its seeds are drawn frames (shapes, noise,
//! cartoon faces, extreme sizes), never photos.

use std::fs;
use std::path::{Path, PathBuf};

use sealmatch::fuzzing;
use sealmatch::template::{codec, FaceTemplate, Minutia, MinutiaKind, Template, EMBEDDING_LEN};
use sealmatch::token::{self, PassengerKey, TokenHeader};

#[path = "common/face_frames.rs"]
mod face_frames;

type Harness = fn(&[u8]);

const TARGETS: [(&str, Harness); 7] = [
    ("token", fuzzing::token),
    ("passenger_key", fuzzing::passenger_key),
    ("template_decode", fuzzing::template_decode),
    ("capture", fuzzing::capture),
    ("extract", fuzzing::extract),
    ("match_templates", fuzzing::match_templates),
    ("minutiae_record", fuzzing::minutiae_record),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Runs every file of `dir` through `harness`; returns the ones that panicked.
fn replay(dir: &Path, harness: Harness) -> (usize, Vec<String>) {
    let mut failed = Vec::new();
    let inputs = files(dir);
    for path in &inputs {
        let data = fs::read(path).unwrap();
        if std::panic::catch_unwind(|| harness(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    (inputs.len(), failed)
}

#[test]
fn corpus_replays_without_failures() {
    let mut failed = Vec::new();
    for (name, harness) in TARGETS {
        let (count, bad) = replay(&fuzz_dir().join("corpus").join(name), harness);
        assert!(count > 0, "fuzz/corpus/{name} is empty");
        failed.extend(bad);
    }
    assert!(failed.is_empty(), "inputs that fail: {failed:?}");
}

/// The `face_capture` corpus and regressions through its harness, with the
/// engine loaded once.
#[test]
fn face_corpus_replays_without_failures() {
    let Some(engine) = fuzzing::face_engine() else {
        let msg = format!(
            "{} absent (run `make face-weights`): the face_capture corpus was not replayed",
            fuzzing::FACE_WEIGHTS_PATH
        );
        if std::env::var("SEALMATCH_FACE_REQUIRED").as_deref() == Ok("1") {
            panic!("{msg}");
        }
        eprintln!("SKIPPED: {msg}");
        return;
    };
    let mut failed = Vec::new();
    let mut count = 0;
    for dir in ["corpus", "regressions"] {
        for path in files(&fuzz_dir().join(dir).join("face_capture")) {
            let data = fs::read(&path).unwrap();
            count += 1;
            if std::panic::catch_unwind(|| fuzzing::face_capture(engine, &data)).is_err() {
                failed.push(path.display().to_string());
            }
        }
    }
    assert!(count > 0, "fuzz/corpus/face_capture is empty");
    assert!(failed.is_empty(), "inputs that fail: {failed:?}");
}

#[test]
fn crash_regressions_stay_fixed() {
    let mut failed = Vec::new();
    for (name, harness) in TARGETS {
        failed.extend(replay(&fuzz_dir().join("regressions").join(name), harness).1);
    }
    assert!(failed.is_empty(), "regressions that fail again: {failed:?}");
}

// ---- seed corpus (our own synthetic inputs; never FVC data) ----

/// xorshift64*, so the seeds are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn synthetic_template(rng: &mut Rng, minutiae: usize) -> Template {
    let (width, height) = (300 + rng.below(200) as u16, 300 + rng.below(200) as u16);
    Template {
        width,
        height,
        dpi: 500,
        minutiae: (0..minutiae)
            .map(|_| Minutia {
                x: rng.below(u64::from(width)) as u16,
                y: rng.below(u64::from(height)) as u16,
                direction: rng.next() as u8,
                kind: if rng.next() & 1 == 0 {
                    MinutiaKind::Ending
                } else {
                    MinutiaKind::Bifurcation
                },
                quality: rng.below(101) as u8,
            })
            .collect(),
    }
}

/// Ridges `period` px apart with one ridge ending at the centre.
fn ridge_image(w: u32, h: u32, period: f32) -> Vec<u8> {
    (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) as f32 - w as f32 / 2.0, (i / w) as f32);
            let phase = y * std::f32::consts::TAU / period + (y - h as f32 / 2.0).atan2(x);
            (128.0 + 90.0 * phase.cos()) as u8
        })
        .collect()
}

fn capture_input(w: u32, h: u32, dpi: u32, mode: u8, pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&w.to_le_bytes());
    out.extend_from_slice(&h.to_le_bytes());
    out.extend_from_slice(&dpi.to_le_bytes());
    out.push(mode);
    out.extend_from_slice(pixels);
    out
}

fn raw_template_bytes(t: &Template) -> Vec<u8> {
    let mut out = Vec::new();
    for v in [t.width, t.height, t.dpi] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.push(t.minutiae.len() as u8);
    for m in &t.minutiae {
        out.extend_from_slice(&m.x.to_le_bytes());
        out.extend_from_slice(&m.y.to_le_bytes());
        out.push(m.direction);
        out.push(((m.kind == MinutiaKind::Bifurcation) as u8) << 7 | m.quality);
    }
    out
}

/// A finger minutiae record of `t`'s minutiae (ISO/IEC 19794-2:2005, or ANSI
/// INCITS 378-2004 with `ansi`), 197 px/cm, declaring `count` minutiae.
fn minutiae_record(t: &Template, ansi: bool, count: u8) -> Vec<u8> {
    let mut body = vec![0, 0];
    for v in [t.width, t.height, 197, 197] {
        body.extend_from_slice(&v.to_be_bytes());
    }
    body.extend_from_slice(&[1, 0, 7, 0, 55, count]);
    for m in &t.minutiae {
        let kind = if m.kind == MinutiaKind::Bifurcation {
            2u16
        } else {
            1
        };
        body.extend_from_slice(&(kind << 14 | m.x).to_be_bytes());
        body.extend_from_slice(&m.y.to_be_bytes());
        let angle = if ansi {
            (m.direction as u32 * 180 / 256) as u8
        } else {
            m.direction
        };
        body.extend_from_slice(&[angle, m.quality]);
    }
    body.extend_from_slice(&[0, 0]);
    let mut out = b"FMR\0 20\0".to_vec();
    if ansi {
        out.extend_from_slice(&((14 + body.len()) as u16).to_be_bytes());
        out.extend_from_slice(&[0, 1, 0, 1]);
    } else {
        out.extend_from_slice(&((12 + body.len()) as u32).to_be_bytes());
    }
    out.extend_from_slice(&body);
    out
}

fn record_seeds(rng: &mut Rng, out: &mut Vec<(&'static str, String, Vec<u8>)>) {
    let t = synthetic_template(rng, 40);
    let iso = minutiae_record(&t, false, 40);
    out.push(("minutiae_record", "record_iso".into(), iso.clone()));
    out.push((
        "minutiae_record",
        "record_ansi".into(),
        minutiae_record(&t, true, 40),
    ));
    out.push((
        "minutiae_record",
        "record_truncated".into(),
        iso[..iso.len() / 2].to_vec(),
    ));
    out.push((
        "minutiae_record",
        "record_absurd_count".into(),
        minutiae_record(&t, false, 255),
    ));
}

fn seeds() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut rng = Rng(0x5ea1_0001);
    let mut out = Vec::new();
    let key = PassengerKey::from_bytes(fuzzing::FUZZ_KEY_BYTES);
    let header = TokenHeader::new("0117123456", "SK1415", 1_767_225_600, 1_767_229_200);
    let templates: Vec<Template> = (0..3).map(|_| synthetic_template(&mut rng, 40)).collect();
    // Faces from their own generator, so the seeds after them stay as they were.
    let mut face_rng = Rng(0x5ea1_face);
    let faces: Vec<FaceTemplate> = (0..3)
        .map(|_| {
            let v: Vec<f32> = (0..EMBEDDING_LEN)
                .map(|_| face_rng.below(2001) as f32 / 1000.0 - 1.0)
                .collect();
            FaceTemplate::from_embedding(&v).unwrap()
        })
        .collect();
    for n in 1..=3 {
        let print = codec::encode_enrollment(&templates[..n]).unwrap();
        // Format version 1 (no modality byte), as tokens made before the face.
        let mut v1 = vec![codec::FORMAT_VERSION_1];
        v1.extend_from_slice(&print[2..]);
        out.push(("template_decode", format!("enrollment_{n}"), v1));
        let face = codec::encode_faces(&faces[..n]).unwrap();
        for (content, prefix, decode_name) in [
            (&print, "", "enrollment_v2"),
            (&face, "face_", "face_enrollment"),
        ] {
            let sealed = token::seal(&header, &key, content).unwrap();
            let sealed_name = format!("sealed_{prefix}{n}");
            out.push(("token", sealed_name, sealed.into_bytes()));
            out.push((
                "template_decode",
                format!("{decode_name}_{n}"),
                content.to_vec(),
            ));
            let mut m = vec![0u8];
            m.extend_from_slice(content);
            out.push(("match_templates", format!("{prefix}encoded_{n}"), m));
        }
    }
    let other = PassengerKey::from_bytes([7; 32]);
    let content = codec::encode_enrollment(&templates[..1]).unwrap();
    let foreign = token::seal(&header, &other, &content).unwrap();
    out.push(("token", "other_key".into(), foreign.into_bytes()));
    let garbage = token::seal(&header, &key, b"not a template").unwrap();
    out.push(("token", "bad_content".into(), garbage.into_bytes()));
    out.push(("token", "five_empty".into(), b"....".to_vec()));
    out.push((
        "passenger_key",
        "fuzz_key".into(),
        key.to_key_string().as_bytes().to_vec(),
    ));
    out.push((
        "passenger_key",
        "other_key".into(),
        other.to_key_string().as_bytes().to_vec(),
    ));
    let mut bad = key.to_key_string().as_bytes().to_vec();
    bad[52] ^= 1;
    out.push(("passenger_key", "bad_checksum".into(), bad));
    out.push(("passenger_key", "prefix_only".into(), b"smk1_".to_vec()));

    let ridges = ridge_image(100, 100, 9.0);
    out.push((
        "capture",
        "gray_100".into(),
        capture_input(100, 100, 500, 0, &ridges),
    ));
    let row: Vec<u8> = ridges[..100 * 9].to_vec();
    out.push((
        "capture",
        "stretch_gray_1000dpi".into(),
        capture_input(150, 150, 1000, 2, &row),
    ));
    let rgba: Vec<u8> = ridges[..64 * 9]
        .iter()
        .flat_map(|&v| [v, v, v, 255])
        .collect();
    out.push((
        "capture",
        "stretch_rgba".into(),
        capture_input(64, 90, 500, 3, &rgba),
    ));
    out.push((
        "capture",
        "huge_sizes".into(),
        capture_input(u32::MAX, u32::MAX, 500, 2, b"x"),
    ));

    out.push(("extract", "ridge_ending".into(), ridge_image(64, 64, 9.0)));
    out.push(("extract", "fine_ridges".into(), ridge_image(64, 64, 6.0)));
    out.push(("extract", "blank".into(), vec![255; 64]));
    out.push((
        "extract",
        "noise".into(),
        (0..4096).map(|_| rng.next() as u8).collect(),
    ));

    let mut m = vec![2u8];
    m.extend(raw_template_bytes(&templates[0]));
    for t in &templates {
        m.extend(raw_template_bytes(t));
    }
    out.push(("match_templates", "raw_3".into(), m));
    let mut m = vec![0u8];
    let probe = synthetic_template(&mut rng, 128);
    m.extend(raw_template_bytes(&probe));
    m.extend(raw_template_bytes(&probe));
    out.push(("match_templates", "raw_self_128".into(), m));
    // Their own generator, so the seeds above stay as they were.
    record_seeds(&mut Rng(0x5ea1_0fd0), &mut out);
    out
}

fn face_input(w: u16, h: u16, mode: u8, pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&w.to_le_bytes());
    out.extend_from_slice(&h.to_le_bytes());
    out.push(mode);
    out.extend_from_slice(pixels);
    out
}

/// A `w`×`h` RGBA frame of filled shapes (a disc, a ring, a bar) in flat
/// colours on grey.
fn shapes(w: usize, h: usize) -> Vec<u8> {
    let mut px = Vec::with_capacity(w * h * 4);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
            let disc = (fx - 0.3).hypot(fy - 0.35) < 0.2;
            let ring = ((fx - 0.7).hypot(fy - 0.6) - 0.18).abs() < 0.04;
            let bar = (0.8..0.9).contains(&fy);
            px.extend_from_slice(match (disc, ring, bar) {
                (true, _, _) => &[220, 40, 40, 255],
                (_, true, _) => &[20, 20, 20, 255],
                (_, _, true) => &[40, 200, 90, 255],
                _ => &[128, 128, 128, 255],
            });
        }
    }
    px
}

/// The `face_capture` seeds (mode bit 0: repeat the pixels to the declared
/// size; bit 1: guidance only). Deterministic, so the files on disk are
/// exactly these (`face_seeds_are_the_corpus`).
fn face_seeds() -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng(0x5ea1_f00d);
    let mut noise = |n: usize| (0..n).map(|_| rng.next() as u8).collect::<Vec<u8>>();
    let draw = face_frames::draw;
    vec![
        (
            "face_96".into(),
            face_input(96, 96, 0, &draw(96, 96, &[(48.0, 50.0, 60.0)], 1)),
        ),
        (
            "face_96_guidance".into(),
            face_input(96, 96, 2, &draw(96, 96, &[(46.0, 48.0, 56.0)], 2)),
        ),
        (
            "two_faces_128x64".into(),
            face_input(
                128,
                64,
                0,
                &draw(128, 64, &[(34.0, 32.0, 44.0), (94.0, 32.0, 44.0)], 3),
            ),
        ),
        (
            "tiny_face_64".into(),
            face_input(64, 64, 0, &draw(64, 64, &[(32.0, 32.0, 14.0)], 4)),
        ),
        ("shapes_48".into(), face_input(48, 48, 0, &shapes(48, 48))),
        (
            "noise_64".into(),
            face_input(64, 64, 0, &noise(64 * 64 * 4)),
        ),
        (
            "black_320x240".into(),
            face_input(320, 240, 1, &[0, 0, 0, 255]),
        ),
        (
            "white_320x240_guidance".into(),
            face_input(320, 240, 3, &[255; 4]),
        ),
        (
            "noise_4096x32".into(),
            face_input(4096, 32, 1, &noise(4096)),
        ),
        (
            "stripes_32x4096".into(),
            face_input(32, 4096, 1, &[0, 0, 0, 255, 255, 255, 255, 255]),
        ),
        ("side_4097".into(), face_input(4097, 32, 1, &[9, 9, 9, 255])),
        ("side_31".into(), face_input(31, 64, 1, &[9, 9, 9, 255])),
        ("huge_sizes".into(), face_input(u16::MAX, u16::MAX, 1, &[1])),
        ("short_buffer".into(), face_input(64, 64, 0, &[7; 100])),
    ]
}

/// Regenerates the seed corpus:
/// `SEALMATCH_WRITE_CORPUS=1 cargo test --test fuzz_corpus_replay -- --ignored`.
/// Any other value writes only the seeds whose name contains it (e.g.
/// `face`; `face_capture` writes that target's seeds only): token seeds are
/// sealed with fresh IVs, so a full rewrite changes every one of them.
#[test]
#[ignore = "writes fuzz/corpus; run by hand"]
fn write_seed_corpus() {
    if std::env::var_os("SEALMATCH_WRITE_CORPUS").is_none() {
        return;
    }
    let only = std::env::var("SEALMATCH_WRITE_CORPUS").unwrap_or_default();
    for (target, name, bytes) in seeds() {
        if only != "1" && !name.contains(&only) {
            continue;
        }
        let dir = fuzz_dir().join("corpus").join(target);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("seed_{name}")), bytes).unwrap();
    }
    let dir = fuzz_dir().join("corpus").join("face_capture");
    fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in face_seeds() {
        if ["1", "face_capture"].contains(&only.as_str()) || name.contains(&only) {
            fs::write(dir.join(format!("seed_{name}")), bytes).unwrap();
        }
    }
}

/// The face seeds on disk are exactly the ones [`face_seeds`] draws (so the
/// corpus is ours and can be regenerated); running them is
/// [`face_corpus_replays_without_failures`]'s job.
#[test]
fn face_seeds_are_the_corpus() {
    let dir = fuzz_dir().join("corpus").join("face_capture");
    for (name, bytes) in face_seeds() {
        let on_disk = fs::read(dir.join(format!("seed_{name}")))
            .unwrap_or_else(|_| panic!("fuzz/corpus/face_capture/seed_{name} is missing"));
        assert!(on_disk == bytes, "seed_{name} differs from its generator");
    }
}

/// The seeds are valid inputs of their targets (so they start the fuzzer on
/// the deep paths), whether or not they are on disk.
#[test]
fn seeds_pass_their_harness() {
    for (target, name, bytes) in seeds() {
        let harness = TARGETS.iter().find(|(t, _)| *t == target).unwrap().1;
        if std::panic::catch_unwind(|| harness(&bytes)).is_err() {
            panic!("seed {target}/{name} fails");
        }
    }
}

/// The valid record seeds are accepted (so the fuzzer starts past the
/// parser); the broken ones are refused.
#[test]
fn record_seeds_reach_the_capture() {
    let mut out = Vec::new();
    record_seeds(&mut Rng(0x5ea1_0fd0), &mut out);
    for (_, name, bytes) in out {
        let accepted = sealmatch::Capture::from_minutiae_record(&bytes).is_ok();
        assert_eq!(
            accepted,
            name == "record_iso" || name == "record_ansi",
            "{name}"
        );
    }
}
