//! The plain JS values the exports return.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// A plain object from `(key, value)` pairs.
pub(super) fn plain_object(fields: &[(&str, JsValue)]) -> JsValue {
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
pub(super) fn f32_for_js(x: f32) -> JsValue {
    JsValue::from_f64(x.to_string().parse().unwrap_or(f64::from(x)))
}
