//! `/api/checkins/{bookingRef}/...`: check-in tokens, stored at web check-in
//! and used up at bag drop. Kiosk key required (the routes sit behind
//! [`crate::auth::require_kiosk_key`]); a token is admitted by the same
//! [`crate::tokencheck::admit`] as a bag token, with the booking reference in
//! place of the bag tag.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::BagDrop;
use crate::errors::{ApiError, ErrorCode};
use crate::handlers::{json, path_param, read_body, read_token, stored, MAX_BOARDING_BODY};
use crate::{tokencheck, validate, AppState};

fn booking_param(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let booking = path_param(p)?;
    validate::booking_ref(&booking)?;
    Ok(booking)
}

/// `PUT /api/checkins/{bookingRef}/token`: 201 stored, 200 the identical
/// token again, 409 another token (or one after the last was used or deleted).
pub async fn put_token(
    State(state): State<AppState>,
    booking: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let booking = booking_param(booking)?;
    let token = read_token(&headers, body).await?;
    let now = state.now();
    let facts = tokencheck::admit(&token, &booking, now).map_err(|e| match e.code() {
        ErrorCode::WrongBag => ApiError::new(
            ErrorCode::WrongBag,
            "the token's header names another booking reference",
        ),
        _ => e,
    })?;
    let outcome = state.store.put_checkin(&token, &facts, now).await?;
    Ok(stored(outcome, "bookingRef", &facts, "stored"))
}

/// `GET /api/checkins/{bookingRef}/token`: the token (`application/jose`) for
/// the bag-drop kiosk; 404 once used, deleted or expired (the message says which).
pub async fn get_token(
    State(state): State<AppState>,
    booking: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let booking = booking_param(booking)?;
    let token = state.store.get_checkin(&booking, state.now()).await?;
    Ok(crate::handlers::jose(token))
}

/// A bag-drop report: exactly `{"matched": true}` or `{"matched": false}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BagDropBody {
    matched: bool,
}

fn parse_bag_drop(raw: &[u8]) -> Result<BagDrop, ApiError> {
    let body: BagDropBody = serde_json::from_slice(raw).map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            r#"the body must be {"matched": true} or {"matched": false}"#,
        )
    })?;
    Ok(if body.matched {
        BagDrop::Matched
    } else {
        BagDrop::NotMatched
    })
}

/// `POST /api/checkins/{bookingRef}/bagdrop`: the kiosk's verdict. A match
/// uses the token up (idempotent); the third non-match deletes it.
pub async fn bag_drop(
    State(state): State<AppState>,
    booking: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let booking = booking_param(booking)?;
    let raw = read_body(&headers, body, MAX_BOARDING_BODY).await?;
    let report = parse_bag_drop(&raw)?;
    let outcome = state.store.bag_drop(&booking, report, state.now()).await?;
    let value = serde_json::to_value(outcome)
        .map_err(|e| ApiError::internal("cannot encode a bag-drop outcome", &e))?;
    Ok(json(StatusCode::OK, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_drop_bodies_are_exact() {
        assert_eq!(
            parse_bag_drop(br#"{"matched":true}"#).unwrap(),
            BagDrop::Matched
        );
        assert_eq!(
            parse_bag_drop(br#"{"matched":false}"#).unwrap(),
            BagDrop::NotMatched
        );
        for bad in [
            &br#"{}"#[..],
            br#"{"matched":1}"#,
            br#"{"matched":true,"manual":true}"#,
            br#"{"matched":null}"#,
            b"matched",
        ] {
            assert_eq!(
                parse_bag_drop(bad).unwrap_err().code(),
                ErrorCode::BadRequest
            );
        }
    }
}
