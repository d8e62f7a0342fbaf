//! Bounds-checked reads of little- and big-endian integers from a file's
//! bytes: every read past the end is `INVALID_IMAGE`, never a panic.

use crate::error::{err, ErrorCode, Result};

/// `len` bytes at `at`, or `INVALID_IMAGE` naming `what` when the file is
/// too short.
pub(super) fn slice<'a>(data: &'a [u8], at: usize, len: usize, what: &str) -> Result<&'a [u8]> {
    match at.checked_add(len) {
        Some(end) if end <= data.len() => Ok(&data[at..end]),
        _ => err(
            ErrorCode::InvalidImage,
            format!("image file truncated ({what})"),
        ),
    }
}

/// A little-endian u16 at `at`.
pub(super) fn le16(data: &[u8], at: usize, what: &str) -> Result<u16> {
    let b = slice(data, at, 2, what)?;
    Ok(u16::from_le_bytes([b[0], b[1]]))
}

/// A little-endian u32 at `at`.
pub(super) fn le32(data: &[u8], at: usize, what: &str) -> Result<u32> {
    let b = slice(data, at, 4, what)?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A big-endian u32 at `at`.
pub(super) fn be32(data: &[u8], at: usize, what: &str) -> Result<u32> {
    let b = slice(data, at, 4, what)?;
    Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Rec. 601 luma of an RGB pixel, composited over white by `alpha` (as
/// [`crate::Capture::from_rgba`] does), rounded.
pub(super) fn luma(r: u8, g: u8, b: u8, alpha: u8) -> u8 {
    let l = 299 * r as u32 + 587 * g as u32 + 114 * b as u32; // x1000
    let a = alpha as u32;
    ((l * a + 255_000 * (255 - a) + 127_500) / 255_000).min(255) as u8
}

/// Pixels per metre to dots per inch, rounded; `None` for 0.
pub(super) fn ppm_to_dpi(ppm: u32) -> Option<u32> {
    if ppm == 0 {
        return None;
    }
    Some(((ppm as u64 * 254 + 5_000) / 10_000) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_past_the_end_are_errors() {
        let d = [1, 2, 3];
        assert_eq!(le16(&d, 1, "x").unwrap(), 0x0302);
        assert!(le32(&d, 0, "x").is_err());
        assert!(slice(&d, usize::MAX, 2, "x").is_err());
    }

    #[test]
    fn luma_and_dpi() {
        assert_eq!(luma(255, 255, 255, 255), 255);
        assert_eq!(luma(0, 0, 0, 0), 255);
        assert_eq!(luma(255, 0, 0, 255), 76);
        assert_eq!(ppm_to_dpi(19_685), Some(500));
        assert_eq!(ppm_to_dpi(0), None);
    }
}
