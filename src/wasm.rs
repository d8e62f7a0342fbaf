//! JavaScript bindings: argument conversion and error conversion, nothing else.
//!
//! Every export takes untyped [`JsValue`]s and checks them here, so a wrong
//! type, `NaN`, a negative, fractional or huge number, a missing option, a
//! detached buffer or a throwing getter becomes a JS `Error` with a stable
//! `code` (see [`crate::ErrorCode::as_str`]) instead of a `TypeError`, a silent
//! coercion or a WebAssembly trap. Nothing here panics: every JS operation on
//! a caller's value goes through a catching import (`Reflect`), and the capture
//! registry is only borrowed with `try_borrow*`.
//!
//! Captures live in a registry on the Rust side and JavaScript holds only a
//! numeric handle (never reused), so a freed or foreign capture is reported as
//! `INVALID_ARGUMENT` rather than as wasm-bindgen's "null pointer passed to
//! rust". The package's small JS layer (`npm/api.js`) maps `Capture` objects to
//! their handles (`undefined` for a foreign object, `null` for a freed one) and
//! frees handles when a capture is garbage-collected.
//!
//! The raw exports are internal to the package; the public JS API is the one in
//! DESIGN.md, defined by `npm/api.js` on top of them.

use std::cell::RefCell;
use std::collections::BTreeMap;

use js_sys::{
    Array, ArrayBuffer, Function, JsString, Object, Reflect, Uint8Array, Uint8ClampedArray,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

use crate::api::{self, EnrollOptions, VerifyOptions};
use crate::capture::Capture;
use crate::error::{Error, ErrorCode, Result};

/// Largest pixel buffer copied into WASM memory: an RGBA image of the largest
/// side the capture module accepts; it checks the exact bounds itself.
const MAX_PIXEL_BYTES: u32 = crate::capture::MAX_SIDE * crate::capture::MAX_SIDE * 4;
/// Longest token string read (UTF-16 units); the token module applies its own bound.
const MAX_TOKEN_CHARS: u32 = 1 << 20;
/// Longest option string read (bag tag, flight, passenger key).
const MAX_OPTION_CHARS: u32 = 256;
/// Largest integer a JS number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

// ---------------------------------------------------------------------------
// Errors

fn fail<T>(code: ErrorCode, message: impl Into<String>) -> Result<T> {
    Err(Error::new(code, message))
}

/// A JS `Error` whose `message` is the library's and whose `code` is the stable code.
fn to_js_error(e: &Error) -> JsValue {
    let js = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(
        &js,
        &JsValue::from_str("code"),
        &JsValue::from_str(e.code().as_str()),
    );
    js.into()
}

fn to_js<T>(r: Result<T>) -> std::result::Result<T, JsValue> {
    r.map_err(|e| to_js_error(&e))
}

// ---------------------------------------------------------------------------
// Reading JS values

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, catching: it throws on a revoked proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(v: &JsValue) -> std::result::Result<bool, JsValue>;
}

/// Whether `v` is an array; a revoked proxy is not.
fn is_array(v: &JsValue) -> bool {
    array_is_array(v).unwrap_or(false)
}

/// `obj[key]`, with a throwing getter or proxy trap reported as `INVALID_ARGUMENT`.
fn get(obj: &JsValue, key: &str, what: &str) -> Result<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key)).or_else(|_| {
        fail(
            ErrorCode::InvalidArgument,
            format!("{what}: reading `{key}` failed"),
        )
    })
}

/// A JS number that is a whole number in `0..=max`. Not a number, `NaN`,
/// infinities and fractions are `INVALID_ARGUMENT`; a whole number out of range
/// gets `range_code`.
fn whole_number(v: &JsValue, what: &str, max: f64, range_code: ErrorCode) -> Result<f64> {
    let Some(x) = v.as_f64() else {
        return fail(
            ErrorCode::InvalidArgument,
            format!("{what} must be a number"),
        );
    };
    if !x.is_finite() || x.fract() != 0.0 {
        return fail(
            ErrorCode::InvalidArgument,
            format!("{what} must be a finite whole number"),
        );
    }
    if !(0.0..=max).contains(&x) {
        return fail(range_code, format!("{what} must be between 0 and {max}"));
    }
    Ok(x)
}

/// A whole number in `0..=u32::MAX`.
fn u32_arg(v: &JsValue, what: &str, range_code: ErrorCode) -> Result<u32> {
    // The range check makes the cast exact.
    whole_number(v, what, u32::MAX as f64, range_code).map(|x| x as u32)
}

/// A whole number in `0..=2^53-1` (times, durations).
fn u64_arg(v: &JsValue, what: &str) -> Result<u64> {
    whole_number(v, what, MAX_SAFE_INTEGER, ErrorCode::InvalidArgument).map(|x| x as u64)
}

/// A finite JS number (a threshold).
fn finite_arg(v: &JsValue, what: &str) -> Result<f32> {
    match v.as_f64() {
        Some(x) if x.is_finite() => Ok(x as f32),
        Some(_) => fail(ErrorCode::InvalidArgument, format!("{what} must be finite")),
        None => fail(
            ErrorCode::InvalidArgument,
            format!("{what} must be a number"),
        ),
    }
}

/// A JS string of at most `max_chars` UTF-16 units, checked before it is
/// copied: `Ok(None)` when it is longer.
fn bounded_string(v: &JsValue, what: &str, max_chars: u32) -> Result<Option<String>> {
    let Some(s) = v.dyn_ref::<JsString>() else {
        return fail(
            ErrorCode::InvalidArgument,
            format!("{what} must be a string"),
        );
    };
    if s.length() > max_chars {
        return Ok(None);
    }
    match v.as_string() {
        Some(s) => Ok(Some(s)),
        None => fail(
            ErrorCode::InvalidArgument,
            format!("{what} must be a string"),
        ),
    }
}

/// A string argument such as a bag tag; too long is `INVALID_ARGUMENT`.
fn string_arg(v: &JsValue, what: &str) -> Result<String> {
    bounded_string(v, what, MAX_OPTION_CHARS)?.map_or_else(
        || {
            fail(
                ErrorCode::InvalidArgument,
                format!("{what} is longer than {MAX_OPTION_CHARS} characters"),
            )
        },
        Ok,
    )
}

/// A passenger key string, zeroized when dropped. One too long to be a key is
/// replaced by the empty string, which the core refuses as `KEY_MALFORMED` at
/// the key's place in the order of checks.
fn key_arg(v: &JsValue) -> Result<Zeroizing<String>> {
    bounded_string(v, "passengerKey", MAX_OPTION_CHARS)
        .map(|k| Zeroizing::new(k.unwrap_or_default()))
}

/// A token string. One too long to be a token is replaced by the empty
/// string, which the core refuses as `TOKEN_MALFORMED` at the token's place
/// in the order of checks.
fn token_arg(v: &JsValue) -> Result<String> {
    bounded_string(v, "token", MAX_TOKEN_CHARS).map(Option::unwrap_or_default)
}

/// A copy of the bytes of a `Uint8Array` or `Uint8ClampedArray`.
///
/// The view is first copied by the engine's own `Uint8Array` constructor
/// (which reads internal slots, so overridden `length` properties or proxies
/// cannot lie, and a detached buffer throws, which is caught); the copy's
/// length is checked against `expected` before anything is copied into WASM
/// memory.
fn pixel_bytes(v: &JsValue, what: &str, expected: u64) -> Result<Vec<u8>> {
    let is_byte_view = ArrayBuffer::is_view(v)
        && (v.is_instance_of::<Uint8Array>() || v.is_instance_of::<Uint8ClampedArray>());
    if !is_byte_view {
        return fail(
            ErrorCode::InvalidArgument,
            format!("{what} must be a Uint8Array or Uint8ClampedArray"),
        );
    }
    let ctor: Function = Uint8Array::new_with_length(0).constructor();
    let copy = Reflect::construct(&ctor, &Array::of1(v)).or_else(|_| {
        fail(
            ErrorCode::InvalidImage,
            format!("{what} cannot be read (detached buffer?)"),
        )
    })?;
    let Ok(copy) = copy.dyn_into::<Uint8Array>() else {
        return fail(ErrorCode::InvalidImage, format!("{what} cannot be read"));
    };
    let len = copy.length();
    if u64::from(len) != expected {
        return fail(
            ErrorCode::InvalidImage,
            format!("{what} has {len} bytes, expected width * height * bytes per pixel"),
        );
    }
    if len > MAX_PIXEL_BYTES {
        return fail(ErrorCode::InvalidImage, format!("{what} is too large"));
    }
    Ok(copy.to_vec())
}

/// A plain options object (not `null`, not an array, not a function) whose own
/// keys are all in `allowed`; a misspelt option is an error, not ignored.
fn options_object(v: &JsValue, what: &str, allowed: &[&str]) -> Result<()> {
    if !v.is_object() || is_array(v) {
        return fail(
            ErrorCode::InvalidArgument,
            format!("{what} must be an object"),
        );
    }
    let keys = Reflect::own_keys(v).or_else(|_| {
        fail(
            ErrorCode::InvalidArgument,
            format!("{what}: cannot list its keys"),
        )
    })?;
    for key in keys.iter() {
        let known = key
            .as_string()
            .is_some_and(|k| allowed.iter().any(|a| *a == k));
        if !known {
            let shown = key
                .as_string()
                .filter(|k| k.len() <= 32)
                .unwrap_or_else(|| "(non-string key)".to_string());
            return fail(
                ErrorCode::InvalidArgument,
                format!(
                    "{what}: unknown option `{shown}` (allowed: {})",
                    allowed.join(", ")
                ),
            );
        }
    }
    Ok(())
}

/// `Some(value)` unless the option is absent, `undefined` or `null` (options
/// often come from JSON, which has no `undefined`).
fn optional(obj: &JsValue, key: &str, what: &str) -> Result<Option<JsValue>> {
    let v = get(obj, key, what)?;
    Ok(if v.is_undefined() || v.is_null() {
        None
    } else {
        Some(v)
    })
}

fn required(obj: &JsValue, key: &str, what: &str) -> Result<JsValue> {
    optional(obj, key, what)?.map_or_else(
        || {
            fail(
                ErrorCode::InvalidArgument,
                format!("{what}.{key} is required"),
            )
        },
        Ok,
    )
}

// ---------------------------------------------------------------------------
// The capture registry

/// Captures by handle. Handles count up from 1 and are never reused, so a
/// stale handle can never reach another capture.
struct Registry {
    next: u64,
    captures: BTreeMap<u64, Capture>,
}

thread_local! {
    static REGISTRY: RefCell<Registry> = const {
        RefCell::new(Registry { next: 1, captures: BTreeMap::new() })
    };
}

fn busy<T>() -> Result<T> {
    fail(
        ErrorCode::InvalidArgument,
        "sealmatch was called re-entrantly",
    )
}

fn register(capture: Capture) -> Result<f64> {
    REGISTRY.with(|r| {
        let Ok(mut r) = r.try_borrow_mut() else {
            return busy();
        };
        let handle = r.next;
        if handle as f64 >= MAX_SAFE_INTEGER {
            return fail(ErrorCode::InvalidArgument, "too many captures");
        }
        r.next += 1;
        r.captures.insert(handle, capture);
        Ok(handle as f64)
    })
}

/// The registry key of a handle the JS layer passed: a number for a live
/// capture, `null` for a freed one, anything else for a value that is not a
/// `Capture` at all.
fn handle_key(v: &JsValue, what: &str) -> Result<u64> {
    if v.is_null() {
        return fail(ErrorCode::InvalidArgument, format!("{what} has been freed"));
    }
    match v.as_f64() {
        Some(x) if x.is_finite() && x.fract() == 0.0 && (1.0..MAX_SAFE_INTEGER).contains(&x) => {
            Ok(x as u64)
        }
        _ => fail(
            ErrorCode::InvalidArgument,
            format!("{what} must be a Capture made by Capture.fromGray, fromRgba or fromImageData"),
        ),
    }
}

/// Runs `f` on the live captures behind `handles`.
fn with_captures<T>(
    handles: &[JsValue],
    what: &str,
    f: impl FnOnce(&[&Capture]) -> Result<T>,
) -> Result<T> {
    let mut keys = Vec::with_capacity(handles.len());
    for h in handles {
        keys.push(handle_key(h, what)?);
    }
    REGISTRY.with(|r| {
        let Ok(r) = r.try_borrow() else {
            return busy();
        };
        let mut captures = Vec::with_capacity(keys.len());
        for key in &keys {
            match r.captures.get(key) {
                Some(c) => captures.push(c),
                None => return fail(ErrorCode::InvalidArgument, format!("{what} has been freed")),
            }
        }
        f(&captures)
    })
}

fn with_capture<T>(handle: &JsValue, f: impl FnOnce(&Capture) -> T) -> Result<T> {
    with_captures(std::slice::from_ref(handle), "capture", |c| match c {
        [one] => Ok(f(one)),
        _ => fail(ErrorCode::InvalidArgument, "capture must be one Capture"),
    })
}

// ---------------------------------------------------------------------------
// Captures

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
    register(capture)
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
/// Pixels, never coordinates.
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

/// `capture.free()`: releases the capture; freeing twice, or a handle that
/// is not live, does nothing.
#[wasm_bindgen(js_name = captureFree)]
pub fn capture_free(handle: JsValue) {
    let Some(x) = handle.as_f64() else { return };
    if !(x.is_finite() && x.fract() == 0.0 && (1.0..MAX_SAFE_INTEGER).contains(&x)) {
        return;
    }
    REGISTRY.with(|r| {
        if let Ok(mut r) = r.try_borrow_mut() {
            // Dropping the capture zeroizes its template.
            r.captures.remove(&(x as u64));
        }
    });
}

/// Number of live captures (for leak tests).
#[wasm_bindgen(js_name = liveCaptures)]
pub fn live_captures() -> u32 {
    REGISTRY.with(|r| {
        r.try_borrow()
            .map(|r| u32::try_from(r.captures.len()).unwrap_or(u32::MAX))
            .unwrap_or(0)
    })
}

// ---------------------------------------------------------------------------
// Enroll, verify, inspect

/// The capture handles of `enroll`'s first argument: an array of one to
/// [`crate::template::MAX_IMPRESSIONS`] entries.
fn capture_list(v: &JsValue) -> Result<Vec<JsValue>> {
    let max = crate::template::MAX_IMPRESSIONS;
    if !is_array(v) {
        return fail(
            ErrorCode::InvalidArgument,
            "captures must be an array of Capture",
        );
    }
    let len = whole_number(
        &get(v, "length", "captures")?,
        "captures.length",
        MAX_SAFE_INTEGER,
        ErrorCode::InvalidArgument,
    )?;
    if !(1.0..=max as f64).contains(&len) {
        return fail(
            ErrorCode::InvalidArgument,
            format!("enroll takes one to {max} captures"),
        );
    }
    (0..len as u32)
        .map(|i| Reflect::get_u32(v, i).or_else(|_| busy_read("captures")))
        .collect()
}

fn busy_read<T>(what: &str) -> Result<T> {
    fail(
        ErrorCode::InvalidArgument,
        format!("{what}: reading failed"),
    )
}

fn enroll_options(v: &JsValue) -> Result<EnrollOptions> {
    const WHAT: &str = "options";
    options_object(
        v,
        WHAT,
        &["bagTag", "flight", "ttlSeconds", "passengerKey", "now"],
    )?;
    let bag_tag = string_arg(&required(v, "bagTag", WHAT)?, "bagTag")?;
    let flight = string_arg(&required(v, "flight", WHAT)?, "flight")?;
    let ttl_seconds = optional(v, "ttlSeconds", WHAT)?
        .map(|t| u64_arg(&t, "ttlSeconds"))
        .transpose()?;
    let passenger_key = optional(v, "passengerKey", WHAT)?
        .map(|k| key_arg(&k))
        .transpose()?;
    let now = optional(v, "now", WHAT)?
        .map(|n| u64_arg(&n, "now"))
        .transpose()?;
    let mut opts = EnrollOptions::new(&bag_tag, &flight);
    opts.ttl_seconds = ttl_seconds;
    opts.passenger_key = passenger_key.map(|mut k| std::mem::take(&mut *k));
    opts.now = now;
    Ok(opts)
}

fn verify_options(v: &JsValue) -> Result<VerifyOptions> {
    const WHAT: &str = "options";
    options_object(v, WHAT, &["bagTag", "flight", "threshold", "now"])?;
    let bag_tag = string_arg(&required(v, "bagTag", WHAT)?, "bagTag")?;
    let flight = optional(v, "flight", WHAT)?
        .map(|f| string_arg(&f, "flight"))
        .transpose()?;
    let threshold = optional(v, "threshold", WHAT)?
        .map(|t| finite_arg(&t, "threshold"))
        .transpose()?;
    let now = optional(v, "now", WHAT)?
        .map(|n| u64_arg(&n, "now"))
        .transpose()?;
    Ok(VerifyOptions {
        bag_tag,
        flight,
        threshold,
        now,
    })
}

/// A plain object from `(key, value)` pairs.
fn plain_object(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (k, v) in fields {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&obj, &JsValue::from_str(k), v);
    }
    obj.into()
}

/// An `f32` as the JS number of its shortest decimal form (0.35, not
/// 0.3499999940395355). Monotonic, so `match == (score >= threshold)` holds
/// in JS as it does in Rust.
fn f32_for_js(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// `enroll(captures, options)` → `{ token, passengerKey }`.
#[wasm_bindgen]
pub fn enroll(captures: JsValue, options: JsValue) -> std::result::Result<JsValue, JsValue> {
    to_js((|| {
        let handles = capture_list(&captures)?;
        let opts = enroll_options(&options)?;
        let enrolled = with_captures(&handles, "capture", |caps| api::enroll(caps, &opts))?;
        Ok(plain_object(&[
            ("token", JsValue::from_str(&enrolled.token)),
            ("passengerKey", JsValue::from_str(&enrolled.passenger_key)),
        ]))
    })())
}

/// `verify(capture, token, passengerKey, options)` → `{ match, score, threshold }`.
#[wasm_bindgen]
pub fn verify(
    capture: JsValue,
    token: JsValue,
    passenger_key: JsValue,
    options: JsValue,
) -> std::result::Result<JsValue, JsValue> {
    to_js((|| {
        let token = token_arg(&token)?;
        let key = key_arg(&passenger_key)?;
        let opts = verify_options(&options)?;
        let v = with_captures(
            std::slice::from_ref(&capture),
            "capture",
            |caps| match caps {
                [one] => api::verify(one, &token, &key, &opts),
                _ => fail(ErrorCode::InvalidArgument, "capture must be one Capture"),
            },
        )?;
        Ok(plain_object(&[
            ("match", JsValue::from_bool(v.matched)),
            ("score", JsValue::from_f64(f32_for_js(v.score))),
            ("threshold", JsValue::from_f64(f32_for_js(v.threshold))),
        ]))
    })())
}

/// `inspectToken(token)` → `{ version, bagTag, flight, issuedAt, expiresAt }`.
#[wasm_bindgen(js_name = inspectToken)]
pub fn inspect_token(token: JsValue) -> std::result::Result<JsValue, JsValue> {
    to_js((|| {
        let token = token_arg(&token)?;
        let h = api::inspect_token(&token)?;
        Ok(plain_object(&[
            ("version", JsValue::from_f64(f64::from(h.version))),
            ("bagTag", JsValue::from_str(&h.bag_tag)),
            ("flight", JsValue::from_str(&h.flight)),
            ("issuedAt", JsValue::from_f64(h.issued_at as f64)),
            ("expiresAt", JsValue::from_f64(h.expires_at as f64)),
        ]))
    })())
}
