#![no_main]
//! `cargo +nightly fuzz run minutiae_record`: see `sealmatch::fuzzing::minutiae_record`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sealmatch::fuzzing::minutiae_record(data));
