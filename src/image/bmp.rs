//! BMP decoding: a `BITMAPINFOHEADER` (or a later, longer header), 8-bit
//! palette, 24-bit or 32-bit pixels, uncompressed (32-bit also with the
//! standard `BI_BITFIELDS` masks), bottom-up or top-down, rows padded to
//! four bytes.

use super::bytes::{le16, le32, luma, ppm_to_dpi, slice};
use super::file::{check_sides, DecodedImage};
use super::GrayImage;
use crate::error::{err, ErrorCode, Result};

const FILE_HEADER_LEN: usize = 14;
const INFO_HEADER_LEN: u32 = 40;
const BI_RGB: u32 = 0;
const BI_BITFIELDS: u32 = 3;

fn invalid<T>(msg: &str) -> Result<T> {
    err(ErrorCode::InvalidImage, msg)
}

/// Decodes a BMP file (starting with `BM`).
pub(super) fn decode(data: &[u8]) -> Result<DecodedImage> {
    let pixel_offset = le32(data, 10, "header")? as usize;
    let header_len = le32(data, 14, "header")?;
    if header_len < INFO_HEADER_LEN {
        return invalid("BMP: only BITMAPINFOHEADER and later headers are supported");
    }
    let width = le32(data, 18, "header")? as i32;
    let raw_height = le32(data, 22, "header")? as i32;
    let bpp = le16(data, 28, "header")?;
    let compression = le32(data, 30, "header")?;
    let x_ppm = le32(data, 38, "header")?;
    let colors_used = le32(data, 46, "header")?;
    let top_down = raw_height < 0;
    let (w, h) = check_sides(width.max(0) as u64, (raw_height as i64).unsigned_abs())?;
    match (bpp, compression) {
        (8 | 24 | 32, BI_RGB) => {}
        (32, BI_BITFIELDS) => check_bgra_masks(data)?,
        _ => return invalid("BMP: only uncompressed 8-, 24- and 32-bit images are supported"),
    }
    let palette = if bpp == 8 {
        read_palette(data, FILE_HEADER_LEN + header_len as usize, colors_used)?
    } else {
        Vec::new()
    };
    let stride = (w * bpp as usize).div_ceil(32) * 4;
    let rows = slice(data, pixel_offset, stride * h, "pixel rows")?;
    let mut pixels = vec![0u8; w * h];
    for (i, row) in rows.chunks_exact(stride).enumerate() {
        let y = if top_down { i } else { h - 1 - i };
        let out = &mut pixels[y * w..(y + 1) * w];
        match bpp {
            8 => {
                for (o, &p) in out.iter_mut().zip(row) {
                    *o = *palette.get(p as usize).ok_or_else(|| {
                        crate::error::Error::new(
                            ErrorCode::InvalidImage,
                            "BMP: pixel refers past the palette",
                        )
                    })?;
                }
            }
            _ => {
                let n = bpp as usize / 8;
                for (o, p) in out.iter_mut().zip(row.chunks_exact(n)) {
                    *o = luma(p[2], p[1], p[0], 255);
                }
            }
        }
    }
    Ok(DecodedImage {
        image: GrayImage::new(w, h, pixels)?,
        dpi: ppm_to_dpi(x_ppm),
    })
}

/// The palette as grey levels; at most 256 entries (0 means 256).
fn read_palette(data: &[u8], at: usize, colors_used: u32) -> Result<Vec<u8>> {
    let n = match colors_used {
        0 => 256,
        1..=256 => colors_used as usize,
        _ => return invalid("BMP: palette larger than 256 colours"),
    };
    let entries = slice(data, at, n * 4, "palette")?;
    Ok(entries
        .chunks_exact(4)
        .map(|e| luma(e[2], e[1], e[0], 255))
        .collect())
}

/// `BI_BITFIELDS` is accepted only with blue, green and red in the low three
/// bytes, as 32-bit BGRA files write them. The masks follow a 40-byte
/// header, or sit inside a longer one at the same place.
fn check_bgra_masks(data: &[u8]) -> Result<()> {
    let at = FILE_HEADER_LEN + INFO_HEADER_LEN as usize;
    let masks = (
        le32(data, at, "masks")?,
        le32(data, at + 4, "masks")?,
        le32(data, at + 8, "masks")?,
    );
    if masks != (0x00ff_0000, 0x0000_ff00, 0x0000_00ff) {
        return invalid("BMP: only the standard 32-bit BGRA channel masks are supported");
    }
    Ok(())
}
