//! PostgreSQL for the tests. `SEALMATCH_TEST_PG` (set by `make test`, through
//! `scripts/pg-throwaway.sh run`) is the connection string of a throwaway
//! cluster; then every test server gets a fresh schema on it (so the suite
//! runs against PostgreSQL), and [`Cluster`] starts clusters of its own for
//! the tests that stop the database.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The shared cluster's connection string, when the suite runs on PostgreSQL.
pub fn base_url() -> Option<String> {
    std::env::var("SEALMATCH_TEST_PG")
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// Whether a test that needs PostgreSQL runs: yes with `SEALMATCH_TEST_PG`;
/// without it, a panic when `SEALMATCH_PG_REQUIRED=1`, else `false` after
/// saying why on stderr.
pub fn available(test: &str) -> bool {
    if base_url().is_some() {
        return true;
    }
    if std::env::var("SEALMATCH_PG_REQUIRED").as_deref() == Ok("1") {
        panic!("{test}: SEALMATCH_PG_REQUIRED=1 but SEALMATCH_TEST_PG is unset (run it through scripts/pg-throwaway.sh run)");
    }
    eprintln!(
        "{test}: skipped, it needs PostgreSQL: SEALMATCH_TEST_PG is unset \
         (`make test-server-pg` runs the server suite on a throwaway PostgreSQL)"
    );
    false
}

/// Runs `f` on a runtime of its own, on another thread (test helpers that are
/// not async are called from inside the test's runtime).
fn on_own_runtime<T: Send + 'static>(
    f: impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f())
    })
    .join()
    .unwrap()
}

/// A connection (its driver spawned on the current runtime).
pub async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

/// A fresh, empty schema on the cluster at `base`, with the server's tables
/// (migrated); returns a connection string that uses it.
pub fn fresh_schema(base: &str) -> String {
    let url = empty_schema(base);
    let u = url.clone();
    on_own_runtime(move || {
        Box::pin(async move {
            sealmatch_server::store::postgres::PgStore::open(&u, 1)
                .await
                .unwrap();
        })
    });
    url
}

/// A fresh schema with no table; returns a connection string that uses it.
pub fn empty_schema(base: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "t{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{name}");
    let base = base.to_owned();
    on_own_runtime(move || {
        Box::pin(async move {
            connect(&base)
                .await
                .batch_execute(&format!("CREATE SCHEMA {name}"))
                .await
                .unwrap();
        })
    });
    url
}

/// One value of a row, for tests that look at every stored value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

/// The one integer `sql` selects (`SELECT COUNT(*) ...`, or an `INTEGER`
/// column): any SQL both databases accept.
pub async fn count(url: &str, sql: &str) -> i64 {
    let row = connect(url).await.query_one(sql, &[]).await.unwrap();
    row.try_get::<_, i64>(0)
        .unwrap_or_else(|_| row.get::<_, i32>(0).into())
}

/// The tables of the schema a connection string uses (the migrations' own
/// bookkeeping table left out), by name.
pub async fn tables(url: &str) -> Vec<String> {
    let rows = connect(url)
        .await
        .query(
            "SELECT table_name::TEXT FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'
             ORDER BY table_name",
            &[],
        )
        .await
        .unwrap();
    rows.iter().map(|r| r.get(0)).collect()
}

/// A table's column names and every row's values.
pub async fn rows(url: &str, table: &str) -> (Vec<String>, Vec<Vec<Value>>) {
    use tokio_postgres::types::Type;
    let client = connect(url).await;
    let stmt = client
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
        .await
        .unwrap();
    let columns = stmt.columns().iter().map(|c| c.name().to_owned()).collect();
    let rows = client.query(&stmt, &[]).await.unwrap();
    let values = rows
        .iter()
        .map(|r| {
            (0..r.len())
                .map(|i| match *r.columns()[i].type_() {
                    Type::INT8 => r.get::<_, Option<i64>>(i).map_or(Value::Null, Value::Int),
                    Type::INT4 => r
                        .get::<_, Option<i32>>(i)
                        .map_or(Value::Null, |v| Value::Int(v.into())),
                    Type::TEXT => r
                        .get::<_, Option<String>>(i)
                        .map_or(Value::Null, Value::Text),
                    ref other => panic!("{table}: a column of type {other}"),
                })
                .collect()
        })
        .collect();
    (columns, values)
}

/// A PostgreSQL cluster of its own (`scripts/pg-throwaway.sh start`), for a
/// test that stops and starts the database; stopped and removed when dropped.
pub struct Cluster {
    pub dir: PathBuf,
}

fn script(args: &[&str]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pg-throwaway.sh");
    let out = Command::new(path).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "pg-throwaway.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

impl Cluster {
    pub fn start() -> Cluster {
        Cluster {
            dir: PathBuf::from(script(&["start"])),
        }
    }

    pub fn url(&self) -> String {
        script(&["url", self.dir.to_str().unwrap()])
    }

    /// Stops the database as a crash would (`pg_ctl stop -m immediate`).
    pub fn halt(&self) {
        script(&["halt", self.dir.to_str().unwrap()]);
    }

    /// Starts it again.
    pub fn resume(&self) {
        script(&["resume", self.dir.to_str().unwrap()]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| script(&["stop", self.dir.to_str().unwrap()]));
    }
}
