//! `/api/gates/{kid}`: gate devices registered at run time.
//!
//! `GET` (kiosk or admin key) tells a gate page whether signing is required
//! and whether its key id is known; `PUT` and `DELETE` (admin key only, never
//! a kiosk key) register and revoke a gate's P-256 public key. Registrations
//! are kept in the store (they survive a restart) and audited with the key id
//! and the time only.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::keys::{is_kid, parse_public_key};
use super::policy::Source;
use super::registry::GatePut;
use crate::errors::{ApiError, ErrorCode};
use crate::handlers::{json, path_param, read_body};
use crate::{auth, AppState};

/// Largest registration body.
pub const MAX_GATE_BODY: usize = 1024;

fn kid_param(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let kid = path_param(p)?;
    if is_kid(&kid) {
        Ok(kid)
    } else {
        Err(ApiError::new(
            ErrorCode::BadRequest,
            "kid must be 1-64 characters of A-Z, a-z, 0-9, -, _, .",
        ))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Registration {
    public_key: String,
}

/// `GET /api/gates/{kid}`: `{ kid, gateSigning, registered, source?, registeredAt? }`.
pub async fn info(
    State(state): State<AppState>,
    kid: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let kid = kid_param(kid)?;
    let (gates, store) = (&state.gates, &*state.store);
    let signing = gates.required(store).await?;
    let mut value = serde_json::json!({ "kid": kid, "gateSigning": signing, "registered": false });
    if let Some((_, source)) = gates.key(store, &kid).await? {
        value["registered"] = true.into();
        value["source"] = source.as_str().into();
        if source == Source::Registered {
            if let Some(g) = store.gate(&kid).await? {
                value["registeredAt"] = g.registered_at.into();
            }
        }
    }
    Ok(json(StatusCode::OK, value))
}

/// `PUT /api/gates/{kid}` with the admin key: body `{ "publicKey": "<base64url
/// SEC1 P-256 point>" }`. 201 registered, 200 the same key again, 409 another
/// key under that id (or an id of `SEALMATCH_GATE_KEYS`).
pub async fn register(
    State(state): State<AppState>,
    kid: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    auth::require_admin(&state, &headers)?;
    let kid = kid_param(kid)?;
    let raw = read_body(&headers, body, MAX_GATE_BODY).await?;
    let bad = || {
        ApiError::new(
            ErrorCode::BadRequest,
            r#"the body must be {"publicKey": "<base64url of a P-256 public key>"}"#,
        )
    };
    let reg: Registration = serde_json::from_slice(&raw).map_err(|_| bad())?;
    if parse_public_key(&reg.public_key).is_none() {
        return Err(bad());
    }
    if state.gates.configured().get(&kid).is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "this gate id is configured in SEALMATCH_GATE_KEYS",
        ));
    }
    let now = state.now();
    let outcome = state
        .store
        .register_gate(&kid, &reg.public_key, now)
        .await?;
    let registered_at = state
        .store
        .gate(&kid)
        .await?
        .map_or(now, |g| g.registered_at);
    let status = match outcome {
        GatePut::Created => StatusCode::CREATED,
        GatePut::Unchanged => StatusCode::OK,
    };
    Ok(json(
        status,
        serde_json::json!({
            "kid": kid,
            "registered": true,
            "source": Source::Registered.as_str(),
            "registeredAt": registered_at,
        }),
    ))
}

/// `DELETE /api/gates/{kid}` with the admin key: revokes a registered gate
/// (404 unknown; 409 for an id of `SEALMATCH_GATE_KEYS`, which only the
/// configuration can remove).
pub async fn revoke(
    State(state): State<AppState>,
    kid: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    auth::require_admin(&state, &headers)?;
    let kid = kid_param(kid)?;
    if state.gates.configured().get(&kid).is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "this gate id is configured in SEALMATCH_GATE_KEYS; remove it there",
        ));
    }
    state.store.revoke_gate(&kid, state.now()).await?;
    Ok(json(
        StatusCode::OK,
        serde_json::json!({ "kid": kid, "registered": false }),
    ))
}
