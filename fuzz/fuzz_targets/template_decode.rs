#![no_main]
//! `cargo +nightly fuzz run template_decode`: see `sealmatch::fuzzing::template_decode`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sealmatch::fuzzing::template_decode(data));
