//! The `audit` table: one row per bag event, with the bag tag and the time only.

use rusqlite::{params, Connection};

use super::db::Db;
use crate::audit::{Entry, Event};
use crate::errors::ApiError;

/// Appends an event inside the caller's transaction (see [`super::db::Tx::record`],
/// which also logs it once the transaction commits).
pub(super) fn record(
    conn: &Connection,
    event: Event,
    bag_tag: &str,
    at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit (at, event, bag_tag) VALUES (?1, ?2, ?3)",
        params![at, event.as_str(), bag_tag],
    )?;
    Ok(())
}

impl Db {
    /// The log in order, optionally for one bag.
    pub(super) fn audit_log(&self, bag_tag: Option<&str>) -> Result<Vec<Entry>, ApiError> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT at, event, bag_tag FROM audit WHERE ?1 IS NULL OR bag_tag = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![bag_tag], |r| {
            Ok(Entry {
                at: r.get(0)?,
                event: r.get(1)?,
                bag_tag: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
