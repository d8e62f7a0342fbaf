//! The API's error vocabulary: every failure is JSON `{ "error": CODE, "message": ... }`.
//!
//! Messages are short static texts or shapes (lengths, bounds): never a token body,
//! never a key.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The stable error codes of the API (see `server/openapi.yaml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// Malformed request: bad bag tag or flight in the path, bad JSON body, ...
    BadRequest,
    /// The body is not a well-formed sealmatch token (or an unsupported version).
    BadToken,
    /// The token's header names another bag than the path.
    WrongBag,
    /// The token has expired (`now >= exp`).
    Expired,
    /// The body is larger than the endpoint accepts.
    TooLarge,
    /// The body did not arrive in time.
    Timeout,
    /// Missing or wrong `Authorization: Bearer KEY`.
    Unauthorized,
    /// A boarding report lacks a required gate signature, or it does not verify
    /// (unknown key id, bad signature, unknown, used or expired challenge).
    BadProof,
    /// No such bag, or no token any more (boarded, deleted or expired).
    NotFound,
    /// The request conflicts with the bag's state (another token, already boarded, ...).
    Conflict,
    /// The path exists but not with this method.
    MethodNotAllowed,
    /// The store failed; nothing about the request is revealed.
    Internal,
    /// The store is not reachable (the database is down or unreachable); try
    /// again. `GET /api/health` answers it too.
    Unavailable,
}

impl ErrorCode {
    /// Every code (the documented vocabulary).
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::BadRequest,
        ErrorCode::BadToken,
        ErrorCode::WrongBag,
        ErrorCode::Expired,
        ErrorCode::TooLarge,
        ErrorCode::Timeout,
        ErrorCode::Unauthorized,
        ErrorCode::BadProof,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
    ];

    /// The code string sent in `error`.
    ///
    /// ```
    /// use sealmatch_server::errors::ErrorCode;
    /// assert_eq!(ErrorCode::WrongBag.as_str(), "wrong_bag");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::BadToken => "bad_token",
            ErrorCode::WrongBag => "wrong_bag",
            ErrorCode::Expired => "expired",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::BadProof => "bad_proof",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
        }
    }

    /// The HTTP status that goes with the code.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadRequest | ErrorCode::BadToken | ErrorCode::WrongBag => {
                StatusCode::BAD_REQUEST
            }
            ErrorCode::Expired => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::Timeout => StatusCode::REQUEST_TIMEOUT,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::BadProof => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// An API error: a code and a human message.
///
/// ```
/// use sealmatch_server::errors::{ApiError, ErrorCode};
/// let e = ApiError::new(ErrorCode::Conflict, "this bag already has another token");
/// assert_eq!(e.code(), ErrorCode::Conflict);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
}

impl ApiError {
    /// A new error. Keep `message` free of token bodies and keys.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// The code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// A store failure. The database error is logged, not sent.
    pub fn internal(context: &str, err: &dyn std::fmt::Display) -> Self {
        crate::log::error(&format!("{context}: {err}"));
        ApiError::new(ErrorCode::Internal, "internal error")
    }

    /// The database cannot be reached. The cause is logged, not sent.
    ///
    /// ```
    /// use sealmatch_server::errors::{ApiError, ErrorCode};
    /// let e = ApiError::unavailable("database unreachable", &"connection refused");
    /// assert_eq!(e.code(), ErrorCode::Unavailable);
    /// assert_eq!(e.code().status().as_u16(), 503);
    /// ```
    pub fn unavailable(context: &str, err: &dyn std::fmt::Display) -> Self {
        crate::log::error(&format!("{context}: {err}"));
        ApiError::new(
            ErrorCode::Unavailable,
            "the database is not available; try again",
        )
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        serde_json::json!({ "error": self.code.as_str(), "message": self.message }).to_string()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.code.status(), self.body()).into_response();
        let headers = res.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.code == ErrorCode::Unauthorized {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"sealmatch\""),
            );
        }
        res
    }
}
