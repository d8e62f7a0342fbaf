//! Gate devices and kiosk-signed boarding results.
//!
//! A bearer kiosk key is a shared secret; alone it should not be enough to keep
//! a bag on board. Each gate (or staff) device holds its own ECDSA P-256 key
//! pair (in a browser: a non-extractable WebCrypto key) and the server knows
//! its public key under a key id (`kid`), from `SEALMATCH_GATE_KEYS` or
//! registered at run time with the admin key. When signing is required (any
//! gate key known, or `SEALMATCH_GATE_SIGNING=required`), a report that boards
//! a bag (`matched: true` or `manual: true`) must carry a `proof`: the device's
//! signature over the result and a one-time challenge the server issued for
//! that bag (returned by `GET .../token` in the `Sealmatch-Challenge` header,
//! or by `POST .../challenge`). A challenge is valid for
//! [`CHALLENGE_TTL_SECONDS`] and only once.
//!
//! - [`keys`]: the configured keys, key ids and public keys;
//! - [`proof`]: the challenge, the signed message and the signature check;
//! - [`registry`]: gates registered at run time, as a store keeps them;
//! - [`policy`]: when a report must be signed, and checking its proof;
//! - [`api`]: `/api/gates/{kid}` (information, registration, revocation).

pub mod api;
pub mod keys;
pub mod policy;
pub mod proof;
pub mod registry;

pub use keys::{is_kid, parse_public_key, GateKeys};
pub use policy::{GatePolicy, Source};
pub use proof::{message, Challenge, Proof, CHALLENGE_HEADER, CHALLENGE_TTL_SECONDS};
pub use registry::{GateAuditEntry, GatePut, GateRegistry, RegisteredGate, MAX_GATES};
