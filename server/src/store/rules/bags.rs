//! The rules of a bag's record: what storing, fetching, a challenge and a
//! boarding report change, and what they answer.

use crate::audit::Event;
use crate::bags::{BagState, Boarding, BoardingOutcome, MAX_FAILED_ATTEMPTS};
use crate::errors::{ApiError, ErrorCode};
use crate::gates::Challenge;
use crate::store::{Outcome, PutOutcome};
use crate::tokencheck::TokenFacts;

/// Why a bag's token is gone (`token_gone_why`).
pub(crate) const BOARDED: &str = "boarded";
pub(crate) const FAILED: &str = "failed_attempts";
pub(crate) const EXPIRED: &str = "expired";

/// A bag's row, as a backend reads it.
pub(crate) struct BagRow {
    pub token: Option<String>,
    pub expires_at: i64,
    pub failed_attempts: u32,
    pub boarded_at: Option<i64>,
    pub token_gone_why: Option<String>,
    pub challenge: Option<String>,
    pub challenge_until: Option<i64>,
}

/// One change to a bag's row (and its audit event), applied in order.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BagChange<'a> {
    /// The token is deleted at its expiry; audited `expired`.
    Expire,
    /// A fresh record for this token (replacing an expired one); audited `stored`.
    Store {
        token: &'a str,
        facts: &'a TokenFacts,
    },
    /// Audited `fetched`.
    Fetched,
    /// The bag's one-time boarding challenge becomes this one.
    SetChallenge(&'a Challenge),
    /// The challenge is used up.
    ClearChallenge,
    /// Boarded (after a match or a manual check); the challenge is cleared;
    /// audited `boarded` or `manual`.
    Board(Boarding),
    /// Failed attempts become this many; audited `failed_attempt`.
    CountFailure(u32),
    /// The token is deleted for this reason ([`BOARDED`], [`FAILED`]); audited `deleted`.
    DeleteToken(&'static str),
}

impl BagChange<'_> {
    /// The audit event that goes with the change, if any.
    pub(crate) fn event(&self) -> Option<Event> {
        match self {
            BagChange::Expire => Some(Event::Expired),
            BagChange::Store { .. } => Some(Event::Stored),
            BagChange::Fetched => Some(Event::Fetched),
            BagChange::Board(Boarding::Manual) => Some(Event::Manual),
            BagChange::Board(_) => Some(Event::Boarded),
            BagChange::CountFailure(_) => Some(Event::FailedAttempt),
            BagChange::DeleteToken(_) => Some(Event::Deleted),
            BagChange::SetChallenge(_) | BagChange::ClearChallenge => None,
        }
    }
}

impl BagRow {
    /// The state reconciliation reports.
    pub(crate) fn state(&self, now: i64) -> BagState {
        if self.boarded_at.is_some() {
            BagState::Boarded
        } else if now >= self.expires_at {
            BagState::Expired
        } else {
            BagState::Waiting
        }
    }

    fn why_no_token(&self) -> ApiError {
        let msg = match self.token_gone_why.as_deref() {
            Some(BOARDED) => "the bag is boarded; its token was deleted",
            Some(FAILED) => {
                "the token was deleted after three failed attempts; a manual ID check is required"
            }
            Some(EXPIRED) => "the token has expired and was deleted",
            _ => "no token for this bag",
        };
        ApiError::new(ErrorCode::NotFound, msg)
    }
}

fn never_stored() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no token was stored for this bag")
}

fn expired_now() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "the token has expired and was deleted")
}

fn already_boarded() -> ApiError {
    ApiError::new(ErrorCode::Conflict, "this bag is already boarded")
}

/// See [`crate::store::Store::put_token`]. An `Err` changes nothing.
pub(crate) fn put<'a>(
    row: Option<&BagRow>,
    token: &'a str,
    facts: &'a TokenFacts,
    now: i64,
) -> Result<(Vec<BagChange<'a>>, PutOutcome), ApiError> {
    let store = BagChange::Store { token, facts };
    let conflict = |msg: &str| Err(ApiError::new(ErrorCode::Conflict, msg));
    match row {
        None => Ok((vec![store], PutOutcome::Created)),
        Some(row) if row.token.as_deref() == Some(token) => Ok((vec![], PutOutcome::Unchanged)),
        Some(row) if row.boarded_at.is_some() => Err(already_boarded()),
        Some(row) if row.token.is_some() && now >= row.expires_at => {
            Ok((vec![BagChange::Expire, store], PutOutcome::Replaced))
        }
        Some(row) if row.token.is_some() => conflict("this bag already has another token"),
        Some(row) if row.token_gone_why.as_deref() == Some(EXPIRED) => {
            Ok((vec![store], PutOutcome::Replaced))
        }
        Some(_) => conflict("this bag's token was deleted after three failed attempts"),
    }
}

/// See [`crate::store::Store::get_token`]: the changes, and the token or the refusal.
pub(crate) fn get<'a>(
    row: Option<&BagRow>,
    challenge: Option<&'a Challenge>,
    now: i64,
) -> Result<(Vec<BagChange<'a>>, Outcome<String>), ApiError> {
    let row = row.ok_or_else(never_stored)?;
    Ok(match &row.token {
        Some(_) if now >= row.expires_at => {
            (vec![BagChange::Expire], Outcome::Refused(expired_now()))
        }
        Some(t) => {
            let mut changes: Vec<BagChange<'a>> =
                challenge.map(BagChange::SetChallenge).into_iter().collect();
            changes.push(BagChange::Fetched);
            (changes, Outcome::Done(t.clone()))
        }
        None => (vec![], Outcome::Refused(row.why_no_token())),
    })
}

/// See [`crate::store::Store::issue_challenge`].
pub(crate) fn issue_challenge<'a>(
    row: Option<&BagRow>,
    challenge: &'a Challenge,
) -> Result<Vec<BagChange<'a>>, ApiError> {
    let row = row.ok_or_else(never_stored)?;
    if row.boarded_at.is_some() {
        return Err(already_boarded());
    }
    Ok(vec![BagChange::SetChallenge(challenge)])
}

/// See [`crate::store::Store::board`]: the changes, and the answer.
pub(crate) fn board(
    bag: &str,
    row: Option<&BagRow>,
    report: Boarding,
    challenge: Option<&str>,
    now: i64,
) -> Result<(Vec<BagChange<'static>>, Outcome<BoardingOutcome>), ApiError> {
    let row = row.ok_or_else(never_stored)?;
    let mut changes = Vec::new();
    let refuse = |changes, e| Ok((changes, Outcome::Refused(e)));
    if let (Some(c), None) = (challenge, row.boarded_at) {
        let live = row.challenge.as_deref() == Some(c)
            && row.challenge_until.is_some_and(|until| now < until);
        if !live {
            return refuse(
                changes,
                ApiError::new(
                    ErrorCode::BadProof,
                    "the challenge is unknown, used or expired; fetch a new one",
                ),
            );
        }
        changes.push(BagChange::ClearChallenge);
    }
    let mut failed = row.failed_attempts;
    let mut token_stored = row.token.is_some();
    if row.boarded_at.is_none() && token_stored && now >= row.expires_at {
        changes.push(BagChange::Expire);
        token_stored = false;
        if report != Boarding::Manual {
            return refuse(changes, expired_now());
        }
    }
    let mut boarded = row.boarded_at.is_some();
    match report {
        Boarding::Matched | Boarding::Manual if boarded => {}
        Boarding::NotMatched if boarded => return refuse(changes, already_boarded()),
        Boarding::Matched | Boarding::NotMatched if !token_stored => {
            return refuse(changes, row.why_no_token());
        }
        Boarding::Matched | Boarding::Manual => {
            changes.push(BagChange::Board(report));
            if token_stored {
                changes.push(BagChange::DeleteToken(BOARDED));
                token_stored = false;
            }
            boarded = true;
        }
        Boarding::NotMatched => {
            failed += 1;
            changes.push(BagChange::CountFailure(failed));
            if failed >= MAX_FAILED_ATTEMPTS {
                changes.push(BagChange::DeleteToken(FAILED));
                token_stored = false;
            }
        }
    }
    let state = if boarded {
        BagState::Boarded
    } else if now >= row.expires_at {
        BagState::Expired
    } else {
        BagState::Waiting
    };
    let outcome = BoardingOutcome {
        bag_tag: bag.to_owned(),
        state,
        failed_attempts: failed,
        attempts_left: if token_stored {
            MAX_FAILED_ATTEMPTS.saturating_sub(failed)
        } else {
            0
        },
        token_stored,
        manual_check_required: !boarded && !token_stored,
    };
    Ok((changes, Outcome::Done(outcome)))
}

/// `boarded_by` of a boarding report that boards the bag: `match` or `manual`.
pub(crate) fn boarded_by(report: Boarding) -> &'static str {
    if report == Boarding::Manual {
        "manual"
    } else {
        "match"
    }
}

/// The log line of a bag event, logged once its transaction commits (the
/// event and the bag tag only).
pub(crate) fn log_line(event: Event, bag: &str) -> String {
    format!("event={} bag={bag}", event.as_str())
}
