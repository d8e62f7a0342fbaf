// sealmatch for Node (picked by the "node" export condition): `await init()`
// reads sealmatch_core_bg.wasm from disk beside this file, or
// sealmatch_core_nosimd_bg.wasm where WebAssembly SIMD does not validate
// (engine-caps.js; only the one picked is read); no fetch.

import { readFile } from "node:fs/promises";
import { initSync } from "./sealmatch_core.js";
import { codedError, fetchBytes, loadFace, markReady } from "./api.js";
import { engineCaps, missingMessage } from "./engine-caps.js";

export { Capture, FaceCapture, enroll, verify, inspectToken } from "./api.js";

let loading = null;

/**
 * Loads the WebAssembly module from disk: the SIMD build where WebAssembly
 * SIMD validates, else the non-SIMD build (same results). Call once and await
 * it before anything else; later calls return the same promise. Without
 * WebAssembly (or a feature both builds need) it rejects with
 * INVALID_ARGUMENT naming what is missing.
 * @param {{ module_or_path?: BufferSource | WebAssembly.Module }} [input]
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
        const file = simd ? "./sealmatch_core_bg.wasm" : "./sealmatch_core_nosimd_bg.wasm";
        const module =
          input && input.module_or_path !== undefined
            ? input.module_or_path
            : await readFile(new URL(file, import.meta.url));
        initSync({ module });
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
 * `init()`'s defaults if need be): by default reads `sealmatch-face.bin`
 * from disk beside this file; `{ modelUrl }` reads a `file:` URL from disk
 * and fetches any other; `{ modelBytes }` takes the file's bytes.
 * Idempotent. `init()` alone never reads the face models.
 * @param {{ modelUrl?: string | URL, modelBytes?: Uint8Array | ArrayBuffer }} [options]
 */
export function initFace(options) {
  return loadFace(
    options,
    () => init(),
    async () => new Uint8Array(await readFile(new URL("./sealmatch-face.bin", import.meta.url))),
    async (url) => {
      const u = new URL(url);
      return u.protocol === "file:" ? new Uint8Array(await readFile(u)) : fetchBytes(u);
    },
  );
}
