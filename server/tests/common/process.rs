//! The real server binary as a child process, and plain HTTP/1.1 requests to
//! it over a loopback socket (blocking: call them from threads to act as
//! many kiosks at once).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running server; killed (SIGKILL) when dropped.
pub struct Running {
    pub child: Child,
    pub addr: String,
    pub key: Option<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary over `dir` (its database: see [`super::db_env`]; pages
/// from `dir/www`, ...), with `keys` as `SEALMATCH_KIOSK_KEYS` (none: a key is
/// generated), and waits until it listens.
pub fn start(dir: &Path, keys: Option<&str>) -> Running {
    start_with(dir, keys, &[])
}

/// [`start`] with more environment variables.
pub fn start_with(dir: &Path, keys: Option<&str>, env: &[(&str, &str)]) -> Running {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("stderr.log"))
        .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sealmatch-server"));
    cmd.env("PORT", "0")
        .env("SEALMATCH_BIND", "127.0.0.1")
        .env("SEALMATCH_DB", super::db_env(dir))
        .env("SEALMATCH_WWW", dir.join("www"))
        .env("SEALMATCH_PKG", dir.join("pkg"))
        .env(
            "SEALMATCH_MOUNTS",
            format!("/samples={}", dir.join("samples").display()),
        )
        .env_remove("SEALMATCH_KIOSK_KEYS")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log));
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(k) = keys {
        cmd.env("SEALMATCH_KIOSK_KEYS", k);
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut addr = None;
    let mut key = None;
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(30)) {
        if let Some(rest) = line.strip_prefix("sealmatch-server listening on http://") {
            addr = Some(rest.trim_end_matches('/').to_owned());
        }
        if line.starts_with("kiosk key (generated") {
            key = line.rsplit(' ').next().map(str::to_owned);
        }
        if line.starts_with("serving ") && line.ends_with(" at /samples/") {
            break;
        }
    }
    Running {
        child,
        addr: addr.expect("the server printed its address"),
        key,
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// One request on a fresh connection (`Connection: close`); the whole answer.
pub fn http(addr: &str, method: &str, path: &str, key: Option<&str>, body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(k) = key {
        req.push_str(&format!("Authorization: Bearer {k}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // A server may answer (413) before reading a large body and close.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    // Decode chunked bodies (small, well-formed).
    let r = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    if r.header("transfer-encoding") == Some("chunked") {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let eol = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[eol + 2..eol + 2 + n]);
            rest = &rest[eol + 4 + n..];
        }
        body = out;
    }
    Reply { body, ..r }
}
