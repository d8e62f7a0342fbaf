//! The connection pool, the mapping of database failures to API errors, and
//! the pieces every write transaction uses: the per-key advisory lock and the
//! audit lines logged once it commits.

use std::time::Duration;

use deadpool_postgres::{
    Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime,
};
use tokio_postgres::error::SqlState;
use tokio_postgres::{NoTls, Transaction};

use crate::errors::ApiError;

/// Connections per node. A request holds one for its transaction only.
pub(super) const POOL_SIZE: usize = 16;
/// How long a request waits for a connection, or for a new one to open,
/// before it is answered 503 `unavailable`.
const WAIT: Duration = Duration::from_secs(3);

/// A database that stops answering without closing its connections (a
/// network partition, a host gone) is given up after this long: the
/// request gets 503 and the connection is replaced.
const SILENCE: Duration = Duration::from_secs(10);

/// The pool over `config`: no connection is opened until one is needed, and
/// a connection the server closed (a restart, a failover) is dropped and
/// replaced on the next request.
pub(super) fn pool(mut config: tokio_postgres::Config) -> Result<Pool, ApiError> {
    config
        .connect_timeout(WAIT)
        .keepalives(true)
        .keepalives_idle(SILENCE / 2)
        .keepalives_interval(Duration::from_secs(1))
        .keepalives_retries(3)
        .tcp_user_timeout(SILENCE);
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(POOL_SIZE)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(WAIT))
        .create_timeout(Some(WAIT))
        .recycle_timeout(Some(WAIT))
        .build()
        .map_err(|e| ApiError::internal("cannot build the connection pool", &e))
}

/// A connection from the pool; `unavailable` when none can be had (the
/// database refuses or does not answer, or every connection stays busy).
pub(super) async fn connection(pool: &Pool) -> Result<Object, ApiError> {
    pool.get().await.map_err(|e| match e {
        PoolError::Backend(e) => ApiError::unavailable("no database connection", &describe(&e)),
        other => ApiError::unavailable("no database connection", &other),
    })
}

/// An error's code and message only: a DbError's detail may quote a row.
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

/// A database error as an API error: `unavailable` (503) when the database
/// cannot be reached or is shutting down or starting, `internal` otherwise.
/// The error is logged, not sent.
pub(super) fn db_err(e: tokio_postgres::Error) -> ApiError {
    let unreachable = match e.code() {
        // Class 08: connection exceptions; 57P01..57P03: shutting down, starting.
        Some(code) => {
            code.code().starts_with("08")
                || *code == SqlState::ADMIN_SHUTDOWN
                || *code == SqlState::CRASH_SHUTDOWN
                || *code == SqlState::CANNOT_CONNECT_NOW
        }
        // No SQLSTATE: the connection is closed or its socket failed (else
        // a bug of ours, such as a value that does not convert).
        None => {
            e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>())
        }
    };
    let what = describe(&e);
    if unreachable {
        ApiError::unavailable("database unreachable", &what)
    } else {
        ApiError::internal("database error", &what)
    }
}

/// Takes the transaction-level advisory lock of `key` (a bag tag or a
/// booking reference, with its kind): every write to one bag or booking runs
/// one at a time on every node, also while its row does not exist yet.
pub(super) async fn lock_key(tx: &Transaction<'_>, kind: &str, key: &str) -> Result<(), ApiError> {
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))",
        &[&kind, &key],
    )
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Commits `tx`, then logs `lines` (the audit events it recorded).
pub(super) async fn commit(
    tx: deadpool_postgres::Transaction<'_>,
    lines: Vec<String>,
) -> Result<(), ApiError> {
    tx.commit().await.map_err(db_err)?;
    for line in lines {
        crate::log::info(&line);
    }
    Ok(())
}
