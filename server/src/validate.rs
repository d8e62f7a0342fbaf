//! Path parameters, checked with the library's rules (`docs/api.md`'s bounds) before
//! anything touches the store.

use crate::errors::{ApiError, ErrorCode};

/// Bag tags are 1–20 characters of A–Z, a–z, 0–9.
///
/// ```
/// use sealmatch_server::validate::bag_tag;
/// assert!(bag_tag("0117123456").is_ok());
/// assert!(bag_tag("").is_err());
/// assert!(bag_tag("01171-23456").is_err());
/// ```
pub fn bag_tag(s: &str) -> Result<&str, ApiError> {
    if sealmatch::token::is_valid_bag_tag(s) {
        Ok(s)
    } else {
        Err(ApiError::new(
            ErrorCode::BadRequest,
            "bagTag must be 1-20 characters of A-Z, a-z, 0-9",
        ))
    }
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
    if sealmatch::token::is_valid_flight(s) {
        Ok(s)
    } else {
        Err(ApiError::new(
            ErrorCode::BadRequest,
            "flight must be 2-8 characters of A-Z, 0-9",
        ))
    }
}
