//! The NBIS side (mindtct + bozorth3 through `nbis-py`), run by a Python
//! helper (`bench/nbis_scores.py`, embedded in the binary) in its own process
//! while the engine runs.

use crate::stats::median;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const SCRIPT: &str = include_str!("../nbis_scores.py");

/// A running NBIS job.
pub struct NbisJob {
    child: Child,
    out: PathBuf,
    names: usize,
}

/// NBIS results for one database.
pub struct NbisResult {
    /// Pair scores in `all_pairs` order (`-inf` when an image failed).
    pub scores: Vec<f32>,
    /// Images NBIS could not process.
    pub failed: usize,
    /// Median extraction time, ms.
    pub extract_ms: Option<f64>,
    /// Median comparison time, µs.
    pub match_us: Option<f64>,
}

/// Starts scoring the PNG files `names` (sorted) of `dir` with NBIS.
/// `Err` says why NBIS cannot run (no Python, no nbis-py, ...).
pub fn start(
    python: &str,
    dir: &Path,
    names: &[String],
    dpi: u32,
    out: PathBuf,
) -> Result<NbisJob, String> {
    let mut child = Command::new(python)
        .arg("-c")
        .arg(SCRIPT)
        .arg(dir)
        .arg(dpi.to_string())
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    for n in names {
        writeln!(stdin, "{n}").map_err(|e| format!("writing to the NBIS helper: {e}"))?;
    }
    drop(stdin);
    Ok(NbisJob {
        child,
        out,
        names: names.len(),
    })
}

impl NbisJob {
    /// Waits for the job and reads its scores.
    pub fn finish(self) -> Result<NbisResult, String> {
        let output = self
            .child
            .wait_with_output()
            .map_err(|e| format!("NBIS helper: {e}"))?;
        if !output.status.success() {
            let err = String::from_utf8_lossy(&output.stderr);
            let msg = err.lines().last().unwrap_or("").to_string();
            return Err(if output.status.code() == Some(3) {
                format!("nbis-py is not installed (pip install nbis-py==0.1.3): {msg}")
            } else {
                format!("NBIS helper failed ({}): {msg}", output.status)
            });
        }
        let text = std::fs::read_to_string(&self.out)
            .map_err(|e| format!("{}: {e}", self.out.display()))?;
        let _ = std::fs::remove_file(&self.out);
        let n = self.names;
        let mut scores = vec![f32::NEG_INFINITY; n * n.saturating_sub(1) / 2];
        let mut failed = 0;
        let mut ext = Vec::new();
        let mut cmp = Vec::new();
        let mut seen = 0usize;
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["E", _, ok, ms] => {
                    if *ok != "ok" {
                        failed += 1;
                    }
                    ext.push(ms.parse::<f64>().map_err(|_| "bad NBIS output")?);
                }
                ["S", i, j, s, us] => {
                    let i: usize = i.parse().map_err(|_| "bad NBIS output")?;
                    let j: usize = j.parse().map_err(|_| "bad NBIS output")?;
                    if i >= j || j >= n {
                        return Err("bad NBIS pair index".into());
                    }
                    // Index of (i, j) in the i-major list of pairs i < j.
                    let k = i * n - i * (i + 1) / 2 + (j - i - 1);
                    scores[k] = s.parse::<f32>().unwrap_or(f32::NEG_INFINITY);
                    if *s != "-inf" {
                        cmp.push(us.parse::<f64>().unwrap_or(0.0));
                    }
                    seen += 1;
                }
                _ => return Err(format!("unexpected NBIS output line {line:?}")),
            }
        }
        if seen != scores.len() {
            return Err(format!("NBIS scored {seen} of {} pairs", scores.len()));
        }
        Ok(NbisResult {
            scores,
            failed,
            extract_ms: median(&ext),
            match_us: median(&cmp),
        })
    }
}
