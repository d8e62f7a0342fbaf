//! Base64url (RFC 4648 §5) without padding, with a *canonical* decoder.
//!
//! The decoder accepts exactly the strings [`encode`] produces: only the
//! alphabet `A–Z a–z 0–9 - _`, no `=` padding, no length of the form `4k + 1`,
//! and zero bits in the unused low bits of the last character. So no two
//! different strings decode to the same bytes, and a token has one spelling.

/// The base64url alphabet.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes `bytes` as base64url without padding.
///
/// ```
/// use sealmatch::token::base64url;
/// assert_eq!(base64url::encode(b"foob"), "Zm9vYg");
/// ```
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(encoded_len(bytes.len()));
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// Length of the unpadded encoding of `n` bytes.
pub fn encoded_len(n: usize) -> usize {
    n / 3 * 4 + [0, 2, 3][n % 3]
}

/// Length of the bytes a canonical string of `len` characters decodes to,
/// or `None` when no canonical string has that length (`len % 4 == 1`).
pub fn decoded_len(len: usize) -> Option<usize> {
    match len % 4 {
        1 => None,
        r => Some(len / 4 * 3 + [0, 0, 1, 2][r]),
    }
}

/// Marks a byte outside the alphabet in [`VALUES`].
const INVALID: u8 = 0xff;

/// Value of each byte as an alphabet character, [`INVALID`] outside it.
static VALUES: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Value of one alphabet character, `None` outside the alphabet.
fn value(c: u8) -> Option<u32> {
    match VALUES[c as usize] {
        INVALID => None,
        v => Some(u32::from(v)),
    }
}

/// Decodes a canonical unpadded base64url string; `None` for anything else
/// (a character outside the alphabet, padding, a length of `4k + 1`, or
/// non-zero unused bits).
///
/// ```
/// use sealmatch::token::base64url;
/// assert_eq!(base64url::decode("Zm9vYg").as_deref(), Some(&b"foob"[..]));
/// assert_eq!(base64url::decode("Zm9vYh"), None); // unused bits set
/// assert_eq!(base64url::decode("Zm9vYg=="), None); // padding
/// ```
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(decoded_len(text.len())?);
    decode_into(text, &mut out)?;
    Some(out)
}

/// Like [`decode`], appending to `out` (which the caller may keep zeroizing).
/// On `None`, `out` may hold a partial result.
pub fn decode_into(text: &str, out: &mut Vec<u8>) -> Option<()> {
    let bytes = text.as_bytes();
    let len = decoded_len(bytes.len())?;
    let start = out.len();
    out.resize(start + len, 0);
    let (body, tail) = bytes.split_at(bytes.len() / 4 * 4);
    let (dst, dst_tail) = out[start..].split_at_mut(body.len() / 4 * 3);
    // Whole groups of four characters: table look-ups, and one check for a
    // character outside the alphabet at the end (`INVALID` has the top bit).
    let mut seen = 0u8;
    for (src, d) in body.chunks_exact(4).zip(dst.chunks_exact_mut(3)) {
        let v = [
            VALUES[src[0] as usize],
            VALUES[src[1] as usize],
            VALUES[src[2] as usize],
            VALUES[src[3] as usize],
        ];
        seen |= v[0] | v[1] | v[2] | v[3];
        let n = (u32::from(v[0]) << 18)
            | (u32::from(v[1]) << 12)
            | (u32::from(v[2]) << 6)
            | u32::from(v[3]);
        d.copy_from_slice(&n.to_be_bytes()[1..]);
    }
    if seen & 0x80 != 0 {
        return None;
    }
    // The last two or three characters, whose unused low bits must be zero.
    let mut n = 0u32;
    for (i, &c) in tail.iter().enumerate() {
        n |= value(c)? << (18 - 6 * i);
    }
    let unused_mask = match tail.len() {
        0 => 0,
        3 => 0xff,   // 18 bits used, low 2 of the 3rd char unused
        2 => 0xffff, // 12 bits used, low 4 of the 2nd char unused
        _ => return None,
    };
    if n & unused_mask != 0 {
        return None;
    }
    for (i, d) in dst_tail.iter_mut().enumerate() {
        *d = (n >> (16 - 8 * i)) as u8;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_agree() {
        for n in 0..40 {
            let bytes: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37)).collect();
            let text = encode(&bytes);
            assert_eq!(text.len(), encoded_len(n));
            assert_eq!(decoded_len(text.len()), Some(n));
            assert_eq!(decode(&text), Some(bytes));
        }
    }

    /// The decoder as first written: one character at a time.
    fn decode_reference(text: &str) -> Option<Vec<u8>> {
        let bytes = text.as_bytes();
        decoded_len(bytes.len())?;
        let mut out = Vec::new();
        for chunk in bytes.chunks(4) {
            let mut n = 0u32;
            for (i, &c) in chunk.iter().enumerate() {
                n |= value(c)? << (18 - 6 * i);
            }
            let unused_mask = match chunk.len() {
                4 => 0,
                3 => 0xff,
                2 => 0xffff,
                _ => return None,
            };
            if n & unused_mask != 0 {
                return None;
            }
            for i in 0..chunk.len() - 1 {
                out.push((n >> (16 - 8 * i)) as u8);
            }
        }
        Some(out)
    }

    #[test]
    fn equals_the_one_character_decoder() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..20_000 {
            let len = (next() % 24) as usize;
            // Mostly alphabet characters, sometimes any byte (ASCII, so the
            // string stays valid UTF-8), so both outcomes are common.
            let text: String = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 16 == 0 {
                        char::from((r >> 8) as u8 & 0x7f)
                    } else {
                        char::from(ALPHABET[(r >> 8) as usize % 64])
                    }
                })
                .collect();
            assert_eq!(
                decode(&text),
                decode_reference(&text),
                "case {case}: {text:?}"
            );
        }
        assert_eq!(decode("\u{e9}AA"), None); // bytes above 0x7f
        assert_eq!(decode("AAAA\u{e9}AA"), None);
    }
}
