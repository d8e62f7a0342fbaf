//! The PostgreSQL backend of [`Store`], for several server nodes on one
//! database: `SEALMATCH_DB=postgres://...` selects it (see
//! [`crate::config::Database`]).
//!
//! Each operation is one transaction on a pooled connection; an answer is
//! sent only after its transaction commits, so a node killed at any moment
//! loses nothing it acknowledged. How the rules hold across nodes:
//! - writes to one bag (or booking) take its transaction-level advisory lock
//!   and read its row `FOR UPDATE`: simultaneous reports on several nodes
//!   apply one after the other, so one boarding is recorded, each failed
//!   attempt is counted once, and a challenge is used once;
//! - gates are read from the database on every check (no cache);
//! - the sweep takes rows with `FOR UPDATE SKIP LOCKED` and audits what it
//!   deletes in the same statement (see `sweep`);
//! - the schema migrations run under an advisory lock (see `schema`);
//! - a database that is down or unreachable makes every call answer 503
//!   `unavailable`, and the pool opens new connections once it is back.
//!
//! Modules: `db` (pool, errors, locks), `schema` (migrations), `bags`,
//! `checkins`, `gates`, `sweep` (the SQL of each part).

mod bags;
mod checkins;
mod db;
mod gates;
mod schema;
mod sweep;

use async_trait::async_trait;
use deadpool_postgres::{Object, Pool};

use super::rules;
use super::{PutOutcome, Store, SweepReport};
use crate::audit::Entry;
use crate::bags::{Boarding, BoardingOutcome, Reconciliation};
use crate::checkins::{BagDrop, BagDropOutcome, CheckinAuditEntry};
use crate::errors::ApiError;
use crate::gates::{Challenge, GateAuditEntry, GatePut, GateRegistry, RegisteredGate};
use crate::tokencheck::TokenFacts;

/// The PostgreSQL store: a pool of connections to one database, shared by
/// any number of server nodes.
pub struct PgStore {
    pool: Pool,
    /// How long bag and check-in records and audit rows are kept, in seconds.
    retention_seconds: i64,
}

impl PgStore {
    /// A store over the database at `url` (`postgres://user:password@host:port/db`,
    /// or `postgresql://...`; `?host=/dir` for a Unix socket). Opens no
    /// connection yet: see [`PgStore::open`].
    ///
    /// `retention_seconds`: as for [`super::sqlite::SqliteStore::open`].
    ///
    /// ```
    /// use sealmatch_server::store::postgres::PgStore;
    /// assert!(PgStore::new("postgres://sealmatch@127.0.0.1:5432/sealmatch", 86_400).is_ok());
    /// assert!(PgStore::new("postgres://[bad", 86_400).is_err());
    /// ```
    pub fn new(url: &str, retention_seconds: i64) -> Result<PgStore, ApiError> {
        let config: tokio_postgres::Config = url.parse().map_err(|e| {
            ApiError::internal("SEALMATCH_DB is not a PostgreSQL connection string", &e)
        })?;
        Ok(PgStore {
            pool: db::pool(config)?,
            retention_seconds: retention_seconds.max(0),
        })
    }

    /// [`PgStore::new`], then the schema migrations ([`PgStore::migrate`]).
    pub async fn open(url: &str, retention_seconds: i64) -> Result<PgStore, ApiError> {
        let store = PgStore::new(url, retention_seconds)?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the schema migrations this database lacks, safely when
    /// several nodes start at once (see `schema`). Returns the versions
    /// applied now (none when the schema is current).
    pub async fn migrate(&self) -> Result<Vec<i32>, ApiError> {
        let mut conn = self.connection().await?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        schema::migrate(&mut conn, now).await
    }

    /// The newest schema version this server knows.
    pub fn schema_version() -> i32 {
        schema::latest()
    }

    async fn connection(&self) -> Result<Object, ApiError> {
        db::connection(&self.pool).await
    }
}

#[async_trait]
impl Store for PgStore {
    async fn health(&self) -> Result<(), ApiError> {
        let conn = self.connection().await?;
        conn.query_one("SELECT 1", &[]).await.map_err(db::db_err)?;
        Ok(())
    }

    async fn put_token(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError> {
        let rule = |row: Option<&_>| rules::bags::put(row, token, facts, now);
        self.change_bag(&facts.bag_tag, rule, now).await
    }

    async fn get_token(
        &self,
        bag: &str,
        challenge: Option<&Challenge>,
        now: i64,
    ) -> Result<String, ApiError> {
        let rule = |row: Option<&_>| rules::bags::get(row, challenge, now);
        self.change_bag(bag, rule, now).await?.into_result()
    }

    async fn issue_challenge(&self, bag: &str, challenge: &Challenge) -> Result<(), ApiError> {
        let rule = |row: Option<&_>| Ok((rules::bags::issue_challenge(row, challenge)?, ()));
        self.change_bag(bag, rule, 0).await
    }

    async fn board(
        &self,
        bag: &str,
        report: Boarding,
        challenge: Option<&str>,
        now: i64,
    ) -> Result<BoardingOutcome, ApiError> {
        let rule = |row: Option<&_>| rules::bags::board(bag, row, report, challenge, now);
        self.change_bag(bag, rule, now).await?.into_result()
    }

    async fn reconciliation(&self, flight: &str, now: i64) -> Result<Reconciliation, ApiError> {
        self.flight_bags(flight, now).await
    }

    async fn sweep(&self, now: i64) -> Result<SweepReport, ApiError> {
        self.sweep_all(now).await
    }

    async fn audit_log(&self, bag: Option<&str>) -> Result<Vec<Entry>, ApiError> {
        self.bag_audit(bag).await
    }

    async fn put_checkin(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError> {
        let rule = |row: Option<&_>| rules::checkins::put(row, token, facts, now);
        self.change_checkin(&facts.bag_tag, rule, now).await
    }

    async fn get_checkin(&self, booking_ref: &str, now: i64) -> Result<String, ApiError> {
        let rule = |row: Option<&_>| Ok(rules::checkins::get(row, now));
        self.change_checkin(booking_ref, rule, now)
            .await?
            .into_result()
    }

    async fn bag_drop(
        &self,
        booking_ref: &str,
        report: BagDrop,
        now: i64,
    ) -> Result<BagDropOutcome, ApiError> {
        let rule = |row: Option<&_>| rules::checkins::bag_drop(booking_ref, row, report, now);
        self.change_checkin(booking_ref, rule, now)
            .await?
            .into_result()
    }

    async fn checkin_audit_log(
        &self,
        booking_ref: Option<&str>,
    ) -> Result<Vec<CheckinAuditEntry>, ApiError> {
        self.checkin_audit(booking_ref).await
    }
}

#[async_trait]
impl GateRegistry for PgStore {
    async fn register_gate(
        &self,
        kid: &str,
        public_key: &str,
        now: i64,
    ) -> Result<GatePut, ApiError> {
        self.put_gate(kid, public_key, now).await
    }

    async fn revoke_gate(&self, kid: &str, now: i64) -> Result<(), ApiError> {
        self.delete_gate(kid, now).await
    }

    async fn gate(&self, kid: &str) -> Result<Option<RegisteredGate>, ApiError> {
        self.find_gate(kid).await
    }

    async fn gate_count(&self) -> Result<i64, ApiError> {
        self.count_gates().await
    }

    async fn gate_audit_log(&self) -> Result<Vec<GateAuditEntry>, ApiError> {
        self.gate_audit().await
    }
}
