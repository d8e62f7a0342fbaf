#![no_main]
//! `cargo +nightly fuzz run passenger_key`: see `sealmatch::fuzzing::passenger_key`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sealmatch::fuzzing::passenger_key(data));
