// A fake `FingerprintReader` (the shape of @digitalpersona/devices' reader):
// enumerateDevices, startAcquisition(format, uid), stopAcquisition, on/off,
// and the events the real one emits, scripted by `mode`. Browser-safe.

import { toBase64Url } from "./bmp.mjs";

export class FakeFingerprintReader {
  /**
   * @param {{ png?: Uint8Array, raw?: { width: number, height: number, pixels: Uint8Array, dpi: number } }} images
   */
  constructor(images) {
    this.images = images;
    this.mode = "ok";
    this.handlers = new Map();
    this.calls = [];
  }

  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(fn);
    return fn;
  }

  off(type, fn) {
    this.handlers.get(type)?.delete(fn);
  }

  /** How many handlers are still attached (the adapter must remove its own). */
  get listeners() {
    let n = 0;
    for (const set of this.handlers.values()) n += set.size;
    return n;
  }

  emit(type, event) {
    for (const fn of [...(this.handlers.get(type) ?? [])]) fn({ type, ...event });
  }

  async enumerateDevices() {
    this.calls.push("enumerateDevices");
    if (this.mode === "no-service") throw new Error("communication failed");
    if (this.mode === "no-device") return [];
    return ["{fake-uid-1}"];
  }

  async startAcquisition(format, uid) {
    this.calls.push(`startAcquisition:${format}`);
    const deviceUid = uid;
    const later = (fn) => setTimeout(fn, 20);
    switch (this.mode) {
      case "ok":
        later(() => {
          this.emit("QualityReported", { deviceUid, quality: 0 });
          this.emit("SamplesAcquired", { deviceUid, sampleFormat: format, samples: JSON.stringify(this.sample(format)) });
        });
        break;
      case "low-quality":
        later(() => this.emit("QualityReported", { deviceUid, quality: 3 }));
        break;
      case "unplugged":
        later(() => this.emit("DeviceDisconnected", { deviceUid }));
        break;
      case "comm-failed":
        later(() => this.emit("CommunicationFailed", {}));
        break;
      case "error":
        later(() => this.emit("ErrorOccurred", { deviceUid, error: 42 }));
        break;
      case "bad-samples":
        later(() => this.emit("SamplesAcquired", { deviceUid, sampleFormat: format, samples: "[not json" }));
        break;
      case "not-png":
        later(() => this.emit("SamplesAcquired", { deviceUid, sampleFormat: format, samples: JSON.stringify(["AAAAAAAAAAAA"]) }));
        break;
      case "hang":
        break;
      default:
        throw new Error(`unknown mode ${this.mode}`);
    }
  }

  async stopAcquisition() {
    this.calls.push("stopAcquisition");
  }

  sample(format) {
    if (format === 5) return [toBase64Url(this.images.png)];
    const { width, height, pixels, dpi } = this.images.raw;
    const inner = JSON.stringify({ Format: { iWidth: width, iHeight: height, iXdpi: dpi }, Data: toBase64Url(pixels) });
    return [{ Data: toBase64Url(new TextEncoder().encode(inner)) }];
  }
}
