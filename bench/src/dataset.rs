//! Databases of fingerprint images: a folder of `FINGER_IMPRESSION.png`
//! files, or a synthetic set made in memory.

use sealmatch_synth::{finger_seed, png_io, Finger, FingerConfig, SynthImage, Variation};
use std::path::{Path, PathBuf};

/// One image of a database.
pub struct Sample {
    /// File stem, e.g. `101_3`.
    pub stem: String,
    /// File name, e.g. `101_3.png`.
    pub file: String,
    /// The finger part of the stem, e.g. `101`.
    pub finger: String,
    /// The pixels.
    pub image: SynthImage,
}

/// A database: samples in sorted file order.
pub struct Database {
    /// Name (the folder's name).
    pub name: String,
    /// Where the PNG files are, when they exist on disk.
    pub dir: Option<PathBuf>,
    /// Resolution of the images.
    pub dpi: u32,
    /// Samples, sorted by file name.
    pub samples: Vec<Sample>,
}

impl Database {
    /// Loads every `FINGER_IMPRESSION.png` of `dir`, sorted by file name.
    pub fn load(dir: &Path, dpi: u32) -> Result<Database, String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.to_ascii_lowercase().ends_with(".png"))
            .collect();
        names.sort();
        let mut samples = Vec::new();
        for name in names {
            let stem = name[..name.len() - 4].to_string();
            let Some((finger, _)) = stem.split_once('_') else {
                eprintln!("skipping {name}: not FINGER_IMPRESSION.png");
                continue;
            };
            let image = png_io::read(&dir.join(&name))?;
            samples.push(Sample {
                finger: finger.to_string(),
                file: name.clone(),
                stem,
                image,
            });
        }
        if samples.is_empty() {
            return Err(format!(
                "{}: no FINGER_IMPRESSION.png images",
                dir.display()
            ));
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "database".into());
        Ok(Database {
            name,
            dir: Some(dir.to_path_buf()),
            dpi,
            samples,
        })
    }

    /// `fingers` × `impressions` synthetic images from `seed`, generated with
    /// up to `threads` threads. Stems are `s00001_1` ... so file order is
    /// finger, then impression.
    pub fn synthetic(
        fingers: usize,
        impressions: usize,
        seed: u64,
        config: &FingerConfig,
        variation: &Variation,
        threads: usize,
    ) -> Database {
        let per_finger = |f: usize| -> Vec<Sample> {
            let finger = Finger::new(finger_seed(seed, f as u64), config);
            (0..impressions)
                .map(|i| Sample {
                    stem: format!("s{:05}_{}", f + 1, i + 1),
                    file: format!("s{:05}_{}.png", f + 1, i + 1),
                    finger: format!("s{:05}", f + 1),
                    image: finger.impression(i as u64, variation),
                })
                .collect()
        };
        let indices: Vec<usize> = (0..fingers).collect();
        let mut samples: Vec<Sample> = crate::parallel::map(&indices, threads, |&f| per_finger(f))
            .into_iter()
            .flatten()
            .collect();
        samples.sort_by(|a, b| a.stem.cmp(&b.stem));
        Database {
            name: format!("synthetic_{fingers}x{impressions}_seed{seed}"),
            dir: None,
            dpi: config.dpi,
            samples,
        }
    }

    /// Indices of the samples of each finger, in file order, fingers in
    /// order of first appearance.
    pub fn fingers(&self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        for (i, s) in self.samples.iter().enumerate() {
            match names.iter().position(|n| *n == s.finger) {
                Some(k) => out[k].push(i),
                None => {
                    names.push(&s.finger);
                    out.push(vec![i]);
                }
            }
        }
        out
    }

    /// Writes the images as PNG into `dir` (for the NBIS side of a synthetic set).
    pub fn write_pngs(&self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for s in &self.samples {
            png_io::write(&s.image, &dir.join(&s.file))?;
        }
        Ok(())
    }
}
