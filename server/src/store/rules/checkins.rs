//! The rules of a booking's check-in record: what storing, fetching and a
//! bag-drop report change, and what they answer.

use crate::checkins::{BagDrop, BagDropOutcome, CheckinEvent, CheckinState, MAX_FAILED_ATTEMPTS};
use crate::errors::{ApiError, ErrorCode};
use crate::store::{Outcome, PutOutcome};
use crate::tokencheck::TokenFacts;

/// Why a booking's token is gone (`token_gone_why`).
pub(crate) const USED: &str = "used";
pub(crate) const FAILED: &str = "failed_attempts";
pub(crate) const EXPIRED: &str = "expired";

/// A booking's row, as a backend reads it.
pub(crate) struct CheckinRow {
    pub token: Option<String>,
    pub expires_at: i64,
    pub failed_attempts: u32,
    pub token_gone_why: Option<String>,
}

/// One change to a booking's row (and its audit events), applied in order.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CheckinChange<'a> {
    /// The token is deleted at its expiry; audited `expired`.
    Expire,
    /// A fresh record for this token (replacing an expired one); audited `stored`.
    Store {
        token: &'a str,
        facts: &'a TokenFacts,
    },
    /// Audited `fetched`.
    Fetched,
    /// The token is used up at bag drop and deleted; audited `used`, `deleted`.
    Use,
    /// Failed attempts become this many; audited `failed_attempt`.
    CountFailure(u32),
    /// The token is deleted after the failed attempts; audited `deleted`.
    DeleteFailed,
}

impl CheckinChange<'_> {
    /// The audit events that go with the change, in order.
    pub(crate) fn events(&self) -> &'static [CheckinEvent] {
        match self {
            CheckinChange::Expire => &[CheckinEvent::Expired],
            CheckinChange::Store { .. } => &[CheckinEvent::Stored],
            CheckinChange::Fetched => &[CheckinEvent::Fetched],
            CheckinChange::Use => &[CheckinEvent::Used, CheckinEvent::Deleted],
            CheckinChange::CountFailure(_) => &[CheckinEvent::FailedAttempt],
            CheckinChange::DeleteFailed => &[CheckinEvent::Deleted],
        }
    }
}

impl CheckinRow {
    fn gone_why(&self) -> Option<&str> {
        self.token_gone_why.as_deref()
    }

    fn why_no_token(&self) -> ApiError {
        let msg = match self.gone_why() {
            Some(USED) => "the check-in token was used at bag drop and deleted",
            Some(FAILED) => {
                "the check-in token was deleted after three failed attempts; staff must check the passenger in"
            }
            Some(EXPIRED) => "the check-in token has expired and was deleted",
            _ => return never_stored(),
        };
        ApiError::new(ErrorCode::NotFound, msg)
    }
}

fn never_stored() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "no check-in token was stored for this booking reference",
    )
}

fn expired_now() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "the check-in token has expired and was deleted",
    )
}

/// See [`crate::store::Store::put_checkin`]. An `Err` changes nothing.
pub(crate) fn put<'a>(
    row: Option<&CheckinRow>,
    token: &'a str,
    facts: &'a TokenFacts,
    now: i64,
) -> Result<(Vec<CheckinChange<'a>>, PutOutcome), ApiError> {
    let store = CheckinChange::Store { token, facts };
    let conflict = |msg: &str| Err(ApiError::new(ErrorCode::Conflict, msg));
    match row {
        None => Ok((vec![store], PutOutcome::Created)),
        Some(row) if row.token.as_deref() == Some(token) => Ok((vec![], PutOutcome::Unchanged)),
        Some(row) if row.token.is_some() && now >= row.expires_at => {
            Ok((vec![CheckinChange::Expire, store], PutOutcome::Replaced))
        }
        Some(row) if row.token.is_some() => {
            conflict("this booking already has another check-in token")
        }
        Some(row) if row.gone_why() == Some(EXPIRED) => Ok((vec![store], PutOutcome::Replaced)),
        Some(row) if row.gone_why() == Some(USED) => {
            conflict("this booking's check-in token was already used at bag drop")
        }
        Some(_) => {
            conflict("this booking's check-in token was deleted after three failed attempts")
        }
    }
}

/// See [`crate::store::Store::get_checkin`]: the changes, and the token or the refusal.
pub(crate) fn get(
    row: Option<&CheckinRow>,
    now: i64,
) -> (Vec<CheckinChange<'static>>, Outcome<String>) {
    let Some(row) = row else {
        return (vec![], Outcome::Refused(never_stored()));
    };
    match &row.token {
        Some(_) if now >= row.expires_at => {
            (vec![CheckinChange::Expire], Outcome::Refused(expired_now()))
        }
        Some(t) => (vec![CheckinChange::Fetched], Outcome::Done(t.clone())),
        None => (vec![], Outcome::Refused(row.why_no_token())),
    }
}

/// See [`crate::store::Store::bag_drop`]: the changes, and the answer.
pub(crate) fn bag_drop(
    booking: &str,
    row: Option<&CheckinRow>,
    report: BagDrop,
    now: i64,
) -> Result<(Vec<CheckinChange<'static>>, Outcome<BagDropOutcome>), ApiError> {
    let row = row.ok_or_else(never_stored)?;
    let failed = row.failed_attempts;
    if row.token.is_none() {
        let outcome = match (report, row.gone_why()) {
            (BagDrop::Matched, Some(USED)) => {
                Outcome::Done(BagDropOutcome::new(booking, CheckinState::Used, failed))
            }
            _ => Outcome::Refused(row.why_no_token()),
        };
        return Ok((vec![], outcome));
    }
    if now >= row.expires_at {
        return Ok((vec![CheckinChange::Expire], Outcome::Refused(expired_now())));
    }
    let (changes, state, failed) = match report {
        BagDrop::Matched => (vec![CheckinChange::Use], CheckinState::Used, failed),
        BagDrop::NotMatched if failed + 1 >= MAX_FAILED_ATTEMPTS => (
            vec![
                CheckinChange::CountFailure(failed + 1),
                CheckinChange::DeleteFailed,
            ],
            CheckinState::Deleted,
            failed + 1,
        ),
        BagDrop::NotMatched => (
            vec![CheckinChange::CountFailure(failed + 1)],
            CheckinState::Stored,
            failed + 1,
        ),
    };
    Ok((
        changes,
        Outcome::Done(BagDropOutcome::new(booking, state, failed)),
    ))
}

/// The log line of a check-in event, logged once its transaction commits
/// (the event and the booking reference only).
pub(crate) fn log_line(event: CheckinEvent, booking_ref: &str) -> String {
    format!("event=checkin_{} booking={booking_ref}", event.as_str())
}
