// sealmatch for browsers and bundlers: `await init()` fetches and instantiates
// sealmatch_core_bg.wasm next to this file, or sealmatch_core_nosimd_bg.wasm
// where the engine has no WebAssembly SIMD (engine-caps.js; only the one picked
// is fetched; bundlers such as Vite emit both as assets), or whatever
// `init({ module_or_path })` is given.

import initCore from "./sealmatch_core.js";
import { codedError, fetchBytes, loadFace, markReady } from "./api.js";
import { engineCaps, missingMessage } from "./engine-caps.js";

export { Capture, FaceCapture, enroll, verify, inspectToken } from "./api.js";

let loading = null;

/**
 * Loads the WebAssembly module: the SIMD build where the engine validates
 * WebAssembly SIMD, else the non-SIMD build (same results). Call once and
 * await it before anything else; later calls return the same promise. An
 * engine without WebAssembly (or a feature both builds need) is refused with
 * INVALID_ARGUMENT naming what is missing.
 * @param {{ module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module }} [input]
 */
export default function init(input) {
  if (loading === null) {
    loading = (async () => {
      const { missing, simd } = engineCaps();
      if (missing) {
        loading = null;
        throw codedError("INVALID_ARGUMENT", missingMessage(missing));
      }
      try {
        await initCore(
          input !== undefined
            ? input
            : {
                // Two literal `new URL` forms, so that bundlers see both files.
                module_or_path: simd
                  ? new URL("./sealmatch_core_bg.wasm", import.meta.url)
                  : new URL("./sealmatch_core_nosimd_bg.wasm", import.meta.url),
              },
        );
      } catch (e) {
        loading = null;
        throw codedError("INVALID_ARGUMENT", "could not load the sealmatch WebAssembly module", e);
      }
      markReady();
    })();
  }
  return loading;
}

/**
 * Loads the face models (after the WebAssembly module, loading it with
 * `init()`'s defaults if need be): by default fetches `sealmatch-face.bin`
 * beside this file (`new URL("./sealmatch-face.bin", import.meta.url)`; a
 * bundler serves it as an asset); `{ modelUrl }` fetches another URL,
 * `{ modelBytes }` takes the file's bytes. Idempotent. `init()` alone never
 * fetches the face models.
 * @param {{ modelUrl?: string | URL, modelBytes?: Uint8Array | ArrayBuffer }} [options]
 */
export function initFace(options) {
  return loadFace(
    options,
    () => init(),
    () => fetchBytes(new URL("./sealmatch-face.bin", import.meta.url)),
    fetchBytes,
  );
}
