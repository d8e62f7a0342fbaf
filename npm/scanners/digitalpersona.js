// HID DigitalPersona through the integrator's own `FingerprintReader` from
// `@digitalpersona/devices` (this package does not bundle the vendor SDK):
// enumerateDevices(), startAcquisition(SampleFormat, uid), stopAcquisition(),
// and the events SamplesAcquired, QualityReported, ErrorOccurred,
// DeviceDisconnected and CommunicationFailed, subscribed with on()/off().
// Samples are base64url: a PNG (SampleFormat.PngImage, the default) or a raw
// grey image (SampleFormat.Raw).

import {
  decodeBase64,
  defineScanner,
  fileImage,
  isCoded,
  positiveInt,
  progress,
  race,
  scannerError,
  throwIfCancelled,
} from "./common.js";

const SERVICE = "DigitalPersona";

/** `SampleFormat` values of the DigitalPersona Web SDK. */
export const SAMPLE_FORMAT = Object.freeze({ Raw: 1, Intermediate: 2, Compressed: 3, PngImage: 5 });

/** The JSON array of samples an event carries (a JSON string or an array). */
function samplesOf(event) {
  let samples = event && event.samples;
  if (typeof samples === "string") {
    try {
      samples = JSON.parse(samples);
    } catch {
      throw scannerError("BAD_REPLY", `the ${SERVICE} samples are not JSON`);
    }
  }
  if (!Array.isArray(samples) || samples.length === 0) throw scannerError("BAD_REPLY", `the ${SERVICE} event has no samples`);
  return samples;
}

/** A raw sample: `{ Data }` whose base64url is JSON `{ Format: { iWidth, iHeight, iXdpi }, Data }`. */
function rawImage(sample, fallbackDpi) {
  const outer = decodeBase64(sample && sample.Data, `the ${SERVICE} raw sample`);
  let inner;
  try {
    inner = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(outer));
  } catch {
    throw scannerError("BAD_REPLY", `the ${SERVICE} raw sample is not JSON`);
  }
  const format = inner && inner.Format;
  if (!format || typeof format !== "object") throw scannerError("BAD_REPLY", `the ${SERVICE} raw sample has no Format`);
  const width = positiveInt(format, "iWidth", SERVICE, 10_000);
  const height = positiveInt(format, "iHeight", SERVICE, 10_000);
  const dpi = format.iXdpi === undefined ? fallbackDpi : positiveInt(format, "iXdpi", SERVICE, 5000);
  const pixels = decodeBase64(inner.Data, `the ${SERVICE} raw pixels`);
  if (pixels.length !== width * height) throw scannerError("BAD_REPLY", `the ${SERVICE} raw sample is not ${width}×${height} bytes`);
  return { format: "gray", width, height, pixels, dpi };
}

/**
 * An adapter over a DigitalPersona `FingerprintReader` you create.
 *
 * @param {{ reader: any, format?: "PngImage" | "Raw", dpi?: number, timeoutMs?: number, deviceUid?: string }} config
 *   `reader` your `new FingerprintReader()`; `format` the sample format
 *   (default "PngImage"); `dpi` the reader's resolution (default 500: the
 *   U.are.U readers are 500 dpi; a raw sample's own iXdpi wins); `timeoutMs`
 *   how long to wait for a finger (default 30000); `deviceUid` which reader
 *   (default the first enumerated).
 * @returns {import("./index.js").ScannerAdapter}
 * @example
 * import { FingerprintReader } from "@digitalpersona/devices";
 * const scanner = digitalPersonaScanner({ reader: new FingerprintReader() });
 */
export function digitalPersonaScanner(config) {
  const reader = config && config.reader;
  if (!reader || typeof reader.on !== "function" || typeof reader.startAcquisition !== "function") {
    throw new TypeError("digitalPersonaScanner needs { reader: new FingerprintReader() }");
  }
  const formatName = config.format ?? "PngImage";
  if (formatName !== "PngImage" && formatName !== "Raw") throw new RangeError('format must be "PngImage" or "Raw"');
  const dpi = config.dpi ?? 500;
  const timeoutMs = config.timeoutMs ?? 30_000;

  async function devices() {
    let uids;
    try {
      uids = await reader.enumerateDevices();
    } catch (e) {
      throw scannerError("SCANNER_UNAVAILABLE", `the ${SERVICE} agent did not answer`, e);
    }
    if (!Array.isArray(uids)) throw scannerError("BAD_REPLY", `the ${SERVICE} device list is not a list`);
    return uids.map((u) => (typeof u === "string" ? u : u && u.DeviceID)).filter((u) => typeof u === "string");
  }

  return defineScanner({
    name: "DigitalPersona (HID)",
    vendor: "digitalpersona",

    async probe({ signal } = {}) {
      throwIfCancelled(signal);
      try {
        const uids = await race(devices(), { signal, timeoutMs: 3000, what: SERVICE });
        return uids.length ? { available: true, devices: uids } : { available: false, code: "NO_DEVICE", devices: [] };
      } catch (e) {
        if (e.code === "CANCELLED") throw e;
        return { available: false, code: e.code ?? "SCANNER_UNAVAILABLE", devices: [] };
      }
    },

    async scan({ signal, onProgress } = {}) {
      throwIfCancelled(signal);
      progress(onProgress, "connecting");
      const uids = await race(devices(), { signal, timeoutMs: 5000, what: SERVICE });
      const uid = config.deviceUid ?? uids[0];
      if (uid === undefined || !uids.includes(uid)) throw scannerError("NO_DEVICE", `no ${SERVICE} reader is connected`);

      const handlers = [];
      const listen = (type, fn) => {
        reader.on(type, fn);
        handlers.push([type, fn]);
      };
      const sample = new Promise((resolve, reject) => {
        const mine = (event) => !event || event.deviceUid === undefined || event.deviceUid === uid;
        listen("SamplesAcquired", (event) => {
          if (!mine(event)) return;
          try {
            const samples = samplesOf(event);
            if (formatName === "Raw") resolve(rawImage(samples[0], dpi));
            else {
              const image = fileImage(decodeBase64(samples[0], `the ${SERVICE} sample`), dpi, SERVICE);
              if (image.format !== "png") throw scannerError("BAD_REPLY", `the ${SERVICE} sample is not a PNG`);
              resolve(image);
            }
          } catch (e) {
            reject(e);
          }
        });
        listen("QualityReported", (event) => {
          if (!mine(event)) return;
          const q = event && event.quality;
          progress(onProgress, "quality", { quality: q });
          if (q !== 0 && q !== undefined) reject(scannerError("LOW_QUALITY", `${SERVICE} quality code ${q}`));
        });
        listen("ErrorOccurred", (event) => {
          if (!mine(event)) return;
          reject(scannerError("SCANNER_ERROR", `${SERVICE} error ${Number(event && event.error)}`));
        });
        listen("DeviceDisconnected", (event) => {
          if (mine(event)) reject(scannerError("DEVICE_DISCONNECTED", `the ${SERVICE} reader was unplugged`));
        });
        listen("CommunicationFailed", () => reject(scannerError("SCANNER_UNAVAILABLE", `lost the ${SERVICE} agent`)));
      });
      sample.catch(() => {}); // settled through race below

      let started = false;
      try {
        try {
          await reader.startAcquisition(SAMPLE_FORMAT[formatName], uid);
          started = true;
        } catch (e) {
          throw isCoded(e) ? e : scannerError("SCANNER_ERROR", `${SERVICE} could not start acquiring`, e);
        }
        progress(onProgress, "waiting-for-finger");
        const image = await race(sample, { signal, timeoutMs, what: SERVICE });
        progress(onProgress, "reading-image");
        return image;
      } finally {
        for (const [type, fn] of handlers) {
          try {
            if (typeof reader.off === "function") reader.off(type, fn);
          } catch {
            /* best effort */
          }
        }
        if (started) Promise.resolve().then(() => reader.stopAcquisition(uid)).catch(() => {});
      }
    },
  });
}
