//! Several server nodes on one PostgreSQL: two real server processes (the
//! binary) on one database, driven at the same moment as kiosks and gates
//! would be, and the faults: the database stopped and started again, a node
//! killed with SIGKILL under load, two nodes migrating at once.
//!
//! These need PostgreSQL (`SEALMATCH_TEST_PG`, see `common::pg`); `make test`
//! runs them through `make test-server-pg`.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::process::{http, start_with, Reply, Running};
use common::{pg, KEY};
use sealmatch_server::bags::Boarding;

const ADMIN: &str = "admin-nodes-key-0123456789";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Two nodes on one fresh schema (the same `SEALMATCH_DB`), sweeping every second.
fn two_nodes(dir: &Path) -> (Running, Running) {
    for d in ["www", "pkg", "samples"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
    }
    let env = [
        ("SEALMATCH_SWEEP_SECONDS", "1"),
        ("SEALMATCH_ADMIN_KEY", ADMIN),
    ];
    let a = start_with(dir, Some(KEY), &env);
    let b = start_with(dir, Some(KEY), &env);
    (a, b)
}

fn call(node: &Running, method: &str, path: &str, body: &str) -> Reply {
    http(&node.addr, method, path, Some(KEY), body.as_bytes())
}

/// The database URL the nodes over `dir` use.
fn url(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("pg-url")).unwrap()
}

/// One `SELECT COUNT(*)`-like integer from the nodes' database.
fn count(dir: &Path, sql: &str) -> i64 {
    let (url, sql) = (url(dir), sql.to_owned());
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(pg::count(&url, &sql))
    })
    .join()
    .unwrap()
}

#[test]
fn simultaneous_boarding_reports_on_two_nodes_record_one_outcome() {
    if !pg::available("simultaneous_boarding_reports") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_nodes(dir.path());
    let bags: Vec<String> = (0..12).map(|i| format!("01172{i:05}")).collect();
    for (i, bag) in bags.iter().enumerate() {
        let t = common::token(bag, "SK1415", now(), 3600, i as u8);
        assert_eq!(
            call(&a, "PUT", &format!("/api/bags/{bag}/token"), &t).status,
            201
        );
    }
    // Each bag: a match at one node and a non-match at the other, at once.
    let answers = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for bag in &bags {
            for (node, body) in [(&a, r#"{"matched":true}"#), (&b, r#"{"matched":false}"#)] {
                let answers = &answers;
                s.spawn(move || {
                    let r = call(node, "POST", &format!("/api/bags/{bag}/boarding"), body);
                    answers
                        .lock()
                        .unwrap()
                        .push((bag.clone(), body, r.status, r.json()));
                });
            }
        }
    });
    for bag in &bags {
        let mine: Vec<_> = answers
            .lock()
            .unwrap()
            .iter()
            .filter(|x| &x.0 == bag)
            .cloned()
            .collect();
        let boarded = count(
            dir.path(),
            &format!("SELECT COUNT(*) FROM audit WHERE bag_tag = '{bag}' AND event = 'boarded'"),
        );
        let failed = count(
            dir.path(),
            &format!(
                "SELECT COUNT(*) FROM audit WHERE bag_tag = '{bag}' AND event = 'failed_attempt'"
            ),
        );
        assert_eq!(boarded, 1, "{bag}: one boarding recorded");
        let non_match = mine.iter().find(|x| x.1.contains("false")).unwrap();
        // Either the non-match came first (counted, then the match boarded),
        // or second (refused: the bag is boarded).
        match non_match.2 {
            200 => {
                assert_eq!(non_match.3["failedAttempts"], 1);
                assert_eq!(failed, 1);
            }
            409 => {
                assert_eq!(non_match.3["error"], "conflict");
                assert_eq!(failed, 0);
            }
            other => panic!("{bag}: the non-match got {other}"),
        }
        let matched = mine.iter().find(|x| x.1.contains("true")).unwrap();
        assert_eq!(matched.2, 200);
        assert_eq!(matched.3["state"], "boarded");
    }
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit WHERE event = 'deleted'"
        ),
        bags.len() as i64
    );
}

#[test]
fn failed_attempts_on_alternating_nodes_are_counted_once_each() {
    if !pg::available("failed_attempts_on_alternating_nodes") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_nodes(dir.path());
    let bag = "0117300001";
    let booking = "NOD123";
    let t = common::token(bag, "SK1415", now(), 3600, 1);
    assert_eq!(
        call(&b, "PUT", &format!("/api/bags/{bag}/token"), &t).status,
        201
    );
    let c = common::token(booking, "SK1415", now(), 3600, 2);
    assert_eq!(
        call(&a, "PUT", &format!("/api/checkins/{booking}/token"), &c).status,
        201
    );
    for path in [
        format!("/api/bags/{bag}/boarding"),
        format!("/api/checkins/{booking}/bagdrop"),
    ] {
        let answers = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for i in 0..8 {
                let node = if i % 2 == 0 { &a } else { &b };
                let (answers, path) = (&answers, &path);
                s.spawn(move || {
                    let r = call(node, "POST", path, r#"{"matched":false}"#);
                    answers.lock().unwrap().push((r.status, r.json()));
                });
            }
        });
        let answers = answers.into_inner().unwrap();
        let mut counted: Vec<u64> = answers
            .iter()
            .filter(|(s, _)| *s == 200)
            .map(|(_, v)| v["failedAttempts"].as_u64().unwrap())
            .collect();
        counted.sort_unstable();
        assert_eq!(
            counted,
            [1, 2, 3],
            "{path}: the third failure deletes, never another"
        );
        assert!(answers
            .iter()
            .filter(|(s, _)| *s != 200)
            .all(|(s, v)| *s == 404 && v["error"] == "not_found"));
    }
    let audit = |table: &str, key: &str, value: &str, event: &str| {
        count(
            dir.path(),
            &format!("SELECT COUNT(*) FROM {table} WHERE {key} = '{value}' AND event = '{event}'"),
        )
    };
    assert_eq!(audit("audit", "bag_tag", bag, "failed_attempt"), 3);
    assert_eq!(audit("audit", "bag_tag", bag, "deleted"), 1);
    assert_eq!(
        audit("checkin_audit", "booking_ref", booking, "failed_attempt"),
        3
    );
    assert_eq!(audit("checkin_audit", "booking_ref", booking, "deleted"), 1);
}

#[test]
fn gates_and_challenges_hold_across_nodes() {
    if !pg::available("gates_and_challenges_hold_across_nodes") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_nodes(dir.path());
    let bag = "0117300002";
    let t = common::token(bag, "SK1415", now(), 3600, 3);
    assert_eq!(
        call(&a, "PUT", &format!("/api/bags/{bag}/token"), &t).status,
        201
    );
    // Registered on node A: node B requires signatures and knows the key at once.
    let key = common::gate(21);
    let reg = format!(r#"{{"publicKey":"{}"}}"#, common::public_b64(&key));
    let r = http(
        &a.addr,
        "PUT",
        "/api/gates/gate-n",
        Some(ADMIN),
        reg.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    // A second gate, on node B (signing stays required once gate-n is revoked).
    let reg_m = format!(
        r#"{{"publicKey":"{}"}}"#,
        common::public_b64(&common::gate(22))
    );
    let r = http(
        &b.addr,
        "PUT",
        "/api/gates/gate-m",
        Some(ADMIN),
        reg_m.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let unsigned = call(
        &b,
        "POST",
        &format!("/api/bags/{bag}/boarding"),
        r#"{"matched":true}"#,
    );
    assert_eq!(
        (unsigned.status, unsigned.json()["error"].clone()),
        (403, "bad_proof".into())
    );
    // A challenge from node A, one signed report sent to both nodes at once:
    // it counts once.
    let ch = call(&a, "POST", &format!("/api/bags/{bag}/challenge"), "").json()["challenge"]
        .as_str()
        .unwrap()
        .to_owned();
    let sig = common::sign(&key, bag, Boarding::NotMatched, &ch);
    let body = common::report(Boarding::NotMatched, "gate-n", &ch, &sig);
    let statuses = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for node in [&a, &b, &a, &b] {
            let (statuses, body) = (&statuses, &body);
            s.spawn(move || {
                let r = call(node, "POST", &format!("/api/bags/{bag}/boarding"), body);
                statuses
                    .lock()
                    .unwrap()
                    .push((r.status, r.json()["error"].clone()));
            });
        }
    });
    let mut statuses = statuses.into_inner().unwrap();
    statuses.sort_by_key(|s| s.0);
    assert_eq!(statuses[0].0, 200, "one use of the challenge");
    assert!(
        statuses[1..]
            .iter()
            .all(|s| s.0 == 403 && s.1 == "bad_proof"),
        "{statuses:?}"
    );
    assert_eq!(
        count(
            dir.path(),
            &format!("SELECT failed_attempts FROM bags WHERE bag_tag = '{bag}'")
        ),
        1
    );
    // Revoked on node B: node A refuses the gate's next signature at once.
    let r = http(&b.addr, "DELETE", "/api/gates/gate-n", Some(ADMIN), b"");
    assert_eq!(
        (r.status, r.json()["registered"].clone()),
        (200, false.into())
    );
    let r = call(&b, "POST", &format!("/api/bags/{bag}/challenge"), "");
    assert_eq!(r.status, 200, "{}", r.text());
    let ch = r.json()["challenge"].as_str().unwrap().to_owned();
    let sig = common::sign(&key, bag, Boarding::Matched, &ch);
    let body = common::report(Boarding::Matched, "gate-n", &ch, &sig);
    let r = call(&a, "POST", &format!("/api/bags/{bag}/boarding"), &body);
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (403, "bad_proof".into())
    );
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("unknown gate key id"));
}

#[test]
fn sweepers_on_both_nodes_expire_and_audit_each_token_once() {
    if !pg::available("sweepers_on_both_nodes") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_nodes(dir.path());
    let iat = now();
    for i in 0..24u8 {
        let node = if i % 2 == 0 { &a } else { &b };
        let bag = format!("01174{i:05}");
        let t = common::token(&bag, "SK1415", iat, 5, i);
        assert_eq!(
            call(node, "PUT", &format!("/api/bags/{bag}/token"), &t).status,
            201
        );
        let booking = format!("SWP{i:03}");
        let c = common::token(&booking, "SK1415", iat, 5, i ^ 0x55);
        assert_eq!(
            call(node, "PUT", &format!("/api/checkins/{booking}/token"), &c).status,
            201
        );
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while count(
        dir.path(),
        "SELECT COUNT(*) FROM bags WHERE token IS NOT NULL",
    ) + count(
        dir.path(),
        "SELECT COUNT(*) FROM checkins WHERE token IS NOT NULL",
    ) > 0
    {
        assert!(
            Instant::now() < deadline,
            "the sweepers did not expire the tokens"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(1500)); // more sweeps on both nodes
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit WHERE event = 'expired'"
        ),
        24
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(DISTINCT bag_tag) FROM audit WHERE event = 'expired'"
        ),
        24
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM checkin_audit WHERE event = 'expired'"
        ),
        24
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(DISTINCT booking_ref) FROM checkin_audit WHERE event = 'expired'"
        ),
        24
    );
}

#[test]
fn a_node_killed_under_load_loses_nothing_it_acknowledged() {
    if !pg::available("a_node_killed_under_load") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut a, b) = two_nodes(dir.path());
    let stop = AtomicBool::new(false);
    let acked = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for k in 0..6u32 {
            let (stop, acked, addr) = (&stop, &acked, a.addr.clone());
            s.spawn(move || {
                let mut i = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    let bag = format!("0118{k:01}{i:05}");
                    let t = common::token(&bag, "SK1415", now(), 3600, i as u8);
                    let path = format!("/api/bags/{bag}/token");
                    let ok = std::panic::catch_unwind(|| {
                        http(&addr, "PUT", &path, Some(KEY), t.as_bytes())
                    });
                    match ok {
                        Ok(r) if r.status == 201 => acked.lock().unwrap().push((bag, t)),
                        _ => break, // the node is gone
                    }
                    i += 1;
                }
            });
        }
        std::thread::sleep(Duration::from_millis(1500));
        a.child.kill().unwrap(); // SIGKILL
        a.child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
    });
    let acked = acked.into_inner().unwrap();
    assert!(
        acked.len() > 20,
        "only {} writes before the kill",
        acked.len()
    );
    for (bag, t) in &acked {
        let r = call(&b, "GET", &format!("/api/bags/{bag}/token"), "");
        assert_eq!(r.status, 200, "{bag} was acknowledged but is lost");
        assert_eq!(&r.text(), t);
    }
}

#[test]
fn the_database_down_answers_503_and_the_node_reconnects() {
    if !pg::available("the_database_down_answers_503") {
        return;
    }
    let cluster = pg::Cluster::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["www", "pkg", "samples"] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
    }
    std::fs::write(d.join("pg-url"), cluster.url()).unwrap();
    let node = start_with(d, Some(KEY), &[]);
    let kept = "0117500001";
    let t = common::token(kept, "SK1415", now(), 3600, 1);
    assert_eq!(
        call(&node, "PUT", &format!("/api/bags/{kept}/token"), &t).status,
        201
    );

    cluster.halt();
    let health = http(&node.addr, "GET", "/api/health", None, b"");
    assert_eq!(
        (health.status, health.json()["error"].clone()),
        (503, "unavailable".into())
    );
    let lost = "0117500002";
    let t2 = common::token(lost, "SK1415", now(), 3600, 2);
    for (method, path, body) in [
        ("PUT", format!("/api/bags/{lost}/token"), t2.as_str()),
        ("GET", format!("/api/bags/{kept}/token"), ""),
        (
            "POST",
            format!("/api/bags/{kept}/boarding"),
            r#"{"matched":false}"#,
        ),
        ("GET", "/api/flights/SK1415/reconciliation".to_owned(), ""),
    ] {
        let r = call(&node, method, &path, body);
        assert_eq!(r.status, 503, "{method} {path}");
        assert_eq!(r.json()["error"], "unavailable", "{method} {path}");
    }

    cluster.resume();
    let deadline = Instant::now() + Duration::from_secs(20);
    while http(&node.addr, "GET", "/api/health", None, b"").status != 200 {
        assert!(Instant::now() < deadline, "the node did not reconnect");
        std::thread::sleep(Duration::from_millis(100));
    }
    let r = call(&node, "GET", &format!("/api/bags/{kept}/token"), "");
    assert_eq!((r.status, r.text()), (200, t.clone()));
    // Nothing of what was refused during the outage was written.
    assert_eq!(
        call(&node, "GET", &format!("/api/bags/{lost}/token"), "").status,
        404
    );
    let r = call(
        &node,
        "POST",
        &format!("/api/bags/{kept}/boarding"),
        r#"{"matched":false}"#,
    );
    assert_eq!(
        (r.status, r.json()["failedAttempts"].clone()),
        (200, 1.into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_starting_at_once_apply_each_migration_once() {
    if !pg::available("nodes_starting_at_once") {
        return;
    }
    use sealmatch_server::store::postgres::PgStore;
    let url = pg::empty_schema(&pg::base_url().unwrap());
    let opens = (0..4).map(|_| {
        let u = url.clone();
        async move { PgStore::open(&u, 86_400).await.map(|_| ()) }
    });
    for r in futures_join_all(opens).await {
        r.unwrap();
    }
    let applied = pg::count(&url, "SELECT COUNT(*) FROM schema_migrations").await;
    assert_eq!(applied, i64::from(PgStore::schema_version()));
    // A database written by a newer server is refused, not changed.
    pg::connect(&url)
        .await
        .batch_execute("INSERT INTO schema_migrations VALUES (999, 0)")
        .await
        .unwrap();
    let err = PgStore::open(&url, 86_400).await.err().expect("refused");
    assert_eq!(err.message(), "the database was written by a newer server");
}

/// Runs the futures concurrently (no extra crate for `join_all`).
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    fs: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = fs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sweeps_on_two_stores_expire_each_token_once() {
    if !pg::available("concurrent_sweeps_on_two_stores") {
        return;
    }
    use sealmatch_server::store::postgres::PgStore;
    use sealmatch_server::store::Store;
    use sealmatch_server::tokencheck::admit;
    use std::sync::Arc;
    let url = pg::fresh_schema(&pg::base_url().unwrap());
    let nodes: Vec<Arc<PgStore>> = (0..2)
        .map(|_| Arc::new(PgStore::new(&url, 86_400).unwrap()))
        .collect();
    let t0 = common::T0;
    for i in 0..40u8 {
        let bag = format!("01176{i:05}");
        let t = common::live_token(&bag, "SK1415", i);
        let facts = admit(&t, &bag, t0).unwrap();
        nodes[usize::from(i) % 2]
            .put_token(&t, &facts, t0)
            .await
            .unwrap();
        let booking = format!("SWQ{i:03}");
        let c = common::live_token(&booking, "SK1415", i ^ 0x33);
        let facts = admit(&c, &booking, t0).unwrap();
        nodes[usize::from(i) % 2]
            .put_checkin(&c, &facts, t0)
            .await
            .unwrap();
    }
    let sweeps: Vec<_> = (0..8)
        .map(|k| {
            let node = Arc::clone(&nodes[k % 2]);
            tokio::spawn(async move { node.sweep(t0 + 7200).await.unwrap() })
        })
        .collect();
    let (mut expired, mut expired_checkins) = (0, 0);
    for s in sweeps {
        let r = s.await.unwrap();
        expired += r.expired;
        expired_checkins += r.expired_checkins;
    }
    assert_eq!(
        (expired, expired_checkins),
        (40, 40),
        "each token expired by one sweep"
    );
    let audit = nodes[0].audit_log(None).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.event == "expired").count(), 40);
    let checkin_audit = nodes[1].checkin_audit_log(None).await.unwrap();
    assert_eq!(
        checkin_audit
            .iter()
            .filter(|e| e.event == "expired")
            .count(),
        40
    );
}
