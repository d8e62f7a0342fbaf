//! Development checks on the FVC images when present (ignored by default):
//! minutiae counts, timing, and minutiae dumps / overlays written to a
//! scratch directory outside the repository.
//!
//! `SEALMATCH_FVC` (default `../shared/data/fvc` relative to the crate) and
//! `SEALMATCH_DUMP` (default `/tmp/sealmatch-extract`) choose the folders.

use super::*;
use std::path::{Path, PathBuf};

fn fvc_root() -> Option<PathBuf> {
    let p = std::env::var("SEALMATCH_FVC")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/fvc"));
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
pub(crate) fn cpu_ms() -> f64 {
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

fn overlay(img: &GrayImage, dbg: &Stages, t: &Template, out: &Path) {
    let (w, h) = (img.width(), img.height());
    let stride = w + 2;
    let mut rgb = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            let g = img.get(x, y) / 2 + 64;
            let i = (y * w + x) * 3;
            let fg = dbg.mask.at_pixel(x, y);
            rgb[i] = g;
            rgb[i + 1] = g;
            rgb[i + 2] = if fg { g } else { g / 2 };
            if dbg.skeleton[(y + 1) * stride + x + 1] == 1 {
                rgb[i] = 0;
                rgb[i + 1] = 120;
                rgb[i + 2] = 255;
            }
        }
    }
    let mut put = |x: i32, y: i32, c: [u8; 3]| {
        if x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h {
            let i = (y as usize * w + x as usize) * 3;
            rgb[i..i + 3].copy_from_slice(&c);
        }
    };
    for m in &t.minutiae {
        let c = if m.kind == MinutiaKind::Ending {
            [255, 0, 0]
        } else {
            [0, 200, 0]
        };
        for d in -2..=2 {
            put(m.x as i32 + d, m.y as i32 - 2, c);
            put(m.x as i32 + d, m.y as i32 + 2, c);
            put(m.x as i32 - 2, m.y as i32 + d, c);
            put(m.x as i32 + 2, m.y as i32 + d, c);
        }
        let a = m.angle();
        for k in 3..12 {
            put(
                (m.x as f32 + k as f32 * a.cos()).round() as i32,
                (m.y as f32 - k as f32 * a.sin()).round() as i32,
                c,
            );
        }
    }
    let f = std::fs::File::create(out).unwrap();
    let mut e = png::Encoder::new(std::io::BufWriter::new(f), w as u32, h as u32);
    e.set_color(png::ColorType::Rgb);
    e.write_header().unwrap().write_image_data(&rgb).unwrap();
}

#[test]
#[ignore = "needs the FVC images; run with --ignored"]
fn fvc_dump() {
    let Some(root) = fvc_root() else {
        eprintln!("FVC data not found (set SEALMATCH_FVC): skipped");
        return;
    };
    let dump =
        PathBuf::from(std::env::var("SEALMATCH_DUMP").unwrap_or("/tmp/sealmatch-extract".into()));
    let overlays = std::env::var("SEALMATCH_OVERLAYS").unwrap_or_default();
    let mut dbs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dbs.sort();
    for db in dbs {
        let name = db.file_name().unwrap().to_string_lossy().to_string();
        std::fs::create_dir_all(dump.join(&name)).unwrap();
        let mut files: Vec<_> = std::fs::read_dir(&db)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        files.sort();
        let mut times = Vec::new();
        let mut counts = Vec::new();
        let mut quals = Vec::new();
        let mut cohs: Vec<f32> = Vec::new();
        for f in &files {
            let stem = f.file_stem().unwrap().to_string_lossy().to_string();
            let img = load(f);
            let t0 = cpu_ms();
            let (ex, dbg) = run(&img, true);
            times.push(cpu_ms() - t0);
            counts.push(ex.template.minutiae.len());
            let (q, _) = crate::capture::quality_of(&ex);
            quals.push(q);
            cohs.push(ex.summary.mean_coherence);
            let mut txt = String::new();
            for m in &ex.template.minutiae {
                txt += &format!(
                    "{} {} {} {} {}\n",
                    m.x, m.y, m.direction, m.kind as u8, m.quality
                );
            }
            std::fs::write(dump.join(&name).join(format!("{stem}.txt")), txt).unwrap();
            if overlays.split(',').any(|o| o == stem || o == "all") {
                overlay(
                    &img,
                    &dbg.unwrap(),
                    &ex.template,
                    &dump.join(&name).join(format!("{stem}.png")),
                );
            }
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let mut sc = counts.clone();
        sc.sort();
        quals.sort();
        cohs.sort_by(|a, b| a.total_cmp(b));
        eprintln!(
            "{name}: mean coherence min {:.2} median {:.2}",
            cohs[0],
            cohs[cohs.len() / 2]
        );
        eprintln!(
            "{name}: {} images, median {:.1} ms CPU, minutiae min {} median {} max {}, quality min {} median {}",
            files.len(),
            times[times.len() / 2],
            sc[0],
            sc[sc.len() / 2],
            sc[sc.len() - 1],
            quals[0],
            quals[quals.len() / 2]
        );
    }
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

#[test]
#[ignore = "needs minutiae dumps in /tmp (ours from fvc_dump, NBIS from a script)"]
fn matcher_on_dumped_minutiae() {
    let dirs = [
        ("ours", "/tmp/sealmatch-extract", false),
        ("nbis", "/tmp/nbis", true),
    ];
    let min_rel: f32 = std::env::var("NBIS_MIN_REL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    for db in [
        "fvc2002_db1_b",
        "fvc2000_db1_b",
        "fvc2000_db2_b",
        "fvc2000_db4_b",
    ] {
        let mut line = format!("{db}:");
        for (name, root, nbis) in dirs {
            let mut t = Vec::new();
            for f in 1..=10 {
                for i in 1..=8 {
                    let p = format!("{root}/{db}/1{f:02}_{i}.txt");
                    let Ok(txt) = std::fs::read_to_string(&p) else {
                        return;
                    };
                    let mut ms = Vec::new();
                    for l in txt.lines() {
                        let v: Vec<f32> =
                            l.split_whitespace().map(|x| x.parse().unwrap()).collect();
                        if nbis && v[4] < min_rel {
                            continue;
                        }
                        let dir = if nbis {
                            (v[2] / 360.0 * 256.0).round() as u32 % 256
                        } else {
                            v[2] as u32
                        };
                        ms.push(Minutia {
                            x: v[0] as u16,
                            y: v[1] as u16,
                            direction: dir as u8,
                            kind: if v[3] > 0.5 {
                                MinutiaKind::Bifurcation
                            } else {
                                MinutiaKind::Ending
                            },
                            quality: if nbis {
                                (v[4] * 100.0) as u8
                            } else {
                                v[4] as u8
                            },
                        });
                    }
                    ms.truncate(MAX_MINUTIAE);
                    t.push((
                        f,
                        Template {
                            width: 500,
                            height: 500,
                            dpi: 500,
                            minutiae: ms,
                        },
                    ));
                }
            }
            let (mut gen, mut imp) = (Vec::new(), Vec::new());
            for a in 0..t.len() {
                for b in a + 1..t.len() {
                    let s =
                        crate::matcher::score_enrollment(&t[b].1, std::slice::from_ref(&t[a].1));
                    if t[a].0 == t[b].0 {
                        gen.push(s)
                    } else {
                        imp.push(s)
                    }
                }
            }
            let eer = sealmatch_metrics::ScoreSet::new(gen, imp).rates().eer;
            line += &format!("  {name} EER {:.2} %", 100.0 * eer);
        }
        eprintln!("{line}");
    }
}
