//! Which gate keys are accepted, when a boarding report must be signed, and
//! the check of a report's proof.
//!
//! Gate keys come from two places: `SEALMATCH_GATE_KEYS` (fixed at start) and
//! the store (registered at run time with the admin key, `PUT /api/gates/{kid}`,
//! revoked with `DELETE`). Signing is required when any key is known, or always
//! when `SEALMATCH_GATE_SIGNING=required` (so a fresh server with no gate yet
//! refuses unsigned boardings instead of accepting them).

use p256::ecdsa::VerifyingKey;

use super::keys::{parse_public_key, GateKeys};
use super::proof::{verify_signature, Proof};
use super::registry::GateRegistry;
use crate::bags::Boarding;
use crate::errors::{ApiError, ErrorCode};

/// Where a gate key comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `SEALMATCH_GATE_KEYS`.
    Configured,
    /// Registered at run time (the store).
    Registered,
}

impl Source {
    /// `configured` or `registered`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Configured => "configured",
            Source::Registered => "registered",
        }
    }
}

/// The gate-signing policy.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use sealmatch_server::gates::{GateKeys, GatePolicy, GateRegistry};
/// use sealmatch_server::store::sqlite::SqliteStore;
/// let dir = tempfile::tempdir().unwrap();
/// let store = SqliteStore::open(&dir.path().join("p.db"), 86_400).unwrap();
/// let auto = GatePolicy::new(GateKeys::default(), false);
/// assert!(!auto.required(&store).await.unwrap());
/// assert!(GatePolicy::new(GateKeys::default(), true).required(&store).await.unwrap());
/// // A gate registered at run time turns signing on.
/// store.register_gate("gate-1", "BPUB", 100).await.unwrap();
/// assert!(auto.required(&store).await.unwrap());
/// # });
/// ```
#[derive(Clone, Debug, Default)]
pub struct GatePolicy {
    configured: GateKeys,
    always: bool,
}

impl GatePolicy {
    /// Keys from the configuration; `always`: signing is required even with no key.
    pub fn new(configured: GateKeys, always: bool) -> GatePolicy {
        GatePolicy { configured, always }
    }

    /// The keys from `SEALMATCH_GATE_KEYS`.
    pub fn configured(&self) -> &GateKeys {
        &self.configured
    }

    /// True when `SEALMATCH_GATE_SIGNING=required`.
    pub fn always_required(&self) -> bool {
        self.always
    }

    /// Whether a boarding report (match or manual) must be signed now.
    pub async fn required<R>(&self, registry: &R) -> Result<bool, ApiError>
    where
        R: GateRegistry + ?Sized,
    {
        Ok(self.always || !self.configured.is_empty() || registry.gate_count().await? > 0)
    }

    /// The key registered under `kid` and where it comes from.
    pub async fn key<R>(
        &self,
        registry: &R,
        kid: &str,
    ) -> Result<Option<(VerifyingKey, Source)>, ApiError>
    where
        R: GateRegistry + ?Sized,
    {
        if let Some(k) = self.configured.get(kid) {
            return Ok(Some((*k, Source::Configured)));
        }
        match registry.gate(kid).await? {
            Some(g) => {
                let key = parse_public_key(&g.public_key).ok_or_else(|| {
                    ApiError::new(ErrorCode::Internal, "a stored gate key does not parse")
                })?;
                Ok(Some((key, Source::Registered)))
            }
            None => Ok(None),
        }
    }

    /// Checks a report's proof. Returns the challenge to use up, if the report
    /// is signed. A report that boards a bag (match or manual) needs a proof
    /// when signing is required; a non-match never does (it cannot keep a bag
    /// on board). A proof sent when signing is off is refused, not ignored.
    pub async fn check<R>(
        &self,
        registry: &R,
        bag: &str,
        report: Boarding,
        proof: Option<&Proof>,
    ) -> Result<Option<String>, ApiError>
    where
        R: GateRegistry + ?Sized,
    {
        let required = self.required(registry).await?;
        match proof {
            Some(_) if !required => Err(ApiError::new(
                ErrorCode::BadProof,
                "this server does not use signed results; send the report without proof",
            )),
            Some(p) => {
                let (key, _) = self.key(registry, &p.kid).await?.ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::BadProof,
                        "unknown gate key id (register this gate device first)",
                    )
                })?;
                verify_signature(&key, bag, report, p)?;
                Ok(Some(p.challenge.clone()))
            }
            None if required && report != Boarding::NotMatched => Err(ApiError::new(
                ErrorCode::BadProof,
                "a signed result (proof) is required",
            )),
            None => Ok(None),
        }
    }
}
