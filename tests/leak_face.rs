//! The face pipeline wipes what it derives from a face before freeing it:
//! the feature maps of the three networks, the crops and the aligned chip,
//! the landmarks, the raw descriptor and the embedding.
//!
//! This binary's global allocator scans every heap block the test thread
//! frees (or moves by a reallocation) while armed, as tests/leak_props.rs
//! does for keys and templates. With it armed, a drawn face goes through
//! `FaceEngine::run`, then `FaceSample::from_rgba` and a face enrollment and
//! verification. It counts
//!
//! - freed blocks of at least [`BIG`] bytes that are not all zeros: every
//!   feature map, crop and chip is that large, and nothing else the pipeline
//!   frees is (its lists of boxes and feedback codes are small);
//! - freed blocks holding 8 bytes of the face's landmarks, its raw
//!   descriptor, its embedding or its stored template (native floats; the
//!   needles are computed beforehand from the same frame, and checked to be
//!   what the engine computes).
//!
//! Controls in the same run: a copy of the chip and of the raw descriptor,
//! freed without wiping, are both counted. Needs the face weights
//! (target/face/sealmatch-face.bin); says so and passes without them, unless
//! SEALMATCH_FACE_REQUIRED=1.
//!
//! Limits: the stack, registers and other threads are not scanned; in WASM
//! the allocator differs (its copy of the caller's frame is wiped by
//! `Zeroizing` in `src/wasm/args.rs`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use sealmatch::face::capture::{FaceEngine, FaceOptions};
use sealmatch::face::detector::Detection;
use sealmatch::face::frame::Frame;
use sealmatch::face::recognition::{self, RecognitionNet};
use sealmatch::face::sample::FaceSample;
use sealmatch::face::weights::Weights;
use sealmatch::template::codec;
use sealmatch::{enroll_any, verify_any, Biometric, EnrollOptions, FaceTemplate, VerifyOptions};
use zeroize::Zeroizing;

#[path = "common/face_frames.rs"]
mod face_frames;

/// Blocks at least this large must be all zeros when freed.
const BIG: usize = 2048;

/// Sorted 8-byte windows of the face's derived values, with what each is of
/// (an index into [`KINDS`]).
static NEEDLES: OnceLock<Vec<(u64, usize)>> = OnceLock::new();
/// What the needles are windows of.
const KINDS: [&str; 4] = [
    "landmarks",
    "raw descriptor",
    "embedding",
    "stored template",
];
/// The size and needle kind of the last block that held a needle.
static LAST_HIT: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];
/// Freed blocks of at least `BIG` bytes that were not wiped.
static DIRTY_BIG: AtomicUsize = AtomicUsize::new(0);
/// Freed blocks holding a needle.
static DIRTY_NEEDLE: AtomicUsize = AtomicUsize::new(0);
/// Blocks scanned.
static SCANNED: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
}

struct ScanningAllocator;

impl ScanningAllocator {
    /// Scans a block about to be freed (still owned; nothing is read after free).
    unsafe fn scan(ptr: *mut u8, len: usize) {
        if !ARMED.with(|a| a.get()) || len < 8 {
            return;
        }
        SCANNED.fetch_add(1, Ordering::Relaxed);
        let block = std::slice::from_raw_parts(ptr, len);
        if len >= BIG && block.iter().any(|&b| b != 0) {
            DIRTY_BIG.fetch_add(1, Ordering::Relaxed);
        }
        let Some(needles) = NEEDLES.get() else { return };
        // Floats sit at offsets that are multiples of 4.
        let hit = block.windows(8).step_by(4).find_map(|w| {
            let w = u64::from_le_bytes(w.try_into().unwrap());
            needles
                .binary_search_by_key(&w, |n| n.0)
                .ok()
                .map(|i| needles[i].1)
        });
        if let Some(kind) = hit {
            DIRTY_NEEDLE.fetch_add(1, Ordering::Relaxed);
            LAST_HIT[0].store(len, Ordering::Relaxed);
            LAST_HIT[1].store(kind, Ordering::Relaxed);
        }
    }
}

unsafe impl GlobalAlloc for ScanningAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Self::scan(ptr, layout.size());
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Self::scan(ptr, layout.size());
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: ScanningAllocator = ScanningAllocator;

/// Windows (at float boundaries) of `values` with at least 4 non-zero bytes.
/// Wipes its own copy: stale needle bytes in freed memory could be handed
/// out again, half-written, and be counted against the library.
fn windows_of(values: &[f32], kind: usize, out: &mut Vec<(u64, usize)>) {
    let bytes: Zeroizing<Vec<u8>> =
        Zeroizing::new(values.iter().flat_map(|v| v.to_ne_bytes()).collect());
    for w in bytes.windows(8).step_by(4) {
        if w.iter().filter(|&&b| b != 0).count() >= 4 {
            out.push((u64::from_le_bytes(w.try_into().unwrap()), kind));
        }
    }
}

fn weights() -> Option<Vec<u8>> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/face/sealmatch-face.bin");
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            let msg = format!("{} absent: run `make face-weights`", path.display());
            if std::env::var("SEALMATCH_FACE_REQUIRED").as_deref() == Ok("1") {
                panic!("{msg}");
            }
            eprintln!("SKIPPED: {msg}");
            None
        }
    }
}

#[test]
fn face_pipeline_wipes_what_it_derives_from_a_face() {
    let Some(bytes) = weights() else { return };
    let engine = FaceEngine::new(&bytes, FaceOptions::default()).unwrap();
    let recognition = RecognitionNet::from_weights(&mut Weights::parse(&bytes).unwrap()).unwrap();
    let (w, h) = (320, 240);
    let px = face_frames::draw(w, h, &[(160.0, 120.0, 110.0)], 21);
    let frame = Frame::new(w, h, &px).unwrap();

    // The needles, from the same steps the engine takes.
    let expected = engine.run(&frame, true);
    let b = expected.face_box.expect("the drawn face is found");
    let d = Detection {
        score: 1.0,
        x: b.x,
        y: b.y,
        width: b.width,
        height: b.height,
    };
    let points = engine.landmarks(&frame, &d);
    let chip = frame.warp(&engine.chip_transform(&points), recognition::INPUT);
    let raw = recognition.forward(&RecognitionNet::input(&chip));
    let embedding = expected.embedding.as_ref().expect("an embedding");
    let again = sealmatch::face::capture::Embedding::from_raw(&raw);
    assert!(again == *embedding, "the needles are the engine's values");
    let template = FaceTemplate::from_embedding(&embedding.0).unwrap();
    let content = codec::encode_faces(std::slice::from_ref(&template)).unwrap();
    let stored: Vec<f32> = content
        [codec::PREAMBLE_LEN..codec::PREAMBLE_LEN + codec::EMBEDDING_BYTES]
        .chunks_exact(4)
        .map(|b| f32::from_bits(u32::from_be_bytes(b.try_into().unwrap())))
        .collect();
    let mut flat_points = Zeroizing::new(Vec::with_capacity(2 * points.len()));
    for &(x, y) in &points {
        flat_points.extend([x, y]);
    }
    // Sized once: a growing table would leave copies of needles in freed memory.
    let mut needles =
        Vec::with_capacity(2 * (flat_points.len() + raw.len() + 2 * recognition::DIM));
    windows_of(&flat_points, 0, &mut needles);
    windows_of(&raw, 1, &mut needles);
    windows_of(&embedding.0, 2, &mut needles);
    windows_of(&stored, 3, &mut needles);
    needles.sort_unstable();
    needles.dedup_by_key(|n| n.0);
    assert!(needles.len() > 300, "{} needles", needles.len());
    NEEDLES.set(needles).unwrap();
    let opts = EnrollOptions::new("0117123456", "SK1415");
    let verify_opts = VerifyOptions::new("0117123456");

    ARMED.with(|a| a.set(true));
    // Controls: a chip and a descriptor freed without wiping are counted.
    let (big0, needle0) = (
        DIRTY_BIG.load(Ordering::Relaxed),
        DIRTY_NEEDLE.load(Ordering::Relaxed),
    );
    drop(std::hint::black_box(chip.data.clone()));
    drop(std::hint::black_box(raw.clone()));
    let big = DIRTY_BIG.load(Ordering::Relaxed) - big0;
    let needle = DIRTY_NEEDLE.load(Ordering::Relaxed) - needle0;
    assert!(
        big == 1 && needle == 1,
        "controls seen: big {big}, needles {needle}"
    );

    let (big0, needle0, scanned0) = (
        DIRTY_BIG.load(Ordering::Relaxed),
        DIRTY_NEEDLE.load(Ordering::Relaxed),
        SCANNED.load(Ordering::Relaxed),
    );
    {
        let c = engine.run(&frame, true);
        assert!(c.embedding == expected.embedding);
        let guidance = engine.run(&frame, false);
        assert!(guidance.face_box.is_some());
        let sample = FaceSample::from_rgba(&engine, w, h, &px).unwrap();
        assert!(sample.is_usable());
        let e = enroll_any(&[&sample], &opts).unwrap();
        let r = verify_any(&sample, &e.token, &e.passenger_key, &verify_opts).unwrap();
        assert!(r.matched);
    }
    let big = DIRTY_BIG.load(Ordering::Relaxed) - big0;
    let needle = DIRTY_NEEDLE.load(Ordering::Relaxed) - needle0;
    let scanned = SCANNED.load(Ordering::Relaxed) - scanned0;
    ARMED.with(|a| a.set(false));
    assert!(scanned > 100, "{scanned} blocks scanned");
    let last = if needle > 0 {
        format!(
            " (the last: {} bytes, {})",
            LAST_HIT[0].load(Ordering::Relaxed),
            KINDS[LAST_HIT[1].load(Ordering::Relaxed)]
        )
    } else {
        String::new()
    };
    assert_eq!(
        (big, needle),
        (0, 0),
        "of {scanned} freed blocks, {big} large ones were not wiped and {needle} held face values{last}"
    );
}
