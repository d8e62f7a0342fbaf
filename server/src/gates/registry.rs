//! Gates registered at run time (`PUT /api/gates/{kid}`), as a store keeps
//! them: their public keys, and an audit of registrations and revocations
//! (key id and time only). [`GateRegistry`] is the part of a store backend
//! that keeps them (see [`crate::store::Store`]).

use async_trait::async_trait;

use crate::errors::ApiError;

/// At most this many gates can be registered at once (a bound on the table
/// and on what an admin key can make the server store).
pub const MAX_GATES: i64 = 1024;

/// What `register_gate` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GatePut {
    /// A new gate.
    Created,
    /// The same key was already registered under this id: nothing changed.
    Unchanged,
}

/// A gate registered at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisteredGate {
    /// base64url of the SEC1 P-256 public key, as registered.
    pub public_key: String,
    /// Unix seconds.
    pub registered_at: i64,
}

/// One row of the gate audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GateAuditEntry {
    /// Unix seconds.
    pub at: i64,
    /// `gate_registered` or `gate_revoked`.
    pub event: String,
    /// The gate key id.
    pub kid: String,
}

/// Where registered gates are kept: the gate half of every store backend.
/// The gate policy needs only this, not the whole [`crate::store::Store`].
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use sealmatch_server::gates::{GatePut, GateRegistry};
/// use sealmatch_server::store::sqlite::SqliteStore;
/// let dir = tempfile::tempdir().unwrap();
/// let store = SqliteStore::open(&dir.path().join("g.db"), 86_400).unwrap();
/// assert_eq!(store.register_gate("gate-1", "BPUB", 100).await.unwrap(), GatePut::Created);
/// assert_eq!(store.register_gate("gate-1", "BPUB", 200).await.unwrap(), GatePut::Unchanged);
/// assert!(store.register_gate("gate-1", "OTHER", 300).await.is_err());
/// assert_eq!(store.gate("gate-1").await.unwrap().unwrap().registered_at, 100);
/// assert_eq!(store.gate_count().await.unwrap(), 1);
/// store.revoke_gate("gate-1", 400).await.unwrap();
/// assert!(store.gate("gate-1").await.unwrap().is_none());
/// assert_eq!(store.gate_audit_log().await.unwrap().len(), 2);
/// # });
/// ```
#[async_trait]
pub trait GateRegistry: Send + Sync {
    /// Registers `public_key` (already checked to be a P-256 key) under `kid`.
    /// The same key again changes nothing; another key under a registered id
    /// is a `conflict` (revoke it first), and so is a new gate beyond
    /// [`MAX_GATES`]. Audited as `gate_registered`.
    async fn register_gate(
        &self,
        kid: &str,
        public_key: &str,
        now: i64,
    ) -> Result<GatePut, ApiError>;

    /// Revokes the gate `kid` (`not_found` when it is not registered): its
    /// signatures are refused from now on. Audited as `gate_revoked`.
    async fn revoke_gate(&self, kid: &str, now: i64) -> Result<(), ApiError>;

    /// The gate registered under `kid`, if any.
    async fn gate(&self, kid: &str) -> Result<Option<RegisteredGate>, ApiError>;

    /// How many gates are registered at run time.
    async fn gate_count(&self) -> Result<i64, ApiError>;

    /// The gate audit log, in order.
    async fn gate_audit_log(&self) -> Result<Vec<GateAuditEntry>, ApiError>;
}
