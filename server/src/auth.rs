//! Kiosk authentication: `Authorization: Bearer KEY`, compared in constant time.

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::errors::{ApiError, ErrorCode};
use crate::AppState;

/// The accepted kiosk keys, kept only as SHA-256 digests so that comparing
/// them takes the same time whatever the length or content of a guess.
pub struct KeySet {
    digests: Vec<[u8; 32]>,
}

fn digest(s: &str) -> [u8; 32] {
    Sha256::digest(s.as_bytes()).into()
}

impl KeySet {
    /// The set of `keys`.
    ///
    /// ```
    /// use sealmatch_server::auth::KeySet;
    /// let keys = KeySet::new(&["kiosk-one-secret-key".to_string()]);
    /// assert!(keys.accepts("kiosk-one-secret-key"));
    /// assert!(!keys.accepts("kiosk-one-secret-keY"));
    /// ```
    pub fn new(keys: &[String]) -> KeySet {
        KeySet {
            digests: keys.iter().map(|k| digest(k)).collect(),
        }
    }

    /// Whether `presented` is one of the keys. Every key is compared, in constant time.
    pub fn accepts(&self, presented: &str) -> bool {
        let d = digest(presented);
        let mut ok = subtle::Choice::from(0u8);
        for k in &self.digests {
            ok |= k.ct_eq(&d);
        }
        bool::from(ok)
    }

    /// Checks an `Authorization` header value against kiosk keys.
    pub fn check_header(&self, value: Option<&[u8]>) -> Result<(), ApiError> {
        self.check_header_as(value, "kiosk")
    }

    /// Checks an `Authorization` header value; `role` names the key in messages.
    pub fn check_header_as(&self, value: Option<&[u8]>, role: &str) -> Result<(), ApiError> {
        let value = value.ok_or_else(|| {
            ApiError::new(ErrorCode::Unauthorized, format!("a {role} key is required"))
        })?;
        let key = std::str::from_utf8(value)
            .ok()
            .and_then(|v| {
                let (scheme, rest) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            })
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Unauthorized,
                    format!("use Authorization: Bearer <{role} key>"),
                )
            })?;
        if self.accepts(key) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::Unauthorized,
                format!("unknown {role} key"),
            ))
        }
    }
}

/// Middleware: every request it wraps needs a valid kiosk key, or gets 401
/// before any handler (or body read) runs.
pub async fn require_kiosk_key(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let header = req.headers().get(AUTHORIZATION).map(|v| v.as_bytes());
    match state.keys.check_header(header) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Middleware for `/api/gates/...`: a kiosk key or the admin key (the
/// handlers then ask for the admin key where they change something).
pub async fn require_kiosk_or_admin_key(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let header = req.headers().get(AUTHORIZATION).map(|v| v.as_bytes());
    let admin_ok = state
        .admin
        .as_ref()
        .is_some_and(|a| a.check_header_as(header, "admin").is_ok());
    if admin_ok {
        return next.run(req).await;
    }
    match state.keys.check_header(header) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Checks that a request carries the admin key. Without an admin key
/// configured, gate registration is disabled: `not_found`.
pub fn require_admin(state: &AppState, headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
    let admin = state.admin.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            "gate registration is disabled (SEALMATCH_ADMIN_KEY is not set)",
        )
    })?;
    admin.check_header_as(headers.get(AUTHORIZATION).map(|v| v.as_bytes()), "admin")
}
