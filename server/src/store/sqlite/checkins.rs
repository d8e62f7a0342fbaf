//! The `checkins` and `checkin_audit` tables: each booking's check-in token,
//! its header facts and failed attempts, and the events (booking reference
//! and time only). The check-in half of [`crate::store::Store`].

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::db::{Db, Tx};
use crate::checkins::{
    BagDrop, BagDropOutcome, CheckinAuditEntry, CheckinEvent, CheckinState, MAX_FAILED_ATTEMPTS,
};
use crate::errors::{ApiError, ErrorCode};
use crate::store::{Outcome, PutOutcome};
use crate::tokencheck::TokenFacts;

/// Why a booking's token is gone (`token_gone_why`).
const USED: &str = "used";
const FAILED: &str = "failed_attempts";
const EXPIRED: &str = "expired";

struct CheckinRow {
    token: Option<String>,
    expires_at: i64,
    failed_attempts: u32,
    token_gone_why: Option<String>,
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

/// Appends a check-in event inside the caller's transaction (see
/// [`super::db::Tx::record_checkin`], which also logs it after the commit).
pub(super) fn record(
    conn: &Connection,
    event: CheckinEvent,
    booking_ref: &str,
    at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO checkin_audit (at, event, booking_ref) VALUES (?1, ?2, ?3)",
        params![at, event.as_str(), booking_ref],
    )?;
    Ok(())
}

impl Db {
    fn load_checkin(tx: &Transaction<'_>, booking: &str) -> Result<Option<CheckinRow>, ApiError> {
        Ok(tx
            .query_row(
                "SELECT token, expires_at, failed_attempts, token_gone_why
                 FROM checkins WHERE booking_ref = ?1",
                params![booking],
                |r| {
                    Ok(CheckinRow {
                        token: r.get(0)?,
                        expires_at: r.get(1)?,
                        failed_attempts: r.get(2)?,
                        token_gone_why: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    fn delete_checkin_token(
        tx: &Transaction<'_>,
        booking: &str,
        why: &str,
        now: i64,
    ) -> Result<(), ApiError> {
        // An expiry is not activity: retention counts from `expires_at` for it.
        tx.execute(
            "UPDATE checkins SET token = NULL, token_gone_at = ?2, token_gone_why = ?3,
                 updated_at = CASE WHEN ?3 = 'expired' THEN updated_at ELSE ?2 END
             WHERE booking_ref = ?1 AND token IS NOT NULL",
            params![booking, now, why],
        )?;
        Ok(())
    }

    fn expire_checkin(tx: &mut Tx<'_>, booking: &str, now: i64) -> Result<(), ApiError> {
        Self::delete_checkin_token(tx, booking, EXPIRED, now)?;
        tx.record_checkin(CheckinEvent::Expired, booking, now)
    }

    /// See [`crate::store::Store::put_checkin`].
    pub(super) fn put_checkin(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError> {
        let booking = facts.bag_tag.as_str();
        let conflict = |msg: &str| Err(ApiError::new(ErrorCode::Conflict, msg));
        self.write(|tx| {
            let replace = match Self::load_checkin(tx, booking)? {
                None => false,
                Some(row) if row.token.as_deref() == Some(token) => {
                    return Ok(PutOutcome::Unchanged);
                }
                Some(row) if row.token.is_some() && now >= row.expires_at => {
                    Self::expire_checkin(tx, booking, now)?;
                    true
                }
                Some(row) if row.token.is_some() => {
                    return conflict("this booking already has another check-in token");
                }
                Some(row) if row.gone_why() == Some(EXPIRED) => true,
                Some(row) if row.gone_why() == Some(USED) => {
                    return conflict("this booking's check-in token was already used at bag drop");
                }
                Some(_) => {
                    return conflict(
                        "this booking's check-in token was deleted after three failed attempts",
                    );
                }
            };
            tx.execute(
                "INSERT OR REPLACE INTO checkins
                   (booking_ref, flight, token, issued_at, expires_at, stored_at,
                    failed_attempts, token_gone_at, token_gone_why, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, NULL, NULL, ?6)",
                params![
                    booking,
                    facts.flight,
                    token,
                    facts.issued_at,
                    facts.expires_at,
                    now
                ],
            )?;
            tx.record_checkin(CheckinEvent::Stored, booking, now)?;
            Ok(if replace {
                PutOutcome::Replaced
            } else {
                PutOutcome::Created
            })
        })
    }

    /// See [`crate::store::Store::get_checkin`].
    pub(super) fn get_checkin(&self, booking: &str, now: i64) -> Result<String, ApiError> {
        self.write_outcome(|tx| {
            let Some(row) = Self::load_checkin(tx, booking)? else {
                return Ok(Outcome::Refused(never_stored()));
            };
            match row.token {
                Some(_) if now >= row.expires_at => {
                    Self::expire_checkin(tx, booking, now)?;
                    Ok(Outcome::Refused(expired_now()))
                }
                Some(t) => {
                    tx.record_checkin(CheckinEvent::Fetched, booking, now)?;
                    Ok(Outcome::Done(t))
                }
                None => Ok(Outcome::Refused(row.why_no_token())),
            }
        })
    }

    /// See [`crate::store::Store::bag_drop`].
    pub(super) fn bag_drop(
        &self,
        booking: &str,
        report: BagDrop,
        now: i64,
    ) -> Result<BagDropOutcome, ApiError> {
        self.write_outcome(|tx| {
            let row = Self::load_checkin(tx, booking)?.ok_or_else(never_stored)?;
            let failed = row.failed_attempts;
            if row.token.is_none() {
                return Ok(match (report, row.gone_why()) {
                    (BagDrop::Matched, Some(USED)) => {
                        Outcome::Done(BagDropOutcome::new(booking, CheckinState::Used, failed))
                    }
                    _ => Outcome::Refused(row.why_no_token()),
                });
            }
            if now >= row.expires_at {
                Self::expire_checkin(tx, booking, now)?;
                return Ok(Outcome::Refused(expired_now()));
            }
            let (state, failed) = match report {
                BagDrop::Matched => {
                    Self::delete_checkin_token(tx, booking, USED, now)?;
                    tx.record_checkin(CheckinEvent::Used, booking, now)?;
                    tx.record_checkin(CheckinEvent::Deleted, booking, now)?;
                    (CheckinState::Used, failed)
                }
                BagDrop::NotMatched => {
                    let failed = failed + 1;
                    tx.execute(
                        "UPDATE checkins SET failed_attempts = ?2, updated_at = ?3
                         WHERE booking_ref = ?1",
                        params![booking, failed, now],
                    )?;
                    tx.record_checkin(CheckinEvent::FailedAttempt, booking, now)?;
                    if failed >= MAX_FAILED_ATTEMPTS {
                        Self::delete_checkin_token(tx, booking, FAILED, now)?;
                        tx.record_checkin(CheckinEvent::Deleted, booking, now)?;
                        (CheckinState::Deleted, failed)
                    } else {
                        (CheckinState::Stored, failed)
                    }
                }
            };
            Ok(Outcome::Done(BagDropOutcome::new(booking, state, failed)))
        })
    }

    /// Deletes the check-in tokens due at `now` and removes records and audit
    /// rows older than `keep` seconds, inside the sweep's transaction. Returns
    /// (tokens expired, records purged, audit rows purged).
    pub(super) fn sweep_checkins(
        tx: &mut Tx<'_>,
        now: i64,
        keep: i64,
    ) -> Result<(usize, usize, usize), ApiError> {
        let due = Self::due(
            tx,
            "SELECT booking_ref FROM checkins WHERE token IS NOT NULL AND expires_at <= ?1",
            now,
        )?;
        for booking in &due {
            Self::expire_checkin(tx, booking, now)?;
        }
        let purged = tx.execute(
            "DELETE FROM checkins WHERE MAX(expires_at, updated_at) <= ?1 - ?2",
            params![now, keep],
        )?;
        let purged_audit = tx.execute(
            "DELETE FROM checkin_audit WHERE at <= ?1 - ?2",
            params![now, keep],
        )?;
        Ok((due.len(), purged, purged_audit))
    }

    /// The check-in log in order, optionally for one booking.
    pub(super) fn checkin_audit_log(
        &self,
        booking: Option<&str>,
    ) -> Result<Vec<CheckinAuditEntry>, ApiError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT at, event, booking_ref FROM checkin_audit
             WHERE ?1 IS NULL OR booking_ref = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![booking], |r| {
            Ok(CheckinAuditEntry {
                at: r.get(0)?,
                event: r.get(1)?,
                booking_ref: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
