//! Helpers shared by the face development examples
//! (`#[path = "dev/faces.rs"] mod faces;`): the photos of
//! `../shared/data/faces` (decoded in memory, never written) and the engine.

#![allow(dead_code)] // each example uses a part

use sealmatch::face::capture::{FaceEngine, FaceOptions};
use std::path::Path;

/// One pair of the list: photo paths (relative to the data folder), genuine or not.
pub struct Pair {
    pub a: String,
    pub b: String,
    pub genuine: bool,
}

/// `pairs-dev.tsv` of `data` (the development list only).
pub fn dev_pairs(data: &Path) -> Vec<Pair> {
    let list = std::fs::read_to_string(data.join("pairs-dev.tsv")).expect("pairs-dev.tsv");
    list.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            Pair {
                a: f[0].to_string(),
                b: f[1].to_string(),
                genuine: f[2] == "1",
            }
        })
        .collect()
}

/// The photos of the pairs, sorted, each once.
pub fn photos_of(pairs: &[Pair]) -> Vec<String> {
    let mut photos: Vec<String> = pairs
        .iter()
        .flat_map(|p| [p.a.clone(), p.b.clone()])
        .collect();
    photos.sort();
    photos.dedup();
    photos
}

/// RGBA pixels of a JPEG: (width, height, pixels).
pub fn decode(path: &Path) -> (usize, usize, Vec<u8>) {
    let file = std::fs::File::open(path).expect("photo");
    let mut dec = jpeg_decoder::Decoder::new(std::io::BufReader::new(file));
    let px = dec.decode().expect("jpeg");
    let info = dec.info().unwrap();
    let rgba = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => px
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        jpeg_decoder::PixelFormat::L8 => px.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        f => panic!("pixel format {f:?}"),
    };
    (info.width as usize, info.height as usize, rgba)
}

/// The engine from target/face/sealmatch-face.bin.
pub fn engine(options: FaceOptions) -> FaceEngine {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/face/sealmatch-face.bin");
    let bytes = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "{} absent: run node scripts/face-models.mjs",
            path.display()
        )
    });
    FaceEngine::new(&bytes, options).expect("weights")
}

/// `f` over `items` on `threads` threads, results in order.
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let f = &f;
                s.spawn(move || part.iter().map(f).collect::<Vec<R>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}
