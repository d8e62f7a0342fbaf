// The public sealmatch API on top of the raw WebAssembly exports.
//
// This layer is deliberately thin: every argument is passed through untouched
// and checked in Rust (src/wasm/), which throws an Error with a stable
// `code`. All this file adds is the `Capture` object: a capture is a handle
// into a registry inside the WebAssembly module, kept in a WeakMap so that a
// freed capture (`null`) or a foreign object (`undefined`) reaches Rust as
// such and is refused with INVALID_ARGUMENT, and released by a
// FinalizationRegistry when the object is garbage-collected. `FaceCapture`
// is the same over the face registry; `enroll` and `verify` pass a face
// capture's handle as `{ face: handle }` and a fingerprint capture's as it is.

import * as core from "./sealmatch_core.js";

const CODES = new Set([
  "INVALID_IMAGE",
  "INVALID_ARGUMENT",
  "LOW_QUALITY",
  "TOKEN_MALFORMED",
  "TOKEN_UNSUPPORTED",
  "TOKEN_EXPIRED",
  "WRONG_BAG",
  "TOKEN_REJECTED",
  "KEY_MALFORMED",
  "NOT_READY",
  "MODALITY_MISMATCH",
]);

let ready = false;

/** Called by the entry module once the WebAssembly module is instantiated. */
export function markReady() {
  ready = true;
}

/** An Error with a stable `code`. */
export function codedError(code, message, cause) {
  const err = new Error(`${code}: ${message}`, cause === undefined ? undefined : { cause });
  err.code = code;
  return err;
}

// Runs `fn`, making sure whatever escapes is an Error with a known code.
// A WebAssembly.RuntimeError (a trap) is rethrown unchanged: it would be a bug,
// and hiding it behind a code would hide the bug.
function guard(fn, notReadyCode = "INVALID_ARGUMENT") {
  if (!ready) {
    throw codedError(notReadyCode, "call `await init()` before using sealmatch");
  }
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && CODES.has(e.code)) throw e;
    if (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) throw e;
    throw codedError("INVALID_ARGUMENT", "argument could not be read", e);
  }
}

const handles = new WeakMap(); // Capture -> handle (number) or null once freed
const INTERNAL = Symbol("sealmatch.internal");
const finalizer =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry((handle) => {
        if (ready) core.captureFree(handle);
      })
    : null;

// A capture's handle: a number if live, null if freed, undefined if `value`
// is not a Capture at all.
function handleOf(value) {
  return handles.get(value);
}

/**
 * A processed fingerprint capture. Make one with `Capture.fromGray`,
 * `Capture.fromRgba`, `Capture.fromImageData`, `Capture.fromImageFile` or
 * `Capture.fromMinutiaeRecord`; it stays usable until `free()`, and is also
 * released when garbage-collected.
 */
export class Capture {
  constructor(internal, handle) {
    if (internal !== INTERNAL) {
      throw codedError(
        "INVALID_ARGUMENT",
        "use Capture.fromGray, fromRgba, fromImageData, fromImageFile or fromMinutiaeRecord",
      );
    }
    handles.set(this, handle);
    if (finalizer) finalizer.register(this, handle, this);
  }

  /** From 8-bit grey pixels (Uint8Array, width*height bytes, row-major). */
  static fromGray(width, height, pixels, dpi) {
    return guard(() => new Capture(INTERNAL, core.captureFromGray(width, height, pixels, dpi)));
  }

  /** From RGBA pixels (Uint8Array or Uint8ClampedArray, 4 bytes a pixel). */
  static fromRgba(width, height, rgba, dpi) {
    return guard(() => new Capture(INTERNAL, core.captureFromRgba(width, height, rgba, dpi)));
  }

  /** From a canvas ImageData (or any `{ width, height, data }` of RGBA bytes). */
  static fromImageData(imageData, dpi) {
    return guard(() => new Capture(INTERNAL, core.captureFromImageData(imageData, dpi)));
  }

  /**
   * From a BMP or PNG file's bytes (Uint8Array), as scanner services return
   * them. `dpi` omitted: the file's own resolution (BMP pixels per metre,
   * PNG pHYs); INVALID_IMAGE when it states none.
   */
  static fromImageFile(bytes, dpi) {
    return guard(() => new Capture(INTERNAL, core.captureFromImageFile(bytes, dpi)));
  }

  /**
   * From an ISO/IEC 19794-2:2005 or ANSI INCITS 378-2004 finger minutiae
   * record (Uint8Array), as a scanner that gives only a template returns it.
   * The first finger view is used; it seals and matches as an image capture.
   */
  static fromMinutiaeRecord(bytes) {
    return guard(() => new Capture(INTERNAL, core.captureFromMinutiaeRecord(bytes)));
  }

  /** Quality, 0..100. */
  get quality() {
    return guard(() => core.captureQuality(handleOf(this)));
  }

  /** Feedback codes such as "too_dark"; empty when the capture is good. */
  get feedback() {
    return guard(() => core.captureFeedback(handleOf(this)));
  }

  /** Number of features (minutiae) found. */
  get minutiaeCount() {
    return guard(() => core.captureMinutiaeCount(handleOf(this)));
  }

  /**
   * The capture's image (at 500 dpi) with the found features drawn in, for a
   * local screen: `{ width, height, data }` with RGBA `data`
   * (`new ImageData(data, width, height)` in a browser). Pixels only.
   */
  renderFeatures() {
    return guard(() => core.captureRenderFeatures(handleOf(this)));
  }

  /** Releases the capture now; later use throws INVALID_ARGUMENT. Idempotent. */
  free() {
    const handle = handles.get(this);
    if (typeof handle !== "number") return;
    handles.set(this, null);
    if (finalizer) finalizer.unregister(this);
    if (ready) core.captureFree(handle);
  }
}

// enroll's first argument, with each Capture replaced by its handle. Anything
// that is not an array of one to three readable entries goes to Rust as it
// is, to be refused there with the right message.
function captureHandles(captures) {
  try {
    if (!Array.isArray(captures)) return captures; // isArray throws on a revoked proxy
    const n = captures.length;
    if (!(n >= 1 && n <= 3)) return captures;
    const out = [];
    for (let i = 0; i < n; i++) out.push(anyHandleOf(captures[i]));
    return out;
  } catch {
    return captures;
  }
}

/**
 * Seals one to three captures of one finger, or one to three face captures
 * of one person, into a token bound to a bag (mixing both is INVALID_ARGUMENT).
 * Returns `{ token, passengerKey }`.
 */
export function enroll(captures, options) {
  return guard(() => core.enroll(captureHandles(captures), options));
}

/**
 * Matches a capture (fingerprint or face) 1:1 against a token; a capture of
 * the other modality than the token's is MODALITY_MISMATCH. Returns `{ match, score, threshold }`.
 */
export function verify(capture, token, passengerKey, options) {
  return guard(() => core.verify(anyHandleOf(capture), token, passengerKey, options));
}

/** The token's header, checked for structure, without a key. */
export function inspectToken(token) {
  return guard(() => core.inspectToken(token));
}

// ---- Faces ----

const faceHandles = new WeakMap(); // FaceCapture -> handle (number) or null once freed
const faceFinalizer =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry((handle) => {
        if (ready) core.faceCaptureFree(handle);
      })
    : null;

// What `enroll`/`verify` pass for a capture of either kind.
function anyHandleOf(value) {
  return faceHandles.has(value) ? { face: faceHandles.get(value) } : handleOf(value);
}

// Face functions before `init()` (or `initFace()`) are NOT_READY.
function faceGuard(fn) {
  return guard(fn, "NOT_READY");
}

/**
 * A processed face capture (a camera frame or photo). Make one with
 * `FaceCapture.fromRgba` or `FaceCapture.fromImageData` after
 * `await initFace()`; it stays usable until `free()`, and is also released
 * when garbage-collected.
 */
export class FaceCapture {
  constructor(internal, handle) {
    if (internal !== INTERNAL) {
      throw codedError("INVALID_ARGUMENT", "use FaceCapture.fromRgba or FaceCapture.fromImageData");
    }
    faceHandles.set(this, handle);
    if (faceFinalizer) faceFinalizer.register(this, handle, this);
  }

  /** From RGBA pixels (Uint8Array or Uint8ClampedArray, 4 bytes a pixel). */
  static fromRgba(width, height, rgba) {
    return faceGuard(() => new FaceCapture(INTERNAL, core.faceCaptureFromRgba(width, height, rgba)));
  }

  /** From a canvas ImageData (or any `{ width, height, data }` of RGBA bytes). */
  static fromImageData(imageData) {
    return faceGuard(() => new FaceCapture(INTERNAL, core.faceCaptureFromImageData(imageData)));
  }

  /** Quality, 0..100 (0 when no face could be used). */
  get quality() {
    return faceGuard(() => core.faceCaptureQuality(faceHandles.get(this)));
  }

  /** Feedback codes such as "too_small"; empty when the capture is good. */
  get feedback() {
    return faceGuard(() => core.faceCaptureFeedback(faceHandles.get(this)));
  }

  /** `{ x, y, width, height }` of the face used (frame pixels), or null. */
  get box() {
    return faceGuard(() => core.faceCaptureBox(faceHandles.get(this)));
  }

  /** Releases the capture now; later use throws INVALID_ARGUMENT. Idempotent. */
  free() {
    const handle = faceHandles.get(this);
    if (typeof handle !== "number") return;
    faceHandles.set(this, null);
    if (faceFinalizer) faceFinalizer.unregister(this);
    if (ready) core.faceCaptureFree(handle);
  }
}

let faceLoading = null;

/**
 * `initFace(options)` for an entry module: `initCore()` loads the
 * WebAssembly module, `readDefault()` the weights shipped beside the package,
 * `readUrl(url)` the weights at `options.modelUrl`. Idempotent: later calls
 * return the same promise (a failed load can be retried).
 */
export function loadFace(options, initCore, readDefault, readUrl) {
  if (faceLoading === null) {
    faceLoading = (async () => {
      try {
        await initCore();
        if (core.faceReady()) return;
        const bytes = await faceModelBytes(options, readDefault, readUrl);
        guard(() => core.faceInit(bytes));
      } catch (e) {
        faceLoading = null;
        if (e instanceof Error && CODES.has(e.code)) throw e;
        throw codedError("INVALID_ARGUMENT", "could not load the face models", e);
      }
    })();
  }
  return faceLoading;
}

// The weights file's bytes from `initFace`'s options.
async function faceModelBytes(options, readDefault, readUrl) {
  if (options === undefined) return readDefault();
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw codedError("INVALID_ARGUMENT", "initFace options must be an object");
  }
  const keys = Object.keys(options);
  const unknown = keys.filter((k) => k !== "modelUrl" && k !== "modelBytes");
  if (unknown.length > 0 || keys.length > 1) {
    throw codedError("INVALID_ARGUMENT", "initFace takes one of { modelUrl } or { modelBytes }");
  }
  if (options.modelBytes !== undefined) {
    const b = options.modelBytes;
    return b instanceof ArrayBuffer ? new Uint8Array(b) : b; // checked in Rust
  }
  if (options.modelUrl !== undefined) {
    if (typeof options.modelUrl !== "string" && !(options.modelUrl instanceof URL)) {
      throw codedError("INVALID_ARGUMENT", "modelUrl must be a string or URL");
    }
    return readUrl(options.modelUrl);
  }
  return readDefault();
}

/** The weights at `url`, fetched (an HTTP error is INVALID_ARGUMENT). */
export async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw codedError("INVALID_ARGUMENT", `could not fetch the face models (HTTP ${response.status})`);
  }
  return new Uint8Array(await response.arrayBuffer());
}
