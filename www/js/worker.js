// @ts-check
/**
 * The demo's Web Worker: loads the sealmatch package and does all heavy work
 * (capture processing, enrollment, verification) off the page's thread.
 *
 * Captures (fingerprint or face) stay in this worker; the page only holds
 * numeric handles. Nothing biometric is posted back except the rendered
 * overlay image of a fingerprint capture (pixels for the local screen), and a
 * face capture's quality, feedback codes and box (for the guide overlay).
 * The face models are loaded on the first face operation only.
 *
 * Protocol: the page posts `{ id, op, args }`; the worker answers
 * `{ id, progress: "stage" }` zero or more times (a stage code such as
 * `finding_features`, which the page shows as `common.busy_<code>` in its
 * language), then `{ id, ok: result }` or
 * `{ id, error: { code, message } }`. Ops: `capture`, `initFace`,
 * `faceCapture`, `enroll`, `verify`, `inspect`, `free`, `freeAll`. Before any
 * answer the worker posts `{ started: { wasm } }` once the package has loaded,
 * or `{ started: null, message }` when it could not. Imported on the page's
 * thread instead (engine.js's fallback), the module exports `handle` and
 * `started` and does not touch `self`.
 */

/** The package, loaded and initialised once; a failure is reported to every request. */
const ready = import("/pkg/sealmatch.js").then(
  async (pkg) => {
    await pkg.default();
    return pkg;
  },
  (e) => {
    throw Object.assign(new Error(`the sealmatch package cannot be loaded (${e?.message ?? e}); run \`make pkg\``), { code: "ENGINE_UNAVAILABLE" });
  },
);
ready.catch(() => {}); // reported per request, not as an unhandled rejection

/** @type {Promise<void> | null} the face models, loaded on first use */
let faceReady = null;

/** @type {Map<number, any>} live captures by handle */
const captures = new Map();
let nextHandle = 1;

/** @param {number} handle */
function captureOf(handle) {
  const cap = captures.get(handle);
  if (!cap) throw Object.assign(new Error("this capture was released; capture again"), { code: "INVALID_ARGUMENT" });
  return cap;
}

/**
 * Renders the capture's features for the local screen, when the package can.
 * @param {any} cap
 * @returns {{ width: number, height: number, data: Uint8ClampedArray } | null}
 */
function overlayOf(cap) {
  if (typeof cap.renderFeatures !== "function") return null;
  const r = cap.renderFeatures();
  return { width: r.width, height: r.height, data: r.data };
}

/**
 * A capture from a scanner's image file (`Capture.fromImageFile`; `dpi`
 * omitted: the file's own).
 * @param {any} Capture @param {Uint8Array} file @param {number | undefined} dpi
 */
function fromImageFile(Capture, file, dpi) {
  if (typeof Capture.fromImageFile !== "function") {
    throw Object.assign(new Error("this package build cannot read scanner image files"), { code: "INVALID_IMAGE" });
  }
  return dpi === undefined ? Capture.fromImageFile(file) : Capture.fromImageFile(file, dpi);
}

/** @type {Record<string, (args: any, progress: (stage: string) => void, pkg: any) => any | Promise<any>>} */
const ops = {
  /**
   * args: a scanner image: { width, height, pixels: Uint8Array (grey), dpi },
   * or an image file from a scanner service { file: Uint8Array (BMP, PNG), dpi? }
   */
  capture({ width, height, pixels, file, dpi }, progress, { Capture }) {
    progress("finding_features");
    const cap = file ? fromImageFile(Capture, file, dpi) : Capture.fromGray(width, height, pixels, dpi);
    (file ?? pixels).fill(0);
    progress("drawing_features");
    const overlay = overlayOf(cap);
    const handle = nextHandle++;
    captures.set(handle, cap);
    return {
      result: {
        handle,
        quality: cap.quality,
        feedback: Array.from(cap.feedback),
        minutiaeCount: cap.minutiaeCount,
        overlay,
      },
      transfer: overlay ? [overlay.data.buffer] : [],
    };
  },
  /** Loads the face models (about 7 MB, from the package's folder); idempotent. */
  async initFace(_args, progress, { initFace }) {
    progress("loading_face_models");
    faceReady ??= initFace().catch((/** @type {any} */ e) => {
      faceReady = null; // a failed load can be retried
      throw e;
    });
    await faceReady;
    return { result: true };
  },
  /** args: { width, height, rgba: Uint8ClampedArray } (a camera frame) */
  async faceCapture({ width, height, rgba }, progress, pkg) {
    await ops.initFace({}, progress, pkg);
    progress("finding_face");
    const face = pkg.FaceCapture.fromRgba(width, height, rgba);
    rgba.fill(0);
    const handle = nextHandle++;
    captures.set(handle, face);
    const box = face.box;
    return {
      result: {
        handle,
        quality: face.quality,
        feedback: Array.from(face.feedback),
        box: box ? { x: box.x, y: box.y, width: box.width, height: box.height } : null,
      },
    };
  },
  /** args: { handles, bagTag, flight, ttlSeconds?, passengerKey? } */
  enroll({ handles, bagTag, flight, ttlSeconds, passengerKey }, progress, { enroll, inspectToken }) {
    progress("sealing");
    /** @type {Record<string, unknown>} */
    const options = { bagTag, flight };
    if (ttlSeconds !== undefined) options.ttlSeconds = ttlSeconds;
    if (passengerKey) options.passengerKey = passengerKey;
    const caps = handles.map(captureOf);
    const out = enroll(caps, options);
    return { result: { token: out.token, passengerKey: out.passengerKey, header: inspectToken(out.token) } };
  },
  /** args: { handle, token, passengerKey, bagTag, flight? } */
  verify({ handle, token, passengerKey, bagTag, flight }, progress, { verify }) {
    progress("comparing");
    /** @type {Record<string, unknown>} */
    const options = { bagTag };
    if (flight) options.flight = flight;
    const r = verify(captureOf(handle), token, passengerKey, options);
    return { result: { match: r.match, score: r.score, threshold: r.threshold } };
  },
  /** args: { token } */
  inspect({ token }, _progress, { inspectToken }) {
    return { result: inspectToken(token) };
  },
  /** args: { handle } */
  free({ handle }) {
    const cap = captures.get(handle);
    if (cap) {
      captures.delete(handle);
      cap.free();
    }
    return { result: true };
  },
  freeAll() {
    for (const cap of captures.values()) cap.free();
    captures.clear();
    return { result: true };
  },
};

/**
 * Which .wasm the package fetched in this thread ("simd" or "nosimd"; the
 * package picks it by probing the engine), from the resource timings (which
 * some engines list a moment after the fetch: looked up for up to 2 s).
 */
async function wasmInUse() {
  for (let i = 0; i < 20; i++) {
    const names = performance.getEntriesByType("resource").map((e) => e.name);
    if (names.some((n) => /sealmatch_core_nosimd_bg[^/]*\.wasm$/.test(n))) return "nosimd";
    if (names.some((n) => /sealmatch_core_bg[^/]*\.wasm$/.test(n))) return "simd";
    await new Promise((r) => setTimeout(r, 100));
  }
  return "unknown";
}

/** Resolves with `{ wasm }` once the package is loaded; rejects when it cannot be. */
export const started = ready.then(async () => ({ wasm: await wasmInUse() }));

/**
 * Answers one request `{ id, op, args }` through `post(message, transfer)`.
 * In the worker, `self.postMessage`; on the page's thread (engine.js's
 * fallback where a module worker cannot start), a direct call.
 * @param {{ id: number, op: string, args: any }} request
 * @param {(message: any, transfer?: Transferable[]) => void} post
 */
export async function handle({ id, op, args }, post) {
  const progress = (/** @type {string} */ stage) => post({ id, progress: stage });
  try {
    progress("loading_matcher");
    const pkg = await ready;
    const fn = ops[op];
    if (!fn) throw Object.assign(new Error(`unknown operation ${op}`), { code: "INVALID_ARGUMENT" });
    const { result, transfer = [] } = await fn(args ?? {}, progress, pkg);
    post({ id, ok: result }, transfer);
  } catch (e) {
    const err = /** @type {any} */ (e);
    post({ id, error: { code: err?.code ?? "INTERNAL", message: String(err?.message ?? err) } });
  }
}

// In a worker: answer the page, and say first whether the package loaded
// (`{ started: { wasm } }` or `{ started: null, message }`).
const WorkerScope = /** @type {any} */ (globalThis).WorkerGlobalScope;
if (WorkerScope && self instanceof WorkerScope) {
  const post = (/** @type {any} */ message, /** @type {Transferable[]} */ transfer = []) => self.postMessage(message, { transfer });
  self.onmessage = (/** @type {MessageEvent} */ event) => handle(event.data, post);
  started.then(
    (info) => post({ started: info }),
    (e) => post({ started: null, message: String(e?.message ?? e) }),
  );
}
