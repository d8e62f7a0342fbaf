//! Helpers shared by the crate's unit tests.

/// The first `n` items of `v`'s block after `v` was emptied (by `zeroize` or
/// `clear`), without reallocating: what the next user of that block would
/// find. The wiping tests read it to check that a buffer was cleared in place.
///
/// `n` must not exceed the number of items `v` held before it was emptied:
/// those slots were written, and emptying a `Vec` does not deinitialise them.
/// Test-only, and the crate's only `unsafe` outside the matcher's CPU-feature
/// dispatch (`matcher::consolidate::fill_candidates`).
#[allow(unsafe_code)]
pub(crate) fn written_after_clear<T: Copy>(v: &mut Vec<T>, n: usize) -> Vec<T> {
    assert!(v.is_empty() && n <= v.capacity());
    v.spare_capacity_mut()[..n]
        .iter()
        // SAFETY: the caller wrote these `n` slots before emptying `v` (see
        // above); `clear` and `zeroize` leave them initialised.
        .map(|m| unsafe { m.assume_init() })
        .collect()
}

/// Test-only writer of finger minutiae records (the library has none: its
/// minutiae never leave it in clear), the layout of
/// [`crate::template::record`]: one view of `minutiae` given as
/// `(type bits, x, y, angle, quality)` in the record's own units.
pub(crate) struct RecordWriter {
    /// ANSI INCITS 378-2004 when true, else ISO/IEC 19794-2:2005.
    pub ansi: bool,
    /// ANSI only: use the 6-byte (0 then u32) length field.
    pub long_length: bool,
    pub width: u16,
    pub height: u16,
    pub ppcm: u16,
    pub finger_quality: u8,
    pub extended: Vec<u8>,
}

impl RecordWriter {
    /// An ISO record header for a `width` x `height` image at 197 px/cm.
    pub fn iso(width: u16, height: u16) -> Self {
        RecordWriter {
            ansi: false,
            long_length: false,
            width,
            height,
            ppcm: 197,
            finger_quality: 60,
            extended: Vec::new(),
        }
    }

    /// The record.
    pub fn write(&self, minutiae: &[(u8, u16, u16, u8, u8)]) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&0u16.to_be_bytes()); // capture equipment
        body.extend_from_slice(&self.width.to_be_bytes());
        body.extend_from_slice(&self.height.to_be_bytes());
        body.extend_from_slice(&self.ppcm.to_be_bytes());
        body.extend_from_slice(&self.ppcm.to_be_bytes());
        body.extend_from_slice(&[1, 0]); // one view, reserved
        body.extend_from_slice(&[1, 0, self.finger_quality, minutiae.len() as u8]);
        for &(kind, x, y, angle, quality) in minutiae {
            body.extend_from_slice(&((kind as u16) << 14 | x).to_be_bytes());
            body.extend_from_slice(&y.to_be_bytes());
            body.extend_from_slice(&[angle, quality]);
        }
        body.extend_from_slice(&(self.extended.len() as u16).to_be_bytes());
        body.extend_from_slice(&self.extended);
        let mut out = b"FMR\0 20\0".to_vec();
        if !self.ansi {
            out.extend_from_slice(&((8 + 4 + body.len()) as u32).to_be_bytes());
        } else {
            let product_id = [0x01, 0x02, 0x03, 0x04];
            if self.long_length {
                let len = (8 + 6 + 4 + body.len()) as u32;
                out.extend_from_slice(&0u16.to_be_bytes());
                out.extend_from_slice(&len.to_be_bytes());
            } else {
                out.extend_from_slice(&((8 + 2 + 4 + body.len()) as u16).to_be_bytes());
            }
            out.extend_from_slice(&product_id);
        }
        out.extend_from_slice(&body);
        out
    }

    /// The record of a 500 dpi template, ISO units (what a certified
    /// extractor would have written for it).
    pub fn iso_of(t: &crate::template::Template) -> Vec<u8> {
        let m: Vec<_> = t
            .minutiae
            .iter()
            .map(|m| (1 + m.kind as u8, m.x, m.y, m.direction, m.quality))
            .collect();
        RecordWriter::iso(t.width, t.height).write(&m)
    }
}
