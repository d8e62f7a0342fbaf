//! wasm-bindgen tests of the JS bindings (`src/wasm/`), run in Node and in
//! headless Chromium (`make test-wasm`): every bad argument becomes a JS
//! `Error` with a stable `code`, never a trap, a `TypeError` or a coercion.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, Uint8Array, Uint8ClampedArray};
use sealmatch::wasm as w;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

/// The `code` of a thrown value, after checking it is a real `Error`.
fn code_of(e: JsValue) -> String {
    assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
    Reflect::get(&e, &"code".into())
        .unwrap()
        .as_string()
        .unwrap_or_else(|| panic!("no code on {e:?}"))
}

fn err_code<T: std::fmt::Debug>(r: Result<T, JsValue>) -> String {
    code_of(r.expect_err("expected an error"))
}

fn n(x: f64) -> JsValue {
    JsValue::from_f64(x)
}

fn s(x: &str) -> JsValue {
    JsValue::from_str(x)
}

fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        Reflect::set(&o, &s(k), v).unwrap();
    }
    o.into()
}

fn gray(len: u32) -> JsValue {
    Uint8Array::new_with_length(len).into()
}

#[wasm_bindgen_test]
fn image_numbers_are_checked_not_coerced() {
    let px = || gray(4);
    let cases: Vec<(JsValue, &str)> = vec![
        (n(f64::NAN), "INVALID_ARGUMENT"),
        (n(f64::INFINITY), "INVALID_ARGUMENT"),
        (n(1.5), "INVALID_ARGUMENT"),
        (s("2"), "INVALID_ARGUMENT"),
        (JsValue::UNDEFINED, "INVALID_ARGUMENT"),
        (JsValue::NULL, "INVALID_ARGUMENT"),
        (JsValue::TRUE, "INVALID_ARGUMENT"),
        (js_sys::BigInt::from(2u32).into(), "INVALID_ARGUMENT"),
        (n(-2.0), "INVALID_IMAGE"),
        (n(1e12), "INVALID_IMAGE"),
    ];
    for (bad, code) in cases {
        assert_eq!(
            err_code(w::capture_from_gray(bad.clone(), n(2.0), px(), n(500.0))),
            code,
            "width {bad:?}"
        );
        assert_eq!(
            err_code(w::capture_from_gray(n(2.0), bad.clone(), px(), n(500.0))),
            code,
            "height {bad:?}"
        );
        assert_eq!(
            err_code(w::capture_from_gray(n(2.0), n(2.0), px(), bad.clone())),
            code,
            "dpi {bad:?}"
        );
    }
}

#[wasm_bindgen_test]
fn pixel_buffers_are_checked() {
    // Wrong types.
    for bad in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        s("abcd"),
        Array::of4(&n(1.0), &n(2.0), &n(3.0), &n(4.0)).into(),
        js_sys::Int8Array::new_with_length(4).into(),
        js_sys::ArrayBuffer::new(4).into(),
        obj(&[("length", n(4.0))]),
    ] {
        assert_eq!(
            err_code(w::capture_from_gray(n(2.0), n(2.0), bad.clone(), n(500.0))),
            "INVALID_ARGUMENT",
            "{bad:?}"
        );
    }
    // Wrong length, for grey and RGBA.
    assert_eq!(
        err_code(w::capture_from_gray(n(2.0), n(2.0), gray(3), n(500.0))),
        "INVALID_IMAGE"
    );
    assert_eq!(
        err_code(w::capture_from_gray(n(2.0), n(2.0), gray(5), n(500.0))),
        "INVALID_IMAGE"
    );
    assert_eq!(
        err_code(w::capture_from_rgba(n(2.0), n(2.0), gray(4), n(500.0))),
        "INVALID_IMAGE"
    );
    // Zero size.
    assert_eq!(
        err_code(w::capture_from_gray(n(0.0), n(0.0), gray(0), n(500.0))),
        "INVALID_IMAGE"
    );
    // A huge claimed size with a small buffer is refused before any allocation.
    assert_eq!(
        err_code(w::capture_from_gray(n(4e9), n(4e9), gray(16), n(500.0))),
        "INVALID_IMAGE"
    );
}

#[wasm_bindgen_test]
fn a_lying_length_property_does_not_fool_the_copy() {
    let px = Uint8Array::new_with_length(3);
    Reflect::define_property(&px, &s("length"), &Object::from(obj(&[("value", n(4.0))]))).unwrap();
    assert_eq!(
        err_code(w::capture_from_gray(n(2.0), n(2.0), px.into(), n(500.0))),
        "INVALID_IMAGE"
    );
}

#[wasm_bindgen_test]
fn image_data_is_checked() {
    for bad in [JsValue::UNDEFINED, JsValue::NULL, n(3.0), s("img")] {
        assert_eq!(
            err_code(w::capture_from_image_data(bad, n(500.0))),
            "INVALID_ARGUMENT"
        );
    }
    let missing_data = obj(&[("width", n(2.0)), ("height", n(2.0))]);
    assert_eq!(
        err_code(w::capture_from_image_data(missing_data, n(500.0))),
        "INVALID_ARGUMENT"
    );
    let short = obj(&[
        ("width", n(2.0)),
        ("height", n(2.0)),
        ("data", Uint8ClampedArray::new_with_length(15).into()),
    ]);
    assert_eq!(
        err_code(w::capture_from_image_data(short, n(500.0))),
        "INVALID_IMAGE"
    );
}

#[wasm_bindgen_test]
fn foreign_and_freed_captures_are_invalid_arguments() {
    for bad in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        n(0.0),
        n(-1.0),
        n(1.5),
        n(1e300),
        s("1"),
    ] {
        assert_eq!(
            err_code(w::capture_quality(bad.clone())),
            "INVALID_ARGUMENT",
            "{bad:?}"
        );
        assert_eq!(
            err_code(w::capture_feedback(bad.clone())),
            "INVALID_ARGUMENT",
            "{bad:?}"
        );
        assert_eq!(
            err_code(w::capture_minutiae_count(bad.clone())),
            "INVALID_ARGUMENT",
            "{bad:?}"
        );
        // Freeing something that is not a live capture does nothing.
        w::capture_free(bad);
    }
    // A handle that was never issued (or was freed) is refused too.
    assert_eq!(
        err_code(w::capture_quality(n(123_456_789.0))),
        "INVALID_ARGUMENT"
    );
}

fn enroll_opts() -> JsValue {
    obj(&[("bagTag", s("0117123456")), ("flight", s("SK1415"))])
}

#[wasm_bindgen_test]
fn enroll_arguments_are_checked() {
    // Not an array, empty, too many, foreign entries.
    for bad in [
        JsValue::UNDEFINED,
        s("cap"),
        Array::new().into(),
        Array::of4(&n(1.0), &n(2.0), &n(3.0), &n(4.0)).into(),
        Array::of1(&JsValue::UNDEFINED).into(),
        Array::of1(&JsValue::NULL).into(),
    ] {
        assert_eq!(
            err_code(w::enroll(bad.clone(), enroll_opts())),
            "INVALID_ARGUMENT",
            "{bad:?}"
        );
    }
    let caps = || -> JsValue { Array::of1(&n(987_654_321.0)).into() };
    // Options: not an object, missing fields, wrong types, unknown keys.
    for bad in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        s("opts"),
        Array::new().into(),
        obj(&[]),
        obj(&[("bagTag", s("0117123456"))]),
        obj(&[("bagTag", n(117123456.0)), ("flight", s("SK1415"))]),
        obj(&[
            ("bagTag", s("0117123456")),
            ("flight", s("SK1415")),
            ("ttlSeconds", s("3600")),
        ]),
        obj(&[
            ("bagTag", s("0117123456")),
            ("flight", s("SK1415")),
            ("ttlSeconds", n(-1.0)),
        ]),
        obj(&[
            ("bagTag", s("0117123456")),
            ("flight", s("SK1415")),
            ("ttlSeconds", n(1.5)),
        ]),
        obj(&[
            ("bagTag", s("0117123456")),
            ("flight", s("SK1415")),
            ("now", n(f64::NAN)),
        ]),
        obj(&[
            ("bagTag", s("0117123456")),
            ("flight", s("SK1415")),
            ("passengerKey", n(1.0)),
        ]),
        obj(&[
            ("bagTag", s("0117123456")),
            ("flight", s("SK1415")),
            ("ttl", n(60.0)),
        ]),
        obj(&[("bagTag", s(&"1".repeat(10_000))), ("flight", s("SK1415"))]),
    ] {
        assert_eq!(
            err_code(w::enroll(caps(), bad.clone())),
            "INVALID_ARGUMENT",
            "{bad:?}"
        );
    }
}

#[wasm_bindgen_test]
fn throwing_getters_are_caught() {
    let f = js_sys::Function::new_no_args("throw new TypeError('boom')");
    let o = Object::new();
    let desc = obj(&[("get", f.into()), ("enumerable", JsValue::TRUE)]);
    Reflect::define_property(&o, &s("bagTag"), &Object::from(desc)).unwrap();
    Reflect::set(&o, &s("flight"), &s("SK1415")).unwrap();
    let caps: JsValue = Array::of1(&n(1.0)).into();
    assert_eq!(err_code(w::enroll(caps, o.into())), "INVALID_ARGUMENT");
}

fn verify_opts() -> JsValue {
    obj(&[("bagTag", s("0117123456"))])
}

#[wasm_bindgen_test]
fn verify_arguments_are_checked() {
    let key = || s("smk1_AAAA");
    let tok = || s("a.b.c.d.e");
    assert_eq!(
        err_code(w::verify(JsValue::UNDEFINED, tok(), key(), verify_opts())),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        err_code(w::verify(JsValue::NULL, tok(), key(), verify_opts())),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        err_code(w::verify(n(1.0), n(5.0), key(), verify_opts())),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        err_code(w::verify(n(1.0), tok(), JsValue::UNDEFINED, verify_opts())),
        "INVALID_ARGUMENT"
    );
    for bad in [
        JsValue::UNDEFINED,
        obj(&[]),
        obj(&[("bagTag", s("0117123456")), ("threshold", n(f64::NAN))]),
        obj(&[("bagTag", s("0117123456")), ("threshold", s("40"))]),
        obj(&[("bagTag", s("0117123456")), ("flight", n(1415.0))]),
        obj(&[("bagTag", s("0117123456")), ("now", n(-5.0))]),
        obj(&[("bagTag", s("0117123456")), ("ttlSeconds", n(60.0))]),
    ] {
        assert_eq!(
            err_code(w::verify(n(1.0), tok(), key(), bad.clone())),
            "INVALID_ARGUMENT",
            "{bad:?}"
        );
    }
}

#[wasm_bindgen_test]
fn inspect_token_checks_its_argument() {
    for bad in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        n(1.0),
        Object::new().into(),
    ] {
        assert_eq!(err_code(w::inspect_token(bad)), "INVALID_ARGUMENT");
    }
    assert_eq!(err_code(w::inspect_token(s(""))), "TOKEN_MALFORMED");
    assert_eq!(err_code(w::inspect_token(s("a.b"))), "TOKEN_MALFORMED");
    // An enormous string is refused by its length, before it is copied.
    assert_eq!(
        err_code(w::inspect_token(s(&"A".repeat(2 << 20)))),
        "TOKEN_MALFORMED"
    );
}

#[wasm_bindgen_test]
fn errors_are_real_errors_with_a_message() {
    let e = w::inspect_token(n(1.0)).unwrap_err();
    let e: js_sys::Error = e.dyn_into().unwrap();
    let msg: String = e.message().into();
    assert!(msg.starts_with("INVALID_ARGUMENT: "), "{msg}");
}

#[wasm_bindgen_test]
fn tokens_seal_with_the_platform_rng_and_inspect_through_the_binding() {
    use sealmatch::token::{self, PassengerKey, TokenHeader};
    // getrandom's wasm_js backend: crypto.getRandomValues in Node and Chromium.
    let a = PassengerKey::generate().unwrap();
    let b = PassengerKey::generate().unwrap();
    assert_ne!(*a.to_key_string(), *b.to_key_string());
    let h = TokenHeader::new("0117123456", "SK1415", 1_800_000_000, 1_800_003_600);
    let t1 = token::seal(&h, &a, &[7; 64]).unwrap();
    let t2 = token::seal(&h, &a, &[7; 64]).unwrap();
    assert_ne!(t1, t2, "a fresh IV each time");
    let out = w::inspect_token(s(&t1)).unwrap();
    let field = |k: &str| Reflect::get(&out, &s(k)).unwrap();
    assert_eq!(field("version").as_f64(), Some(1.0));
    assert_eq!(field("bagTag").as_string().as_deref(), Some("0117123456"));
    assert_eq!(field("flight").as_string().as_deref(), Some("SK1415"));
    assert_eq!(field("issuedAt").as_f64(), Some(1_800_000_000.0));
    assert_eq!(field("expiresAt").as_f64(), Some(1_800_003_600.0));
    // A truncated token is malformed.
    assert_eq!(
        err_code(w::inspect_token(s(&t1[..t1.len() - 2]))),
        "TOKEN_MALFORMED"
    );
}

#[wasm_bindgen_test]
fn revoked_proxies_are_refused_not_thrown() {
    let revocable = js_sys::Proxy::revocable(&Array::new(), &Object::new());
    let revoke: js_sys::Function = Reflect::get(&revocable, &s("revoke")).unwrap().into();
    let proxy = Reflect::get(&revocable, &s("proxy")).unwrap();
    revoke.call0(&JsValue::UNDEFINED).unwrap();
    assert_eq!(
        err_code(w::enroll(proxy.clone(), enroll_opts())),
        "INVALID_ARGUMENT"
    );
    let caps: JsValue = Array::of1(&n(1.0)).into();
    assert_eq!(err_code(w::enroll(caps, proxy.clone())), "INVALID_ARGUMENT");
    assert_eq!(
        err_code(w::verify(n(1.0), s("a.b.c.d.e"), s("k"), proxy.clone())),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        err_code(w::capture_from_image_data(proxy.clone(), n(500.0))),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        err_code(w::capture_from_gray(n(2.0), n(2.0), proxy, n(500.0))),
        "INVALID_ARGUMENT"
    );
}
