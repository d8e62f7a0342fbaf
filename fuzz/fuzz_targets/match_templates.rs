#![no_main]
//! `cargo +nightly fuzz run match_templates`: see `sealmatch::fuzzing::match_templates`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sealmatch::fuzzing::match_templates(data));
