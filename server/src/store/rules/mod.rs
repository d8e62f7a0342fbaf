//! The state machine of bag and check-in tokens, apart from any database.
//!
//! A backend reads the row (locked for its transaction), asks these functions
//! what to do, and applies the changes they return in order, in the same
//! transaction; then it answers with their result. So the SQLite and the
//! PostgreSQL backends keep exactly the same rules and differ only in SQL.
//!
//! - [`bags`]: bag tokens, challenges and boarding reports;
//! - [`checkins`]: check-in tokens and bag-drop reports.

pub(crate) mod bags;
pub(crate) mod checkins;
