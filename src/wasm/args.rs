//! Reading and checking JS arguments.
//!
//! Each reader takes a caller's [`JsValue`] and returns a Rust value or an
//! error with a stable code; a throwing getter, a proxy trap or a detached
//! buffer is caught and reported, never propagated as a JS exception.

use js_sys::{Array, ArrayBuffer, Function, JsString, Reflect, Uint8Array, Uint8ClampedArray};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

use super::errors::fail;
use crate::error::{ErrorCode, Result};

/// Largest pixel buffer copied into WASM memory: an RGBA image of the largest
/// side the capture module accepts; it checks the exact bounds itself.
const MAX_PIXEL_BYTES: u32 = crate::capture::MAX_SIDE * crate::capture::MAX_SIDE * 4;
/// Largest image file copied into WASM memory: a 16-bit RGBA PNG stored
/// uncompressed at the largest side, plus room for headers and metadata;
/// the decoders check the sides the file declares themselves.
const MAX_IMAGE_FILE_BYTES: u32 = MAX_PIXEL_BYTES * 2 + (1 << 20);
/// Longest token string read (UTF-16 units); the token module applies its own bound.
const MAX_TOKEN_CHARS: u32 = 1 << 20;
/// Longest option string read (bag tag, flight, passenger key).
const MAX_OPTION_CHARS: u32 = 256;
/// Largest integer a JS number holds exactly (2^53 - 1).
pub(super) const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, catching: it throws on a revoked proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(v: &JsValue) -> std::result::Result<bool, JsValue>;
}

/// Whether `v` is an array; a revoked proxy is not.
pub(super) fn is_array(v: &JsValue) -> bool {
    array_is_array(v).unwrap_or(false)
}

/// `obj[key]`, with a throwing getter or proxy trap reported as `INVALID_ARGUMENT`.
pub(super) fn get(obj: &JsValue, key: &str, what: &str) -> Result<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key)).or_else(|_| {
        fail(
            ErrorCode::InvalidArgument,
            format!("{what}: reading `{key}` failed"),
        )
    })
}

/// `array[index]`, with a throwing getter or proxy trap reported as `INVALID_ARGUMENT`.
pub(super) fn get_index(array: &JsValue, index: u32, what: &str) -> Result<JsValue> {
    Reflect::get_u32(array, index).or_else(|_| {
        fail(
            ErrorCode::InvalidArgument,
            format!("{what}: reading failed"),
        )
    })
}

/// A JS number that is a whole number in `0..=max`. Not a number, `NaN`,
/// infinities and fractions are `INVALID_ARGUMENT`; a whole number out of range
/// gets `range_code`.
pub(super) fn whole_number(
    v: &JsValue,
    what: &str,
    max: f64,
    range_code: ErrorCode,
) -> Result<f64> {
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
pub(super) fn u32_arg(v: &JsValue, what: &str, range_code: ErrorCode) -> Result<u32> {
    // The range check makes the cast exact.
    whole_number(v, what, u32::MAX as f64, range_code).map(|x| x as u32)
}

/// A whole number in `0..=2^53-1` (times, durations).
pub(super) fn u64_arg(v: &JsValue, what: &str) -> Result<u64> {
    whole_number(v, what, MAX_SAFE_INTEGER, ErrorCode::InvalidArgument).map(|x| x as u64)
}

/// A finite JS number (a threshold).
pub(super) fn finite_arg(v: &JsValue, what: &str) -> Result<f32> {
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
pub(super) fn string_arg(v: &JsValue, what: &str) -> Result<String> {
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
pub(super) fn key_arg(v: &JsValue) -> Result<Zeroizing<String>> {
    bounded_string(v, "passengerKey", MAX_OPTION_CHARS)
        .map(|k| Zeroizing::new(k.unwrap_or_default()))
}

/// A token string. One too long to be a token is replaced by the empty
/// string, which the core refuses as `TOKEN_MALFORMED` at the token's place
/// in the order of checks.
pub(super) fn token_arg(v: &JsValue) -> Result<String> {
    bounded_string(v, "token", MAX_TOKEN_CHARS).map(Option::unwrap_or_default)
}

/// A copy of the bytes of a `Uint8Array` or `Uint8ClampedArray` of
/// exactly `expected` bytes (at most the largest fingerprint image), wiped
/// when dropped.
pub(super) fn pixel_bytes(v: &JsValue, what: &str, expected: u64) -> Result<Zeroizing<Vec<u8>>> {
    byte_view(
        v,
        what,
        Some(expected),
        MAX_PIXEL_BYTES,
        ErrorCode::InvalidImage,
    )
}

/// A copy of an image file's bytes (a `Uint8Array` or `Uint8ClampedArray`
/// of at most [`MAX_IMAGE_FILE_BYTES`]).
pub(super) fn image_file_bytes(v: &JsValue, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    byte_view(v, what, None, MAX_IMAGE_FILE_BYTES, ErrorCode::InvalidImage)
}

/// A copy of a minutiae record's bytes (at most
/// [`crate::template::record::MAX_RECORD_LEN`]).
pub(super) fn minutiae_record_bytes(v: &JsValue, what: &str) -> Result<Zeroizing<Vec<u8>>> {
    let max = crate::template::record::MAX_RECORD_LEN as u32;
    byte_view(v, what, None, max, ErrorCode::InvalidImage)
}

/// A copy of the bytes of a `Uint8Array` or `Uint8ClampedArray`: of exactly
/// `expected` bytes when given, and at most `max`; a wrong length, a detached
/// buffer or an oversized view is `code`.
///
/// The view is first copied by the engine's own `Uint8Array` constructor
/// (which reads internal slots, so overridden `length` properties or proxies
/// cannot lie, and a detached buffer throws, which is caught); the copy's
/// length is checked before anything is copied into WASM memory. The copy
/// in WASM memory (an image, a face) is wiped when dropped.
pub(super) fn byte_view(
    v: &JsValue,
    what: &str,
    expected: Option<u64>,
    max: u32,
    code: ErrorCode,
) -> Result<Zeroizing<Vec<u8>>> {
    let is_byte_view = ArrayBuffer::is_view(v)
        && (v.is_instance_of::<Uint8Array>() || v.is_instance_of::<Uint8ClampedArray>());
    if !is_byte_view {
        return fail(
            ErrorCode::InvalidArgument,
            format!("{what} must be a Uint8Array or Uint8ClampedArray"),
        );
    }
    let ctor: Function = Uint8Array::new_with_length(0).constructor();
    let copy = Reflect::construct(&ctor, &Array::of1(v))
        .or_else(|_| fail(code, format!("{what} cannot be read (detached buffer?)")))?;
    let Ok(copy) = copy.dyn_into::<Uint8Array>() else {
        return fail(code, format!("{what} cannot be read"));
    };
    let len = copy.length();
    if expected.is_some_and(|e| u64::from(len) != e) {
        return fail(
            code,
            format!("{what} has {len} bytes, expected width * height * bytes per pixel"),
        );
    }
    if len > max {
        return fail(code, format!("{what} is too large"));
    }
    Ok(Zeroizing::new(copy.to_vec()))
}

/// A plain options object (not `null`, not an array, not a function) whose own
/// keys are all in `allowed`; a misspelt option is an error, not ignored.
pub(super) fn options_object(v: &JsValue, what: &str, allowed: &[&str]) -> Result<()> {
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
pub(super) fn optional(obj: &JsValue, key: &str, what: &str) -> Result<Option<JsValue>> {
    let v = get(obj, key, what)?;
    Ok(if v.is_undefined() || v.is_null() {
        None
    } else {
        Some(v)
    })
}

/// The option `key`; absent, `undefined` or `null` is `INVALID_ARGUMENT`.
pub(super) fn required(obj: &JsValue, key: &str, what: &str) -> Result<JsValue> {
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
