//! The audit log: one row per event, with the bag tag and the time only.
//! (Each store backend keeps it; see [`crate::store::Store::audit_log`].)

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
