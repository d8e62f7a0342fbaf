//! Helpers shared by the crate's unit tests.

/// The first `n` items of `v`'s block after `v` was emptied (by `zeroize` or
/// `clear`), without reallocating: what the next user of that block would
/// find. The wiping tests read it to check that a buffer was cleared in place.
///
/// `n` must not exceed the number of items `v` held before it was emptied:
/// those slots were written, and emptying a `Vec` does not deinitialise them.
/// Test-only, and the crate's only `unsafe` outside the matcher's CPU-feature
/// dispatch (`matcher::consolidate::fill_candidates`).
#[allow(unsafe_code)]
pub(crate) fn written_after_clear<T: Copy>(v: &mut Vec<T>, n: usize) -> Vec<T> {
    assert!(v.is_empty() && n <= v.capacity());
    v.spare_capacity_mut()[..n]
        .iter()
        // SAFETY: the caller wrote these `n` slots before emptying `v` (see
        // above); `clear` and `zeroize` leave them initialised.
        .map(|m| unsafe { m.assume_init() })
        .collect()
}
