//! The sealmatch reference token service.
//!
//! It stores sealed bag tokens between bag drop and boarding, deletes them at
//! boarding, after three failed matches or at expiry, and tells which bags to
//! offload. It never sees a fingerprint, a template or a passenger key: it only
//! checks a token's header (as `inspectToken` does) and keeps the token text.
//!
//! Modules: [`config`] (environment), [`bags`] (a bag's report, state and
//! answers), [`store`] (the [`store::Store`] trait and its SQLite and PostgreSQL backends),
//! [`handlers`] and [`app`] (HTTP), [`auth`] (kiosk keys), [`sweeper`] and
//! [`clock`] (time),
//! [`audit`], [`errors`], [`static_files`] (demo pages and security headers),
//! [`serve`] (the connection loop and its limits), [`gates`] (gate devices:
//! their keys, signed boarding results, registration with the admin key),
//! [`checkins`] (check-in tokens bound to a booking reference, used up at bag drop).

#![forbid(unsafe_code)]

pub mod app;
pub mod audit;
pub mod auth;
pub mod bags;
pub mod checkins;
pub mod clock;
pub mod config;
pub mod errors;
pub mod gates;
pub mod handlers;
pub mod log;
pub mod serve;
pub mod static_files;
pub mod store;
pub mod sweeper;
pub mod tokencheck;
pub mod validate;

use std::sync::Arc;

use clock::Clock;
use errors::ApiError;
use store::{Store, SweepReport};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The store (any backend: [`store::sqlite::SqliteStore`] or
    /// [`store::postgres::PgStore`]).
    pub store: Arc<dyn Store>,
    /// The time source.
    pub clock: Arc<dyn Clock>,
    /// The accepted kiosk keys.
    pub keys: Arc<auth::KeySet>,
    /// Gate keys from the configuration and the signing policy; with any gate
    /// key (configured or registered) or `SEALMATCH_GATE_SIGNING=required`,
    /// boarding reports need a signed proof.
    pub gates: Arc<gates::GatePolicy>,
    /// The admin key (`SEALMATCH_ADMIN_KEY`) that registers gates; none: gate
    /// registration is disabled.
    pub admin: Option<Arc<auth::KeySet>>,
}

impl AppState {
    /// A state over `store`, `clock` and `keys`.
    pub fn new(store: impl Store + 'static, clock: Arc<dyn Clock>, keys: &[String]) -> AppState {
        AppState::shared(Arc::new(store), clock, keys)
    }

    /// A state over a store already shared (as [`store::open`] returns it).
    pub fn shared(store: Arc<dyn Store>, clock: Arc<dyn Clock>, keys: &[String]) -> AppState {
        AppState {
            store,
            clock,
            keys: Arc::new(auth::KeySet::new(keys)),
            gates: Arc::new(gates::GatePolicy::default()),
            admin: None,
        }
    }

    /// The same state, requiring boarding results signed by one of `gate_keys`
    /// (none and no registered gate: not required, unless
    /// [`AppState::with_gate_signing_required`]).
    pub fn with_gate_keys(mut self, gate_keys: gates::GateKeys) -> AppState {
        let always = self.gates.always_required();
        self.gates = Arc::new(gates::GatePolicy::new(gate_keys, always));
        self
    }

    /// The same state; with `always`, boarding results must be signed even
    /// before any gate key exists (`SEALMATCH_GATE_SIGNING=required`).
    pub fn with_gate_signing_required(mut self, always: bool) -> AppState {
        let keys = self.gates.configured().clone();
        self.gates = Arc::new(gates::GatePolicy::new(keys, always));
        self
    }

    /// The same state, with gate registration open to `admin_key` (none: disabled).
    pub fn with_admin_key(mut self, admin_key: Option<&str>) -> AppState {
        self.admin = admin_key.map(|k| Arc::new(auth::KeySet::new(&[k.to_owned()])));
        self
    }

    /// The clock's time, Unix seconds.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// One sweep at the clock's `now` (the sweeper's step; tests call it directly).
    pub async fn sweep_now(&self) -> Result<SweepReport, ApiError> {
        self.store.sweep(self.now()).await
    }
}
