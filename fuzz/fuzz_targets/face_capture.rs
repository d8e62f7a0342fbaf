#![no_main]
//! `cargo +nightly fuzz run face_capture`: see `sealmatch::fuzzing::face_capture`.
//! Needs the face weights (`make face-weights`, or `SEALMATCH_FACE_WEIGHTS`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let engine = sealmatch::fuzzing::face_engine()
        .expect("face weights absent: run `make face-weights` or set SEALMATCH_FACE_WEIGHTS");
    sealmatch::fuzzing::face_capture(engine, data)
});
