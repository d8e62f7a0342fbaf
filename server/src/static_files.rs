//! Static files for the demo (pages at `/`, the npm package at `/pkg/`) and the
//! security headers every response carries.

use std::path::{Path, PathBuf};

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy for a page that embeds the package: scripts only
/// from this origin, WebAssembly compilation allowed (`'wasm-unsafe-eval'`, not
/// `'unsafe-eval'`), workers from this origin, images also from `data:`/`blob:`
/// (rendered captures, QR codes), fetches only to this origin and to the
/// fingerprint scanner services on the kiosk itself (SecuGen WebAPI at
/// `https://localhost:8443`, Suprema BioMini Web Agent at `https://localhost:8084`:
/// the page only receives scans from them), no plugins, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
worker-src 'self'; connect-src 'self' https://localhost:8443 https://localhost:8084; img-src 'self' data: blob:; media-src 'self' blob:; \
style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds `/pkg/` (the npm package), the extra `mounts` and `/` (the pages) when
/// configured. `.wasm` files are served as `application/wasm` (needed for
/// streaming compilation).
pub fn mount(
    router: Router,
    www: Option<&Path>,
    pkg: Option<&Path>,
    mounts: &[(String, PathBuf)],
) -> Router {
    let mut router = match pkg {
        Some(dir) => router.nest_service("/pkg", ServeDir::new(dir)),
        None => router,
    };
    for (prefix, dir) in mounts {
        router = router.nest_service(prefix, ServeDir::new(dir));
    }
    match www {
        Some(dir) => router.fallback_service(ServeDir::new(dir)),
        None => router,
    }
}

/// The headers set on every response (when a handler did not set them itself).
pub fn security_headers(router: Router) -> Router {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
        .layer(set(
            HeaderName::from_static("permissions-policy"),
            "camera=(self), microphone=(), geolocation=()",
        ))
}
