//! The `bags` table: each bag's token, header facts and boarding state, and
//! the operations on it (the bag half of [`crate::store::Store`]).

use rusqlite::{params, OptionalExtension, Transaction};

use super::db::{Db, Tx};
use crate::bags::{BagStatus, Boarding, BoardingOutcome, Reconciliation};
use crate::errors::ApiError;
use crate::gates::Challenge;
use crate::store::rules::bags::{self as rules, BagChange, BagRow, EXPIRED};
use crate::store::{PutOutcome, SweepReport};
use crate::tokencheck::TokenFacts;

impl Db {
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

    /// Applies one change of [`rules`] to the bag's row, with its audit event.
    fn apply(tx: &mut Tx<'_>, bag: &str, change: &BagChange<'_>, now: i64) -> Result<(), ApiError> {
        match change {
            BagChange::Expire => Self::delete_token(tx, bag, EXPIRED, now)?,
            BagChange::Store { token, facts } => {
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
            }
            BagChange::Fetched => {}
            BagChange::SetChallenge(c) => {
                tx.execute(
                    "UPDATE bags SET challenge = ?2, challenge_until = ?3 WHERE bag_tag = ?1",
                    params![bag, c.value, c.expires_at],
                )?;
            }
            BagChange::ClearChallenge => {
                tx.execute(
                    "UPDATE bags SET challenge = NULL, challenge_until = NULL WHERE bag_tag = ?1",
                    params![bag],
                )?;
            }
            BagChange::Board(report) => {
                tx.execute(
                    "UPDATE bags SET boarded_at = ?2, boarded_by = ?3, updated_at = ?2,
                         challenge = NULL, challenge_until = NULL
                     WHERE bag_tag = ?1",
                    params![bag, now, rules::boarded_by(*report)],
                )?;
            }
            BagChange::CountFailure(n) => {
                tx.execute(
                    "UPDATE bags SET failed_attempts = ?2, updated_at = ?3 WHERE bag_tag = ?1",
                    params![bag, n, now],
                )?;
            }
            BagChange::DeleteToken(why) => Self::delete_token(tx, bag, why, now)?,
        }
        match change.event() {
            Some(event) => tx.record(event, bag, now),
            None => Ok(()),
        }
    }

    /// Reads the bag's row, asks `rule` what to do, applies its changes.
    fn change_bag<'a, T>(
        tx: &mut Tx<'_>,
        bag: &str,
        rule: impl FnOnce(Option<&BagRow>) -> Result<(Vec<BagChange<'a>>, T), ApiError>,
        now: i64,
    ) -> Result<T, ApiError> {
        let row = Self::load(tx, bag)?;
        let (changes, out) = rule(row.as_ref())?;
        for change in &changes {
            Self::apply(tx, bag, change, now)?;
        }
        Ok(out)
    }

    /// See [`crate::store::Store::put_token`].
    pub(super) fn put_token(
        &self,
        token: &str,
        facts: &TokenFacts,
        now: i64,
    ) -> Result<PutOutcome, ApiError> {
        let bag = facts.bag_tag.as_str();
        self.write(|tx| Self::change_bag(tx, bag, |row| rules::put(row, token, facts, now), now))
    }

    /// See [`crate::store::Store::get_token`].
    pub(super) fn get_token(
        &self,
        bag: &str,
        challenge: Option<&Challenge>,
        now: i64,
    ) -> Result<String, ApiError> {
        self.write_outcome(|tx| {
            Self::change_bag(tx, bag, |row| rules::get(row, challenge, now), now)
        })
    }

    /// See [`crate::store::Store::issue_challenge`].
    pub(super) fn issue_challenge(&self, bag: &str, challenge: &Challenge) -> Result<(), ApiError> {
        self.write(|tx| {
            Self::change_bag(
                tx,
                bag,
                |row| Ok((rules::issue_challenge(row, challenge)?, ())),
                0,
            )
        })
    }

    /// See [`crate::store::Store::board`].
    pub(super) fn board(
        &self,
        bag: &str,
        report: Boarding,
        challenge: Option<&str>,
        now: i64,
    ) -> Result<BoardingOutcome, ApiError> {
        self.write_outcome(|tx| {
            Self::change_bag(
                tx,
                bag,
                |row| rules::board(bag, row, report, challenge, now),
                now,
            )
        })
    }

    /// See [`crate::store::Store::reconciliation`].
    pub(super) fn reconciliation(
        &self,
        flight: &str,
        now: i64,
    ) -> Result<Reconciliation, ApiError> {
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
        for row in rows {
            let (bag_tag, row) = row?;
            let state = row.state(now);
            bags.push(BagStatus { bag_tag, state });
        }
        Ok(Reconciliation::of(flight, bags))
    }

    /// See [`crate::store::Store::sweep`].
    pub(super) fn sweep(&self, now: i64) -> Result<SweepReport, ApiError> {
        let keep = self.retention_seconds;
        self.write(|tx| {
            let due = Self::due(
                tx,
                "SELECT bag_tag FROM bags WHERE token IS NOT NULL AND expires_at <= ?1",
                now,
            )?;
            for bag in &due {
                Self::apply(tx, bag, &BagChange::Expire, now)?;
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
            let (expired_checkins, purged_checkins, purged_checkin_audit) =
                Self::sweep_checkins(tx, now, keep)?;
            Ok(SweepReport {
                expired: due.len(),
                purged_bags,
                purged_audit: purged_audit + purged_checkin_audit,
                expired_checkins,
                purged_checkins,
            })
        })
    }
}
