// The timed work of the face speed benchmark, the same in Node
// (speed-node.mjs) and in the Chromium page (speed-browser.mjs): 640×480
// frames through sealmatch's packed package and through face-api.js.
// No Node imports.
//
// Example:
//   const frames = framesOf(bytes);                          // RGBA frames, 640×480, back to back
//   const t = await timeSteps(frames, oursSteps(sm));        // { whole: [ms per frame] }
//   await timeSteps(frames, faceApiSteps(api, ["ssd"]));     // { "ssd guide": […], "ssd whole": […] }

import { capture } from "./faceapi-capture.mjs";

/** The frame size the benchmark times. */
export const FRAME_W = 640;
export const FRAME_H = 480;

/** Frames from their RGBA bytes back to back: `[{ rgba, rgb }]` (`rgb`: `{ width, height, data }` for face-api). */
export function framesOf(bytes) {
  const size = FRAME_W * FRAME_H * 4;
  const frames = [];
  for (let off = 0; off + size <= bytes.length; off += size) {
    const rgba = bytes.subarray(off, off + size);
    const data = new Uint8Array(FRAME_W * FRAME_H * 3);
    for (let i = 0, j = 0; i < size; i += 4, j += 3) {
      data[j] = rgba[i];
      data[j + 1] = rgba[i + 1];
      data[j + 2] = rgba[i + 2];
    }
    frames.push({ rgba, rgb: { width: FRAME_W, height: FRAME_H, data } });
  }
  return frames;
}

/**
 * Times each step on each frame: every step once on the first frame (warm-up),
 * then `rounds` rounds over the frames, each frame's fastest round kept (a load
 * spike in one round does not decide a figure). Returns `{ [step]: [ms per frame] }`.
 */
export async function timeSteps(frames, steps, rounds = 2) {
  const names = Object.keys(steps);
  if (frames.length === 0) return Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) await steps[n](frames[0]);
  const out = Object.fromEntries(names.map((n) => [n, frames.map(() => Infinity)]));
  for (let r = 0; r < rounds; r++) {
    for (const [i, f] of frames.entries()) {
      for (const n of names) {
        const t0 = performance.now();
        await steps[n](f);
        out[n][i] = Math.min(out[n][i], performance.now() - t0);
      }
    }
  }
  return out;
}

/**
 * sealmatch's steps: the whole capture (`FaceCapture.fromRgba`, then `free`).
 * The package has no call that stops after detection and quality, so a live
 * guidance loop in JS makes whole captures; there is no separate guidance step.
 */
export function oursSteps(sm) {
  return {
    whole: (f) => sm.FaceCapture.fromRgba(FRAME_W, FRAME_H, f.rgba).free(),
  };
}

/** How many frames give a usable sealmatch capture (quality > 0). */
export function oursUsable(sm, frames) {
  let n = 0;
  for (const f of frames) {
    const c = sm.FaceCapture.fromRgba(FRAME_W, FRAME_H, f.rgba);
    if (c.quality > 0) n++;
    c.free();
  }
  return n;
}

/**
 * face-api.js's steps for each detector (`api.use(name)` selects it):
 * "<name> guide" (detection + 68 landmarks of the chosen face: what a live
 * guidance loop needs) and "<name> whole" (the same + the 128-d descriptor).
 * The input tensor is made inside the timed step (sealmatch's copy into the
 * module's memory is timed too).
 */
export function faceApiSteps(api, detectors) {
  const steps = {};
  for (const d of detectors) {
    steps[`${d} guide`] = (f) => capture(api.use(d), f.rgb, { descriptor: false });
    steps[`${d} whole`] = (f) => capture(api.use(d), f.rgb, { descriptor: true });
  }
  return steps;
}

/** How many frames give face-api.js a descriptor with detector `name`. */
export async function faceApiUsable(api, name, frames) {
  let n = 0;
  for (const f of frames) if ((await capture(api.use(name), f.rgb)).descriptor) n++;
  return n;
}
