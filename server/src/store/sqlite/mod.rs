//! The SQLite backend of [`Store`]: one connection behind a mutex, WAL mode,
//! `synchronous = FULL`, and one `IMMEDIATE` transaction per operation, run on
//! tokio's blocking threads so the async handlers never wait on the disk.
//!
//! - `schema`: the tables, their version and the migrations;
//! - `db`: the connection, the write transaction and its audit events;
//! - `bags`, `audit`, `checkins`, `gates`: the SQL of each table.

mod audit;
mod bags;
mod checkins;
mod db;
mod gates;
mod schema;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;

use self::db::Db;
use super::{PutOutcome, Store, SweepReport};
use crate::audit::Entry;
use crate::bags::{Boarding, BoardingOutcome, Reconciliation};
use crate::checkins::{BagDrop, BagDropOutcome, CheckinAuditEntry};
use crate::errors::ApiError;
use crate::gates::{Challenge, GateAuditEntry, GatePut, GateRegistry, RegisteredGate};
use crate::tokencheck::TokenFacts;

/// The SQLite store. Run one server process per database file: writes are
/// serialised through its one connection.
pub struct SqliteStore {
    db: Arc<Db>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and its directory.
    ///
    /// `retention_seconds`: how long bag and check-in records (after their expiry or last
    /// change, whichever is later) and audit rows are kept.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use sealmatch_server::store::{sqlite::SqliteStore, Store};
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = SqliteStore::open(&dir.path().join("a/b.db"), 86_400).unwrap();
    /// assert!(store.health().await.is_ok());
    /// assert!(dir.path().join("a/b.db").exists());
    /// # });
    /// ```
    pub fn open(path: &Path, retention_seconds: i64) -> Result<SqliteStore, ApiError> {
        Ok(SqliteStore {
            db: Arc::new(Db::open(path, retention_seconds)?),
        })
    }

    /// Runs `f` on a blocking thread (SQLite calls block).
    async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Db) -> Result<T, ApiError> + Send + 'static,
    {
        let db = Arc::clone(&self.db);
        tokio::task::spawn_blocking(move || f(&db))
            .await
            .map_err(|e| ApiError::internal("store task failed", &e))?
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn health(&self) -> Result<(), ApiError> {
        self.run(|db| db.health()).await
    }

    async fn put_token(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError> {
        let (token, facts) = (token.to_owned(), facts.clone());
        self.run(move |db| db.put_token(&token, &facts, now)).await
    }

    async fn get_token(
        &self,
        bag: &str,
        challenge: Option<&Challenge>,
        now: i64,
    ) -> Result<String, ApiError> {
        let (bag, challenge) = (bag.to_owned(), challenge.cloned());
        self.run(move |db| db.get_token(&bag, challenge.as_ref(), now))
            .await
    }

    async fn issue_challenge(&self, bag: &str, challenge: &Challenge) -> Result<(), ApiError> {
        let (bag, challenge) = (bag.to_owned(), challenge.clone());
        self.run(move |db| db.issue_challenge(&bag, &challenge))
            .await
    }

    async fn board(
        &self,
        bag: &str,
        report: Boarding,
        challenge: Option<&str>,
        now: i64,
    ) -> Result<BoardingOutcome, ApiError> {
        let (bag, challenge) = (bag.to_owned(), challenge.map(str::to_owned));
        self.run(move |db| db.board(&bag, report, challenge.as_deref(), now))
            .await
    }

    async fn reconciliation(&self, flight: &str, now: i64) -> Result<Reconciliation, ApiError> {
        let flight = flight.to_owned();
        self.run(move |db| db.reconciliation(&flight, now)).await
    }

    async fn sweep(&self, now: i64) -> Result<SweepReport, ApiError> {
        self.run(move |db| db.sweep(now)).await
    }

    async fn audit_log(&self, bag: Option<&str>) -> Result<Vec<Entry>, ApiError> {
        let bag = bag.map(str::to_owned);
        self.run(move |db| db.audit_log(bag.as_deref())).await
    }

    async fn put_checkin(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError> {
        let (token, facts) = (token.to_owned(), facts.clone());
        self.run(move |db| db.put_checkin(&token, &facts, now))
            .await
    }

    async fn get_checkin(&self, booking_ref: &str, now: i64) -> Result<String, ApiError> {
        let booking = booking_ref.to_owned();
        self.run(move |db| db.get_checkin(&booking, now)).await
    }

    async fn bag_drop(
        &self,
        booking_ref: &str,
        report: BagDrop,
        now: i64,
    ) -> Result<BagDropOutcome, ApiError> {
        let booking = booking_ref.to_owned();
        self.run(move |db| db.bag_drop(&booking, report, now)).await
    }

    async fn checkin_audit_log(
        &self,
        booking_ref: Option<&str>,
    ) -> Result<Vec<CheckinAuditEntry>, ApiError> {
        let booking = booking_ref.map(str::to_owned);
        self.run(move |db| db.checkin_audit_log(booking.as_deref()))
            .await
    }
}

#[async_trait]
impl GateRegistry for SqliteStore {
    async fn register_gate(
        &self,
        kid: &str,
        public_key: &str,
        now: i64,
    ) -> Result<GatePut, ApiError> {
        let (kid, public_key) = (kid.to_owned(), public_key.to_owned());
        self.run(move |db| db.register_gate(&kid, &public_key, now))
            .await
    }

    async fn revoke_gate(&self, kid: &str, now: i64) -> Result<(), ApiError> {
        let kid = kid.to_owned();
        self.run(move |db| db.revoke_gate(&kid, now)).await
    }

    async fn gate(&self, kid: &str) -> Result<Option<RegisteredGate>, ApiError> {
        let kid = kid.to_owned();
        self.run(move |db| db.gate(&kid)).await
    }

    async fn gate_count(&self) -> Result<i64, ApiError> {
        self.run(|db| db.gate_count()).await
    }

    async fn gate_audit_log(&self) -> Result<Vec<GateAuditEntry>, ApiError> {
        self.run(|db| db.gate_audit_log()).await
    }
}
