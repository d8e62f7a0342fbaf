//! The face weights loader: a file written here in the documented format
//! (scripts/face-models.mjs) loads; truncated, altered, foreign or
//! oversized ones are refused with INVALID_ARGUMENT.

use sealmatch::face::weights::{Weights, MAX_TENSORS, VERSION};
use sealmatch::ErrorCode;
use sha2::{Digest, Sha256};

/// One tensor record: name, dims, and either f32 values or (u8, scale, min).
enum Data {
    F32(Vec<f32>),
    U8(Vec<u8>, f64, f64),
}

fn record(out: &mut Vec<u8>, name: &str, dims: &[u32], data: &Data) {
    out.extend((name.len() as u16).to_le_bytes());
    out.extend(name.as_bytes());
    out.push(if matches!(data, Data::F32(_)) { 1 } else { 2 });
    out.push(dims.len() as u8);
    for d in dims {
        out.extend(d.to_le_bytes());
    }
    match data {
        Data::F32(v) => v.iter().for_each(|x| out.extend(x.to_le_bytes())),
        Data::U8(q, scale, min) => {
            out.extend(scale.to_le_bytes());
            out.extend(min.to_le_bytes());
            out.extend(q);
        }
    }
}

fn file_with(version: u32, count: u32, records: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut body = b"SMFACEW\0".to_vec();
    body.extend(version.to_le_bytes());
    body.extend(count.to_le_bytes());
    records(&mut body);
    let digest = Sha256::digest(&body);
    body.extend(digest.as_slice());
    body
}

fn good() -> Vec<u8> {
    file_with(VERSION, 2, |b| {
        record(b, "net/a", &[2, 2], &Data::F32(vec![1.0, -2.0, 0.5, 3.0]));
        record(b, "net/q", &[3], &Data::U8(vec![0, 10, 255], 0.1, -1.0));
    })
}

fn code(bytes: &[u8]) -> ErrorCode {
    Weights::parse(bytes).unwrap_err().code()
}

#[test]
fn loads_and_dequantises() {
    let mut w = Weights::parse(&good()).unwrap();
    assert_eq!(w.len(), 2);
    assert_eq!(
        w.take("net/a", &[2, 2]).unwrap().data,
        vec![1.0, -2.0, 0.5, 3.0]
    );
    let q = w.take("net/q", &[3]).unwrap().data;
    assert_eq!(q, vec![-1.0, 0.0, (255.0 * 0.1 - 1.0) as f32]);
    // Taken tensors are gone; wrong dimensions are refused.
    assert_eq!(
        w.take("net/a", &[2, 2]).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
    let mut w = Weights::parse(&good()).unwrap();
    assert_eq!(
        w.take("net/a", &[4]).unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
}

#[test]
fn refuses_truncated_and_altered_files() {
    let f = good();
    for cut in [0, 1, 10, f.len() / 2, f.len() - 1] {
        assert_eq!(code(&f[..cut]), ErrorCode::InvalidArgument, "cut at {cut}");
    }
    for i in [0, 9, 20, f.len() - 40, f.len() - 1] {
        let mut g = f.clone();
        g[i] ^= 0x01;
        assert_eq!(code(&g), ErrorCode::InvalidArgument, "byte {i} altered");
    }
    let mut longer = f.clone();
    longer.push(0);
    assert_eq!(code(&longer), ErrorCode::InvalidArgument);
}

#[test]
fn refuses_well_digested_but_invalid_content() {
    let bad = [
        file_with(VERSION + 1, 0, |_| {}),
        file_with(VERSION, MAX_TENSORS as u32 + 1, |_| {}),
        // Declares two tensors, holds one.
        file_with(VERSION, 2, |b| record(b, "x", &[1], &Data::F32(vec![1.0]))),
        // Dimensions far beyond the data: no allocation, an error.
        file_with(VERSION, 1, |b| {
            record(b, "x", &[65536, 65536, 65536], &Data::F32(vec![1.0]))
        }),
        file_with(VERSION, 1, |b| {
            record(b, "x", &[u32::MAX, u32::MAX], &Data::U8(vec![1], 1.0, 0.0))
        }),
        // Rank 0 and 5, an unknown dtype, an empty name, a duplicate.
        file_with(VERSION, 1, |b| record(b, "x", &[], &Data::F32(vec![]))),
        file_with(VERSION, 1, |b| {
            record(b, "x", &[1, 1, 1, 1, 1], &Data::F32(vec![1.0]))
        }),
        file_with(VERSION, 1, |b| {
            record(b, "x", &[1], &Data::F32(vec![1.0]));
            let dtype_at = b.len() - 4 - 4 - 2;
            b[dtype_at] = 7;
        }),
        file_with(VERSION, 1, |b| record(b, "", &[1], &Data::F32(vec![1.0]))),
        file_with(VERSION, 2, |b| {
            record(b, "x", &[1], &Data::F32(vec![1.0]));
            record(b, "x", &[1], &Data::F32(vec![2.0]));
        }),
        // A non-finite value.
        file_with(VERSION, 1, |b| {
            record(b, "x", &[1], &Data::F32(vec![f32::NAN]))
        }),
    ];
    for (i, f) in bad.iter().enumerate() {
        assert_eq!(code(f), ErrorCode::InvalidArgument, "case {i}");
    }
    // The magic is checked too.
    let mut f = good();
    f[0] = b'X';
    let n = f.len() - 32;
    let digest = Sha256::digest(&f[..n]);
    f[n..].copy_from_slice(digest.as_slice());
    assert_eq!(code(&f), ErrorCode::InvalidArgument);
}

#[test]
fn errors_do_not_echo_content() {
    let e = Weights::parse(&good()[..50]).unwrap_err();
    assert!(!e.message().contains("net/"), "{}", e.message());
}

#[test]
fn the_built_file_loads_when_present() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/face/sealmatch-face.bin");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!(
            "SKIPPED: {} absent (node scripts/face-models.mjs)",
            path.display()
        );
        return;
    };
    let w = Weights::parse(&bytes).unwrap();
    // 19 detector + 28 tiny landmark + 117 recognition tensors (+ 49 with --all).
    assert!(w.len() == 164 || w.len() == 213, "{} tensors", w.len());
    assert!(w.contains("detector/conv8/bias") && w.contains("recognition/fc"));
}
