// What every scanner adapter shares: coded errors, a fetch with cancel and a
// time limit whose failures are mapped to adapter codes, base64 decoding,
// image-format sniffing, and turning a scanner image into a `Capture`.
//
// Nothing here logs, and no error message ever carries image bytes, base64
// text or a reply body: only codes, URLs, sizes and the vendor's error number.

import { Capture } from "../api.js";

/** The adapter error codes (separate from the library's codes). */
export const SCANNER_CODES = Object.freeze([
  "SCANNER_UNAVAILABLE",
  "NO_DEVICE",
  "DEVICE_BUSY",
  "TIMEOUT",
  "LOW_QUALITY",
  "DEVICE_DISCONNECTED",
  "BAD_REPLY",
  "CANCELLED",
  "SCANNER_ERROR",
]);

/** Largest reply body an adapter reads (a 1000 dpi BMP in base64 is far below). */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

/**
 * An `Error` with an adapter `code` and a short message.
 * @example throw scannerError("NO_DEVICE", "no SecuGen reader is connected");
 */
export function scannerError(code, message, cause) {
  const err = new Error(`${code}: ${message}`, cause === undefined ? undefined : { cause });
  err.code = code;
  return err;
}

/** Whether `e` is an adapter error (or a library error) that should pass through unchanged. */
export function isCoded(e) {
  return e instanceof Error && typeof e.code === "string";
}

/** Throws CANCELLED when `signal` has fired. */
export function throwIfCancelled(signal) {
  if (signal && signal.aborted) throw scannerError("CANCELLED", "the capture was cancelled");
}

/**
 * Calls `onProgress({ stage, ...extra })` if given; an exception thrown by the
 * callback is the caller's bug and is not swallowed.
 */
export function progress(onProgress, stage, extra) {
  if (typeof onProgress === "function") onProgress({ stage, ...extra });
}

/**
 * Resolves with `promise`, or rejects with CANCELLED when `signal` fires or
 * TIMEOUT after `timeoutMs`; `onStop()` runs once on either (e.g. to ask the
 * service to abort).
 */
export function race(promise, { signal, timeoutMs, onStop, what }) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn, value, stop) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (signal) signal.removeEventListener("abort", onAbort);
      if (stop && onStop) {
        try {
          onStop();
        } catch {
          /* best effort */
        }
      }
      fn(value);
    };
    const onAbort = () => finish(reject, scannerError("CANCELLED", "the capture was cancelled"), true);
    const timer =
      timeoutMs > 0
        ? setTimeout(
            () => finish(reject, scannerError("TIMEOUT", `no finger within ${timeoutMs} ms (${what})`), true),
            timeoutMs,
          )
        : null;
    if (signal) {
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
    }
    promise.then(
      (v) => finish(resolve, v, false),
      (e) => finish(reject, e, false),
    );
  });
}

/**
 * Requests `url` and returns the reply as a JSON object. A network failure is
 * SCANNER_UNAVAILABLE (the service is not running or not trusted), an HTTP
 * error status SCANNER_UNAVAILABLE, a body that is not a JSON object (or is
 * larger than MAX_REPLY_BYTES) BAD_REPLY, `signal` CANCELLED and `timeoutMs`
 * TIMEOUT.
 * @param {string | URL} url
 * @param {{ method?: string, body?: any, headers?: Record<string,string>, credentials?: RequestCredentials,
 *   signal?: AbortSignal, timeoutMs?: number, service: string }} options
 */
export async function fetchJson(url, options) {
  const { signal, timeoutMs = 0, service } = options;
  throwIfCancelled(signal);
  const controller = new AbortController();
  const run = (async () => {
    let response;
    try {
      response = await fetch(url, {
        method: options.method ?? "GET",
        body: options.body,
        headers: options.headers,
        credentials: options.credentials,
        cache: "no-store",
        signal: controller.signal,
      });
    } catch (e) {
      throw scannerError("SCANNER_UNAVAILABLE", `could not reach the ${service} service at ${new URL(url).origin}`, e);
    }
    if (!response.ok) {
      throw scannerError("SCANNER_UNAVAILABLE", `the ${service} service answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get("content-length"));
    if (declared > MAX_REPLY_BYTES) throw scannerError("BAD_REPLY", `the ${service} reply is too large`);
    let text;
    try {
      text = await response.text();
    } catch (e) {
      throw scannerError("SCANNER_UNAVAILABLE", `the ${service} service closed the connection`, e);
    }
    if (text.length > MAX_REPLY_BYTES) throw scannerError("BAD_REPLY", `the ${service} reply is too large`);
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      throw scannerError("BAD_REPLY", `the ${service} reply is not JSON`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw scannerError("BAD_REPLY", `the ${service} reply is not a JSON object`);
    }
    return value;
  })();
  return race(run, { signal, timeoutMs, onStop: () => controller.abort(), what: service });
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;
B64_VALUE["-".charCodeAt(0)] = 62; // base64url
B64_VALUE["_".charCodeAt(0)] = 63;

/**
 * Decodes base64 or base64url (padding and line breaks allowed) to bytes;
 * anything else is BAD_REPLY naming `what`.
 * @param {unknown} text @param {string} what
 * @returns {Uint8Array}
 */
export function decodeBase64(text, what) {
  if (typeof text !== "string" || text.length === 0) throw scannerError("BAD_REPLY", `${what} is missing`);
  if (text.length > MAX_REPLY_BYTES) throw scannerError("BAD_REPLY", `${what} is too large`);
  const s = text.replace(/[\r\n]/g, "").replace(/=+$/, "");
  if (s.length % 4 === 1) throw scannerError("BAD_REPLY", `${what} is not base64`);
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 256 ? B64_VALUE[c] : -1;
    if (v < 0) throw scannerError("BAD_REPLY", `${what} is not base64`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * The format of an image file from its first bytes: "bmp", "png", "wsq", or null.
 * @param {Uint8Array} bytes
 */
export function sniffImage(bytes) {
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return "bmp";
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xa0) return "wsq";
  return null;
}

/**
 * A `ScannerImage` for an image file returned by a service: BMP or PNG, else
 * BAD_REPLY (WSQ is refused: ask the service for BMP or raw).
 * @param {Uint8Array} bytes @param {number | undefined} dpi @param {string} service
 */
export function fileImage(bytes, dpi, service) {
  const format = sniffImage(bytes);
  if (format === "wsq") throw scannerError("BAD_REPLY", `the ${service} service sent WSQ; ask it for BMP or raw`);
  if (format === null) throw scannerError("BAD_REPLY", `the ${service} image is neither BMP nor PNG`);
  return dpi === undefined ? { format, file: bytes } : { format, file: bytes, dpi };
}

/**
 * A positive integer field of a reply, else BAD_REPLY.
 * @param {Record<string, unknown>} reply @param {string} key @param {string} service
 */
export function positiveInt(reply, key, service, max = 100_000) {
  const v = reply[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0 || v > max) {
    throw scannerError("BAD_REPLY", `the ${service} reply has no valid ${key}`);
  }
  return v;
}

/**
 * Makes a `Capture` from a `ScannerImage`: an image file through
 * `Capture.fromImageFile(file, dpi)`, grey pixels through
 * `Capture.fromGray(width, height, pixels, dpi)`. Needs `await init()` first;
 * a bad image rejects with the library's code (INVALID_IMAGE, ...).
 * @param {import("./index.js").ScannerImage} image
 */
export function imageToCapture(image) {
  if (image && image.file !== undefined) {
    if (typeof Capture.fromImageFile !== "function") {
      throw new Error("this sealmatch build has no Capture.fromImageFile; scanner image files need it");
    }
    return image.dpi === undefined ? Capture.fromImageFile(image.file) : Capture.fromImageFile(image.file, image.dpi);
  }
  return Capture.fromGray(image.width, image.height, image.pixels, image.dpi);
}

/**
 * Completes an adapter from its `name`, `probe` and `scan`: adds
 * `capture(options)` = `imageToCapture(await scan(options))` with a
 * "decoding" progress stage. This is how a new vendor is added.
 * @example
 * const acme = defineScanner({
 *   name: "Acme FP-500",
 *   async probe() { return { available: true, devices: ["FP-500"] }; },
 *   async scan({ signal, onProgress } = {}) {
 *     const frame = await acmeSdk.grab({ signal });
 *     return { width: frame.w, height: frame.h, pixels: frame.gray8, dpi: 500 };
 *   },
 * });
 * const capture = await acme.capture();
 */
export function defineScanner(adapter) {
  return Object.freeze({
    ...adapter,
    async capture(options = {}) {
      const image = await adapter.scan(options);
      throwIfCancelled(options.signal);
      progress(options.onProgress, "decoding");
      return imageToCapture(image);
    },
  });
}

/** The base URL without a trailing slash, checked to be http(s). */
export function baseUrl(value, fallback) {
  const url = new URL(value ?? fallback);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError("baseUrl must be http or https");
  return url.href.replace(/\/+$/, "");
}
