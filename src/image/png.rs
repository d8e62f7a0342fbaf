//! PNG decoding over `miniz_oxide`'s inflate: chunk CRCs checked, the five
//! row filters undone, grey, RGB, palette, grey+alpha and RGBA at 8 bits
//! (16-bit samples keep their high byte), composited over white, to grey.
//! Interlaced files are refused (`INVALID_IMAGE`), as are bit depths below 8.

use super::bytes::{be32, luma, ppm_to_dpi, slice};
use super::file::{check_sides, DecodedImage};
use super::GrayImage;
use crate::error::{err, ErrorCode, Result};

/// The eight bytes every PNG file starts with.
pub(super) const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

fn invalid<T>(msg: &str) -> Result<T> {
    err(ErrorCode::InvalidImage, msg)
}

/// The fields of `IHDR` the decoder uses.
struct Header {
    width: usize,
    height: usize,
    /// 1 or 2 bytes a sample.
    sample_bytes: usize,
    /// Samples a pixel: 1 grey or palette, 2 grey+alpha, 3 RGB, 4 RGBA.
    channels: usize,
    palette: bool,
}

impl Header {
    fn parse(d: &[u8]) -> Result<Header> {
        if d.len() != 13 {
            return invalid("PNG: IHDR has the wrong length");
        }
        let (width, height) = check_sides(be32(d, 0, "IHDR")? as u64, be32(d, 4, "IHDR")? as u64)?;
        let (depth, colour) = (d[8], d[9]);
        if d[10] != 0 || d[11] != 0 {
            return invalid("PNG: unknown compression or filter method");
        }
        if d[12] != 0 {
            return invalid("PNG: interlaced images are not supported");
        }
        let channels = match colour {
            0 | 3 => 1,
            4 => 2,
            2 => 3,
            6 => 4,
            _ => return invalid("PNG: unknown colour type"),
        };
        let sample_bytes = match (depth, colour) {
            (8, _) => 1,
            (16, 0 | 2 | 4 | 6) => 2,
            _ => return invalid("PNG: only 8- and 16-bit samples are supported"),
        };
        Ok(Header {
            width,
            height,
            sample_bytes,
            channels,
            palette: colour == 3,
        })
    }

    fn bytes_per_pixel(&self) -> usize {
        self.sample_bytes * self.channels
    }

    fn row_bytes(&self) -> usize {
        self.width * self.bytes_per_pixel()
    }
}

/// Decodes a PNG file (starting with [`SIGNATURE`]).
pub(super) fn decode(data: &[u8]) -> Result<DecodedImage> {
    let mut at = SIGNATURE.len();
    let mut header: Option<Header> = None;
    let mut palette: Vec<[u8; 3]> = Vec::new();
    let mut dpi = None;
    let mut compressed = Vec::new();
    loop {
        let len = be32(data, at, "chunk length")? as usize;
        let kind = slice(data, at + 4, 4, "chunk type")?;
        let body = slice(data, at + 8, len, "chunk data")?;
        let crc = be32(data, at + 8 + len, "chunk CRC")?;
        if crc32(&data[at + 4..at + 8 + len]) != crc {
            return invalid("PNG: chunk CRC mismatch");
        }
        at += 12 + len;
        if header.is_none() && kind != b"IHDR" {
            return invalid("PNG: IHDR is not the first chunk");
        }
        match kind {
            b"IHDR" if header.is_none() => header = Some(Header::parse(body)?),
            b"IHDR" => return invalid("PNG: more than one IHDR"),
            b"PLTE" => {
                if !len.is_multiple_of(3) || len > 256 * 3 {
                    return invalid("PNG: malformed palette");
                }
                palette = body.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect();
            }
            b"pHYs" if len == 9 && body[8] == 1 => dpi = ppm_to_dpi(be32(body, 0, "pHYs")?),
            b"IDAT" => compressed.extend_from_slice(body),
            b"IEND" => break,
            _ if kind[0] & 0x20 == 0 => return invalid("PNG: unknown critical chunk"),
            _ => {}
        }
    }
    let header =
        header.ok_or_else(|| crate::error::Error::new(ErrorCode::InvalidImage, "PNG: no IHDR"))?;
    if header.palette && palette.is_empty() {
        return invalid("PNG: palette image without PLTE");
    }
    let expected = (header.row_bytes() + 1) * header.height;
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&compressed, expected)
        .map_err(|_| {
            crate::error::Error::new(
                ErrorCode::InvalidImage,
                "PNG: corrupt or oversized image data",
            )
        })?;
    if raw.len() != expected {
        return invalid("PNG: image data has the wrong length");
    }
    let rows = unfilter(&header, &raw)?;
    let pixels = to_grey(&header, &palette, &rows)?;
    Ok(DecodedImage {
        image: GrayImage::new(header.width, header.height, pixels)?,
        dpi,
    })
}

/// Undoes the per-row filters; returns the rows without their filter bytes.
fn unfilter(h: &Header, raw: &[u8]) -> Result<Vec<u8>> {
    let (rb, bpp) = (h.row_bytes(), h.bytes_per_pixel());
    let mut out = vec![0u8; rb * h.height];
    for y in 0..h.height {
        let line = &raw[y * (rb + 1)..(y + 1) * (rb + 1)];
        let (done, rest) = out.split_at_mut(y * rb);
        let prev = if y == 0 {
            None
        } else {
            Some(&done[(y - 1) * rb..])
        };
        let cur = &mut rest[..rb];
        cur.copy_from_slice(&line[1..]);
        for x in 0..rb {
            let a = if x >= bpp { cur[x - bpp] } else { 0 };
            let b = prev.map_or(0, |p| p[x]);
            let c = if x >= bpp {
                prev.map_or(0, |p| p[x - bpp])
            } else {
                0
            };
            let pred = match line[0] {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((a as u16 + b as u16) / 2) as u8,
                4 => paeth(a, b, c),
                _ => return invalid("PNG: unknown row filter"),
            };
            cur[x] = cur[x].wrapping_add(pred);
        }
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = (
        (p - a as i16).abs(),
        (p - b as i16).abs(),
        (p - c as i16).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Unfiltered rows to grey; 16-bit samples keep their high (first) byte.
fn to_grey(h: &Header, palette: &[[u8; 3]], rows: &[u8]) -> Result<Vec<u8>> {
    let s = h.sample_bytes;
    rows.chunks_exact(h.bytes_per_pixel())
        .map(|p| {
            let at = |i: usize| p[i * s];
            Ok(match (h.palette, h.channels) {
                (true, _) => {
                    let Some(&[r, g, b]) = palette.get(p[0] as usize) else {
                        return invalid("PNG: pixel refers past the palette");
                    };
                    luma(r, g, b, 255)
                }
                (false, 1) => at(0),
                (false, 2) => luma(at(0), at(0), at(0), at(1)),
                (false, 3) => luma(at(0), at(1), at(2), 255),
                _ => luma(at(0), at(1), at(2), at(3)),
            })
        })
        .collect()
}

/// The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

#[cfg(test)]
pub(super) fn crc32_for_tests(bytes: &[u8]) -> u32 {
    crc32(bytes)
}
