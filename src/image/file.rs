//! Image files as scanner services return them (BMP, PNG), recognised by
//! their magic bytes and decoded to 8-bit grey with the resolution they state.

use super::GrayImage;
use crate::error::{err, ErrorCode, Result};

/// Largest width or height a file may declare; checked before any
/// allocation. The same as [`crate::capture::MAX_SIDE`].
pub const MAX_FILE_SIDE: u32 = crate::capture::MAX_SIDE;

/// A decoded file: grey pixels and the resolution the file states, if any.
#[derive(Debug)]
pub struct DecodedImage {
    /// The pixels, 0 black, 255 white.
    pub image: GrayImage,
    /// Dots per inch from BMP pixels-per-metre or PNG `pHYs`; `None` when
    /// the file does not say.
    pub dpi: Option<u32>,
}

/// Decodes a BMP or PNG file to grey. `INVALID_IMAGE` for anything else, for
/// a side above [`MAX_FILE_SIDE`], and for a malformed or unsupported file.
///
/// ```
/// use sealmatch::image::decode_image_file;
/// let e = decode_image_file(b"GIF89a").unwrap_err();
/// assert_eq!(e.code(), sealmatch::ErrorCode::InvalidImage);
/// ```
pub fn decode_image_file(data: &[u8]) -> Result<DecodedImage> {
    if data.starts_with(b"BM") {
        super::bmp::decode(data)
    } else if data.starts_with(&super::png::SIGNATURE) {
        super::png::decode(data)
    } else {
        err(
            ErrorCode::InvalidImage,
            "not a BMP or PNG file (unrecognised magic bytes)",
        )
    }
}

/// `INVALID_IMAGE` unless both sides are 1..=[`MAX_FILE_SIDE`].
pub(super) fn check_sides(width: u64, height: u64) -> Result<(usize, usize)> {
    let ok = |s: u64| (1..=MAX_FILE_SIDE as u64).contains(&s);
    if !ok(width) || !ok(height) {
        return err(
            ErrorCode::InvalidImage,
            "image file sides must be 1..=2048 pixels",
        );
    }
    Ok((width as usize, height as usize))
}
