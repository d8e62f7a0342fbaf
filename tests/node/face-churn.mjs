// Face captures made over and over, sampling the WebAssembly linear memory,
// for tests/node/face-memory.test.mjs: the same code in Node and in a
// Chromium page (no imports, so a page can load it).

const OPTS = { bagTag: "0117123456", flight: "SK1415", now: 1_800_000_000 };

/**
 * Makes `captures` face captures from `frames` in turn (RGBA frames
 * `{ width, height, rgba }`), each either freed at once (`mode` "free") or
 * dropped for the garbage collector (`mode` "gc": `gc` forces a collection
 * after each tenth of the run, then a task runs the FinalizationRegistry
 * callbacks). Every 25th capture of a usable face is also enrolled and
 * verified. Samples `memBytes()` (the module's linear memory) after each
 * tenth; the first sample is taken after the first tenth, the warm-up.
 * Returns the samples, the live face captures at the end (`live()`, the
 * module's own count; in "gc" mode after collecting until none is left, at
 * most 50 times) and the matches.
 */
export async function faceChurn(sm, frames, captures, mode, memBytes, live, gc) {
  const tenth = Math.max(1, Math.floor(captures / 10));
  const samples = [];
  let usable = 0;
  let matches = 0;
  let verified = 0;
  const t0 = performance.now();
  // One capture, in its own frame: nothing of it stays in this function's.
  const step = (i) => {
    const { width, height, rgba } = frames[i % frames.length];
    const f = sm.FaceCapture.fromRgba(width, height, rgba);
    if (f.quality > 0) {
      usable++;
      if (i % 25 === 0) {
        const { token, passengerKey } = sm.enroll([f], OPTS);
        verified++;
        if (sm.verify(f, token, passengerKey, { bagTag: OPTS.bagTag, now: OPTS.now + 1 }).match) matches++;
      }
    }
    if (mode === "free") f.free();
  };
  for (let i = 0; i < captures; i++) {
    step(i);
    if ((i + 1) % tenth === 0) {
      if (mode === "gc") {
        gc();
        await new Promise((r) => setTimeout(r, 0));
        gc();
        await new Promise((r) => setTimeout(r, 0));
      }
      samples.push(memBytes());
    }
  }
  for (let i = 0; mode === "gc" && i < 50 && live() > 0; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    mode,
    captures,
    usable,
    verified,
    matches,
    live: live(),
    seconds: (performance.now() - t0) / 1000,
    afterWarmup: samples[0],
    max: Math.max(...samples),
    samples,
  };
}
