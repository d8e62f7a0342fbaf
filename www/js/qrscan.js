// @ts-check
/**
 * Reads a QR code from the camera: the browser's BarcodeDetector where it has
 * one that knows QR codes, else jsQR (served at /vendor/jsQR.js when the demo
 * was built with it) on frames drawn from getUserMedia's video. The path
 * taken is recorded as `<body data-path-qr>` (fallbacks.js).
 */

import { notePath, openCamera } from "./fallbacks.js";

/** @returns {Promise<((source: HTMLVideoElement) => Promise<string | null>) | null>} */
async function makeDetector() {
  const BD = /** @type {any} */ (globalThis).BarcodeDetector;
  // An engine may have BarcodeDetector without QR codes, or with a
  // getSupportedFormats that fails: then jsQR.
  const formats = BD ? await Promise.resolve(BD.getSupportedFormats?.()).catch(() => []) : [];
  if (formats?.includes("qr_code")) {
    const detector = new BD({ formats: ["qr_code"] });
    notePath("qr", "barcode-detector");
    return async (video) => {
      const codes = await detector.detect(video);
      return codes[0]?.rawValue ?? null;
    };
  }
  const jsQR = await loadJsQr();
  notePath("qr", jsQR ? "jsqr" : "none");
  if (!jsQR) return null;
  const canvas = document.createElement("canvas");
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d", { willReadFrequently: true }));
  return async (video) => {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!w || !h) return null;
    canvas.width = w;
    canvas.height = h;
    ctx.drawImage(video, 0, 0, w, h);
    const found = jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
    return found?.data ?? null;
  };
}

/** @returns {Promise<any>} jsQR, or null when it is not served */
function loadJsQr() {
  const g = /** @type {any} */ (globalThis);
  if (g.jsQR) return Promise.resolve(g.jsQR);
  return new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = "/vendor/jsQR.js";
    script.onload = () => resolve(g.jsQR ?? null);
    script.onerror = () => resolve(null);
    document.head.append(script);
  });
}

/** Whether this browser can try to read a QR code from a camera at all. */
export function cameraAvailable() {
  return Boolean(navigator.mediaDevices?.getUserMedia);
}

/**
 * Starts the camera in `video` and resolves with the first QR code text that
 * `accept` approves, or null when `signal` aborts. The camera is always
 * stopped before it resolves.
 *
 * @param {HTMLVideoElement} video
 * @param {{ signal: AbortSignal, accept?: (text: string) => boolean }} options
 * @returns {Promise<string | null>}
 * @throws {Error} when there is no camera or no permission (a DOMException),
 *   or no decoder (`code` "QR_UNAVAILABLE")
 */
export async function scanQr(video, { signal, accept = () => true }) {
  const detect = await makeDetector();
  if (!detect) throw Object.assign(new Error("This browser cannot read QR codes. Type the key instead."), { code: "QR_UNAVAILABLE" }); // text: common.error.QR_UNAVAILABLE
  const stream = await openCamera({ facingMode: "environment" });
  try {
    video.srcObject = stream;
    video.muted = true;
    video.playsInline = true;
    await video.play();
    while (!signal.aborted) {
      const text = await detect(video).catch(() => null);
      if (text && accept(text)) return text;
      await new Promise((r) => setTimeout(r, 150));
    }
    return null;
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  }
}
