//! The face weights file: parsing, digest check and dequantisation.
//!
//! The file is written by `scripts/face-models.mjs` (which documents the
//! format byte by byte): a magic, a version, a table of named tensors (f32, or
//! u8 with the source's affine quantisation `value = q * scale + min`,
//! computed in f64 as tfjs does) and a
//! SHA-256 digest of everything before it. The digest is checked before any
//! field is read, so a truncated or altered file is refused as a whole.
//!
//! Every failure is [`ErrorCode::InvalidArgument`]: the bytes are an argument
//! of `initFace` (`modelBytes`), and DESIGN.md's list of codes is the public
//! contract, so no new code is added for a bad weights file.

use crate::error::{err, ErrorCode, Result};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The magic at the start of a weights file.
pub const MAGIC: &[u8; 8] = b"SMFACEW\0";
/// The only format version this loader reads.
pub const VERSION: u32 = 1;
/// The largest weights file accepted (the shipped one is about 7 MB).
pub const MAX_FILE_BYTES: usize = 32 << 20;
/// The largest number of tensors in a file.
pub const MAX_TENSORS: usize = 1024;
/// The longest tensor name.
pub const MAX_NAME_BYTES: usize = 128;
/// The largest rank of a tensor.
pub const MAX_RANK: usize = 4;

const DIGEST_BYTES: usize = 32;
const DTYPE_F32: u8 = 1;
const DTYPE_U8: u8 = 2;

/// One dequantised tensor: its dimensions (tfjs order) and values, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    /// Dimensions, e.g. `[kh, kw, c_in, c_out]` for a filter.
    pub dims: Vec<usize>,
    /// `dims.iter().product()` values.
    pub data: Vec<f32>,
}

/// All tensors of a weights file, by name (`"<net>/<tfjs name>"`).
///
/// ```
/// use sealmatch::face::weights::Weights;
/// let e = Weights::parse(b"not a weights file").unwrap_err();
/// assert_eq!(e.code(), sealmatch::ErrorCode::InvalidArgument);
/// ```
#[derive(Debug, Default)]
pub struct Weights {
    tensors: HashMap<String, Tensor>,
}

fn bad<T>(what: &str) -> Result<T> {
    err(ErrorCode::InvalidArgument, format!("face weights: {what}"))
}

/// A bounds-checked little-endian reader over the file's body.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        match self.at.checked_add(n) {
            Some(end) if end <= self.bytes.len() => {
                let s = &self.bytes[self.at..end];
                self.at = end;
                Ok(s)
            }
            _ => bad("a tensor runs past the end of the file"),
        }
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn f64(&mut self) -> Result<f64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }
}

impl Weights {
    /// Parses and checks a weights file.
    pub fn parse(file: &[u8]) -> Result<Weights> {
        if file.len() > MAX_FILE_BYTES {
            return bad("file larger than the documented bound");
        }
        if file.len() < MAGIC.len() + 8 + DIGEST_BYTES {
            return bad("file too short");
        }
        let (body, digest) = file.split_at(file.len() - DIGEST_BYTES);
        if Sha256::digest(body).as_slice() != digest {
            return bad("digest mismatch (truncated or altered file)");
        }
        let mut r = Reader { bytes: body, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return bad("not a sealmatch face weights file");
        }
        if r.u32()? != VERSION {
            return bad("unsupported format version");
        }
        let count = r.u32()? as usize;
        if count > MAX_TENSORS {
            return bad("too many tensors");
        }
        let mut tensors = HashMap::with_capacity(count);
        for _ in 0..count {
            let (name, tensor) = read_tensor(&mut r)?;
            if tensors.insert(name, tensor).is_some() {
                return bad("duplicate tensor name");
            }
        }
        if r.at != body.len() {
            return bad("trailing bytes after the last tensor");
        }
        Ok(Weights { tensors })
    }

    /// Number of tensors.
    pub fn len(&self) -> usize {
        self.tensors.len()
    }

    /// True when there are no tensors.
    pub fn is_empty(&self) -> bool {
        self.tensors.is_empty()
    }

    /// True when the file holds a tensor `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.tensors.contains_key(name)
    }

    /// Removes and returns the tensor `name`, checking its dimensions.
    pub fn take(&mut self, name: &str, dims: &[usize]) -> Result<Tensor> {
        match self.tensors.remove(name) {
            Some(t) if t.dims == dims => Ok(t),
            Some(_) => bad("a tensor has unexpected dimensions"),
            None => bad("a tensor is missing"),
        }
    }

    /// Builds weights from tensors (for tests of the networks on small data).
    pub fn from_tensors(tensors: impl IntoIterator<Item = (String, Tensor)>) -> Weights {
        Weights {
            tensors: tensors.into_iter().collect(),
        }
    }
}

fn read_tensor(r: &mut Reader<'_>) -> Result<(String, Tensor)> {
    let name_len = r.u16()? as usize;
    if name_len == 0 || name_len > MAX_NAME_BYTES {
        return bad("tensor name length out of bounds");
    }
    let name = match std::str::from_utf8(r.take(name_len)?) {
        Ok(s) if s.is_ascii() => s.to_owned(),
        _ => return bad("tensor name not ASCII"),
    };
    let dtype = r.u8()?;
    let rank = r.u8()? as usize;
    if rank == 0 || rank > MAX_RANK {
        return bad("tensor rank out of bounds");
    }
    let mut dims = Vec::with_capacity(rank);
    let mut count: usize = 1;
    for _ in 0..rank {
        let d = r.u32()? as usize;
        count = match count.checked_mul(d) {
            Some(c) if c <= MAX_FILE_BYTES => c,
            _ => return bad("tensor too large"),
        };
        dims.push(d);
    }
    let data = match dtype {
        DTYPE_F32 => {
            let raw = r.take(count.checked_mul(4).map_or(usize::MAX, |n| n))?;
            raw.chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        }
        DTYPE_U8 => {
            let scale = r.f64()?;
            let min = r.f64()?;
            if !scale.is_finite() || !min.is_finite() {
                return bad("quantisation parameters not finite");
            }
            // As tfjs dequantises: in double, then rounded to f32.
            r.take(count)?
                .iter()
                .map(|&q| (q as f64 * scale + min) as f32)
                .collect()
        }
        _ => return bad("unknown tensor dtype"),
    };
    let data: Vec<f32> = data;
    if data.iter().any(|v| !v.is_finite()) {
        return bad("tensor value not finite");
    }
    Ok((name, Tensor { dims, data }))
}
