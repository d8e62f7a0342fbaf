//! The protected header: its fields, its one JSON spelling, and its strict parser.

use serde_json::{Map, Value};

use super::fields::{is_valid_bag_tag, is_valid_flight, MAX_TIME, MAX_TTL_SECONDS};
use crate::error::{err, ErrorCode, Result};

/// `alg` of every token: the content key is the passenger key itself.
pub const ALG: &str = "dir";
/// `enc` of every token.
pub const ENC: &str = "A256GCM";
/// `typ` of every token.
pub const TYP: &str = "sealmatch+jwe";
/// The token format version this library reads and writes.
pub const VERSION: u32 = 1;

/// The fields every header has, no more, no fewer.
const FIELDS: [&str; 8] = ["alg", "enc", "typ", "v", "bag", "flt", "iat", "exp"];

/// The public header of a token: what [`crate::token::inspect`] returns.
/// Nothing in it is secret or biometric.
///
/// ```
/// use sealmatch::token::TokenHeader;
/// let h = TokenHeader::new("0117123456", "SK1415", 1_700_000_000, 1_700_003_600);
/// assert_eq!(h.version, 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenHeader {
    /// Token format version (`v`), always 1 here.
    pub version: u32,
    /// Bag tag the token is bound to (`bag`).
    pub bag_tag: String,
    /// Flight the token is bound to (`flt`).
    pub flight: String,
    /// Issue time, Unix seconds (`iat`).
    pub issued_at: u64,
    /// Expiry, Unix seconds (`exp`); the token is refused from this second on.
    pub expires_at: u64,
}

impl TokenHeader {
    /// A version-1 header.
    pub fn new(bag_tag: &str, flight: &str, issued_at: u64, expires_at: u64) -> TokenHeader {
        TokenHeader {
            version: VERSION,
            bag_tag: bag_tag.to_owned(),
            flight: flight.to_owned(),
            issued_at,
            expires_at,
        }
    }

    /// Checks the values every version-1 header must have. `code` is the error
    /// code to report (`INVALID_ARGUMENT` when sealing, `TOKEN_MALFORMED` when
    /// reading).
    pub(crate) fn check_values(&self, code: ErrorCode) -> Result<()> {
        if self.version != VERSION {
            return err(code, "token version must be 1");
        }
        if !is_valid_bag_tag(&self.bag_tag) {
            return err(code, "bag tag must be 1-20 characters of A-Z, a-z, 0-9");
        }
        if !is_valid_flight(&self.flight) {
            return err(code, "flight must be 2-8 characters of A-Z, 0-9");
        }
        if self.issued_at > MAX_TIME || self.expires_at > MAX_TIME {
            return err(code, "iat and exp must be at most 2^53");
        }
        if self.expires_at <= self.issued_at || self.expires_at - self.issued_at > MAX_TTL_SECONDS {
            return err(code, "exp must be 1 to 86400 seconds after iat");
        }
        Ok(())
    }

    /// The header's one JSON spelling (fields in a fixed order, no spaces).
    pub(crate) fn to_json(&self) -> String {
        // Bag tag and flight are checked alphanumerics: nothing to escape.
        format!(
            r#"{{"alg":"{ALG}","enc":"{ENC}","typ":"{TYP}","v":{},"bag":"{}","flt":"{}","iat":{},"exp":{}}}"#,
            self.version, self.bag_tag, self.flight, self.issued_at, self.expires_at
        )
    }

    /// Parses and checks header JSON. `TOKEN_UNSUPPORTED` for another `v`,
    /// `alg` or `enc`; `TOKEN_MALFORMED` for anything else that is wrong:
    /// not a JSON object, a duplicate, missing or extra member, a wrong type,
    /// or a value outside the rules.
    pub(crate) fn from_json(bytes: &[u8]) -> Result<TokenHeader> {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return malformed("header is not UTF-8");
        };
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
            return malformed("header is not a JSON object");
        };
        if has_duplicate_member(text)? {
            return malformed("header has a duplicate member");
        }
        // Version, algorithm and encryption first: a token of another version
        // may legitimately have other members.
        match map.get("v") {
            Some(v) if v.as_u64() == Some(u64::from(VERSION)) => {}
            Some(v) if v.as_u64().is_some() => {
                return err(ErrorCode::TokenUnsupported, "unsupported token version")
            }
            _ => return malformed("header v must be a non-negative integer"),
        }
        for (name, want) in [("alg", ALG), ("enc", ENC)] {
            match map.get(name) {
                Some(Value::String(s)) if s == want => {}
                Some(Value::String(_)) => {
                    return err(
                        ErrorCode::TokenUnsupported,
                        format!("unsupported {name} (want {want})"),
                    )
                }
                _ => return malformed("header alg and enc must be strings"),
            }
        }
        if map.len() != FIELDS.len() || !FIELDS.iter().all(|f| map.contains_key(*f)) {
            return malformed("header must have exactly alg, enc, typ, v, bag, flt, iat, exp");
        }
        if get_str(&map, "typ")? != TYP {
            return malformed("header typ must be sealmatch+jwe");
        }
        let header = TokenHeader {
            version: VERSION,
            bag_tag: get_str(&map, "bag")?.to_owned(),
            flight: get_str(&map, "flt")?.to_owned(),
            issued_at: get_time(&map, "iat")?,
            expires_at: get_time(&map, "exp")?,
        };
        header.check_values(ErrorCode::TokenMalformed)?;
        Ok(header)
    }
}

fn malformed<T>(message: &str) -> Result<T> {
    err(ErrorCode::TokenMalformed, message)
}

fn get_str<'a>(map: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    match map.get(name) {
        Some(Value::String(s)) => Ok(s),
        _ => malformed("header typ, bag and flt must be strings"),
    }
}

fn get_time(map: &Map<String, Value>, name: &str) -> Result<u64> {
    // `as_u64` is `Some` only for a JSON number written as a non-negative
    // integer (no fraction, no exponent).
    match map.get(name).and_then(Value::as_u64) {
        Some(t) if t <= MAX_TIME => Ok(t),
        _ => malformed("header iat and exp must be integers from 0 to 2^53"),
    }
}

/// Whether the top-level object of `text` (already known to be valid JSON) has
/// two members with the same name. serde_json keeps the last of duplicates, so
/// a header `{"bag":"A",...,"bag":"B"}` would otherwise read differently in
/// different JSON libraries.
fn has_duplicate_member(text: &str) -> Result<bool> {
    let bytes = text.as_bytes();
    let mut names: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    // At depth 1, a string followed (after whitespace) by ':' is a member name.
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(bytes.len());
                let mut j = end;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if depth == 1 && bytes.get(j) == Some(&b':') {
                    let literal = text.get(start..end).unwrap_or("");
                    let Ok(name) = serde_json::from_str::<String>(literal) else {
                        return malformed("header member name is not a JSON string");
                    };
                    if names.contains(&name) {
                        return Ok(true);
                    }
                    if names.len() > FIELDS.len() {
                        // Too many members anyway; the caller reports that.
                        return Ok(false);
                    }
                    names.push(name);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<TokenHeader> {
        TokenHeader::from_json(json.as_bytes())
    }

    const GOOD: &str = r#"{"alg":"dir","enc":"A256GCM","typ":"sealmatch+jwe","v":1,"bag":"B1","flt":"SK1","iat":10,"exp":20}"#;

    #[test]
    fn good_header_round_trips() {
        let h = parse(GOOD).unwrap();
        assert_eq!(h.to_json(), GOOD);
        let spaced = GOOD.replace(',', " ,\n ").replace(':', " : ");
        assert_eq!(parse(&spaced).unwrap(), h);
    }

    #[test]
    fn duplicates_are_malformed() {
        let dup = GOOD.replace(r#""bag":"B1""#, r#""bag":"B1","bag":"B2""#);
        assert_eq!(parse(&dup).unwrap_err().code(), ErrorCode::TokenMalformed);
        let escaped = GOOD.replace(r#""bag":"B1""#, r#""bag":"B1","b\u0061g":"B2""#);
        assert_eq!(
            parse(&escaped).unwrap_err().code(),
            ErrorCode::TokenMalformed
        );
        // A nested name equal to a top-level one is not a duplicate member.
        let nested = GOOD.replace(r#""v":1"#, r#""v":2,"x":{"bag":"q"}"#);
        assert_eq!(
            parse(&nested).unwrap_err().code(),
            ErrorCode::TokenUnsupported
        );
    }

    #[test]
    fn versions_and_algorithms() {
        let cases = [
            (r#""v":1"#, r#""v":99"#, ErrorCode::TokenUnsupported),
            (r#""v":1"#, r#""v":"1""#, ErrorCode::TokenMalformed),
            (r#""v":1"#, r#""v":1.0"#, ErrorCode::TokenMalformed),
            (r#""v":1"#, r#""v":-1"#, ErrorCode::TokenMalformed),
            (
                r#""alg":"dir""#,
                r#""alg":"A256KW""#,
                ErrorCode::TokenUnsupported,
            ),
            (
                r#""enc":"A256GCM""#,
                r#""enc":"A128GCM""#,
                ErrorCode::TokenUnsupported,
            ),
            (
                r#""enc":"A256GCM""#,
                r#""enc":1"#,
                ErrorCode::TokenMalformed,
            ),
            (
                r#""typ":"sealmatch+jwe""#,
                r#""typ":"JWT""#,
                ErrorCode::TokenMalformed,
            ),
            (r#""iat":10"#, r#""iat":1e1"#, ErrorCode::TokenMalformed),
            (r#""iat":10"#, r#""iat":-10"#, ErrorCode::TokenMalformed),
            (
                r#""exp":20"#,
                r#""exp":9007199254740993"#,
                ErrorCode::TokenMalformed,
            ),
            (r#""exp":20"#, r#""exp":10"#, ErrorCode::TokenMalformed),
            (r#""exp":20"#, r#""exp":86411"#, ErrorCode::TokenMalformed),
            (r#""bag":"B1""#, r#""bag":"B-1""#, ErrorCode::TokenMalformed),
            (r#""bag":"B1""#, r#""bag":"""#, ErrorCode::TokenMalformed),
            (
                r#""flt":"SK1""#,
                r#""flt":"sk1""#,
                ErrorCode::TokenMalformed,
            ),
            (r#""flt":"SK1""#, r#""flt":null"#, ErrorCode::TokenMalformed),
            (
                r#""flt":"SK1""#,
                r#""flt":"SK1","x":0"#,
                ErrorCode::TokenMalformed,
            ),
            (r#""flt":"SK1","#, "", ErrorCode::TokenMalformed),
        ];
        for (from, to, code) in cases {
            let json = GOOD.replace(from, to);
            assert_ne!(json, GOOD);
            assert_eq!(parse(&json).unwrap_err().code(), code, "{json}");
        }
        for bad in ["", "[]", "1", "{", "{}", "\u{0}", "{\"v\":1}x"] {
            assert_eq!(parse(bad).unwrap_err().code(), ErrorCode::TokenMalformed);
        }
    }
}
