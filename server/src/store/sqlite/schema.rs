//! The SQLite schema, its version, and opening a connection: WAL mode,
//! `synchronous = FULL`, and the migrations from older versions.

use std::path::Path;

use rusqlite::Connection;

use crate::errors::{ApiError, ErrorCode};

/// The schema version kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 4;

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
CREATE TABLE IF NOT EXISTS checkins (
    booking_ref      TEXT PRIMARY KEY NOT NULL,
    flight           TEXT NOT NULL,
    token            TEXT,
    issued_at        INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    stored_at        INTEGER NOT NULL,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    token_gone_at    INTEGER,
    token_gone_why   TEXT CHECK (token_gone_why IN ('used', 'failed_attempts', 'expired')),
    updated_at       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS checkins_live_by_exp ON checkins (expires_at) WHERE token IS NOT NULL;
CREATE TABLE IF NOT EXISTS checkin_audit (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    event        TEXT NOT NULL CHECK (event IN
                     ('stored', 'fetched', 'used', 'failed_attempt', 'deleted', 'expired')),
    booking_ref  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS checkin_audit_by_time ON checkin_audit (at);
";

/// Opens (creating if needed) the database at `path` and its directory, sets
/// the pragmas and brings the schema to [`SCHEMA_VERSION`].
pub(super) fn open(path: &Path) -> Result<Connection, ApiError> {
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
    // Version 3 added the gate tables, version 4 the check-in tables
    // (`checkins`, `checkin_audit`); SCHEMA creates them below.
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
    Ok(conn)
}
