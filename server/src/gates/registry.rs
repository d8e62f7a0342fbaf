//! Gates registered at run time (`PUT /api/gates/{kid}`), as a store keeps
//! them: their public keys, and an audit of registrations and revocations
//! (key id and time only).

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
