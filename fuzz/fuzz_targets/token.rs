#![no_main]
//! `cargo +nightly fuzz run token`: see `sealmatch::fuzzing::token`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sealmatch::fuzzing::token(data));
