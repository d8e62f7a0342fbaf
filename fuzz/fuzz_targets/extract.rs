#![no_main]
//! `cargo +nightly fuzz run extract`: see `sealmatch::fuzzing::extract`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sealmatch::fuzzing::extract(data));
