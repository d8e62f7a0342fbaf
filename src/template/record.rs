//! Standard finger minutiae records in: ISO/IEC 19794-2:2005 and ANSI INCITS
//! 378-2004, read into a [`Template`] at 500 dpi. There is deliberately no
//! writer in the library: minutiae never leave it in clear.
//!
//! Both formats start with `FMR\0` and the version ` 20\0`. What follows:
//!
//! | | ISO/IEC 19794-2:2005 | ANSI INCITS 378-2004 |
//! | --- | --- | --- |
//! | record length | 4 bytes at 8 | 2 bytes at 8, or 0 and 4 bytes at 10 |
//! | CBEFF product id | — | 4 bytes |
//! | header length | 24 | 26 (30 with the long length) |
//! | minutia angle unit | 360/256° | 2° (0..=179) |
//!
//! Then, in both: capture equipment (2 bytes), image width and height (2
//! each), horizontal and vertical resolution in pixels per centimetre (2
//! each), number of finger views (1), reserved (1). Each view: finger
//! position (1), view number and impression type (1), finger quality
//! (1, 0..=100), number of minutiae (1), then 6 bytes a minutia (type in the
//! top 2 bits and x in the low 14 of a u16; y in the low 14 of the next;
//! angle; quality 0..=100), then an extended data block whose 2-byte length
//! says how much to skip. All big-endian. The format is told by the record
//! length: whichever layout's length field equals the record's size.
//!
//! Only the first finger view is read; the record must still be whole (its
//! length field equal to the bytes given). Coordinates are scaled from the
//! record's resolution to 500 dpi. Minutia type "other" (0) counts as a
//! ridge ending. Above [`MAX_MINUTIAE`] minutiae, the best by quality are
//! kept, as the extractor keeps them.

use super::{Minutia, MinutiaKind, Template, MAX_MINUTIAE};
use crate::capture::{MAX_DPI, MAX_NORMALIZED_SIDE, MAX_SIDE, MIN_DPI, MIN_SIDE, TARGET_DPI};
use crate::error::{err, ErrorCode, Result};

/// The four bytes every record starts with.
pub const MAGIC: [u8; 4] = *b"FMR\0";
/// The version both 2004/2005 formats carry.
pub const VERSION: [u8; 4] = *b" 20\0";

/// Which standard a record follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    /// ISO/IEC 19794-2:2005.
    Iso,
    /// ANSI INCITS 378-2004.
    Ansi,
}

/// A record read into a template, with the first view's finger quality.
#[derive(Debug)]
pub struct ParsedRecord {
    /// The minutiae at 500 dpi.
    pub template: Template,
    /// The view's finger quality, 0..=100 (0: not reported).
    pub finger_quality: u8,
    /// The record's standard.
    pub format: RecordFormat,
}

/// Largest record accepted: a header, 255 minutiae and a full extended data
/// block fit many times over.
pub const MAX_RECORD_LEN: usize = 1 << 20;

const MINUTIA_LEN: usize = 6;
const MAX_MINUTIA_QUALITY: u8 = 100;
const ANSI_MAX_ANGLE: u8 = 179;

fn invalid<T>(msg: &str) -> Result<T> {
    err(ErrorCode::InvalidImage, format!("minutiae record: {msg}"))
}

/// A bounds-checked big-endian reader.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        match self.at.checked_add(n) {
            Some(end) if end <= self.data.len() => {
                let s = &self.data[self.at..end];
                self.at = end;
                Ok(s)
            }
            _ => invalid("truncated"),
        }
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
}

fn be32_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Tells ISO from ANSI by the length field; returns the format and the
/// offset of the capture equipment field.
fn detect(data: &[u8]) -> Result<(RecordFormat, usize)> {
    let len = data.len() as u64;
    if be32_at(data, 8).map(u64::from) == Some(len) {
        return Ok((RecordFormat::Iso, 12));
    }
    let short = data.get(8..10).map(|b| u16::from_be_bytes([b[0], b[1]]));
    match short {
        Some(0) if be32_at(data, 10).map(u64::from) == Some(len) => Ok((RecordFormat::Ansi, 18)),
        Some(n) if n != 0 && u64::from(n) == len => Ok((RecordFormat::Ansi, 14)),
        _ => invalid("the length field does not match the record's size"),
    }
}

/// Reads a record (see the module documentation).
///
/// ```
/// use sealmatch::template::record::parse;
/// assert!(parse(b"FMR\0 20\0").is_err());
/// ```
pub fn parse(data: &[u8]) -> Result<ParsedRecord> {
    if data.len() > MAX_RECORD_LEN {
        return invalid("too long");
    }
    if data.get(..4) != Some(&MAGIC[..]) || data.get(4..8) != Some(&VERSION[..]) {
        return invalid("not an FMR record of version 20");
    }
    let (format, at) = detect(data)?;
    let mut r = Reader { data, at };
    let _equipment = r.u16()?;
    let (width, height) = (r.u16()?, r.u16()?);
    let (x_ppcm, y_ppcm) = (r.u16()?, r.u16()?);
    let views = r.u8()?;
    let _reserved = r.u8()?;
    if views == 0 {
        return invalid("no finger view");
    }
    let (x_dpi, y_dpi) = (ppcm_to_dpi(x_ppcm)?, ppcm_to_dpi(y_ppcm)?);
    let (nw, nh) = (
        normalized(width, x_dpi, "width")?,
        normalized(height, y_dpi, "height")?,
    );
    let _finger_position = r.u8()?;
    let _view_and_impression = r.u8()?;
    let finger_quality = r.u8()?;
    if finger_quality > MAX_MINUTIA_QUALITY {
        return invalid("finger quality above 100");
    }
    let count = r.u8()? as usize;
    // In a template from the start, so an error part way wipes what was read.
    let mut template = Template {
        width: nw,
        height: nh,
        dpi: TARGET_DPI as u16,
        minutiae: Vec::with_capacity(count),
    };
    for _ in 0..count {
        let b = r.take(MINUTIA_LEN)?;
        let tx = u16::from_be_bytes([b[0], b[1]]);
        let y = u16::from_be_bytes([b[2], b[3]]) & 0x3fff;
        let (kind_bits, x) = (tx >> 14, tx & 0x3fff);
        let (angle, quality) = (b[4], b[5]);
        if x >= width || y >= height {
            return invalid("a minutia lies outside the image");
        }
        if quality > MAX_MINUTIA_QUALITY {
            return invalid("minutia quality above 100");
        }
        let kind = match kind_bits {
            0 | 1 => MinutiaKind::Ending,
            2 => MinutiaKind::Bifurcation,
            _ => return invalid("unknown minutia type"),
        };
        let direction = match format {
            RecordFormat::Iso => angle,
            RecordFormat::Ansi if angle <= ANSI_MAX_ANGLE => {
                ((angle as u32 * 256 + 90) / 180 % 256) as u8
            }
            RecordFormat::Ansi => return invalid("angle above 179 (2-degree units)"),
        };
        template.minutiae.push(Minutia {
            x: scale(x, x_dpi, nw),
            y: scale(y, y_dpi, nh),
            direction,
            kind,
            quality,
        });
    }
    let extended = r.u16()? as usize;
    r.take(extended)?;
    // Sorted in place (a stable sort's scratch buffer would be freed
    // unwiped); the template wipes its whole capacity when dropped.
    template.minutiae.sort_unstable_by(|a, b| {
        b.quality
            .cmp(&a.quality)
            .then(a.y.cmp(&b.y))
            .then(a.x.cmp(&b.x))
            .then(a.direction.cmp(&b.direction))
    });
    template.minutiae.truncate(MAX_MINUTIAE);
    Ok(ParsedRecord {
        template,
        finger_quality,
        format,
    })
}

/// Pixels per centimetre to dots per inch, within the capture bounds.
fn ppcm_to_dpi(ppcm: u16) -> Result<u32> {
    let dpi = (ppcm as u32 * 254 + 50) / 100;
    if !(MIN_DPI..=MAX_DPI).contains(&dpi) {
        return invalid("resolution outside 250..=1200 dpi");
    }
    Ok(dpi)
}

/// A side at `dpi` scaled to 500 dpi, within the capture bounds.
fn normalized(side: u16, dpi: u32, what: &str) -> Result<u16> {
    if !(MIN_SIDE..=MAX_SIDE).contains(&(side as u32)) {
        return err(
            ErrorCode::InvalidImage,
            format!("minutiae record: image {what} outside 64..=2048 pixels"),
        );
    }
    let n = crate::capture::normalized_side(side as u32, dpi);
    if !(MIN_SIDE..=MAX_NORMALIZED_SIDE).contains(&n) {
        return err(
            ErrorCode::InvalidImage,
            format!("minutiae record: image {what} at 500 dpi outside 64..=800 pixels"),
        );
    }
    Ok(n as u16)
}

/// A coordinate at `dpi` scaled to 500 dpi, kept inside the scaled side.
fn scale(v: u16, dpi: u32, side: u16) -> u16 {
    let s = (v as u32 * TARGET_DPI + dpi / 2) / dpi;
    s.min(side as u32 - 1) as u16
}

#[cfg(test)]
mod tests;
