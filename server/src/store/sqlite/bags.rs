//! The `bags` table: each bag's token, header facts and boarding state, and
//! the operations on it (the bag half of [`crate::store::Store`]).

use rusqlite::{params, OptionalExtension, Transaction};

use super::db::{Db, Tx};
use crate::audit::Event;
use crate::bags::{
    BagState, BagStatus, Boarding, BoardingOutcome, Reconciliation, MAX_FAILED_ATTEMPTS,
};
use crate::errors::{ApiError, ErrorCode};
use crate::gates::Challenge;
use crate::store::{Outcome, PutOutcome, SweepReport};
use crate::tokencheck::TokenFacts;

struct BagRow {
    token: Option<String>,
    expires_at: i64,
    failed_attempts: u32,
    boarded_at: Option<i64>,
    token_gone_why: Option<String>,
    challenge: Option<String>,
    challenge_until: Option<i64>,
}

impl BagRow {
    fn state(&self, now: i64) -> BagState {
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
            Some("boarded") => "the bag is boarded; its token was deleted",
            Some("failed_attempts") => {
                "the token was deleted after three failed attempts; a manual ID check is required"
            }
            Some("expired") => "the token has expired and was deleted",
            _ => "no token for this bag",
        };
        ApiError::new(ErrorCode::NotFound, msg)
    }
}

impl Db {
    fn load(tx: &Transaction<'_>, bag: &str) -> Result<Option<BagRow>, ApiError> {
        Ok(tx
            .query_row(
                "SELECT token, expires_at, failed_attempts, boarded_at, token_gone_why,
                        challenge, challenge_until
                 FROM bags WHERE bag_tag = ?1",
                params![bag],
                |r| {
                    Ok(BagRow {
                        token: r.get(0)?,
                        expires_at: r.get(1)?,
                        failed_attempts: r.get(2)?,
                        boarded_at: r.get(3)?,
                        token_gone_why: r.get(4)?,
                        challenge: r.get(5)?,
                        challenge_until: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    /// The bag's row; `not_found` when no token was ever stored for it.
    fn load_known(tx: &Transaction<'_>, bag: &str) -> Result<BagRow, ApiError> {
        Self::load(tx, bag)?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no token was stored for this bag"))
    }

    fn delete_token(tx: &Transaction<'_>, bag: &str, why: &str, now: i64) -> Result<(), ApiError> {
        // An expiry is not activity: retention counts from `expires_at` for it.
        tx.execute(
            "UPDATE bags SET token = NULL, token_gone_at = ?2, token_gone_why = ?3,
                 updated_at = CASE WHEN ?3 = 'expired' THEN updated_at ELSE ?2 END
             WHERE bag_tag = ?1 AND token IS NOT NULL",
            params![bag, now, why],
        )?;
        Ok(())
    }

    fn expire(tx: &mut Tx<'_>, bag: &str, now: i64) -> Result<(), ApiError> {
        Self::delete_token(tx, bag, "expired", now)?;
        tx.record(Event::Expired, bag, now)?;
        Ok(())
    }

    /// See [`crate::store::Store::put_token`].
    pub(super) fn put_token(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError> {
        let bag = facts.bag_tag.as_str();
        self.write(|tx| {
            let replace = match Self::load(tx, bag)? {
                None => false,
                Some(row) if row.token.as_deref() == Some(token) => {
                    return Ok(PutOutcome::Unchanged);
                }
                Some(row) if row.boarded_at.is_some() => {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "this bag is already boarded",
                    ));
                }
                Some(row) if row.token.is_some() && now >= row.expires_at => {
                    Self::expire(tx, bag, now)?;
                    true
                }
                Some(row) if row.token.is_some() => {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "this bag already has another token",
                    ));
                }
                Some(row) if row.token_gone_why.as_deref() == Some("expired") => true,
                Some(_) => {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "this bag's token was deleted after three failed attempts",
                    ));
                }
            };
            tx.execute(
                "INSERT OR REPLACE INTO bags
                   (bag_tag, flight, token, issued_at, expires_at, stored_at, failed_attempts,
                    boarded_at, boarded_by, token_gone_at, token_gone_why, updated_at,
                    challenge, challenge_until)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, NULL, NULL, NULL, NULL, ?6, NULL, NULL)",
                params![
                    bag,
                    facts.flight,
                    token,
                    facts.issued_at,
                    facts.expires_at,
                    now
                ],
            )?;
            tx.record(Event::Stored, bag, now)?;
            Ok(if replace {
                PutOutcome::Replaced
            } else {
                PutOutcome::Created
            })
        })
    }

    /// See [`crate::store::Store::get_token`].
    pub(super) fn get_token(
        &self,
        bag: &str,
        challenge: Option<&Challenge>,
        now: i64,
    ) -> Result<String, ApiError> {
        self.write_outcome(|tx| {
            let row = Self::load_known(tx, bag)?;
            match row.token {
                Some(_) if now >= row.expires_at => {
                    Self::expire(tx, bag, now)?;
                    Ok(Outcome::Refused(ApiError::new(
                        ErrorCode::NotFound,
                        "the token has expired and was deleted",
                    )))
                }
                Some(t) => {
                    if let Some(c) = challenge {
                        Self::set_challenge(tx, bag, c)?;
                    }
                    tx.record(Event::Fetched, bag, now)?;
                    Ok(Outcome::Done(t))
                }
                None => Ok(Outcome::Refused(row.why_no_token())),
            }
        })
    }

    fn set_challenge(
        tx: &Transaction<'_>,
        bag: &str,
        challenge: &Challenge,
    ) -> Result<(), ApiError> {
        tx.execute(
            "UPDATE bags SET challenge = ?2, challenge_until = ?3 WHERE bag_tag = ?1",
            params![bag, challenge.value, challenge.expires_at],
        )?;
        Ok(())
    }

    /// See [`crate::store::Store::issue_challenge`].
    pub(super) fn issue_challenge(&self, bag: &str, challenge: &Challenge) -> Result<(), ApiError> {
        self.write(|tx| {
            let row = Self::load_known(tx, bag)?;
            if row.boarded_at.is_some() {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "this bag is already boarded",
                ));
            }
            Self::set_challenge(tx, bag, challenge)
        })
    }

    /// See [`crate::store::Store::board`].
    pub(super) fn board(
        &self,
        bag: &str,
        report: Boarding,
        challenge: Option<&str>,
        now: i64,
    ) -> Result<BoardingOutcome, ApiError> {
        self.write_outcome(|tx| {
            let row = Self::load_known(tx, bag)?;
            if let (Some(c), None) = (challenge, row.boarded_at) {
                let live = row.challenge.as_deref() == Some(c)
                    && row.challenge_until.is_some_and(|until| now < until);
                if !live {
                    return Ok(Outcome::Refused(ApiError::new(
                        ErrorCode::BadProof,
                        "the challenge is unknown, used or expired; fetch a new one",
                    )));
                }
                tx.execute(
                    "UPDATE bags SET challenge = NULL, challenge_until = NULL WHERE bag_tag = ?1",
                    params![bag],
                )?;
            }
            let mut failed = row.failed_attempts;
            let mut token_stored = row.token.is_some();
            if row.boarded_at.is_none() && token_stored && now >= row.expires_at {
                Self::expire(tx, bag, now)?;
                token_stored = false;
                if report != Boarding::Manual {
                    return Ok(Outcome::Refused(ApiError::new(
                        ErrorCode::NotFound,
                        "the token has expired and was deleted",
                    )));
                }
            }
            let mut boarded = row.boarded_at.is_some();
            match report {
                Boarding::Matched | Boarding::Manual if boarded => {}
                Boarding::NotMatched if boarded => {
                    return Ok(Outcome::Refused(ApiError::new(
                        ErrorCode::Conflict,
                        "this bag is already boarded",
                    )));
                }
                Boarding::Matched | Boarding::NotMatched if !token_stored => {
                    return Ok(Outcome::Refused(row.why_no_token()));
                }
                Boarding::Matched | Boarding::Manual => {
                    let by = if report == Boarding::Matched {
                        "match"
                    } else {
                        "manual"
                    };
                    tx.execute(
                        "UPDATE bags SET boarded_at = ?2, boarded_by = ?3, updated_at = ?2,
                             challenge = NULL, challenge_until = NULL
                         WHERE bag_tag = ?1",
                        params![bag, now, by],
                    )?;
                    let event = if report == Boarding::Matched {
                        Event::Boarded
                    } else {
                        Event::Manual
                    };
                    tx.record(event, bag, now)?;
                    if token_stored {
                        Self::delete_token(tx, bag, "boarded", now)?;
                        tx.record(Event::Deleted, bag, now)?;
                        token_stored = false;
                    }
                    boarded = true;
                }
                Boarding::NotMatched => {
                    failed += 1;
                    tx.execute(
                        "UPDATE bags SET failed_attempts = ?2, updated_at = ?3 WHERE bag_tag = ?1",
                        params![bag, failed, now],
                    )?;
                    tx.record(Event::FailedAttempt, bag, now)?;
                    if failed >= MAX_FAILED_ATTEMPTS {
                        Self::delete_token(tx, bag, "failed_attempts", now)?;
                        tx.record(Event::Deleted, bag, now)?;
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
            Ok(Outcome::Done(BoardingOutcome {
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
            }))
        })
    }

    /// See [`crate::store::Store::reconciliation`].
    pub(super) fn reconciliation(
        &self,
        flight: &str,
        now: i64,
    ) -> Result<Reconciliation, ApiError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT bag_tag, token, expires_at, failed_attempts, boarded_at, token_gone_why
             FROM bags WHERE flight = ?1 ORDER BY bag_tag",
        )?;
        let rows = stmt.query_map(params![flight], |r| {
            Ok((
                r.get::<_, String>(0)?,
                BagRow {
                    token: r.get(1)?,
                    expires_at: r.get(2)?,
                    failed_attempts: r.get(3)?,
                    boarded_at: r.get(4)?,
                    token_gone_why: r.get(5)?,
                    challenge: None,
                    challenge_until: None,
                },
            ))
        })?;
        let mut bags = Vec::new();
        let mut offload = Vec::new();
        for row in rows {
            let (bag_tag, row) = row?;
            let state = row.state(now);
            if state != BagState::Boarded {
                offload.push(bag_tag.clone());
            }
            bags.push(BagStatus { bag_tag, state });
        }
        Ok(Reconciliation {
            flight: flight.to_owned(),
            bags,
            offload,
        })
    }

    /// See [`crate::store::Store::sweep`].
    pub(super) fn sweep(&self, now: i64) -> Result<SweepReport, ApiError> {
        let keep = self.retention_seconds;
        self.write(|tx| {
            let due = Self::due(
                tx,
                "SELECT bag_tag FROM bags WHERE token IS NOT NULL AND expires_at <= ?1",
                now,
            )?;
            for bag in &due {
                Self::expire(tx, bag, now)?;
            }
            let purged_bags = tx.execute(
                "DELETE FROM bags WHERE MAX(expires_at, updated_at) <= ?1 - ?2",
                params![now, keep],
            )?;
            let purged_audit = tx
                .execute("DELETE FROM audit WHERE at <= ?1 - ?2", params![now, keep])?
                + tx.execute(
                    "DELETE FROM gate_audit WHERE at <= ?1 - ?2",
                    params![now, keep],
                )?;
            let (expired_checkins, purged_checkins, purged_checkin_audit) =
                Self::sweep_checkins(tx, now, keep)?;
            Ok(SweepReport {
                expired: due.len(),
                purged_bags,
                purged_audit: purged_audit + purged_checkin_audit,
                expired_checkins,
                purged_checkins,
            })
        })
    }
}
