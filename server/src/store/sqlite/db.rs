//! The one connection behind a mutex, and the write transaction every change
//! goes through: `IMMEDIATE`, so concurrent kiosks neither lose nor duplicate
//! an update, with its audit events logged once it commits.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, Transaction, TransactionBehavior};

use super::{audit, checkins, schema};
use crate::audit::Event;
use crate::checkins::CheckinEvent;
use crate::errors::ApiError;
use crate::store::Outcome;

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal("database error", &e)
    }
}

/// The database: its connection and the retention period. Its methods are
/// blocking; [`super::SqliteStore`] runs them off the async threads.
pub(super) struct Db {
    conn: Mutex<Connection>,
    /// How long bag and check-in records and audit rows are kept, in seconds.
    pub(super) retention_seconds: i64,
}

/// A write transaction that remembers the audit events it records (as the
/// log lines written once it commits).
pub(super) struct Tx<'c> {
    tx: Transaction<'c>,
    events: Vec<String>,
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = Transaction<'c>;
    fn deref(&self) -> &Transaction<'c> {
        &self.tx
    }
}

impl Tx<'_> {
    /// Records a bag event in this transaction; it is logged after the commit.
    pub(super) fn record(&mut self, event: Event, bag: &str, at: i64) -> Result<(), ApiError> {
        audit::record(&self.tx, event, bag, at)?;
        self.events
            .push(crate::store::rules::bags::log_line(event, bag));
        Ok(())
    }

    /// Records a check-in event in this transaction; it is logged after the commit.
    pub(super) fn record_checkin(
        &mut self,
        event: CheckinEvent,
        booking_ref: &str,
        at: i64,
    ) -> Result<(), ApiError> {
        checkins::record(&self.tx, event, booking_ref, at)?;
        self.events
            .push(crate::store::rules::checkins::log_line(event, booking_ref));
        Ok(())
    }
}

impl Db {
    /// Opens the database at `path` (see [`schema::open`]).
    pub(super) fn open(path: &Path, retention_seconds: i64) -> Result<Db, ApiError> {
        Ok(Db {
            conn: Mutex::new(schema::open(path)?),
            retention_seconds: retention_seconds.max(0),
        })
    }

    /// The connection, for reads.
    pub(super) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic inside a transaction rolls it back when the Transaction drops,
        // so the connection is still consistent.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// One `IMMEDIATE` transaction; its audit events are logged once it commits.
    /// An `Err` from `f` rolls it back.
    pub(super) fn write<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut conn = self.lock();
        let mut tx = Tx {
            tx: conn.transaction_with_behavior(TransactionBehavior::Immediate)?,
            events: Vec::new(),
        };
        let out = f(&mut tx)?;
        let Tx { tx, events } = tx;
        tx.commit()?;
        for line in events {
            crate::log::info(&line);
        }
        Ok(out)
    }

    /// Like [`Db::write`] for an operation that may refuse after changing
    /// something: the transaction commits on [`Outcome::Done`] and on
    /// [`Outcome::Refused`], then the refusal becomes the error.
    pub(super) fn write_outcome<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<Outcome<T>, ApiError>,
    ) -> Result<T, ApiError> {
        self.write(f)?.into_result()
    }

    /// The keys (bag tags, booking references) that `select` returns for
    /// `?1` = `now`: the rows whose token is due for expiry, in a sweep.
    pub(super) fn due(tx: &Tx<'_>, select: &str, now: i64) -> Result<Vec<String>, ApiError> {
        let mut stmt = tx.prepare(select)?;
        let rows = stmt.query_map(params![now], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `SELECT 1` against the database.
    pub(super) fn health(&self) -> Result<(), ApiError> {
        self.lock().query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }
}
