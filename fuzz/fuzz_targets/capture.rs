#![no_main]
//! `cargo +nightly fuzz run capture`: see `sealmatch::fuzzing::capture`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sealmatch::fuzzing::capture(data));
