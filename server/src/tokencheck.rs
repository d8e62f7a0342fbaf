//! Token admission: the structural check of the library (`inspectToken`), plus the
//! server's own rules (bag in the path, not expired, expiry within the library's
//! maximum lifetime). The server never opens a token: it has no key.

use crate::errors::{ApiError, ErrorCode};

/// The longest token lifetime the library issues (`ttlSeconds` ≤ 86400).
pub const MAX_TTL_SECONDS: i64 = sealmatch::token::MAX_TTL_SECONDS as i64;
/// Tolerated clock difference between a kiosk and the server.
pub const CLOCK_SKEW_SECONDS: i64 = 300;

/// The header fields the server keeps next to a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenFacts {
    /// `bag`
    pub bag_tag: String,
    /// `flt`
    pub flight: String,
    /// `iat`, Unix seconds
    pub issued_at: i64,
    /// `exp`, Unix seconds
    pub expires_at: i64,
}

/// The one place the server calls the library's token inspection.
fn inspect(token: &str) -> Result<TokenFacts, sealmatch::Error> {
    let h = sealmatch::token::inspect(token)?;
    // The library bounds iat and exp to 2^53, so they fit an i64.
    Ok(TokenFacts {
        bag_tag: h.bag_tag,
        flight: h.flight,
        issued_at: i64::try_from(h.issued_at).unwrap_or(i64::MAX),
        expires_at: i64::try_from(h.expires_at).unwrap_or(i64::MAX),
    })
}

/// Checks a token body for `PUT /api/bags/{bag}/token` at time `now`.
///
/// Order: structure (`bad_token`) → bag (`wrong_bag`) → expiry (`expired`) →
/// plausibility of the times (`bad_token`).
pub fn admit(token: &str, bag: &str, now: i64) -> Result<TokenFacts, ApiError> {
    let facts = inspect(token).map_err(|e| match e.code() {
        sealmatch::ErrorCode::WrongBag => ApiError::new(ErrorCode::WrongBag, e.message()),
        sealmatch::ErrorCode::TokenExpired => ApiError::new(ErrorCode::Expired, e.message()),
        _ => ApiError::new(ErrorCode::BadToken, e.to_string()),
    })?;
    if crate::validate::bag_tag(&facts.bag_tag).is_err()
        || crate::validate::flight(&facts.flight).is_err()
    {
        return Err(ApiError::new(
            ErrorCode::BadToken,
            "token header has a malformed bag or flight",
        ));
    }
    if facts.bag_tag != bag {
        return Err(ApiError::new(
            ErrorCode::WrongBag,
            "the token belongs to another bag",
        ));
    }
    if now >= facts.expires_at {
        return Err(ApiError::new(ErrorCode::Expired, "the token has expired"));
    }
    if facts.expires_at <= facts.issued_at
        || facts.expires_at - facts.issued_at > MAX_TTL_SECONDS
        || facts.expires_at > now.saturating_add(MAX_TTL_SECONDS + CLOCK_SKEW_SECONDS)
        || facts.issued_at > now.saturating_add(CLOCK_SKEW_SECONDS)
    {
        return Err(ApiError::new(
            ErrorCode::BadToken,
            "token times are implausible (issued in the future, or lifetime over 86400 s)",
        ));
    }
    Ok(facts)
}
