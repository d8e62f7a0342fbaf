//! Decoder tests on files the tests build themselves: BMP by hand, PNG with
//! the `png` crate (an independent encoder) and by hand for hostile chunks.

use super::decode_image_file;
use crate::error::ErrorCode;

/// A w x h test pattern of grey levels.
fn pattern(w: usize, h: usize) -> Vec<u8> {
    (0..w * h)
        .map(|i| ((i * 37 + i / w * 11) % 256) as u8)
        .collect()
}

/// A BMP file: `bpp` 8 (grey palette), 24 or 32; rows bottom-up unless
/// `top_down`; resolution `ppm`.
fn bmp(w: usize, h: usize, grey: &[u8], bpp: u16, top_down: bool, ppm: u32) -> Vec<u8> {
    let stride = (w * bpp as usize).div_ceil(32) * 4;
    let palette_len = if bpp == 8 { 1024 } else { 0 };
    let offset = 14 + 40 + palette_len;
    let mut f = Vec::new();
    f.extend_from_slice(b"BM");
    f.extend_from_slice(&((offset + stride * h) as u32).to_le_bytes());
    f.extend_from_slice(&[0; 4]);
    f.extend_from_slice(&(offset as u32).to_le_bytes());
    f.extend_from_slice(&40u32.to_le_bytes());
    f.extend_from_slice(&(w as i32).to_le_bytes());
    let hh = if top_down { -(h as i32) } else { h as i32 };
    f.extend_from_slice(&hh.to_le_bytes());
    f.extend_from_slice(&1u16.to_le_bytes());
    f.extend_from_slice(&bpp.to_le_bytes());
    f.extend_from_slice(&0u32.to_le_bytes()); // BI_RGB
    f.extend_from_slice(&((stride * h) as u32).to_le_bytes());
    f.extend_from_slice(&ppm.to_le_bytes());
    f.extend_from_slice(&ppm.to_le_bytes());
    f.extend_from_slice(&[0; 8]);
    if bpp == 8 {
        for i in 0..=255u8 {
            f.extend_from_slice(&[i, i, i, 0]);
        }
    }
    for i in 0..h {
        let y = if top_down { i } else { h - 1 - i };
        let mut row = Vec::new();
        for &v in &grey[y * w..(y + 1) * w] {
            match bpp {
                8 => row.push(v),
                24 => row.extend_from_slice(&[v, v, v]),
                _ => row.extend_from_slice(&[v, v, v, 0xff]),
            }
        }
        row.resize(stride, 0xee);
        f.extend_from_slice(&row);
    }
    f
}

/// A PNG file made by the `png` crate.
fn png_file(
    w: usize,
    h: usize,
    colour: png::ColorType,
    depth: png::BitDepth,
    data: &[u8],
    ppm: Option<u32>,
) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w as u32, h as u32);
        enc.set_color(colour);
        enc.set_depth(depth);
        if colour == png::ColorType::Indexed {
            let pal: Vec<u8> = (0..=255u8).flat_map(|i| [i, i, i]).collect();
            enc.set_palette(pal);
        }
        if let Some(ppm) = ppm {
            enc.set_pixel_dims(Some(png::PixelDimensions {
                xppu: ppm,
                yppu: ppm,
                unit: png::Unit::Meter,
            }));
        }
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(data).unwrap();
    }
    out
}

#[test]
fn bmp_all_depths_and_orientations_decode_to_the_same_grey() {
    let (w, h) = (13, 7); // odd width: rows are padded
    let grey = pattern(w, h);
    for bpp in [8, 24, 32] {
        for top_down in [false, true] {
            let d = decode_image_file(&bmp(w, h, &grey, bpp, top_down, 19_685)).unwrap();
            assert_eq!(d.image.pixels(), &grey[..], "bpp {bpp} top_down {top_down}");
            assert_eq!(d.dpi, Some(500));
        }
    }
    assert_eq!(
        decode_image_file(&bmp(w, h, &grey, 8, false, 0))
            .unwrap()
            .dpi,
        None
    );
}

#[test]
fn png_colour_types_and_depths_decode_to_grey() {
    use png::{BitDepth, ColorType};
    let (w, h) = (17, 9);
    let grey = pattern(w, h);
    let rgb: Vec<u8> = grey.iter().flat_map(|&v| [v, v, v]).collect();
    let rgba: Vec<u8> = grey.iter().flat_map(|&v| [v, v, v, 255]).collect();
    let ga: Vec<u8> = grey.iter().flat_map(|&v| [v, 255]).collect();
    let g16: Vec<u8> = grey.iter().flat_map(|&v| [v, 0x5a]).collect();
    let cases = [
        (ColorType::Grayscale, BitDepth::Eight, &grey),
        (ColorType::Indexed, BitDepth::Eight, &grey),
        (ColorType::Rgb, BitDepth::Eight, &rgb),
        (ColorType::Rgba, BitDepth::Eight, &rgba),
        (ColorType::GrayscaleAlpha, BitDepth::Eight, &ga),
        (ColorType::Grayscale, BitDepth::Sixteen, &g16),
    ];
    for (colour, depth, data) in cases {
        let d = decode_image_file(&png_file(w, h, colour, depth, data, Some(39_370))).unwrap();
        assert_eq!(d.image.pixels(), &grey[..], "{colour:?} {depth:?}");
        assert_eq!(d.dpi, Some(1000));
    }
    let transparent: Vec<u8> = grey.iter().flat_map(|&v| [v, 0]).collect();
    let d = decode_image_file(&png_file(
        w,
        h,
        ColorType::GrayscaleAlpha,
        BitDepth::Eight,
        &transparent,
        None,
    ))
    .unwrap();
    assert!(
        d.image.pixels().iter().all(|&v| v == 255),
        "transparent reads as white"
    );
    assert_eq!(d.dpi, None);
}

/// A PNG chunk with its CRC.
fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut c = (body.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(body);
    let crc = super::png::crc32_for_tests(&c[4..]);
    c.extend_from_slice(&crc.to_be_bytes());
    c
}

fn ihdr(w: u32, h: u32, depth: u8, colour: u8, interlace: u8) -> Vec<u8> {
    let mut b = w.to_be_bytes().to_vec();
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[depth, colour, 0, 0, interlace]);
    chunk(b"IHDR", &b)
}

fn png_by_hand(chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut f = super::png::SIGNATURE.to_vec();
    for c in chunks {
        f.extend_from_slice(c);
    }
    f
}

fn assert_invalid(bytes: &[u8], what: &str) {
    let e = decode_image_file(bytes)
        .err()
        .unwrap_or_else(|| panic!("{what}: accepted"));
    assert_eq!(e.code(), ErrorCode::InvalidImage, "{what}");
}

#[test]
fn hostile_pngs_are_invalid_image() {
    let idat = |raw: &[u8]| chunk(b"IDAT", &miniz_oxide::deflate::compress_to_vec_zlib(raw, 6));
    let iend = chunk(b"IEND", &[]);
    // A valid 2 x 1 palette image, to show the hand-built files are sound.
    let ok = png_by_hand(&[
        ihdr(2, 1, 8, 3, 0),
        chunk(b"PLTE", &[9, 9, 9, 200, 200, 200]),
        idat(&[0, 0, 1]),
        iend.clone(),
    ]);
    assert_eq!(decode_image_file(&ok).unwrap().image.pixels(), &[9, 200]);

    let bad_index = png_by_hand(&[
        ihdr(2, 1, 8, 3, 0),
        chunk(b"PLTE", &[9, 9, 9]),
        idat(&[0, 0, 1]),
        iend.clone(),
    ]);
    assert_invalid(&bad_index, "palette index past PLTE");
    let mut bad_crc = ok.clone();
    let n = bad_crc.len();
    bad_crc[n - 13] ^= 1; // inside the IDAT's CRC
    assert_invalid(&bad_crc, "bad CRC");
    for cut in [9, 20, 33, ok.len() - 1] {
        assert_invalid(&ok[..cut], "truncated");
    }
    assert_invalid(
        &png_by_hand(&[ihdr(u32::MAX, u32::MAX, 8, 0, 0), iend.clone()]),
        "huge sides",
    );
    assert_invalid(
        &png_by_hand(&[ihdr(2049, 1, 8, 0, 0), iend.clone()]),
        "side above the bound",
    );
    assert_invalid(
        &png_by_hand(&[ihdr(0, 1, 8, 0, 0), iend.clone()]),
        "zero side",
    );
    assert_invalid(
        &png_by_hand(&[ihdr(2, 1, 8, 0, 1), idat(&[0, 0, 0]), iend.clone()]),
        "interlaced",
    );
    assert_invalid(
        &png_by_hand(&[ihdr(2, 1, 4, 0, 0), idat(&[0, 0]), iend.clone()]),
        "4-bit",
    );
    assert_invalid(
        &png_by_hand(&[ihdr(2, 1, 8, 0, 0), idat(&[7, 0, 0]), iend.clone()]),
        "unknown filter",
    );
    assert_invalid(
        &png_by_hand(&[ihdr(2, 1, 8, 0, 0), idat(&[0, 0]), iend.clone()]),
        "short data",
    );
    // Data inflating far beyond the declared size stops at the bound.
    assert_invalid(
        &png_by_hand(&[ihdr(2, 1, 8, 0, 0), idat(&vec![0; 1 << 20]), iend.clone()]),
        "zip bomb",
    );
    assert_invalid(
        &png_by_hand(&[
            ihdr(2, 1, 8, 0, 0),
            chunk(b"IDAT", b"not zlib"),
            iend.clone(),
        ]),
        "corrupt zlib",
    );
    assert_invalid(
        &png_by_hand(&[idat(&[0, 0, 0]), iend.clone()]),
        "no IHDR first",
    );
    assert_invalid(
        &png_by_hand(&[ihdr(2, 1, 8, 0, 0), chunk(b"ABCD", &[]), iend]),
        "unknown critical chunk",
    );
    let mut huge_len = png_by_hand(&[ihdr(2, 1, 8, 0, 0)]);
    huge_len.extend_from_slice(&[0xff, 0xff, 0xff, 0xf0, b'I', b'D', b'A', b'T']);
    assert_invalid(&huge_len, "chunk length past the end");
}

#[test]
fn hostile_bmps_are_invalid_image() {
    let grey = pattern(4, 4);
    let ok = bmp(4, 4, &grey, 8, false, 0);
    let with = |at: usize, bytes: &[u8]| {
        let mut f = ok.clone();
        f[at..at + bytes.len()].copy_from_slice(bytes);
        f
    };
    assert_invalid(&with(18, &i32::MAX.to_le_bytes()), "huge width");
    assert_invalid(&with(22, &i32::MIN.to_le_bytes()), "huge top-down height");
    assert_invalid(&with(18, &(-4i32).to_le_bytes()), "negative width");
    assert_invalid(&with(18, &100u32.to_le_bytes()), "width past the data");
    assert_invalid(
        &with(10, &u32::MAX.to_le_bytes()),
        "pixel offset past the end",
    );
    assert_invalid(&with(14, &12u32.to_le_bytes()), "old core header");
    assert_invalid(&with(28, &4u16.to_le_bytes()), "4-bit");
    assert_invalid(&with(30, &1u32.to_le_bytes()), "RLE");
    assert_invalid(&with(46, &300u32.to_le_bytes()), "palette over 256");
    // A 2-colour palette with pixels using index 5.
    let small_palette = with(46, &2u32.to_le_bytes());
    assert_invalid(&small_palette, "index past the palette");
    for cut in [2, 20, 60, ok.len() - 1] {
        assert_invalid(&ok[..cut], "truncated");
    }
}

#[test]
fn unknown_formats_are_invalid_image() {
    for f in [&b""[..], b"GIF89a", b"\xff\xd8\xff\xe0", b"B"] {
        assert_invalid(f, "unknown format");
    }
}
