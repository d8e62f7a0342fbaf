// sealmatch/scanners: adapters from the kiosk's fingerprint scanner service to
// a sealmatch `Capture`. See index.d.ts and README.md ("Connect your scanner").
//
// Every adapter is `{ name, vendor, probe(options), scan(options), capture(options) }`:
// `scan` returns the device's image (an image file or grey pixels, no
// WebAssembly needed, so it can run on a page and the capture be made in a
// worker); `capture` is `scan` then `imageToCapture` (needs `await init()`).
// Failures are Errors with an adapter `code` (SCANNER_CODES); decoding
// failures keep the library's code (INVALID_IMAGE).

export { SCANNER_CODES, scannerError, imageToCapture, defineScanner } from "./common.js";
export { secugenScanner, SECUGEN_ERRORS } from "./secugen.js";
export { supremaScanner, supremaErrorCode } from "./suprema.js";
export { digitalPersonaScanner, SAMPLE_FORMAT } from "./digitalpersona.js";

/**
 * Probes every adapter at once and returns the ones whose service and reader
 * answered, in the order given.
 * @param {Array<import("./index.js").ScannerAdapter>} adapters
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function findScanners(adapters, options = {}) {
  const results = await Promise.all(adapters.map((a) => a.probe(options).catch(() => ({ available: false }))));
  return adapters.filter((_, i) => results[i].available);
}
