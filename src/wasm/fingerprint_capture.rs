//! The `Capture` exports: making a fingerprint capture from pixels, reading
//! its quality and feedback, rendering its features, freeing it.
//!
//! Captures live in [`CAPTURES`]; JavaScript holds their handles. Another
//! modality's capture exports belong in a sibling file with a registry of
//! their own.

use std::cell::RefCell;

use js_sys::{Array, Uint8ClampedArray};
use wasm_bindgen::prelude::*;

use super::args::{get, image_file_bytes, minutiae_record_bytes, pixel_bytes, u32_arg};
use super::errors::{fail, to_js};
use super::registry::{Entries, Registry};
use super::results::plain_object;
use crate::capture::Capture;
use crate::error::{ErrorCode, Result};

thread_local! {
    static ENTRIES: RefCell<Entries<Capture>> = const { RefCell::new(Entries::new()) };
}

/// The live fingerprint captures, by handle.
pub(super) const CAPTURES: Registry<Capture> = Registry {
    entries: &ENTRIES,
    plural: "captures",
    made_by: "a Capture made by Capture.fromGray, fromRgba, fromImageData, fromImageFile or fromMinutiaeRecord",
};

fn image_dims(width: &JsValue, height: &JsValue, dpi: &JsValue) -> Result<(u32, u32, u32)> {
    Ok((
        u32_arg(width, "width", ErrorCode::InvalidImage)?,
        u32_arg(height, "height", ErrorCode::InvalidImage)?,
        u32_arg(dpi, "dpi", ErrorCode::InvalidImage)?,
    ))
}

fn from_pixels(
    width: &JsValue,
    height: &JsValue,
    pixels: &JsValue,
    dpi: &JsValue,
    bytes_per_pixel: u64,
) -> Result<f64> {
    let (w, h, dpi) = image_dims(width, height, dpi)?;
    let expected = u64::from(w) * u64::from(h) * bytes_per_pixel;
    let bytes = pixel_bytes(pixels, "pixels", expected)?;
    let capture = if bytes_per_pixel == 1 {
        Capture::from_gray(w, h, &bytes, dpi)?
    } else {
        Capture::from_rgba(w, h, &bytes, dpi)?
    };
    CAPTURES.register(capture)
}

/// Runs `f` on the capture behind `handle`.
fn with_capture<T>(handle: &JsValue, f: impl FnOnce(&Capture) -> T) -> Result<T> {
    CAPTURES.with_one(handle, "capture", |c| Ok(f(c)))
}

/// `Capture.fromGray(width, height, pixels, dpi)`: the new capture's handle.
#[wasm_bindgen(js_name = captureFromGray)]
pub fn capture_from_gray(
    width: JsValue,
    height: JsValue,
    pixels: JsValue,
    dpi: JsValue,
) -> std::result::Result<f64, JsValue> {
    to_js(from_pixels(&width, &height, &pixels, &dpi, 1))
}

/// `Capture.fromRgba(width, height, rgba, dpi)`: the new capture's handle.
#[wasm_bindgen(js_name = captureFromRgba)]
pub fn capture_from_rgba(
    width: JsValue,
    height: JsValue,
    rgba: JsValue,
    dpi: JsValue,
) -> std::result::Result<f64, JsValue> {
    to_js(from_pixels(&width, &height, &rgba, &dpi, 4))
}

/// `Capture.fromImageData(imageData, dpi)`: any object with numeric `width`,
/// `height` and an RGBA `data` byte array, as canvas `ImageData` has.
#[wasm_bindgen(js_name = captureFromImageData)]
pub fn capture_from_image_data(
    image_data: JsValue,
    dpi: JsValue,
) -> std::result::Result<f64, JsValue> {
    to_js((|| {
        if !image_data.is_object() {
            return fail(ErrorCode::InvalidArgument, "imageData must be an ImageData");
        }
        let width = get(&image_data, "width", "imageData")?;
        let height = get(&image_data, "height", "imageData")?;
        let data = get(&image_data, "data", "imageData")?;
        from_pixels(&width, &height, &data, &dpi, 4)
    })())
}

/// `Capture.fromImageFile(bytes, dpi?)`: a BMP or PNG file's bytes; `dpi`
/// omitted (`undefined` or `null`) takes the file's own resolution.
#[wasm_bindgen(js_name = captureFromImageFile)]
pub fn capture_from_image_file(bytes: JsValue, dpi: JsValue) -> std::result::Result<f64, JsValue> {
    to_js((|| {
        let dpi = if dpi.is_undefined() || dpi.is_null() {
            None
        } else {
            Some(u32_arg(&dpi, "dpi", ErrorCode::InvalidImage)?)
        };
        let file = image_file_bytes(&bytes, "bytes")?;
        CAPTURES.register(Capture::from_image_file(&file, dpi)?)
    })())
}

/// `Capture.fromMinutiaeRecord(bytes)`: an ISO/IEC 19794-2:2005 or ANSI
/// INCITS 378-2004 finger minutiae record. The copy in WASM memory is wiped
/// once read.
#[wasm_bindgen(js_name = captureFromMinutiaeRecord)]
pub fn capture_from_minutiae_record(bytes: JsValue) -> std::result::Result<f64, JsValue> {
    to_js((|| {
        let record = zeroize::Zeroizing::new(minutiae_record_bytes(&bytes, "bytes")?);
        CAPTURES.register(Capture::from_minutiae_record(&record)?)
    })())
}

/// `capture.quality`: 0..=100.
#[wasm_bindgen(js_name = captureQuality)]
pub fn capture_quality(handle: JsValue) -> std::result::Result<u8, JsValue> {
    to_js(with_capture(&handle, |c| c.quality()))
}

/// `capture.minutiaeCount`.
#[wasm_bindgen(js_name = captureMinutiaeCount)]
pub fn capture_minutiae_count(handle: JsValue) -> std::result::Result<u32, JsValue> {
    to_js(with_capture(&handle, |c| {
        u32::try_from(c.minutiae_count()).unwrap_or(u32::MAX)
    }))
}

/// `capture.feedback`: a fresh array of feedback code strings, empty when good.
#[wasm_bindgen(js_name = captureFeedback)]
pub fn capture_feedback(handle: JsValue) -> std::result::Result<Array, JsValue> {
    to_js(with_capture(&handle, |c| {
        c.feedback()
            .iter()
            .map(|f| JsValue::from_str(f.as_str()))
            .collect::<Array>()
    }))
}

/// `capture.renderFeatures()`: the capture's image at 500 dpi with the found
/// features drawn in, as `{ width, height, data: Uint8ClampedArray }` (RGBA,
/// ready for `new ImageData(data, width, height)`), for a local screen only.
/// Pixels, never coordinates. The copy in WASM memory is wiped once JS has
/// its own (`RgbaImage` zeroizes on drop).
#[wasm_bindgen(js_name = captureRenderFeatures)]
pub fn capture_render_features(handle: JsValue) -> std::result::Result<JsValue, JsValue> {
    to_js(with_capture(&handle, |c| {
        let img = c.render_features();
        plain_object(&[
            ("width", JsValue::from_f64(img.width as f64)),
            ("height", JsValue::from_f64(img.height as f64)),
            ("data", Uint8ClampedArray::from(&img.data[..]).into()),
        ])
    }))
}

/// `capture.free()`: releases the capture (dropping it zeroizes its
/// template); freeing twice, or a handle that is not live, does nothing.
#[wasm_bindgen(js_name = captureFree)]
pub fn capture_free(handle: JsValue) {
    CAPTURES.free(&handle);
}

/// Number of live captures (for leak tests).
#[wasm_bindgen(js_name = liveCaptures)]
pub fn live_captures() -> u32 {
    CAPTURES.live()
}
