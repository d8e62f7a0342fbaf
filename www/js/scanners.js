// @ts-check
/**
 * Scanner adapters: where a fingerprint impression comes from.
 *
 * A scanner plugs into the demo as a {@link ScannerAdapter}: the interface of
 * the package's `sealmatch/scanners` (`pkg/scanners/`), so the package's
 * SecuGen, Suprema and DigitalPersona adapters are used as they are. An
 * adapter has a `name` and a `scan()` that resolves with one impression as the
 * device gives it: 8-bit grey pixels, or an image file (BMP, PNG) that the
 * worker decodes with `Capture.fromImageFile`. The pages only call `scan()`;
 * they never care where the pixels come from. Two adapters ship here:
 * {@link fileScanner} (a scanner's image file, uploaded) and
 * {@link sampleScanner} (the synthetic sample fingers `make demo` generates);
 * {@link findKioskScanners} probes the vendor services on the kiosk.
 *
 * @example
 * // Another vendor (see README "Connect your scanner"):
 * const vendorScanner = {
 *   name: "Acme FP-500",
 *   async probe() { return { available: true, devices: ["FP-500"] }; },
 *   async scan({ signal } = {}) {
 *     const frame = await acme.grabFrame({ signal });   // the SDK's own call
 *     return { width: frame.w, height: frame.h, pixels: frame.gray8, dpi: 500 };
 *   },
 * };
 */

/**
 * @typedef {object} FingerImage
 * @property {number} width pixels
 * @property {number} height pixels
 * @property {Uint8Array} pixels 8-bit grey, row-major, width × height bytes; dark ridges on light background
 * @property {number} dpi scanner resolution, dots per inch (500 for most scanners)
 */

/**
 * @typedef {object} ScannerFile
 * @property {Uint8Array} file a BMP or PNG as the scanner service sent it
 * @property {number} [dpi] the device's resolution; omitted: the file's own
 */

/** @typedef {FingerImage | ScannerFile} ScannerImage */

/**
 * @typedef {object} ScannerAdapter
 * @property {string} name shown to staff
 * @property {(options?: { signal?: AbortSignal, onProgress?: (p: { stage: string }) => void }) => Promise<ScannerImage>} scan one impression
 * @property {(options?: { signal?: AbortSignal }) => Promise<{ available: boolean, devices: string[], code?: string }>} [probe] whether the device is there
 */

/**
 * Decodes an image file (PNG, JPEG, BMP, ... whatever the browser reads) to
 * grey pixels (ITU-R BT.601 luma).
 * @param {Blob} blob
 * @returns {Promise<{ width: number, height: number, pixels: Uint8Array }>}
 */
export async function decodeToGray(blob) {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = /** @type {OffscreenCanvasRenderingContext2D} */ (canvas.getContext("2d", { willReadFrequently: true }));
  ctx.fillStyle = "#fff"; // transparent areas read as background
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const pixels = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < pixels.length; i++, p += 4) {
    pixels[i] = (rgba[p] * 299 + rgba[p + 1] * 587 + rgba[p + 2] * 114 + 500) / 1000;
  }
  rgba.fill(0);
  return { width, height, pixels };
}

/**
 * Reads the resolution a PNG declares in its pHYs chunk, in dpi, or null.
 * @param {Blob} blob
 * @returns {Promise<number | null>}
 */
export async function pngDpi(blob) {
  const bytes = new Uint8Array(await blob.slice(0, 4096).arrayBuffer());
  const view = new DataView(bytes.buffer);
  const isPng = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (!isPng) return null;
  for (let at = 8; at + 12 <= bytes.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === "pHYs" && at + 17 <= bytes.length && bytes[at + 16] === 1) {
      return Math.round(view.getUint32(at + 8) * 0.0254); // pixels per metre → dpi
    }
    if (type === "IDAT") return null;
    at += 12 + len;
  }
  return null;
}

/**
 * An adapter over a file input: `scan()` reads the file chosen there.
 * The resolution is the PNG's own when it declares one, else `defaultDpi()`.
 *
 * @param {HTMLInputElement} input an `<input type="file">`
 * @param {() => number} defaultDpi e.g. read from a form field
 * @returns {ScannerAdapter}
 */
export function fileScanner(input, defaultDpi) {
  return {
    name: "Scanner image file",
    async scan() {
      const file = input.files?.[0];
      if (!file) throw Object.assign(new Error("Choose a scanner image file first."), { code: "NO_IMAGE" });
      const { width, height, pixels } = await decodeToGray(file);
      const dpi = (await pngDpi(file)) ?? defaultDpi();
      return { width, height, pixels, dpi };
    },
  };
}

/**
 * @typedef {object} SampleManifest
 * @property {number} dpi resolution of every sample
 * @property {Array<{ id: string, impressions: string[] }>} fingers file names relative to the manifest
 */

/**
 * Loads the sample fingers' manifest (`samples/index.json`), or null when the
 * demo was started without samples.
 * @param {string} [url]
 * @returns {Promise<SampleManifest | null>}
 */
export async function loadSamples(url = "/samples/index.json") {
  try {
    const res = await fetch(url, { cache: "no-store" });
    if (!res.ok) return null;
    const manifest = await res.json();
    return Array.isArray(manifest?.fingers) && manifest.fingers.length ? manifest : null;
  } catch {
    return null;
  }
}

/**
 * An adapter that "scans" one of the synthetic sample fingers: `pick()` says
 * which finger and impression the next `scan()` returns.
 *
 * @param {SampleManifest} manifest
 * @param {string} [base] URL of the folder the manifest names files in
 * @returns {ScannerAdapter & { pick: (finger: number, impression: number) => string }}
 */
export function sampleScanner(manifest, base = "/samples/") {
  let current = { finger: 0, impression: 0 };
  return {
    name: "Sample finger (synthetic)",
    pick(finger, impression) {
      const f = manifest.fingers[finger];
      if (!f || !f.impressions[impression]) throw new RangeError("no such sample");
      current = { finger, impression };
      return new URL(f.impressions[impression], new URL(base, location.href)).href;
    },
    async scan() {
      const file = manifest.fingers[current.finger].impressions[current.impression];
      const res = await fetch(new URL(file, new URL(base, location.href)));
      if (!res.ok) throw Object.assign(new Error(`sample ${file} is missing (${res.status})`), { code: "NO_IMAGE" });
      const { width, height, pixels } = await decodeToGray(await res.blob());
      return { width, height, pixels, dpi: manifest.dpi };
    },
  };
}

/**
 * The kiosk's scanner services: the package's SecuGen WebAPI and Suprema
 * BioMini Web Agent adapters (and DigitalPersona when the page is given a
 * `FingerprintReader`), probed at once. Resolves with the ones whose service
 * answered with a reader, each with its reader names. The page's
 * Content-Security-Policy must allow the services' origins in `connect-src`
 * (the reference server allows https://localhost:8443 and :8084).
 *
 * @param {{ secugenUrl?: string, supremaUrl?: string, digitalPersonaReader?: any, signal?: AbortSignal }} [options]
 *   base URLs (default the vendors' own: https://localhost:8443, https://localhost:8084)
 * @returns {Promise<Array<{ adapter: ScannerAdapter & { vendor: string }, devices: string[] }>>}
 */
export async function findKioskScanners(options = {}) {
  const PACKAGE_SCANNERS = "/pkg/scanners/index.js"; // served beside the pages, not resolved at build time
  const sc = await import(PACKAGE_SCANNERS);
  const adapters = [
    sc.secugenScanner({ baseUrl: options.secugenUrl }),
    sc.supremaScanner({ baseUrl: options.supremaUrl }),
    ...(options.digitalPersonaReader ? [sc.digitalPersonaScanner({ reader: options.digitalPersonaReader })] : []),
  ];
  const probes = await Promise.all(adapters.map((a) => a.probe({ signal: options.signal }).catch(() => ({ available: false, devices: [] }))));
  return adapters.flatMap((adapter, i) => (probes[i].available ? [{ adapter, devices: probes[i].devices }] : []));
}
