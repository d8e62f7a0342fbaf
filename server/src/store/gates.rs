//! Gate devices registered at run time (`PUT /api/gates/{kid}`): their public
//! keys, and an audit of registrations and revocations (key id and time only).

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::errors::{ApiError, ErrorCode};
use crate::gates::registry::{GateAuditEntry, GatePut, RegisteredGate, MAX_GATES};

fn record(tx: &rusqlite::Transaction<'_>, event: &str, kid: &str, at: i64) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO gate_audit (at, event, kid) VALUES (?1, ?2, ?3)",
        params![at, event, kid],
    )?;
    Ok(())
}

impl Store {
    /// Registers `public_key` (already checked to be a P-256 key) under `kid`.
    /// The same key again changes nothing; another key under a registered id
    /// is a `conflict` (revoke it first).
    ///
    /// ```
    /// use sealmatch_server::gates::GatePut;
    /// use sealmatch_server::store::Store;
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = Store::open(&dir.path().join("g.db"), 86_400).unwrap();
    /// assert_eq!(store.register_gate("gate-1", "BPUB", 100).unwrap(), GatePut::Created);
    /// assert_eq!(store.register_gate("gate-1", "BPUB", 200).unwrap(), GatePut::Unchanged);
    /// assert!(store.register_gate("gate-1", "OTHER", 300).is_err());
    /// assert_eq!(store.gate("gate-1").unwrap().unwrap().registered_at, 100);
    /// ```
    pub fn register_gate(
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

    /// Revokes the gate `kid` (`not_found` when it is not registered): its
    /// signatures are refused from now on.
    pub fn revoke_gate(&self, kid: &str, now: i64) -> Result<(), ApiError> {
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
    pub fn gate(&self, kid: &str) -> Result<Option<RegisteredGate>, ApiError> {
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
    pub fn gate_count(&self) -> Result<i64, ApiError> {
        Ok(self
            .lock()
            .query_row("SELECT COUNT(*) FROM gates", [], |r| r.get(0))?)
    }

    /// The gate audit log, in order.
    pub fn gate_audit_log(&self) -> Result<Vec<GateAuditEntry>, ApiError> {
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
