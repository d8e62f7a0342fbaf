//! The mixed-extractor table: what it costs when the enrolled side is a
//! standard minutiae record made by another extractor (NBIS mindtct).
//!
//! For each FVC folder `DB_DIR` (images `<finger>_<impression>.png`, 500 dpi)
//! and its NBIS output `ISO_ROOT/<folder name>/` (`<stem>.iso` records and
//! `bozorth3.tsv`, written by `bench/nbis_iso.py`), every unordered pair
//! i < j is scored (probe j against enrolled i; genuine when the finger
//! matches) four ways, and the EER of each is printed (`sealmatch-metrics`):
//!
//! - (a) sealmatch images vs sealmatch images (`Capture::from_image_file`),
//! - (b) NBIS records vs NBIS records with sealmatch's matcher
//!   (`Capture::from_minutiae_record` on both sides),
//! - (c) mixed: the probe image (sealmatch) against the enrolled NBIS record,
//! - bozorth3 on the same NBIS records, for reference.
//!
//! A capture or record that fails scores 0 (bozorth3: -inf), so failures
//! count against the row. `make bench` runs it.
//!
//! `cargo run --release --example mixed_extractors -- ISO_ROOT DB_DIR...`

use sealmatch::Capture;
use sealmatch_metrics::ScoreSet;
use std::collections::HashMap;
use std::path::Path;

fn stems(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    e.file_name()
                        .to_str()?
                        .strip_suffix(".png")
                        .map(String::from)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn finger(stem: &str) -> &str {
    stem.split('_').next().unwrap_or("")
}

/// EER (percent) over every pair i < j of `score(i, j)`.
fn eer(stems: &[String], score: impl Fn(usize, usize) -> f32) -> f64 {
    let (mut gen, mut imp) = (Vec::new(), Vec::new());
    for i in 0..stems.len() {
        for j in i + 1..stems.len() {
            let s = score(i, j);
            if finger(&stems[i]) == finger(&stems[j]) {
                gen.push(s);
            } else {
                imp.push(s);
            }
        }
    }
    ScoreSet::new(gen, imp).rates().eer * 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((iso_root, dbs)) = args.split_first() else {
        eprintln!("usage: mixed_extractors ISO_ROOT DB_DIR...");
        std::process::exit(2);
    };
    println!("Mixed extractors: EER % (probe j vs enrolled i, every pair i < j)");
    println!(
        "{:<16} {:>10} {:>12} {:>12} {:>10} {:>9}",
        "database", "(a) ours", "(b) NBIS rec", "(c) mixed", "bozorth3", "rec fail"
    );
    let mut sums = [0.0f64; 4];
    let mut n = 0;
    for db in dbs {
        let dir = Path::new(db);
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let iso_dir = Path::new(iso_root).join(name);
        let stems = stems(dir);
        if stems.is_empty() || !iso_dir.is_dir() {
            println!("{name:<16} skipped (no images or no NBIS records)");
            continue;
        }
        let images: Vec<Option<Capture>> = stems
            .iter()
            .map(|s| {
                let bytes = std::fs::read(dir.join(format!("{s}.png"))).ok()?;
                Capture::from_image_file(&bytes, Some(500)).ok()
            })
            .collect();
        let records: Vec<Option<Capture>> = stems
            .iter()
            .map(|s| {
                let bytes = std::fs::read(iso_dir.join(format!("{s}.iso"))).ok()?;
                Capture::from_minutiae_record(&bytes).ok()
            })
            .collect();
        let pair = |probe: &Option<Capture>, enrolled: &Option<Capture>| match (probe, enrolled) {
            (Some(p), Some(e)) => p.score_against(&[e]),
            _ => 0.0,
        };
        let a = eer(&stems, |i, j| pair(&images[j], &images[i]));
        let b = eer(&stems, |i, j| pair(&records[j], &records[i]));
        let c = eer(&stems, |i, j| pair(&images[j], &records[i]));
        let bozorth: HashMap<(String, String), f32> =
            std::fs::read_to_string(iso_dir.join("bozorth3.tsv"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| {
                    let f: Vec<&str> = l.split('\t').collect();
                    let stem = |s: &str| s.rsplit_once('.').map_or(s, |p| p.0).to_string();
                    Some(((stem(f.first()?), stem(f.get(1)?)), f.get(2)?.parse().ok()?))
                })
                .collect();
        let z = eer(&stems, |i, j| {
            *bozorth
                .get(&(stems[i].clone(), stems[j].clone()))
                .unwrap_or(&f32::NEG_INFINITY)
        });
        let failed = records.iter().filter(|r| r.is_none()).count();
        println!(
            "{name:<16} {a:>10.2} {b:>12.2} {c:>12.2} {z:>10.2} {failed:>5}/{:<3}",
            stems.len()
        );
        for (s, v) in sums.iter_mut().zip([a, b, c, z]) {
            *s += v;
        }
        n += 1;
    }
    if n > 0 {
        let m = sums.map(|s| s / n as f64);
        println!(
            "{:<16} {:>10.2} {:>12.2} {:>12.2} {:>10.2}",
            "mean", m[0], m[1], m[2], m[3]
        );
    }
}
