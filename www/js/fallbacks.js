// @ts-check
/**
 * Where an engine lacks something the demo pages use, the page takes another
 * path; this module records which one, on `<body>` as `data-path-*`
 * attributes (for tests and for staff looking at a kiosk's page) and with a
 * `console.info`. Nothing visible changes.
 *
 * | attribute           | values                                      | set by        |
 * | ------------------- | ------------------------------------------- | ------------- |
 * | `data-path-matcher` | `worker` (module Web Worker), `main-thread` | engine.js     |
 * | `data-path-wasm`    | `simd`, `nosimd` (the .wasm the package chose) | engine.js  |
 * | `data-path-qr`      | `barcode-detector`, `jsqr`, `none`          | qrscan.js     |
 * | `data-path-camera`  | `as-asked`, `relaxed` (retried with `video: true`) | `openCamera` |
 *
 * @example
 * notePath("qr", "jsqr");   // <body data-path-qr="jsqr">
 */

/**
 * Records that the page uses `path` for `what`.
 * @param {"matcher" | "wasm" | "qr" | "camera"} what
 * @param {string} path
 */
export function notePath(what, path) {
  document.body.dataset[`path${what[0].toUpperCase()}${what.slice(1)}`] = path;
  console.info(`sealmatch demo: ${what}: ${path}`);
}

/**
 * Opens the camera with `video` constraints; where the engine refuses them
 * (OverconstrainedError, or a TypeError for a constraint it does not know),
 * once more with `video: true`. Other failures (no camera, no permission)
 * are thrown as they are.
 *
 * @example
 * const stream = await openCamera({ facingMode: "user", width: { ideal: 640 } });
 * @param {MediaTrackConstraints} video
 * @returns {Promise<MediaStream>}
 */
export async function openCamera(video) {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
    notePath("camera", "as-asked");
    return stream;
  } catch (e) {
    const name = /** @type {any} */ (e)?.name;
    if (name !== "OverconstrainedError" && name !== "TypeError") throw e;
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    notePath("camera", "relaxed");
    return stream;
  }
}
