//! INTERIM: a structural token check written to DESIGN.md's "Token format", used
//! only until the library's `sealmatch::token::inspect` lands on main. Then
//! `tokencheck::inspect` switches to the library and this file is deleted.

use sealmatch::{Error, ErrorCode};

/// Header fields, as the library's inspection returns them.
pub struct Header {
    pub bag_tag: String,
    pub flight: String,
    pub issued_at: i64,
    pub expires_at: i64,
}

fn malformed(msg: &str) -> Error {
    Error::new(ErrorCode::TokenMalformed, msg)
}

/// Canonical base64url without padding; `None` for anything else.
fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'-' => Some(62),
            b'_' => Some(63),
            _ => None,
        }
    }
    let bytes = s.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for &c in chunk {
            acc = (acc << 6) | val(c)?;
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 => {
                if acc & 0b11 != 0 {
                    return None;
                }
                out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]);
            }
            2 => {
                if acc & 0b1111 != 0 {
                    return None;
                }
                out.push((acc >> 4) as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Inspect a token's structure and header without a key.
pub fn inspect(token: &str) -> Result<Header, Error> {
    if token.len() > 65_536 {
        return Err(malformed("token too long"));
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 5 {
        return Err(malformed("a token has five segments"));
    }
    if !parts[1].is_empty() {
        return Err(malformed("the encrypted-key segment must be empty"));
    }
    let header = b64url_decode(parts[0]).ok_or_else(|| malformed("header is not base64url"))?;
    let iv = b64url_decode(parts[2]).ok_or_else(|| malformed("iv is not base64url"))?;
    let ct = b64url_decode(parts[3]).ok_or_else(|| malformed("ciphertext is not base64url"))?;
    let tag = b64url_decode(parts[4]).ok_or_else(|| malformed("tag is not base64url"))?;
    if iv.len() != 12 || tag.len() != 16 || ct.is_empty() {
        return Err(malformed("iv must be 12 bytes, tag 16 bytes"));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&header).map_err(|_| malformed("header is not JSON"))?;
    let obj = v
        .as_object()
        .ok_or_else(|| malformed("header is not an object"))?;
    const FIELDS: [&str; 8] = ["alg", "enc", "typ", "v", "bag", "flt", "iat", "exp"];
    if obj.len() != FIELDS.len() || !FIELDS.iter().all(|f| obj.contains_key(*f)) {
        return Err(malformed(
            "header must have exactly alg, enc, typ, v, bag, flt, iat, exp",
        ));
    }
    let s = |k: &str| {
        obj[k]
            .as_str()
            .ok_or_else(|| malformed("header field has the wrong type"))
    };
    let n = |k: &str| {
        obj[k]
            .as_i64()
            .ok_or_else(|| malformed("header field has the wrong type"))
    };
    let (alg, enc, typ) = (s("alg")?, s("enc")?, s("typ")?);
    let version = n("v")?;
    let (bag, flt, iat, exp) = (s("bag")?, s("flt")?, n("iat")?, n("exp")?);
    if typ != "sealmatch+jwe" {
        return Err(malformed("typ must be sealmatch+jwe"));
    }
    if alg != "dir" || enc != "A256GCM" || version != 1 {
        return Err(Error::new(
            ErrorCode::TokenUnsupported,
            "unsupported token version, alg or enc",
        ));
    }
    Ok(Header {
        bag_tag: bag.to_owned(),
        flight: flt.to_owned(),
        issued_at: iat,
        expires_at: exp,
    })
}
