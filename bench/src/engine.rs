//! Running the sealmatch engine through its public API only: captures from
//! grey pixels, usability, and probe-against-enrolled scores.

use crate::dataset::Database;
use sealmatch::capture::Capture;
use std::time::Instant;

/// What became of one image.
pub enum Outcome {
    /// Captured and usable.
    Usable(Capture),
    /// Captured but not usable (the library would answer `LOW_QUALITY`).
    LowQuality(Capture),
    /// `Capture::from_gray` refused the image; the error code.
    Error(&'static str),
}

/// One image's capture, with its timing.
pub struct Extraction {
    /// The capture or the failure.
    pub outcome: Outcome,
    /// Wall time of `Capture::from_gray`, milliseconds.
    pub ms: f64,
}

impl Extraction {
    /// The capture when usable.
    pub fn usable(&self) -> Option<&Capture> {
        match &self.outcome {
            Outcome::Usable(c) => Some(c),
            _ => None,
        }
    }

    /// Quality, when captured.
    pub fn quality(&self) -> Option<u8> {
        match &self.outcome {
            Outcome::Usable(c) | Outcome::LowQuality(c) => Some(c.quality()),
            Outcome::Error(_) => None,
        }
    }

    /// Feedback codes, when captured.
    pub fn feedback(&self) -> Vec<&'static str> {
        match &self.outcome {
            Outcome::Usable(c) | Outcome::LowQuality(c) => {
                c.feedback().iter().map(|f| f.as_str()).collect()
            }
            Outcome::Error(_) => Vec::new(),
        }
    }

    /// Minutiae found, when captured.
    pub fn minutiae(&self) -> Option<usize> {
        match &self.outcome {
            Outcome::Usable(c) | Outcome::LowQuality(c) => Some(c.minutiae_count()),
            Outcome::Error(_) => None,
        }
    }
}

/// Captures every image of `db`.
pub fn extract_all(db: &Database, threads: usize) -> Vec<Extraction> {
    crate::parallel::map(&db.samples, threads, |s| {
        let img = &s.image;
        let t0 = Instant::now();
        let r = Capture::from_gray(img.width as u32, img.height as u32, &img.pixels, db.dpi);
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let outcome = match r {
            Ok(c) if c.is_usable() => Outcome::Usable(c),
            Ok(c) => Outcome::LowQuality(c),
            Err(e) => Outcome::Error(e.code().as_str()),
        };
        Extraction { outcome, ms }
    })
}

/// Score of probe `probe` against the enrolled set; `-inf` when any image
/// is unusable. Returns the score and the wall time in microseconds (0 when
/// no comparison ran).
pub fn score(ex: &[Extraction], enrolled: &[usize], probe: usize) -> (f32, f64) {
    let Some(p) = ex[probe].usable() else {
        return (f32::NEG_INFINITY, 0.0);
    };
    let mut refs: Vec<&Capture> = Vec::with_capacity(enrolled.len());
    for &e in enrolled {
        match ex[e].usable() {
            Some(c) => refs.push(c),
            None => return (f32::NEG_INFINITY, 0.0),
        }
    }
    let t0 = Instant::now();
    let s = p.score_against(&refs);
    let us = t0.elapsed().as_secs_f64() * 1e6;
    (if s.is_nan() { f32::NEG_INFINITY } else { s }, us)
}

/// All unordered pairs (i < j) in file order, with whether they are genuine.
pub fn all_pairs(db: &Database) -> Vec<(u32, u32, bool)> {
    let n = db.samples.len();
    let mut v = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let g = db.samples[i].finger == db.samples[j].finger;
            v.push((i as u32, j as u32, g));
        }
    }
    v
}

/// Scores every pair: the first image (file order) enrolled, the second
/// verified. Returns (score, µs) per pair.
pub fn score_pairs(
    ex: &[Extraction],
    pairs: &[(u32, u32, bool)],
    threads: usize,
) -> Vec<(f32, f64)> {
    // Chunk so the per-item closure overhead stays negligible.
    let chunks: Vec<&[(u32, u32, bool)]> = pairs.chunks(4096).collect();
    crate::parallel::map(&chunks, threads, |chunk| {
        chunk
            .iter()
            .map(|&(i, j, _)| score(ex, &[i as usize], j as usize))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}
