// The timed work of the WASM benchmark, run unchanged in Node and in a
// Chromium page (no Node imports here): the same steps as the native half
// (examples/wasm_bench_native.rs) on the same pixels, through the package's
// public API (Capture.fromGray, enroll, verify).

/** The bag tag, flight and clock every timed enroll and verify uses (as examples/wasm_bench_native.rs). */
export const BAG = "0117123456";
export const FLIGHT = "SK1415";
export const NOW = 1_800_000_000;

/**
 * @typedef {{ Capture: any, enroll: Function, verify: Function }} Sealmatch
 * @typedef {{ name: string, width: number, height: number, dpi: number, offset: number }} ImageRef
 * @typedef {{ name: string, images: ImageRef[], pairs: [number, number][], reps?: number, passes?: number }} Group
 */

/** Bytes of the ciphertext segment of a compact JWE: the padded template. */
export function ciphertextBytes(token) {
  const seg = token.split(".")[3];
  return Math.floor((seg.length * 3) / 4);
}

/**
 * Runs one group: extraction of every image (ms each, the fastest of
 * `passes`), enrollment of every
 * usable one, then `reps` verify calls per pair (µs per call, the mean over
 * the reps, so coarse browser clocks still resolve ~50 µs calls).
 * @param {Sealmatch} sm
 * @param {Group} group
 * @param {Uint8Array} bin the group's pixels, images at their offsets
 * @param {() => number} memBytes the module's linear memory size
 * @param {number} warmup extractions before timing
 */
export function runGroup(sm, group, bin, memBytes, warmup) {
  const pixelsOf = (im) => bin.subarray(im.offset, im.offset + im.width * im.height);
  const memBefore = memBytes();
  for (let i = 0; i < Math.min(warmup, group.images.length * 4); i++) {
    const im = group.images[i % group.images.length];
    try {
      sm.Capture.fromGray(im.width, im.height, pixelsOf(im), im.dpi).free();
    } catch {
      // refused images are timed below like any other
    }
  }
  // Each image is extracted `passes` times and its fastest time kept: on a
  // shared, loaded machine the minimum is the least disturbed measurement.
  const passes = Math.max(1, group.passes ?? 1);
  const extractMs = group.images.map(() => Infinity);
  const captures = group.images.map(() => null);
  for (let p = 0; p < passes; p++) {
    group.images.forEach((im, i) => {
      const px = pixelsOf(im);
      const t = performance.now();
      let cap = null;
      try {
        cap = sm.Capture.fromGray(im.width, im.height, px, im.dpi);
      } catch {
        cap = null;
      }
      extractMs[i] = Math.min(extractMs[i], performance.now() - t);
      captures[i]?.free();
      captures[i] = cap;
    });
  }
  // Enroll every capture; one the library refuses (LOW_QUALITY) is unusable,
  // as `Capture::is_usable` decides natively.
  const tokens = captures.map((c, i) => {
    if (!c) return null;
    try {
      return sm.enroll([c], { bagTag: BAG, flight: FLIGHT, now: NOW });
    } catch (e) {
      if (!e || e.code !== "LOW_QUALITY") throw e;
      c.free();
      captures[i] = null;
      return null;
    }
  });
  const first = tokens.find((t) => t);
  const reps = Math.max(1, group.reps ?? 1);
  const verifyUs = [];
  let skipped = 0;
  let matches = 0;
  const opts = { bagTag: BAG, now: NOW + 1 };
  for (const [a, b] of group.pairs) {
    const sealed = tokens[a];
    const probe = captures[b];
    if (!sealed || !probe) {
      skipped++;
      continue;
    }
    let r;
    const t = performance.now();
    for (let k = 0; k < reps; k++) r = sm.verify(probe, sealed.token, sealed.passengerKey, opts);
    verifyUs.push(((performance.now() - t) * 1000) / reps);
    if (r.match) matches++;
  }
  const minutiae = Math.max(0, ...captures.filter((c) => c).map((c) => c.minutiaeCount));
  const memAfter = memBytes();
  for (const c of captures) c?.free();
  return {
    name: group.name,
    extractMs,
    verifyUs,
    templateBytes: first ? ciphertextBytes(first.token) : null,
    tokenBytes: first ? first.token.length : null,
    unusable: captures.filter((c) => !c).length,
    skippedPairs: skipped,
    matches,
    minutiae,
    memBefore,
    memAfter,
  };
}

/**
 * Linear memory over `calls` enroll + verify calls. A new capture of `image`
 * is made every `captureEvery` calls (extraction dominates the cost) and is
 * freed (`mode` "free") or dropped for the garbage collector (`mode` "gc";
 * `gc` forces a collection). Samples the memory size after each tenth of the
 * run; the first sample is the size after warm-up.
 * @param {Sealmatch} sm
 * @param {{ width: number, height: number, dpi: number, pixels: Uint8Array }} image
 * @param {number} calls
 * @param {number} captureEvery
 * @param {"free" | "gc"} mode
 * @param {() => number} memBytes
 * @param {(() => void) | undefined} gc
 */
export async function memoryChurn(sm, image, calls, captureEvery, mode, memBytes, gc) {
  const make = () => sm.Capture.fromGray(image.width, image.height, image.pixels, image.dpi);
  const held = make();
  const sealed = sm.enroll([held], { bagTag: BAG, flight: FLIGHT, now: NOW });
  const samples = [];
  const tenth = Math.max(1, Math.floor(calls / 10));
  let matches = 0;
  let captures = 0;
  let cap = null;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    if (i % captureEvery === 0) {
      if (mode === "free") cap?.free();
      cap = make();
      captures++;
    }
    const enrolled = sm.enroll([cap], { bagTag: BAG, flight: FLIGHT, now: NOW, passengerKey: sealed.passengerKey });
    const token = i % 2 === 0 ? sealed.token : enrolled.token;
    if (sm.verify(cap, token, sealed.passengerKey, { bagTag: BAG, now: NOW + 1 }).match) matches++;
    if ((i + 1) % tenth === 0) {
      if (mode === "gc") {
        cap = null;
        gc?.();
        // FinalizationRegistry callbacks run on a later task.
        await new Promise((r) => setTimeout(r, 0));
        cap = make();
        captures++;
      }
      samples.push(memBytes());
    }
  }
  if (mode === "free") cap?.free();
  held.free();
  return {
    mode,
    calls,
    captures,
    matches,
    seconds: (performance.now() - t0) / 1000,
    afterWarmup: samples[0],
    max: Math.max(...samples),
    end: samples[samples.length - 1],
    samples,
  };
}
