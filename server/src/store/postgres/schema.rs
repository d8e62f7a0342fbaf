//! The PostgreSQL schema as numbered migrations, applied at start-up in one
//! transaction under a transaction-level advisory lock, so nodes starting at
//! the same moment apply each migration once and wait for each other.

use tokio_postgres::Client;

use super::db::db_err;
use crate::errors::{ApiError, ErrorCode};

/// The key of the advisory lock held while migrating (any fixed number; the
/// other keys this backend locks are hashes of bag tags and booking references).
const MIGRATION_LOCK: i64 = 0x5EA1_3A7C_0000_0001;

/// The migrations, in order: (version, SQL). Append; never edit one that shipped.
/// Times are Unix seconds (`BIGINT`), as in the SQLite schema (version 4).
const MIGRATIONS: &[(i32, &str)] = &[(
    1,
    "
CREATE TABLE bags (
    bag_tag          TEXT PRIMARY KEY NOT NULL,
    flight           TEXT NOT NULL,
    token            TEXT,
    issued_at        BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    stored_at        BIGINT NOT NULL,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    boarded_at       BIGINT,
    boarded_by       TEXT CHECK (boarded_by IN ('match', 'manual')),
    token_gone_at    BIGINT,
    token_gone_why   TEXT CHECK (token_gone_why IN ('boarded', 'failed_attempts', 'expired')),
    updated_at       BIGINT NOT NULL,
    challenge        TEXT,
    challenge_until  BIGINT
);
CREATE INDEX bags_by_flight ON bags (flight, bag_tag);
CREATE INDEX bags_live_by_exp ON bags (expires_at) WHERE token IS NOT NULL;
CREATE TABLE audit (
    id       BIGSERIAL PRIMARY KEY,
    at       BIGINT NOT NULL,
    event    TEXT NOT NULL,
    bag_tag  TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit (at);
CREATE INDEX audit_by_bag ON audit (bag_tag, id);
CREATE TABLE gates (
    kid            TEXT PRIMARY KEY NOT NULL,
    public_key     TEXT NOT NULL,
    registered_at  BIGINT NOT NULL
);
CREATE TABLE gate_audit (
    id     BIGSERIAL PRIMARY KEY,
    at     BIGINT NOT NULL,
    event  TEXT NOT NULL CHECK (event IN ('gate_registered', 'gate_revoked')),
    kid    TEXT NOT NULL
);
CREATE INDEX gate_audit_by_time ON gate_audit (at);
CREATE TABLE checkins (
    booking_ref      TEXT PRIMARY KEY NOT NULL,
    flight           TEXT NOT NULL,
    token            TEXT,
    issued_at        BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    stored_at        BIGINT NOT NULL,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    token_gone_at    BIGINT,
    token_gone_why   TEXT CHECK (token_gone_why IN ('used', 'failed_attempts', 'expired')),
    updated_at       BIGINT NOT NULL
);
CREATE INDEX checkins_live_by_exp ON checkins (expires_at) WHERE token IS NOT NULL;
CREATE TABLE checkin_audit (
    id           BIGSERIAL PRIMARY KEY,
    at           BIGINT NOT NULL,
    event        TEXT NOT NULL CHECK (event IN
                     ('stored', 'fetched', 'used', 'failed_attempt', 'deleted', 'expired')),
    booking_ref  TEXT NOT NULL
);
CREATE INDEX checkin_audit_by_time ON checkin_audit (at);
CREATE INDEX checkin_audit_by_booking ON checkin_audit (booking_ref, id);
",
)];

/// The newest schema version this server knows.
pub(super) fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |(v, _)| *v)
}

/// Brings the database to [`latest`]: in one transaction, under the
/// migration advisory lock, creates `schema_migrations` if needed and applies
/// the migrations not recorded there. A database written by a newer server
/// is refused. Returns the versions applied now.
pub(super) async fn migrate(client: &mut Client, now: i64) -> Result<Vec<i32>, ApiError> {
    let tx = client.transaction().await.map_err(db_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(db_err)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version     INTEGER PRIMARY KEY NOT NULL,
             applied_at  BIGINT NOT NULL
         )",
    )
    .await
    .map_err(db_err)?;
    let current: i32 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await
        .map_err(db_err)?
        .get(0);
    if current > latest() {
        return Err(ApiError::new(
            ErrorCode::Internal,
            "the database was written by a newer server",
        ));
    }
    let mut applied = Vec::new();
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.batch_execute(sql).await.map_err(db_err)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
            &[version, &now],
        )
        .await
        .map_err(db_err)?;
        applied.push(*version);
    }
    tx.commit().await.map_err(db_err)?;
    Ok(applied)
}
