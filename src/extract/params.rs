//! One place for the tunable numbers of the extractor, so tuning runs can
//! vary them; release builds use the defaults written at each call site.

/// The value of tunable `name` (its default in normal builds).
#[inline]
pub(crate) fn tunable(name: &str, default: f32) -> f32 {
    let _ = name;
    default
}
