//! The current time in Unix seconds, on every target.
//!
//! `std::time::SystemTime::now` panics on `wasm32-unknown-unknown`, so there the
//! time comes from JavaScript's `Date.now()`.

/// Seconds since the Unix epoch (0 if the clock is before it).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Seconds since the Unix epoch (0 if the clock is before it).
#[cfg(target_arch = "wasm32")]
pub(crate) fn now_unix() -> u64 {
    let ms = js_sys::Date::now();
    if ms.is_finite() && ms > 0.0 {
        (ms / 1000.0).floor() as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn now_is_after_2024() {
        assert!(super::now_unix() > 1_704_067_200);
    }
}
