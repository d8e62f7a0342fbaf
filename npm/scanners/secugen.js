// SecuGen WebAPI: the SgiBioSrv service on the kiosk, by default at
// https://localhost:8443. One capture is one POST /SGIFPCapture (form fields
// Timeout, Quality, licstr, templateFormat, imageWSQRate) whose JSON reply
// carries ErrorCode, ImageWidth, ImageHeight, ImageDPI, ImageQuality, NFIQ and
// the image as BMPBase64. probe() asks POST /SGIFPGetInfo, which answers
// without waiting for a finger.

import {
  decodeBase64,
  defineScanner,
  fetchJson,
  fileImage,
  positiveInt,
  progress,
  scannerError,
  baseUrl as checkedBaseUrl,
} from "./common.js";

const SERVICE = "SecuGen WebAPI";

/**
 * SgiBioSrv's ErrorCode → adapter code. 0 is success. 53 and 55 read "device
 * not found" and "no device available": 55 before any capture (NO_DEVICE),
 * 53 as the reader having gone away (DEVICE_DISCONNECTED).
 */
export const SECUGEN_ERRORS = Object.freeze({
  53: "DEVICE_DISCONNECTED",
  54: "TIMEOUT",
  55: "NO_DEVICE",
  57: "LOW_QUALITY",
  59: "DEVICE_BUSY",
  63: "SCANNER_UNAVAILABLE",
  101: "LOW_QUALITY",
});

function vendorError(errorCode) {
  const code = SECUGEN_ERRORS[errorCode] ?? "SCANNER_ERROR";
  return scannerError(code, `${SERVICE} ErrorCode ${errorCode}`);
}

function errorCodeOf(reply) {
  const v = reply.ErrorCode;
  if (typeof v !== "number" || !Number.isInteger(v)) throw scannerError("BAD_REPLY", `the ${SERVICE} reply has no ErrorCode`);
  return v;
}

/**
 * An adapter for a SecuGen reader through SecuGen WebAPI.
 *
 * @param {{ baseUrl?: string, licstr?: string, quality?: number, timeoutMs?: number,
 *   templateFormat?: "ISO" | "ANSI" }} [config]
 *   `baseUrl` the service (default https://localhost:8443); `licstr` the
 *   licence string SecuGen issues for the site's domain (empty on localhost);
 *   `quality` the least image quality (1–100, default 50) the service
 *   accepts and this adapter checks again; `timeoutMs` how long the service
 *   waits for a finger (default 10000).
 * @returns {import("./index.js").ScannerAdapter}
 * @example
 * const scanner = secugenScanner({ licstr: "" });
 * const cap = await scanner.capture({ signal, onProgress: (p) => show(p.stage) });
 */
export function secugenScanner(config = {}) {
  const base = checkedBaseUrl(config.baseUrl, "https://localhost:8443");
  const quality = config.quality ?? 50;
  const timeoutMs = config.timeoutMs ?? 10_000;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new RangeError("quality must be 1..100");
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError("timeoutMs must be a positive integer");
  const form = (fields) => new URLSearchParams({ licstr: config.licstr ?? "", ...fields });

  return defineScanner({
    name: "SecuGen (WebAPI)",
    vendor: "secugen",
    baseUrl: base,

    async probe({ signal } = {}) {
      try {
        const reply = await fetchJson(`${base}/SGIFPGetInfo`, {
          method: "POST",
          body: form({}),
          signal,
          timeoutMs: 3000,
          service: SERVICE,
        });
        const errorCode = errorCodeOf(reply);
        if (errorCode !== 0) {
          const e = vendorError(errorCode);
          return { available: false, code: e.code === "DEVICE_DISCONNECTED" ? "NO_DEVICE" : e.code, devices: [] };
        }
        const model = typeof reply.Model === "string" ? reply.Model : "SecuGen reader";
        return { available: true, devices: [model] };
      } catch (e) {
        if (e.code === "CANCELLED") throw e;
        return { available: false, code: e.code ?? "SCANNER_UNAVAILABLE", devices: [] };
      }
    },

    async scan({ signal, onProgress } = {}) {
      progress(onProgress, "waiting-for-finger");
      const reply = await fetchJson(`${base}/SGIFPCapture`, {
        method: "POST",
        body: form({
          Timeout: String(timeoutMs),
          Quality: String(quality),
          templateFormat: config.templateFormat ?? "ISO",
          imageWSQRate: "0.75",
        }),
        signal,
        timeoutMs: timeoutMs + Math.min(5000, timeoutMs), // the service's own limit, plus time for its reply
        service: SERVICE,
      });
      const errorCode = errorCodeOf(reply);
      if (errorCode !== 0) throw vendorError(errorCode);
      progress(onProgress, "reading-image");
      const width = positiveInt(reply, "ImageWidth", SERVICE);
      const height = positiveInt(reply, "ImageHeight", SERVICE);
      const dpi = positiveInt(reply, "ImageDPI", SERVICE, 5000);
      const imageQuality = reply.ImageQuality;
      if (typeof imageQuality === "number" && imageQuality < quality) {
        throw scannerError("LOW_QUALITY", `${SERVICE} image quality ${imageQuality} is below ${quality}`);
      }
      const image = fileImage(decodeBase64(reply.BMPBase64, `the ${SERVICE} BMPBase64`), dpi, SERVICE);
      return { ...image, width, height, quality: typeof imageQuality === "number" ? imageQuality : undefined };
    },
  });
}
