//! `sealmatch-bench`: the accuracy benchmark of `docs/accuracy.md` ("Accuracy
//! protocol"), with NBIS scored on the same pairs beside it. Run with
//! `--help` for the options.

#![forbid(unsafe_code)]

mod args;
mod dataset;
mod engine;
mod eval;
mod nbis;
mod parallel;
mod report;
mod stats;

use dataset::Database;
use sealmatch::matcher::DEFAULT_THRESHOLD;
use sealmatch_metrics::{Rates, ScoreSet};
use sealmatch_synth::FingerConfig;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// One line of the closing summary.
struct Summary {
    name: String,
    synthetic: bool,
    ours: Rates,
    fte: usize,
    images: usize,
    shipped_fnmr: f64,
    nbis: Option<Rates>,
    impostor: Vec<f32>,
    genuine: Vec<f32>,
}

/// The binary template size: the token content for one impression is padded
/// to a fixed size (`codec::encoded_len(1)`), whatever the minutiae count.
fn template_bytes() -> String {
    match sealmatch::template::codec::encoded_len(1) {
        Some(n) => format!("{n} B"),
        None => "n/a".into(),
    }
}

fn write_tsv(
    path: &Path,
    db: &Database,
    pairs: &[(u32, u32, bool)],
    scores: &[f32],
) -> Result<(), String> {
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    for (&(i, j, _), s) in pairs.iter().zip(scores) {
        writeln!(
            w,
            "{}\t{}\t{}",
            db.samples[i as usize].stem, db.samples[j as usize].stem, s
        )
        .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    w.flush().map_err(|e| format!("{}: {e}", path.display()))
}

fn run_database(a: &args::Args, db: &Database, synthetic: bool) -> Result<Summary, String> {
    let t0 = Instant::now();
    let fingers = db.fingers();
    let n = db.samples.len();
    let pairs_total = n * (n - 1) / 2;
    let genuine_total: usize = fingers.iter().map(|f| f.len() * (f.len() - 1) / 2).sum();
    println!();
    println!(
        "== {}: {n} images, {} fingers, {genuine_total} genuine + {} impostor pairs, {} dpi ==",
        db.name,
        fingers.len(),
        pairs_total - genuine_total,
        db.dpi
    );

    // NBIS in its own process, on the PNG files.
    let tmp = std::env::temp_dir().join(format!("sealmatch-bench-{}", std::process::id()));
    let nbis_job = if a.nbis {
        let dir: Result<PathBuf, String> = match &db.dir {
            Some(d) => Ok(d.clone()),
            None => {
                let d = tmp.join(&db.name);
                db.write_pngs(&d).map(|_| d)
            }
        };
        let names: Vec<String> = db.samples.iter().map(|s| s.file.clone()).collect();
        let out = tmp.join(format!("{}.nbis.out", db.name));
        Some(dir.and_then(|d| {
            std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
            nbis::start(&a.python, &d, &names, db.dpi, out)
        }))
    } else {
        None
    };

    let r = eval::evaluate(db, a.threads, DEFAULT_THRESHOLD);
    let multi = eval::multi_enroll(db, &r, a.threads);

    let nbis = nbis_job.map(|job| {
        job.and_then(|j| j.finish()).map(|res| {
            let set = eval::split(&r.pairs, &res.scores);
            (res, set)
        })
    });
    if db.dir.is_none() {
        let _ = std::fs::remove_dir_all(tmp.join(&db.name));
    }

    if let Some(dir) = &a.scores {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        write_tsv(
            &dir.join(format!("{}.tsv", db.name)),
            db,
            &r.pairs,
            &r.scores,
        )?;
        if let Some(Ok((res, _))) = &nbis {
            write_tsv(
                &dir.join(format!("{}.nbis.tsv", db.name)),
                db,
                &r.pairs,
                &res.scores,
            )?;
        }
    }

    let (refused, low) = r.failures();
    report::print_captures(&r);
    report::table_header();
    report::table_row(
        "sealmatch",
        &r.rates,
        &format!("{}/{n}", refused + low),
        Some((r.shipped.fnmr, r.shipped.fmr)),
        r.extract_ms,
        r.match_us,
        &template_bytes(),
    );
    report::print_nbis(&nbis, n);
    report::print_points(&r);
    report::print_quality(&r);
    report::print_multi(&multi);
    report::print_tail("impostor tail (sealmatch)", &r.set, DEFAULT_THRESHOLD);
    println!("  ({:.1} s)", t0.elapsed().as_secs_f64());

    Ok(Summary {
        name: db.name.clone(),
        synthetic,
        ours: r.rates,
        fte: refused + low,
        images: n,
        shipped_fnmr: r.shipped.fnmr,
        nbis: match &nbis {
            Some(Ok((_, set))) => Some(set.rates()),
            _ => None,
        },
        impostor: r.set.impostor().to_vec(),
        genuine: r.set.genuine().to_vec(),
    })
}

fn print_summary(all: &[Summary]) {
    println!();
    println!(
        "== summary (FVC protocol of docs/accuracy.md; shipped threshold {}) ==",
        DEFAULT_THRESHOLD
    );
    println!(
        "  {:<34} {:>9} {:>9} {:>9} {:>9} {:>6} {:>12} | {:>9} {:>9} {:>9} {:>9}",
        "database",
        "EER",
        "FMR100",
        "FMR1000",
        "ZeroFMR",
        "FTE",
        "FNMR@thr",
        "NBIS EER",
        "FMR100",
        "FMR1000",
        "ZeroFMR"
    );
    let dash = "-".to_string();
    for s in all {
        let nb = s
            .nbis
            .map(|n| [n.eer, n.fmr100.fnmr, n.fmr1000.fnmr, n.zero_fmr.fnmr].map(report::pct));
        let nb = nb.unwrap_or_else(|| [dash.clone(), dash.clone(), dash.clone(), dash.clone()]);
        println!(
            "  {:<34} {:>9} {:>9} {:>9} {:>9} {:>6} {:>12} | {:>9} {:>9} {:>9} {:>9}",
            s.name,
            report::pct(s.ours.eer),
            report::pct(s.ours.fmr100.fnmr),
            report::pct(s.ours.fmr1000.fnmr),
            report::pct(s.ours.zero_fmr.fnmr),
            format!("{}/{}", s.fte, s.images),
            report::pct(s.shipped_fnmr),
            nb[0],
            nb[1],
            nb[2],
            nb[3]
        );
    }
    let real: Vec<&Summary> = all.iter().filter(|s| !s.synthetic).collect();
    if real.len() > 1 {
        let mean = |f: &dyn Fn(&Summary) -> f64| {
            real.iter().map(|s| f(s)).sum::<f64>() / real.len() as f64
        };
        let nbis_mean = |f: &dyn Fn(&Rates) -> f64| {
            if real.iter().all(|s| s.nbis.is_some()) {
                report::pct(
                    real.iter()
                        .map(|s| f(s.nbis.as_ref().unwrap()))
                        .sum::<f64>()
                        / real.len() as f64,
                )
            } else {
                dash.clone()
            }
        };
        println!(
            "  {:<34} {:>9} {:>9} {:>9} {:>9} {:>6} {:>12} | {:>9} {:>9} {:>9} {:>9}",
            format!("mean of {} folder databases", real.len()),
            report::pct(mean(&|s| s.ours.eer)),
            report::pct(mean(&|s| s.ours.fmr100.fnmr)),
            report::pct(mean(&|s| s.ours.fmr1000.fnmr)),
            report::pct(mean(&|s| s.ours.zero_fmr.fnmr)),
            format!("{}", real.iter().map(|s| s.fte).sum::<usize>()),
            report::pct(mean(&|s| s.shipped_fnmr)),
            nbis_mean(&|r| r.eer),
            nbis_mean(&|r| r.fmr100.fnmr),
            nbis_mean(&|r| r.fmr1000.fnmr),
            nbis_mean(&|r| r.zero_fmr.fnmr)
        );
    }
    if all.len() > 1 {
        // Calibration: every impostor pair of every database together.
        let imp: Vec<f32> = all
            .iter()
            .flat_map(|s| s.impostor.iter().copied())
            .collect();
        let gen: Vec<f32> = all.iter().flat_map(|s| s.genuine.iter().copied()).collect();
        let pooled = ScoreSet::new(gen, imp);
        println!();
        println!("== threshold calibration: all databases pooled ==");
        report::print_tail("pooled impostor tail", &pooled, DEFAULT_THRESHOLD);
        if pooled.impostor().len() >= 10_000 {
            let (t, _) = pooled.threshold_for_fmr(0.0001);
            println!("  FNMR at the pooled FMR 0.01 % threshold t={t:.3}:");
            for s in all {
                let set = ScoreSet::new(s.genuine.clone(), Vec::new());
                println!("    {:<34} {}", s.name, report::pct(set.fnmr(t)));
            }
        }
    }
}

fn run(a: &args::Args) -> Result<(), String> {
    println!(
        "sealmatch-bench: shipped threshold DEFAULT_THRESHOLD = {}; engine threads {}; NBIS {}",
        DEFAULT_THRESHOLD,
        a.threads,
        if a.nbis {
            "on (nbis-py 0.1.3, min_quality 0)"
        } else {
            "off"
        }
    );
    let mut all = Vec::new();
    for dir in &a.dbs {
        let db = Database::load(dir, a.dpi)?;
        all.push(run_database(a, &db, false)?);
    }
    if a.synthetic > 0 {
        let cfg = FingerConfig {
            width: a.size.0,
            height: a.size.1,
            dpi: 500,
            class: None,
        };
        let t0 = Instant::now();
        let db = Database::synthetic(
            a.synthetic,
            a.impressions,
            a.seed,
            &cfg,
            &a.variation,
            a.threads,
        );
        println!();
        println!(
            "generated {} synthetic fingers x {} impressions ({}x{}, variation {}, seed {}) in {:.1} s",
            a.synthetic,
            a.impressions,
            a.size.0,
            a.size.1,
            a.variation_name,
            a.seed,
            t0.elapsed().as_secs_f64()
        );
        all.push(run_database(a, &db, true)?);
    }
    print_summary(&all);
    let _ = std::fs::remove_dir_all(
        std::env::temp_dir().join(format!("sealmatch-bench-{}", std::process::id())),
    );
    Ok(())
}

fn main() -> ExitCode {
    let a = match args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(&a) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
