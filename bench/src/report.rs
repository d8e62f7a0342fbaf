//! Printing results.

use crate::eval::{quality_bands, DbResult, MultiEnroll, MULTI_PROBE_FROM};
use crate::nbis::NbisResult;
use sealmatch::matcher::MIN_THRESHOLD;
use sealmatch_metrics::{Rates, ScoreSet};
use std::collections::BTreeMap;

/// `12.34 %`.
pub fn pct(x: f64) -> String {
    format!("{:6.2} %", 100.0 * x)
}

fn opt(x: Option<f64>, prec: usize) -> String {
    x.map(|v| format!("{v:.prec$}"))
        .unwrap_or_else(|| "n/a".into())
}

fn thr(t: f32) -> String {
    if t.is_finite() {
        format!("{t:.3}")
    } else {
        format!("{t}")
    }
}

/// Upper end of the 95 % Wilson interval for k successes in n trials.
pub fn upper95(k: usize, n: usize) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let (k, n, z) = (k as f64, n as f64, 1.96f64);
    let p = k / n;
    let d = 1.0 + z * z / n;
    let c = p + z * z / (2.0 * n);
    let r = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    ((c + r) / d).min(1.0)
}

/// The header of the per-engine table.
pub fn table_header() {
    println!(
        "  {:<22} {:>9} {:>9} {:>9} {:>9} {:>7} {:>18} {:>10} {:>10} {:>9}",
        "engine",
        "EER",
        "FMR100",
        "FMR1000",
        "ZeroFMR",
        "FTE",
        "FNMR@thr (FMR)",
        "extract ms",
        "match µs",
        "template"
    );
}

/// One engine's row.
#[allow(clippy::too_many_arguments)]
pub fn table_row(
    engine: &str,
    rates: &Rates,
    fte: &str,
    at_thr: Option<(f64, f64)>,
    extract_ms: Option<f64>,
    match_us: Option<f64>,
    template: &str,
) {
    let at = at_thr
        .map(|(fnmr, fmr)| format!("{} ({:.3}%)", pct(fnmr).trim(), 100.0 * fmr))
        .unwrap_or_else(|| "n/a".into());
    println!(
        "  {:<22} {:>9} {:>9} {:>9} {:>9} {:>7} {:>18} {:>10} {:>10} {:>9}",
        engine,
        pct(rates.eer),
        pct(rates.fmr100.fnmr),
        pct(rates.fmr1000.fnmr),
        pct(rates.zero_fmr.fnmr),
        fte,
        at,
        opt(extract_ms, 1),
        opt(match_us, 1),
        template
    );
}

/// Captures: usable, refused, feedback codes, minutiae.
pub fn print_captures(r: &DbResult) {
    let (refused, low) = r.failures();
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut errors: BTreeMap<&str, usize> = BTreeMap::new();
    let mut minutiae = Vec::new();
    let mut quality = Vec::new();
    for e in &r.extractions {
        for c in e.feedback() {
            *codes.entry(c).or_default() += 1;
        }
        if let crate::engine::Outcome::Error(code) = e.outcome {
            *errors.entry(code).or_default() += 1;
        }
        if let Some(m) = e.minutiae() {
            minutiae.push(m as f64);
        }
        if let Some(q) = e.quality() {
            quality.push(q as f64);
        }
    }
    let fmt_map = |m: &BTreeMap<&str, usize>| {
        if m.is_empty() {
            "none".to_string()
        } else {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    println!(
        "  captures: {} usable, {low} not usable (LOW_QUALITY), {refused} refused ({}); feedback: {}",
        r.images - refused - low,
        fmt_map(&errors),
        fmt_map(&codes)
    );
    let range = |v: &[f64]| {
        let min = v.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        format!(
            "median {} (min {}, max {})",
            opt(crate::stats::median(v), 0),
            if v.is_empty() {
                "n/a".into()
            } else {
                format!("{min:.0}")
            },
            if v.is_empty() {
                "n/a".into()
            } else {
                format!("{max:.0}")
            }
        )
    };
    println!(
        "  quality {}; minutiae {}",
        range(&quality),
        range(&minutiae)
    );
}

/// Thresholds of the operating points and symmetry.
pub fn print_points(r: &DbResult) {
    let x = &r.rates;
    println!(
        "  thresholds: EER interval [{}, {}]; FMR100 t={} FMR1000 t={} ZeroFMR t={}; shipped t={} (FMR there {}/{})",
        pct(x.eer_low).trim(),
        pct(x.eer_high).trim(),
        thr(x.fmr100.threshold),
        thr(x.fmr1000.threshold),
        thr(x.zero_fmr.threshold),
        thr(r.shipped.threshold),
        (r.shipped.fmr * r.set.impostor().len() as f64).round(),
        r.set.impostor().len()
    );
    let gen: Vec<f64> = r
        .set
        .genuine()
        .iter()
        .filter(|s| s.is_finite())
        .map(|&s| s as f64)
        .collect();
    let imp: Vec<f64> = r
        .set
        .impostor()
        .iter()
        .filter(|s| s.is_finite())
        .map(|&s| s as f64)
        .collect();
    println!(
        "  scores: median genuine {}, median impostor {}, max impostor {}; symmetry: median |s(a,b)-s(b,a)| on genuine pairs {}",
        opt(crate::stats::median(&gen), 3),
        opt(crate::stats::median(&imp), 3),
        imp.last().map(|v| format!("{v:.3}")).unwrap_or_else(|| "n/a".into()),
        opt(r.asymmetry, 4)
    );
}

/// Genuine scores by quality band.
pub fn print_quality(r: &DbResult) {
    println!(
        "  genuine pairs by capture quality (lower of the two): FNMR at the shipped threshold and at this database's FMR100 threshold"
    );
    // Rank correlation over genuine pairs that both captured.
    let (mut q, mut sc) = (Vec::new(), Vec::new());
    for (&(i, j, g), &s) in r.pairs.iter().zip(&r.scores) {
        let (a, b) = (&r.extractions[i as usize], &r.extractions[j as usize]);
        if g && a.usable().is_some() && b.usable().is_some() {
            q.push(a.quality().unwrap_or(0).min(b.quality().unwrap_or(0)) as f64);
            sc.push(s as f64);
        }
    }
    println!(
        "    Spearman rank correlation of pair quality and genuine score: {}",
        crate::stats::spearman(&q, &sc)
            .map(|v| format!("{v:+.2}"))
            .unwrap_or_else(|| "n/a".into())
    );
    println!(
        "    {:<9} {:>6} {:>13} {:>13} {:>13}",
        "quality", "pairs", "median score", "FNMR@shipped", "FNMR@FMR100t"
    );
    for b in quality_bands(r) {
        if b.pairs == 0 {
            continue;
        }
        println!(
            "    {:<9} {:>6} {:>13} {:>13} {:>13}",
            b.label,
            b.pairs,
            opt(b.median, 3),
            pct(b.fnmr_shipped),
            pct(b.fnmr_fmr100)
        );
    }
}

/// FNMR with 1, 2, 3 enrolled impressions.
pub fn print_multi(m: &[MultiEnroll]) {
    if m.is_empty() {
        println!("  several enrolled impressions: needs 2+ fingers with 4+ impressions");
        return;
    }
    println!(
        "  several enrolled impressions: enroll impressions 1..k of a finger as one token, verify impressions {}.. of the same finger (genuine) and of every other finger (impostor)",
        MULTI_PROBE_FROM + 1
    );
    println!(
        "    {:<2} {:>8} {:>9} {:>9} {:>9} {:>13} {:>13}",
        "k", "genuine", "impostor", "EER", "FMR100", "FNMR@shipped", "FMR@shipped"
    );
    for x in m {
        println!(
            "    {:<2} {:>8} {:>9} {:>9} {:>9} {:>13} {:>13}",
            x.k,
            x.set.genuine().len(),
            x.set.impostor().len(),
            pct(x.rates.eer),
            pct(x.rates.fmr100.fnmr),
            pct(x.shipped.fnmr),
            pct(x.shipped.fmr)
        );
    }
}

/// The impostor tail: thresholds for FMR targets, the shipped one, and the
/// FMR at the lowest threshold `verify` accepts (`MIN_THRESHOLD`).
pub fn print_tail(label: &str, set: &ScoreSet, shipped: f32) {
    let n = set.impostor().len();
    let mut parts = Vec::new();
    for (name, f) in [("1%", 0.01), ("0.1%", 0.001), ("0.01%", 0.0001)] {
        let needed = (1.0 / f) as usize;
        if n >= needed {
            let (t, k) = set.threshold_for_fmr(f);
            parts.push(format!("t(FMR<={name})={} [{k} above]", thr(t)));
        } else {
            parts.push(format!("t(FMR<={name})=n/a (needs {needed}+ pairs)"));
        }
    }
    let k = (set.fmr(shipped) * n as f64).round() as usize;
    println!(
        "  {label}: {n} impostor pairs; {}; at shipped t={}: {k} false matches, FMR {:.4} % (95 % upper {:.4} %); at the floor t={}: FMR {:.3} %",
        parts.join(", "),
        thr(shipped),
        if n > 0 { 100.0 * k as f64 / n as f64 } else { 0.0 },
        100.0 * upper95(k, n),
        thr(MIN_THRESHOLD),
        100.0 * set.fmr(MIN_THRESHOLD)
    );
}

/// NBIS row, or why there is none.
pub fn print_nbis(nbis: &Option<Result<(NbisResult, ScoreSet), String>>, images: usize) {
    match nbis {
        None => println!("  {:<22} skipped (--no-nbis)", "NBIS"),
        Some(Err(e)) => println!("  {:<22} skipped: {e}", "NBIS"),
        Some(Ok((n, set))) => table_row(
            "NBIS mindtct+bozorth3",
            &set.rates(),
            &format!("{}/{images}", n.failed),
            None,
            n.extract_ms,
            n.match_us,
            "n/a",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::upper95;

    #[test]
    fn wilson_upper_bound() {
        // Zero in 30,000: about 3.7/n (close to the rule of three).
        let u = upper95(0, 30_000);
        assert!(u > 1.0 / 30_000.0 && u < 5.0 / 30_000.0, "{u}");
        assert!(upper95(50, 100) > 0.5 && upper95(50, 100) < 0.65);
        assert_eq!(upper95(0, 0), 1.0);
    }
}
