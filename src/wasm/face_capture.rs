//! The face exports: loading the face models once (`faceInit`), making a
//! face capture from RGBA pixels, reading its quality, feedback and box,
//! freeing it.
//!
//! The engine lives in a thread-local cell, set once by [`face_init`];
//! loading again is a no-op. Face captures live in [`FACES`], a registry of
//! their own beside the fingerprint [`super::fingerprint_capture::CAPTURES`]:
//! `enroll` and `verify` tell them apart by the JS layer's wrapping (a plain
//! number is a fingerprint capture's handle, `{ face: handle }` a face
//! capture's; see [`super::tokens`]). Every face export except
//! `faceCaptureFree` is `NOT_READY` before `faceInit` succeeded.

use std::cell::{OnceCell, RefCell};

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::args::{byte_view, get, u32_arg};
use super::errors::{fail, to_js};
use super::registry::{Entries, Registry};
use super::results::{f32_for_js, plain_object};
use crate::error::{ErrorCode, Result};
use crate::face::capture::{FaceEngine, FaceOptions};
use crate::face::frame::MAX_PIXELS;
use crate::face::sample::FaceSample;
use crate::face::weights::MAX_FILE_BYTES;

thread_local! {
    static ENGINE: OnceCell<FaceEngine> = const { OnceCell::new() };
    static ENTRIES: RefCell<Entries<FaceSample>> = const { RefCell::new(Entries::new()) };
}

/// The live face captures, by handle.
pub(super) const FACES: Registry<FaceSample> = Registry {
    entries: &ENTRIES,
    plural: "face captures",
    made_by: "a FaceCapture made by FaceCapture.fromRgba or fromImageData",
};

/// `NOT_READY` unless the face models are loaded.
pub(super) fn ready() -> Result<()> {
    if ENGINE.with(|e| e.get().is_some()) {
        Ok(())
    } else {
        not_ready()
    }
}

fn not_ready<T>() -> Result<T> {
    fail(
        ErrorCode::NotReady,
        "the face models are not loaded: await initFace() first",
    )
}

/// `faceInit(bytes)`: loads the face models from a weights file (a
/// `Uint8Array`). Once loaded, later calls return at once without reading
/// their argument. A file that is not a valid weights file (truncated,
/// altered: its digest is checked) is `INVALID_ARGUMENT`.
#[wasm_bindgen(js_name = faceInit)]
pub fn face_init(bytes: JsValue) -> std::result::Result<(), JsValue> {
    to_js((|| {
        if ready().is_ok() {
            return Ok(());
        }
        let max = u32::try_from(MAX_FILE_BYTES).unwrap_or(u32::MAX);
        let file = byte_view(&bytes, "modelBytes", None, max, ErrorCode::InvalidArgument)?;
        let engine = FaceEngine::new(&file, FaceOptions::default())?;
        ENGINE.with(|e| {
            // Set by nobody else in between: wasm is single-threaded here.
            let _ = e.set(engine);
        });
        Ok(())
    })())
}

/// `faceReady()`: whether the face models are loaded.
#[wasm_bindgen(js_name = faceReady)]
pub fn face_ready() -> bool {
    ready().is_ok()
}

fn from_rgba(width: &JsValue, height: &JsValue, rgba: &JsValue) -> Result<f64> {
    ready()?;
    let w = u32_arg(width, "width", ErrorCode::InvalidImage)?;
    let h = u32_arg(height, "height", ErrorCode::InvalidImage)?;
    let expected = u64::from(w) * u64::from(h) * 4;
    let max = u32::try_from(MAX_PIXELS * 4).unwrap_or(u32::MAX);
    let bytes = byte_view(rgba, "rgba", Some(expected), max, ErrorCode::InvalidImage)?;
    let sample = ENGINE.with(|e| {
        e.get()
            .map(|engine| FaceSample::from_rgba(engine, w as usize, h as usize, &bytes))
    });
    match sample {
        Some(sample) => FACES.register(sample?),
        None => not_ready(),
    }
}

/// `FaceCapture.fromRgba(width, height, rgba)`: the new face capture's handle.
#[wasm_bindgen(js_name = faceCaptureFromRgba)]
pub fn face_capture_from_rgba(
    width: JsValue,
    height: JsValue,
    rgba: JsValue,
) -> std::result::Result<f64, JsValue> {
    to_js(from_rgba(&width, &height, &rgba))
}

/// `FaceCapture.fromImageData(imageData)`: any object with numeric `width`,
/// `height` and an RGBA `data` byte array, as canvas `ImageData` has.
#[wasm_bindgen(js_name = faceCaptureFromImageData)]
pub fn face_capture_from_image_data(image_data: JsValue) -> std::result::Result<f64, JsValue> {
    to_js((|| {
        ready()?;
        if !image_data.is_object() {
            return fail(ErrorCode::InvalidArgument, "imageData must be an ImageData");
        }
        let width = get(&image_data, "width", "imageData")?;
        let height = get(&image_data, "height", "imageData")?;
        let data = get(&image_data, "data", "imageData")?;
        from_rgba(&width, &height, &data)
    })())
}

/// Runs `f` on the face capture behind `handle` (`NOT_READY` before init).
fn with_face<T>(handle: &JsValue, f: impl FnOnce(&FaceSample) -> T) -> Result<T> {
    ready()?;
    FACES.with_one(handle, "face capture", |c| Ok(f(c)))
}

/// `faceCapture.quality`: 0..=100.
#[wasm_bindgen(js_name = faceCaptureQuality)]
pub fn face_capture_quality(handle: JsValue) -> std::result::Result<u8, JsValue> {
    to_js(with_face(&handle, FaceSample::quality))
}

/// `faceCapture.feedback`: a fresh array of feedback code strings, empty when good.
#[wasm_bindgen(js_name = faceCaptureFeedback)]
pub fn face_capture_feedback(handle: JsValue) -> std::result::Result<Array, JsValue> {
    to_js(with_face(&handle, |c| {
        c.feedback()
            .iter()
            .map(|f| JsValue::from_str(f.as_str()))
            .collect::<Array>()
    }))
}

/// `faceCapture.box`: `{ x, y, width, height }` of the face used, in frame
/// pixels, or `null` when no face was found.
#[wasm_bindgen(js_name = faceCaptureBox)]
pub fn face_capture_box(handle: JsValue) -> std::result::Result<JsValue, JsValue> {
    to_js(with_face(&handle, |c| match c.face_box() {
        Some(b) => plain_object(&[
            ("x", f32_for_js(b.x)),
            ("y", f32_for_js(b.y)),
            ("width", f32_for_js(b.width)),
            ("height", f32_for_js(b.height)),
        ]),
        None => JsValue::NULL,
    }))
}

/// `faceCapture.free()`: releases the face capture (dropping it zeroizes its
/// template); freeing twice, or a handle that is not live, does nothing.
#[wasm_bindgen(js_name = faceCaptureFree)]
pub fn face_capture_free(handle: JsValue) {
    FACES.free(&handle);
}

/// Number of live face captures (for leak tests).
#[wasm_bindgen(js_name = liveFaceCaptures)]
pub fn live_face_captures() -> u32 {
    FACES.live()
}
