//! The `bags` and `audit` tables: the bag half of [`crate::store::Store`].
//! Each change reads the bag's row `FOR UPDATE` under the bag's advisory
//! lock, so reports for one bag arriving at several nodes apply one after
//! the other, each seeing what the previous one committed.

use tokio_postgres::{Row, Transaction};

use super::db::{commit, db_err, lock_key};
use super::PgStore;
use crate::audit::{Entry, Event};
use crate::bags::{BagStatus, Reconciliation};
use crate::errors::ApiError;
use crate::store::rules::bags::{boarded_by, log_line, BagChange, BagRow, EXPIRED};

fn bag_row(r: &Row) -> BagRow {
    BagRow {
        token: r.get("token"),
        expires_at: r.get("expires_at"),
        failed_attempts: r.get::<_, i32>("failed_attempts").max(0) as u32,
        boarded_at: r.get("boarded_at"),
        token_gone_why: r.get("token_gone_why"),
        challenge: r.try_get("challenge").unwrap_or(None),
        challenge_until: r.try_get("challenge_until").unwrap_or(None),
    }
}

async fn delete_token(
    tx: &Transaction<'_>,
    bag: &str,
    why: &str,
    now: i64,
) -> Result<(), ApiError> {
    // An expiry is not activity: retention counts from `expires_at` for it.
    tx.execute(
        "UPDATE bags SET token = NULL, token_gone_at = $2, token_gone_why = $3,
             updated_at = CASE WHEN $3 = 'expired' THEN updated_at ELSE $2 END
         WHERE bag_tag = $1 AND token IS NOT NULL",
        &[&bag, &now, &why],
    )
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Applies one change of [`crate::store::rules::bags`], with its audit event.
async fn apply(
    tx: &Transaction<'_>,
    bag: &str,
    change: &BagChange<'_>,
    now: i64,
    lines: &mut Vec<String>,
) -> Result<(), ApiError> {
    let done = match change {
        BagChange::Expire => return expire(tx, bag, now, lines).await,
        BagChange::Store { token, facts } => {
            tx.execute(
                "INSERT INTO bags
                   (bag_tag, flight, token, issued_at, expires_at, stored_at, failed_attempts,
                    boarded_at, boarded_by, token_gone_at, token_gone_why, updated_at,
                    challenge, challenge_until)
                 VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, NULL, NULL, NULL, $6, NULL, NULL)
                 ON CONFLICT (bag_tag) DO UPDATE SET
                    flight = EXCLUDED.flight, token = EXCLUDED.token,
                    issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at,
                    stored_at = EXCLUDED.stored_at, failed_attempts = 0, boarded_at = NULL,
                    boarded_by = NULL, token_gone_at = NULL, token_gone_why = NULL,
                    updated_at = EXCLUDED.updated_at, challenge = NULL, challenge_until = NULL",
                &[
                    &bag,
                    &facts.flight,
                    token,
                    &facts.issued_at,
                    &facts.expires_at,
                    &now,
                ],
            )
            .await
        }
        BagChange::Fetched => Ok(0),
        BagChange::SetChallenge(c) => {
            tx.execute(
                "UPDATE bags SET challenge = $2, challenge_until = $3 WHERE bag_tag = $1",
                &[&bag, &c.value, &c.expires_at],
            )
            .await
        }
        BagChange::ClearChallenge => {
            tx.execute(
                "UPDATE bags SET challenge = NULL, challenge_until = NULL WHERE bag_tag = $1",
                &[&bag],
            )
            .await
        }
        BagChange::Board(report) => {
            tx.execute(
                "UPDATE bags SET boarded_at = $2, boarded_by = $3, updated_at = $2,
                     challenge = NULL, challenge_until = NULL
                 WHERE bag_tag = $1",
                &[&bag, &now, &boarded_by(*report)],
            )
            .await
        }
        BagChange::CountFailure(n) => {
            tx.execute(
                "UPDATE bags SET failed_attempts = $2, updated_at = $3 WHERE bag_tag = $1",
                &[&bag, &(*n as i32), &now],
            )
            .await
        }
        BagChange::DeleteToken(why) => {
            delete_token(tx, bag, why, now).await?;
            Ok(0)
        }
    };
    done.map_err(db_err)?;
    match change.event() {
        Some(event) => record(tx, event, bag, now, lines).await,
        None => Ok(()),
    }
}

async fn expire(
    tx: &Transaction<'_>,
    bag: &str,
    now: i64,
    lines: &mut Vec<String>,
) -> Result<(), ApiError> {
    delete_token(tx, bag, EXPIRED, now).await?;
    record(tx, Event::Expired, bag, now, lines).await
}

async fn record(
    tx: &Transaction<'_>,
    event: Event,
    bag: &str,
    now: i64,
    lines: &mut Vec<String>,
) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO audit (at, event, bag_tag) VALUES ($1, $2, $3)",
        &[&now, &event.as_str(), &bag],
    )
    .await
    .map_err(db_err)?;
    lines.push(log_line(event, bag));
    Ok(())
}

impl PgStore {
    /// One transaction on one bag: takes the bag's lock, reads its row
    /// `FOR UPDATE`, asks `rule` what to do and applies the changes, then
    /// commits (also when `rule` refuses after changing something). An `Err`
    /// from `rule` or from the database rolls everything back.
    pub(super) async fn change_bag<'a, T>(
        &self,
        bag: &str,
        rule: impl FnOnce(Option<&BagRow>) -> Result<(Vec<BagChange<'a>>, T), ApiError> + Send,
        now: i64,
    ) -> Result<T, ApiError> {
        let mut conn = self.connection().await?;
        let tx = conn.transaction().await.map_err(db_err)?;
        lock_key(&tx, "bag", bag).await?;
        let row = tx
            .query_opt(
                "SELECT token, expires_at, failed_attempts, boarded_at, token_gone_why,
                        challenge, challenge_until
                 FROM bags WHERE bag_tag = $1 FOR UPDATE",
                &[&bag],
            )
            .await
            .map_err(db_err)?
            .map(|r| bag_row(&r));
        let (changes, out) = rule(row.as_ref())?;
        let mut lines = Vec::new();
        for change in &changes {
            apply(&tx, bag, change, now, &mut lines).await?;
        }
        commit(tx, lines).await?;
        Ok(out)
    }

    /// See [`crate::store::Store::reconciliation`].
    pub(super) async fn flight_bags(
        &self,
        flight: &str,
        now: i64,
    ) -> Result<Reconciliation, ApiError> {
        let conn = self.connection().await?;
        let rows = conn
            .query(
                "SELECT bag_tag, token, expires_at, failed_attempts, boarded_at, token_gone_why
                 FROM bags WHERE flight = $1 ORDER BY bag_tag COLLATE \"C\"",
                &[&flight],
            )
            .await
            .map_err(db_err)?;
        let statuses = rows.iter().map(|r| BagStatus {
            bag_tag: r.get("bag_tag"),
            state: bag_row(r).state(now),
        });
        Ok(Reconciliation::of(flight, statuses))
    }

    /// See [`crate::store::Store::audit_log`].
    pub(super) async fn bag_audit(&self, bag: Option<&str>) -> Result<Vec<Entry>, ApiError> {
        let conn = self.connection().await?;
        let rows = conn
            .query(
                "SELECT at, event, bag_tag FROM audit
                 WHERE $1::TEXT IS NULL OR bag_tag = $1 ORDER BY id",
                &[&bag],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| Entry {
                at: r.get(0),
                event: r.get(1),
                bag_tag: r.get(2),
            })
            .collect())
    }
}
