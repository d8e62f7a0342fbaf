//! The sweep in PostgreSQL. Every node's sweeper may run it at the same time:
//! each statement takes only rows no other transaction holds
//! (`FOR UPDATE SKIP LOCKED`), and the tokens it deletes are audited by the
//! same statement (`UPDATE ... RETURNING` feeding the audit `INSERT`), so each
//! token is deleted once and audited once, and sweepers never wait on each
//! other or on a kiosk.

use tokio_postgres::Transaction;

use super::db::{commit, db_err};
use super::PgStore;
use crate::audit::Event;
use crate::checkins::CheckinEvent;
use crate::errors::ApiError;
use crate::store::rules::{bags, checkins};
use crate::store::SweepReport;

/// A table with tokens: its name, key column and audit table.
struct Tokens {
    table: &'static str,
    key: &'static str,
    audit: &'static str,
}

const BAGS: Tokens = Tokens {
    table: "bags",
    key: "bag_tag",
    audit: "audit",
};
const CHECKINS: Tokens = Tokens {
    table: "checkins",
    key: "booking_ref",
    audit: "checkin_audit",
};

/// Deletes the tokens due at `now` and audits each as `expired`, in one
/// statement. Returns the keys.
async fn expire_due(tx: &Transaction<'_>, t: &Tokens, now: i64) -> Result<Vec<String>, ApiError> {
    let Tokens { table, key, audit } = t;
    let sql = format!(
        "WITH gone AS (
             UPDATE {table} SET token = NULL, token_gone_at = $1, token_gone_why = 'expired'
             WHERE token IS NOT NULL AND {key} IN (
                 SELECT {key} FROM {table} WHERE token IS NOT NULL AND expires_at <= $1
                 FOR UPDATE SKIP LOCKED)
             RETURNING {key})
         INSERT INTO {audit} (at, event, {key})
         SELECT $1, 'expired', {key} FROM gone ORDER BY {key}
         RETURNING {key}"
    );
    let rows = tx.query(&sql, &[&now]).await.map_err(db_err)?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Deletes the rows of `table` that `old` (over `$1` = now, `$2` = kept
/// seconds) selects and no other transaction holds. Returns how many.
async fn purge(
    tx: &Transaction<'_>,
    table: &str,
    key: &str,
    old: &str,
    now: i64,
    keep: i64,
) -> Result<usize, ApiError> {
    let sql = format!(
        "DELETE FROM {table} WHERE {key} IN (
             SELECT {key} FROM {table} WHERE {old} FOR UPDATE SKIP LOCKED)"
    );
    let n = tx.execute(&sql, &[&now, &keep]).await.map_err(db_err)?;
    Ok(n as usize)
}

impl PgStore {
    /// See [`crate::store::Store::sweep`].
    pub(super) async fn sweep_all(&self, now: i64) -> Result<SweepReport, ApiError> {
        let keep = self.retention_seconds;
        let mut conn = self.connection().await?;
        let tx = conn.transaction().await.map_err(db_err)?;
        let expired = expire_due(&tx, &BAGS, now).await?;
        let record_old = "GREATEST(expires_at, updated_at) <= $1::BIGINT - $2::BIGINT";
        let audit_old = "at <= $1::BIGINT - $2::BIGINT";
        let purged_bags = purge(&tx, "bags", "bag_tag", record_old, now, keep).await?;
        let purged_audit = purge(&tx, "audit", "id", audit_old, now, keep).await?
            + purge(&tx, "gate_audit", "id", audit_old, now, keep).await?;
        let expired_checkins = expire_due(&tx, &CHECKINS, now).await?;
        let purged_checkins = purge(&tx, "checkins", "booking_ref", record_old, now, keep).await?;
        let purged_checkin_audit = purge(&tx, "checkin_audit", "id", audit_old, now, keep).await?;
        let lines = expired
            .iter()
            .map(|b| bags::log_line(Event::Expired, b))
            .chain(
                expired_checkins
                    .iter()
                    .map(|b| checkins::log_line(CheckinEvent::Expired, b)),
            )
            .collect();
        commit(tx, lines).await?;
        Ok(SweepReport {
            expired: expired.len(),
            purged_bags,
            purged_audit: purged_audit + purged_checkin_audit,
            expired_checkins: expired_checkins.len(),
            purged_checkins,
        })
    }
}
