// The memory half of the WASM benchmark, shared by the Node and Chromium
// runners (no Node imports): linear memory after init, while one 640x480
// image is processed, and over the enroll/verify churn in both release modes.

import { memoryChurn } from "./workload.mjs";

/**
 * Linear memory before and while one image (640x480) is processed; run
 * first, on a fresh module, since linear memory never shrinks.
 * @param {import("./workload.mjs").Sealmatch} sm
 * @param {{ width: number, height: number, dpi: number, pixels: Uint8Array }} big
 * @param {() => number} memBytes
 */
export function memoryOfImage(sm, big, memBytes) {
  const beforeBig = memBytes();
  const cap = sm.Capture.fromGray(big.width, big.height, big.pixels, big.dpi);
  const withBig = memBytes();
  const bigQuality = cap.quality;
  cap.free();
  return { beforeBig, withBig, bigQuality };
}

/**
 * The churn in both modes (see memoryChurn), after the timed groups.
 * @param {import("./workload.mjs").Sealmatch} sm
 * @param {{ width: number, height: number, dpi: number, pixels: Uint8Array }} small the churn image
 * @param {{ calls: number, captureEvery: number }} churn
 * @param {() => number} memBytes
 * @param {(() => void) | undefined} gc
 */
export async function runChurn(sm, small, churn, memBytes, gc) {
  const free = await memoryChurn(sm, small, churn.calls, churn.captureEvery, "free", memBytes, gc);
  const collected = await memoryChurn(sm, small, churn.calls, churn.captureEvery, "gc", memBytes, gc);
  return { free, gc: collected, gcAvailable: typeof gc === "function" };
}
