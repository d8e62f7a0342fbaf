//! Checks of caller-supplied sizes, buffers and resolution, done before any
//! allocation, and conversion of RGBA to grey.

use crate::error::{err, ErrorCode, Result};

/// Lowest accepted scanner resolution, dots per inch.
pub const MIN_DPI: u32 = 250;
/// Highest accepted scanner resolution, dots per inch.
pub const MAX_DPI: u32 = 1200;
/// Smallest accepted side, pixels, both as given and after normalisation to
/// 500 dpi (64 px at 500 dpi is 3.3 mm: less cannot hold a usable print).
pub const MIN_SIDE: u32 = 64;
/// Largest accepted side as given, pixels.
pub const MAX_SIDE: u32 = 2048;
/// Largest side after normalisation to 500 dpi, pixels (40 mm, more than any
/// fingertip); bounds the work and memory of extraction.
pub const MAX_NORMALIZED_SIDE: u32 = 800;

/// The resolution every capture is normalised to.
pub const TARGET_DPI: u32 = 500;

/// A side scaled from `dpi` to [`TARGET_DPI`], rounded.
pub(crate) fn normalized_side(side: u32, dpi: u32) -> u32 {
    ((side as u64 * TARGET_DPI as u64 + dpi as u64 / 2) / dpi as u64) as u32
}

/// Validates sizes, resolution and buffer length (`bytes_per_pixel` per
/// pixel); returns the size after normalisation to 500 dpi.
pub(crate) fn check(
    width: u32,
    height: u32,
    buffer_len: usize,
    bytes_per_pixel: usize,
    dpi: u32,
) -> Result<(usize, usize)> {
    if !(MIN_DPI..=MAX_DPI).contains(&dpi) {
        return err(ErrorCode::InvalidImage, "dpi must be 250..=1200");
    }
    if !(MIN_SIDE..=MAX_SIDE).contains(&width) || !(MIN_SIDE..=MAX_SIDE).contains(&height) {
        return err(
            ErrorCode::InvalidImage,
            "width and height must be 64..=2048 pixels",
        );
    }
    let expected = (width as usize)
        .checked_mul(height as usize)
        .and_then(|n| n.checked_mul(bytes_per_pixel));
    if expected != Some(buffer_len) {
        return err(
            ErrorCode::InvalidImage,
            "pixel buffer length does not match width * height * bytes per pixel",
        );
    }
    let (nw, nh) = (normalized_side(width, dpi), normalized_side(height, dpi));
    let ok = |s: u32| (MIN_SIDE..=MAX_NORMALIZED_SIDE).contains(&s);
    if !ok(nw) || !ok(nh) {
        return err(
            ErrorCode::InvalidImage,
            "at 500 dpi the image must be 64..=800 pixels a side",
        );
    }
    Ok((nw as usize, nh as usize))
}

/// RGBA (as canvas `ImageData` holds it) to grey: Rec. 601 luma, composited
/// over white so transparent pixels read as background.
pub(crate) fn rgba_to_gray(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| {
            let luma = 299 * p[0] as u32 + 587 * p[1] as u32 + 114 * p[2] as u32; // x1000
            let a = p[3] as u32;
            let v = (luma * a + 255_000 * (255 - a) + 127_500) / 255_000;
            v.min(255) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_mismatched_buffers() {
        assert!(check(100, 100, 9_999, 1, 500).is_err());
        assert!(check(100, 100, 10_000, 4, 500).is_err());
        assert_eq!(check(100, 100, 40_000, 4, 500).unwrap(), (100, 100));
    }

    #[test]
    fn rejects_out_of_range_numbers_without_allocating() {
        for (w, h, dpi) in [
            (u32::MAX, u32::MAX, 500),
            (0, 100, 500),
            (100, 63, 500),
            (2049, 100, 500),
            (100, 100, 0),
            (100, 100, 249),
            (100, 100, 1201),
            (u32::MAX, 1, u32::MAX),
        ] {
            let e = check(w, h, 10_000, 1, dpi).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidImage);
        }
    }

    #[test]
    fn bounds_the_normalised_size() {
        // 2048 px at 250 dpi would be 4096 px at 500 dpi.
        assert!(check(2048, 100, 2048 * 100, 1, 250).is_err());
        // 100 px at 1000 dpi would be 50 px.
        assert!(check(100, 300, 30_000, 1, 1000).is_err());
        assert_eq!(check(1000, 800, 800_000, 1, 1000).unwrap(), (500, 400));
        assert!(check(801, 100, 80_100, 1, 500).is_err());
        assert_eq!(check(640, 480, 640 * 480, 1, 500).unwrap(), (640, 480));
    }

    #[test]
    fn gray_from_rgba() {
        let g = rgba_to_gray(&[255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255]);
        assert_eq!(g, vec![255, 0, 255, 76]);
    }
}
