//! Command-line options.

use sealmatch_synth::Variation;
use std::path::PathBuf;

/// Usage text.
pub const USAGE: &str = "\
usage: sealmatch-bench [OPTIONS] [DB_DIR ...]

Scores each database folder of FINGER_IMPRESSION.png images (e.g. 101_3.png)
with the protocol of docs/accuracy.md (all genuine and all impostor pairs, each
unordered pair once, the first image in file order enrolled) and prints EER,
FMR100, FMR1000, ZeroFMR, failures to enroll, FNMR at the shipped threshold,
timings, and NBIS (mindtct + bozorth3, via nbis-py) beside it.

options:
  --dpi N            resolution of the images in DB_DIR (default 500)
  --scores DIR       write DIR/<database>.tsv (a, b, score per pair; and
                     DIR/<database>.nbis.tsv for NBIS)
  --synthetic N      also score a synthetic database of N fingers
  --impressions M    impressions per synthetic finger (default 8)
  --seed S           seed of the synthetic database (default 1)
  --size WxH         synthetic image size (default 300x300)
  --variation V      synthetic impressions: gentle | typical | hard (default typical)
  --threads T        engine threads, 1 or 2 (default 1; NBIS runs in its own process)
  --no-nbis          do not run NBIS
  --python PATH      Python with nbis-py (default python3)
  -h, --help         this text";

/// Parsed options.
pub struct Args {
    /// Database folders.
    pub dbs: Vec<PathBuf>,
    /// dpi of the folder images.
    pub dpi: u32,
    /// Where to write score files.
    pub scores: Option<PathBuf>,
    /// Synthetic fingers (0: none).
    pub synthetic: usize,
    /// Impressions per synthetic finger.
    pub impressions: usize,
    /// Synthetic seed.
    pub seed: u64,
    /// Synthetic image size.
    pub size: (usize, usize),
    /// Synthetic variation.
    pub variation: Variation,
    /// Name of the variation.
    pub variation_name: String,
    /// Engine threads.
    pub threads: usize,
    /// Run NBIS.
    pub nbis: bool,
    /// Python interpreter.
    pub python: String,
}

fn num<T: std::str::FromStr + PartialOrd + Copy + std::fmt::Display>(
    s: &str,
    lo: T,
    hi: T,
    what: &str,
) -> Result<T, String> {
    match s.parse::<T>() {
        Ok(n) if n >= lo && n <= hi => Ok(n),
        _ => Err(format!("{what} must be a number in {lo}..={hi}, not {s:?}")),
    }
}

/// Parses `args` (without the program name).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        dbs: Vec::new(),
        dpi: 500,
        scores: None,
        synthetic: 0,
        impressions: 8,
        seed: 1,
        size: (300, 300),
        variation: Variation::typical(),
        variation_name: "typical".into(),
        threads: 1,
        nbis: true,
        python: std::env::var("SEALMATCH_PYTHON").unwrap_or_else(|_| "python3".into()),
    };
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--dpi" => a.dpi = num(&value()?, 100, 2000, "--dpi")?,
            "--scores" => a.scores = Some(PathBuf::from(value()?)),
            "--synthetic" => a.synthetic = num(&value()?, 2, 5000, "--synthetic")?,
            "--impressions" => a.impressions = num(&value()?, 2, 16, "--impressions")?,
            "--seed" => a.seed = num(&value()?, 0, u64::MAX, "--seed")?,
            "--size" => {
                let v = value()?;
                let (w, h) = v.split_once('x').ok_or("--size is WxH, e.g. 300x300")?;
                a.size = (num(w, 64, 1000, "width")?, num(h, 64, 1000, "height")?);
            }
            "--variation" => {
                let v = value()?;
                a.variation = match v.as_str() {
                    "gentle" => Variation::gentle(),
                    "typical" => Variation::typical(),
                    "hard" => Variation::hard(),
                    _ => return Err(format!("unknown --variation {v:?}")),
                };
                a.variation_name = v;
            }
            "--threads" => a.threads = num(&value()?, 1, 2, "--threads")?,
            "--no-nbis" => a.nbis = false,
            "--python" => a.python = value()?,
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option {s}\n\n{USAGE}")),
            _ => a.dbs.push(PathBuf::from(flag)),
        }
    }
    if a.dbs.is_empty() && a.synthetic == 0 {
        return Err(USAGE.into());
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Args, String> {
        parse(s.split_whitespace().map(String::from))
    }

    #[test]
    fn parses_folders_and_options() {
        let a = p("--dpi 569 a b --scores out --no-nbis --threads 2").unwrap();
        assert_eq!(a.dbs.len(), 2);
        assert_eq!((a.dpi, a.threads, a.nbis), (569, 2, false));
        let a = p("--synthetic 40 --size 256x320 --impressions 4").unwrap();
        assert_eq!((a.synthetic, a.size, a.impressions), (40, (256, 320), 4));
    }

    #[test]
    fn rejects_bad_input() {
        assert!(p("").is_err());
        assert!(p("--dpi 0 a").is_err());
        assert!(p("--threads 8 a").is_err());
        assert!(p("--size 300 a").is_err());
        assert!(p("--bogus a").is_err());
    }
}
