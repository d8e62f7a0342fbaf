//! The audit log: one row per event, with the bag tag and the time only.

use rusqlite::{params, Connection};

/// What happened to a bag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A token was stored at bag drop.
    Stored,
    /// A gate fetched the token.
    Fetched,
    /// The passenger matched; the bag is boarded.
    Boarded,
    /// A gate reported a non-match.
    FailedAttempt,
    /// Staff checked the passenger's ID by hand; the bag is boarded.
    Manual,
    /// The token was deleted (at boarding, or after the third failed attempt).
    Deleted,
    /// The token reached its expiry and was deleted.
    Expired,
}

impl Event {
    /// The name stored in the log.
    ///
    /// ```
    /// use sealmatch_server::audit::Event;
    /// assert_eq!(Event::FailedAttempt.as_str(), "failed_attempt");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Stored => "stored",
            Event::Fetched => "fetched",
            Event::Boarded => "boarded",
            Event::FailedAttempt => "failed_attempt",
            Event::Manual => "manual",
            Event::Deleted => "deleted",
            Event::Expired => "expired",
        }
    }
}

/// One audit row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Unix seconds.
    pub at: i64,
    /// Event name (see [`Event::as_str`]).
    pub event: String,
    /// The bag.
    pub bag_tag: String,
}

/// Append an event inside the caller's transaction (the store logs its name and
/// bag once the transaction commits).
pub fn record(conn: &Connection, event: Event, bag_tag: &str, at: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO audit (at, event, bag_tag) VALUES (?1, ?2, ?3)",
        params![at, event.as_str(), bag_tag],
    )?;
    Ok(())
}

/// The log in order, optionally for one bag.
pub fn entries(conn: &Connection, bag_tag: Option<&str>) -> rusqlite::Result<Vec<Entry>> {
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
    rows.collect()
}
