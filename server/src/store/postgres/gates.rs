//! The `gates` and `gate_audit` tables: the [`crate::gates::GateRegistry`]
//! half of the store. Every read goes to the database (no per-node cache),
//! so a gate registered or revoked on one node counts on every node from the
//! moment the change commits.

use super::db::{commit, db_err, lock_key};
use super::PgStore;
use crate::errors::{ApiError, ErrorCode};
use crate::gates::registry::{GateAuditEntry, GatePut, RegisteredGate, MAX_GATES};

impl PgStore {
    /// See [`crate::gates::GateRegistry::register_gate`]. Registrations run
    /// one at a time (an advisory lock), so [`MAX_GATES`] holds across nodes.
    pub(super) async fn put_gate(
        &self,
        kid: &str,
        public_key: &str,
        now: i64,
    ) -> Result<GatePut, ApiError> {
        let mut conn = self.connection().await?;
        let tx = conn.transaction().await.map_err(db_err)?;
        lock_key(&tx, "gates", "").await?;
        let existing = tx
            .query_opt("SELECT public_key FROM gates WHERE kid = $1", &[&kid])
            .await
            .map_err(db_err)?
            .map(|r| r.get::<_, String>(0));
        match existing {
            Some(k) if k == public_key => return Ok(GatePut::Unchanged),
            Some(_) => {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "another key is registered under this gate id; revoke it first",
                ))
            }
            None => {}
        }
        let count: i64 = tx
            .query_one("SELECT COUNT(*) FROM gates", &[])
            .await
            .map_err(db_err)?
            .get(0);
        if count >= MAX_GATES {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("at most {MAX_GATES} gates can be registered"),
            ));
        }
        tx.execute(
            "INSERT INTO gates (kid, public_key, registered_at) VALUES ($1, $2, $3)",
            &[&kid, &public_key, &now],
        )
        .await
        .map_err(db_err)?;
        self.gate_event(&tx, "gate_registered", kid, now).await?;
        commit(tx, vec![format!("event=gate_registered kid={kid}")]).await?;
        Ok(GatePut::Created)
    }

    /// See [`crate::gates::GateRegistry::revoke_gate`].
    pub(super) async fn delete_gate(&self, kid: &str, now: i64) -> Result<(), ApiError> {
        let mut conn = self.connection().await?;
        let tx = conn.transaction().await.map_err(db_err)?;
        let n = tx
            .execute("DELETE FROM gates WHERE kid = $1", &[&kid])
            .await
            .map_err(db_err)?;
        if n == 0 {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                "no gate is registered under this id",
            ));
        }
        self.gate_event(&tx, "gate_revoked", kid, now).await?;
        commit(tx, vec![format!("event=gate_revoked kid={kid}")]).await
    }

    async fn gate_event(
        &self,
        tx: &tokio_postgres::Transaction<'_>,
        event: &str,
        kid: &str,
        now: i64,
    ) -> Result<(), ApiError> {
        tx.execute(
            "INSERT INTO gate_audit (at, event, kid) VALUES ($1, $2, $3)",
            &[&now, &event, &kid],
        )
        .await
        .map_err(db_err)?;
        Ok(())
    }

    /// See [`crate::gates::GateRegistry::gate`].
    pub(super) async fn find_gate(&self, kid: &str) -> Result<Option<RegisteredGate>, ApiError> {
        let conn = self.connection().await?;
        let row = conn
            .query_opt(
                "SELECT public_key, registered_at FROM gates WHERE kid = $1",
                &[&kid],
            )
            .await
            .map_err(db_err)?;
        Ok(row.map(|r| RegisteredGate {
            public_key: r.get(0),
            registered_at: r.get(1),
        }))
    }

    /// See [`crate::gates::GateRegistry::gate_count`].
    pub(super) async fn count_gates(&self) -> Result<i64, ApiError> {
        let conn = self.connection().await?;
        let row = conn
            .query_one("SELECT COUNT(*) FROM gates", &[])
            .await
            .map_err(db_err)?;
        Ok(row.get(0))
    }

    /// See [`crate::gates::GateRegistry::gate_audit_log`].
    pub(super) async fn gate_audit(&self) -> Result<Vec<GateAuditEntry>, ApiError> {
        let conn = self.connection().await?;
        let rows = conn
            .query("SELECT at, event, kid FROM gate_audit ORDER BY id", &[])
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| GateAuditEntry {
                at: r.get(0),
                event: r.get(1),
                kid: r.get(2),
            })
            .collect())
    }
}
