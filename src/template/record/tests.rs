//! Record reading, checked against records the test writer makes.

use super::*;
use crate::test_support::RecordWriter;

const SOME: [(u8, u16, u16, u8, u8); 4] = [
    (1, 10, 20, 0, 90),
    (2, 299, 399, 64, 80),
    (0, 150, 0, 255, 0),
    (2, 0, 200, 128, 100),
];

#[test]
fn iso_records_read_as_written() {
    let p = parse(&RecordWriter::iso(300, 400).write(&SOME)).unwrap();
    assert_eq!(p.format, RecordFormat::Iso);
    assert_eq!(p.finger_quality, 60);
    let t = &p.template;
    assert_eq!((t.width, t.height, t.dpi), (300, 400, 500));
    let got: Vec<_> = t
        .minutiae
        .iter()
        .map(|m| (m.kind, m.x, m.y, m.direction, m.quality))
        .collect();
    use MinutiaKind::{Bifurcation as B, Ending as E};
    // Sorted best quality first; type 0 ("other") reads as an ending.
    assert_eq!(
        got,
        [
            (B, 0, 200, 128, 100),
            (E, 10, 20, 0, 90),
            (B, 299, 399, 64, 80),
            (E, 150, 0, 255, 0)
        ]
    );
}

#[test]
fn ansi_records_read_with_2_degree_angles_and_either_length() {
    for long_length in [false, true] {
        let w = RecordWriter {
            ansi: true,
            long_length,
            ..RecordWriter::iso(300, 400)
        };
        // 2-degree units: 45 is 90 degrees (64/256), 90 is 180, 179 is 358.
        let bytes = w.write(&[(1, 5, 6, 45, 50), (2, 7, 8, 90, 40), (1, 9, 9, 179, 30)]);
        let p = parse(&bytes).unwrap();
        assert_eq!(p.format, RecordFormat::Ansi);
        let dirs: Vec<u8> = p.template.minutiae.iter().map(|m| m.direction).collect();
        assert_eq!(dirs, [64, 128, 255]);
    }
}

#[test]
fn coordinates_are_scaled_to_500_dpi() {
    // 394 px/cm is 1001 dpi: coordinates and sides about halve.
    let w = RecordWriter {
        ppcm: 394,
        ..RecordWriter::iso(600, 800)
    };
    let p = parse(&w.write(&[(1, 200, 599, 10, 50)])).unwrap();
    assert_eq!((p.template.width, p.template.height), (300, 400));
    let m = p.template.minutiae[0];
    assert_eq!((m.x, m.y), (100, 299));
}

#[test]
fn extended_data_is_skipped_by_its_length() {
    let w = RecordWriter {
        extended: vec![0, 1, 0, 7, 1, 2, 3],
        ..RecordWriter::iso(300, 400)
    };
    assert_eq!(parse(&w.write(&SOME)).unwrap().template.minutiae.len(), 4);
}

#[test]
fn more_than_128_minutiae_keep_the_best() {
    let many: Vec<_> = (0..200u16).map(|i| (1, i, i, 0, (i % 101) as u8)).collect();
    let p = parse(&RecordWriter::iso(300, 400).write(&many)).unwrap();
    assert_eq!(p.template.minutiae.len(), MAX_MINUTIAE);
    assert!(p.template.minutiae.iter().all(|m| m.quality >= 36));
}

fn assert_invalid(bytes: &[u8], what: &str) {
    let e = parse(bytes)
        .err()
        .unwrap_or_else(|| panic!("{what}: accepted"));
    assert_eq!(e.code(), ErrorCode::InvalidImage, "{what}");
    assert!(e.message().starts_with("minutiae record:"), "{what}");
}

#[test]
fn malformed_records_are_invalid_image() {
    let ok = RecordWriter::iso(300, 400).write(&SOME);
    for cut in 0..ok.len() {
        assert_invalid(&ok[..cut], "truncated");
    }
    let mut longer = ok.clone();
    longer.push(0);
    assert_invalid(&longer, "a byte after the record");
    let with = |at: usize, bytes: &[u8]| {
        let mut f = ok.clone();
        f[at..at + bytes.len()].copy_from_slice(bytes);
        f
    };
    assert_invalid(&with(0, b"FIR"), "magic");
    assert_invalid(&with(4, b"030"), "version");
    assert_invalid(&with(8, &u32::MAX.to_be_bytes()), "length field");
    assert_invalid(&with(14, &0u16.to_be_bytes()), "zero width");
    assert_invalid(&with(14, &u16::MAX.to_be_bytes()), "huge width");
    assert_invalid(&with(18, &0u16.to_be_bytes()), "zero resolution");
    assert_invalid(&with(18, &u16::MAX.to_be_bytes()), "huge resolution");
    assert_invalid(&with(22, &[0]), "no view");
    assert_invalid(&with(26, &[101]), "finger quality");
    assert_invalid(&with(27, &[255]), "absurd count");
    assert_invalid(&with(28, &[0xc0]), "minutia type 3");
    assert_invalid(&with(28, &[0x3f, 0xff]), "x outside the image");
    assert_invalid(&with(30, &[0x3f, 0xff]), "y outside the image");
    assert_invalid(&with(33, &[101]), "minutia quality");
    let n = ok.len();
    assert_invalid(&with(n - 2, &[0, 9]), "extended data past the end");
    let ansi = RecordWriter {
        ansi: true,
        ..RecordWriter::iso(300, 400)
    };
    assert_invalid(&ansi.write(&[(1, 5, 6, 180, 50)]), "ANSI angle 180");
    let big = RecordWriter {
        ppcm: 98,
        ..RecordWriter::iso(2048, 100)
    };
    assert_invalid(&big.write(&[]), "over 800 px at 500 dpi");
    let mut too_long = ok.clone();
    too_long.resize(MAX_RECORD_LEN + 1, 0);
    too_long[8..12].copy_from_slice(&((MAX_RECORD_LEN + 1) as u32).to_be_bytes());
    assert_invalid(&too_long, "over the size bound");
}
