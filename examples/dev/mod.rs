//! Helpers shared by the development examples (`mod dev;` in each).

/// CPU seconds of this thread so far, at nanosecond resolution (Linux
/// `schedstat`; 0 elsewhere): the machine is shared, so wall time says little.
pub fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}
