//! A plain 8-bit greyscale image, the type every image algorithm takes.

use crate::error::{err, ErrorCode, Result};

/// An 8-bit greyscale image, row-major, `pixels.len() == width * height`.
/// 0 is black (ridge), 255 is white (valley / background).
///
/// ```
/// use sealmatch::GrayImage;
/// let img = GrayImage::new(4, 2, vec![255; 8]).unwrap();
/// assert_eq!(img.get(3, 1), 255);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrayImage {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl GrayImage {
    /// Wraps `pixels`; `INVALID_IMAGE` when the length is not `width * height`
    /// or a side is zero.
    pub fn new(width: usize, height: usize, pixels: Vec<u8>) -> Result<Self> {
        if width == 0 || height == 0 {
            return err(
                ErrorCode::InvalidImage,
                "width and height must be at least 1",
            );
        }
        match width.checked_mul(height) {
            Some(n) if n == pixels.len() => Ok(GrayImage {
                width,
                height,
                pixels,
            }),
            _ => err(
                ErrorCode::InvalidImage,
                "pixel buffer length does not match width * height",
            ),
        }
    }

    /// An image of one value.
    pub fn filled(width: usize, height: usize, value: u8) -> Self {
        GrayImage {
            width,
            height,
            pixels: vec![value; width * height],
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The pixel at (x, y). Panics when out of range (internal use only).
    #[inline]
    pub fn get(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }

    /// Sets the pixel at (x, y).
    #[inline]
    pub fn set(&mut self, x: usize, y: usize, v: u8) {
        self.pixels[y * self.width + x] = v;
    }

    /// All pixels, row-major.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// All pixels, mutable.
    pub fn pixels_mut(&mut self) -> &mut [u8] {
        &mut self.pixels
    }

    /// Consumes the image, returning its pixels.
    pub fn into_pixels(self) -> Vec<u8> {
        self.pixels
    }
}

mod bmp;
mod bytes;
mod file;
mod png;

pub use file::{decode_image_file, DecodedImage, MAX_FILE_SIDE};

#[cfg(test)]
mod tests;
