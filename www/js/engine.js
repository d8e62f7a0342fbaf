// @ts-check
/**
 * The page's side of the worker (see worker.js): promise-returning calls, and
 * a busy indicator while any call runs. Errors come back as `Error`s with the
 * library's stable `code` (e.g. "LOW_QUALITY", "TOKEN_REJECTED").
 *
 * @example
 * const engine = new Engine((busy, stage) => showSpinner(busy, stage));
 * const cap = await engine.capture({ width, height, pixels, dpi: 500 });
 * const { token, passengerKey } = await engine.enroll({ handles: [cap.handle], bagTag, flight });
 */

import { notePath } from "./fallbacks.js";

/**
 * @typedef {object} CaptureInfo
 * @property {number} handle the worker's id for this capture
 * @property {number} quality 0..100
 * @property {string[]} feedback [] when good, else codes like "too_dark"
 * @property {number} minutiaeCount
 * @property {{ width: number, height: number, data: Uint8ClampedArray } | null} overlay
 *   the normalised image with the found features drawn in, or null when the
 *   package cannot render it
 */

/**
 * @typedef {object} FaceInfo
 * @property {number} handle the worker's id for this face capture
 * @property {number} quality 0..100 (0: no usable face)
 * @property {string[]} feedback [] when good, else codes like "too_small"
 * @property {{ x: number, y: number, width: number, height: number } | null} box the face used, in frame pixels
 */

export class Engine {
  /**
   * Runs the package in a module Web Worker (worker.js). Where that worker
   * cannot start (no module workers, a worker that fails to load the
   * package), the same code runs on the page's thread instead; which one is
   * recorded as `<body data-path-matcher>`, and the .wasm the package chose
   * as `data-path-wasm` (fallbacks.js). `?matcher=main-thread` in the page's
   * address forces the page's thread (to try the fallback).
   * @param {(busy: boolean, stage: string) => void} [onBusy] called when work starts, changes stage, and ends
   */
  constructor(onBusy = () => {}) {
    this.onBusy = onBusy;
    /** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void, quiet: boolean }>} */
    this.pending = new Map();
    /** calls that show the busy indicator */
    this.busyCalls = 0;
    this.nextId = 1;
    /** @type {Error | null} set when the matcher cannot run; every later call fails with it */
    this.failed = null;
    /** @type {((msg: any, transfer: Transferable[]) => void) | null} sends a request, once started */
    this.send = null;
    /** @type {Array<[any, Transferable[]]>} requests made before the matcher started */
    this.queue = [];
    /** @type {Worker | null} */
    this.worker = null;
    if (new URLSearchParams(location.search).get("matcher") === "main-thread") {
      this.#onMainThread("forced by ?matcher=main-thread");
      return;
    }
    try {
      this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    } catch (e) {
      this.#onMainThread(String(e));
      return;
    }
    const worker = this.worker;
    worker.onmessage = (event) => {
      if (!("started" in event.data)) return this.#receive(event.data);
      if (event.data.started) this.#start((msg, transfer) => worker.postMessage(msg, transfer), "worker", event.data.started.wasm);
      else this.#onMainThread(event.data.message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (!this.send) return this.#onMainThread(event.message || "worker error");
      this.#fail(`the matcher failed: ${event.message || "worker error"}`);
    };
  }

  /**
   * The worker could not start: runs worker.js's code on this thread.
   * @param {string} why
   */
  #onMainThread(why) {
    this.worker?.terminate();
    this.worker = null;
    console.info(`sealmatch demo: the matcher runs on the page's thread (${why})`);
    import("./worker.js")
      .then((m) => m.started.then(({ wasm }) => this.#start((msg) => m.handle(msg, (reply) => this.#receive(reply)), "main-thread", wasm)))
      .catch((e) => this.#fail(`the matcher failed to load: ${e?.message ?? e}`));
  }

  /**
   * @param {(msg: any, transfer: Transferable[]) => void} send
   * @param {string} thread @param {string} wasm
   */
  #start(send, thread, wasm) {
    this.send = send;
    notePath("matcher", thread);
    notePath("wasm", wasm);
    for (const [msg, transfer] of this.queue.splice(0)) send(msg, transfer);
  }

  /** @param {string} message */
  #fail(message) {
    this.failed = Object.assign(new Error(message), { code: "ENGINE_UNAVAILABLE" });
    for (const p of this.pending.values()) p.reject(this.failed);
    this.pending.clear();
    this.queue = [];
    this.busyCalls = 0;
    this.onBusy(false, "");
  }

  /** @param {any} msg */
  #receive(msg) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.progress !== undefined) {
      if (!p.quiet) this.onBusy(true, msg.progress);
      return;
    }
    this.pending.delete(msg.id);
    if (!p.quiet && --this.busyCalls === 0) this.onBusy(false, "");
    if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
    else p.resolve(msg.ok);
  }

  /**
   * @param {string} op @param {any} args @param {Transferable[]} [transfer]
   * @param {boolean} [quiet] true for quick calls that should not show the busy indicator
   * @returns {Promise<any>}
   */
  call(op, args, transfer = [], quiet = false) {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    if (!quiet && this.busyCalls++ === 0) this.onBusy(true, "");
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, quiet });
      if (this.send) this.send({ id, op, args }, transfer);
      else this.queue.push([{ id, op, args }, transfer]);
    });
  }

  /**
   * Processes one impression: grey pixels, or a scanner service's image file
   * (BMP or PNG). The buffer is handed over to the worker (it is unusable on
   * the page afterwards) and wiped there after use.
   * @param {import("./scanners.js").ScannerImage} image
   * @returns {Promise<CaptureInfo>}
   */
  capture(image) {
    if ("file" in image && image.file) {
      const { file, dpi } = image;
      return this.call("capture", { file, dpi }, [file.buffer]);
    }
    const { width, height, pixels, dpi } = /** @type {import("./scanners.js").FingerImage} */ (image);
    return this.call("capture", { width, height, pixels, dpi }, [pixels.buffer]);
  }

  /** Loads the face models in the worker (shows the busy indicator); later calls are quick. */
  initFace() {
    return this.call("initFace", {});
  }

  /**
   * Processes one camera frame for the face. The pixel buffer is handed over
   * to the worker and wiped there. Quiet (no busy indicator): it runs for
   * every frame of a live camera.
   * @param {{ width: number, height: number, data: Uint8ClampedArray }} frame an ImageData
   * @returns {Promise<FaceInfo>}
   */
  faceCapture(frame) {
    const { width, height, data } = frame;
    return this.call("faceCapture", { width, height, rgba: data }, [data.buffer], true);
  }

  /**
   * @param {{ handles: number[], bagTag: string, flight: string, ttlSeconds?: number, passengerKey?: string }} args
   * @returns {Promise<{ token: string, passengerKey: string, header: { bagTag: string, flight: string, issuedAt: number, expiresAt: number } }>}
   */
  enroll(args) {
    return this.call("enroll", args);
  }

  /**
   * @param {{ handle: number, token: string, passengerKey: string, bagTag: string, flight?: string }} args
   * @returns {Promise<{ match: boolean, score: number, threshold: number }>}
   */
  verify(args) {
    return this.call("verify", args);
  }

  /** @param {string} token @returns {Promise<{ version: number, bagTag: string, flight: string, issuedAt: number, expiresAt: number }>} */
  inspect(token) {
    return this.call("inspect", { token }, [], true);
  }

  /** @param {number} handle */
  free(handle) {
    return this.call("free", { handle }, [], true);
  }

  /** Releases every capture (next passenger). */
  freeAll() {
    return this.call("freeAll", {}, [], true);
  }
}
