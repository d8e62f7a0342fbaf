//! `sealmatch-server`: see the README's "Reference server" section.

#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use sealmatch_server::clock::SystemClock;
use sealmatch_server::config::Config;
use sealmatch_server::serve::{self, ServeLimits};
use sealmatch_server::{app, log, store, sweeper, AppState};

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        log::error(&e);
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let config = Config::from_env()?;
    let store = store::open(&config.db, config.retention_seconds)
        .await
        .map_err(|e| format!("cannot open {}: {e}", config.db.describe()))?;
    let state = AppState::shared(store, Arc::new(SystemClock), &config.kiosk_keys)
        .with_gate_keys(config.gate_keys.clone())
        .with_gate_signing_required(config.gate_signing_required)
        .with_admin_key(config.admin_key.as_deref());
    state
        .sweep_now()
        .await
        .map_err(|e| format!("first sweep failed: {e}"))?;
    let registered = state
        .store
        .gate_count()
        .await
        .map_err(|e| format!("cannot read the gate table: {e}"))?;
    let _sweeper = sweeper::spawn(state.clone(), config.sweep_interval);
    let app = app::router(state, &config);

    let addr = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    println!("sealmatch-server listening on http://{local}/");
    println!("database: {}", config.db.describe());
    if config.key_generated {
        // The demo prints this on purpose; production sets SEALMATCH_KIOSK_KEYS.
        println!(
            "kiosk key (generated; set SEALMATCH_KIOSK_KEYS to choose): {}",
            config.kiosk_keys[0]
        );
    } else {
        println!("kiosk keys: {} configured", config.kiosk_keys.len());
    }
    if config.gate_signing_required || !config.gate_keys.is_empty() || registered > 0 {
        println!(
            "gate signing: required ({} configured, {registered} registered gate keys)",
            config.gate_keys.len()
        );
    } else {
        println!("gate signing: off until a gate key is configured or registered");
    }
    if config.admin_key.is_some() {
        // Never printed: the operator chose it (the demo prints its own).
        println!("gate registration: on (PUT /api/gates/{{kid}} with the admin key)");
    }
    if let Some(www) = &config.www_dir {
        println!("serving pages from {}", www.display());
    }
    if let Some(pkg) = &config.pkg_dir {
        println!("serving the package from {} at /pkg/", pkg.display());
    }
    for (prefix, dir) in &config.mounts {
        println!("serving {} at {prefix}/", dir.display());
    }
    serve::serve(listener, app, ServeLimits::default(), shutdown()).await;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    log::info("shutting down");
}
