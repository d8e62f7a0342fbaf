//! The character rules for bag tags and flights, shared by argument checking
//! (`INVALID_ARGUMENT`) and token header checking (`TOKEN_MALFORMED`).

/// Shortest and longest bag tag.
pub const BAG_TAG_LEN: std::ops::RangeInclusive<usize> = 1..=20;

/// Shortest and longest flight.
pub const FLIGHT_LEN: std::ops::RangeInclusive<usize> = 2..=8;

/// Longest token life, seconds (`exp - iat`), and the largest `ttlSeconds`.
pub const MAX_TTL_SECONDS: u64 = 86_400;

/// Largest time value (seconds) a header may carry: 2^53, the largest integer
/// every JSON implementation (JavaScript's included) holds exactly.
pub const MAX_TIME: u64 = 1 << 53;

/// Whether `s` is a valid bag tag: 1–20 characters of A–Z, a–z, 0–9.
///
/// ```
/// use sealmatch::token::is_valid_bag_tag;
/// assert!(is_valid_bag_tag("0117123456"));
/// assert!(!is_valid_bag_tag("0117-123456"));
/// ```
pub fn is_valid_bag_tag(s: &str) -> bool {
    BAG_TAG_LEN.contains(&s.len()) && s.bytes().all(|c| c.is_ascii_alphanumeric())
}

/// Whether `s` is a valid flight: 2–8 characters of A–Z, 0–9.
///
/// ```
/// use sealmatch::token::is_valid_flight;
/// assert!(is_valid_flight("SK1415"));
/// assert!(!is_valid_flight("sk1415"));
/// ```
pub fn is_valid_flight(s: &str) -> bool {
    FLIGHT_LEN.contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}
