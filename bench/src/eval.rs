//! Evaluating one database: captures, pair scores, error rates, quality
//! bands, several enrolled impressions.

use crate::dataset::Database;
use crate::engine::{self, Extraction, Outcome};
use crate::stats::median;
use sealmatch_metrics::{Point, Rates, ScoreSet};

/// Everything measured on one database with the engine.
pub struct DbResult {
    /// Images.
    pub images: usize,
    /// Per-image captures.
    pub extractions: Vec<Extraction>,
    /// Pairs (i, j, genuine) in file order.
    pub pairs: Vec<(u32, u32, bool)>,
    /// Score per pair.
    pub scores: Vec<f32>,
    /// Genuine and impostor scores.
    pub set: ScoreSet,
    /// FVC figures.
    pub rates: Rates,
    /// At the shipped threshold.
    pub shipped: Point,
    /// Median capture time, ms.
    pub extract_ms: Option<f64>,
    /// Median single-impression comparison time, µs.
    pub match_us: Option<f64>,
    /// Median |s(a,b) − s(b,a)| over genuine pairs that both captured.
    pub asymmetry: Option<f64>,
}

impl DbResult {
    /// Images that could not be enrolled: refused, or not usable.
    pub fn failures(&self) -> (usize, usize) {
        let mut refused = 0;
        let mut low = 0;
        for e in &self.extractions {
            match e.outcome {
                Outcome::Error(_) => refused += 1,
                Outcome::LowQuality(_) => low += 1,
                Outcome::Usable(_) => {}
            }
        }
        (refused, low)
    }
}

/// Captures and scores `db` with the engine.
pub fn evaluate(db: &Database, threads: usize, shipped_threshold: f32) -> DbResult {
    let extractions = engine::extract_all(db, threads);
    let pairs = engine::all_pairs(db);
    let scored = engine::score_pairs(&extractions, &pairs, threads);
    let scores: Vec<f32> = scored.iter().map(|s| s.0).collect();
    let times: Vec<f64> = scored.iter().filter(|s| s.1 > 0.0).map(|s| s.1).collect();
    let set = split(&pairs, &scores);
    let rates = set.rates();
    let shipped = set.at(shipped_threshold);
    let ext_times: Vec<f64> = extractions
        .iter()
        .filter(|e| !matches!(e.outcome, Outcome::Error(_)))
        .map(|e| e.ms)
        .collect();
    let asym: Vec<f64> = pairs
        .iter()
        .zip(&scores)
        .filter(|(p, s)| p.2 && s.is_finite())
        .map(|(&(i, j, _), &s)| {
            let (r, _) = engine::score(&extractions, &[j as usize], i as usize);
            (s - r).abs() as f64
        })
        .collect();
    DbResult {
        images: db.samples.len(),
        extract_ms: median(&ext_times),
        match_us: median(&times),
        asymmetry: median(&asym),
        extractions,
        pairs,
        scores,
        set,
        rates,
        shipped,
    }
}

/// Genuine and impostor score sets from pair scores.
pub fn split(pairs: &[(u32, u32, bool)], scores: &[f32]) -> ScoreSet {
    let mut g = Vec::new();
    let mut i = Vec::new();
    for (p, &s) in pairs.iter().zip(scores) {
        if p.2 {
            g.push(s)
        } else {
            i.push(s)
        }
    }
    ScoreSet::new(g, i)
}

/// One band of capture quality.
pub struct QualityBand {
    /// Label, e.g. `"40-59"` or `"unusable"`.
    pub label: String,
    /// Genuine pairs in the band.
    pub pairs: usize,
    /// Median genuine score.
    pub median: Option<f64>,
    /// FNMR at the shipped threshold.
    pub fnmr_shipped: f64,
    /// FNMR at the database's FMR100 threshold.
    pub fnmr_fmr100: f64,
}

/// Genuine scores by capture quality (the lower of the pair's two).
pub fn quality_bands(r: &DbResult) -> Vec<QualityBand> {
    let edges = [(0u8, 39u8), (40, 59), (60, 79), (80, 100)];
    let mut bands: Vec<(String, Vec<f32>)> = edges
        .iter()
        .map(|(a, b)| (format!("{a}-{b}"), Vec::new()))
        .collect();
    bands.push(("unusable".into(), Vec::new()));
    for (&(i, j, g), &s) in r.pairs.iter().zip(&r.scores) {
        if !g {
            continue;
        }
        let (ei, ej) = (&r.extractions[i as usize], &r.extractions[j as usize]);
        if ei.usable().is_none() || ej.usable().is_none() {
            bands[4].1.push(s);
            continue;
        }
        let q = ei.quality().unwrap_or(0).min(ej.quality().unwrap_or(0));
        let k = edges
            .iter()
            .position(|&(a, b)| q >= a && q <= b)
            .unwrap_or(0);
        bands[k].1.push(s);
    }
    let t100 = r.rates.fmr100.threshold;
    bands
        .into_iter()
        .map(|(label, v)| {
            let set = ScoreSet::new(v.clone(), Vec::new());
            let finite: Vec<f64> = v
                .iter()
                .filter(|s| s.is_finite())
                .map(|&s| s as f64)
                .collect();
            QualityBand {
                label,
                pairs: v.len(),
                median: median(&finite),
                fnmr_shipped: set.fnmr(r.shipped.threshold),
                fnmr_fmr100: set.fnmr(t100),
            }
        })
        .collect()
}

/// Results with k enrolled impressions.
pub struct MultiEnroll {
    /// Impressions enrolled.
    pub k: usize,
    /// Genuine and impostor trials.
    pub set: ScoreSet,
    /// FVC figures on these trials.
    pub rates: Rates,
    /// At the shipped threshold.
    pub shipped: Point,
}

/// The first impression (in file order) used as a probe in the
/// several-impressions test: impressions 1..=3 may be enrolled, so
/// impressions 4.. are the probes.
pub const MULTI_PROBE_FROM: usize = 3;

/// FNMR with 1, 2 and 3 enrolled impressions. For every finger with at least
/// 4 impressions, impressions 1..=k (file order) are enrolled together (one
/// token); the probes are impressions 4.. of the same finger (genuine) and
/// impressions 4.. of every other finger (impostor), so all three k use the
/// same probes. Unusable enrolled impressions are left out of the enrolled
/// set (an enrolment station would ask again); a finger with none scores
/// -inf, as does an unusable probe.
pub fn multi_enroll(db: &Database, r: &DbResult, threads: usize) -> Vec<MultiEnroll> {
    let fingers: Vec<Vec<usize>> = db
        .fingers()
        .into_iter()
        .filter(|f| f.len() > MULTI_PROBE_FROM)
        .collect();
    if fingers.len() < 2 {
        return Vec::new();
    }
    (1..=MULTI_PROBE_FROM)
        .map(|k| {
            let per_finger = crate::parallel::map(&fingers, threads, |f| {
                let enrolled: Vec<usize> = f[..k]
                    .iter()
                    .copied()
                    .filter(|&e| r.extractions[e].usable().is_some())
                    .collect();
                let mut gen = Vec::new();
                let mut imp = Vec::new();
                for other in &fingers {
                    let same = std::ptr::eq(other, f);
                    for &p in &other[MULTI_PROBE_FROM..] {
                        let s = if enrolled.is_empty() {
                            f32::NEG_INFINITY
                        } else {
                            engine::score(&r.extractions, &enrolled, p).0
                        };
                        if same {
                            gen.push(s)
                        } else {
                            imp.push(s)
                        }
                    }
                }
                (gen, imp)
            });
            let (mut g, mut i) = (Vec::new(), Vec::new());
            for (a, b) in per_finger {
                g.extend(a);
                i.extend(b);
            }
            let set = ScoreSet::new(g, i);
            MultiEnroll {
                k,
                rates: set.rates(),
                shipped: set.at(r.shipped.threshold),
                set,
            }
        })
        .collect()
}
