//! wasm-bindgen tests of the whole job through the bindings, in Node and in
//! headless Chromium: captures of a synthetic finger (`sealmatch-synth`, run
//! inside WebAssembly), enroll, inspect, verify, borrowed and freed captures.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, Uint8Array};
use sealmatch::wasm as w;
use sealmatch_synth::{Finger, FingerConfig, Variation};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

const NOW: f64 = 1_800_000_000.0;

fn s(x: &str) -> JsValue {
    JsValue::from_str(x)
}

fn n(x: f64) -> JsValue {
    JsValue::from_f64(x)
}

fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &s(k), v).unwrap();
    }
    o.into()
}

fn field(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &s(k)).unwrap()
}

fn code_of(e: JsValue) -> String {
    field(&e, "code").as_string().unwrap()
}

/// A capture handle for impression `i` of synthetic finger `seed`.
fn capture(seed: u64, i: u64) -> JsValue {
    let img = Finger::new(seed, &FingerConfig::default()).impression(i, &Variation::gentle());
    let px: JsValue = Uint8Array::from(&img.pixels[..]).into();
    n(w::capture_from_gray(n(img.width as f64), n(img.height as f64), px, n(500.0)).unwrap())
}

#[wasm_bindgen_test]
fn enroll_inspect_verify_through_the_bindings() {
    let a0 = capture(101, 0);
    let a1 = capture(101, 1);
    let b0 = capture(202, 0);
    for h in [&a0, &a1, &b0] {
        let q = w::capture_quality(h.clone()).unwrap();
        assert!(q <= 100);
        assert!(w::capture_minutiae_count(h.clone()).unwrap() > 0);
        assert!(Array::is_array(&w::capture_feedback(h.clone()).unwrap()));
    }
    let opts = obj(&[
        ("bagTag", s("0117123456")),
        ("flight", s("SK1415")),
        ("now", n(NOW)),
    ]);
    let caps: JsValue = Array::of2(&a0, &a1).into();
    let sealed = w::enroll(caps, opts).unwrap();
    let token = field(&sealed, "token");
    let key = field(&sealed, "passengerKey");
    assert!(key.as_string().unwrap().starts_with("smk1_"));
    let header = w::inspect_token(token.clone()).unwrap();
    assert_eq!(field(&header, "issuedAt").as_f64(), Some(NOW));
    assert_eq!(field(&header, "expiresAt").as_f64(), Some(NOW + 3600.0));

    let at_gate = || obj(&[("bagTag", s("0117123456")), ("now", n(NOW + 60.0))]);
    // The enrolled captures were borrowed: still usable.
    let same = w::verify(a0.clone(), token.clone(), key.clone(), at_gate()).unwrap();
    assert_eq!(field(&same, "match"), JsValue::TRUE);
    let stranger = w::verify(b0.clone(), token.clone(), key.clone(), at_gate()).unwrap();
    assert_eq!(field(&stranger, "match"), JsValue::FALSE);
    assert!(field(&stranger, "score").as_f64() < field(&same, "score").as_f64());

    // The threshold: 0.03..=1 is applied (0.03 as the shortest decimal),
    // anything outside is refused, before the token is opened.
    let with_threshold = |t: f64| {
        obj(&[
            ("bagTag", s("0117123456")),
            ("now", n(NOW + 60.0)),
            ("threshold", n(t)),
        ])
    };
    for t in [0.03, 1.0] {
        let r = w::verify(a0.clone(), token.clone(), key.clone(), with_threshold(t)).unwrap();
        assert_eq!(field(&r, "threshold").as_f64(), Some(t));
    }
    for t in [0.0, -1.0, 0.029, 0.01, 1.001, 40.0] {
        let e = w::verify(a0.clone(), s("garbage"), key.clone(), with_threshold(t)).unwrap_err();
        assert_eq!(code_of(e), "INVALID_ARGUMENT", "threshold {t}");
    }

    // Refusals in verify's order.
    let wrong_bag = obj(&[("bagTag", s("0117000000")), ("now", n(NOW))]);
    let e = w::verify(a0.clone(), token.clone(), key.clone(), wrong_bag).unwrap_err();
    assert_eq!(code_of(e), "WRONG_BAG");
    let late = obj(&[("bagTag", s("0117123456")), ("now", n(NOW + 3600.0))]);
    let e = w::verify(a0.clone(), token.clone(), key.clone(), late).unwrap_err();
    assert_eq!(code_of(e), "TOKEN_EXPIRED");

    // A freed capture is refused; freeing again does nothing.
    let before = w::live_captures();
    w::capture_free(a1.clone());
    w::capture_free(a1.clone());
    assert_eq!(w::live_captures(), before - 1);
    let e = w::verify(a1, token, key, at_gate()).unwrap_err();
    assert_eq!(code_of(e), "INVALID_ARGUMENT");
    w::capture_free(a0);
    w::capture_free(b0);
}

#[wasm_bindgen_test]
fn render_features_gives_rgba_pixels() {
    let h = capture(303, 0);
    let r = w::capture_render_features(h.clone()).unwrap();
    let width = field(&r, "width").as_f64().unwrap();
    let height = field(&r, "height").as_f64().unwrap();
    let data: js_sys::Uint8ClampedArray = field(&r, "data").into();
    assert_eq!(data.length() as f64, width * height * 4.0);
    w::capture_free(h);
}
