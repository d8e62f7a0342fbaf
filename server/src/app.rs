//! The HTTP application: routes, authentication, static files, headers, request log.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;
use crate::{auth, checkins, gates, handlers, static_files, AppState};

/// The API alone (under `/api`), without static files.
pub fn api(state: AppState) -> Router {
    // Gate devices: a kiosk key may ask, only the admin key may change.
    let gates = Router::new()
        .route(
            "/gates/{kid}",
            get(gates::api::info)
                .put(gates::api::register)
                .delete(gates::api::revoke),
        )
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_kiosk_or_admin_key,
        ));
    let protected = Router::new()
        .route(
            "/bags/{bag}/token",
            put(handlers::put_token).get(handlers::get_token),
        )
        .route("/bags/{bag}/boarding", post(handlers::boarding))
        .route("/bags/{bag}/challenge", post(handlers::challenge))
        .route(
            "/checkins/{booking}/token",
            put(checkins::api::put_token).get(checkins::api::get_token),
        )
        .route("/checkins/{booking}/bagdrop", post(checkins::api::bag_drop))
        .route(
            "/flights/{flight}/reconciliation",
            get(handlers::reconciliation),
        )
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .fallback(handlers::api_not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_kiosk_key,
        ));
    Router::new()
        .route("/api/health", get(handlers::health))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .nest("/api", gates.merge(protected))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}

/// The whole application for `config`: API, optional static files, security
/// headers and a request log (method, path, status; never bodies).
pub fn router(state: AppState, config: &Config) -> Router {
    let app = static_files::mount(
        api(state),
        config.www_dir.as_deref(),
        config.pkg_dir.as_deref(),
        &config.mounts,
    );
    static_files::security_headers(app).layer(middleware::from_fn(log_request))
}

async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let res = next.run(req).await;
    // Paths hold bag tags, booking references and flights only; query strings and bodies are not logged.
    crate::log::info(&format!("{method} {path} {}", res.status().as_u16()));
    res
}
