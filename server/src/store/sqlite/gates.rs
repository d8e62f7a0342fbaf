//! The `gates` and `gate_audit` tables: gate devices registered at run time
//! (the [`crate::gates::GateRegistry`] half of the store).

use rusqlite::{params, OptionalExtension};

use super::db::Db;
use crate::errors::{ApiError, ErrorCode};
use crate::gates::registry::{GateAuditEntry, GatePut, RegisteredGate, MAX_GATES};

fn record(tx: &rusqlite::Transaction<'_>, event: &str, kid: &str, at: i64) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO gate_audit (at, event, kid) VALUES (?1, ?2, ?3)",
        params![at, event, kid],
    )?;
    Ok(())
}

impl Db {
    /// See [`crate::gates::GateRegistry::register_gate`].
    pub(super) fn register_gate(
        &self,
        kid: &str,
        public_key: &str,
        now: i64,
    ) -> Result<GatePut, ApiError> {
        let out = self.write(|tx| {
            let existing: Option<String> = tx
                .query_row(
                    "SELECT public_key FROM gates WHERE kid = ?1",
                    params![kid],
                    |r| r.get(0),
                )
                .optional()?;
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
            let count: i64 = tx.query_row("SELECT COUNT(*) FROM gates", [], |r| r.get(0))?;
            if count >= MAX_GATES {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!("at most {MAX_GATES} gates can be registered"),
                ));
            }
            tx.execute(
                "INSERT INTO gates (kid, public_key, registered_at) VALUES (?1, ?2, ?3)",
                params![kid, public_key, now],
            )?;
            record(tx, "gate_registered", kid, now)?;
            Ok(GatePut::Created)
        })?;
        if out == GatePut::Created {
            crate::log::info(&format!("event=gate_registered kid={kid}"));
        }
        Ok(out)
    }

    /// See [`crate::gates::GateRegistry::revoke_gate`].
    pub(super) fn revoke_gate(&self, kid: &str, now: i64) -> Result<(), ApiError> {
        self.write(|tx| {
            if tx.execute("DELETE FROM gates WHERE kid = ?1", params![kid])? == 0 {
                return Err(ApiError::new(
                    ErrorCode::NotFound,
                    "no gate is registered under this id",
                ));
            }
            record(tx, "gate_revoked", kid, now)
        })?;
        crate::log::info(&format!("event=gate_revoked kid={kid}"));
        Ok(())
    }

    /// The gate registered under `kid`, if any.
    pub(super) fn gate(&self, kid: &str) -> Result<Option<RegisteredGate>, ApiError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT public_key, registered_at FROM gates WHERE kid = ?1",
                params![kid],
                |r| {
                    Ok(RegisteredGate {
                        public_key: r.get(0)?,
                        registered_at: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// How many gates are registered at run time.
    pub(super) fn gate_count(&self) -> Result<i64, ApiError> {
        Ok(self
            .lock()
            .query_row("SELECT COUNT(*) FROM gates", [], |r| r.get(0))?)
    }

    /// The gate audit log, in order.
    pub(super) fn gate_audit_log(&self) -> Result<Vec<GateAuditEntry>, ApiError> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT at, event, kid FROM gate_audit ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(GateAuditEntry {
                at: r.get(0)?,
                event: r.get(1)?,
                kid: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
