//! The SQLite store: bags (token + header facts + boarding state) and the audit log.
//!
//! One connection behind a mutex, WAL mode, and one `IMMEDIATE` transaction per
//! operation, so concurrent kiosks neither lose nor duplicate an update.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use crate::audit::{self, Event};
use crate::bags::{
    BagState, BagStatus, Boarding, BoardingOutcome, Reconciliation, MAX_FAILED_ATTEMPTS,
};
use crate::errors::{ApiError, ErrorCode};
use crate::gates::Challenge;
use crate::tokencheck::TokenFacts;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

mod gates;

const SCHEMA_VERSION: i64 = 3;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS bags (
    bag_tag          TEXT PRIMARY KEY NOT NULL,
    flight           TEXT NOT NULL,
    token            TEXT,
    issued_at        INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    stored_at        INTEGER NOT NULL,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    boarded_at       INTEGER,
    boarded_by       TEXT CHECK (boarded_by IN ('match', 'manual')),
    token_gone_at    INTEGER,
    token_gone_why   TEXT CHECK (token_gone_why IN ('boarded', 'failed_attempts', 'expired')),
    updated_at       INTEGER NOT NULL,
    challenge        TEXT,
    challenge_until  INTEGER
);
CREATE INDEX IF NOT EXISTS bags_by_flight ON bags (flight, bag_tag);
CREATE INDEX IF NOT EXISTS bags_live_by_exp ON bags (expires_at) WHERE token IS NOT NULL;
CREATE TABLE IF NOT EXISTS audit (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    event    TEXT NOT NULL,
    bag_tag  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at);
CREATE TABLE IF NOT EXISTS gates (
    kid            TEXT PRIMARY KEY NOT NULL,
    public_key     TEXT NOT NULL,
    registered_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS gate_audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    event  TEXT NOT NULL CHECK (event IN ('gate_registered', 'gate_revoked')),
    kid    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS gate_audit_by_time ON gate_audit (at);
";

/// What `put_token` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutOutcome {
    /// A new bag record.
    Created,
    /// The identical token was already stored: nothing changed.
    Unchanged,
    /// The bag's previous token had expired (a delayed flight); the new one replaces it.
    Replaced,
}

/// The answer of a store operation whose changes commit even when it refuses.
///
/// Some requests are refused only after the operation has changed something
/// that must stand: a token found past its expiry is deleted (and audited)
/// before `not_found` is answered; a signed report's challenge is used up
/// before the report is refused. Such an operation ends its transaction with
/// an `Outcome`: [`Outcome::Done`] and [`Outcome::Refused`] both commit, and
/// the caller then gets the value or the error. An `Err` from the operation
/// itself rolls everything back.
///
/// ```
/// use sealmatch_server::errors::{ApiError, ErrorCode};
/// use sealmatch_server::store::Outcome;
/// assert_eq!(Outcome::Done(7).into_result(), Ok(7));
/// let refused: Outcome<i32> = Outcome::Refused(ApiError::new(ErrorCode::NotFound, "expired"));
/// assert_eq!(refused.into_result().unwrap_err().code(), ErrorCode::NotFound);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The operation did what was asked.
    Done(T),
    /// The request is refused with this error; what the operation changed
    /// before deciding is committed all the same.
    Refused(ApiError),
}

impl<T> Outcome<T> {
    /// The value, or the refusal as an error (after the commit).
    pub fn into_result(self) -> Result<T, ApiError> {
        match self {
            Outcome::Done(v) => Ok(v),
            Outcome::Refused(e) => Err(e),
        }
    }
}

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Tokens deleted at their expiry.
    pub expired: usize,
    /// Bag records removed after the retention period.
    pub purged_bags: usize,
    /// Audit rows (bag and gate events) removed after the retention period.
    pub purged_audit: usize,
}

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

/// A write transaction that remembers the audit events it records.
struct Tx<'c> {
    tx: Transaction<'c>,
    events: Vec<(Event, String)>,
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = Transaction<'c>;
    fn deref(&self) -> &Transaction<'c> {
        &self.tx
    }
}

impl Tx<'_> {
    fn record(&mut self, event: Event, bag: &str, at: i64) -> Result<(), ApiError> {
        audit::record(&self.tx, event, bag, at)?;
        self.events.push((event, bag.to_owned()));
        Ok(())
    }
}

/// The store. Cheap to share behind an `Arc`.
pub struct Store {
    conn: Mutex<Connection>,
    retention_seconds: i64,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and its directory.
    ///
    /// `retention_seconds`: how long bag records (after their expiry or last
    /// change, whichever is later) and audit rows are kept.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = sealmatch_server::store::Store::open(&dir.path().join("a/b.db"), 86_400).unwrap();
    /// assert!(store.health().is_ok());
    /// ```
    pub fn open(path: &Path, retention_seconds: i64) -> Result<Store, ApiError> {
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| ApiError::internal("cannot create the database directory", &e))?;
            }
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            crate::log::warn(&format!("journal_mode is {mode}, not wal"));
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(ApiError::new(
                ErrorCode::Internal,
                "the database was written by a newer server",
            ));
        }
        // Version 3 added the gate tables (created below by SCHEMA).
        if version == 1 {
            // Version 2 added the one-time boarding challenge.
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE bags ADD COLUMN challenge TEXT;
                 ALTER TABLE bags ADD COLUMN challenge_until INTEGER;
                 COMMIT;",
            )?;
        }
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
        Ok(Store {
            conn: Mutex::new(conn),
            retention_seconds: retention_seconds.max(0),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic inside a transaction rolls it back when the Transaction drops,
        // so the connection is still consistent.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// One `IMMEDIATE` transaction; its audit events are logged once it commits.
    fn write<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let mut conn = self.lock();
        let mut tx = Tx {
            tx: conn.transaction_with_behavior(TransactionBehavior::Immediate)?,
            events: Vec::new(),
        };
        let out = f(&mut tx)?;
        let Tx { tx, events } = tx;
        tx.commit()?;
        for (event, bag) in events {
            crate::log::info(&format!("event={} bag={bag}", event.as_str()));
        }
        Ok(out)
    }

    /// Like [`Store::write`] for an operation that may refuse after changing
    /// something: the transaction commits on [`Outcome::Done`] and on
    /// [`Outcome::Refused`], then the refusal becomes the error.
    fn write_outcome<T>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<Outcome<T>, ApiError>,
    ) -> Result<T, ApiError> {
        self.write(f)?.into_result()
    }

    /// `SELECT 1` against the database.
    pub fn health(&self) -> Result<(), ApiError> {
        self.lock().query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }

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

    /// Stores `token` (already admitted by [`crate::tokencheck::admit`]) for its bag.
    ///
    /// The identical token again changes nothing; another token for a bag that has
    /// one, or whose token was deleted at boarding or after failed attempts, is a
    /// `conflict`. A bag whose token expired unboarded may get a new token.
    pub fn put_token(
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

    /// The bag's token for a gate; with `challenge` (signed results are on,
    /// see [`crate::gates`]) it becomes the bag's one-time boarding challenge.
    /// `not_found` when never stored, boarded, deleted or expired. A token
    /// found past its expiry is deleted on the spot.
    pub fn get_token(
        &self,
        bag: &str,
        challenge: Option<&Challenge>,
        now: i64,
    ) -> Result<String, ApiError> {
        self.write_outcome(|tx| {
            let row = Self::load(tx, bag)?.ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, "no token was stored for this bag")
            })?;
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

    /// Makes `challenge` the one-time boarding challenge of a bag not yet
    /// boarded (also after its token is gone: a manual check needs one too).
    pub fn issue_challenge(&self, bag: &str, challenge: &Challenge) -> Result<(), ApiError> {
        self.write(|tx| {
            let row = Self::load(tx, bag)?.ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, "no token was stored for this bag")
            })?;
            if row.boarded_at.is_some() {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "this bag is already boarded",
                ));
            }
            Self::set_challenge(tx, bag, challenge)
        })
    }

    /// Applies a gate's report. See [`Boarding`]. With `challenge` (a verified
    /// signed report), the challenge must be the bag's live one; it is used up.
    pub fn board(
        &self,
        bag: &str,
        report: Boarding,
        challenge: Option<&str>,
        now: i64,
    ) -> Result<BoardingOutcome, ApiError> {
        self.write_outcome(|tx| {
            let row = Self::load(tx, bag)?.ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, "no token was stored for this bag")
            })?;
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

    /// The flight's bags and the ones to offload (every bag not boarded).
    pub fn reconciliation(&self, flight: &str, now: i64) -> Result<Reconciliation, ApiError> {
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

    /// Deletes tokens at their expiry and removes bag records and audit rows
    /// older than the retention period. The sweeper calls this at least once a minute.
    pub fn sweep(&self, now: i64) -> Result<SweepReport, ApiError> {
        let keep = self.retention_seconds;
        self.write(|tx| {
            let due: Vec<String> = {
                let mut stmt = tx.prepare(
                    "SELECT bag_tag FROM bags WHERE token IS NOT NULL AND expires_at <= ?1",
                )?;
                let rows = stmt.query_map(params![now], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
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
            Ok(SweepReport {
                expired: due.len(),
                purged_bags,
                purged_audit,
            })
        })
    }

    /// The audit log, optionally for one bag (for operators and tests).
    pub fn audit_log(&self, bag: Option<&str>) -> Result<Vec<audit::Entry>, ApiError> {
        Ok(audit::entries(&self.lock(), bag)?)
    }
}
