//! Dev-only: scores minutiae dumped to text files (one `<stem>.txt` per image,
//! first line `width height`, then `x y angle_degrees kind reliability` lines,
//! e.g. NBIS minutiae of the FVC images dumped to /tmp) with the FVC protocol
//! of `docs/accuracy.md`, and prints EER, FMR100, FMR1000 and ZeroFMR (as FVC defines
//! them: `sealmatch-metrics`, the bench's definitions). Reads whatever
//! folders it is given; nothing is written. Skips folders that are absent.
//!
//! `cargo run --release --example matcher_dev -- /tmp/mdev/nbis/fvc2002_db1_b ...`

mod dev;

use dev::cpu_seconds;
use sealmatch::matcher::{score, Prepared};
use sealmatch::template::{Minutia, MinutiaKind, Template};
use sealmatch_metrics::{Rates, ScoreSet};
use std::time::Instant;

/// Reads a dump: either `width height` then `x y degrees kind reliability`
/// lines (NBIS), or only `x y direction kind quality` lines (sealmatch's own
/// extractor dump, direction in 1/256 turns).
fn load(path: &std::path::Path, flip: bool, min_rel: f32) -> Option<Template> {
    let text = std::fs::read_to_string(path).ok()?;
    let first = text.lines().next().unwrap_or("");
    let nbis = first.split_whitespace().count() == 2;
    let mut lines = text.lines();
    let (width, height) = if nbis {
        let mut wh = lines
            .next()?
            .split_whitespace()
            .map(|v| v.parse::<u16>().unwrap_or(0));
        (wh.next()?, wh.next()?)
    } else {
        (500, 500)
    };
    let mut minutiae = Vec::new();
    for l in lines {
        let f: Vec<f32> = l
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        if f.len() < 5 {
            continue;
        }
        let (direction, quality) = if nbis {
            let deg = if flip { -f[2] } else { f[2] };
            let d = ((deg / 360.0 * 256.0).round() as i32).rem_euclid(256) as u8;
            (d, (f[4] * 100.0).clamp(0.0, 100.0) as u8)
        } else {
            (f[2] as u8, f[4] as u8)
        };
        if (quality as f32) < min_rel * 100.0 {
            continue;
        }
        minutiae.push(Minutia {
            x: f[0] as u16,
            y: f[1] as u16,
            direction,
            kind: if f[3] > 0.5 {
                MinutiaKind::Bifurcation
            } else {
                MinutiaKind::Ending
            },
            quality,
        });
    }
    minutiae.sort_by_key(|m| std::cmp::Reverse(m.quality));
    minutiae.truncate(128);
    Some(Template {
        width,
        height,
        dpi: 500,
        minutiae,
    })
}

fn main() {
    let flip = std::env::var("FLIP").is_ok();
    let min_rel: f32 = std::env::var("MINREL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let thr = sealmatch::matcher::DEFAULT_THRESHOLD;
    let mut eers = Vec::new();
    let mut all_imp = Vec::new();
    for dir in std::env::args().skip(1) {
        let p = std::path::Path::new(&dir);
        let Ok(rd) = std::fs::read_dir(p) else {
            println!("{dir}: absent, skipped");
            continue;
        };
        let mut stems: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".txt"))
                    .map(String::from)
            })
            .collect();
        stems.sort();
        let templates: Vec<Template> = stems
            .iter()
            .map(|s| load(&p.join(format!("{s}.txt")), flip, min_rel).unwrap_or_default())
            .collect();
        let t0 = Instant::now();
        let prepared: Vec<Prepared> = templates.iter().map(Prepared::new).collect();
        let mut prep_us = t0.elapsed().as_secs_f64() * 1e6 / stems.len() as f64;
        if std::env::var("PROFILE").is_ok() {
            // Fixed work for instruction counting (valgrind): every template
            // prepared once, then the first 400 pairs scored.
            let mut k = 0;
            'outer: for i in 0..prepared.len() {
                for j in i + 1..prepared.len() {
                    std::hint::black_box(score(&prepared[i], &prepared[j]));
                    k += 1;
                    if k == 400 {
                        break 'outer;
                    }
                }
            }
            println!("prepared {} scored {k}", prepared.len());
            continue;
        }
        let finger = |s: &str| s.split('_').next().unwrap_or("").to_string();
        let (mut gen, mut imp) = (Vec::new(), Vec::new());
        let mut asym = 0f32;
        let t1 = Instant::now();
        let mut n = 0;
        for i in 0..stems.len() {
            for j in i + 1..stems.len() {
                let s = score(&prepared[i], &prepared[j]);
                n += 1;
                if finger(&stems[i]) == finger(&stems[j]) {
                    gen.push(s);
                } else {
                    imp.push(s);
                }
            }
        }
        let mut match_us = t1.elapsed().as_secs_f64() * 1e6 / n as f64;
        // CPU time over repeated runs: the machine is shared.
        let c0 = cpu_seconds();
        let reps = 4;
        for _ in 0..reps {
            for i in 0..stems.len() {
                for j in i + 1..stems.len() {
                    std::hint::black_box(score(&prepared[i], &prepared[j]));
                }
            }
        }
        let c1 = cpu_seconds();
        for _ in 0..reps * 10 {
            for t in &templates {
                std::hint::black_box(Prepared::new(t));
            }
        }
        let c2 = cpu_seconds();
        if c1 > c0 {
            match_us = (c1 - c0) * 1e6 / (reps * n) as f64;
            prep_us = (c2 - c1) * 1e6 / (reps * 10 * stems.len()) as f64;
        }
        for i in (0..stems.len()).step_by(7) {
            for j in (0..stems.len()).step_by(5) {
                asym = asym.max(
                    (score(&prepared[i], &prepared[j]) - score(&prepared[j], &prepared[i])).abs(),
                );
            }
        }
        if std::env::var("LOWGEN").is_ok() {
            let mut low: Vec<(f32, usize, usize)> = Vec::new();
            for i in 0..stems.len() {
                for j in i + 1..stems.len() {
                    if finger(&stems[i]) == finger(&stems[j]) {
                        low.push((score(&prepared[i], &prepared[j]), i, j));
                    }
                }
            }
            low.sort_by(|a, b| a.0.total_cmp(&b.0));
            for &(s, i, j) in low.iter().take(12) {
                println!(
                    "  low genuine {} {} {:.4} cyl {} {} min {} {}",
                    stems[i],
                    stems[j],
                    s,
                    prepared[i].len(),
                    prepared[j].len(),
                    templates[i].minutiae.len(),
                    templates[j].minutiae.len()
                );
            }
        }
        let set = ScoreSet::new(gen, imp);
        let Rates {
            eer,
            fmr100,
            fmr1000,
            zero_fmr,
            ..
        } = set.rates();
        let (f100, f1000, zero) = (fmr100.fnmr, fmr1000.fnmr, zero_fmr.fnmr);
        let fnmr_thr = set.fnmr(thr);
        let imp = set.impostor();
        let fmr_thr = imp.iter().filter(|&&g| g >= thr).count();
        let max_imp = imp.iter().copied().fold(0.0, f32::max);
        let mean_n = prepared.iter().map(|p| p.len()).sum::<usize>() as f64 / prepared.len() as f64;
        println!(
            "{:<16} EER {:5.2}%  FMR100 {:5.2}%  FMR1000 {:5.2}%  ZeroFMR {:5.2}%  | thr {thr}: FNMR {:5.2}% FM {} | max imp {:.3} | cyl {:.0} prep {:.0}us match {:.1}us asym {:.4}",
            p.file_name().and_then(|n| n.to_str()).unwrap_or(""),
            eer * 100.0, f100 * 100.0, f1000 * 100.0, zero * 100.0, fnmr_thr * 100.0, fmr_thr, max_imp, mean_n, prep_us, match_us, asym
        );
        eers.push(eer);
        all_imp.extend_from_slice(imp);
    }
    if !eers.is_empty() {
        all_imp.sort_by(|a, b| b.total_cmp(a));
        println!(
            "mean EER {:.2}%  top impostor scores {:?}",
            eers.iter().sum::<f64>() / eers.len() as f64 * 100.0,
            &all_imp[..all_imp.len().min(5)]
        );
    }
}
