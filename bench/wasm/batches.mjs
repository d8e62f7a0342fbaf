// The timed work of the per-engine speed table (bench/engines/speed.mjs), run
// unchanged in Node and in a page of each browser engine (no Node imports):
// extraction of one image, verify of one enrolled pair, and a whole face
// capture, each in batches of calls timed whole, because Firefox and WebKit
// round performance.now() (to 20 µs .. 1 ms) far above a ~50 µs verify.
// examples/wasm_bench_native.rs (`batches`) does the same natively.
//
// Example:
//   const out = await runBatches(sm, spec, pixelsOf);
//   out.extractMs;   // [ms per call, one entry a batch]
//   out.timerStepMs; // the smallest non-zero performance.now() step seen

import { BAG, FLIGHT, NOW } from "./workload.mjs";
import { FRAME_H, FRAME_W, oursSteps } from "../face/speed-workload.mjs";

/**
 * The smallest non-zero step of `now()` seen while spinning for `spanMs`
 * (ms): the clock's effective resolution in this runtime.
 *
 * ```js
 * timerStepMs(); // 0.005 in a cross-origin isolated Chromium page
 * ```
 */
export function timerStepMs(now = () => performance.now(), spanMs = 50) {
  const start = now();
  let last = start;
  let step = Infinity;
  while (last - start < spanMs) {
    const t = now();
    if (t > last) {
      step = Math.min(step, t - last);
      last = t;
    }
  }
  return step;
}

/**
 * Times `batches` batches of `perBatch` calls of `fn`, each batch timed whole
 * and divided by `perBatch`, after `warmup` untimed calls (default: one
 * batch's worth, so the engine's optimising tier has compiled the hot code).
 * Returns ms per call, one entry a batch.
 *
 * ```js
 * timeBatches(() => work(), 20, 7); // [0.051, 0.049, ...]
 * ```
 */
export function timeBatches(fn, perBatch, batches, warmup = perBatch) {
  for (let i = 0; i < warmup; i++) fn();
  const out = [];
  for (let k = 0; k < batches; k++) {
    const t0 = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    out.push((performance.now() - t0) / perBatch);
  }
  return out;
}

/**
 * @typedef {{ width: number, height: number, dpi: number }} GrayRef
 * @typedef {{ extract: GrayRef, enrolled: GrayRef, probe: GrayRef, face: { width: number, height: number },
 *             batches: number, perBatch: { extract: number, verify: number, face: number } }} BatchSpec
 */

/**
 * The per-engine workload: `spec.extract` extracted (`Capture.fromGray`,
 * then `free`), `spec.probe` verified against a token of `spec.enrolled`
 * (`verify`: token checks, decryption, matching), and the face frame captured
 * whole (`FaceCapture.fromRgba`, then `free`: bench/face's `oursSteps`).
 * `pixels(name)` gives the bytes of "extract", "enrolled", "probe" (grey) and
 * "face" (RGBA). Calls `initFace()` first. Returns ms per call per batch, the
 * verify score (the same in every runtime) and the clock's step.
 */
export async function runBatches(sm, spec, pixels) {
  const timerStep = timerStepMs();
  const gray = (name) => {
    const im = spec[name];
    return sm.Capture.fromGray(im.width, im.height, pixels(name), im.dpi);
  };
  const enrolled = gray("enrolled");
  const probe = gray("probe");
  const sealed = sm.enroll([enrolled], { bagTag: BAG, flight: FLIGHT, now: NOW });
  const opts = { bagTag: BAG, now: NOW + 1 };
  await sm.initFace();
  if (spec.face.width !== FRAME_W || spec.face.height !== FRAME_H) throw new Error(`the face frame must be ${FRAME_W}x${FRAME_H}`);
  const frame = { rgba: pixels("face") };
  const face = oursSteps(sm).whole;
  const extractPx = pixels("extract");
  const ex = spec.extract;
  const out = {
    timerStepMs: timerStep,
    extractMs: timeBatches(() => sm.Capture.fromGray(ex.width, ex.height, extractPx, ex.dpi).free(), spec.perBatch.extract, spec.batches),
    verifyMs: timeBatches(() => sm.verify(probe, sealed.token, sealed.passengerKey, opts), spec.perBatch.verify, spec.batches),
    faceMs: timeBatches(() => face(frame), spec.perBatch.face, spec.batches),
    score: sm.verify(probe, sealed.token, sealed.passengerKey, opts).score,
  };
  enrolled.free();
  probe.free();
  return out;
}
