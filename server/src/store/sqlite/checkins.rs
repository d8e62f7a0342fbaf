//! The `checkins` and `checkin_audit` tables: each booking's check-in token,
//! its header facts and failed attempts, and the events (booking reference
//! and time only). The check-in half of [`crate::store::Store`].

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::db::{Db, Tx};
use crate::checkins::{BagDrop, BagDropOutcome, CheckinAuditEntry, CheckinEvent};
use crate::errors::ApiError;
use crate::store::rules::checkins::{
    self as rules, CheckinChange, CheckinRow, EXPIRED, FAILED, USED,
};
use crate::store::PutOutcome;
use crate::tokencheck::TokenFacts;

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

    /// Applies one change of [`rules`] to the booking's row, with its audit events.
    fn apply_checkin(
        tx: &mut Tx<'_>,
        booking: &str,
        change: &CheckinChange<'_>,
        now: i64,
    ) -> Result<(), ApiError> {
        match change {
            CheckinChange::Expire => Self::delete_checkin_token(tx, booking, EXPIRED, now)?,
            CheckinChange::Store { token, facts } => {
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
            }
            CheckinChange::Fetched => {}
            CheckinChange::Use => Self::delete_checkin_token(tx, booking, USED, now)?,
            CheckinChange::CountFailure(n) => {
                tx.execute(
                    "UPDATE checkins SET failed_attempts = ?2, updated_at = ?3
                     WHERE booking_ref = ?1",
                    params![booking, n, now],
                )?;
            }
            CheckinChange::DeleteFailed => Self::delete_checkin_token(tx, booking, FAILED, now)?,
        }
        for event in change.events() {
            tx.record_checkin(*event, booking, now)?;
        }
        Ok(())
    }

    /// Reads the booking's row, asks `rule` what to do, applies its changes.
    fn change_checkin<'a, T>(
        tx: &mut Tx<'_>,
        booking: &str,
        rule: impl FnOnce(Option<&CheckinRow>) -> Result<(Vec<CheckinChange<'a>>, T), ApiError>,
        now: i64,
    ) -> Result<T, ApiError> {
        let row = Self::load_checkin(tx, booking)?;
        let (changes, out) = rule(row.as_ref())?;
        for change in &changes {
            Self::apply_checkin(tx, booking, change, now)?;
        }
        Ok(out)
    }

    /// See [`crate::store::Store::put_checkin`].
    pub(super) fn put_checkin(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError> {
        let booking = facts.bag_tag.as_str();
        self.write(|tx| {
            Self::change_checkin(tx, booking, |row| rules::put(row, token, facts, now), now)
        })
    }

    /// See [`crate::store::Store::get_checkin`].
    pub(super) fn get_checkin(&self, booking: &str, now: i64) -> Result<String, ApiError> {
        self.write_outcome(|tx| {
            Self::change_checkin(tx, booking, |row| Ok(rules::get(row, now)), now)
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
            Self::change_checkin(
                tx,
                booking,
                |row| rules::bag_drop(booking, row, report, now),
                now,
            )
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
            Self::apply_checkin(tx, booking, &CheckinChange::Expire, now)?;
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
