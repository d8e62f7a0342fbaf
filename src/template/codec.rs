//! Compact, versioned binary form of an enrollment (1–3 templates), padded to
//! a fixed size per number of impressions so a token's length says nothing
//! about the fingerprint.
//!
//! Layout (all integers big-endian):
//!
//! | bytes | field |
//! | --- | --- |
//! | 1 | format version, [`FORMAT_VERSION`] |
//! | 1 | number of impressions `n`, 1..=[`MAX_IMPRESSIONS`] |
//! | `n` × [`IMPRESSION_LEN`] | the impressions |
//!
//! An impression is `width` u16, `height` u16, `dpi` u16 (each ≥ 1), minutia
//! `count` u8 (0..=[`MAX_MINUTIAE`]), then [`MAX_MINUTIAE`] slots of
//! [`MINUTIA_LEN`] bytes: `x` u16 (< width), `y` u16 (< height), `direction`
//! u8, then one byte with the kind in bit 7 (0 ending, 1 bifurcation) and the
//! quality (0..=100) in bits 0–6. Slots past `count` are all zero.
//!
//! Decoding rejects anything else: another version is `TOKEN_UNSUPPORTED`; a
//! wrong length, count or field, or non-zero padding is `TOKEN_MALFORMED`.
//! It never panics and allocates at most [`MAX_IMPRESSIONS`] ×
//! [`MAX_MINUTIAE`] minutiae whatever the input says.

use zeroize::Zeroizing;

use super::{Minutia, MinutiaKind, Template, MAX_IMPRESSIONS, MAX_MINUTIAE};
use crate::error::{err, ErrorCode, Result};

/// Version byte of the binary form.
pub const FORMAT_VERSION: u8 = 1;

/// Bytes of one minutia slot.
pub const MINUTIA_LEN: usize = 6;

/// Bytes of one impression: geometry, count, and every minutia slot.
pub const IMPRESSION_LEN: usize = 7 + MAX_MINUTIAE * MINUTIA_LEN;

/// Bytes before the impressions.
const PREAMBLE_LEN: usize = 2;

/// Highest quality a minutia may have.
const MAX_QUALITY: u8 = 100;

/// Bit of the packed byte that holds the kind.
const KIND_BIT: u8 = 0x80;

/// The fixed encoded size of an enrollment of `impressions` templates
/// (`None` outside 1..=[`MAX_IMPRESSIONS`]).
///
/// ```
/// use sealmatch::template::codec::encoded_len;
/// assert_eq!(encoded_len(1), Some(777));
/// assert_eq!(encoded_len(3), Some(2327));
/// assert_eq!(encoded_len(4), None);
/// ```
pub fn encoded_len(impressions: usize) -> Option<usize> {
    (1..=MAX_IMPRESSIONS)
        .contains(&impressions)
        .then_some(PREAMBLE_LEN + impressions * IMPRESSION_LEN)
}

/// Encodes 1–3 templates. `INVALID_ARGUMENT` when a template breaks the
/// rules above (too many minutiae, a zero size, a minutia off the image, a
/// quality over 100). The result is zeroized when dropped.
///
/// ```
/// use sealmatch::template::{codec, Minutia, MinutiaKind, Template};
/// let t = Template { width: 300, height: 400, dpi: 500, minutiae: vec![
///     Minutia { x: 10, y: 20, direction: 200, kind: MinutiaKind::Bifurcation, quality: 77 },
/// ]};
/// let bytes = codec::encode_enrollment(std::slice::from_ref(&t)).unwrap();
/// assert_eq!(bytes.len(), 777);
/// assert_eq!(codec::decode_enrollment(&bytes).unwrap(), vec![t]);
/// ```
pub fn encode_enrollment(templates: &[Template]) -> Result<Zeroizing<Vec<u8>>> {
    let refs: Vec<&Template> = templates.iter().collect();
    encode_enrollment_refs(&refs)
}

/// [`encode_enrollment`] of borrowed templates (no copy of the minutiae).
pub(crate) fn encode_enrollment_refs(templates: &[&Template]) -> Result<Zeroizing<Vec<u8>>> {
    let Some(len) = encoded_len(templates.len()) else {
        return err(
            ErrorCode::InvalidArgument,
            "an enrollment holds 1 to 3 templates",
        );
    };
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    out.push(FORMAT_VERSION);
    out.push(templates.len() as u8);
    for template in templates {
        encode_impression(template, &mut out)?;
    }
    debug_assert_eq!(out.len(), len);
    Ok(out)
}

fn encode_impression(t: &Template, out: &mut Vec<u8>) -> Result<()> {
    if t.width == 0 || t.height == 0 || t.dpi == 0 {
        return err(
            ErrorCode::InvalidArgument,
            "template size and dpi must be at least 1",
        );
    }
    if t.minutiae.len() > MAX_MINUTIAE {
        return err(
            ErrorCode::InvalidArgument,
            "template has more than 128 minutiae",
        );
    }
    out.extend_from_slice(&t.width.to_be_bytes());
    out.extend_from_slice(&t.height.to_be_bytes());
    out.extend_from_slice(&t.dpi.to_be_bytes());
    out.push(t.minutiae.len() as u8);
    for m in &t.minutiae {
        if m.x >= t.width || m.y >= t.height || m.quality > MAX_QUALITY {
            return err(ErrorCode::InvalidArgument, "template minutia out of range");
        }
        out.extend_from_slice(&m.x.to_be_bytes());
        out.extend_from_slice(&m.y.to_be_bytes());
        out.push(m.direction);
        let kind = match m.kind {
            MinutiaKind::Ending => 0,
            MinutiaKind::Bifurcation => KIND_BIT,
        };
        out.push(kind | m.quality);
    }
    let padding = (MAX_MINUTIAE - t.minutiae.len()) * MINUTIA_LEN;
    out.resize(out.len() + padding, 0);
    Ok(())
}

/// Decodes an enrollment; see the module documentation for what is rejected.
///
/// ```
/// use sealmatch::{template::codec, ErrorCode};
/// assert_eq!(codec::decode_enrollment(&[2, 1]).unwrap_err().code(), ErrorCode::TokenUnsupported);
/// assert_eq!(codec::decode_enrollment(&[1, 1, 0]).unwrap_err().code(), ErrorCode::TokenMalformed);
/// ```
pub fn decode_enrollment(bytes: &[u8]) -> Result<Vec<Template>> {
    match bytes.first() {
        None => return malformed("template content is empty"),
        Some(&FORMAT_VERSION) => {}
        Some(_) => return err(ErrorCode::TokenUnsupported, "unsupported template format"),
    }
    let count = usize::from(bytes.get(1).copied().unwrap_or(0));
    match encoded_len(count) {
        Some(len) if len == bytes.len() => {}
        _ => return malformed("template content has a wrong length or count"),
    }
    let mut templates = Vec::with_capacity(count);
    for chunk in bytes[PREAMBLE_LEN..].chunks_exact(IMPRESSION_LEN) {
        templates.push(decode_impression(chunk)?);
    }
    Ok(templates)
}

fn malformed<T>(message: &str) -> Result<T> {
    err(ErrorCode::TokenMalformed, message)
}

fn be16(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

/// Decodes one impression of exactly [`IMPRESSION_LEN`] bytes.
fn decode_impression(bytes: &[u8]) -> Result<Template> {
    let width = be16(bytes, 0);
    let height = be16(bytes, 2);
    let dpi = be16(bytes, 4);
    let count = usize::from(bytes[6]);
    if width == 0 || height == 0 || dpi == 0 {
        return malformed("template size or dpi is zero");
    }
    if count > MAX_MINUTIAE {
        return malformed("template minutia count is out of range");
    }
    let slots = &bytes[7..];
    let (used, padding) = slots.split_at(count * MINUTIA_LEN);
    if padding.iter().any(|&b| b != 0) {
        return malformed("template padding is not zero");
    }
    // The template zeroizes its minutiae on drop, also on the error paths.
    let mut template = Template {
        width,
        height,
        dpi,
        minutiae: Vec::with_capacity(count),
    };
    for slot in used.chunks_exact(MINUTIA_LEN) {
        let x = be16(slot, 0);
        let y = be16(slot, 2);
        let packed = slot[5];
        let quality = packed & !KIND_BIT;
        if x >= width || y >= height || quality > MAX_QUALITY {
            return malformed("template minutia is out of range");
        }
        let kind = if packed & KIND_BIT == 0 {
            MinutiaKind::Ending
        } else {
            MinutiaKind::Bifurcation
        };
        template.minutiae.push(Minutia {
            x,
            y,
            direction: slot[4],
            kind,
            quality,
        });
    }
    Ok(template)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift64*), so the tests need no
    /// extra crate and always see the same inputs.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn synthetic(rng: &mut Rng, minutiae: usize) -> Template {
        let width = 1 + rng.below(600) as u16;
        let height = 1 + rng.below(600) as u16;
        Template {
            width,
            height,
            dpi: 500,
            minutiae: (0..minutiae)
                .map(|_| Minutia {
                    x: rng.below(u64::from(width)) as u16,
                    y: rng.below(u64::from(height)) as u16,
                    direction: rng.next() as u8,
                    kind: if rng.next() & 1 == 0 {
                        MinutiaKind::Ending
                    } else {
                        MinutiaKind::Bifurcation
                    },
                    quality: rng.below(101) as u8,
                })
                .collect(),
        }
    }

    #[test]
    fn round_trip_and_fixed_length() {
        let mut rng = Rng(0x5eed);
        for n in 1..=MAX_IMPRESSIONS {
            for minutiae in [0, 1, 40, MAX_MINUTIAE] {
                let ts: Vec<Template> = (0..n).map(|_| synthetic(&mut rng, minutiae)).collect();
                let bytes = encode_enrollment(&ts).unwrap();
                assert_eq!(bytes.len(), encoded_len(n).unwrap());
                assert_eq!(decode_enrollment(&bytes).unwrap(), ts);
            }
        }
    }

    #[test]
    fn encode_rejects_bad_templates() {
        let mut rng = Rng(7);
        let good = synthetic(&mut rng, 5);
        assert!(encode_enrollment(&[]).is_err());
        let four: Vec<Template> = (0..4).map(|_| good.clone()).collect();
        assert!(encode_enrollment(&four).is_err());
        let mut t = good.clone();
        t.minutiae = vec![Minutia::default(); MAX_MINUTIAE + 1];
        assert!(encode_enrollment(&[t]).is_err());
        let mut t = good.clone();
        t.minutiae[0].x = t.width;
        assert!(encode_enrollment(&[t]).is_err());
        let mut t = good.clone();
        t.minutiae[0].quality = 101;
        assert!(encode_enrollment(&[t]).is_err());
        let mut t = good;
        t.dpi = 0;
        let e = encode_enrollment(&[t]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
    }

    #[test]
    fn decode_rejects_each_defect() {
        let t = Template {
            width: 100,
            height: 100,
            dpi: 500,
            minutiae: vec![Minutia {
                x: 5,
                y: 6,
                direction: 7,
                kind: MinutiaKind::Ending,
                quality: 50,
            }],
        };
        let good = encode_enrollment(&[t]).unwrap().to_vec();
        let code = |bytes: &[u8]| decode_enrollment(bytes).unwrap_err().code();
        let edit = |at: usize, value: u8| {
            let mut b = good.clone();
            b[at] = value;
            b
        };
        use ErrorCode::{TokenMalformed as M, TokenUnsupported as U};
        assert_eq!(code(&[]), M);
        assert_eq!(code(&edit(0, 2)), U);
        assert_eq!(code(&edit(0, 0)), U);
        assert_eq!(code(&edit(1, 0)), M); // no impressions
        assert_eq!(code(&edit(1, 2)), M); // count disagrees with length
        assert_eq!(code(&edit(1, 4)), M);
        assert_eq!(code(&good[..good.len() - 1]), M);
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(code(&longer), M);
        assert_eq!(code(&edit(2 + 1, 0)), M); // width 0 (high byte already 0)
        let mut no_dpi = good.clone();
        no_dpi[2 + 4] = 0;
        no_dpi[2 + 5] = 0;
        assert_eq!(code(&no_dpi), M);
        assert_eq!(code(&edit(2 + 6, 129)), M); // count > 128
        assert_eq!(code(&edit(2 + 6, 0)), M); // minutia left in padding
        assert_eq!(code(&edit(2 + 7, 1)), M); // x = 256+5 >= width
        assert_eq!(code(&edit(2 + 7 + 5, 101)), M); // quality 101
        assert_eq!(code(&edit(good.len() - 1, 1)), M); // padding byte
    }

    #[test]
    fn mutations_never_panic() {
        let mut rng = Rng(0xdecade);
        let ts: Vec<Template> = (0..3).map(|_| synthetic(&mut rng, 30)).collect();
        let good = encode_enrollment(&ts).unwrap().to_vec();
        let mut accepted = 0;
        for _ in 0..20_000 {
            let mut b = good.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(b.len() as u64) as usize;
                b[at] ^= 1 << rng.below(8);
            }
            if rng.below(8) == 0 {
                b.truncate(rng.below(b.len() as u64) as usize);
            }
            if let Ok(decoded) = decode_enrollment(&b) {
                // Only the unchecked bits (direction, kind, in-range values)
                // may change and still decode; re-encoding gives the bytes back.
                assert_eq!(encode_enrollment(&decoded).unwrap().as_slice(), &b[..]);
                accepted += 1;
            }
        }
        assert!(accepted > 0);
        for len in 0..64 {
            let junk: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let _ = decode_enrollment(&junk);
        }
    }
}
