//! Path parameters, checked with the library's rules (`docs/api.md`'s bounds) before
//! anything touches the store.

use crate::errors::{ApiError, ErrorCode};

/// `s` when `ok`, else `bad_request` with `rule` as the message.
fn checked<'a>(s: &'a str, ok: bool, rule: &str) -> Result<&'a str, ApiError> {
    if ok {
        Ok(s)
    } else {
        Err(ApiError::new(ErrorCode::BadRequest, rule))
    }
}

/// Bag tags are 1–20 characters of A–Z, a–z, 0–9.
///
/// ```
/// use sealmatch_server::validate::bag_tag;
/// assert!(bag_tag("0117123456").is_ok());
/// assert!(bag_tag("").is_err());
/// assert!(bag_tag("01171-23456").is_err());
/// ```
pub fn bag_tag(s: &str) -> Result<&str, ApiError> {
    checked(
        s,
        sealmatch::token::is_valid_bag_tag(s),
        "bagTag must be 1-20 characters of A-Z, a-z, 0-9",
    )
}

/// Booking references follow the bag-tag rule (a check-in token's header `bag`
/// is the booking reference): 1–20 characters of A–Z, a–z, 0–9.
///
/// ```
/// use sealmatch_server::validate::booking_ref;
/// assert!(booking_ref("ABC123").is_ok());
/// assert!(booking_ref("ABC-123").is_err());
/// ```
pub fn booking_ref(s: &str) -> Result<&str, ApiError> {
    checked(
        s,
        sealmatch::token::is_valid_bag_tag(s),
        "bookingRef must be 1-20 characters of A-Z, a-z, 0-9",
    )
}

/// Flights are 2–8 characters of A–Z, 0–9.
///
/// ```
/// use sealmatch_server::validate::flight;
/// assert!(flight("SK1415").is_ok());
/// assert!(flight("sk1415").is_err());
/// assert!(flight("S").is_err());
/// ```
pub fn flight(s: &str) -> Result<&str, ApiError> {
    checked(
        s,
        sealmatch::token::is_valid_flight(s),
        "flight must be 2-8 characters of A-Z, 0-9",
    )
}
