//! The library's errors as JS `Error`s whose `code` is the stable code.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::error::{Error, ErrorCode, Result};

/// `Err` with `code` and `message`: the bindings' way to refuse an argument.
pub(super) fn fail<T>(code: ErrorCode, message: impl Into<String>) -> Result<T> {
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

/// An export's result for wasm-bindgen: an error becomes a thrown JS `Error`.
pub(super) fn to_js<T>(r: Result<T>) -> std::result::Result<T, JsValue> {
    r.map_err(|e| to_js_error(&e))
}
