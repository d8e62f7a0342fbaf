//! The API's handlers: parse and check the request, call the store, shape the answer.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::bags::Boarding;
use crate::errors::{ApiError, ErrorCode};
use crate::gates::Challenge;
use crate::store::PutOutcome;
use crate::tokencheck::TokenFacts;
use crate::{gates, tokencheck, validate, AppState};

/// Largest token body accepted by `PUT /api/bags/{bagTag}/token`.
/// (The library's own bound on a token, 16 KiB.)
pub const MAX_TOKEN_BODY: usize = sealmatch::token::MAX_TOKEN_LEN;
/// Largest boarding report body.
pub const MAX_BOARDING_BODY: usize = 2048;
/// Time a client has to send a body.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

pub(crate) fn json(status: StatusCode, value: serde_json::Value) -> Response {
    let mut res = (status, value.to_string()).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

pub(crate) fn path_param(p: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    p.map(|Path(s)| s)
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "malformed path parameter"))
}

/// Reads at most `limit` bytes of body within [`BODY_TIMEOUT`]; more is
/// `too_large` (checked against `Content-Length` first, then while reading),
/// slower is `timeout`.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::new(
            ErrorCode::TooLarge,
            format!("the body must be at most {limit} bytes"),
        )
    };
    if let Some(len) = headers.get(header::CONTENT_LENGTH) {
        let len = len
            .to_str()
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| ApiError::new(ErrorCode::BadRequest, "bad Content-Length"))?;
        if len > limit as u64 {
            return Err(too_large());
        }
    }
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => Ok(bytes.to_vec()),
        Ok(Err(_)) => Err(too_large()),
        Err(_) => Err(ApiError::new(
            ErrorCode::Timeout,
            "the body did not arrive in time",
        )),
    }
}

/// Reads a token body (at most [`MAX_TOKEN_BODY`] bytes, see [`read_body`]):
/// its text without surrounding ASCII whitespace.
pub(crate) async fn read_token(headers: &HeaderMap, body: Body) -> Result<String, ApiError> {
    let raw = read_body(headers, body, MAX_TOKEN_BODY).await?;
    Ok(std::str::from_utf8(&raw)
        .map_err(|_| ApiError::new(ErrorCode::BadToken, "the token must be ASCII text"))?
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .to_owned())
}

/// A token as a `200 application/jose` answer.
pub(crate) fn jose(token: String) -> Response {
    let mut res = (StatusCode::OK, token).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jose"),
    );
    res
}

/// `GET /api/health`: no key needed. Also says whether boarding results must
/// be signed (`gateSigning`), so a gate page knows before it reports.
pub async fn health(State(state): State<AppState>) -> Response {
    let answer = async {
        state.store.health().await?;
        state.gates.required(&*state.store).await
    }
    .await;
    match answer {
        Ok(signing) => json(
            StatusCode::OK,
            serde_json::json!({ "status": "ok", "gateSigning": signing }),
        ),
        Err(_) => {
            ApiError::new(ErrorCode::Unavailable, "the store is not available").into_response()
        }
    }
}

/// `PUT /api/bags/{bagTag}/token`
pub async fn put_token(
    State(state): State<AppState>,
    bag: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bag = path_param(bag)?;
    validate::bag_tag(&bag)?;
    let token = read_token(&headers, body).await?;
    let now = state.now();
    let facts = tokencheck::admit(&token, &bag, now)?;
    let outcome = state.store.put_token(&token, &facts, now).await?;
    Ok(stored(outcome, "bagTag", &facts, "waiting"))
}

/// The answer to a `PUT .../token` that stored a token (or found it stored):
/// `{ <name>: the bag tag or booking reference, flight, expiresAt, state }`.
pub(crate) fn stored(outcome: PutOutcome, name: &str, facts: &TokenFacts, state: &str) -> Response {
    let mut answer = serde_json::json!({
        "flight": facts.flight,
        "expiresAt": facts.expires_at,
        "state": state,
    });
    answer[name] = facts.bag_tag.clone().into();
    json(outcome.status(), answer)
}

/// `GET /api/bags/{bagTag}/token`: the token text (`application/jose`), and,
/// when signed results are on, a fresh boarding challenge in the
/// `Sealmatch-Challenge` header.
pub async fn get_token(
    State(state): State<AppState>,
    bag: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let bag = path_param(bag)?;
    validate::bag_tag(&bag)?;
    let now = state.now();
    let challenge = if state.gates.required(&*state.store).await? {
        Some(Challenge::issue(now)?)
    } else {
        None
    };
    let token = state.store.get_token(&bag, challenge.as_ref(), now).await?;
    let mut res = jose(token);
    if let Some(v) = challenge.and_then(|c| HeaderValue::from_str(&c.value).ok()) {
        res.headers_mut().insert(gates::CHALLENGE_HEADER, v);
    }
    Ok(res)
}

/// A gate's report: exactly one of `matched` and `manual`, and an optional
/// signed `proof` (see [`crate::gates`]); unknown fields are refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BoardingBody {
    matched: Option<bool>,
    manual: Option<bool>,
    proof: Option<gates::Proof>,
}

fn parse_boarding(raw: &[u8]) -> Result<(Boarding, Option<gates::Proof>), ApiError> {
    let bad = || {
        ApiError::new(
            ErrorCode::BadRequest,
            r#"the body must be {"matched": true}, {"matched": false} or {"manual": true}"#,
        )
    };
    let body: BoardingBody = serde_json::from_slice(raw).map_err(|_| bad())?;
    let report = match (body.matched, body.manual) {
        (Some(true), None) => Boarding::Matched,
        (Some(false), None) => Boarding::NotMatched,
        (None, Some(true)) => Boarding::Manual,
        _ => return Err(bad()),
    };
    Ok((report, body.proof))
}

/// `POST /api/bags/{bagTag}/boarding`
pub async fn boarding(
    State(state): State<AppState>,
    bag: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bag = path_param(bag)?;
    validate::bag_tag(&bag)?;
    let raw = read_body(&headers, body, MAX_BOARDING_BODY).await?;
    let (report, proof) = parse_boarding(&raw)?;
    let now = state.now();
    let challenge = state
        .gates
        .check(&*state.store, &bag, report, proof.as_ref())
        .await?;
    let outcome = state
        .store
        .board(&bag, report, challenge.as_deref(), now)
        .await?;
    let value = serde_json::to_value(outcome)
        .map_err(|e| ApiError::internal("cannot encode a boarding outcome", &e))?;
    Ok(json(StatusCode::OK, value))
}

/// `POST /api/bags/{bagTag}/challenge`: a fresh one-time challenge for a signed
/// boarding result (for a manual check, or when the token was fetched earlier).
pub async fn challenge(
    State(state): State<AppState>,
    bag: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let bag = path_param(bag)?;
    validate::bag_tag(&bag)?;
    let now = state.now();
    if !state.gates.required(&*state.store).await? {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            "signed boarding results are not enabled on this server",
        ));
    }
    let challenge = Challenge::issue(now)?;
    state.store.issue_challenge(&bag, &challenge).await?;
    Ok(json(
        StatusCode::OK,
        serde_json::json!({ "challenge": challenge.value, "expiresAt": challenge.expires_at }),
    ))
}

/// `GET /api/flights/{flight}/reconciliation`
pub async fn reconciliation(
    State(state): State<AppState>,
    flight: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let flight = path_param(flight)?;
    validate::flight(&flight)?;
    let rec = state.store.reconciliation(&flight, state.now()).await?;
    let value = serde_json::to_value(rec)
        .map_err(|e| ApiError::internal("cannot encode a reconciliation", &e))?;
    Ok(json(StatusCode::OK, value))
}

/// Any other `/api/` path (after authentication).
pub async fn api_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such endpoint")
}

/// A known `/api/` path with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "method not allowed on this endpoint",
    )
}
