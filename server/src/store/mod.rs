//! The store: bag tokens, boarding state, check-in tokens, the audit logs and
//! registered gates, behind the [`Store`] trait.
//!
//! Handlers, the sweeper and the gate code hold an `Arc<dyn Store>` (in
//! [`crate::AppState`]) and never see the backend. Two backends implement
//! [`Store`] and [`GateRegistry`]: [`sqlite::SqliteStore`] (one process on a
//! file, the default) and [`postgres::PgStore`] (several nodes on one
//! database); [`open`] picks one from `SEALMATCH_DB`. Both apply the same
//! state machine (`rules`) and differ only in their SQL.
//!
//! Every backend keeps these rules:
//! - each operation is one transaction, so concurrent kiosks neither lose nor
//!   duplicate an update;
//! - a bag's audit events (see [`crate::audit::Event`]) and a check-in's
//!   (see [`crate::checkins::CheckinEvent`]) are written in the same
//!   transaction as the change, and logged (event and bag tag or booking
//!   reference only) once it commits;
//! - an operation that refuses after changing something (an expired token
//!   deleted, a challenge used up) commits that change first: see [`Outcome`];
//! - nothing biometric and no key is stored: only the sealed token text and
//!   its header facts.

pub mod postgres;
mod rules;
pub mod sqlite;

use async_trait::async_trait;

use crate::audit;
use crate::bags::{Boarding, BoardingOutcome, Reconciliation};
use crate::checkins::{BagDrop, BagDropOutcome, CheckinAuditEntry};
use crate::errors::ApiError;
use crate::gates::{Challenge, GateRegistry};
use crate::tokencheck::TokenFacts;

/// The store `SEALMATCH_DB` names, ready to serve: the SQLite file opened
/// (and migrated), or the PostgreSQL pool created and the schema migrated.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use sealmatch_server::config::Database;
/// let dir = tempfile::tempdir().unwrap();
/// let db = Database::Sqlite(dir.path().join("s.db"));
/// let store = sealmatch_server::store::open(&db, 86_400).await.unwrap();
/// store.health().await.unwrap();
/// # });
/// ```
pub async fn open(
    db: &crate::config::Database,
    retention_seconds: i64,
) -> Result<std::sync::Arc<dyn Store>, ApiError> {
    use crate::config::Database;
    Ok(match db {
        Database::Sqlite(path) => {
            let path = path.clone();
            let store = tokio::task::spawn_blocking(move || {
                sqlite::SqliteStore::open(&path, retention_seconds)
            })
            .await
            .map_err(|e| ApiError::internal("store task failed", &e))??;
            std::sync::Arc::new(store)
        }
        Database::Postgres(url) => {
            std::sync::Arc::new(postgres::PgStore::open(url, retention_seconds).await?)
        }
    })
}

/// What the service keeps about bags, for handlers and the sweeper. Every
/// method is async, so a backend with an async client fits as it is; a
/// blocking one (SQLite) runs its work off the async threads.
///
/// `now` is the caller's clock (Unix seconds), so tests can move time.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use std::sync::Arc;
/// use sealmatch_server::store::{sqlite::SqliteStore, Store};
/// let dir = tempfile::tempdir().unwrap();
/// let store: Arc<dyn Store> =
///     Arc::new(SqliteStore::open(&dir.path().join("s.db"), 86_400).unwrap());
/// store.health().await.unwrap();
/// let rec = store.reconciliation("SK1415", 1_800_000_000).await.unwrap();
/// assert!(rec.bags.is_empty() && rec.offload.is_empty());
/// assert!(store.get_token("0117000001", None, 1_800_000_000).await.is_err());
/// # });
/// ```
#[async_trait]
pub trait Store: GateRegistry {
    /// Whether the backend answers (`GET /api/health`).
    async fn health(&self) -> Result<(), ApiError>;

    /// Stores `token` (already admitted by [`crate::tokencheck::admit`]) for its bag.
    ///
    /// The identical token again changes nothing; another token for a bag that has
    /// one, or whose token was deleted at boarding or after failed attempts, is a
    /// `conflict`. A bag whose token expired unboarded may get a new token.
    async fn put_token(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError>;

    /// The bag's token for a gate; with `challenge` (signed results are on,
    /// see [`crate::gates`]) it becomes the bag's one-time boarding challenge.
    /// `not_found` when never stored, boarded, deleted or expired. A token
    /// found past its expiry is deleted on the spot (and stays deleted).
    async fn get_token(
        &self,
        bag: &str,
        challenge: Option<&Challenge>,
        now: i64,
    ) -> Result<String, ApiError>;

    /// Makes `challenge` the one-time boarding challenge of a bag not yet
    /// boarded (also after its token is gone: a manual check needs one too).
    /// `not_found` for an unknown bag, `conflict` for a boarded one.
    async fn issue_challenge(&self, bag: &str, challenge: &Challenge) -> Result<(), ApiError>;

    /// Applies a gate's report. See [`Boarding`]. With `challenge` (a verified
    /// signed report), the challenge must be the bag's live one; it is used up.
    async fn board(
        &self,
        bag: &str,
        report: Boarding,
        challenge: Option<&str>,
        now: i64,
    ) -> Result<BoardingOutcome, ApiError>;

    /// The flight's bags and the ones to offload (every bag not boarded).
    async fn reconciliation(&self, flight: &str, now: i64) -> Result<Reconciliation, ApiError>;

    /// Deletes bag and check-in tokens at their expiry and removes bag and
    /// check-in records and audit rows (bag, check-in and gate events) older
    /// than the retention period. The sweeper calls this at least once a minute.
    async fn sweep(&self, now: i64) -> Result<SweepReport, ApiError>;

    /// The audit log in order, optionally for one bag (for operators and tests).
    async fn audit_log(&self, bag: Option<&str>) -> Result<Vec<audit::Entry>, ApiError>;

    // ---- check-in tokens (see [`crate::checkins`]), keyed by booking reference

    /// Stores a check-in `token` (already admitted by
    /// [`crate::tokencheck::admit`] with the booking reference as its bag;
    /// `facts.bag_tag` is the booking reference).
    ///
    /// The identical token again changes nothing; another token while one is
    /// stored, or after the last one was used or deleted for failed attempts,
    /// is a `conflict`. A booking whose token expired may get a new one.
    async fn put_checkin(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError>;

    /// The booking's check-in token for a bag-drop kiosk (audited as
    /// `fetched`). `not_found` when never stored, used, deleted or expired
    /// (the message says which); a token found past its expiry is deleted on
    /// the spot.
    async fn get_checkin(&self, booking_ref: &str, now: i64) -> Result<String, ApiError>;

    /// Applies a bag-drop kiosk's report, in one transaction (in PostgreSQL,
    /// read the row with `SELECT ... FOR UPDATE`): [`BagDrop::Matched`] deletes
    /// the token as used (again on a used one: the same answer, nothing
    /// changes); [`BagDrop::NotMatched`] counts a failed attempt, the third
    /// deletes the token. `not_found` once the token is gone otherwise.
    async fn bag_drop(
        &self,
        booking_ref: &str,
        report: BagDrop,
        now: i64,
    ) -> Result<BagDropOutcome, ApiError>;

    /// The check-in audit log in order, optionally for one booking.
    async fn checkin_audit_log(
        &self,
        booking_ref: Option<&str>,
    ) -> Result<Vec<CheckinAuditEntry>, ApiError>;
}

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

impl PutOutcome {
    /// The HTTP status of a `PUT .../token` answer: 201 when a token was
    /// stored, 200 when the identical token was already there.
    ///
    /// ```
    /// use sealmatch_server::store::PutOutcome;
    /// assert_eq!(PutOutcome::Replaced.status().as_u16(), 201);
    /// assert_eq!(PutOutcome::Unchanged.status().as_u16(), 200);
    /// ```
    pub fn status(self) -> axum::http::StatusCode {
        match self {
            PutOutcome::Created | PutOutcome::Replaced => axum::http::StatusCode::CREATED,
            PutOutcome::Unchanged => axum::http::StatusCode::OK,
        }
    }
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
    /// Bag tokens deleted at their expiry.
    pub expired: usize,
    /// Bag records removed after the retention period.
    pub purged_bags: usize,
    /// Audit rows (bag, check-in and gate events) removed after the retention period.
    pub purged_audit: usize,
    /// Check-in tokens deleted at their expiry.
    pub expired_checkins: usize,
    /// Check-in records removed after the retention period.
    pub purged_checkins: usize,
}
