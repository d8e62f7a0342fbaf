//! Check-in tokens (web check-in with the face): a sealed token enrolled at
//! home, bound to a booking reference, kept until the passenger is verified
//! at bag drop.
//!
//! A check-in token is an ordinary sealmatch token whose header `bag` is the
//! booking reference, so the server admits it exactly as a bag token
//! ([`crate::tokencheck::admit`]). Its life: stored at check-in (`PUT`),
//! fetched by the bag-drop kiosk (`GET`), deleted when the kiosk reports a
//! match (`used`), after the third non-match (`deleted`, staff required), or
//! at its `exp` (the sweeper). The kiosk then seals bag tokens of its own.
//!
//! - this module: the domain types (events, states, reports and answers);
//! - [`api`]: the `/api/checkins/{bookingRef}/...` handlers.

pub mod api;

use serde::Serialize;

pub use crate::bags::MAX_FAILED_ATTEMPTS;

/// What happened to a check-in token (the `checkin_audit` log holds the
/// event, the booking reference and the time, nothing else).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckinEvent {
    /// A token was stored at web check-in.
    Stored,
    /// A bag-drop kiosk fetched the token.
    Fetched,
    /// The kiosk verified the passenger; the token is used up.
    Used,
    /// The kiosk reported a non-match.
    FailedAttempt,
    /// The token was deleted (once used, or after the third failed attempt).
    Deleted,
    /// The token reached its expiry and was deleted.
    Expired,
}

impl CheckinEvent {
    /// The name stored in the log.
    ///
    /// ```
    /// use sealmatch_server::checkins::CheckinEvent;
    /// assert_eq!(CheckinEvent::FailedAttempt.as_str(), "failed_attempt");
    /// assert_eq!(CheckinEvent::Used.as_str(), "used");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinEvent::Stored => "stored",
            CheckinEvent::Fetched => "fetched",
            CheckinEvent::Used => "used",
            CheckinEvent::FailedAttempt => "failed_attempt",
            CheckinEvent::Deleted => "deleted",
            CheckinEvent::Expired => "expired",
        }
    }
}

/// One row of the check-in audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckinAuditEntry {
    /// Unix seconds.
    pub at: i64,
    /// Event name (see [`CheckinEvent::as_str`]).
    pub event: String,
    /// The booking reference.
    pub booking_ref: String,
}

/// A bag-drop kiosk's report on the passenger of a booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BagDrop {
    /// `verify` matched: the kiosk has stored the bag tokens; the check-in
    /// token is used up.
    Matched,
    /// `verify` did not match.
    NotMatched,
}

/// A check-in token's state after a bag-drop report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckinState {
    /// The token is stored and can still be used.
    Stored,
    /// The passenger was verified at bag drop; the token was deleted.
    Used,
    /// The token was deleted after three failed attempts: staff must help.
    Deleted,
}

/// The answer to `POST /api/checkins/{bookingRef}/bagdrop`.
///
/// ```
/// use sealmatch_server::checkins::{BagDropOutcome, CheckinState};
/// let o = BagDropOutcome::new("ABC123", CheckinState::Stored, 1);
/// assert_eq!(o.attempts_left, 2);
/// let v = serde_json::to_value(&o).unwrap();
/// assert_eq!(v["bookingRef"], "ABC123");
/// assert_eq!(v["staffRequired"], false);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BagDropOutcome {
    /// The booking reference.
    pub booking_ref: String,
    /// The token's state now.
    pub state: CheckinState,
    /// Non-matches counted so far.
    pub failed_attempts: u32,
    /// Non-matches left before the token is deleted (0 once it is gone).
    pub attempts_left: u32,
    /// True when the token was deleted after three failures: only staff can
    /// check the passenger in now.
    pub staff_required: bool,
}

impl BagDropOutcome {
    /// The answer for a token in `state` after `failed_attempts` non-matches.
    pub fn new(booking_ref: &str, state: CheckinState, failed_attempts: u32) -> BagDropOutcome {
        let stored = state == CheckinState::Stored;
        BagDropOutcome {
            booking_ref: booking_ref.to_owned(),
            state,
            failed_attempts,
            attempts_left: if stored {
                MAX_FAILED_ATTEMPTS.saturating_sub(failed_attempts)
            } else {
                0
            },
            staff_required: state == CheckinState::Deleted,
        }
    }
}
