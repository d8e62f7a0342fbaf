//! The `checkins` and `checkin_audit` tables: the check-in half of
//! [`crate::store::Store`]. Each change reads the booking's row `FOR UPDATE`
//! under the booking's advisory lock, as [`super::bags`] does for a bag.

use tokio_postgres::Transaction;

use super::db::{commit, db_err, lock_key};
use super::PgStore;
use crate::checkins::{CheckinAuditEntry, CheckinEvent};
use crate::errors::ApiError;
use crate::store::rules::checkins::{log_line, CheckinChange, CheckinRow, EXPIRED, FAILED, USED};

async fn delete_token(
    tx: &Transaction<'_>,
    booking: &str,
    why: &str,
    now: i64,
) -> Result<(), ApiError> {
    // An expiry is not activity: retention counts from `expires_at` for it.
    tx.execute(
        "UPDATE checkins SET token = NULL, token_gone_at = $2, token_gone_why = $3,
             updated_at = CASE WHEN $3 = 'expired' THEN updated_at ELSE $2 END
         WHERE booking_ref = $1 AND token IS NOT NULL",
        &[&booking, &now, &why],
    )
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Applies one change of [`crate::store::rules::checkins`], with its audit events.
async fn apply(
    tx: &Transaction<'_>,
    booking: &str,
    change: &CheckinChange<'_>,
    now: i64,
    lines: &mut Vec<String>,
) -> Result<(), ApiError> {
    match change {
        CheckinChange::Expire => delete_token(tx, booking, EXPIRED, now).await?,
        CheckinChange::Store { token, facts } => {
            tx.execute(
                "INSERT INTO checkins
                   (booking_ref, flight, token, issued_at, expires_at, stored_at,
                    failed_attempts, token_gone_at, token_gone_why, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, NULL, $6)
                 ON CONFLICT (booking_ref) DO UPDATE SET
                    flight = EXCLUDED.flight, token = EXCLUDED.token,
                    issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at,
                    stored_at = EXCLUDED.stored_at, failed_attempts = 0, token_gone_at = NULL,
                    token_gone_why = NULL, updated_at = EXCLUDED.updated_at",
                &[
                    &booking,
                    &facts.flight,
                    token,
                    &facts.issued_at,
                    &facts.expires_at,
                    &now,
                ],
            )
            .await
            .map_err(db_err)?;
        }
        CheckinChange::Fetched => {}
        CheckinChange::Use => delete_token(tx, booking, USED, now).await?,
        CheckinChange::CountFailure(n) => {
            tx.execute(
                "UPDATE checkins SET failed_attempts = $2, updated_at = $3 WHERE booking_ref = $1",
                &[&booking, &(*n as i32), &now],
            )
            .await
            .map_err(db_err)?;
        }
        CheckinChange::DeleteFailed => delete_token(tx, booking, FAILED, now).await?,
    }
    for event in change.events() {
        record(tx, *event, booking, now, lines).await?;
    }
    Ok(())
}

pub(super) async fn record(
    tx: &Transaction<'_>,
    event: CheckinEvent,
    booking: &str,
    now: i64,
    lines: &mut Vec<String>,
) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO checkin_audit (at, event, booking_ref) VALUES ($1, $2, $3)",
        &[&now, &event.as_str(), &booking],
    )
    .await
    .map_err(db_err)?;
    lines.push(log_line(event, booking));
    Ok(())
}

impl PgStore {
    /// One transaction on one booking, as [`PgStore::change_bag`] for a bag.
    pub(super) async fn change_checkin<'a, T>(
        &self,
        booking: &str,
        rule: impl FnOnce(Option<&CheckinRow>) -> Result<(Vec<CheckinChange<'a>>, T), ApiError> + Send,
        now: i64,
    ) -> Result<T, ApiError> {
        let mut conn = self.connection().await?;
        let tx = conn.transaction().await.map_err(db_err)?;
        lock_key(&tx, "checkin", booking).await?;
        let row = tx
            .query_opt(
                "SELECT token, expires_at, failed_attempts, token_gone_why
                 FROM checkins WHERE booking_ref = $1 FOR UPDATE",
                &[&booking],
            )
            .await
            .map_err(db_err)?
            .map(|r| CheckinRow {
                token: r.get(0),
                expires_at: r.get(1),
                failed_attempts: r.get::<_, i32>(2).max(0) as u32,
                token_gone_why: r.get(3),
            });
        let (changes, out) = rule(row.as_ref())?;
        let mut lines = Vec::new();
        for change in &changes {
            apply(&tx, booking, change, now, &mut lines).await?;
        }
        commit(tx, lines).await?;
        Ok(out)
    }

    /// See [`crate::store::Store::checkin_audit_log`].
    pub(super) async fn checkin_audit(
        &self,
        booking: Option<&str>,
    ) -> Result<Vec<CheckinAuditEntry>, ApiError> {
        let conn = self.connection().await?;
        let rows = conn
            .query(
                "SELECT at, event, booking_ref FROM checkin_audit
                 WHERE $1::TEXT IS NULL OR booking_ref = $1 ORDER BY id",
                &[&booking],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| CheckinAuditEntry {
                at: r.get(0),
                event: r.get(1),
                booking_ref: r.get(2),
            })
            .collect())
    }
}
