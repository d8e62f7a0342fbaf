//! `sealmatch-synth`: writes synthetic fingerprint impressions as PNG files
//! named `FINGER_IMPRESSION.png` (e.g. `101_1.png`), the layout
//! `sealmatch-bench` reads.
//!
//! ```text
//! sealmatch-synth --out DIR [--fingers 4] [--impressions 3] [--seed 1]
//!                 [--width 300] [--height 300] [--dpi 500]
//!                 [--variation gentle|typical|hard] [--master]
//! ```

#![forbid(unsafe_code)]

use sealmatch_synth::{finger_seed, png_io, Finger, FingerConfig, Variation};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: sealmatch-synth --out DIR [--fingers N] [--impressions M] [--seed S] \
[--width W] [--height H] [--dpi D] [--variation gentle|typical|hard] [--master]";

struct Args {
    out: PathBuf,
    fingers: usize,
    impressions: usize,
    seed: u64,
    config: FingerConfig,
    variation: Variation,
    master: bool,
}

fn parse() -> Result<Args, String> {
    let mut out = None;
    let mut a = Args {
        out: PathBuf::new(),
        fingers: 4,
        impressions: 3,
        seed: 1,
        config: FingerConfig::default(),
        variation: Variation::typical(),
        master: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--fingers" => a.fingers = num(&value()?, 1, 899)?,
            "--impressions" => a.impressions = num(&value()?, 1, 99)?,
            "--seed" => a.seed = value()?.parse().map_err(|_| "bad --seed")?,
            "--width" => a.config.width = num(&value()?, 32, 2000)?,
            "--height" => a.config.height = num(&value()?, 32, 2000)?,
            "--dpi" => a.config.dpi = num(&value()?, 250, 1000)? as u32,
            "--variation" => {
                a.variation = match value()?.as_str() {
                    "gentle" => Variation::gentle(),
                    "typical" => Variation::typical(),
                    "hard" => Variation::hard(),
                    other => return Err(format!("unknown variation {other:?}")),
                }
            }
            "--master" => a.master = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    a.out = out.ok_or(USAGE)?;
    Ok(a)
}

fn num(s: &str, lo: usize, hi: usize) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(format!("{s:?} is not a number in {lo}..={hi}")),
    }
}

fn run(a: &Args) -> Result<(), String> {
    std::fs::create_dir_all(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    for f in 0..a.fingers {
        let finger = Finger::new(finger_seed(a.seed, f as u64), &a.config);
        let id = 101 + f;
        if a.master {
            let p = a.out.join(format!("master_{id}.png"));
            png_io::write(&finger.master_image(), &p)?;
        }
        for i in 0..a.impressions {
            let img = finger.impression(i as u64, &a.variation);
            let p = a.out.join(format!("{id}_{}.png", i + 1));
            png_io::write(&img, &p)?;
        }
        eprintln!("finger {id}: {}", finger.class().name());
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
