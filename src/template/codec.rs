//! Compact, versioned binary form of an enrollment: 1–3 fingerprint
//! impressions or 1–3 face captures, each padded to one fixed slot size, so a
//! token's length says how many captures were enrolled and nothing about the
//! finger, the face, or which of the two it is.
//!
//! Layout written (format version 2; all integers big-endian):
//!
//! | bytes | field |
//! | --- | --- |
//! | 1 | format version, [`FORMAT_VERSION`] (2) |
//! | 1 | modality: [`MODALITY_FINGERPRINT`] (1) or [`MODALITY_FACE`] (2) |
//! | 1 | number of captures `n`, 1..=[`MAX_IMPRESSIONS`] |
//! | `n` × [`SLOT_LEN`] | the captures, one slot each |
//!
//! A fingerprint slot (an impression) is `width` u16, `height` u16, `dpi` u16
//! (each ≥ 1), minutia `count` u8 (0..=[`MAX_MINUTIAE`]), then
//! [`MAX_MINUTIAE`] slots of [`MINUTIA_LEN`] bytes: `x` u16 (< width), `y`
//! u16 (< height), `direction` u8, then one byte with the kind in bit 7 (0
//! ending, 1 bifurcation) and the quality (0..=100) in bits 0–6. Minutia
//! slots past `count` are all zero.
//!
//! A face slot is the [`EMBEDDING_LEN`] values of the unit-length embedding as
//! IEEE 754 binary32, big-endian ([`EMBEDDING_BYTES`] bytes), then zeros to
//! [`SLOT_LEN`]. Every value is finite and the squared length is 1 within
//! 1e-3. A change of the face embedding model (whose embeddings do not compare
//! with the old one's) makes a new format version.
//!
//! Format version 1, written before the face existed, is still read, as
//! fingerprint content: version byte 1, `n`, then `n` fingerprint slots (no
//! modality byte; one byte shorter than version 2).
//!
//! Decoding rejects anything else: another version or modality is
//! `TOKEN_UNSUPPORTED`; a wrong length, count or field, or non-zero padding is
//! `TOKEN_MALFORMED`. It never panics and allocates at most
//! [`MAX_IMPRESSIONS`] templates of bounded size whatever the input says.

use zeroize::Zeroizing;

use super::{
    FaceTemplate, Minutia, MinutiaKind, Modality, Template, EMBEDDING_LEN, MAX_IMPRESSIONS,
    MAX_MINUTIAE,
};
use crate::error::{err, ErrorCode, Result};

/// Version byte of the binary form written.
pub const FORMAT_VERSION: u8 = 2;

/// Version byte of the first binary form (fingerprint only, no modality
/// byte), still read.
pub const FORMAT_VERSION_1: u8 = 1;

/// Modality byte of fingerprint content.
pub const MODALITY_FINGERPRINT: u8 = 1;

/// Modality byte of face content.
pub const MODALITY_FACE: u8 = 2;

/// Bytes of one minutia slot.
pub const MINUTIA_LEN: usize = 6;

/// Bytes of one impression: geometry, count, and every minutia slot.
pub const IMPRESSION_LEN: usize = 7 + MAX_MINUTIAE * MINUTIA_LEN;

/// Bytes of one capture's slot, of either modality: an impression's size, so
/// face and fingerprint content of `n` captures have one length.
pub const SLOT_LEN: usize = IMPRESSION_LEN;

/// Bytes of a face embedding in a face slot (the rest of the slot is zero).
pub const EMBEDDING_BYTES: usize = EMBEDDING_LEN * 4;

/// Bytes before the slots: version, modality, count.
pub const PREAMBLE_LEN: usize = 3;

/// Highest quality a minutia may have.
const MAX_QUALITY: u8 = 100;

/// Bit of the packed byte that holds the kind.
const KIND_BIT: u8 = 0x80;

/// A decoded enrollment: the templates of one token, all of one modality.
#[derive(Clone, Debug, PartialEq)]
pub enum Enrollment {
    /// 1–3 fingerprint impressions.
    Fingerprint(Vec<Template>),
    /// 1–3 face captures.
    Face(Vec<FaceTemplate>),
}

impl Enrollment {
    /// The modality of the templates.
    pub fn modality(&self) -> Modality {
        match self {
            Enrollment::Fingerprint(_) => Modality::Fingerprint,
            Enrollment::Face(_) => Modality::Face,
        }
    }

    /// The number of impressions or captures.
    pub fn len(&self) -> usize {
        match self {
            Enrollment::Fingerprint(t) => t.len(),
            Enrollment::Face(t) => t.len(),
        }
    }

    /// Never true for a decoded enrollment (it holds 1–3 templates).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The binary form (format version [`FORMAT_VERSION`]):
    /// [`encode_enrollment`] or [`encode_faces`].
    pub fn encode(&self) -> Result<Zeroizing<Vec<u8>>> {
        match self {
            Enrollment::Fingerprint(t) => encode_enrollment(t),
            Enrollment::Face(t) => encode_faces(t),
        }
    }
}

/// The fixed encoded size of an enrollment of `captures` templates of either
/// modality (`None` outside 1..=[`MAX_IMPRESSIONS`]).
///
/// ```
/// use sealmatch::template::codec::encoded_len;
/// assert_eq!(encoded_len(1), Some(778));
/// assert_eq!(encoded_len(3), Some(2328));
/// assert_eq!(encoded_len(4), None);
/// ```
pub fn encoded_len(captures: usize) -> Option<usize> {
    (1..=MAX_IMPRESSIONS)
        .contains(&captures)
        .then_some(PREAMBLE_LEN + captures * SLOT_LEN)
}

/// Encodes 1–3 fingerprint templates. `INVALID_ARGUMENT` when a template
/// breaks the rules above (too many minutiae, a zero size, a minutia off the
/// image, a quality over 100). The result is zeroized when dropped.
///
/// ```
/// use sealmatch::template::{codec, Minutia, MinutiaKind, Template};
/// let t = Template { width: 300, height: 400, dpi: 500, minutiae: vec![
///     Minutia { x: 10, y: 20, direction: 200, kind: MinutiaKind::Bifurcation, quality: 77 },
/// ]};
/// let bytes = codec::encode_enrollment(std::slice::from_ref(&t)).unwrap();
/// assert_eq!(bytes.len(), 778);
/// assert_eq!(codec::decode_enrollment(&bytes).unwrap(), vec![t]);
/// ```
pub fn encode_enrollment(templates: &[Template]) -> Result<Zeroizing<Vec<u8>>> {
    let refs: Vec<&Template> = templates.iter().collect();
    encode_fingerprint_refs(&refs)
}

/// Encodes 1–3 face templates, to the length of as many fingerprint
/// impressions. The result is zeroized when dropped.
///
/// ```
/// use sealmatch::template::{codec, FaceTemplate, Modality};
/// let face = FaceTemplate::from_embedding(&[1.0; 128]).unwrap();
/// let bytes = codec::encode_faces(std::slice::from_ref(&face)).unwrap();
/// assert_eq!(Some(bytes.len()), codec::encoded_len(1));
/// let decoded = codec::decode(&bytes).unwrap();
/// assert_eq!(decoded.modality(), Modality::Face);
/// assert_eq!(decoded, codec::Enrollment::Face(vec![face]));
/// ```
pub fn encode_faces(templates: &[FaceTemplate]) -> Result<Zeroizing<Vec<u8>>> {
    let refs: Vec<&FaceTemplate> = templates.iter().collect();
    encode_face_refs(&refs)
}

/// [`encode_enrollment`] of borrowed templates (no copy of the minutiae).
pub(crate) fn encode_fingerprint_refs(templates: &[&Template]) -> Result<Zeroizing<Vec<u8>>> {
    encode_slots(MODALITY_FINGERPRINT, templates, encode_impression)
}

/// [`encode_faces`] of borrowed templates.
pub(crate) fn encode_face_refs(templates: &[&FaceTemplate]) -> Result<Zeroizing<Vec<u8>>> {
    encode_slots(MODALITY_FACE, templates, |face, out| {
        for v in face.embedding() {
            out.extend_from_slice(&v.to_bits().to_be_bytes());
        }
        Ok(())
    })
}

/// The preamble, then each template written by `write` and padded with zeros
/// to [`SLOT_LEN`].
fn encode_slots<T>(
    modality: u8,
    templates: &[&T],
    write: impl Fn(&T, &mut Vec<u8>) -> Result<()>,
) -> Result<Zeroizing<Vec<u8>>> {
    let Some(len) = encoded_len(templates.len()) else {
        return err(
            ErrorCode::InvalidArgument,
            "an enrollment holds 1 to 3 templates",
        );
    };
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    out.extend_from_slice(&[FORMAT_VERSION, modality, templates.len() as u8]);
    for template in templates {
        let end = out.len() + SLOT_LEN;
        write(template, &mut out)?;
        debug_assert!(out.len() <= end);
        out.resize(end, 0);
    }
    debug_assert_eq!(out.len(), len);
    Ok(out)
}

/// Writes one impression, without the padding of unused minutia slots.
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
    Ok(())
}

/// Decodes an enrollment of either modality, in either format version; see
/// the module documentation for what is rejected.
///
/// ```
/// use sealmatch::{template::codec, ErrorCode};
/// assert_eq!(codec::decode(&[3, 1]).unwrap_err().code(), ErrorCode::TokenUnsupported);
/// assert_eq!(codec::decode(&[2, 9, 1]).unwrap_err().code(), ErrorCode::TokenUnsupported);
/// assert_eq!(codec::decode(&[2, 1, 1, 0]).unwrap_err().code(), ErrorCode::TokenMalformed);
/// ```
pub fn decode(bytes: &[u8]) -> Result<Enrollment> {
    let (modality, count, slots) = match bytes {
        [] => return malformed("template content is empty"),
        [FORMAT_VERSION_1, rest @ ..] => match rest {
            [count, slots @ ..] => (MODALITY_FINGERPRINT, *count, slots),
            [] => return malformed("template content has a wrong length or count"),
        },
        [FORMAT_VERSION, rest @ ..] => match rest {
            [modality, ..] if !matches!(*modality, MODALITY_FINGERPRINT | MODALITY_FACE) => {
                return err(ErrorCode::TokenUnsupported, "unsupported template modality")
            }
            [modality, count, slots @ ..] => (*modality, *count, slots),
            _ => return malformed("template content has a wrong length or count"),
        },
        _ => return err(ErrorCode::TokenUnsupported, "unsupported template format"),
    };
    let count = usize::from(count);
    if !(1..=MAX_IMPRESSIONS).contains(&count) || slots.len() != count * SLOT_LEN {
        return malformed("template content has a wrong length or count");
    }
    let slots = slots.chunks_exact(SLOT_LEN);
    if modality == MODALITY_FACE {
        let mut faces = Vec::with_capacity(count);
        for slot in slots {
            faces.push(decode_face(slot)?);
        }
        Ok(Enrollment::Face(faces))
    } else {
        let mut templates = Vec::with_capacity(count);
        for slot in slots {
            templates.push(decode_impression(slot)?);
        }
        Ok(Enrollment::Fingerprint(templates))
    }
}

/// Decodes fingerprint content (either format version): [`decode`] for
/// callers that read fingerprints only. Face content is `MODALITY_MISMATCH`.
///
/// ```
/// use sealmatch::{template::codec, ErrorCode};
/// assert_eq!(codec::decode_enrollment(&[2, 1]).unwrap_err().code(), ErrorCode::TokenMalformed);
/// assert_eq!(codec::decode_enrollment(&[1, 1, 0]).unwrap_err().code(), ErrorCode::TokenMalformed);
/// ```
pub fn decode_enrollment(bytes: &[u8]) -> Result<Vec<Template>> {
    match decode(bytes)? {
        Enrollment::Fingerprint(templates) => Ok(templates),
        Enrollment::Face(_) => err(
            ErrorCode::ModalityMismatch,
            "template content is not a fingerprint",
        ),
    }
}

fn malformed<T>(message: &str) -> Result<T> {
    err(ErrorCode::TokenMalformed, message)
}

fn be16(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

/// Decodes one face slot of exactly [`SLOT_LEN`] bytes.
fn decode_face(bytes: &[u8]) -> Result<FaceTemplate> {
    let (values, padding) = bytes.split_at(EMBEDDING_BYTES);
    if padding.iter().any(|&b| b != 0) {
        return malformed("template padding is not zero");
    }
    let face = FaceTemplate::from_stored(|embedding| {
        for (v, b) in embedding.iter_mut().zip(values.chunks_exact(4)) {
            *v = f32::from_bits(u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
        }
    });
    match face {
        Some(face) => Ok(face),
        None => malformed("face template is not a finite unit vector"),
    }
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

    fn face(rng: &mut Rng) -> FaceTemplate {
        let v: Vec<f32> = (0..EMBEDDING_LEN)
            .map(|_| rng.below(2001) as f32 / 1000.0 - 1.0)
            .collect();
        FaceTemplate::from_embedding(&v).unwrap()
    }

    /// Format version 1 of fingerprint content: version 2 without the
    /// modality byte.
    fn as_version_1(v2: &[u8]) -> Vec<u8> {
        assert_eq!(v2[..2], [FORMAT_VERSION, MODALITY_FINGERPRINT]);
        let mut v1 = vec![FORMAT_VERSION_1];
        v1.extend_from_slice(&v2[2..]);
        v1
    }

    #[test]
    fn faces_round_trip_at_the_fingerprint_length() {
        let mut rng = Rng(0xface);
        for n in 1..=MAX_IMPRESSIONS {
            let faces: Vec<FaceTemplate> = (0..n).map(|_| face(&mut rng)).collect();
            let bytes = encode_faces(&faces).unwrap();
            let prints: Vec<Template> = (0..n).map(|_| synthetic(&mut rng, 128)).collect();
            assert_eq!(bytes.len(), encode_enrollment(&prints).unwrap().len());
            assert_eq!(bytes.len(), encoded_len(n).unwrap());
            assert_eq!(bytes[..3], [FORMAT_VERSION, MODALITY_FACE, n as u8]);
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded, Enrollment::Face(faces));
            assert_eq!(decoded.encode().unwrap(), bytes);
            for slot in bytes[PREAMBLE_LEN..].chunks_exact(SLOT_LEN) {
                assert!(slot[EMBEDDING_BYTES..].iter().all(|&b| b == 0));
            }
            let e = decode_enrollment(&bytes).unwrap_err();
            assert_eq!(e.code(), ErrorCode::ModalityMismatch);
        }
        assert!(encode_faces(&[]).is_err());
        let four: Vec<FaceTemplate> = (0..4).map(|_| face(&mut rng)).collect();
        assert_eq!(
            encode_faces(&four).unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
    }

    #[test]
    fn version_1_content_reads_as_fingerprint() {
        let mut rng = Rng(0x1);
        for n in 1..=MAX_IMPRESSIONS {
            let ts: Vec<Template> = (0..n).map(|_| synthetic(&mut rng, 40)).collect();
            let v2 = encode_enrollment(&ts).unwrap();
            let v1 = as_version_1(&v2);
            assert_eq!(v1.len(), 2 + n * IMPRESSION_LEN);
            assert_eq!(decode(&v1).unwrap(), Enrollment::Fingerprint(ts.clone()));
            assert_eq!(decode_enrollment(&v1).unwrap(), ts);
            // Version 1 has no modality byte: the v2 layout under a v1 byte,
            // or v1 content one byte short, is refused.
            let mut wrong = v2.to_vec();
            wrong[0] = FORMAT_VERSION_1;
            assert_eq!(
                decode(&wrong).unwrap_err().code(),
                ErrorCode::TokenMalformed
            );
            let short = &v1[..v1.len() - 1];
            assert_eq!(decode(short).unwrap_err().code(), ErrorCode::TokenMalformed);
        }
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
        let code = |bytes: &[u8]| decode(bytes).unwrap_err().code();
        let edit = |bytes: &[u8], at: usize, value: u8| {
            let mut b = bytes.to_vec();
            b[at] = value;
            b
        };
        use ErrorCode::{TokenMalformed as M, TokenUnsupported as U};
        assert_eq!(code(&[]), M);
        assert_eq!(code(&[FORMAT_VERSION]), M);
        assert_eq!(code(&[FORMAT_VERSION, MODALITY_FACE]), M);
        assert_eq!(code(&[FORMAT_VERSION_1]), M);
        for version in [0, 3, 99, 255] {
            assert_eq!(code(&edit(&good, 0, version)), U);
        }
        for modality in [0, 3, 255] {
            assert_eq!(code(&edit(&good, 1, modality)), U);
        }
        assert_eq!(code(&edit(&good, 1, MODALITY_FACE)), M); // an impression is no face
        assert_eq!(code(&edit(&good, 2, 0)), M); // no impressions
        assert_eq!(code(&edit(&good, 2, 2)), M); // count disagrees with length
        assert_eq!(code(&edit(&good, 2, 4)), M);
        assert_eq!(code(&good[..good.len() - 1]), M);
        let mut longer = good.clone();
        longer.push(0);
        assert_eq!(code(&longer), M);
        let p = PREAMBLE_LEN;
        assert_eq!(code(&edit(&good, p + 1, 0)), M); // width 0 (high byte already 0)
        let mut no_dpi = good.clone();
        no_dpi[p + 4] = 0;
        no_dpi[p + 5] = 0;
        assert_eq!(code(&no_dpi), M);
        assert_eq!(code(&edit(&good, p + 6, 129)), M); // count > 128
        assert_eq!(code(&edit(&good, p + 6, 0)), M); // minutia left in padding
        assert_eq!(code(&edit(&good, p + 7, 1)), M); // x = 256+5 >= width
        assert_eq!(code(&edit(&good, p + 7 + 5, 101)), M); // quality 101
        assert_eq!(code(&edit(&good, good.len() - 1, 1)), M); // padding byte

        let mut rng = Rng(5);
        let faces = encode_faces(&[face(&mut rng), face(&mut rng)])
            .unwrap()
            .to_vec();
        decode(&faces).unwrap();
        assert_eq!(code(&edit(&faces, 1, MODALITY_FINGERPRINT)), M); // a face is no impression
        assert_eq!(code(&edit(&faces, 2, 1)), M);
        assert_eq!(code(&faces[..faces.len() - SLOT_LEN]), M);
        for slot in 0..2 {
            let at = p + slot * SLOT_LEN;
            // A padding byte, first and last.
            assert_eq!(code(&edit(&faces, at + EMBEDDING_BYTES, 1)), M);
            assert_eq!(code(&edit(&faces, at + SLOT_LEN - 1, 0x80)), M);
            // A value made NaN, infinite, or large enough to break unit length.
            for bits in [f32::NAN, f32::INFINITY, 0.5].map(f32::to_bits) {
                let mut b = faces.clone();
                b[at + 8..at + 12].copy_from_slice(&bits.to_be_bytes());
                assert_eq!(code(&b), M);
            }
            // All zero: not a unit vector.
            let mut b = faces.clone();
            b[at..at + EMBEDDING_BYTES].fill(0);
            assert_eq!(code(&b), M);
        }
    }

    #[test]
    fn face_values_are_stored_exactly() {
        let mut rng = Rng(9);
        let f = face(&mut rng);
        let bytes = encode_faces(std::slice::from_ref(&f)).unwrap();
        for (i, v) in f.embedding().iter().enumerate() {
            let at = PREAMBLE_LEN + 4 * i;
            assert_eq!(bytes[at..at + 4], v.to_bits().to_be_bytes());
        }
        // A sign flip keeps the length: still a valid (other) face.
        let mut flipped = bytes.to_vec();
        flipped[PREAMBLE_LEN] ^= 0x80;
        let Enrollment::Face(other) = decode(&flipped).unwrap() else {
            panic!("face content decodes as a face");
        };
        assert_eq!(other[0].embedding()[0], -f.embedding()[0]);
    }

    #[test]
    fn mutations_never_panic() {
        let mut rng = Rng(0xdecade);
        let ts: Vec<Template> = (0..3).map(|_| synthetic(&mut rng, 30)).collect();
        let faces: Vec<FaceTemplate> = (0..3).map(|_| face(&mut rng)).collect();
        let goods = [
            encode_enrollment(&ts).unwrap().to_vec(),
            encode_faces(&faces).unwrap().to_vec(),
            as_version_1(&encode_enrollment(&ts).unwrap()),
        ];
        let mut accepted = [0; 3];
        for round in 0..30_000 {
            let which = round % goods.len();
            let mut b = goods[which].clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(b.len() as u64) as usize;
                b[at] ^= 1 << rng.below(8);
            }
            if rng.below(8) == 0 {
                b.truncate(rng.below(b.len() as u64) as usize);
            }
            if let Ok(decoded) = decode(&b) {
                // Only the unchecked bits (direction, kind, in-range values,
                // low bits of embedding values) may change and still decode;
                // re-encoding gives the bytes back (as version 2).
                let again = decoded.encode().unwrap();
                if b[0] == FORMAT_VERSION_1 {
                    assert_eq!(as_version_1(&again), b);
                } else {
                    assert_eq!(again.as_slice(), &b[..]);
                }
                accepted[which] += 1;
            }
        }
        assert!(accepted.iter().all(|&n| n > 0), "{accepted:?}");
        for len in 0..64 {
            let junk: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let _ = decode(&junk);
        }
    }
}
