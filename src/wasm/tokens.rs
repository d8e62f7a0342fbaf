//! `enroll`, `verify` and `inspectToken`: the exports that make and read
//! sealed tokens. They read their arguments, run the core API and return
//! plain objects.

use wasm_bindgen::prelude::*;

use super::args::{
    finite_arg, get, get_index, is_array, key_arg, optional, options_object, required, string_arg,
    token_arg, u64_arg, whole_number, MAX_SAFE_INTEGER,
};
use super::errors::{fail, to_js};
use super::face_capture::{self, FACES};
use super::fingerprint_capture::CAPTURES;
use super::results::{f32_for_js, plain_object};
use crate::api::{self, Biometric, EnrollOptions, VerifyOptions};
use crate::error::{ErrorCode, Result};

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
        .map(|i| get_index(v, i, "captures"))
        .collect()
}

/// Which registry a capture argument's handle is in: the JS layer passes a
/// fingerprint capture's handle as it is and a face capture's as
/// `{ face: handle }`.
enum Handle {
    Fingerprint(JsValue),
    Face(JsValue),
}

fn handle_of(v: JsValue) -> Result<Handle> {
    if v.is_object() {
        let face = get(&v, "face", "capture")?;
        if !face.is_undefined() {
            return Ok(Handle::Face(face));
        }
    }
    Ok(Handle::Fingerprint(v))
}

/// Runs `f` on the captures behind `handles` (fingerprint and face, in
/// their order; `NOT_READY` for a face capture before `faceInit`). Mixing
/// modalities is left to the core (`INVALID_ARGUMENT` in `enroll`).
fn with_captures<R>(
    handles: Vec<JsValue>,
    f: impl FnOnce(&[&dyn Biometric]) -> Result<R>,
) -> Result<R> {
    let handles = handles
        .into_iter()
        .map(handle_of)
        .collect::<Result<Vec<_>>>()?;
    let (mut fingers, mut faces) = (Vec::new(), Vec::new());
    for h in &handles {
        match h {
            Handle::Fingerprint(v) => fingers.push(v.clone()),
            Handle::Face(v) => faces.push(v.clone()),
        }
    }
    if !faces.is_empty() {
        face_capture::ready()?;
    }
    CAPTURES.with_all(&fingers, "capture", |fingers| {
        FACES.with_all(&faces, "face capture", |faces| {
            let (mut fi, mut fa) = (fingers.iter(), faces.iter());
            let all: Vec<&dyn Biometric> = handles
                .iter()
                .filter_map(|h| match h {
                    Handle::Fingerprint(_) => fi.next().map(|c| *c as &dyn Biometric),
                    Handle::Face(_) => fa.next().map(|c| *c as &dyn Biometric),
                })
                .collect();
            f(&all)
        })
    })
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

/// `enroll(captures, options)` → `{ token, passengerKey }`.
#[wasm_bindgen]
pub fn enroll(captures: JsValue, options: JsValue) -> std::result::Result<JsValue, JsValue> {
    to_js((|| {
        let handles = capture_list(&captures)?;
        let opts = enroll_options(&options)?;
        let enrolled = with_captures(handles, |caps| api::enroll_any(caps, &opts))?;
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
        let v = with_captures(vec![capture], |caps| match caps {
            [one] => api::verify_any(*one, &token, &key, &opts),
            _ => fail(ErrorCode::InvalidArgument, "verify takes one capture"),
        })?;
        Ok(plain_object(&[
            ("match", JsValue::from_bool(v.matched)),
            ("score", f32_for_js(v.score)),
            ("threshold", f32_for_js(v.threshold)),
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
