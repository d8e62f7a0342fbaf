//! Minimal line logging to stderr. Callers pass event names, bag tags, flights,
//! methods, paths and status codes only: never a token body, a key or a request body.

use crate::clock::{Clock, SystemClock};

/// `YYYY-MM-DDTHH:MM:SSZ` for Unix seconds (proleptic Gregorian calendar).
///
/// ```
/// assert_eq!(sealmatch_server::log::rfc3339(0), "1970-01-01T00:00:00Z");
/// assert_eq!(sealmatch_server::log::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
/// ```
pub fn rfc3339(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's public-domain algorithm description).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

fn line(level: &str, msg: &str) {
    eprintln!("{} {level} {msg}", rfc3339(SystemClock.now()));
}

/// An informational line.
pub fn info(msg: &str) {
    line("INFO ", msg);
}

/// A warning.
pub fn warn(msg: &str) {
    line("WARN ", msg);
}

/// An error.
pub fn error(msg: &str) {
    line("ERROR", msg);
}
